import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { formatVerifierKey, keyId, SIGNATURE_TYPE_ED25519 } from '@confiance/contract';
import { nodeCrypto, rawPublicKey } from './crypto';

/**
 * The ledger's note-signing key (Ed25519), kept outside the database so that someone who can
 * rewrite the database still cannot sign a different history. Stored as PKCS#8 PEM, mode 0600,
 * in `{dataDir}/keys/ledger-note.pem` (or `CONFIANCE_LEDGER_KEY_FILE`). The key that signs
 * contracts (JWS) is a different key.
 *
 * Rotation (see README): stop the node, move the old file aside, start: a new key is made and the
 * next checkpoint is signed with it; publish the new verifier key beside the old one, which keeps
 * verifying the checkpoints it signed.
 */

export interface NoteSigner {
  /** Key name = the log's origin. */
  name: string;
  keyId: number;
  publicKey: Buffer;
  /** `<name>+<hex key id>+<base64(0x01 ‖ key)>`, as Go's note package prints it. */
  verifierKey: string;
  sign(message: Uint8Array): Buffer;
}

/** The note key names, ids and prints exactly as the shared verifier (`contract/tlog`) reads them. */
export async function signerFrom(name: string, privateKey: KeyObject): Promise<NoteSigner> {
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  return {
    name,
    keyId: await keyId(nodeCrypto.sha256, name, SIGNATURE_TYPE_ED25519, publicKey),
    publicKey,
    verifierKey: await formatVerifierKey(nodeCrypto.sha256, name, SIGNATURE_TYPE_ED25519, publicKey),
    sign: (message) => sign(null, message, privateKey),
  };
}

/** Loads the key, or makes one on first start (refusing a key file readable by others). */
export async function loadOrCreateSigner(file: string, name: string): Promise<NoteSigner> {
  try {
    const stat = await fs.stat(file);
    if ((stat.mode & 0o077) !== 0) {
      throw new Error(`la clé du registre ${file} est lisible par d’autres comptes (mode ${(stat.mode & 0o777).toString(8)}) : chmod 600`);
    }
    return signerFrom(name, createPrivateKey(await fs.readFile(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' });
  // `wx`: two nodes starting on one folder never overwrite each other's key.
  await fs.writeFile(file, pem, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return signerFrom(name, createPrivateKey(await fs.readFile(file, 'utf8')));
}

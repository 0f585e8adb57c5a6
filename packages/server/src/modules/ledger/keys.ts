import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

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

const ED25519_ALG = 0x01;
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface NoteSigner {
  /** Key name = the log's origin. */
  name: string;
  keyId: Buffer;
  publicKey: Buffer;
  /** `<name>+<hex key id>+<base64(0x01 ‖ key)>`, as Go's note package prints it. */
  verifierKey: string;
  sign(message: Uint8Array): Buffer;
}

export function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function noteKeyId(name: string, alg: number, publicKey: Uint8Array): Buffer {
  return createHash('sha256')
    .update(Buffer.from(`${name}\n`, 'utf8'))
    .update(Buffer.from([alg]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

export function signerFrom(name: string, privateKey: KeyObject): NoteSigner {
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  const keyId = noteKeyId(name, ED25519_ALG, publicKey);
  return {
    name,
    keyId,
    publicKey,
    verifierKey: `${name}+${keyId.toString('hex')}+${Buffer.concat([Buffer.from([ED25519_ALG]), publicKey]).toString('base64')}`,
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

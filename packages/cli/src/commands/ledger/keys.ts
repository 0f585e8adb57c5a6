import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import {
  formatVerifierKey,
  isTlogError,
  isValidKeyName,
  keyId,
  parseVerifierKey,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  type VerifierKey,
} from '@confiance/contract';
import { CliError, UsageError } from '../../errors';
import { note } from '../../output';
import { nodeCrypto } from './crypto';
import { readText } from './files';
import { fetchLedgerText } from './remote';

/** Where the node key used for a verification came from: given by the user, or fetched (trust on first use). */
export type KeySource = 'given' | 'fetched';

export interface NodeKey {
  text: string;
  key: VerifierKey;
  source: KeySource;
}

export const TOFU_WARNING =
  'Attention : clé de vérification téléchargée depuis le nœud lui-même (confiance à la première utilisation). ' +
  'Un nœud malhonnête peut aussi mentir sur sa clé : obtenez-la par un autre canal (site de l’opérateur, charte, courrier signé) et passez-la avec --key.';

/** A note verifier key given on the command line or in a file: well formed, its key ID matching. */
export async function parseNodeKey(text: string, origin: string): Promise<VerifierKey> {
  let key: VerifierKey;
  try {
    key = await parseVerifierKey(nodeCrypto.sha256, text);
  } catch (error) {
    const why = isTlogError(error) ? error.message : (error as Error).message;
    throw new UsageError(`Clé de vérification invalide (${origin}) : ${why}. Attendu : <nom>+<identifiant hex>+<clé base64>.`);
  }
  if (key.type !== SIGNATURE_TYPE_ED25519) {
    throw new UsageError(`${origin} est une clé de témoin (type 0x04), pas la clé d’un nœud : utilisez-la avec --witness.`);
  }
  return key;
}

/** The first non-blank line of a key file (files often end with a newline, or carry a comment above). */
function firstKeyLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith('#')) ?? ''
  );
}

/** `--key` or `--key-file`, if either was given. */
export async function givenNodeKey(options: { key?: string; keyFile?: string }): Promise<NodeKey | undefined> {
  if (options.key !== undefined && options.keyFile !== undefined)
    throw new UsageError('--key et --key-file s’excluent : donnez la clé une fois.');
  if (options.key !== undefined) {
    const text = options.key.trim();
    return { text, key: await parseNodeKey(text, '--key'), source: 'given' };
  }
  if (options.keyFile !== undefined) {
    const text = firstKeyLine(await readText(options.keyFile, 'la clé'));
    return { text, key: await parseNodeKey(text, options.keyFile), source: 'given' };
  }
  return undefined;
}

/** The key the node publishes at /ledger/verifier-key. */
export async function fetchNodeKey(url?: string): Promise<NodeKey> {
  const text = (await fetchLedgerText('/ledger/verifier-key', url)).trim();
  let key: VerifierKey;
  try {
    key = await parseVerifierKey(nodeCrypto.sha256, text);
  } catch (error) {
    throw new CliError(`Le nœud publie une clé de vérification invalide : ${(error as Error).message}.`, { code: 'invalid_verifier_key' });
  }
  return { text, key, source: 'fetched' };
}

/** The given key, or the node's own with a loud warning that trusting it is trust on first use. */
export async function nodeKeyOrFetched(options: { key?: string; keyFile?: string }, quiet = false): Promise<NodeKey> {
  const given = await givenNodeKey(options);
  if (given) return given;
  const fetched = await fetchNodeKey();
  if (!quiet) note(TOFU_WARNING);
  return fetched;
}

// ---------------------------------------------------------------------------------------------
// Witness keys (cosignature/v1: Ed25519, key type 0x04)

export interface WitnessKey {
  name: string;
  privateKey: KeyObject;
  publicKey: Uint8Array;
  keyId: number;
  /** `<name>+<hex id>+<base64(0x04 ‖ key)>`: what the node's operator adds to CONFIANCE_LEDGER_WITNESSES. */
  verifierKey: string;
  sign(message: Uint8Array): Uint8Array;
}

export function assertWitnessName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new UsageError(`Nom de témoin invalide « ${name} » : ni espace ni « + » (par exemple « temoin.occitanie-donnees.fr »).`);
  }
}

function rawPublicKey(privateKey: KeyObject): Uint8Array {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

export async function witnessKeyFrom(name: string, privateKey: KeyObject): Promise<WitnessKey> {
  const publicKey = rawPublicKey(privateKey);
  return {
    name,
    privateKey,
    publicKey,
    keyId: await keyId(nodeCrypto.sha256, name, SIGNATURE_TYPE_COSIGNATURE_V1, publicKey),
    verifierKey: await formatVerifierKey(nodeCrypto.sha256, name, SIGNATURE_TYPE_COSIGNATURE_V1, publicKey),
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

/** A fresh Ed25519 witness key and its PKCS#8 PEM. */
export async function generateWitnessKey(name: string): Promise<{ key: WitnessKey; pem: string }> {
  assertWitnessName(name);
  const { privateKey } = generateKeyPairSync('ed25519');
  return { key: await witnessKeyFrom(name, privateKey), pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

/**
 * Loads a witness's private key, refusing a file other local accounts can read: whoever reads it can
 * cosign in the witness's name, and a forged cosignature is exactly what witnesses exist to prevent.
 */
export async function loadWitnessKey(file: string, name: string): Promise<WitnessKey> {
  assertWitnessName(name);
  let mode: number;
  try {
    mode = (await fs.stat(file)).mode;
  } catch {
    throw new CliError(`Clé de témoin introuvable : ${file} (créez-la avec « confiance ledger witness-key »).`, {
      code: 'unreadable_file',
    });
  }
  if ((mode & 0o077) !== 0) {
    throw new CliError(
      `La clé de témoin ${file} est lisible par d’autres comptes (mode ${(mode & 0o777).toString(8)}) : « chmod 600 ${file} », puis relancez.`,
      { code: 'insecure_key_file' },
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(await readText(file, 'la clé de témoin'));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file} n’est pas une clé privée PEM (PKCS#8).`, { code: 'invalid_key_file' });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new CliError(`${file} n’est pas une clé Ed25519 (type ${privateKey.asymmetricKeyType ?? 'inconnu'}).`, {
      code: 'invalid_key_file',
    });
  }
  return witnessKeyFrom(name, privateKey);
}

/** `--witness` keys: cosignature/v1 verifier keys (type 0x04) of witnesses whose cosignature is required. */
export async function parseWitnessKeys(texts: readonly string[] = []): Promise<VerifierKey[]> {
  return Promise.all(
    texts.map(async (text) => {
      let key: VerifierKey;
      try {
        key = await parseVerifierKey(nodeCrypto.sha256, text.trim());
      } catch (error) {
        throw new UsageError(`Clé de témoin invalide (--witness ${text}) : ${(error as Error).message}.`);
      }
      if (key.type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
        throw new UsageError(
          `--witness ${key.name} : ce n’est pas une clé de témoin (type 0x04 attendu, comme l’affiche « confiance ledger witness-key »).`,
        );
      }
      return key;
    }),
  );
}

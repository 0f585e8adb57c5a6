import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, CompactSign, compactVerify } from 'jose';
import { canonicalJson } from '@confiance/contract';

/**
 * The node's contract key (Ed25519): it signs each agreement as a JWS so that either party, or a
 * court, can check the terms they hold are the ones the node recorded. It is deliberately not the
 * ledger's note key: a leaked contract key must not let anyone sign ledger checkpoints, and each
 * key is rotated and published on its own. Stored like the ledger key, outside the database, as
 * PKCS#8 PEM, mode 0600, in `{dataDir}/keys/contract-jws.pem` (or `CONFIANCE_CONTRACT_KEY_FILE`).
 *
 * Rotation: stop the node, move the old file aside (keep it), start: a new key, hence a new `kid`,
 * signs the next agreements; JWS made before keep verifying with the old public key, so publish it
 * beside the new one.
 */

export const CONTRACT_JWS_TYPE = 'application/odrl+json';

export interface ContractSigner {
  /** Key id: the RFC 7638 JWK thumbprint (base64url) of the public key. */
  kid: string;
  /** JWS compact serialization, alg EdDSA, header {alg, kid, typ: 'application/odrl+json'}, over the RFC 8785 canonical JSON of `payload`. */
  sign(payload: unknown): Promise<string>;
  /** Verifies a JWS made by this key and returns its payload (parsed JSON); throws on any mismatch. */
  verify(jws: string): Promise<unknown>;
  /** The public key as a JWK with kid, for `GET /api/v1/contract-key`. */
  publicJwk(): { kid: string; alg: 'EdDSA'; jwk: Record<string, unknown> };
}

export class ContractSignatureError extends Error {
  override name = 'ContractSignatureError';
}

async function signerFrom(privateKey: KeyObject): Promise<ContractSigner> {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`la clé des contrats doit être une clé Ed25519 (type trouvé : ${privateKey.asymmetricKeyType ?? 'inconnu'})`);
  }
  const publicKey = createPublicKey(privateKey);
  const { kty, crv, x } = publicKey.export({ format: 'jwk' });
  const kid = await calculateJwkThumbprint({ kty, crv, x }, 'sha256');
  const utf8 = new TextDecoder('utf-8', { fatal: true });

  return {
    kid,
    async sign(payload) {
      // Canonical bytes: the same agreement always yields the same JWS payload, whichever code
      // built the object, so a party can re-derive and compare it.
      const bytes = new TextEncoder().encode(canonicalJson(payload));
      return new CompactSign(bytes).setProtectedHeader({ alg: 'EdDSA', kid, typ: CONTRACT_JWS_TYPE }).sign(privateKey);
    },
    async verify(jws) {
      // `algorithms` pins EdDSA: a header naming another algorithm (`none`, HS256 with the public
      // key as secret…) is refused before any key is used.
      const { payload, protectedHeader } = await compactVerify(jws, publicKey, { algorithms: ['EdDSA'] }).catch((error: unknown) => {
        throw new ContractSignatureError(`signature de contrat invalide : ${(error as Error).message}`);
      });
      if (protectedHeader.kid !== kid) {
        throw new ContractSignatureError(
          `signature de contrat d’une autre clé (kid ${JSON.stringify(protectedHeader.kid ?? null)}, attendu ${kid})`,
        );
      }
      if (protectedHeader.typ !== CONTRACT_JWS_TYPE) {
        throw new ContractSignatureError(
          `type de signature inattendu ${JSON.stringify(protectedHeader.typ ?? null)} (attendu ${CONTRACT_JWS_TYPE})`,
        );
      }
      let text: string;
      let value: unknown;
      try {
        text = utf8.decode(payload);
        value = JSON.parse(text);
      } catch {
        throw new ContractSignatureError('le contenu signé n’est pas du JSON UTF-8');
      }
      // Only the canonical text is accepted: otherwise a payload with a duplicated key would read as
      // one agreement here (JSON.parse keeps the last value) and another in a verifier that keeps
      // the first, both under one valid signature.
      if (canonicalJson(value) !== text) {
        throw new ContractSignatureError('le contenu signé n’est pas du JSON canonique (RFC 8785)');
      }
      return value;
    },
    publicJwk() {
      return { kid, alg: 'EdDSA', jwk: { kty, crv, x, kid, alg: 'EdDSA', use: 'sig' } };
    },
  };
}

/** Loads the key, or makes one on first start (refusing a key file readable by others). */
export async function loadContractSigner(keyFile: string): Promise<ContractSigner> {
  try {
    const stat = await fs.stat(keyFile);
    if ((stat.mode & 0o077) !== 0) {
      throw new Error(
        `la clé des contrats ${keyFile} est lisible par d’autres comptes (mode ${(stat.mode & 0o777).toString(8)}) : chmod 600`,
      );
    }
    return await signerFrom(createPrivateKey(await fs.readFile(keyFile, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  await fs.mkdir(path.dirname(keyFile), { recursive: true, mode: 0o700 });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' });
  // `wx`: two nodes starting on one folder never overwrite each other's key; the loser reads the
  // winner's file, so both sign with the same key.
  await fs.writeFile(keyFile, pem, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return signerFrom(createPrivateKey(await fs.readFile(keyFile, 'utf8')));
}

import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { TlogCrypto } from '@confiance/contract';

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** The shared verification code (`contract/tlog`) run with node:crypto. */
export const nodeCrypto: TlogCrypto = {
  sha256: (bytes) => Promise.resolve(createHash('sha256').update(bytes).digest()),
  verifyEd25519: (publicKey, message, signature) => {
    try {
      return Promise.resolve(verify(null, message, publicKeyFromRaw(publicKey), signature));
    } catch {
      return Promise.resolve(false);
    }
  },
};

import { createHash, createPublicKey, verify } from 'node:crypto';
import type { TlogCrypto } from '@confiance/contract';

/** An Ed25519 public key as DER SubjectPublicKeyInfo is this fixed prefix followed by the 32 raw bytes. */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The primitives `@confiance/contract`'s log verification needs, from node:crypto. */
export const nodeCrypto: TlogCrypto = {
  sha256: (bytes) => Promise.resolve(new Uint8Array(createHash('sha256').update(bytes).digest())),
  verifyEd25519: (publicKey, message, signature) => {
    if (publicKey.length !== 32 || signature.length !== 64) return Promise.resolve(false);
    try {
      const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
      return Promise.resolve(verify(null, message, key, signature));
    } catch {
      // A 32-byte string that is not a point on the curve: no signature can verify with it.
      return Promise.resolve(false);
    }
  },
};

export function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

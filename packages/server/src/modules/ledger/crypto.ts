import { createHash, verify } from 'node:crypto';
import type { TlogCrypto } from '@confiance/contract';
import { publicKeyFromRaw } from './keys';

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

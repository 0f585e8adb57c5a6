/**
 * The primitives the log's maths needs, injected so the same code runs in Node (node:crypto) and in
 * the browser (WebCrypto `crypto.subtle.digest` / `verify('Ed25519', …)`), with no dependency.
 */
export type Sha256 = (bytes: Uint8Array) => Promise<Uint8Array>;

/** `publicKey` is the raw 32-byte RFC 8032 key, `signature` 64 bytes. Must return false, not throw, on a bad signature. */
export type VerifyEd25519 = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => Promise<boolean>;

export interface TlogCrypto {
  sha256: Sha256;
  verifyEd25519: VerifyEd25519;
}

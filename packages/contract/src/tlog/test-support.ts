/**
 * Test support only (imports node:): Node's primitives as the TlogCrypto the library expects, keys,
 * and the copied conformance fixtures. Never exported from index.ts, so bundles for the browser
 * never see it.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TlogCrypto } from './crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw 32-byte key follows. */
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
/** DER prefix of an Ed25519 PKCS #8 private key; the 32-byte seed follows. */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

export const nodeCrypto: TlogCrypto = {
  sha256: (bytes) => Promise.resolve(createHash('sha256').update(bytes).digest()),
  verifyEd25519: (publicKey, message, signature) => {
    if (publicKey.length !== 32) return Promise.resolve(false);
    const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519, publicKey]), format: 'der', type: 'spki' });
    return Promise.resolve(verify(null, message, key, signature));
  },
};

export const sha = nodeCrypto.sha256;

export function sha256Sync(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

export interface TestKey {
  publicKey: Uint8Array;
  sign: (message: Uint8Array) => Promise<Uint8Array>;
}

function fromPrivate(privateKey: KeyObject): TestKey {
  const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519.length);
  return { publicKey, sign: (message) => Promise.resolve(sign(null, message, privateKey)) };
}

export function generateEd25519(): TestKey {
  return fromPrivate(generateKeyPairSync('ed25519').privateKey);
}

export function ed25519FromSeed(seed: Uint8Array): TestKey {
  return fromPrivate(createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' }));
}

export const MERKLE_FIXTURES = fileURLToPath(new URL('../../test/fixtures/merkle/', import.meta.url));

export function readFixture<T>(relative: string): T {
  return JSON.parse(readFileSync(path.join(MERKLE_FIXTURES, relative), 'utf8')) as T;
}

/** Every JSON file under a fixture folder, with its path relative to the fixtures root. */
export function fixtureFiles(relative: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(MERKLE_FIXTURES, dir), { withFileTypes: true })) {
      const child = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.json')) out.push(child);
    }
  };
  walk(relative);
  return out.sort();
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing property case can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

import { TlogError } from './errors';

/**
 * Byte helpers that run unchanged in browsers (no Buffer). Decoders are strict: what they accept is
 * exactly what the matching encoder produces, so one value has one text form (a signed checkpoint
 * cannot be re-encoded into a different but "equivalent" text).
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_CODES = new Uint8Array(64);
const B64_VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  B64_CODES[i] = B64.charCodeAt(i);
  B64_VALUES[B64.charCodeAt(i)] = i;
}

const CHUNK = 0x2000;

function charCodesToString(codes: Uint8Array): string {
  if (codes.length <= CHUNK) return String.fromCharCode.apply(null, codes as unknown as number[]);
  let out = '';
  for (let i = 0; i < codes.length; i += CHUNK) {
    out += String.fromCharCode.apply(null, codes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return out;
}

/** Standard base64 (RFC 4648 §4) with padding. */
export function base64Encode(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = B64_CODES[v >>> 18]!;
    out[o++] = B64_CODES[(v >>> 12) & 63]!;
    out[o++] = B64_CODES[(v >>> 6) & 63]!;
    out[o++] = B64_CODES[v & 63]!;
  }
  if (i < n) {
    const two = i + 1 < n;
    const v = (bytes[i]! << 16) | (two ? bytes[i + 1]! << 8 : 0);
    out[o++] = B64_CODES[v >>> 18]!;
    out[o++] = B64_CODES[(v >>> 12) & 63]!;
    out[o++] = two ? B64_CODES[(v >>> 6) & 63]! : 61;
    out[o++] = 61;
  }
  return charCodesToString(out);
}

/** Strict standard base64: padding required, no whitespace, unused trailing bits must be zero. */
export function base64Decode(text: string): Uint8Array {
  const n = text.length;
  if (n % 4 !== 0) throw new TlogError('malformed_encoding', 'base64 length is not a multiple of 4');
  let pad = 0;
  if (n > 0 && text.charCodeAt(n - 1) === 61) pad = text.charCodeAt(n - 2) === 61 ? 2 : 1;
  const out = new Uint8Array((n / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < n; i += 4) {
    const last = i + 4 === n;
    const a = b64Value(text, i);
    const b = b64Value(text, i + 1);
    const c = last && pad === 2 ? 0 : b64Value(text, i + 2);
    const d = last && pad >= 1 ? 0 : b64Value(text, i + 3);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >>> 16;
    if (o < out.length) out[o++] = (v >>> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
    if (last && ((pad === 2 && (b & 15) !== 0) || (pad === 1 && (c & 3) !== 0))) {
      throw new TlogError('malformed_encoding', 'base64 has non-zero trailing bits');
    }
  }
  return out;
}

function b64Value(text: string, i: number): number {
  const code = text.charCodeAt(i);
  const v = code < 128 ? B64_VALUES[code]! : -1;
  if (v < 0) throw new TlogError('malformed_encoding', `invalid base64 character at ${i}`);
  return v;
}

const HEX_PAIRS: string[] = [];
for (let i = 0; i < 256; i++) HEX_PAIRS.push(i.toString(16).padStart(2, '0'));

/** Lowercase hex. */
export function hexEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_PAIRS[bytes[i]!]!;
  return out;
}

/** Hex in either case; an odd length or any other character is rejected. */
export function hexDecode(text: string): Uint8Array {
  if (text.length % 2 !== 0) throw new TlogError('malformed_encoding', 'hex length is odd');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexValue(text.charCodeAt(2 * i));
    const lo = hexValue(text.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new TlogError('malformed_encoding', `invalid hex character near ${2 * i}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

const encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF: stripping it would make two different byte strings decode alike.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Rejects invalid UTF-8 instead of replacing it with U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new TlogError('malformed_encoding', 'invalid UTF-8');
  }
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const TWO_32 = 0x1_0000_0000;

function assertUint(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new TlogError('malformed_encoding', `${what} must be an integer in 0..${max}, got ${value}`);
  }
}

export function uint32BE(value: number): Uint8Array {
  assertUint(value, 0xffff_ffff, 'uint32');
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

export function readUint32BE(bytes: Uint8Array, offset = 0): number {
  if (offset < 0 || offset + 4 > bytes.length) throw new TlogError('malformed_encoding', 'uint32 beyond the end of the bytes');
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

/** Values up to 2^53 − 1 (JavaScript's safe integers); larger uint64 values are rejected, never rounded. */
export function uint64BE(value: number): Uint8Array {
  assertUint(value, Number.MAX_SAFE_INTEGER, 'uint64');
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(value / TWO_32));
  view.setUint32(4, value % TWO_32);
  return out;
}

export function readUint64BE(bytes: Uint8Array, offset = 0): number {
  const hi = readUint32BE(bytes, offset);
  const lo = readUint32BE(bytes, offset + 4);
  if (hi >= 0x20_0000) throw new TlogError('malformed_encoding', 'uint64 above 2^53 − 1 cannot be represented exactly');
  return hi * TWO_32 + lo;
}

import { describe, expect, it } from 'vitest';
import {
  base64Decode,
  base64Encode,
  bytesEqual,
  concatBytes,
  hexDecode,
  hexEncode,
  readUint32BE,
  readUint64BE,
  uint32BE,
  uint64BE,
  utf8Decode,
  utf8Encode,
} from './encoding';
import { TlogError } from './errors';
import { seededRandom } from './test-support';

describe('base64', () => {
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('encodes %j as %s (RFC 4648 §10) and back', (text, encoded) => {
    expect(base64Encode(utf8Encode(text))).toBe(encoded);
    expect(utf8Decode(base64Decode(encoded))).toBe(text);
  });

  it('agrees with Node on random bytes of every length up to 300 and on 100 kB', () => {
    const random = seededRandom(1);
    for (let n = 0; n <= 300; n++) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
      const expected = Buffer.from(bytes).toString('base64');
      expect(base64Encode(bytes)).toBe(expected);
      expect(bytesEqual(base64Decode(expected), bytes)).toBe(true);
    }
    const big = Uint8Array.from({ length: 100_000 }, () => Math.floor(random() * 256));
    expect(base64Encode(big)).toBe(Buffer.from(big).toString('base64'));
  });

  it.each([
    ['missing padding', 'Zg'],
    ['a character outside the alphabet', 'Zm9-'],
    ['URL-safe characters', 'Zm9_'],
    ['whitespace', 'Zm9v\n'],
    ['padding in the middle', 'Zg==Zm9v'],
    ['three padding characters', 'Z==='],
    ['non-zero trailing bits (two pads)', 'Zh=='],
    ['non-zero trailing bits (one pad)', 'Zm9='],
    ['a non-ASCII character', 'Zm9€'],
  ])('rejects %s', (_, text) => {
    expect(() => base64Decode(text)).toThrow(TlogError);
  });
});

describe('hex', () => {
  it('round-trips in lowercase and accepts uppercase', () => {
    expect(hexEncode(Uint8Array.of(0, 1, 0xab, 0xff))).toBe('0001abff');
    expect(hexDecode('0001ABff')).toEqual(Uint8Array.of(0, 1, 0xab, 0xff));
  });
  it.each(['abc', 'zz', '0x00', ' 00'])('rejects %j', (text) => {
    expect(() => hexDecode(text)).toThrow(TlogError);
  });
});

describe('UTF-8', () => {
  it('keeps a leading byte-order mark instead of swallowing it', () => {
    expect(utf8Decode(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('\ufeffa');
  });
  it('rejects invalid sequences instead of replacing them', () => {
    expect(() => utf8Decode(Uint8Array.of(0x61, 0xff))).toThrow(TlogError);
    expect(() => utf8Decode(Uint8Array.of(0xc0, 0xaf))).toThrow(TlogError);
  });
});

describe('big-endian integers', () => {
  it('writes and reads uint32 and uint64', () => {
    expect(uint32BE(0xc74f20a3)).toEqual(Uint8Array.of(0xc7, 0x4f, 0x20, 0xa3));
    expect(readUint32BE(Uint8Array.of(9, 0xc7, 0x4f, 0x20, 0xa3), 1)).toBe(0xc74f20a3);
    expect(uint64BE(1679315147)).toEqual(Uint8Array.of(0, 0, 0, 0, 0x64, 0x18, 0x50, 0xcb));
    expect(uint64BE(Number.MAX_SAFE_INTEGER)).toEqual(Uint8Array.of(0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
    expect(readUint64BE(uint64BE(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(readUint64BE(concatBytes(Uint8Array.of(1), uint64BE(2 ** 40 + 5)), 1)).toBe(2 ** 40 + 5);
  });
  it('refuses what it cannot represent exactly', () => {
    expect(() => uint64BE(2 ** 53)).toThrow(TlogError);
    expect(() => uint64BE(-1)).toThrow(TlogError);
    expect(() => uint32BE(2 ** 32)).toThrow(TlogError);
    expect(() => readUint64BE(Uint8Array.of(0, 0x20, 0, 0, 0, 0, 0, 0))).toThrow(TlogError);
    expect(() => readUint32BE(Uint8Array.of(1, 2, 3))).toThrow(TlogError);
  });
});

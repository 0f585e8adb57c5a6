import { describe, expect, it } from 'vitest';
import { TlogError } from './errors';
import { canonicalJson, canonicalJsonBytes } from './jcs';

const bits = (hex: string) => new DataView(Uint8Array.from(hex.match(/../g)!, (b) => parseInt(b, 16)).buffer).getFloat64(0);

describe('RFC 8785 canonical JSON', () => {
  it('canonicalizes the RFC’s §3.2.2 example', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    expect(canonicalJson(JSON.parse(input))).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('sorts keys by UTF-16 code units (the RFC’s §3.2.3 example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const out = canonicalJson(input);
    expect([...out.matchAll(/"([^"]*)":/g)].map((m) => m[1])).toEqual(['\\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
    // A code-point sort would put U+FB33 before the emoji (U+1F600); UTF-16 puts its surrogate D83D first.
    expect(out.indexOf('\ud83d\ude00')).toBeLessThan(out.indexOf('\ufb33'));
  });

  it('orders accented keys after ASCII ones, and nested objects too', () => {
    expect(canonicalJson({ é: 1, e: 2, z: { b: [], a: {} }, E: null })).toBe('{"E":null,"e":2,"z":{"a":{},"b":[]},"é":1}');
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('serializes the IEEE 754 value %s as %s (RFC 8785 appendix B)', (hex, text) => {
    expect(canonicalJson(bits(hex))).toBe(text);
  });

  it('escapes only what it must, with lowercase hex and short forms', () => {
    expect(canonicalJson('\u0000\u0008\t\n\u000b\f\r\u001f"\\/\u007f\u2028é')).toBe(
      '"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f\\"\\\\/\u007f\u2028é"',
    );
  });

  it('encodes as UTF-8', () => {
    expect(canonicalJsonBytes({ a: '€' })).toEqual(Uint8Array.of(0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe2, 0x82, 0xac, 0x22, 0x7d));
  });

  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  it.each([
    ['NaN', NaN],
    ['Infinity', [Infinity]],
    ['-Infinity', { a: -Infinity }],
    ['undefined', undefined],
    ['an undefined property', { a: undefined }],
    ['a hole in an array', [1, , 3]],
    ['a bigint', 1n],
    ['a function', { f: () => 1 }],
    ['a symbol', Symbol('x')],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
    ['bytes', new Uint8Array(2)],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate in a key', { '\udc00x': 1 }],
    ['a cycle', cyclic],
  ])('rejects %s', (_, value) => {
    expect(() => canonicalJson(value)).toThrow(TlogError);
  });

  it('accepts repeated (non-cyclic) references and objects without prototype', () => {
    const shared = { x: 1 };
    const bare = Object.assign(Object.create(null) as object, { b: 1, a: 2 });
    expect(canonicalJson({ a: shared, b: shared, c: bare })).toBe('{"a":{"x":1},"b":{"x":1},"c":{"a":2,"b":1}}');
  });
});

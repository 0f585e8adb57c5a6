import { utf8Encode } from './encoding';
import { TlogError } from './errors';

/**
 * RFC 8785 JSON Canonicalization Scheme: the one text a JSON value hashes as. Leaf bytes and
 * commitments are hashes of this text, so two implementations (server, CLI, browser) must produce
 * it byte for byte.
 *
 * - object keys sorted by UTF-16 code units (what `Array.prototype.sort` does on strings);
 * - numbers as ECMAScript's Number.prototype.toString (what `JSON.stringify` does, −0 as `0`);
 * - strings with only `"`, `\` and U+0000–U+001F escaped, short forms where they exist.
 *
 * Anything JSON.stringify would silently drop or alter is rejected instead: `undefined`, NaN and
 * ±Infinity, functions, symbols, bigints, lone surrogates (not I-JSON), cycles, and objects that are
 * not plain (a Date or a class instance would serialize through `toJSON` or lose its fields, so a
 * caller could not predict the bytes it is committing to).
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, new Set(), '$');
}

/** The UTF-8 bytes of `canonicalJson(value)`: what gets hashed. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return utf8Encode(canonicalJson(value));
}

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serializeString(text: string, path: string): string {
  if (SURROGATE.test(text) && LONE_SURROGATE.test(text)) {
    throw new TlogError('not_canonicalizable', `${path}: string holds a lone surrogate`);
  }
  // For well-formed strings JSON.stringify escapes exactly what RFC 8785 §3.2.2.2 requires.
  return JSON.stringify(text);
}

function serialize(value: unknown, ancestors: Set<object>, path: string): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'number':
      if (!Number.isFinite(value)) throw new TlogError('not_canonicalizable', `${path}: ${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    case 'undefined':
    case 'bigint':
    case 'symbol':
    case 'function':
      throw new TlogError('not_canonicalizable', `${path}: a ${typeof value} has no JSON form`);
  }
  if (value === null) return 'null';
  if (ancestors.has(value)) throw new TlogError('not_canonicalizable', `${path}: cycle`);
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += serialize(value[i], ancestors, `${path}[${i}]`);
    }
    out += ']';
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new TlogError('not_canonicalizable', `${path}: only plain objects and arrays are canonicalized`);
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    out = '{';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (i > 0) out += ',';
      out += serializeString(key, path);
      out += ':';
      out += serialize(record[key], ancestors, `${path}.${key}`);
    }
    out += '}';
  }
  ancestors.delete(value);
  return out;
}

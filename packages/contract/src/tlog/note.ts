import type { Sha256, TlogCrypto } from './crypto';
import {
  base64Decode,
  base64Encode,
  concatBytes,
  hexEncode,
  readUint32BE,
  readUint64BE,
  uint32BE,
  uint64BE,
  utf8Decode,
  utf8Encode,
} from './encoding';
import { TlogError, isTlogError } from './errors';
import { HASH_SIZE } from './merkle';

/**
 * C2SP signed-note (https://c2sp.org/signed-note), tlog-checkpoint (https://c2sp.org/tlog-checkpoint)
 * and tlog-cosignature v1 (https://c2sp.org/tlog-cosignature), written to accept and produce what
 * Go's golang.org/x/mod/sumdb/note does.
 *
 * Signing needs a private key and happens where it lives (node:crypto on the server, the witness's
 * CLI): callers build the exact bytes with `noteSigningInput` / `cosignatureMessage` and plug in
 * their `sign`.
 */

/** Signature type byte of plain Ed25519 note signatures (the log's own key). */
export const SIGNATURE_TYPE_ED25519 = 0x01;
/** Signature type byte of timestamped Ed25519 witness cosignatures (cosignature/v1). */
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;

const ED25519_KEY_SIZE = 32;
const ED25519_SIGNATURE_SIZE = 64;
/** Go's note.Open refuses more; the spec requires accepting at least 16. */
export const MAX_NOTE_SIGNATURES = 100;

const SIGNATURE_PREFIX = '\u2014 ';
const COSIGNATURE_HEADER = 'cosignature/v1\n';

/** A parsed verifier key (`<name>+<key ID hex>+<base64(type ‖ public key)>`). */
export interface VerifierKey {
  name: string;
  /** uint32, the first four bytes of SHA-256(name ‖ 0x0A ‖ type ‖ publicKey), big-endian. */
  keyId: number;
  type: typeof SIGNATURE_TYPE_ED25519 | typeof SIGNATURE_TYPE_COSIGNATURE_V1;
  /** The raw 32-byte Ed25519 key, without the type byte. */
  publicKey: Uint8Array;
}

export interface NoteSignature {
  name: string;
  keyId: number;
  /** The signature bytes after the key ID (for a cosignature: timestamp ‖ Ed25519 signature). */
  signature: Uint8Array;
  /** The signature line without its newline, as it appears in the note. */
  line: string;
}

export interface ParsedNote {
  /** The signed text, ending in a newline. */
  body: string;
  signatures: NoteSignature[];
}

export interface VerifiedSignature extends NoteSignature {
  key: VerifierKey;
  /** For a cosignature: the witness's POSIX time of signing, in seconds. */
  time?: number;
}

export interface VerifiedNote {
  body: string;
  verified: VerifiedSignature[];
  /** Signatures from keys the caller did not configure: ignored, as the spec requires. */
  unverified: NoteSignature[];
}

/** Go's unicode.IsSpace: key names must contain none. */
const UNICODE_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const FORBIDDEN_CONTROL = /[\u0000-\u0009\u000b-\u001f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !UNICODE_SPACE.test(name) && !name.includes('+') && !LONE_SURROGATE.test(name);
}

function assertKeyName(name: string, code: 'malformed_note' | 'malformed_verifier_key'): void {
  if (!isValidKeyName(name)) throw new TlogError(code, `invalid key name ${JSON.stringify(name)}: empty, or holds a space or a plus`);
}

/** Notes are valid UTF-8 with no ASCII control character other than newline. */
function assertNoteText(text: string, what: string): void {
  if (FORBIDDEN_CONTROL.test(text)) throw new TlogError('malformed_note', `${what} holds a control character`);
  if (LONE_SURROGATE.test(text)) throw new TlogError('malformed_note', `${what} is not valid Unicode`);
}

function asText(note: string | Uint8Array): string {
  if (typeof note === 'string') return note;
  try {
    return utf8Decode(note);
  } catch {
    throw new TlogError('malformed_note', 'note is not valid UTF-8');
  }
}

/** uint32 key ID = SHA-256(name ‖ 0x0A ‖ type ‖ publicKey)[:4], big-endian. */
export async function keyId(sha: Sha256, name: string, type: number, publicKey: Uint8Array): Promise<number> {
  const digest = await sha(concatBytes(utf8Encode(name), Uint8Array.of(0x0a, type), publicKey));
  return readUint32BE(digest, 0);
}

/** Eight lowercase hex digits, as Go's `%08x`. */
export function formatKeyId(id: number): string {
  return hexEncode(uint32BE(id));
}

/** Parses a verifier key and checks that its key ID is the one its name and key hash to. */
export async function parseVerifierKey(sha: Sha256, vkey: string): Promise<VerifierKey> {
  const bad = (why: string) => new TlogError('malformed_verifier_key', `verifier key: ${why}`);
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) throw bad('want <name>+<key ID>+<key>');
  const name = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  assertKeyName(name, 'malformed_verifier_key');
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) throw bad('key ID must be 8 hex digits');
  let key: Uint8Array;
  try {
    key = base64Decode(vkey.slice(second + 1));
  } catch {
    throw bad('key is not base64');
  }
  if (key.length === 0) throw bad('empty key');
  const id = Number.parseInt(idHex, 16);
  const type = key[0]!;
  const publicKey = key.subarray(1);
  if ((await keyId(sha, name, type, publicKey)) !== id) {
    throw new TlogError('key_id_mismatch', `key ID ${idHex} is not the hash of ${name}'s key`);
  }
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new TlogError('unknown_algorithm', `signature type 0x${type.toString(16).padStart(2, '0')} is not supported`);
  }
  if (publicKey.length !== ED25519_KEY_SIZE) throw bad(`Ed25519 key is ${publicKey.length} bytes, want 32`);
  return { name, keyId: id, type, publicKey };
}

/** Builds a verifier key from a raw Ed25519 public key: `<name>+<key ID hex>+<base64(type ‖ key)>`. */
export async function formatVerifierKey(sha: Sha256, name: string, type: VerifierKey['type'], publicKey: Uint8Array): Promise<string> {
  assertKeyName(name, 'malformed_verifier_key');
  if (publicKey.length !== ED25519_KEY_SIZE) throw new TlogError('malformed_verifier_key', 'an Ed25519 public key is 32 bytes');
  const id = await keyId(sha, name, type, publicKey);
  return `${name}+${formatKeyId(id)}+${base64Encode(concatBytes(Uint8Array.of(type), publicKey))}`;
}

/** A VerifierKey from a raw Ed25519 public key. */
export async function verifierKeyFromPublicKey(
  sha: Sha256,
  name: string,
  type: VerifierKey['type'],
  publicKey: Uint8Array,
): Promise<VerifierKey> {
  return parseVerifierKey(sha, await formatVerifierKey(sha, name, type, publicKey));
}

function resolveKey(sha: Sha256, key: VerifierKey | string): Promise<VerifierKey> {
  return typeof key === 'string' ? parseVerifierKey(sha, key) : Promise.resolve(key);
}

/** Splits a note into its text and signature lines (RFC: the text ends at the last blank line). */
export function parseNote(note: string | Uint8Array): ParsedNote {
  const text = asText(note);
  assertNoteText(text, 'note');
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw new TlogError('malformed_note', 'no blank line before the signatures');
  const body = text.slice(0, split + 1);
  const block = text.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n'))
    throw new TlogError('malformed_note', 'signature block must be newline-terminated lines');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw new TlogError('malformed_note', `more than ${MAX_NOTE_SIGNATURES} signatures`);
  return { body, signatures: lines.map(parseSignatureLine) };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) throw new TlogError('malformed_note', 'signature line must start with an em dash and a space');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const encoded = space < 0 ? '' : rest.slice(space + 1);
  assertKeyName(name, 'malformed_note');
  let raw: Uint8Array;
  try {
    raw = base64Decode(encoded);
  } catch {
    throw new TlogError('malformed_note', `signature of ${name} is not base64`);
  }
  if (raw.length < 5) throw new TlogError('malformed_note', `signature of ${name} is too short`);
  return { name, keyId: readUint32BE(raw, 0), signature: raw.subarray(4), line };
}

/** `— <name> <base64(keyID ‖ signature)>`, without the newline. */
export function formatSignatureLine(name: string, id: number, signature: Uint8Array): string {
  assertKeyName(name, 'malformed_note');
  return `${SIGNATURE_PREFIX}${name} ${base64Encode(concatBytes(uint32BE(id), signature))}`;
}

/** The bytes a note signer signs: the body itself, once checked to be a valid note text. */
export function noteSigningInput(body: string): Uint8Array {
  if (body.length === 0 || !body.endsWith('\n')) throw new TlogError('malformed_note', 'note text must end with a newline');
  assertNoteText(body, 'note text');
  return utf8Encode(body);
}

/** Body, blank line, one signature line each. */
export function formatNote(body: string, signatureLines: readonly string[]): string {
  noteSigningInput(body);
  if (signatureLines.length === 0) throw new TlogError('malformed_note', 'a note needs at least one signature');
  for (const line of signatureLines) parseSignatureLine(line);
  return `${body}\n${signatureLines.join('\n')}\n`;
}

export interface NoteSigner {
  name: string;
  keyId: number;
  /** Ed25519 over the message, e.g. `(m) => crypto.sign(null, m, privateKey)` in Node. */
  sign: (message: Uint8Array) => Promise<Uint8Array>;
}

/** Signs `body` with plain Ed25519 note signatures and returns the whole note. */
export async function signNote(body: string, signers: readonly NoteSigner[]): Promise<string> {
  const input = noteSigningInput(body);
  const lines = await Promise.all(signers.map(async (s) => formatSignatureLine(s.name, s.keyId, await s.sign(input))));
  return formatNote(body, lines);
}

/** The one configured key with this name and ID. Unlike Go, the same key listed twice is not ambiguous: it verifies alike. */
function findKey(keys: readonly VerifierKey[], name: string, id: number): VerifierKey | undefined {
  let found: VerifierKey | undefined;
  for (const key of keys) {
    if (key.name !== name || key.keyId !== id) continue;
    if (found && !samePublicKey(found, key)) throw new TlogError('ambiguous_key', `two keys named ${name}+${formatKeyId(id)}`);
    found = key;
  }
  return found;
}

function samePublicKey(a: VerifierKey, b: VerifierKey): boolean {
  return a.type === b.type && base64Encode(a.publicKey) === base64Encode(b.publicKey);
}

/**
 * Opens a note: every signature from a configured key must verify (one that fails rejects the whole
 * note: a log or witness whose key signs garbage is a key to distrust), signatures from other keys
 * are ignored, and at least one must verify. Ed25519 keys (type 0x01) verify the text; cosignature
 * keys (type 0x04) verify `cosignature/v1` messages over it.
 */
export async function verifyNote(
  crypto: TlogCrypto,
  note: string | Uint8Array,
  verifierKeys: readonly (VerifierKey | string)[],
): Promise<VerifiedNote> {
  const { body, signatures } = parseNote(note);
  const keys = await Promise.all(verifierKeys.map((key) => resolveKey(crypto.sha256, key)));
  const bodyBytes = utf8Encode(body);
  const unverified: NoteSignature[] = [];
  const seenUnverified = new Set<string>();
  const seen = new Set<string>();
  const checks: Promise<VerifiedSignature>[] = [];
  for (const signature of signatures) {
    const key = findKey(keys, signature.name, signature.keyId);
    if (!key) {
      // Repeated identical lines from unknown keys are listed once.
      if (!seenUnverified.has(signature.line)) unverified.push(signature);
      seenUnverified.add(signature.line);
      continue;
    }
    const id = `${signature.name}+${signature.keyId}`;
    if (seen.has(id)) continue;
    seen.add(id);
    checks.push(verifyOne(crypto, key, signature, body, bodyBytes));
  }
  const verified = await Promise.all(checks);
  if (verified.length === 0) throw new TlogError('unverified_note', 'no signature from a known key');
  return { body, verified, unverified };
}

async function verifyOne(
  crypto: TlogCrypto,
  key: VerifierKey,
  signature: NoteSignature,
  body: string,
  bodyBytes: Uint8Array,
): Promise<VerifiedSignature> {
  const invalid = () => new TlogError('invalid_signature', `invalid signature for key ${key.name}+${formatKeyId(key.keyId)}`);
  if (key.type === SIGNATURE_TYPE_ED25519) {
    if (signature.signature.length !== ED25519_SIGNATURE_SIZE) throw invalid();
    if (!(await crypto.verifyEd25519(key.publicKey, bodyBytes, signature.signature))) throw invalid();
    return { ...signature, key };
  }
  if (signature.signature.length !== 8 + ED25519_SIGNATURE_SIZE) throw invalid();
  let time: number;
  try {
    time = readUint64BE(signature.signature, 0);
  } catch {
    throw invalid();
  }
  const message = cosignatureMessage(body, time);
  if (!(await crypto.verifyEd25519(key.publicKey, message, signature.signature.subarray(8)))) throw invalid();
  return { ...signature, key, time };
}

// ---------------------------------------------------------------------------------------------
// tlog-checkpoint

export interface Checkpoint {
  /** The log's identity, e.g. `confiance.example.org/ledger`. */
  origin: string;
  size: number;
  /** RFC 6962 root hash of the tree of `size` leaves. */
  root: Uint8Array;
  /** Opaque extra lines (not recommended, not auditable). */
  extensions: string[];
}

const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/** `origin\nsize\nbase64(root)\n[extension lines\n]`: the note text a log signs. */
export function formatCheckpoint(checkpoint: { origin: string; size: number; root: Uint8Array; extensions?: readonly string[] }): string {
  const { origin, size, root, extensions = [] } = checkpoint;
  const bad = (why: string) => new TlogError('malformed_checkpoint', why);
  if (origin.length === 0 || origin.includes('\n')) throw bad('origin must be one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) throw bad(`tree size must be a non-negative safe integer, got ${size}`);
  if (root.length !== HASH_SIZE) throw bad(`root hash is ${root.length} bytes, want 32`);
  for (const line of extensions) if (line.length === 0 || line.includes('\n')) throw bad('extension lines must be non-empty single lines');
  const body = [origin, String(size), base64Encode(root), ...extensions].join('\n') + '\n';
  try {
    assertNoteText(body, 'checkpoint');
  } catch (error) {
    throw isTlogError(error) ? bad(error.message) : error;
  }
  return body;
}

/** Parses a checkpoint note text strictly: one spelling per checkpoint. */
export function parseCheckpoint(body: string): Checkpoint {
  const bad = (why: string) => new TlogError('malformed_checkpoint', `checkpoint: ${why}`);
  if (!body.endsWith('\n')) throw bad('must end with a newline');
  if (FORBIDDEN_CONTROL.test(body) || LONE_SURROGATE.test(body)) throw bad('holds a control character or invalid Unicode');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) throw bad('needs origin, size and root lines');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw bad('empty origin');
  if (!DECIMAL.test(sizeText)) throw bad('tree size must be decimal without leading zeros');
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw bad('tree size above 2^53 − 1 is not supported');
  let root: Uint8Array;
  try {
    root = base64Decode(rootText);
  } catch {
    throw bad('root hash is not base64');
  }
  if (root.length !== HASH_SIZE) throw bad(`root hash is ${root.length} bytes, want 32`);
  if (extensions.some((line) => line.length === 0)) throw bad('empty extension line');
  return { origin, size, root, extensions };
}

export interface VerifiedCheckpoint {
  checkpoint: Checkpoint;
  body: string;
  /** The log's own signature. */
  log: VerifiedSignature;
  /** Verified signatures of the configured witnesses (cosignatures carry their timestamp). */
  witnesses: VerifiedSignature[];
  unverified: NoteSignature[];
}

/** Opens a signed checkpoint: the log's key must have signed it; configured witnesses' cosignatures are checked too. */
export async function verifyCheckpoint(
  crypto: TlogCrypto,
  note: string | Uint8Array,
  log: VerifierKey | string,
  witnesses: readonly (VerifierKey | string)[] = [],
): Promise<VerifiedCheckpoint> {
  const logKey = await resolveKey(crypto.sha256, log);
  const witnessKeys = await Promise.all(witnesses.map((key) => resolveKey(crypto.sha256, key)));
  const opened = await verifyNote(crypto, note, [logKey, ...witnessKeys]);
  const logSignature = opened.verified.find((s) => s.key === logKey);
  if (!logSignature) throw new TlogError('unverified_note', `checkpoint is not signed by ${logKey.name}+${formatKeyId(logKey.keyId)}`);
  return {
    checkpoint: parseCheckpoint(opened.body),
    body: opened.body,
    log: logSignature,
    witnesses: opened.verified.filter((s) => s !== logSignature),
    unverified: opened.unverified,
  };
}

// ---------------------------------------------------------------------------------------------
// tlog-cosignature (cosignature/v1, Ed25519, key type 0x04)

/** `cosignature/v1\ntime <t>\n` + checkpoint body: what a witness signs. */
export function cosignatureMessage(body: string, time: number): Uint8Array {
  if (!Number.isSafeInteger(time) || time < 0) throw new TlogError('malformed_cosignature', `invalid time ${time}`);
  noteSigningInput(body);
  return utf8Encode(`${COSIGNATURE_HEADER}time ${time}\n${body}`);
}

export interface Cosignature {
  name: string;
  keyId: number;
  /** The witness's POSIX time of signing, in seconds. */
  time: number;
  /** 64-byte Ed25519 signature. */
  signature: Uint8Array;
}

/** `— <name> base64(keyID ‖ uint64 timestamp ‖ signature)`, without the newline. */
export function formatCosignatureLine(cosignature: Cosignature): string {
  if (cosignature.signature.length !== ED25519_SIGNATURE_SIZE)
    throw new TlogError('malformed_cosignature', 'an Ed25519 signature is 64 bytes');
  return formatSignatureLine(cosignature.name, cosignature.keyId, concatBytes(uint64BE(cosignature.time), cosignature.signature));
}

/** Parses one cosignature line (a trailing newline is allowed). */
export function parseCosignature(line: string): Cosignature {
  let parsed: NoteSignature;
  try {
    parsed = parseSignatureLine(line.endsWith('\n') ? line.slice(0, -1) : line);
  } catch (error) {
    throw isTlogError(error) ? new TlogError('malformed_cosignature', error.message) : error;
  }
  if (parsed.signature.length !== 8 + ED25519_SIGNATURE_SIZE) {
    throw new TlogError('malformed_cosignature', `cosignature is ${4 + parsed.signature.length} bytes, want 76`);
  }
  let time: number;
  try {
    time = readUint64BE(parsed.signature, 0);
  } catch {
    throw new TlogError('malformed_cosignature', 'time beyond 2^53 − 1');
  }
  return { name: parsed.name, keyId: parsed.keyId, time, signature: parsed.signature.subarray(8) };
}

/** Checks one witness's cosignature line over a checkpoint body; resolves to it, or throws. */
export async function verifyCosignature(
  crypto: TlogCrypto,
  witness: VerifierKey | string,
  body: string,
  line: string,
): Promise<Cosignature> {
  const witnessKey = await resolveKey(crypto.sha256, witness);
  const cosignature = parseCosignature(line);
  if (witnessKey.type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new TlogError('unknown_algorithm', `${witnessKey.name} is not a cosignature/v1 key (type 0x04)`);
  }
  if (cosignature.name !== witnessKey.name || cosignature.keyId !== witnessKey.keyId) {
    throw new TlogError('key_id_mismatch', `cosignature is from ${cosignature.name}+${formatKeyId(cosignature.keyId)}, not this witness`);
  }
  const message = cosignatureMessage(body, cosignature.time);
  if (!(await crypto.verifyEd25519(witnessKey.publicKey, message, cosignature.signature))) {
    throw new TlogError('invalid_signature', `invalid cosignature from ${witnessKey.name}`);
  }
  return cosignature;
}

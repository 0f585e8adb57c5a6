import { isUtf8 } from 'node:buffer';
import fs from 'node:fs/promises';
import iconv from 'iconv-lite';
import { IngestError, throwIfAborted } from './errors';
import type { TextEncoding } from './types';

/**
 * Text encodings, read in fixed-size chunks so that memory stays flat whatever the file size.
 *
 * DuckDB's CSV and JSON readers accept UTF-8 only (they reject Windows-1252 bytes such as 0x80 "€"
 * or 0x9C "œ" even when told `latin-1`), and Node 20's TextDecoder('windows-1252') decodes those
 * bytes as Latin-1 controls: so anything that is not UTF-8 is transcoded here with iconv-lite,
 * into a UTF-8 copy DuckDB reads instead.
 */

const CHUNK_BYTES = 1 << 20;

export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface Bom {
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  length: number;
}

export function detectBom(head: Uint8Array): Bom | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

export async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await fs.open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Files people upload by mistake, recognised by their first bytes, with what to do instead. */
const MAGIC_NUMBERS: Array<{ bytes: number[]; what: string }> = [
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    what: 'une archive ZIP (ou un classeur Excel/LibreOffice) ; pour un flux GTFS choisissez le format GTFS, sinon enregistrez la feuille en CSV',
  },
  { bytes: [0x1f, 0x8b], what: 'un fichier compressé gzip ; décompressez-le avant de l’importer' },
  { bytes: [0x50, 0x41, 0x52, 0x31], what: 'un fichier Parquet ; choisissez le format Parquet' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'un document PDF ; exportez les données en CSV' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'un classeur Excel ancien format (.xls) ; enregistrez la feuille en CSV' },
];

/**
 * Refuses binary content before any reader sees it. A NUL byte never occurs in UTF-8 or
 * single-byte text, and a text file has almost no other control characters, whereas random or
 * compressed bytes are full of both.
 */
export function assertLooksLikeText(head: Uint8Array, expected: string): void {
  for (const magic of MAGIC_NUMBERS)
    if (magic.bytes.every((b, i) => head[i] === b))
      throw new IngestError('not_text', `Ce fichier n’est pas un ${expected} mais ${magic.what}.`, { line: 1 });
  const bom = detectBom(head);
  if (bom?.encoding === 'utf-16le' || bom?.encoding === 'utf-16be') return;
  let controls = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b === 0) {
      throw new IngestError(
        'not_text',
        `Ce fichier ne contient pas du texte (octet nul à la position ${i + 1}) : ce n’est pas un ${expected}. Vérifiez que vous avez choisi le bon fichier, ou exportez les données en CSV.`,
        { line: lineOfOffset(head, i) },
      );
    }
    if (b < 0x20 ? b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c : b === 0x7f) controls++;
  }
  if (controls > Math.max(8, head.length * 0.01))
    throw new IngestError(
      'not_text',
      `Ce fichier contient ${controls} caractères de contrôle dans ses premiers octets : ce n’est pas un ${expected} lisible. Vérifiez que vous avez choisi le bon fichier, ou exportez les données en CSV.`,
      { line: 1 },
    );
}

function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** 1-based line of a byte offset, counted by re-reading the file (only on the error path). */
export async function lineAtOffset(path: string, offset: number): Promise<number> {
  const handle = await fs.open(path, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let line = 1;
    let position = 0;
    while (position < offset) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, offset - position), position);
      if (bytesRead === 0) break;
      for (let at = buffer.indexOf(0x0a, 0); at !== -1 && at < bytesRead; at = buffer.indexOf(0x0a, at + 1)) line++;
      position += bytesRead;
    }
    return line;
  } finally {
    await handle.close();
  }
}

/** Length of the UTF-8 sequence a lead byte starts (0 if it cannot start one). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Bytes at the end of a chunk that may be the start of a sequence continued in the next chunk. */
function incompleteTail(chunk: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, chunk.length); back++) {
    const b = chunk[chunk.length - back]!;
    if (b < 0x80) return 0;
    if (b >= 0xc0) return sequenceLength(b) > back ? back : 0;
  }
  return 0;
}

function isValidSequence(bytes: Uint8Array, at: number, length: number): boolean {
  if (length === 0 || at + length > bytes.length) return false;
  for (let k = 1; k < length; k++) if ((bytes[at + k]! & 0xc0) !== 0x80) return false;
  const lead = bytes[at]!;
  const second = bytes[at + 1]!;
  // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are invalid UTF-8.
  if (lead === 0xe0 && second < 0xa0) return false;
  if (lead === 0xed && second > 0x9f) return false;
  if (lead === 0xf0 && second < 0x90) return false;
  if (lead === 0xf4 && second > 0x8f) return false;
  return true;
}

export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(b);
    if (!isValidSequence(bytes, i, length)) return i;
    i += length;
  }
  return -1;
}

export interface ScanProgress {
  (bytesRead: number): void;
}

/**
 * Streams the file through a UTF-8 check (simdutf, through `buffer.isUtf8`): returns the byte
 * offset of the first invalid sequence, or -1 when the whole file is valid UTF-8.
 */
export async function findInvalidUtf8(path: string, onProgress: ScanProgress, signal?: AbortSignal): Promise<number> {
  const handle = await fs.open(path, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES + 3);
    let carried = 0;
    let position = 0;
    for (;;) {
      throwIfAborted(signal);
      const { bytesRead } = await handle.read(buffer, carried, CHUNK_BYTES, position);
      const end = carried + bytesRead;
      const last = bytesRead === 0;
      const tail = last ? 0 : incompleteTail(buffer.subarray(0, end));
      const checked = buffer.subarray(0, end - tail);
      if (!isUtf8(checked)) return position - carried + firstInvalidUtf8(checked);
      if (last) return -1;
      buffer.copy(buffer, 0, end - tail, end);
      carried = tail;
      position += bytesRead;
      onProgress(position);
    }
  } finally {
    await handle.close();
  }
}

export interface TranscodeResult {
  encoding: TextEncoding;
}

/**
 * Windows-1252 as UTF-8 bytes, one entry per byte value, taken from iconv-lite once. Mapping the
 * bytes through this table runs about five times faster than decoding to a JavaScript string and
 * encoding it back, and lets the same loop take the census below.
 */
let windows1252Table: Uint8Array[] | undefined;
function windows1252ToUtf8(): Uint8Array[] {
  if (!windows1252Table) {
    const chars = iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), 'windows-1252');
    windows1252Table = Array.from(chars, (c) => new Uint8Array(Buffer.from(c, 'utf8')));
  }
  return windows1252Table;
}

/**
 * Writes a UTF-8 copy of a file that is not UTF-8: UTF-16 when it has a UTF-16 BOM, otherwise
 * Windows-1252. Windows-1252 is a superset of ISO-8859-1 for every printable character, so the
 * same decoding serves both; the name reported is `iso-8859-1` when no byte in 0x80–0x9F occurs
 * (the only range where they differ: €, œ, ’ in one, control codes in the other).
 *
 * A file that is mostly valid UTF-8 with a few stray bytes was spliced from two encodings:
 * decoding it either way would garble one part, so it is refused with the line of the first stray
 * byte. "Mostly" means more well-formed multi-byte UTF-8 sequences than stray bytes: in real
 * Windows-1252 text, an accented letter followed by a byte that makes it valid UTF-8 is rare.
 */
export async function transcodeToUtf8(
  source: string,
  destination: string,
  from: 'windows-1252' | 'utf-16le' | 'utf-16be',
  skipBytes: number,
  onProgress: ScanProgress,
  signal?: AbortSignal,
): Promise<TranscodeResult> {
  const input = await fs.open(source, 'r');
  const output = await fs.open(destination, 'w');
  let utf8Sequences = 0;
  let strayBytes = 0;
  let c1 = false;
  let firstStray = -1;
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    const out = Buffer.alloc(CHUNK_BYTES * 3);
    const decoder = from === 'windows-1252' ? null : iconv.getDecoder(from);
    const table = windows1252ToUtf8();
    let position = skipBytes;
    // Continuation bytes still to skip in the census (a sequence may straddle two chunks).
    let continuation = 0;
    for (;;) {
      throwIfAborted(signal);
      const { bytesRead } = await input.read(buffer, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      if (decoder) {
        const text = decoder.write(chunk);
        if (text) await output.write(Buffer.from(text, 'utf8'));
      } else {
        let o = 0;
        for (let i = 0; i < bytesRead; i++) {
          const b = chunk[i]!;
          if (b < 0x80) {
            out[o++] = b;
            continuation = 0;
            continue;
          }
          if (continuation > 0) continuation--;
          else {
            const length = sequenceLength(b);
            if (length > 1 && (i + length > bytesRead || isValidSequence(chunk, i, length))) {
              utf8Sequences++;
              continuation = length - 1;
            } else {
              strayBytes++;
              if (b <= 0x9f) c1 = true;
              if (firstStray < 0) firstStray = position + i;
            }
          }
          const utf8 = table[b]!;
          for (let k = 0; k < utf8.length; k++) out[o++] = utf8[k]!;
        }
        await output.write(out, 0, o);
      }
      position += bytesRead;
      onProgress(position);
    }
    const rest = decoder?.end();
    if (rest) await output.write(Buffer.from(rest, 'utf8'));
  } finally {
    await input.close();
    await output.close();
  }
  if (from !== 'windows-1252') return { encoding: from };
  if (utf8Sequences > strayBytes) {
    const line = await lineAtOffset(source, firstStray);
    throw new IngestError(
      'encoding_mismatch',
      `Le fichier mélange deux encodages : il est surtout en UTF-8, mais la ligne ${line} contient des caractères dans un autre encodage (sans doute Windows-1252). Réenregistrez tout le fichier en UTF-8 (par exemple « CSV UTF-8 » dans votre tableur), puis réessayez.`,
      { line },
    );
  }
  return { encoding: c1 ? 'windows-1252' : 'iso-8859-1' };
}

import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { IngestContext } from './context';
import { assertLooksLikeText, detectBom, findInvalidUtf8, lineAtOffset, readHead, transcodeToUtf8 } from './encoding';
import { IngestError, throwIfAborted } from './errors';
import type { TextEncoding } from './types';

export interface Utf8Text {
  /** The original file when it already is UTF-8, else a transcoded copy in the work folder. */
  path: string;
  encoding: TextEncoding;
  bom: boolean;
}

const HEAD_BYTES = 64 * 1024;

/**
 * Makes sure DuckDB reads UTF-8: checks the whole file (streamed), and transcodes it when it is
 * not. A UTF-8 byte-order mark followed by bytes that are not UTF-8 is a file that lies about
 * itself: refused rather than guessed.
 */
export async function asUtf8Text(
  ctx: IngestContext,
  file: string,
  size: number,
  what: string,
  options: { stripBom?: boolean } = {},
): Promise<Utf8Text> {
  ctx.progress('scanning', 0, size);
  const head = await readHead(file, HEAD_BYTES);
  assertLooksLikeText(head, what);
  const bom = detectBom(head);
  const copy = path.join(ctx.workDir, `${path.basename(file)}.utf8`);
  if (bom && bom.encoding !== 'utf-8') {
    const { encoding } = await transcodeToUtf8(
      file,
      copy,
      bom.encoding,
      bom.length,
      (n) => ctx.progress('transcoding', n, size),
      ctx.signal,
    );
    return { path: copy, encoding, bom: true };
  }
  const invalidAt = await findInvalidUtf8(file, (n) => ctx.progress('scanning', n, size), ctx.signal);
  throwIfAborted(ctx.signal);
  if (invalidAt < 0) {
    if (!bom || !options.stripBom) return { path: file, encoding: 'utf-8', bom: bom !== null };
    // DuckDB's JSON reader refuses a byte-order mark (its CSV reader skips it).
    await pipeline(createReadStream(file, { start: bom.length }), createWriteStream(copy));
    return { path: copy, encoding: 'utf-8', bom: true };
  }
  if (bom) {
    const line = await lineAtOffset(file, invalidAt);
    throw new IngestError(
      'encoding_mismatch',
      `Le fichier se déclare en UTF-8 (il commence par une marque BOM), mais la ligne ${line} contient des octets qui ne sont pas de l’UTF-8 (sans doute du Windows-1252). Réenregistrez-le en « CSV UTF-8 » depuis votre tableur, ou retirez la marque BOM, puis réessayez.`,
      { line },
    );
  }
  const { encoding } = await transcodeToUtf8(file, copy, 'windows-1252', 0, (n) => ctx.progress('transcoding', n, size), ctx.signal);
  return { path: copy, encoding, bom: false };
}

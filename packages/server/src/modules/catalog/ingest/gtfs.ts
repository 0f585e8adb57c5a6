import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { IngestContext, TableDraft } from './context';
import { ingestDelimited } from './csv';
import { tableNameFrom } from './dialect';
import { IngestError, throwIfAborted } from './errors';
import type { TypeHint } from './infer';
import type { SourceDescription } from './types';

/**
 * A GTFS feed (a zip of comma-separated `.txt` tables) becomes one table per file.
 *
 * The archive is read from its central directory, file by file, each entry inflated as a stream
 * by node:zlib (native, and it streams: a 2 GB `stop_times.txt` never sits in memory) with its
 * CRC-32 checked. The central directory is at the end of the archive, so a truncated upload is
 * caught before anything is extracted, and its declared sizes let a zip bomb be refused up front.
 */

/** GTFS dates are `YYYYMMDD` (calendar, calendar_dates, feed_info); elsewhere eight digits are a number. */
const GTFS_HINTS: Record<string, TypeHint> = {
  date: 'compact-date',
  start_date: 'compact-date',
  end_date: 'compact-date',
  feed_start_date: 'compact-date',
  feed_end_date: 'compact-date',
};

/** GTFS text compresses about tenfold; far beyond that is a zip bomb, not a feed. */
const MAX_EXPANSION = 100;
const MIN_UNCOMPRESSED_ALLOWANCE = 1 << 30;

interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export async function ingestGtfs(
  ctx: IngestContext,
  file: { path: string; bytes: number },
): Promise<{ tables: TableDraft[]; source: Omit<SourceDescription, 'format' | 'bytes'> }> {
  const entries = await readCentralDirectory(file.path, file.bytes);
  const tables = entries.filter((e) => /\.txt$/i.test(e.name) && !e.name.endsWith('/') && !/(^|\/)(__MACOSX|\.)/.test(e.name));
  if (tables.length === 0)
    throw new IngestError(
      'gtfs_without_tables',
      'Cette archive ne contient aucun fichier .txt : ce n’est pas un flux GTFS (il faut au moins stops.txt, routes.txt…). Vérifiez l’archive, puis réessayez.',
    );
  const seen = new Set<string>();
  for (const entry of tables) {
    const base = path.posix.basename(entry.name).toLowerCase();
    if (seen.has(base))
      throw new IngestError('invalid_zip', `L’archive contient deux fichiers « ${base} » : gardez-en un seul, puis réessayez.`);
    seen.add(base);
    if (entry.flags & 0x1)
      throw new IngestError('invalid_zip', 'L’archive est chiffrée (protégée par un mot de passe) : envoyez une archive non chiffrée.');
    if (entry.method !== 0 && entry.method !== 8)
      throw new IngestError(
        'invalid_zip',
        `« ${entry.name} » est compressé avec une méthode non prise en charge (${entry.method}) : recréez l’archive en « deflate » standard.`,
      );
  }
  const declared = tables.reduce((sum, e) => sum + e.size, 0);
  if (declared > Math.max(MIN_UNCOMPRESSED_ALLOWANCE, file.bytes * MAX_EXPANSION))
    throw new IngestError(
      'too_large',
      `Une fois décompressée, l’archive ferait ${(declared / 2 ** 30).toFixed(1)} Gio, bien plus que ce qu’un flux GTFS occupe : elle est refusée. Vérifiez son contenu.`,
    );

  const results: TableDraft[] = [];
  let source: Omit<SourceDescription, 'format' | 'bytes'> | undefined;
  let inflated = 0;
  for (const entry of tables) {
    throwIfAborted(ctx.signal);
    const base = path.posix.basename(entry.name);
    const extracted = path.join(ctx.workDir, `gtfs-${results.length}.txt`);
    await extract(file.path, entry, extracted, (n) => ctx.progress('unzipping', inflated + n, declared), ctx.signal);
    inflated += entry.size;
    const { table, source: described } = await ingestDelimited(ctx, {
      path: extracted,
      tableName: tableNameFrom(base),
      delimiter: ',',
      hints: GTFS_HINTS,
      allowEmpty: true,
      label: `fichier ${base}`,
    });
    await fs.rm(extracted, { force: true });
    results.push(table);
    source = source ? { ...source, bom: source.bom || described.bom } : { ...described, decimalComma: false };
  }
  return { tables: results, source: source! };
}

function invalidZip(detail: string): IngestError {
  return new IngestError('invalid_zip', `Archive ZIP illisible : ${detail}. Recréez l’archive ou renvoyez-la en entier, puis réessayez.`);
}

async function readAt(handle: fs.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

async function readCentralDirectory(file: string, size: number): Promise<ZipEntry[]> {
  const handle = await fs.open(file, 'r');
  try {
    // The end-of-central-directory record: 22 bytes plus a comment of up to 65 535.
    const tailStart = Math.max(0, size - 22 - 0xffff);
    const tail = await readAt(handle, tailStart, size - tailStart);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) {
      const looksZip = (await readAt(handle, 0, 4)).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
      throw invalidZip(looksZip ? 'sa fin manque, elle est sans doute tronquée' : 'ce n’est pas une archive ZIP');
    }
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      // ZIP64: a locator just before the record points to the 64-bit record.
      const locator = eocd - 20;
      if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) throw invalidZip('répertoire ZIP64 introuvable');
      const record = await readAt(handle, Number(tail.readBigUInt64LE(locator + 8)), 56);
      if (record.length < 56 || record.readUInt32LE(0) !== 0x06064b50) throw invalidZip('répertoire ZIP64 abîmé');
      count = Number(record.readBigUInt64LE(32));
      cdSize = Number(record.readBigUInt64LE(40));
      cdOffset = Number(record.readBigUInt64LE(48));
    }
    if (cdOffset + cdSize > size) throw invalidZip('son répertoire pointe au-delà de la fin du fichier, elle est sans doute tronquée');
    const cd = await readAt(handle, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let k = 0; k < count; k++) {
      if (at + 46 > cd.length || cd.readUInt32LE(at) !== 0x02014b50) throw invalidZip('répertoire central abîmé');
      const nameLength = cd.readUInt16LE(at + 28);
      const extraLength = cd.readUInt16LE(at + 30);
      const commentLength = cd.readUInt16LE(at + 32);
      const entry: ZipEntry = {
        flags: cd.readUInt16LE(at + 8),
        method: cd.readUInt16LE(at + 10),
        crc32: cd.readUInt32LE(at + 16),
        compressedSize: cd.readUInt32LE(at + 20),
        size: cd.readUInt32LE(at + 24),
        localHeaderOffset: cd.readUInt32LE(at + 42),
        name: cd.toString(cd.readUInt16LE(at + 8) & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength),
      };
      readZip64Extra(cd.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), entry);
      entries.push(entry);
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** Sizes and offsets that do not fit 32 bits are 0xFFFFFFFF in the entry and 64-bit in extra field 0x0001, in this order. */
function readZip64Extra(extra: Buffer, entry: ZipEntry): void {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let p = at + 4;
      const next = () => {
        const v = Number(extra.readBigUInt64LE(p));
        p += 8;
        return v;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      return;
    }
    at += 4 + length;
  }
}

async function extract(
  zip: string,
  entry: ZipEntry,
  destination: string,
  onProgress: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const handle = await fs.open(zip, 'r');
  let dataStart: number;
  try {
    const local = await readAt(handle, entry.localHeaderOffset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) throw invalidZip(`en-tête de « ${entry.name} » abîmé`);
    dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    await handle.close();
  }
  let written = 0;
  let crc = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      // The declared size is what the zip-bomb check trusted: never write more than it.
      if (written > entry.size) return callback(invalidZip(`« ${entry.name} » est plus grand que ce que l’archive annonce`));
      crc = zlib.crc32(chunk, crc);
      onProgress(written);
      callback(null, chunk);
    },
  });
  const stages = [
    createReadStream(zip, { start: dataStart, end: dataStart + entry.compressedSize - 1 }),
    ...(entry.method === 8 ? [zlib.createInflateRaw()] : []),
    check,
    createWriteStream(destination),
  ] as const;
  try {
    await pipeline([...stages], signal ? { signal } : {});
  } catch (error) {
    if (signal?.aborted) throwIfAborted(signal);
    if (error instanceof IngestError) throw error;
    throw invalidZip(`« ${entry.name} » ne se décompresse pas (${(error as Error).message})`);
  }
  if (written !== entry.size || crc >>> 0 !== entry.crc32)
    throw invalidZip(`« ${entry.name} » est abîmé (taille ou somme de contrôle inattendue)`);
}

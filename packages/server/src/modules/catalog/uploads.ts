import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UploadView } from '@confiance/contract';
import type { Context } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import { ingestFile, IngestError, type IngestFormat, type IngestResult } from './ingest/index';

/**
 * An upload is a file on its way to becoming a dataset version: streamed to disk (hashed on the
 * way), converted to Parquet in the background while the steward watches the progress, reviewed,
 * then moved into the object store by a publication. Nothing of it is visible in the catalog
 * before that; unpublished uploads expire after a day.
 */

/** What ingestion found, kept on the upload row until publication. Paths are relative to the upload's folder. */
export interface UploadResult {
  source: {
    format: IngestFormat;
    encoding: string | null;
    delimiter: string | null;
    decimalComma: boolean;
    byteSize: number;
    sha256: string;
  };
  tables: {
    name: string;
    file: string;
    rowCount: number;
    byteSize: number;
    columns: IngestResult['tables'][number]['columns'];
    quality: IngestResult['tables'][number]['quality'];
  }[];
}

export interface UploadError {
  code: string;
  message: string;
  line: number | null;
  column: string | null;
}

type Progress = NonNullable<UploadView['progress']>;

const SOURCE_FILE = 'source';
/** Two conversions at a time: DuckDB uses every core it is given, and the API must stay responsive. */
const MAX_CONCURRENT_INGESTIONS = 2;

export interface Uploads {
  receive(input: {
    userId: string;
    fileName: string;
    format?: IngestFormat | undefined;
    body: Readable;
    expectedBytes?: number;
  }): Promise<string>;
  progress(id: string): Progress | null;
  /** Folder holding an upload's files. */
  dir(id: string): string;
  /** Resolves when the upload's conversion is over (tests and the demo seed wait on it). */
  settled(id: string): Promise<void>;
  close(): Promise<void>;
}

export function createUploads(ctx: Context, options: { maxBytes: number }): Uploads {
  const root = path.join(ctx.config.dataDir, 'uploads');
  const progress = new Map<string, Progress>();
  const running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  const queue: (() => void)[] = [];
  let active = 0;
  const dir = (id: string) => path.join(root, id);

  async function slot(): Promise<() => void> {
    if (active >= MAX_CONCURRENT_INGESTIONS) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    return () => {
      active--;
      queue.shift()?.();
    };
  }

  async function convert(id: string, fileName: string, format: IngestFormat | undefined, sha256: string, signal: AbortSignal) {
    progress.set(id, { phase: 'queued', done: 0, total: 0 });
    const release = await slot();
    try {
      const result = await ingestFile(
        { path: path.join(dir(id), SOURCE_FILE), originalName: fileName, ...(format ? { format } : {}) },
        { dir: path.join(dir(id), 'tables') },
        {
          signal,
          tempDir: root,
          onProgress: (p) => progress.set(id, { phase: p.phase, done: p.bytesRead, total: p.totalBytes }),
        },
      );
      const tables = await Promise.all(
        result.tables.map(async (t) => ({
          name: t.name,
          file: path.relative(dir(id), t.parquetPath),
          rowCount: t.rowCount,
          byteSize: (await fs.stat(t.parquetPath)).size,
          columns: t.columns,
          quality: t.quality,
        })),
      );
      const stored: UploadResult = {
        source: {
          format: result.source.format,
          encoding: result.source.encoding,
          delimiter: result.source.delimiter ?? null,
          decimalComma: result.source.decimalComma ?? false,
          byteSize: result.source.bytes,
          sha256,
        },
        tables,
      };
      await ctx.db
        .updateTable('uploads')
        .set({ status: 'ready', format: result.source.format, result: JSON.stringify(stored) })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      const failure: UploadError =
        error instanceof IngestError
          ? { code: error.code, message: error.message, line: error.line ?? null, column: error.column ?? null }
          : {
              code: 'internal',
              message: 'La conversion a échoué sur le serveur : réessayez, ou signalez-le à l’opérateur.',
              line: null,
              column: null,
            };
      if (!(error instanceof IngestError)) ctx.log.error({ err: error, upload: id }, 'ingestion failed');
      await fs.rm(path.join(dir(id), SOURCE_FILE), { force: true });
      await ctx.db
        .updateTable('uploads')
        .set({ status: 'failed', error: JSON.stringify(failure) })
        .where('id', '=', id)
        .execute()
        .catch((e: unknown) => ctx.log.error({ err: e, upload: id }, 'could not record a failed ingestion'));
    } finally {
      release();
      progress.delete(id);
      running.delete(id);
    }
  }

  /** Best effort: folders of unpublished uploads past their expiry go, with their rows. */
  async function sweepExpired() {
    const expired = await ctx.db
      .deleteFrom('uploads')
      .where('expires_at', '<', new Date())
      .where('status', '!=', 'published')
      .returning('id')
      .execute();
    await Promise.all(expired.map((u) => fs.rm(dir(u.id), { recursive: true, force: true })));
  }

  return {
    dir,
    progress: (id) => progress.get(id) ?? null,
    settled: async (id) => {
      await running.get(id)?.done;
    },
    async receive({ userId, fileName, format, body, expectedBytes }) {
      if (expectedBytes !== undefined && expectedBytes > options.maxBytes) {
        throw new AppError('payload_too_large', tooLarge(options.maxBytes));
      }
      await sweepExpired().catch((e: unknown) => ctx.log.warn({ err: e }, 'upload sweep failed'));
      const row = await ctx.db
        .insertInto('uploads')
        .values({ user_id: userId, file_name: fileName, format: format ?? null, status: 'ingesting' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = row.id;
      await fs.mkdir(dir(id), { recursive: true });
      const hash = createHash('sha256');
      let received = 0;
      const total = expectedBytes ?? 0;
      progress.set(id, { phase: 'receiving', done: 0, total });
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          received += chunk.length;
          if (received > options.maxBytes) return callback(new AppError('payload_too_large', tooLarge(options.maxBytes)));
          hash.update(chunk);
          progress.set(id, { phase: 'receiving', done: received, total: Math.max(total, received) });
          callback(null, chunk);
        },
      });
      try {
        await pipeline(body, meter, createWriteStream(path.join(dir(id), SOURCE_FILE)));
      } catch (error) {
        progress.delete(id);
        await fs.rm(dir(id), { recursive: true, force: true });
        await ctx.db.deleteFrom('uploads').where('id', '=', id).execute();
        if (error instanceof AppError) throw error;
        throw new AppError('validation_failed', 'L’envoi du fichier a été interrompu avant la fin : relancez-le.');
      }
      await ctx.db.updateTable('uploads').set({ byte_size: received }).where('id', '=', id).execute();
      const abort = new AbortController();
      const done = convert(id, fileName, format, hash.digest('hex'), abort.signal);
      running.set(id, { done, abort });
      return id;
    },
    async close() {
      for (const { abort } of running.values()) abort.abort();
      await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}

function tooLarge(max: number): string {
  return `Fichier trop volumineux : ce nœud accepte au plus ${(max / 1024 ** 3).toFixed(1).replace('.', ',')} Gio par envoi.`;
}

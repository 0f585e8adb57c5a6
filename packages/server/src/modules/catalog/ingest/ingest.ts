import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IngestContext, TableDraft } from './context';
import { ingestDelimited } from './csv';
import { tableNameFrom } from './dialect';
import { openIngestDatabase } from './duckdb';
import { readHead } from './encoding';
import { IngestError, throwIfAborted } from './errors';
import { ingestGtfs } from './gtfs';
import { ingestJson } from './json';
import { ingestParquet } from './parquet';
import type { IngestFormat, IngestInput, IngestOptions, IngestOutput, IngestPhase, IngestResult, SourceDescription } from './types';

/**
 * Converts one uploaded file into Parquet tables in `output.dir`, with their schema, statistics and
 * quality report. All or nothing: tables are written under temporary names and renamed into place
 * only when every table of the upload succeeded, so a failure (an `IngestError` with a French
 * message, or a cancellation through `options.signal`) leaves nothing behind to publish.
 */
export async function ingestFile(input: IngestInput, output: IngestOutput, options: IngestOptions = {}): Promise<IngestResult> {
  const { signal, onProgress } = options;
  throwIfAborted(signal);
  const stat = await fs.stat(input.path).catch(() => null);
  if (!stat?.isFile()) throw new IngestError('unreadable', 'Le fichier envoyé est introuvable sur le serveur : relancez l’envoi.');
  const format = input.format ?? (await detectFormat(input.path, input.originalName));
  if (stat.size === 0)
    throw new IngestError(
      'empty_file',
      'Le fichier est vide (0 octet) : l’envoi a peut-être échoué. Choisissez le bon fichier et réessayez.',
    );

  const createdOutput = await fs.mkdir(output.dir, { recursive: true });
  const outputDir = await fs.realpath(output.dir);
  const inputPath = await fs.realpath(input.path);
  const workDir = await fs.realpath(await fs.mkdtemp(path.join(options.tempDir ?? os.tmpdir(), 'confiance-ingest-')));
  const spill = path.join(workDir, 'spill');
  const temporary = new Map<string, string>();
  const committed: string[] = [];
  let db: Awaited<ReturnType<typeof openIngestDatabase>> | undefined;
  try {
    await fs.mkdir(spill);
    db = await openIngestDatabase({ readableFiles: [inputPath], directories: [workDir, outputDir], spillDirectory: spill }, signal);
    let lastPhase: IngestPhase | undefined;
    let lastReport = 0;
    const ctx: IngestContext = {
      db,
      workDir,
      ...(signal ? { signal } : {}),
      progress: (phase, bytesRead, totalBytes) => {
        // Throttled (a progress bar needs a few updates a second, not one per megabyte), except
        // the first and the last report of each phase.
        const now = Date.now();
        if (phase === lastPhase && now - lastReport < 100 && bytesRead < totalBytes) return;
        lastPhase = phase;
        lastReport = now;
        onProgress?.({ phase, bytesRead, totalBytes });
      },
      outputFor: (tableName) => {
        const temp = path.join(outputDir, `.${tableName}.${randomUUID()}.parquet.partial`);
        temporary.set(temp, path.join(outputDir, `${tableName}.parquet`));
        return temp;
      },
    };
    const { tables, source } = await convert(format, ctx, inputPath, input.originalName, stat.size);
    throwIfAborted(signal);
    const published = [];
    for (const table of tables) {
      const final = temporary.get(table.parquetPath)!;
      await fs.rename(table.parquetPath, final);
      committed.push(final);
      published.push({ ...table, parquetPath: final });
    }
    onProgress?.({ phase: 'done', bytesRead: stat.size, totalBytes: stat.size });
    return { tables: published, source: { ...source, format, bytes: stat.size } };
  } catch (error) {
    await Promise.all([...temporary.keys(), ...committed].map((f) => fs.rm(f, { force: true })));
    // A folder made for this upload goes too (rmdir: only if nothing else was put there meanwhile).
    if (createdOutput) await fs.rmdir(outputDir).catch(() => {});
    throw error;
  } finally {
    db?.close();
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

async function convert(
  format: IngestFormat,
  ctx: IngestContext,
  file: string,
  originalName: string,
  bytes: number,
): Promise<{ tables: TableDraft[]; source: Omit<SourceDescription, 'format' | 'bytes'> }> {
  const tableName = tableNameFrom(originalName);
  switch (format) {
    case 'csv':
    case 'tsv': {
      const label = format === 'tsv' ? 'fichier TSV' : 'fichier CSV';
      const { table, source } = await ingestDelimited(ctx, {
        path: file,
        tableName,
        label,
        ...(format === 'tsv' ? { delimiter: '\t' } : {}),
      });
      return { tables: [table], source };
    }
    case 'json':
    case 'ndjson':
    case 'geojson': {
      const { table, source } = await ingestJson(ctx, { path: file, tableName, kind: format });
      return { tables: [table], source };
    }
    case 'parquet':
      return { tables: [await ingestParquet(ctx, { path: file, tableName })], source: { encoding: null, bom: false } };
    case 'gtfs':
      return ingestGtfs(ctx, { path: file, bytes });
  }
}

/** Workbooks hold several sheets, formulas and formatting: the steward picks the sheet and exports it. */
const SPREADSHEETS = new Set(['xlsx', 'xls', 'xlsm', 'ods']);

const EXTENSIONS: Record<string, IngestFormat> = {
  csv: 'csv',
  txt: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  geojson: 'geojson',
  parquet: 'parquet',
  zip: 'gtfs',
};

/** From the name the user gave, then from the content: a `.json` that is a FeatureCollection is GeoJSON. */
export async function detectFormat(file: string, originalName: string): Promise<IngestFormat> {
  const extension = /\.([a-z0-9]+)$/i.exec(originalName)?.[1]?.toLowerCase();
  if (extension && SPREADSHEETS.has(extension))
    throw new IngestError(
      'unsupported_format',
      `« ${originalName} » est un classeur de tableur : enregistrez la feuille voulue au format CSV (« CSV UTF-8 » si votre tableur le propose), puis importez ce fichier.`,
    );
  const byName = extension ? EXTENSIONS[extension] : undefined;
  const head = await readHead(file, 4096);
  if (byName === 'json' && /"type"\s*:\s*"Feature(Collection)?"/.test(head.toString('utf8'))) return 'geojson';
  if (byName) return byName;
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  if (head[0] === 0x50 && head[1] === 0x4b) return 'gtfs';
  throw new IngestError(
    'unsupported_format',
    `Format de fichier non reconnu pour « ${originalName} » : les formats acceptés sont CSV, TSV, JSON, NDJSON, GeoJSON, Parquet et GTFS (zip). Renommez le fichier avec la bonne extension ou choisissez le format, puis réessayez.`,
  );
}

import fs from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { columnFromDuckDB } from '../ingest/profile';
import { sqlList, sqlString } from '../ingest/duckdb';
import type { ColumnType } from '../ingest/types';
import { DataReaderError, unreadableFile } from './errors';

/**
 * Locked DuckDB instances that read published Parquet files, one per file, kept open for the next
 * request: a fresh locked instance costs about 26 ms (DESIGN.md), more than a preview query.
 *
 * Each instance may read its own file and nothing else (no folder at all, so not even the file's
 * neighbours, which are other datasets' versions), writes nowhere, and cannot be unlocked. The SQL
 * sent to it is ours; the lock is there for the day a bug lets a column name or a path through.
 */

/** Open instances kept at most; the least recently used one is closed first. */
const MAX_READERS = 8;
/** An instance unused this long is closed: published files are read in bursts (a dataset page). */
const IDLE_MS = 5 * 60_000;
/** Previews and charts aggregate small results; no spill folder, so no write access is ever needed. */
const MEMORY_LIMIT = '256MB';

export interface FileColumn {
  name: string;
  /** DuckDB's type, as DESCRIBE prints it (tells TIMESTAMP from TIMESTAMP WITH TIME ZONE). */
  sqlType: string;
  /** The catalog type ingestion gives that DuckDB type (geometry and JSON columns are VARCHAR here: `string`). */
  type: ColumnType;
}

export interface TableReader {
  /** The file's real path (symbolic links resolved), as the lock allows it. */
  readonly file: string;
  /** `read_parquet('…')` of the file, quoted, for FROM clauses. */
  readonly source: string;
  /** The file's columns, read once per instance (published versions never change). */
  columns(): Promise<FileColumn[]>;
  rowCount(): Promise<number>;
  /** Rows as plain objects (BIGINT as bigint: cast in SQL to get text). */
  all(sql: string): Promise<Record<string, unknown>[]>;
}

interface Entry {
  ready: Promise<LockedReader>;
  users: number;
  evicted: boolean;
  timer?: NodeJS.Timeout;
}

const cache = new Map<string, Entry>();

/**
 * Runs `work` with the cached reader of `parquetPath`, opening one if needed. DuckDB errors while
 * opening or reading (missing or damaged file) become `DataReaderError('unreadable')`, with
 * DuckDB's error as the cause; a `DataReaderError` from `work` passes through.
 */
export async function withTableReader<T>(parquetPath: string, work: (reader: TableReader) => Promise<T>): Promise<T> {
  const file = await resolveFile(parquetPath);
  let entry = cache.get(file);
  if (entry) {
    // Map order is use order: the first key is the least recently used.
    cache.delete(file);
    cache.set(file, entry);
  } else {
    entry = { ready: openLockedReader([file]), users: 0, evicted: false };
    cache.set(file, entry);
    evictBeyondLimit();
  }
  clearTimeout(entry.timer);
  entry.users++;
  try {
    let reader: LockedReader;
    try {
      reader = await entry.ready;
    } catch (error) {
      if (cache.get(file) === entry) cache.delete(file);
      throw unreadableFile(parquetPath, error);
    }
    try {
      return await work(reader);
    } catch (error) {
      if (error instanceof DataReaderError) throw error;
      // The file went missing or turned out damaged after opening: the next request opens afresh.
      if (cache.get(file) === entry) {
        cache.delete(file);
        entry.evicted = true;
      }
      throw unreadableFile(parquetPath, error);
    }
  } finally {
    entry.users--;
    release(file, entry);
  }
}

/** Closes every cached instance (server shutdown, end of a test file). */
export async function closeTableReaders(): Promise<void> {
  const entries = [...cache.values()];
  cache.clear();
  for (const entry of entries) {
    clearTimeout(entry.timer);
    entry.evicted = true;
    if (entry.users === 0) await closeEntry(entry);
  }
}

/** How many instances are open: for tests of the cache. */
export function openTableReaderCount(): number {
  return cache.size;
}

function release(file: string, entry: Entry): void {
  if (entry.users > 0) return;
  if (entry.evicted) {
    void closeEntry(entry);
    return;
  }
  entry.timer = setTimeout(() => {
    if (cache.get(file) !== entry || entry.users > 0) return;
    cache.delete(file);
    void closeEntry(entry);
  }, IDLE_MS);
  // An idle reader never keeps the process alive.
  entry.timer.unref();
}

function evictBeyondLimit(): void {
  for (const [file, entry] of cache) {
    if (cache.size <= MAX_READERS) break;
    cache.delete(file);
    clearTimeout(entry.timer);
    entry.evicted = true;
    // Still in use: closed by the last user on its way out.
    if (entry.users === 0) void closeEntry(entry);
  }
}

async function closeEntry(entry: Entry): Promise<void> {
  const reader = await entry.ready.catch(() => null);
  reader?.close();
}

async function resolveFile(parquetPath: string): Promise<string> {
  // A relative path would be read against the server's working folder, whatever that is today.
  if (!path.isAbsolute(parquetPath)) throw new TypeError(`parquetPath must be absolute: ${parquetPath}`);
  try {
    // The lock compares paths as text: allowing a symbolic link would let DuckDB follow it
    // anywhere, so the instance is given the file the link points to, and only that.
    return await fs.realpath(parquetPath);
  } catch (error) {
    throw unreadableFile(parquetPath, error);
  }
}


export interface LockedReader extends TableReader {
  close(): void;
}

/**
 * A locked instance, set up like every DuckDB in Confiance (see `ingest/duckdb.ts`): settings are
 * applied after connecting, because passing them at creation fails, and locked last so that no
 * later statement can undo them. Settings are global, so every connection opened later has them.
 */
export async function openLockedReader(readableFiles: string[], directories: string[] = []): Promise<LockedReader> {
  const file = readableFiles[0];
  if (file === undefined) throw new TypeError('openLockedReader needs a file');
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const setup = await instance.connect();
    try {
      for (const statement of [
        `SET memory_limit = ${sqlString(MEMORY_LIMIT)}`,
        `SET temp_directory = ''`,
        // Datetimes with an offset are stored in UTC: shown and bucketed in UTC, whatever the server's zone.
        `SET TimeZone = 'UTC'`,
        `SET enable_progress_bar = false`,
        `SET allowed_paths = ${sqlList(readableFiles)}`,
        `SET allowed_directories = ${sqlList(directories.map((d) => (d.endsWith('/') ? d : `${d}/`)))}`,
        `SET enable_external_access = false`,
        `SET lock_configuration = true`,
      ])
        await setup.run(statement);
    } finally {
      setup.closeSync();
    }
  } catch (error) {
    instance.closeSync();
    throw error;
  }

  const source = `read_parquet(${sqlString(file)})`;
  // One connection per query: settings are the instance's, and two requests on the same file
  // (a preview and a chart) then run side by side.
  const all = async (sql: string) => {
    const connection = await instance.connect();
    try {
      return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    } finally {
      connection.closeSync();
    }
  };
  let columns: Promise<FileColumn[]> | undefined;
  let rowCount: Promise<number> | undefined;
  const reader: LockedReader = {
    file,
    source,
    all,
    columns: () =>
      (columns ??= all(`DESCRIBE SELECT * FROM ${source}`).then((rows) =>
        rows.map((r) => {
          const sqlType = String(r.column_type);
          return { name: String(r.column_name), sqlType, type: columnFromDuckDB(sqlType).type };
        }),
      )),
    // count(*) on a Parquet file reads its footer, not its rows.
    rowCount: () => (rowCount ??= all(`SELECT count(*) AS n FROM ${source}`).then((rows) => Number(rows[0]?.n ?? 0))),
    close: () => instance.closeSync(),
  };
  try {
    // Reading the schema now turns a missing or damaged file into an error at opening, not later.
    await reader.columns();
  } catch (error) {
    instance.closeSync();
    throw error;
  }
  return reader;
}

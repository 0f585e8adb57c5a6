import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { abortedError } from './errors';

/**
 * DuckDB's working memory for one ingestion. Above it DuckDB spills to the work folder, so a file
 * larger than memory streams through instead of being held whole, and several uploads at once
 * cannot exhaust the server.
 */
const MEMORY_LIMIT = '512MB';

/** How often a long statement's progress is read back for the progress bar. */
const PROGRESS_INTERVAL_MS = 250;

export interface IngestDatabase {
  /** Rows as plain objects (BIGINT as bigint, DATE as DuckDBDateValue…: callers cast to VARCHAR in SQL when they want text). */
  all(sql: string): Promise<Record<string, unknown>[]>;
  /** `all`, reporting DuckDB's progress estimate (0–1) while it runs. */
  allWithProgress(sql: string, onProgress: (fraction: number) => void): Promise<Record<string, unknown>[]>;
  /** Columns as arrays of JSON-friendly values. */
  columnsJson(sql: string): Promise<Record<string, unknown[]>>;
  /** Runs a statement; `onProgress` gets DuckDB's own estimate (0–1) while it runs. */
  run(sql: string, onProgress?: (fraction: number) => void): Promise<void>;
  /** Runs a `COPY … TO` and returns how many rows it wrote. */
  copy(sql: string, onProgress?: (fraction: number) => void): Promise<number>;
  close(): void;
}

export interface Confinement {
  /** Files DuckDB may read (the upload). */
  readableFiles: string[];
  /** Folders DuckDB may read and write (the work folder, the output folder). */
  directories: string[];
  /** Where DuckDB spills when over MEMORY_LIMIT; must be inside `directories`. */
  spillDirectory: string;
}

/**
 * One locked DuckDB per ingestion, set up the way every DuckDB in Confiance is (DESIGN.md): the SQL
 * here is ours, not a user's, but an upload is hostile input, and a reader bug or a crafted file
 * name then still cannot reach anything but the upload, the work folder and the output folder.
 * The settings are applied after connecting because passing them at instance creation fails, and
 * locked last so nothing can undo them.
 */
export async function openIngestDatabase(confinement: Confinement, signal?: AbortSignal): Promise<IngestDatabase> {
  const instance = await DuckDBInstance.create(':memory:');
  let connection: DuckDBConnection;
  try {
    connection = await instance.connect();
    const dirs = confinement.directories.map((d) => (d.endsWith('/') ? d : `${d}/`));
    for (const statement of [
      `SET memory_limit = ${sqlString(MEMORY_LIMIT)}`,
      `SET temp_directory = ${sqlString(confinement.spillDirectory)}`,
      // Datetimes with an offset are stored in UTC; without this the server's zone would leak in.
      `SET TimeZone = 'UTC'`,
      `SET enable_progress_bar = true`,
      `SET enable_progress_bar_print = false`,
      `SET allowed_paths = ${sqlList(confinement.readableFiles)}`,
      `SET allowed_directories = ${sqlList(dirs)}`,
      `SET enable_external_access = false`,
      `SET lock_configuration = true`,
    ])
      await connection.run(statement);
  } catch (error) {
    instance.closeSync();
    throw error;
  }

  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    if (signal?.aborted) throw abortedError();
    const interrupt = () => connection.interrupt();
    signal?.addEventListener('abort', interrupt);
    try {
      return await work();
    } catch (error) {
      if (signal?.aborted) throw abortedError();
      throw error;
    } finally {
      signal?.removeEventListener('abort', interrupt);
    }
  };

  const runWithProgress = (sql: string, onProgress?: (fraction: number) => void) =>
    guarded(async () => {
      onProgress?.(0);
      const timer = onProgress
        ? setInterval(() => {
            const { percentage } = connection.progress;
            if (percentage >= 0) onProgress(Math.min(percentage, 100) / 100);
          }, PROGRESS_INTERVAL_MS)
        : undefined;
      try {
        return await connection.runAndReadAll(sql);
      } finally {
        clearInterval(timer);
      }
    });

  return {
    all: (sql) => guarded(async () => (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[]),
    allWithProgress: async (sql, onProgress) => (await runWithProgress(sql, onProgress)).getRowObjectsJS() as Record<string, unknown>[],
    columnsJson: (sql) => guarded(async () => (await connection.runAndReadAll(sql)).getColumnsObjectJson() as Record<string, unknown[]>),
    run: async (sql, onProgress) => {
      await runWithProgress(sql, onProgress);
    },
    copy: async (sql, onProgress) => {
      const rows = (await runWithProgress(sql, onProgress)).getRowObjectsJS();
      return Number(rows[0]?.Count ?? Number.NaN);
    },
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A standard SQL string literal (DuckDB treats backslashes literally). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function sqlList(values: string[]): string {
  return `[${values.map(sqlString).join(', ')}]`;
}

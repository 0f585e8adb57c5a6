import type { IngestDatabase } from './duckdb';
import type { IngestPhase, IngestedTable } from './types';

/** What every format reader gets: the locked DuckDB, a private work folder, progress and cancellation. */
export interface IngestContext {
  db: IngestDatabase;
  /** Private to this ingestion and removed at the end, whatever happens. */
  workDir: string;
  signal?: AbortSignal;
  progress(phase: IngestPhase, bytesRead: number, totalBytes: number): void;
  /**
   * Where to write a table's Parquet file: a hidden temporary name in the output folder (same
   * file system, so the final rename is atomic), renamed into place only once every table of the
   * upload has been written.
   */
  outputFor(tableName: string): string;
}

/** A table as a reader produced it; `parquetPath` is still the temporary name. */
export type TableDraft = IngestedTable;

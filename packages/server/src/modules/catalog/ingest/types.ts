/**
 * What ingestion takes and gives back. The result describes the Parquet files it wrote and what it
 * found on the way (schema, statistics, odd rows), so the steward can review before publishing.
 */

export const INGEST_FORMATS = ['csv', 'tsv', 'json', 'ndjson', 'geojson', 'parquet', 'gtfs'] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

/**
 * Column types as the catalog shows them. `geometry` is GeoJSON text (no spatial extension here),
 * `json` is any nested value kept as JSON text so every consumer sees flat columns.
 */
export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'time' | 'geometry' | 'json' | 'binary';

/** Statistics values in JSON-friendly form: dates as `YYYY-MM-DD`, datetimes as ISO 8601, big integers as strings. */
export type ColumnValue = string | number | boolean | null;

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  nullCount: number;
  distinctCount: number;
  /** null when the column is empty or its values have no useful order (geometry, JSON, binary). */
  min: ColumnValue;
  max: ColumnValue;
  /** Up to three distinct values from the first rows, long strings shortened. */
  examples: ColumnValue[];
}

export type QualityIssueKind =
  /** A row the reader could not fit to the header (too many or too few fields): not in the table. */
  | 'rejected_row'
  /** A value that does not fit its column's type: the row is kept, the cell left empty. */
  | 'invalid_value'
  /** A marker such as `NA` or `-` in a typed column: read as an empty cell. */
  | 'missing_value'
  /** One column written in two formats (ISO and French dates): both read, worth a look. */
  | 'mixed_formats'
  /** An empty or repeated column name that had to be changed. */
  | 'renamed_column';

export interface QualityIssue {
  kind: QualityIssueKind;
  /** French, for the steward. */
  message: string;
  /** 1-based data row in the published table (header excluded). */
  row?: number;
  /** 1-based physical line in the source file, when the row is not in the table. */
  line?: number;
  column?: string;
  /** The offending value or line, shortened. */
  sample?: string;
  /** How many values or rows the issue stands for. */
  count?: number;
}

export interface QualityReport {
  /** At most MAX_REPORTED_ISSUES entries; `issueCount` says how many there were. */
  issues: QualityIssue[];
  issueCount: number;
  /** Source rows that are not in the table (rows in = rowCount + rejectedRows). */
  rejectedRows: number;
}

export interface IngestedTable {
  /** Lower-case ASCII, usable as an SQL identifier: the file name, or the GTFS file (`stops`). */
  name: string;
  parquetPath: string;
  rowCount: number;
  columns: ColumnProfile[];
  quality: QualityReport;
}

export type TextEncoding = 'utf-8' | 'windows-1252' | 'iso-8859-1' | 'utf-16le' | 'utf-16be';

export interface SourceDescription {
  format: IngestFormat;
  /** The encoding the text was read in (binary formats: null). */
  encoding: TextEncoding | null;
  /** CSV/TSV/GTFS only. */
  delimiter?: string;
  /** Whether some number column used a decimal comma (`12,5`). CSV/TSV only. */
  decimalComma?: boolean;
  bom: boolean;
  bytes: number;
}

export interface IngestResult {
  tables: IngestedTable[];
  source: SourceDescription;
}

export interface IngestInput {
  path: string;
  /** The name the user gave the file: picks the format when none is given, and names the table. */
  originalName: string;
  format?: IngestFormat;
}

export interface IngestOutput {
  /** Created if missing. Only complete Parquet files ever appear here. */
  dir: string;
}

export type IngestPhase = 'scanning' | 'transcoding' | 'unzipping' | 'parsing' | 'typing' | 'writing' | 'profiling' | 'done';

export interface IngestProgress {
  phase: IngestPhase;
  /** Bytes of the source processed in this phase, out of `totalBytes` (DuckDB phases report its own progress). */
  bytesRead: number;
  totalBytes: number;
  /** GTFS: the table being converted. */
  table?: string;
}

export interface IngestOptions {
  onProgress?(progress: IngestProgress): void;
  signal?: AbortSignal;
  /**
   * Parent of the private work folder (transcoded copy, DuckDB's spill files), removed at the end.
   * Defaults to the system's temporary folder; point it at a disk with room for the largest upload
   * when that folder is small or in memory (tmpfs).
   */
  tempDir?: string;
}

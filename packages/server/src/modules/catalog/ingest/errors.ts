/**
 * Why a file could not be ingested. Callers switch on `code` (the HTTP layer maps them all to one
 * "unprocessable file" answer, the CLI to an exit status); the French message is for the steward
 * and always says what to do next. Nothing is published when one is thrown.
 */
export const INGEST_ERROR_CODES = [
  'empty_file',
  'no_rows',
  'not_text',
  'unsupported_format',
  'encoding_mismatch',
  'too_many_columns',
  'header_too_long',
  'ragged_rows',
  'truncated',
  'unreadable',
  'invalid_json',
  'not_geojson',
  'invalid_parquet',
  'invalid_zip',
  'gtfs_without_tables',
  'too_large',
  'aborted',
] as const;
export type IngestErrorCode = (typeof INGEST_ERROR_CODES)[number];

export class IngestError extends Error {
  override readonly name = 'IngestError';
  readonly code: IngestErrorCode;
  /** 1-based line of the source file where the problem was seen, when known. */
  readonly line?: number;
  /** Column name, when the problem is in one column. */
  readonly column?: string;

  constructor(code: IngestErrorCode, message: string, where: { line?: number; column?: string; cause?: unknown } = {}) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    this.code = code;
    if (where.line !== undefined) this.line = where.line;
    if (where.column !== undefined) this.column = where.column;
  }
}

export function abortedError(): IngestError {
  return new IngestError('aborted', 'Import annulé : aucun fichier n’a été publié. Relancez l’import pour recommencer.');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError();
}

/** Lines of the form "… on line 12" / "Line: 12" in DuckDB's messages. */
export function lineFromDuckDBMessage(message: string): number | undefined {
  const m = /\bline:?\s*(\d+)/i.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** DuckDB's messages are long and English; keep the first line as a technical hint. */
export function duckdbHint(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const first = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}

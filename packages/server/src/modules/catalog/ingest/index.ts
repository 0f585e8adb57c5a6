/**
 * Ingestion: an uploaded file (CSV/TSV, JSON/NDJSON, GeoJSON, Parquet, GTFS zip) becomes Parquet
 * tables with their schema, statistics and quality report, or fails with an `IngestError` and
 * leaves nothing behind. Not tied to HTTP or the database: the catalog's commands call it.
 */
export { ingestFile } from './ingest';
export { IngestError, INGEST_ERROR_CODES, type IngestErrorCode } from './errors';
export { MAX_COLUMNS } from './dialect';
export * from './types';

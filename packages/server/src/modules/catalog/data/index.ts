/**
 * Reading published tables (Parquet files written by `ingest/`) for the catalog's data endpoints:
 * a preview of the first rows, one column's distribution for a chart, a CSV copy for downloads.
 * Every read goes through a locked DuckDB that can open the one file asked for and nothing else;
 * column names are checked against the file's schema and quoted before they reach SQL.
 */
export { readPreview, MAX_PREVIEW_TEXT, type Preview, type PreviewInput } from './preview';
export { readChart, OTHERS_LABEL, TOP_VALUES, type Chart, type ChartBucket, type ChartInput, type ChartKind } from './chart';
export { exportCsv, type CsvExportInput } from './export';
export { closeTableReaders } from './reader';
export type { CatalogColumn } from './columns';
export { DataReaderError, DATA_READER_ERROR_CODES, type DataReaderErrorCode } from './errors';

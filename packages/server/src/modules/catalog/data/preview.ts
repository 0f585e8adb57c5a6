import type { ColumnType, ColumnValue } from '../ingest/types';
import { type CatalogColumn, type ResolvedColumn, resolveColumn } from './columns';
import { withTableReader } from './reader';

/** Longer text (a commune's outline as GeoJSON, a long comment) is cut here and ends with "…". */
export const MAX_PREVIEW_TEXT = 2000;
/** Bytes shown of a binary value, as hexadecimal. */
const BINARY_BYTES = 16;
/** A preview is a glimpse; the API asks for at most 200 rows. */
export const MAX_PREVIEW_ROWS = 1000;

export interface PreviewInput {
  parquetPath: string;
  /** The columns to show, in this order, as the catalog describes them. */
  columns: CatalogColumn[];
  limit: number;
}

export interface Preview {
  columns: CatalogColumn[];
  /** Cells in column order, in the JSON forms of `ColumnValue` (see `cell`). */
  rows: ColumnValue[][];
  /** Rows in the whole table, not in the preview. */
  rowCount: number;
}

/**
 * The first `limit` rows of a published table, in file order, every cell in a JSON-friendly form:
 * dates `YYYY-MM-DD`, datetimes ISO 8601 (`Z` when stored with a zone), integers and decimals
 * beyond JavaScript's safe integers as text, geometry and JSON as text, binary as a hex marker.
 */
export async function readPreview({ parquetPath, columns, limit }: PreviewInput): Promise<Preview> {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  const shown = columns.map(({ name, type }) => ({ name, type }));
  return withTableReader(parquetPath, async (reader) => {
    const resolved: ResolvedColumn[] = [];
    for (const column of columns) resolved.push(await resolveColumn(reader, column));
    const rowCount = await reader.rowCount();
    if (resolved.length === 0 || limit === 0) return { columns: shown, rows: [], rowCount };
    const select = resolved.map((c, i) => `${selectCell(c)} AS c${i}`).join(', ');
    const records = await reader.all(`SELECT ${select} FROM ${reader.source} LIMIT ${Math.min(limit, MAX_PREVIEW_ROWS)}`);
    const rows = records.map((record) => resolved.map((c, i) => cell(record[`c${i}`], c)));
    return { columns: shown, rows, rowCount };
  });
}

/** Formatting happens in SQL where DuckDB knows the type best (dates, zones), so JavaScript never reinterprets a value. */
function selectCell(c: ResolvedColumn): string {
  const col = c.ident;
  switch (c.type) {
    case 'boolean':
      return col;
    case 'date':
    case 'time':
    case 'integer':
    case 'number':
      return `CAST(${col} AS VARCHAR)`;
    case 'datetime': {
      const zone = c.sqlType.includes('TIME ZONE') ? 'Z' : '';
      // Fractions of a second only when there are some, so whole seconds read like the column statistics.
      return `CASE WHEN NOT isfinite(${col}) THEN CAST(${col} AS VARCHAR)
        WHEN microsecond(${col}) % 1000000 = 0 THEN strftime(${col}, '%Y-%m-%dT%H:%M:%S${zone}')
        ELSE strftime(${col}, '%Y-%m-%dT%H:%M:%S.%f${zone}') END`;
    }
    case 'binary':
      // One character more than shown, so `cell` knows whether to add "…".
      return c.sqlType === 'BLOB' ? `'0x' || left(hex(${col}), ${BINARY_BYTES * 2 + 1})` : `left(CAST(${col} AS VARCHAR), ${BINARY_BYTES * 8 + 1})`;
    case 'string':
    case 'geometry':
    case 'json':
      // Cut in SQL: a long outline is not worth carrying whole into JavaScript just to be cut there.
      return `left(CAST(${col} AS VARCHAR), ${MAX_PREVIEW_TEXT + 1})`;
  }
}

function cell(value: unknown, c: ResolvedColumn): ColumnValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  const text = String(value);
  return fromText(text, c.type, c.sqlType);
}

function fromText(text: string, type: ColumnType, sqlType: string): ColumnValue {
  switch (type) {
    case 'integer': {
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n)) return text;
      // A DECIMAL is exact: beyond 2^53 a JavaScript number would silently round it.
      if (sqlType.startsWith('DECIMAL') && Math.abs(n) > Number.MAX_SAFE_INTEGER) return text;
      return n;
    }
    case 'binary': {
      const shown = sqlType === 'BLOB' ? 2 + BINARY_BYTES * 2 : BINARY_BYTES * 8;
      return text.length > shown ? `${text.slice(0, shown)}…` : text;
    }
    case 'boolean':
      return text === 'true';
    case 'date':
    case 'datetime':
    case 'time':
      return text;
    case 'string':
    case 'geometry':
    case 'json':
      return text.length > MAX_PREVIEW_TEXT ? `${text.slice(0, MAX_PREVIEW_TEXT)}…` : text;
  }
}

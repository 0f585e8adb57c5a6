import type { IngestDatabase } from './duckdb';
import { sqlIdent, sqlString } from './duckdb';
import type { ColumnProfile, ColumnType, ColumnValue } from './types';

/**
 * Per-column statistics of a written Parquet file, computed by DuckDB on the file itself so they
 * describe exactly what is published. Exact distinct counts: the catalog shows them next to
 * small-number rules, where an estimate off by a few would mislead.
 */

/** Columns per statement: one aggregate query over 2 000 columns is slow to plan; batches are not slower to run (Parquet is columnar). */
const COLUMNS_PER_QUERY = 100;
const EXAMPLE_ROWS = 200;
const EXAMPLES = 3;
const MAX_VALUE_LENGTH = 120;

/** Types whose min/max mean something. */
const ORDERED: ReadonlySet<ColumnType> = new Set(['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'time']);

export interface TypedColumn {
  name: string;
  type: ColumnType;
  /** DuckDB type as DESCRIBE prints it: tells TIMESTAMP from TIMESTAMPTZ. */
  sqlType: string;
}

/** Dates and datetimes as ISO 8601 text, computed in SQL so that JavaScript never reinterprets a zone. */
function presentable(column: string, c: TypedColumn): string {
  if (c.type === 'date') return `strftime(${column}, '%Y-%m-%d')`;
  if (c.type === 'datetime')
    return c.sqlType.includes('TIME ZONE') ? `strftime(${column}, '%Y-%m-%dT%H:%M:%SZ')` : `strftime(${column}, '%Y-%m-%dT%H:%M:%S')`;
  return `CAST(${column} AS VARCHAR)`;
}

function toValue(text: unknown, type: ColumnType): ColumnValue {
  if (text === null || text === undefined) return null;
  const s = String(text);
  if (type === 'integer') {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : s;
  }
  if (type === 'number') {
    const n = Number(s);
    return Number.isFinite(n) ? n : s;
  }
  if (type === 'boolean') return s === 'true';
  return s.length > MAX_VALUE_LENGTH ? `${s.slice(0, MAX_VALUE_LENGTH)}…` : s;
}

export async function profileParquet(
  db: IngestDatabase,
  parquetPath: string,
  columns: TypedColumn[],
): Promise<{ rowCount: number; columns: ColumnProfile[] }> {
  const source = `read_parquet(${sqlString(parquetPath)})`;
  let rowCount = columns.length ? 0 : Number((await db.all(`SELECT count(*) AS n FROM ${source}`))[0]!.n);
  const profiles: ColumnProfile[] = [];
  for (let start = 0; start < columns.length; start += COLUMNS_PER_QUERY) {
    const batch = columns.slice(start, start + COLUMNS_PER_QUERY);
    const aggregates = batch.flatMap((c, i) => {
      const col = sqlIdent(c.name);
      const list = [`count(${col}) AS n_${i}`, `count(DISTINCT ${col}) AS d_${i}`];
      if (ORDERED.has(c.type)) list.push(`${presentable(`min(${col})`, c)} AS lo_${i}`, `${presentable(`max(${col})`, c)} AS hi_${i}`);
      return list;
    });
    const row = (await db.all(`SELECT count(*) AS rows, ${aggregates.join(', ')} FROM ${source}`))[0]!;
    rowCount = Number(row.rows);
    const withExamples = batch.map((c, i) => ({ c, i })).filter(({ c }) => ORDERED.has(c.type));
    const samples = withExamples.length
      ? await db.columnsJson(
          `SELECT ${withExamples.map(({ c, i }) => `${presentable(sqlIdent(c.name), c)} AS e_${i}`).join(', ')} FROM ${source} LIMIT ${EXAMPLE_ROWS}`,
        )
      : {};
    batch.forEach((c, i) => {
      const examples: ColumnValue[] = [];
      for (const value of samples[`e_${i}`] ?? []) {
        if (examples.length === EXAMPLES) break;
        const v = toValue(value, c.type);
        if (v !== null && !examples.includes(v)) examples.push(v);
      }
      profiles.push({
        name: c.name,
        type: c.type,
        nullCount: rowCount - Number(row[`n_${i}`]),
        distinctCount: Number(row[`d_${i}`]),
        min: toValue(row[`lo_${i}`], c.type),
        max: toValue(row[`hi_${i}`], c.type),
        examples,
      });
    });
  }
  return { rowCount, columns: profiles };
}

/**
 * How DuckDB types map to catalog types, and how each column is written: nested values (structs,
 * lists, maps) become JSON text so every consumer sees flat columns, and a struct shaped like a
 * GeoJSON geometry (`type` + `coordinates`) becomes a `geometry` column of GeoJSON text.
 */
export function columnFromDuckDB(sqlType: string): { type: ColumnType; select: (col: string) => string; sqlType: string } {
  const t = sqlType.toUpperCase();
  const keep = (type: ColumnType) => ({ type, select: (col: string) => col, sqlType });
  const asText = (type: ColumnType) => ({ type, select: (col: string) => `CAST(to_json(${col}) AS VARCHAR)`, sqlType: 'VARCHAR' });
  if (t.startsWith('STRUCT(') && /[(,\s]"?type"?\s+VARCHAR/i.test(t) && /[(,\s]"?(coordinates|geometries)"?\s+/i.test(t))
    return asText('geometry');
  if (t.startsWith('STRUCT(') || t.startsWith('MAP(') || t.startsWith('UNION(') || t.endsWith(']')) return asText('json');
  if (t === 'JSON') return { type: 'json', select: (col) => `CAST(${col} AS VARCHAR)`, sqlType: 'VARCHAR' };
  if (t === 'BOOLEAN') return keep('boolean');
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(t)) return keep('integer');
  if (t === 'FLOAT' || t === 'DOUBLE' || t.startsWith('DECIMAL')) return keep('number');
  if (t === 'DATE') return keep('date');
  if (t.startsWith('TIMESTAMP')) return keep('datetime');
  if (t.startsWith('TIME')) return keep('time');
  if (t === 'BLOB' || t === 'BIT') return keep('binary');
  if (t === 'VARCHAR') return keep('string');
  // UUID, ENUM, INTERVAL…: their text form is what people expect to see.
  return { type: 'string', select: (col) => `CAST(${col} AS VARCHAR)`, sqlType: 'VARCHAR' };
}

import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import readline from 'node:readline';
import type { IngestContext, TableDraft } from './context';
import { normalizeColumnNames } from './dialect';
import { sqlIdent, sqlString } from './duckdb';
import { lineAtOffset, readHead } from './encoding';
import { IngestError, duckdbHint, lineFromDuckDBMessage, throwIfAborted } from './errors';
import { type TypedColumn, columnFromDuckDB, profileParquet } from './profile';
import { QualityCollector, renameIssues } from './quality';
import { asUtf8Text } from './text';
import type { ColumnType, SourceDescription } from './types';

/**
 * JSON (an array of objects, or one object), NDJSON (one object per line) and GeoJSON, through
 * DuckDB's `read_json`. Types come from the JSON itself (a string stays a string: `"09"` is text),
 * over the whole file rather than a sample, so a field that turns from number to text late in the
 * file does not fail the read. Nested values are written as JSON text.
 *
 * GeoJSON: one row per feature, properties as columns and the geometry as GeoJSON text in a
 * `geometry` column (no spatial extension here). A FeatureCollection, a bare Feature, or one
 * Feature per line are all accepted.
 */

export async function ingestJson(
  ctx: IngestContext,
  file: { path: string; tableName: string; kind: 'json' | 'ndjson' | 'geojson' },
): Promise<{ table: TableDraft; source: Pick<SourceDescription, 'encoding' | 'bom'> }> {
  const label = file.kind === 'geojson' ? 'fichier GeoJSON' : file.kind === 'ndjson' ? 'fichier NDJSON' : 'fichier JSON';
  const { size } = await fs.stat(file.path);
  const text = await asUtf8Text(ctx, file.path, size, label, { stripBom: true });
  const start = (await readHead(text.path, 4096))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (start === '') throw new IngestError('empty_file', `Le ${label} est vide. Choisissez le bon fichier et réessayez.`);
  if (start[0] !== '[' && start[0] !== '{')
    throw new IngestError(
      'invalid_json',
      `Ce ${label} ne commence ni par « [ » ni par « { » : ce n’est pas du JSON. Vérifiez le fichier (ou choisissez le format CSV s’il s’agit d’un tableau), puis réessayez.`,
      { line: 1 },
    );
  throwIfAborted(ctx.signal);

  const fail = async (error: unknown): Promise<never> => {
    if (error instanceof IngestError) throw error;
    const hint = duckdbHint(error);
    // For one object per line DuckDB's "in line N" runs one ahead, so the line is found by parsing
    // the lines; otherwise "at byte N" is an offset in the file.
    const byte = /at byte (\d+)/.exec(hint)?.[1];
    const line = /in line \d+/.test(hint)
      ? await firstInvalidJsonLine(text.path)
      : byte !== undefined
        ? await lineAtOffset(text.path, Number(byte))
        : lineFromDuckDBMessage(hint);
    throw new IngestError(
      'invalid_json',
      `Le ${label} n’est pas du JSON valide${line ? ` (ligne ${line})` : ''}${/end of data/i.test(hint) ? ' : une valeur s’y interrompt, le fichier est peut-être tronqué' : ''}. Vérifiez que le fichier est complet et bien formé (${hint}), puis réessayez.`,
      line === undefined ? { cause: error } : { line, cause: error },
    );
  };

  const quality = new QualityCollector();
  let relation: { from: string; columns: Array<{ name: string; type: ColumnType; select: string; sqlType: string }> };
  try {
    relation =
      file.kind === 'geojson'
        ? await geojsonRelation(ctx, text.path, size, quality)
        : await jsonRelation(ctx, text.path, file.kind, quality);
  } catch (error) {
    return fail(error);
  }

  const output = ctx.outputFor(file.tableName);
  let rows: number;
  try {
    rows = await ctx.db.copy(
      `COPY (SELECT ${relation.columns.map((c) => `${c.select} AS ${sqlIdent(c.name)}`).join(', ')} FROM ${relation.from}) TO ${sqlString(output)} (FORMAT parquet)`,
      (f) => ctx.progress('writing', Math.round(f * size), size),
    );
  } catch (error) {
    return fail(error);
  }
  if (rows === 0)
    throw new IngestError(
      'no_rows',
      file.kind === 'geojson'
        ? `Le ${label} ne contient aucune entité (« features » est vide). Exportez la couche avec ses entités, puis réessayez.`
        : `Le ${label} ne contient aucun enregistrement. Exportez les données avec leurs lignes, puis réessayez.`,
    );

  ctx.progress('profiling', size, size);
  const columns: TypedColumn[] = relation.columns.map(({ name, type, sqlType }) => ({ name, type, sqlType }));
  const profile = await profileParquet(ctx.db, output, columns);
  return {
    table: { name: file.tableName, parquetPath: output, rowCount: profile.rowCount, columns: profile.columns, quality: quality.report(0) },
    source: { encoding: text.encoding, bom: text.bom },
  };
}

async function jsonRelation(ctx: IngestContext, file: string, kind: 'json' | 'ndjson', quality: QualityCollector) {
  // sample_size = -1: infer types from every record, not the first 20 480.
  const from = `read_json(${sqlString(file)}, format = ${kind === 'ndjson' ? "'newline_delimited'" : "'auto'"}, sample_size = -1)`;
  ctx.progress('parsing', 0, 0);
  const described = await ctx.db.all(`DESCRIBE SELECT * FROM ${from}`);
  const { names, renames } = normalizeColumnNames(described.map((d) => String(d.column_name)));
  renameIssues(renames).forEach((issue) => quality.add(issue));
  const columns = described.map((d, i) => {
    const mapped = columnFromDuckDB(String(d.column_type));
    return { name: names[i]!, type: mapped.type, select: mapped.select(sqlIdent(String(d.column_name))), sqlType: mapped.sqlType };
  });
  return { from, columns };
}

/** Property types kept as they are; anything nested or mixed is kept as JSON text. */
const SCALAR_JSON_TYPES = new Set(['VARCHAR', 'BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN']);

async function geojsonRelation(ctx: IngestContext, file: string, size: number, quality: QualityCollector) {
  // A FeatureCollection is one JSON value: DuckDB must be allowed to hold it whole.
  const objects = `read_json_objects(${sqlString(file)}, format = 'auto', maximum_object_size = ${Math.min(size + 1024, 2 ** 32 - 1)})`;
  const features = `(SELECT unnest(CASE WHEN json->>'type' = 'FeatureCollection' THEN CAST(json->'features' AS JSON[]) ELSE [json] END) AS f FROM ${objects})`;
  ctx.progress('parsing', 0, size);
  const top = await ctx.db.all(`SELECT json->>'type' AS type, count(*) AS n FROM ${objects} GROUP BY 1 ORDER BY 2 DESC LIMIT 2`);
  const odd = top.find((t) => t.type !== 'FeatureCollection' && t.type !== 'Feature');
  if (!top.length || odd)
    throw new IngestError(
      'not_geojson',
      `Ce fichier est du JSON mais pas du GeoJSON : son objet principal est de type « ${String(odd?.type ?? 'inconnu')} » au lieu de « FeatureCollection » ou « Feature ». Exportez la couche en GeoJSON (ou choisissez le format JSON), puis réessayez.`,
      { line: 1 },
    );
  const summary = (
    await ctx.db.all(
      `SELECT json_group_structure(f->'properties') AS structure, count(f->'id') AS ids,
              count(*) FILTER (f->>'type' IS DISTINCT FROM 'Feature') AS strays, min(f->>'type') FILTER (f->>'type' IS DISTINCT FROM 'Feature') AS stray
         FROM ${features}`,
    )
  )[0]!;
  if (Number(summary.strays) > 0)
    throw new IngestError(
      'not_geojson',
      `La collection contient ${Number(summary.strays)} élément(s) qui ne sont pas des « Feature » (type « ${String(summary.stray ?? 'absent')} ») : ce n’est pas du GeoJSON valide. Corrigez l’export, puis réessayez.`,
    );

  const structure = summary.structure ? (JSON.parse(String(summary.structure)) as unknown) : {};
  const properties =
    structure && typeof structure === 'object' && !Array.isArray(structure)
      ? Object.entries(structure as Record<string, unknown>).map(([key, t]) => ({
          key,
          sqlType: typeof t === 'string' && SCALAR_JSON_TYPES.has(t) ? t : 'JSON',
        }))
      : [];
  const reserved = Number(summary.ids) > 0 ? ['geometry', 'id'] : ['geometry'];
  const { names, renames } = normalizeColumnNames(
    properties.map((p) => p.key),
    reserved,
  );
  renameIssues(renames).forEach((issue) => quality.add(issue));
  const transform = JSON.stringify(Object.fromEntries(properties.map((p) => [p.key, p.sqlType])));
  const columns = properties.map((p, i) => {
    const field = `struct_extract(p, ${sqlString(p.key)})`;
    const mapped =
      p.sqlType === 'JSON'
        ? { type: 'json' as const, select: `CAST(${field} AS VARCHAR)`, sqlType: 'VARCHAR' }
        : { ...scalar(p.sqlType), select: field };
    return { name: names[i]!, ...mapped };
  });
  if (Number(summary.ids) > 0) columns.unshift({ name: 'id', type: 'string', select: `f->>'id'`, sqlType: 'VARCHAR' });
  columns.push({ name: 'geometry', type: 'geometry', select: `CAST(f->'geometry' AS VARCHAR)`, sqlType: 'VARCHAR' });
  const from = properties.length ? `(SELECT f, json_transform(f->'properties', ${sqlString(transform)}) AS p FROM ${features})` : features;
  return { from, columns };
}

/** 1-based number of the first non-empty line that is not a JSON value (error path only). */
async function firstInvalidJsonLine(file: string): Promise<number | undefined> {
  const lines = readline.createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      try {
        JSON.parse(line);
      } catch {
        return n;
      }
    }
  } finally {
    lines.close();
  }
  return undefined;
}

function scalar(sqlType: string): { type: ColumnType; sqlType: string } {
  return { type: columnFromDuckDB(sqlType).type, sqlType };
}

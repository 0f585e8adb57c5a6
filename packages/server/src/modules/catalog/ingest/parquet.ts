import fs from 'node:fs/promises';
import type { IngestContext, TableDraft } from './context';
import { normalizeColumnNames } from './dialect';
import { sqlIdent, sqlString } from './duckdb';
import { readHead } from './encoding';
import { IngestError, duckdbHint } from './errors';
import { type TypedColumn, columnFromDuckDB, profileParquet } from './profile';
import { QualityCollector, renameIssues } from './quality';

/**
 * Parquet is re-read and re-written rather than stored as received: reading every page validates
 * the file (a truncated or corrupt upload fails here, not in a consumer's query), and the copy
 * gets the same conventions as every other table (flat columns, nested values as JSON text).
 */
export async function ingestParquet(ctx: IngestContext, file: { path: string; tableName: string }): Promise<TableDraft> {
  const { size } = await fs.stat(file.path);
  const head = await readHead(file.path, 4);
  if (head.toString('latin1') !== 'PAR1')
    throw new IngestError(
      'invalid_parquet',
      'Ce fichier n’est pas au format Parquet (signature « PAR1 » absente). Choisissez le bon format ou le bon fichier, puis réessayez.',
    );
  const source = `read_parquet(${sqlString(file.path)})`;
  const output = ctx.outputFor(file.tableName);
  const quality = new QualityCollector();
  let columns: Array<TypedColumn & { select: string }>;
  try {
    ctx.progress('parsing', 0, size);
    const described = await ctx.db.all(`DESCRIBE SELECT * FROM ${source}`);
    const { names, renames } = normalizeColumnNames(described.map((d) => String(d.column_name)));
    renameIssues(renames).forEach((issue) => quality.add(issue));
    columns = described.map((d, i) => {
      const mapped = columnFromDuckDB(String(d.column_type));
      return { name: names[i]!, type: mapped.type, sqlType: mapped.sqlType, select: mapped.select(sqlIdent(String(d.column_name))) };
    });
    await ctx.db.copy(
      `COPY (SELECT ${columns.map((c) => `${c.select} AS ${sqlIdent(c.name)}`).join(', ')} FROM ${source}) TO ${sqlString(output)} (FORMAT parquet)`,
      (f) => ctx.progress('writing', Math.round(f * size), size),
    );
  } catch (error) {
    const hint = duckdbHint(error);
    throw new IngestError(
      'invalid_parquet',
      `Ce fichier Parquet est illisible${/magic|footer|metadata|end of file|truncat/i.test(hint) ? ' : il semble tronqué ou abîmé' : ''} (${hint}). Réexportez-le ou renvoyez-le en entier, puis réessayez.`,
      { cause: error },
    );
  }
  ctx.progress('profiling', size, size);
  const profile = await profileParquet(ctx.db, output, columns);
  if (profile.rowCount === 0)
    throw new IngestError('no_rows', 'Ce fichier Parquet ne contient aucune ligne. Exportez la table avec ses données, puis réessayez.');
  return { name: file.tableName, parquetPath: output, rowCount: profile.rowCount, columns: profile.columns, quality: quality.report(0) };
}

import { sqlIdent } from '../ingest/duckdb';
import type { ColumnType } from '../ingest/types';
import { DataReaderError } from './errors';
import type { FileColumn, TableReader } from './reader';

/** A column as the catalog describes it (its stored schema). */
export interface CatalogColumn {
  name: string;
  type: ColumnType;
}

export interface ResolvedColumn extends CatalogColumn {
  sqlType: string;
  /** The name quoted as an SQL identifier: the only form in which a name ever enters SQL. */
  ident: string;
}

/**
 * Checks a column against the file's own columns before its name goes anywhere near SQL. Quoting
 * alone would already stop `x" FROM other_table --` from escaping the identifier; the check also
 * stops names that merely do not exist from reaching DuckDB, whose error would echo them back.
 */
export async function resolveColumn(reader: TableReader, column: CatalogColumn): Promise<ResolvedColumn> {
  const known = (await reader.columns()).find((c) => c.name === column.name);
  if (!known)
    throw new DataReaderError(
      'unknown_column',
      `La colonne « ${shorten(column.name)} » n’existe pas dans cette table : choisissez une colonne de son schéma.`,
      { column: column.name },
    );
  if (!compatible(column.type, known))
    throw new DataReaderError(
      'unreadable',
      `La colonne « ${shorten(column.name)} » du fichier (${known.sqlType}) ne correspond pas au type « ${column.type} » du catalogue : signalez-le à l’opérateur du nœud.`,
      { column: column.name },
    );
  return { ...column, sqlType: known.sqlType, ident: sqlIdent(known.name) };
}

/** Ingestion writes geometry and JSON values as GeoJSON/JSON text: VARCHAR columns in the file. */
function compatible(type: ColumnType, file: FileColumn): boolean {
  if (type === file.type) return true;
  return (type === 'geometry' || type === 'json') && file.type === 'string';
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

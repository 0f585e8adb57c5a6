import type { FileFormat } from '@confiance/contract';
import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/context';
import { isUuid } from '../../platform/crypto';
import type { DatasetsTable, DatasetVersionsTable } from '../../platform/db/schema';
import type { ColumnProfile, IngestFormat, QualityReport } from './ingest/index';

/** A column as a published version keeps it: the data's profile plus the steward's annotations. */
export interface StoredColumn extends ColumnProfile {
  description: string | null;
  unit: string | null;
  personal: boolean;
  sensitive: boolean;
}

export interface StoredTable {
  name: string;
  /** Object-store key of the table's Parquet file. */
  key: string;
  rowCount: number;
  byteSize: number;
  sha256: string;
  columns: StoredColumn[];
  quality: QualityReport;
}

export interface StoredSource {
  fileName: string;
  /** Object-store key of the file as it was uploaded. */
  key: string;
  format: IngestFormat;
  encoding: string | null;
  delimiter: string | null;
  decimalComma: boolean;
  byteSize: number;
  sha256: string;
}

/** The catalog's file type (EU vocabulary) of each uploaded format: facets and DCAT distributions. */
export const SOURCE_FILE_FORMAT: Record<IngestFormat, FileFormat> = {
  csv: 'CSV',
  tsv: 'TSV',
  json: 'JSON',
  ndjson: 'JSON',
  geojson: 'GEOJSON',
  parquet: 'PARQUET',
  gtfs: 'GTFS',
};

/** `YYYY-MM-DD` of a date column (pg gives Date, PGlite may give text). */
export const isoDay = (d: Date | string | null): string | null =>
  d === null ? null : (d instanceof Date ? d.toISOString() : String(d)).slice(0, 10);

export type DatasetRow = Selectable<DatasetsTable> & { publisher_slug: string; publisher_name: string; publisher_legal_name: string };
export type VersionRow = Omit<Selectable<DatasetVersionsTable>, 'source' | 'tables'> & {
  source: StoredSource;
  tables: StoredTable[];
  published_by_name: string | null;
};

function datasetQuery(db: Executor) {
  return db
    .selectFrom('datasets as d')
    .innerJoin('organisations as o', 'o.id', 'd.organisation_id')
    .select([
      'd.id',
      'd.slug',
      'd.organisation_id',
      'd.status',
      'd.access_level',
      'd.licence',
      'd.title_fr',
      'd.title_en',
      'd.description_fr',
      'd.description_en',
      'd.contact_name',
      'd.contact_email',
      'd.themes',
      'd.domains',
      'd.keywords',
      'd.spatial',
      'd.departements',
      'd.temporal_start',
      'd.temporal_end',
      'd.frequency',
      'd.attribution',
      'd.formats',
      'd.current_version',
      'd.issued',
      'd.modified',
      'd.created_by',
      'd.deprecated_at',
      'd.deprecation_note',
      'd.withdrawn_at',
      'd.withdrawal_reason',
      'o.slug as publisher_slug',
      'o.short_name as publisher_name',
      'o.legal_name as publisher_legal_name',
    ]);
}

export async function findDataset(db: Executor, slugOrId: string): Promise<DatasetRow | undefined> {
  const row = await datasetQuery(db)
    .where(isUuid(slugOrId) ? 'd.id' : 'd.slug', '=', slugOrId)
    .executeTakeFirst();
  return row as DatasetRow | undefined;
}

/** Every dataset in the catalog (withdrawn ones too: harvesters must learn they went), oldest first. */
export async function listCatalogDatasets(db: Executor): Promise<DatasetRow[]> {
  return (await datasetQuery(db).orderBy('d.issued').orderBy('d.slug').execute()) as DatasetRow[];
}

function versionQuery(db: Executor) {
  return db
    .selectFrom('dataset_versions as v')
    .leftJoin('users as u', 'u.id', 'v.published_by')
    .select([
      'v.dataset_id',
      'v.number',
      'v.notes',
      'v.published_at',
      'v.published_by',
      'v.row_count',
      'v.byte_size',
      'v.source',
      'v.tables',
      'u.display_name as published_by_name',
    ]);
}

export async function findVersion(db: Executor, datasetId: string, number: number): Promise<VersionRow | undefined> {
  const row = await versionQuery(db).where('v.dataset_id', '=', datasetId).where('v.number', '=', number).executeTakeFirst();
  return row as VersionRow | undefined;
}

export async function listVersions(db: Executor, datasetId: string): Promise<VersionRow[]> {
  return (await versionQuery(db).where('v.dataset_id', '=', datasetId).orderBy('v.number', 'desc').execute()) as VersionRow[];
}

/** The current versions of many datasets at once (the catalog export). */
export async function currentVersions(db: Executor, datasets: readonly DatasetRow[]): Promise<Map<string, VersionRow>> {
  if (datasets.length === 0) return new Map();
  const rows = (await versionQuery(db)
    .innerJoin('datasets as d', (j) => j.onRef('d.id', '=', 'v.dataset_id').onRef('d.current_version', '=', 'v.number'))
    .where(
      'v.dataset_id',
      'in',
      datasets.map((d) => d.id),
    )
    .execute()) as VersionRow[];
  return new Map(rows.map((r) => [r.dataset_id, r]));
}

export async function slugTaken(db: Executor, slug: string): Promise<boolean> {
  return (await db.selectFrom('datasets').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
}

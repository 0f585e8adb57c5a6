import {
  catalogDatasetSchema,
  catalogSchema,
  OCCITANIE,
  type Catalog,
  type CatalogDataset,
  type CatalogDatasetInput,
  type CatalogPublisher,
  type FileFormat,
} from '@confiance/contract';
import type { Context } from '../../platform/context';
import { findOrganisation } from '../members/index';
import { currentVersions, isoDay, listCatalogDatasets, SOURCE_FILE_FORMAT, type DatasetRow, type VersionRow } from './repository';

/**
 * The stored catalog as the DCAT-AP model (`contract/src/catalog.ts`), for the Turtle and JSON-LD
 * exports. Distributions: the file as uploaded, and one Parquet file per table. Download URLs
 * appear only where anyone may download (open data); elsewhere the access URL is the dataset page,
 * where the access rules are explained.
 */

const MEDIA_TYPE: Record<FileFormat, string> = {
  CSV: 'text/csv',
  TSV: 'text/tab-separated-values',
  JSON: 'application/json',
  GEOJSON: 'application/geo+json',
  PARQUET: 'application/vnd.apache.parquet',
  ZIP: 'application/zip',
  GTFS: 'application/zip',
};
const distributionId = (table: string) => `table-${table.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'donnees'}`;

function publisherOf(d: DatasetRow, baseUrl: string): CatalogPublisher {
  return {
    slug: d.publisher_slug,
    name: d.publisher_legal_name,
    type: null,
    homepage: `${baseUrl.replace(/\/+$/, '')}/organisations/${d.publisher_slug}`,
  };
}

export function toCatalogDataset(d: DatasetRow, v: VersionRow, baseUrl: string): CatalogDataset {
  const download = d.access_level === 'open' && d.status !== 'withdrawn';
  const page = `/datasets/${d.slug}`;
  const api = `/api/v1/datasets/${d.slug}/download`;
  const issued = v.published_at.toISOString();
  const sourceFormat = SOURCE_FILE_FORMAT[v.source.format];
  const input: CatalogDatasetInput = {
    slug: d.slug,
    title: { fr: d.title_fr, en: d.title_en },
    description: { fr: d.description_fr, en: d.description_en },
    publisher: publisherOf(d, baseUrl),
    contactPoint: d.contact_name && d.contact_email ? { name: d.contact_name, email: d.contact_email } : null,
    themes: d.themes as CatalogDataset['themes'],
    domains: d.domains as CatalogDataset['domains'],
    keywords: d.keywords,
    spatial: d.spatial as CatalogDataset['spatial'],
    temporal: d.temporal_start ? { start: isoDay(d.temporal_start)!, end: isoDay(d.temporal_end) } : null,
    frequency: d.frequency as CatalogDataset['frequency'],
    licence: d.licence as CatalogDataset['licence'],
    accessLevel: d.access_level,
    issued: d.issued.toISOString(),
    modified: d.modified.toISOString(),
    version: String(v.number),
    versionNotes: v.notes,
    status: d.status,
    attribution: d.attribution,
    distributions: [
      {
        id: 'source',
        title: { fr: `Fichier d’origine : ${v.source.fileName}`, en: `Original file: ${v.source.fileName}` },
        format: sourceFormat,
        mediaType: MEDIA_TYPE[sourceFormat],
        accessUrl: page,
        downloadUrl: download ? `${api}?format=original` : null,
        byteSize: v.source.byteSize,
        checksumSha256: v.source.sha256,
        issued,
      },
      ...v.tables.map((t) => ({
        id: distributionId(t.name),
        title: { fr: `Table « ${t.name} » (Parquet, ${t.rowCount} lignes)`, en: `Table “${t.name}” (Parquet, ${t.rowCount} rows)` },
        format: 'PARQUET' as const,
        mediaType: MEDIA_TYPE.PARQUET,
        accessUrl: page,
        downloadUrl: download ? `${api}?table=${encodeURIComponent(t.name)}` : null,
        byteSize: t.byteSize,
        checksumSha256: t.sha256,
        issued,
      })),
    ],
  };
  return catalogDatasetSchema.parse(input);
}

/** The catalog record: published by the organisation that runs the node (`CONFIANCE_CATALOG_PUBLISHER`). */
async function catalogRecord(ctx: Context, datasets: readonly DatasetRow[]): Promise<Catalog> {
  const base = ctx.config.baseUrl.replace(/\/+$/, '');
  const operator = ctx.config.catalogPublisher ? await findOrganisation(ctx.db, ctx.config.catalogPublisher) : undefined;
  const publisher: CatalogPublisher = operator
    ? { slug: operator.slug, name: operator.legal_name, type: null, homepage: operator.website ?? `${base}/organisations/${operator.slug}` }
    : { slug: 'noeud', name: 'Nœud Confiance', type: null, homepage: `${base}/` };
  const modified = datasets.reduce<Date | null>((latest, d) => (latest && latest > d.modified ? latest : d.modified), null);
  return catalogSchema.parse({
    title: { fr: 'Catalogue de l’espace de données Confiance', en: 'Confiance data space catalogue' },
    description: {
      fr: 'Jeux de données partagés par les membres du consortium dans un cadre de confiance : métadonnées publiques, accès aux données selon le niveau de chaque jeu et les contrats.',
      en: 'Datasets shared by the consortium members in a trusted framework: public metadata, data access as each dataset’s level and contracts allow.',
    },
    publisher,
    homepage: `${base}/datasets`,
    languages: ['fr'],
    licence: 'etalab-2.0',
    modified: modified?.toISOString() ?? null,
    spatial: [{ level: 'region', code: OCCITANIE.code, name: OCCITANIE.name, bbox: null }],
  });
}

export async function exportCatalog(ctx: Context): Promise<{ catalog: Catalog; datasets: CatalogDataset[] }> {
  const rows = await listCatalogDatasets(ctx.db);
  const versions = await currentVersions(ctx.db, rows);
  return {
    catalog: await catalogRecord(ctx, rows),
    datasets: rows.map((d) => toCatalogDataset(d, versions.get(d.id)!, ctx.config.baseUrl)),
  };
}

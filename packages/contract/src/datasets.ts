import { z } from 'zod';
import {
  ACCESS_LEVELS,
  CATALOG_DOMAINS,
  DATASET_STATUSES,
  EU_DATA_THEMES,
  FILE_FORMATS,
  FREQUENCIES,
  LICENCE_CODES,
  contactPointSchema,
  inseeAreaSchema,
  localizedDescription,
  localizedTitle,
  temporalCoverageSchema,
} from './catalog';
import { slugSchema } from './members';

/**
 * The catalog's API: uploads (a file on its way to becoming Parquet), datasets, their versions,
 * search with facets, previews and downloads. The catalog model itself (`catalog.ts`) is what the
 * DCAT-AP export speaks; these are the shapes the portal and the CLI exchange with the server.
 */

// ---------------------------------------------------------------------------------------------
// Columns as ingestion found them, and as the steward describes them

export const COLUMN_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'time', 'geometry', 'json', 'binary'] as const;
export type ColumnTypeCode = (typeof COLUMN_TYPES)[number];

const columnValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const columnProfileSchema = z.object({
  name: z.string(),
  type: z.enum(COLUMN_TYPES),
  nullCount: z.number().int(),
  distinctCount: z.number().int(),
  min: columnValue,
  max: columnValue,
  examples: z.array(columnValue),
});

export const qualityIssueSchema = z.object({
  kind: z.enum(['rejected_row', 'invalid_value', 'missing_value', 'mixed_formats', 'renamed_column']),
  message: z.string(),
  row: z.number().int().optional(),
  line: z.number().int().optional(),
  column: z.string().optional(),
  sample: z.string().optional(),
  count: z.number().int().optional(),
});

export const qualityReportSchema = z.object({
  issues: z.array(qualityIssueSchema),
  issueCount: z.number().int(),
  rejectedRows: z.number().int(),
});
export type QualityReportView = z.infer<typeof qualityReportSchema>;

/** What the steward adds to a column: the rest comes from the data. */
export const columnAnnotationInput = z
  .object({
    table: z.string().min(1).max(120),
    name: z.string().min(1).max(300),
    description: z.string().trim().max(1000).nullable().default(null),
    unit: z.string().trim().max(40).nullable().default(null),
    /** Data about identifiable people (RGPD): narrows what offers may grant. */
    personal: z.boolean().default(false),
    /** Health, ethnic origin, opinions… (RGPD art. 9) or commercially sensitive. */
    sensitive: z.boolean().default(false),
  })
  .strict();
export type ColumnAnnotationInput = z.input<typeof columnAnnotationInput>;

export const columnSchema = columnProfileSchema.extend({
  description: z.string().nullable(),
  unit: z.string().nullable(),
  personal: z.boolean(),
  sensitive: z.boolean(),
});
export type ColumnView = z.infer<typeof columnSchema>;

export const tableSchema = z.object({
  name: z.string(),
  rowCount: z.number().int(),
  byteSize: z.number().int(),
  columns: z.array(columnSchema),
  quality: qualityReportSchema,
});
export type TableView = z.infer<typeof tableSchema>;

export const sourceSchema = z.object({
  fileName: z.string(),
  format: z.enum(['csv', 'tsv', 'json', 'ndjson', 'geojson', 'parquet', 'gtfs']),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  decimalComma: z.boolean(),
  byteSize: z.number().int(),
  sha256: z.string(),
});
export type SourceView = z.infer<typeof sourceSchema>;

// ---------------------------------------------------------------------------------------------
// Uploads: the file is streamed, converted in the background, reviewed, then published

export const UPLOAD_STATUSES = ['ingesting', 'ready', 'failed', 'published'] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

/** `queued`: received whole, waiting for a free conversion slot. */
export const INGEST_PHASES = [
  'receiving',
  'queued',
  'scanning',
  'transcoding',
  'unzipping',
  'parsing',
  'typing',
  'writing',
  'profiling',
  'done',
] as const;

export const uploadQuery = z
  .object({
    /** The file's name on the uploader's machine: picks the format and names the table. */
    name: z.string().trim().min(1).max(255),
    format: z.enum(['csv', 'tsv', 'json', 'ndjson', 'geojson', 'parquet', 'gtfs']).optional(),
  })
  .strict();

export const uploadSchema = z.object({
  id: z.uuid(),
  fileName: z.string(),
  byteSize: z.number().int(),
  status: z.enum(UPLOAD_STATUSES),
  progress: z.object({ phase: z.enum(INGEST_PHASES), done: z.number(), total: z.number() }).nullable(),
  error: z.object({ code: z.string(), message: z.string(), line: z.number().int().nullable(), column: z.string().nullable() }).nullable(),
  source: sourceSchema.nullable(),
  /** Inferred schema with statistics; empty until ready. Annotations are defaults (nothing flagged). */
  tables: z.array(tableSchema),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type UploadView = z.infer<typeof uploadSchema>;

// ---------------------------------------------------------------------------------------------
// Datasets

const spatialInput = z.array(inseeAreaSchema).max(500);

export const datasetMetadataInput = z
  .object({
    title: localizedTitle,
    description: localizedDescription,
    contactPoint: contactPointSchema.nullable().default(null),
    themes: z.array(z.enum(EU_DATA_THEMES)).max(EU_DATA_THEMES.length).default([]),
    domains: z.array(z.enum(CATALOG_DOMAINS)).max(CATALOG_DOMAINS.length).default([]),
    keywords: z.array(z.string().trim().min(1).max(80)).max(50).default([]),
    spatial: spatialInput.default([]),
    temporal: temporalCoverageSchema.nullable().default(null),
    frequency: z.enum(FREQUENCIES).nullable().default(null),
    licence: z.enum(LICENCE_CODES),
    accessLevel: z.enum(ACCESS_LEVELS),
    attribution: z.string().trim().min(1).max(500).nullable().default(null),
  })
  .strict();

export const datasetPublishInput = datasetMetadataInput
  .extend({
    /** The publishing organisation (slug or id): the caller must be its data steward or admin. */
    organisation: z.string().min(1).max(100),
    /** Derived from the title when absent. */
    slug: slugSchema.optional(),
    upload: z.uuid(),
    columns: z.array(columnAnnotationInput).max(5000).default([]),
    versionNotes: z.string().trim().max(2000).nullable().default(null),
  })
  .strict();
export type DatasetPublishInput = z.input<typeof datasetPublishInput>;

export const SCHEMA_CHANGE_KINDS = ['table_dropped', 'column_dropped', 'column_renamed', 'column_type_changed', 'column_flagged'] as const;
export const schemaChangeSchema = z.object({
  kind: z.enum(SCHEMA_CHANGE_KINDS),
  table: z.string(),
  column: z.string().nullable(),
  /** Renamed: the new name; type changed: the new type; flagged: `personal` or `sensitive`. */
  detail: z.string().nullable(),
});
export type SchemaChange = z.infer<typeof schemaChangeSchema>;

/** `details` of the 409 `schema_change_unconfirmed` error. */
export const schemaImpactSchema = z.object({
  changes: z.array(schemaChangeSchema),
  /** Offers and contracts on this dataset that the change touches (filled once those modules exist). */
  affected: z.array(z.object({ kind: z.enum(['offer', 'contract']), id: z.string(), label: z.string() })),
});
export type SchemaImpact = z.infer<typeof schemaImpactSchema>;

export const versionPublishInput = z
  .object({
    upload: z.uuid(),
    columns: z.array(columnAnnotationInput).max(5000).default([]),
    versionNotes: z.string().trim().max(2000).nullable().default(null),
    /** Required when the version drops, renames or newly flags columns (the 409 lists what it touches). */
    confirmSchemaChange: z.boolean().default(false),
  })
  .strict();
export type VersionPublishInput = z.input<typeof versionPublishInput>;

export const deprecateInput = z.object({ note: z.string().trim().min(3).max(1000) }).strict();
export const withdrawInput = z.object({ reason: z.string().trim().min(3).max(1000) }).strict();

export const publisherRefSchema = z.object({ id: z.uuid(), slug: z.string(), name: z.string() });

/** What the caller may do with the data (metadata is always public); see the access-level table. */
export const dataAccessSchema = z.object({
  preview: z.boolean(),
  download: z.boolean(),
  /** French explanation when something is not allowed: shown instead of the preview. */
  reason: z.string().nullable(),
});
export type DataAccessView = z.infer<typeof dataAccessSchema>;

export const versionSummarySchema = z.object({
  /** The version's number as text: lists give every item an `id`. */
  id: z.string(),
  number: z.number().int(),
  notes: z.string().nullable(),
  publishedAt: z.string(),
  publishedBy: z.string().nullable(),
  rowCount: z.number().int(),
  byteSize: z.number().int(),
  source: sourceSchema,
});
export type VersionSummary = z.infer<typeof versionSummarySchema>;

export const versionSchema = versionSummarySchema.extend({ tables: z.array(tableSchema) });
export type VersionView = z.infer<typeof versionSchema>;

export const datasetSummarySchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  uri: z.string(),
  title: z.object({ fr: z.string(), en: z.string().nullable() }),
  /** First characters of the French description, without markup. */
  excerpt: z.string(),
  publisher: publisherRefSchema,
  themes: z.array(z.enum(EU_DATA_THEMES)),
  domains: z.array(z.enum(CATALOG_DOMAINS)),
  keywords: z.array(z.string()),
  licence: z.enum(LICENCE_CODES),
  accessLevel: z.enum(ACCESS_LEVELS),
  status: z.enum(DATASET_STATUSES),
  frequency: z.enum(FREQUENCIES).nullable(),
  formats: z.array(z.enum(FILE_FORMATS)),
  departements: z.array(z.string()),
  issued: z.string(),
  modified: z.string(),
  currentVersion: z.number().int(),
});
export type DatasetSummary = z.infer<typeof datasetSummarySchema>;

export const datasetSchema = datasetSummarySchema.extend({
  description: z.object({ fr: z.string(), en: z.string().nullable() }),
  contactPoint: z.object({ name: z.string(), email: z.string() }).nullable(),
  spatial: z.array(
    z.object({
      level: z.enum(['region', 'departement', 'commune']),
      code: z.string(),
      name: z.string(),
      bbox: z.array(z.number()).nullable(),
    }),
  ),
  temporal: z.object({ start: z.string(), end: z.string().nullable() }).nullable(),
  attribution: z.string().nullable(),
  deprecation: z.object({ at: z.string(), note: z.string() }).nullable(),
  withdrawal: z.object({ at: z.string(), reason: z.string() }).nullable(),
  version: versionSchema,
  versionCount: z.number().int(),
  access: dataAccessSchema,
  /** Whether the caller may publish versions, deprecate or withdraw. */
  canManage: z.boolean(),
});
export type DatasetView = z.infer<typeof datasetSchema>;

// ---------------------------------------------------------------------------------------------
// Search

export const SEARCH_SORTS = ['relevance', 'date', 'title'] as const;
export const FACETS = ['theme', 'domain', 'publisher', 'licence', 'accessLevel', 'departement', 'format', 'frequency'] as const;
export type Facet = (typeof FACETS)[number];

const many = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (v === undefined ? undefined : Array.isArray(v) ? v : String(v).split(',').filter(Boolean)),
    z.array(item).max(50).optional(),
  );

export const datasetSearch = z
  .object({
    q: z.string().trim().max(200).optional(),
    theme: many(z.enum(EU_DATA_THEMES)),
    domain: many(z.enum(CATALOG_DOMAINS)),
    publisher: many(z.string().min(1).max(80)),
    licence: many(z.enum(LICENCE_CODES)),
    accessLevel: many(z.enum(ACCESS_LEVELS)),
    departement: many(z.string().regex(/^(\d{2}|2A|2B|97[1-6])$/, 'code département INSEE, par exemple "09"')),
    format: many(z.enum(FILE_FORMATS)),
    frequency: many(z.enum(FREQUENCIES)),
    /** Deprecated datasets are listed (flagged); withdrawn ones only when asked for. */
    includeWithdrawn: z.enum(['true', 'false']).optional(),
    sort: z.enum(SEARCH_SORTS).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type DatasetSearch = z.input<typeof datasetSearch>;

export const facetCountSchema = z.object({ value: z.string(), label: z.string().nullable(), count: z.number().int() });
export const datasetSearchResult = z.object({
  items: z.array(datasetSummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  facets: z.object(
    Object.fromEntries(FACETS.map((f) => [f, z.array(facetCountSchema)])) as Record<Facet, z.ZodArray<typeof facetCountSchema>>,
  ),
});
export type DatasetSearchResult = z.infer<typeof datasetSearchResult>;

export const versionList = z.object({ items: z.array(versionSummarySchema), total: z.number().int() });

// ---------------------------------------------------------------------------------------------
// Data (as the access level allows)

export const dataQuery = z
  .object({
    version: z.coerce.number().int().min(1).optional(),
    table: z.string().min(1).max(120).optional(),
  })
  .strict();

export const previewQuery = dataQuery.extend({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
export const previewSchema = z.object({
  table: z.string(),
  columns: z.array(z.object({ name: z.string(), type: z.enum(COLUMN_TYPES) })),
  /** Cells in column order; dates as ISO text, big integers as text, geometry as GeoJSON text. */
  rows: z.array(z.array(columnValue)),
  rowCount: z.number().int(),
});
export type PreviewView = z.infer<typeof previewSchema>;

export const chartQuery = dataQuery.extend({ column: z.string().min(1).max(300) }).strict();
export const chartSchema = z.object({
  table: z.string(),
  column: z.string(),
  /** histogram: numeric bins; timeline: counts per period; top: most frequent values. */
  kind: z.enum(['histogram', 'timeline', 'top']),
  buckets: z.array(z.object({ label: z.string(), count: z.number().int() })),
});
export type ChartView = z.infer<typeof chartSchema>;

export const DOWNLOAD_FORMATS = ['parquet', 'csv', 'original'] as const;
export const downloadQuery = dataQuery.extend({ format: z.enum(DOWNLOAD_FORMATS).default('parquet') }).strict();

// ---------------------------------------------------------------------------------------------
// Geography for maps (boundaries shipped with the node)

export const geoFeatureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.object({ code: z.string(), name: z.string() }),
      geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.unknown() }),
    }),
  ),
});

export const geoQuery = z
  .object({
    level: z.enum(['region', 'departement', 'commune']),
    /** Communes: the département whose communes to return. */
    departement: z
      .string()
      .regex(/^(\d{2}|2A|2B)$/)
      .optional(),
  })
  .strict();

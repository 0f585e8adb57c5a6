import { z } from 'zod';
import { DOMAINS, slugSchema } from './members';

/**
 * The catalog model, aligned with DCAT-AP 3.0.1: what the server stores and presents for a
 * dataset, and what the DCAT-AP export (`server/src/modules/catalog/dcat`) turns into RDF. Every
 * controlled value is a code here; the export maps each code to the URI of its vocabulary (EU
 * Publications Office authorities, ADMS, IANA, INSEE), so the data stays plain JSON.
 *
 * Nothing here holds a URI derived from the node's base URL: those come from `catalogUris`, so a
 * node that changes its public address re-publishes consistent identifiers without a migration.
 */

// ---------------------------------------------------------------------------------------------
// Controlled vocabularies (codes)

/** EU data themes (http://publications.europa.eu/resource/authority/data-theme/…). */
export const EU_DATA_THEMES = [
  'AGRI',
  'ECON',
  'EDUC',
  'ENER',
  'ENVI',
  'GOVE',
  'HEAL',
  'INTR',
  'JUST',
  'REGI',
  'SOCI',
  'TECH',
  'TRAN',
] as const;
export type EuDataTheme = (typeof EU_DATA_THEMES)[number];

/** The consortium's domains (environnement, climat, santé, mobilité, tourisme et littoral…): one list with the members' domains. */
export const CATALOG_DOMAINS = DOMAINS;
export type CatalogDomain = (typeof CATALOG_DOMAINS)[number];

/** Update frequencies (EU frequency authority codes). */
export const FREQUENCIES = [
  'UPDATE_CONT',
  'HOURLY',
  'DAILY',
  'WEEKLY',
  'MONTHLY',
  'QUARTERLY',
  'ANNUAL',
  'IRREG',
  'NEVER',
  'UNKNOWN',
] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** File types of distributions (EU file-type authority codes). */
export const FILE_FORMATS = ['CSV', 'TSV', 'PARQUET', 'JSON', 'GEOJSON', 'ZIP', 'GTFS'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/** Who gets data (metadata is public for every published dataset); the ceiling every offer narrows. See DESIGN.md. */
export const ACCESS_LEVELS = ['open', 'members', 'restricted', 'aggregate_only'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** A dataset's life: drafts are never in the catalog; deprecated stays readable, flagged; withdrawn gives no new access. */
export const DATASET_STATUSES = ['draft', 'published', 'deprecated', 'withdrawn'] as const;
export type DatasetStatus = (typeof DATASET_STATUSES)[number];

/** Publisher types (ADMS publisher-type vocabulary, http://purl.org/adms/publishertype/…). */
export const PUBLISHER_TYPES = [
  'NationalAuthority',
  'RegionalAuthority',
  'LocalAuthority',
  'Academia-ScientificOrganisation',
  'Company',
  'IndustryConsortium',
  'NonProfitOrganisation',
  'NonGovernmentalOrganisation',
  'SupraNationalAuthority',
  'StandardisationBody',
] as const;
export type PublisherType = (typeof PUBLISHER_TYPES)[number];

export const DATA_LANGUAGES = ['fr', 'en'] as const;
export type DataLanguage = (typeof DATA_LANGUAGES)[number];

export const LICENCE_CODES = ['etalab-2.0', 'odbl-1.0', 'cc-by-4.0', 'cc-by-nc-4.0', 'proprietary'] as const;
export type LicenceCode = (typeof LICENCE_CODES)[number];

export interface LicenceInfo {
  /** Canonical document URL; null for `proprietary`, whose document lives on the node (see `licenceUri`). */
  url: string | null;
  label: string;
  shortLabel: string;
  /** Whether the licence itself allows commercial use: an offer may never contradict it. */
  commercialUse: boolean;
  shareAlike: boolean;
}

export const LICENCES: Record<LicenceCode, LicenceInfo> = {
  'etalab-2.0': {
    url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
    label: 'Licence Ouverte / Open Licence version 2.0',
    shortLabel: 'Licence Ouverte 2.0',
    commercialUse: true,
    shareAlike: false,
  },
  'odbl-1.0': {
    url: 'https://opendatacommons.org/licenses/odbl/1-0/',
    label: 'Open Database License (ODbL) v1.0',
    shortLabel: 'ODbL 1.0',
    commercialUse: true,
    shareAlike: true,
  },
  'cc-by-4.0': {
    url: 'https://creativecommons.org/licenses/by/4.0/',
    label: 'Creative Commons Attribution 4.0 International',
    shortLabel: 'CC BY 4.0',
    commercialUse: true,
    shareAlike: false,
  },
  'cc-by-nc-4.0': {
    url: 'https://creativecommons.org/licenses/by-nc/4.0/',
    label: "Creative Commons Attribution - Pas d'utilisation commerciale 4.0 International",
    shortLabel: 'CC BY-NC 4.0',
    commercialUse: false,
    shareAlike: false,
  },
  proprietary: {
    url: null,
    label: 'Licence propriétaire : conditions fixées par le contrat',
    shortLabel: 'Propriétaire',
    commercialUse: true,
    shareAlike: false,
  },
};

// ---------------------------------------------------------------------------------------------
// Stable URIs rooted in the node's public base URL (DESIGN.md: `{BASE_URL}/datasets/{slug}`)

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

export const catalogUris = {
  catalog: (baseUrl: string) => `${trimBase(baseUrl)}/catalog`,
  dataset: (baseUrl: string, slug: string) => `${trimBase(baseUrl)}/datasets/${slug}`,
  distribution: (baseUrl: string, datasetSlug: string, id: string) => `${trimBase(baseUrl)}/datasets/${datasetSlug}/distributions/${id}`,
  organisation: (baseUrl: string, slug: string) => `${trimBase(baseUrl)}/organisations/${slug}`,
  /** An offer's ODRL policy uid, a contract's Agreement uid, a project as a party. */
  offer: (baseUrl: string, id: string) => `${trimBase(baseUrl)}/offers/${id}`,
  contract: (baseUrl: string, id: string) => `${trimBase(baseUrl)}/contracts/${id}`,
  project: (baseUrl: string, id: string) => `${trimBase(baseUrl)}/projects/${id}`,
  /** The consortium's domain concept scheme, and one domain in it. */
  domainScheme: (baseUrl: string) => `${trimBase(baseUrl)}/vocabulary/domains`,
  domain: (baseUrl: string, code: CatalogDomain) => `${trimBase(baseUrl)}/vocabulary/domains/${code}`,
  /** Resolves a stored link: absolute URLs stay as they are, paths (`/api/v1/…`) hang off the base URL. */
  resolve: (baseUrl: string, urlOrPath: string) => (urlOrPath.startsWith('/') ? `${trimBase(baseUrl)}${urlOrPath}` : urlOrPath),
};

export function licenceUri(code: LicenceCode, baseUrl: string): string {
  return LICENCES[code].url ?? `${trimBase(baseUrl)}/licences/${code}`;
}

// ---------------------------------------------------------------------------------------------
// Geography: INSEE codes are zero-padded text (Ariège is "09", never 9)

/** The consortium's région (INSEE code 76) and its départements: one list for maps, facets, the CLI and the demo. */
export const OCCITANIE = { code: '76', name: 'Occitanie' } as const;
export const OCCITANIE_DEPARTEMENTS: Readonly<Record<string, string>> = {
  '09': 'Ariège',
  '11': 'Aude',
  '12': 'Aveyron',
  '30': 'Gard',
  '31': 'Haute-Garonne',
  '32': 'Gers',
  '34': 'Hérault',
  '46': 'Lot',
  '48': 'Lozère',
  '65': 'Hautes-Pyrénées',
  '66': 'Pyrénées-Orientales',
  '81': 'Tarn',
  '82': 'Tarn-et-Garonne',
};
/** Their codes in order (`09` first: integer-like object keys would otherwise come before it). */
export const OCCITANIE_DEPARTEMENT_CODES: readonly string[] = Object.keys(OCCITANIE_DEPARTEMENTS).sort();

export const INSEE_AREA_LEVELS = ['region', 'departement', 'commune'] as const;
export type InseeAreaLevel = (typeof INSEE_AREA_LEVELS)[number];

const INSEE_CODE_PATTERNS: Record<InseeAreaLevel, { pattern: RegExp; hint: string }> = {
  region: { pattern: /^\d{2}$/, hint: 'code région INSEE à 2 chiffres, par exemple "76"' },
  departement: { pattern: /^(\d{2}|2A|2B|97[1-6])$/, hint: 'code département INSEE, par exemple "09", "34", "2A" ou "974"' },
  commune: { pattern: /^(\d{5}|2[AB]\d{3})$/, hint: 'code commune INSEE à 5 caractères, par exemple "34172"' },
};

/** [west, south, east, north] in WGS84 degrees. */
export const bboxSchema = z
  .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)])
  .refine(([w, s, e, n]) => w < e && s < n, 'emprise attendue sous la forme [ouest, sud, est, nord]');

export const inseeAreaSchema = z
  .object({
    level: z.enum(INSEE_AREA_LEVELS),
    code: z.string(),
    name: z.string().trim().min(1).max(120),
    bbox: bboxSchema.nullable().default(null),
  })
  .strict()
  .superRefine((area, ctx) => {
    const { pattern, hint } = INSEE_CODE_PATTERNS[area.level];
    if (!pattern.test(area.code)) ctx.addIssue({ code: 'custom', path: ['code'], message: hint });
  });
export type InseeArea = z.infer<typeof inseeAreaSchema>;

// ---------------------------------------------------------------------------------------------
// Building blocks

/** A calendar date (YYYY-MM-DD) or an instant with its offset; exported as xsd:date or xsd:dateTime. */
export const catalogDateSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

function localized(max: number) {
  return z
    .object({
      fr: z.string().trim().min(1).max(max),
      en: z.string().trim().min(1).max(max).nullable().default(null),
    })
    .strict();
}
export const localizedTitle = localized(200);
export const localizedDescription = localized(10_000);
export type LocalizedText = z.infer<typeof localizedTitle>;

/** Absolute http(s) URL, or a path on this node (`/api/v1/…`) resolved against the base URL at export. */
export const urlOrPathSchema = z.union([
  z.url({ protocol: /^https?$/ }),
  z.string().regex(/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$/, 'chemin commençant par /, sans espace ni caractère hors URL'),
]);

export const catalogPublisherSchema = z
  .object({
    slug: slugSchema,
    name: z.string().trim().min(1).max(200),
    type: z.enum(PUBLISHER_TYPES).nullable().default(null),
    homepage: z
      .url({ protocol: /^https?$/ })
      .nullable()
      .default(null),
  })
  .strict();
export type CatalogPublisher = z.infer<typeof catalogPublisherSchema>;

export const contactPointSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email(),
  })
  .strict();
export type ContactPoint = z.infer<typeof contactPointSchema>;

export const temporalCoverageSchema = z
  .object({
    start: z.iso.date(),
    /** null while the series is still being extended. */
    end: z.iso.date().nullable().default(null),
  })
  .strict()
  .refine((t) => t.end === null || t.start <= t.end, { path: ['end'], message: 'la fin de la période précède son début' });
export type TemporalCoverage = z.infer<typeof temporalCoverageSchema>;

export const distributionSchema = z
  .object({
    /** Unique within the dataset; the distribution's URI is `{dataset}/distributions/{id}`. */
    id: slugSchema,
    title: localizedTitle,
    description: localizedDescription.nullable().default(null),
    format: z.enum(FILE_FORMATS),
    /** IANA media type, e.g. text/csv, application/vnd.apache.parquet. */
    mediaType: z.string().regex(/^[a-z]+\/[a-z0-9][a-z0-9.+-]*$/, 'type de média IANA attendu, par exemple text/csv'),
    accessUrl: urlOrPathSchema,
    downloadUrl: urlOrPathSchema.nullable().default(null),
    byteSize: z.number().int().nonnegative().nullable().default(null),
    /** SHA-256 of the file, lower-case hex. */
    checksumSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'empreinte SHA-256 attendue : 64 caractères hexadécimaux en minuscules')
      .nullable()
      .default(null),
    /** Defaults to the dataset's licence. */
    licence: z.enum(LICENCE_CODES).nullable().default(null),
    /** Rights statement in French (attribution, conditions); defaults to the dataset's attribution. */
    rights: z.string().trim().min(1).max(2000).nullable().default(null),
    issued: catalogDateSchema.nullable().default(null),
    modified: catalogDateSchema.nullable().default(null),
  })
  .strict();
export type Distribution = z.infer<typeof distributionSchema>;

// ---------------------------------------------------------------------------------------------
// Dataset and catalog

export const catalogDatasetSchema = z
  .object({
    slug: slugSchema,
    title: localizedTitle,
    description: localizedDescription,
    publisher: catalogPublisherSchema,
    contactPoint: contactPointSchema.nullable().default(null),
    themes: z.array(z.enum(EU_DATA_THEMES)).max(EU_DATA_THEMES.length).default([]),
    domains: z.array(z.enum(CATALOG_DOMAINS)).max(CATALOG_DOMAINS.length).default([]),
    keywords: z.array(z.string().trim().min(1).max(80)).max(50).default([]),
    spatial: z.array(inseeAreaSchema).max(500).default([]),
    temporal: temporalCoverageSchema.nullable().default(null),
    frequency: z.enum(FREQUENCIES).nullable().default(null),
    licence: z.enum(LICENCE_CODES),
    accessLevel: z.enum(ACCESS_LEVELS),
    /** Languages of the data itself (column names, values). */
    languages: z.array(z.enum(DATA_LANGUAGES)).default(['fr']),
    issued: catalogDateSchema,
    modified: catalogDateSchema.nullable().default(null),
    version: z.string().trim().min(1).max(40).nullable().default(null),
    /** What changed in this version, in French. */
    versionNotes: z.string().trim().min(1).max(2000).nullable().default(null),
    status: z.enum(DATASET_STATUSES).default('published'),
    /** Attribution to show wherever the data is reused, e.g. "Atmo Occitanie". */
    attribution: z.string().trim().min(1).max(500).nullable().default(null),
    distributions: z.array(distributionSchema).max(50).default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    const ids = new Set<string>();
    d.distributions.forEach((dist, i) => {
      if (ids.has(dist.id))
        ctx.addIssue({ code: 'custom', path: ['distributions', i, 'id'], message: 'identifiant de distribution en double' });
      ids.add(dist.id);
      // DESIGN.md: aggregate-only data is never downloaded, only queried through a contract.
      if (d.accessLevel === 'aggregate_only' && dist.downloadUrl !== null) {
        ctx.addIssue({
          code: 'custom',
          path: ['distributions', i, 'downloadUrl'],
          message: 'un jeu en accès agrégé seulement ne se télécharge jamais : retirez le lien de téléchargement',
        });
      }
    });
    if (d.modified !== null && d.modified < d.issued) {
      ctx.addIssue({ code: 'custom', path: ['modified'], message: 'la date de modification précède la date de publication' });
    }
  });
export type CatalogDataset = z.infer<typeof catalogDatasetSchema>;
export type CatalogDatasetInput = z.input<typeof catalogDatasetSchema>;

export const catalogSchema = z
  .object({
    title: localizedTitle,
    description: localizedDescription,
    /** The operator organisation. */
    publisher: catalogPublisherSchema,
    homepage: z.url({ protocol: /^https?$/ }),
    languages: z.array(z.enum(DATA_LANGUAGES)).min(1).default(['fr']),
    /** Licence of the catalog's metadata. */
    licence: z.enum(LICENCE_CODES).nullable().default(null),
    issued: catalogDateSchema.nullable().default(null),
    modified: catalogDateSchema.nullable().default(null),
    spatial: z.array(inseeAreaSchema).max(50).default([]),
  })
  .strict();
export type Catalog = z.infer<typeof catalogSchema>;
export type CatalogInput = z.input<typeof catalogSchema>;

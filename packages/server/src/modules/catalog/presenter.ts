import {
  can,
  catalogUris,
  type DataAccessView,
  type DatasetSummary,
  type DatasetView,
  type Principal,
  type Resource,
  type TableView,
  type UploadView,
  type VersionSummary,
  type VersionView,
} from '@confiance/contract';
import { isoDay, type DatasetRow, type StoredTable, type VersionRow } from './repository';
import type { UploadError, UploadResult } from './uploads';

/** Presenters are the only way catalog rows leave the server: object-store keys never do. */

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

export function datasetResource(
  d: Pick<DatasetRow, 'organisation_id' | 'access_level' | 'status'>,
  grantedUses: readonly string[] = [],
): Resource {
  return { organisationId: d.organisation_id, accessLevel: d.access_level, status: d.status, grantedUses };
}

/** What the caller may do with the rows and files, and why not, in French (see the access-level table). */
export function dataAccess(
  principal: Principal,
  d: Pick<DatasetRow, 'organisation_id' | 'access_level' | 'status'>,
  grantedUses: readonly string[] = [],
): DataAccessView {
  const resource = datasetResource(d, grantedUses);
  const preview = can(principal, 'read', 'DatasetData', resource);
  const download = can(principal, 'read', 'DatasetFile', resource);
  let reason: string | null = null;
  if (d.access_level === 'aggregate_only') {
    reason =
      'Accès agrégé seulement : ces données ne montrent jamais de lignes et ne se téléchargent pas. Seuls des résultats agrégés, sous contrat et avec contrôle du secret statistique, en sortent.';
  } else if (d.status === 'withdrawn' && !preview) {
    reason = 'Jeu de données retiré : plus aucun nouvel accès à ses données.';
  } else if (!preview && d.access_level === 'members') {
    reason =
      principal.kind === 'anonymous'
        ? 'Réservé aux organisations membres : connectez-vous avec le compte d’une organisation membre pour voir les données.'
        : principal.kind === 'user' && principal.memberships.length > 0
          ? 'Réservé aux organisations membres signataires de la charte éthique en vigueur : un administrateur de votre organisation peut la signer sur la page Charte (/charte).'
          : 'Réservé aux organisations membres : votre compte n’est rattaché à aucune organisation membre.';
  } else if (!preview && grantedUses.some((u) => u.endsWith(':partial'))) {
    reason =
      'Votre contrat ne porte que sur certaines colonnes ou certains départements : consultez ces données par « Interroger », qui n’en montre que la part accordée.';
  } else if (!preview && d.access_level === 'restricted') {
    reason = 'Accès restreint : les données s’obtiennent par une demande d’accès approuvée par le fournisseur.';
  } else if (preview && !download) {
    reason = 'Le téléchargement dépend de l’offre du fournisseur : faites une demande d’accès pour l’obtenir.';
  }
  return { preview, download, reason };
}

function excerpt(text: string): string {
  const plain = text.replace(/\s+/g, ' ').trim();
  return plain.length <= 240 ? plain : `${plain.slice(0, 237).replace(/\s\S*$/, '')}…`;
}

export type SummaryRow = Pick<
  DatasetRow,
  | 'id'
  | 'slug'
  | 'title_fr'
  | 'title_en'
  | 'description_fr'
  | 'organisation_id'
  | 'publisher_slug'
  | 'publisher_name'
  | 'themes'
  | 'domains'
  | 'keywords'
  | 'licence'
  | 'access_level'
  | 'status'
  | 'frequency'
  | 'formats'
  | 'departements'
  | 'issued'
  | 'modified'
  | 'current_version'
>;

export function presentSummary(d: SummaryRow, baseUrl: string): DatasetSummary {
  return {
    id: d.id,
    slug: d.slug,
    uri: catalogUris.dataset(baseUrl, d.slug),
    title: { fr: d.title_fr, en: d.title_en },
    excerpt: excerpt(d.description_fr),
    publisher: { id: d.organisation_id, slug: d.publisher_slug, name: d.publisher_name },
    themes: d.themes as DatasetSummary['themes'],
    domains: d.domains as DatasetSummary['domains'],
    keywords: d.keywords,
    licence: d.licence as DatasetSummary['licence'],
    accessLevel: d.access_level,
    status: d.status,
    frequency: d.frequency as DatasetSummary['frequency'],
    formats: d.formats as DatasetSummary['formats'],
    departements: d.departements,
    issued: iso(d.issued),
    modified: iso(d.modified),
    currentVersion: d.current_version,
  };
}

export function presentTables(tables: readonly StoredTable[]): TableView[] {
  return tables.map((t) => ({
    name: t.name,
    rowCount: t.rowCount,
    byteSize: t.byteSize,
    columns: t.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullCount: c.nullCount,
      distinctCount: c.distinctCount,
      min: c.min,
      max: c.max,
      examples: c.examples,
      description: c.description,
      unit: c.unit,
      personal: c.personal,
      sensitive: c.sensitive,
    })),
    quality: t.quality,
  }));
}

export function presentVersionSummary(v: VersionRow): VersionSummary {
  const s = v.source;
  return {
    id: String(v.number),
    number: v.number,
    notes: v.notes,
    publishedAt: iso(v.published_at),
    publishedBy: v.published_by_name,
    rowCount: Number(v.row_count),
    byteSize: Number(v.byte_size),
    source: {
      fileName: s.fileName,
      format: s.format,
      encoding: s.encoding,
      delimiter: s.delimiter,
      decimalComma: s.decimalComma,
      byteSize: s.byteSize,
      sha256: s.sha256,
    },
  };
}

export function presentVersion(v: VersionRow): VersionView {
  return { ...presentVersionSummary(v), tables: presentTables(v.tables) };
}

export function presentDataset(
  d: DatasetRow,
  version: VersionRow,
  principal: Principal,
  baseUrl: string,
  grantedUses: readonly string[] = [],
): DatasetView {
  return {
    ...presentSummary(d, baseUrl),
    description: { fr: d.description_fr, en: d.description_en },
    contactPoint: d.contact_name && d.contact_email ? { name: d.contact_name, email: d.contact_email } : null,
    spatial: d.spatial as DatasetView['spatial'],
    temporal: d.temporal_start ? { start: isoDay(d.temporal_start)!, end: isoDay(d.temporal_end) } : null,
    attribution: d.attribution,
    deprecation: d.deprecated_at ? { at: iso(d.deprecated_at), note: d.deprecation_note ?? '' } : null,
    withdrawal: d.withdrawn_at ? { at: iso(d.withdrawn_at), reason: d.withdrawal_reason ?? '' } : null,
    version: presentVersion(version),
    // Versions are numbered 1…current without gaps.
    versionCount: d.current_version,
    access: dataAccess(principal, d, grantedUses),
    canManage: can(principal, 'update', 'Dataset', datasetResource(d)),
  };
}

export function presentUpload(
  u: {
    id: string;
    file_name: string;
    byte_size: string | number;
    status: UploadView['status'];
    error: unknown;
    result: unknown;
    created_at: Date;
    expires_at: Date;
  },
  progress: UploadView['progress'],
): UploadView {
  const result = u.result as UploadResult | null;
  const error = u.error as UploadError | null;
  return {
    id: u.id,
    fileName: u.file_name,
    byteSize: Number(u.byte_size),
    status: u.status,
    progress: u.status === 'ingesting' ? (progress ?? { phase: 'scanning', done: 0, total: Number(u.byte_size) }) : null,
    error,
    source: result
      ? {
          fileName: u.file_name,
          format: result.source.format,
          encoding: result.source.encoding,
          delimiter: result.source.delimiter,
          decimalComma: result.source.decimalComma,
          byteSize: result.source.byteSize,
          sha256: result.source.sha256,
        }
      : null,
    tables: result
      ? presentTables(
          result.tables.map((t) => ({
            ...t,
            key: '',
            sha256: '',
            columns: t.columns.map((c) => ({ ...c, description: null, unit: null, personal: false, sensitive: false })),
          })),
        )
      : [],
    createdAt: iso(u.created_at),
    expiresAt: iso(u.expires_at),
  };
}

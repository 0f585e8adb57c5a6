import type {
  AccessLevel,
  ContractState,
  ContractView,
  FiveSafe,
  RequestStage,
  ReviewDecision,
  DataUse,
  OFFER_STATUSES,
  ColumnTypeCode,
  DatasetStatus,
  DOMAINS,
  EuDataTheme,
  Frequency,
  INGEST_PHASES,
  LicenceCode,
  OrganisationCategory,
  OrgRole,
  PlatformRole,
  SchemaChange,
  TokenScope,
} from '@confiance/contract';

/** French names of the contract's codes; `satisfies` makes a new code a build error until named here. */
export const CATEGORY_LABELS = {
  public_body: 'organisme public',
  company: 'entreprise',
  research: 'recherche',
  association: 'association',
} satisfies Record<OrganisationCategory, string>;

export const DOMAIN_LABELS = {
  environment: 'environnement',
  climate: 'climat',
  health: 'santé',
  mobility: 'mobilité',
  tourism: 'tourisme',
  territory: 'territoire',
  economy: 'économie',
  space: 'spatial',
  digital: 'numérique',
  research: 'recherche',
} satisfies Record<(typeof DOMAINS)[number], string>;

export const ROLE_LABELS = {
  org_admin: 'administrateur',
  data_steward: 'responsable des données',
  analyst: 'analyste',
} satisfies Record<OrgRole, string>;

export const PLATFORM_ROLE_LABELS = {
  operator: 'opérateur',
  ethics_member: 'membre de la commission d’éthique',
} satisfies Record<PlatformRole, string>;

export const SCOPE_LABELS = { read: 'lecture', write: 'écriture' } satisfies Record<TokenScope, string>;

export const STATUS_LABELS: Record<string, string> = { active: 'actif', deactivated: 'désactivé' };

/** The EU data themes, worded as the DCAT-AP export words them. */
export const THEME_LABELS = {
  AGRI: 'agriculture, pêche, sylviculture et alimentation',
  ECON: 'économie et finances',
  EDUC: 'éducation, culture et sport',
  ENER: 'énergie',
  ENVI: 'environnement',
  GOVE: 'gouvernement et secteur public',
  HEAL: 'santé',
  INTR: 'questions internationales',
  JUST: 'justice, système juridique et sécurité publique',
  REGI: 'régions et villes',
  SOCI: 'population et société',
  TECH: 'science et technologie',
  TRAN: 'transports',
} satisfies Record<EuDataTheme, string>;

export const ACCESS_LEVEL_LABELS = {
  open: 'ouvert',
  members: 'membres',
  restricted: 'restreint',
  aggregate_only: 'agrégats seulement',
} satisfies Record<AccessLevel, string>;

export const LICENCE_LABELS = {
  'etalab-2.0': 'Licence Ouverte 2.0',
  'odbl-1.0': 'ODbL 1.0',
  'cc-by-4.0': 'CC BY 4.0',
  'cc-by-nc-4.0': 'CC BY-NC 4.0',
  proprietary: 'propriétaire',
} satisfies Record<LicenceCode, string>;

export const FREQUENCY_LABELS = {
  UPDATE_CONT: 'mise à jour continue',
  HOURLY: 'toutes les heures',
  DAILY: 'quotidienne',
  WEEKLY: 'hebdomadaire',
  MONTHLY: 'mensuelle',
  QUARTERLY: 'trimestrielle',
  ANNUAL: 'annuelle',
  IRREG: 'irrégulière',
  NEVER: 'jamais',
  UNKNOWN: 'inconnue',
} satisfies Record<Frequency, string>;

export const DATASET_STATUS_LABELS = {
  draft: 'brouillon',
  published: 'publié',
  deprecated: 'obsolète',
  withdrawn: 'retiré',
} satisfies Record<DatasetStatus, string>;

export const COLUMN_TYPE_LABELS = {
  string: 'texte',
  integer: 'entier',
  number: 'nombre',
  boolean: 'booléen',
  date: 'date',
  datetime: 'date et heure',
  time: 'heure',
  geometry: 'géométrie',
  json: 'JSON',
  binary: 'binaire',
} satisfies Record<ColumnTypeCode, string>;

/**
 * What the node is doing with an upload, as the progress line says it.
 */
export const INGEST_PHASE_LABELS = {
  receiving: 'réception',
  queued: 'en attente',
  scanning: 'analyse du fichier',
  transcoding: 'conversion en UTF-8',
  unzipping: 'décompression',
  parsing: 'lecture des lignes',
  typing: 'typage des colonnes',
  writing: 'écriture en Parquet',
  profiling: 'statistiques des colonnes',
  done: 'terminé',
} satisfies Record<(typeof INGEST_PHASES)[number], string>;

export const SCHEMA_CHANGE_LABELS = {
  table_dropped: 'table supprimée',
  column_dropped: 'colonne supprimée',
  column_renamed: 'colonne renommée',
  column_type_changed: 'type de colonne changé',
  column_flagged: 'colonne nouvellement signalée',
} satisfies Record<SchemaChange['kind'], string>;

export const DATA_USE_LABELS = {
  aggregate: 'agrégats',
  rows: 'lignes',
  sql: 'SQL',
  download: 'téléchargement',
} satisfies Record<DataUse, string>;

export const OFFER_STATUS_LABELS = { active: 'active', retired: 'retirée' } satisfies Record<(typeof OFFER_STATUSES)[number], string>;

export const REQUEST_STAGE_LABELS = {
  provider_review: 'chez le fournisseur',
  ethics_review: 'en examen éthique',
  agreed: 'accordée',
  refused: 'refusée',
  withdrawn: 'retirée',
} satisfies Record<RequestStage, string>;

export const REVIEW_DECISION_LABELS = {
  approved: 'approuvée',
  conditions: 'approuvée sous conditions',
  rejected: 'rejetée',
} satisfies Record<ReviewDecision, string>;

/** The Five Safes as the commission asks them. */
export const FIVE_SAFE_LABELS = {
  project: 'projet sûr',
  people: 'personnes sûres',
  setting: 'environnement sûr',
  data: 'données sûres',
  outputs: 'résultats sûrs',
} satisfies Record<FiveSafe, string>;

export const CONTRACT_STATE_LABELS = {
  active: 'actif',
  suspended: 'suspendu',
  terminated: 'résilié',
  expired: 'expiré',
} satisfies Record<ContractState, string>;

export const CONTRACT_EVENT_LABELS = {
  signed: 'signé',
  accepted: 'accepté',
  suspended: 'suspendu',
  resumed: 'repris',
  terminated: 'résilié',
  expired: 'expiré',
  amendment_proposed: 'avenant proposé',
  amended: 'avenant accepté',
  amendment_rejected: 'avenant refusé',
} satisfies Record<ContractView['events'][number]['kind'], string>;

export const AMENDMENT_STATE_LABELS = {
  proposed: 'proposé',
  accepted: 'accepté',
  rejected: 'refusé',
} satisfies Record<NonNullable<ContractView['pendingAmendment']>['state'], string>;

/** The label of a code, or the code itself when the server sends one this CLI does not know yet. */
export function label(labels: Record<string, string>, code: string): string {
  return labels[code] ?? code;
}

export function labels(map: Record<string, string>, codes: readonly string[]): string {
  return codes.map((c) => label(map, c)).join(', ');
}

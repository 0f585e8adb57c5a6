import type {
  AccessLevel,
  CatalogDomain,
  DataLanguage,
  DatasetStatus,
  EuDataTheme,
  FileFormat,
  Frequency,
  InseeAreaLevel,
  LicenceCode,
  PublisherType,
} from '@confiance/contract';

/**
 * Namespaces and controlled vocabularies of the DCAT-AP export. Labels are those of the
 * vocabularies themselves (EU Publications Office authority tables, ADMS), in French and English:
 * the export describes every concept it points to (type, label, scheme) so that the document
 * validates on its own against the DCAT-AP shapes, which check classes in the data graph.
 */

export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  adms: 'http://www.w3.org/ns/adms#',
  spdx: 'http://spdx.org/rdf/terms#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  locn: 'http://www.w3.org/ns/locn#',
  dcatap: 'http://data.europa.eu/r5r/',
  gsp: 'http://www.opengis.net/ont/geosparql#',
} as const;

/** Prefixes written in Turtle and put in the JSON-LD `@context` (rdf is left out: JSON-LD says `@type`). */
export const PREFIXES: Record<string, string> = {
  dcat: NS.dcat,
  dct: NS.dct,
  foaf: NS.foaf,
  vcard: NS.vcard,
  adms: NS.adms,
  spdx: NS.spdx,
  xsd: NS.xsd,
  skos: NS.skos,
  locn: NS.locn,
  dcatap: NS.dcatap,
  rdfs: NS.rdfs,
  gsp: NS.gsp,
};

export interface Label {
  fr: string;
  en: string;
}

/** A concept of a published vocabulary, with the extra classes DCAT-AP expects of it where it is used. */
export interface ConceptRef {
  uri: string;
  label: Label;
  scheme: SchemeRef;
  notation?: string;
}

export interface SchemeRef {
  uri: string;
  title: Label;
}

const EU = 'http://publications.europa.eu/resource/authority/';

export const SCHEMES = {
  dataTheme: { uri: `${EU}data-theme`, title: { fr: 'Thèmes des données', en: 'Data theme' } },
  frequency: { uri: `${EU}frequency`, title: { fr: 'Fréquences', en: 'Frequency' } },
  accessRight: { uri: `${EU}access-right`, title: { fr: "Droits d'accès", en: 'Access right' } },
  fileType: { uri: `${EU}file-type`, title: { fr: 'Types de fichier', en: 'File type' } },
  language: { uri: `${EU}language`, title: { fr: 'Langues', en: 'Language' } },
  datasetStatus: { uri: `${EU}dataset-status`, title: { fr: 'Statuts des jeux de données', en: 'Dataset status' } },
  distributionStatus: { uri: `${EU}distribution-status`, title: { fr: 'Statuts des distributions', en: 'Distribution status' } },
  plannedAvailability: { uri: `${EU}planned-availability`, title: { fr: 'Disponibilité prévue', en: 'Planned availability' } },
  licenceType: { uri: 'http://purl.org/adms/licencetype/1.0', title: { fr: 'Types de licence (ADMS)', en: 'ADMS licence type' } },
  publisherType: { uri: 'http://purl.org/adms/publishertype/1.0', title: { fr: "Types d'éditeur (ADMS)", en: 'ADMS publisher type' } },
} satisfies Record<string, SchemeRef>;

function euConcept(scheme: SchemeRef, code: string, label: Label): ConceptRef {
  return { uri: `${scheme.uri}/${code}`, label, scheme, notation: code };
}

const THEME_LABELS: Record<EuDataTheme, Label> = {
  AGRI: { fr: 'Agriculture, pêche, sylviculture et alimentation', en: 'Agriculture, fisheries, forestry and food' },
  ECON: { fr: 'Économie et finances', en: 'Economy and finance' },
  EDUC: { fr: 'Éducation, culture et sport', en: 'Education, culture and sport' },
  ENER: { fr: 'Énergie', en: 'Energy' },
  ENVI: { fr: 'Environnement', en: 'Environment' },
  GOVE: { fr: 'Gouvernement et secteur public', en: 'Government and public sector' },
  HEAL: { fr: 'Santé', en: 'Health' },
  INTR: { fr: 'Questions internationales', en: 'International issues' },
  JUST: { fr: 'Justice, système juridique et sécurité publique', en: 'Justice, legal system and public safety' },
  REGI: { fr: 'Régions et villes', en: 'Regions and cities' },
  SOCI: { fr: 'Population et société', en: 'Population and society' },
  TECH: { fr: 'Science et technologie', en: 'Science and technology' },
  TRAN: { fr: 'Transports', en: 'Transport' },
};
export const themeConcept = (code: EuDataTheme) => euConcept(SCHEMES.dataTheme, code, THEME_LABELS[code]);

const FREQUENCY_LABELS: Record<Frequency, Label> = {
  UPDATE_CONT: { fr: 'mise à jour continue', en: 'continuously updated' },
  HOURLY: { fr: 'toutes les heures', en: 'hourly' },
  DAILY: { fr: 'quotidien', en: 'daily' },
  WEEKLY: { fr: 'hebdomadaire', en: 'weekly' },
  MONTHLY: { fr: 'mensuel', en: 'monthly' },
  QUARTERLY: { fr: 'trimestriel', en: 'quarterly' },
  ANNUAL: { fr: 'annuel', en: 'annual' },
  IRREG: { fr: 'irrégulier', en: 'irregular' },
  NEVER: { fr: 'jamais', en: 'never' },
  UNKNOWN: { fr: 'inconnu', en: 'unknown' },
};
export const frequencyConcept = (code: Frequency) => euConcept(SCHEMES.frequency, code, FREQUENCY_LABELS[code]);

/**
 * The EU access-right table has three values; our four levels map onto them by who can reach
 * row-level data: anyone (PUBLIC), members or contract holders under conditions (RESTRICTED),
 * nobody — only disclosure-controlled aggregates leave the node (NON_PUBLIC).
 */
const ACCESS_RIGHTS: Record<AccessLevel, { code: 'PUBLIC' | 'RESTRICTED' | 'NON_PUBLIC'; label: Label }> = {
  open: { code: 'PUBLIC', label: { fr: 'public', en: 'public' } },
  members: { code: 'RESTRICTED', label: { fr: 'restreint', en: 'restricted' } },
  restricted: { code: 'RESTRICTED', label: { fr: 'restreint', en: 'restricted' } },
  aggregate_only: { code: 'NON_PUBLIC', label: { fr: 'non public', en: 'non-public' } },
};
export const accessRightConcept = (level: AccessLevel) => {
  const { code, label } = ACCESS_RIGHTS[level];
  return euConcept(SCHEMES.accessRight, code, label);
};

/** What each level means on this node, for the distributions' rights statements. */
export const ACCESS_LEVEL_STATEMENTS: Record<AccessLevel, string> = {
  open: 'Accès ouvert à tous ; la licence s’applique.',
  members: 'Accès réservé aux organisations membres signataires de la charte en vigueur ; contrat automatique.',
  restricted: 'Accès par une offre que le fournisseur approuve ; contrat requis.',
  aggregate_only:
    'Accès aux seuls résultats agrégés, sous contrat approuvé et avec contrôle du secret statistique ; aucune ligne ni téléchargement.',
};

const FILE_TYPE_LABELS: Record<FileFormat, string> = {
  CSV: 'CSV',
  TSV: 'TSV',
  PARQUET: 'Parquet',
  JSON: 'JSON',
  GEOJSON: 'GeoJSON',
  ZIP: 'ZIP',
  GTFS: 'GTFS',
};
export const fileTypeConcept = (code: FileFormat) =>
  euConcept(SCHEMES.fileType, code, { fr: FILE_TYPE_LABELS[code], en: FILE_TYPE_LABELS[code] });

const LANGUAGES: Record<DataLanguage, { code: string; label: Label }> = {
  fr: { code: 'FRA', label: { fr: 'français', en: 'French' } },
  en: { code: 'ENG', label: { fr: 'anglais', en: 'English' } },
};
export const languageConcept = (lang: DataLanguage) => euConcept(SCHEMES.language, LANGUAGES[lang].code, LANGUAGES[lang].label);

type StatusCode = 'DEVELOP' | 'COMPLETED' | 'DEPRECATED' | 'WITHDRAWN';
const STATUSES: Record<DatasetStatus, { code: StatusCode; label: Label }> = {
  draft: { code: 'DEVELOP', label: { fr: 'en cours de développement', en: 'under development' } },
  published: { code: 'COMPLETED', label: { fr: 'achevé', en: 'completed' } },
  deprecated: { code: 'DEPRECATED', label: { fr: 'obsolète', en: 'deprecated' } },
  withdrawn: { code: 'WITHDRAWN', label: { fr: 'retiré', en: 'withdrawn' } },
};
export const datasetStatusConcept = (status: DatasetStatus) =>
  euConcept(SCHEMES.datasetStatus, STATUSES[status].code, STATUSES[status].label);
export const distributionStatusConcept = (status: DatasetStatus) =>
  euConcept(SCHEMES.distributionStatus, STATUSES[status].code, STATUSES[status].label);

/**
 * Published files are kept for good (a new upload is a new version; old versions stay readable),
 * so a listed distribution is STABLE; a withdrawn one gives no new access and a draft none yet.
 */
export const availabilityConcept = (status: DatasetStatus): ConceptRef | null =>
  status === 'published' || status === 'deprecated'
    ? euConcept(SCHEMES.plannedAvailability, 'STABLE', { fr: 'stable', en: 'stable' })
    : null;

const PUBLISHER_TYPE_LABELS: Record<PublisherType, Label> = {
  NationalAuthority: { fr: 'Administration nationale', en: 'National authority' },
  RegionalAuthority: { fr: 'Autorité régionale', en: 'Regional authority' },
  LocalAuthority: { fr: 'Collectivité locale', en: 'Local authority' },
  'Academia-ScientificOrganisation': { fr: 'Organisme universitaire ou scientifique', en: 'Academia/Scientific organisation' },
  Company: { fr: 'Entreprise', en: 'Company' },
  IndustryConsortium: { fr: 'Consortium industriel', en: 'Industry consortium' },
  NonProfitOrganisation: { fr: 'Organisation à but non lucratif', en: 'Non-profit organisation' },
  NonGovernmentalOrganisation: { fr: 'Organisation non gouvernementale', en: 'Non-governmental organisation' },
  SupraNationalAuthority: { fr: 'Autorité supranationale', en: 'Supra-national authority' },
  StandardisationBody: { fr: 'Organisme de normalisation', en: 'Standardisation body' },
};
export const publisherTypeConcept = (type: PublisherType): ConceptRef => ({
  uri: `http://purl.org/adms/publishertype/${type}`,
  label: PUBLISHER_TYPE_LABELS[type],
  scheme: SCHEMES.publisherType,
});

type LicenceType = 'Attribution' | 'ViralEffect-ShareAlike' | 'NonCommercialUseOnly' | 'OtherRestrictiveClauses';
const LICENCE_TYPE_LABELS: Record<LicenceType, Label> = {
  Attribution: { fr: 'Attribution', en: 'Attribution' },
  'ViralEffect-ShareAlike': { fr: 'Partage dans les mêmes conditions', en: 'Viral effect (a.k.a. Share-alike)' },
  NonCommercialUseOnly: { fr: "Pas d'utilisation commerciale", en: 'Non-commercial use only' },
  OtherRestrictiveClauses: { fr: 'Autres clauses restrictives', en: 'Other restrictive clauses' },
};
const LICENCE_TYPES: Record<LicenceCode, LicenceType[]> = {
  'etalab-2.0': ['Attribution'],
  'odbl-1.0': ['Attribution', 'ViralEffect-ShareAlike'],
  'cc-by-4.0': ['Attribution'],
  'cc-by-nc-4.0': ['Attribution', 'NonCommercialUseOnly'],
  proprietary: ['OtherRestrictiveClauses'],
};
export const licenceTypeConcepts = (code: LicenceCode): ConceptRef[] =>
  LICENCE_TYPES[code].map((t) => ({
    uri: `http://purl.org/adms/licencetype/${t}`,
    label: LICENCE_TYPE_LABELS[t],
    scheme: SCHEMES.licenceType,
  }));

export const DOMAIN_LABELS: Record<CatalogDomain, Label> = {
  environment: { fr: 'Environnement', en: 'Environment' },
  climate: { fr: 'Climat', en: 'Climate' },
  health: { fr: 'Santé', en: 'Health' },
  mobility: { fr: 'Mobilité', en: 'Mobility' },
  tourism: { fr: 'Tourisme et littoral', en: 'Tourism and coast' },
  territory: { fr: 'Territoire', en: 'Territory' },
  economy: { fr: 'Économie', en: 'Economy' },
  space: { fr: 'Spatial', en: 'Space' },
  digital: { fr: 'Numérique', en: 'Digital' },
  research: { fr: 'Recherche', en: 'Research' },
};
export const DOMAIN_SCHEME_TITLE: Label = { fr: 'Domaines du consortium', en: 'Consortium domains' };

/**
 * INSEE geography, by code. INSEE's current linked-data URIs (http://id.insee.fr/geo/commune/<uuid>)
 * are opaque identifiers of one version of an area, which cannot be derived from a code without a
 * lookup; the code-based form http://id.insee.fr/geo/{region|departement|commune}/{code} is stable,
 * readable, and each Location also carries its code (dct:identifier) and name, so a harvester can
 * match it to any COG edition.
 */
export const inseeAreaUri = (level: InseeAreaLevel, code: string) => `http://id.insee.fr/geo/${level}/${code}`;

export const IANA_MEDIA_TYPES = 'https://www.iana.org/assignments/media-types/';
export const SHA256_ALGORITHM = `${NS.spdx}checksumAlgorithm_sha256`;

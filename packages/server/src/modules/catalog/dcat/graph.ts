import { DataFactory } from 'n3';
import type { Literal, NamedNode, Quad } from 'n3';
import { catalogUris, licenceUri, LICENCES } from '@confiance/contract';
import type { Catalog, CatalogDataset, CatalogPublisher, Distribution, InseeArea, LicenceCode, LocalizedText } from '@confiance/contract';
import {
  ACCESS_LEVEL_STATEMENTS,
  accessRightConcept,
  availabilityConcept,
  datasetStatusConcept,
  distributionStatusConcept,
  DOMAIN_LABELS,
  DOMAIN_SCHEME_TITLE,
  fileTypeConcept,
  frequencyConcept,
  IANA_MEDIA_TYPES,
  inseeAreaUri,
  languageConcept,
  licenceTypeConcepts,
  NS,
  publisherTypeConcept,
  SCHEMES,
  SHA256_ALGORITHM,
  themeConcept,
} from './vocabulary';
import type { ConceptRef, Label, SchemeRef } from './vocabulary';

/**
 * The one place where the catalog model becomes RDF. Turtle and JSON-LD are both written from
 * these quads, so the two documents cannot disagree.
 *
 * The graph uses no blank nodes: auxiliary resources (contact point, period, checksum, rights
 * statement) get fragment IRIs under their owner's URI, which keeps every export deterministic
 * and lets tests compare graphs as plain sets of triples.
 */

const { namedNode, literal, quad } = DataFactory;

export interface ExportOptions {
  /** The node's public base URL, e.g. https://confiance.example.org */
  baseUrl: string;
}

const iri = (prefix: keyof typeof NS, local: string) => namedNode(`${NS[prefix]}${local}`);
const RDF_TYPE = iri('rdf', 'type');

type Obj = NamedNode | Literal;

/**
 * Triples grouped by subject in first-mention order, without duplicates; the primary resources
 * (catalog, datasets, distributions) come first and the vocabulary they point to after, so both
 * serialisations read top-down.
 */
class GraphBuilder {
  private readonly sections = [new Map<string, Quad[]>(), new Map<string, Quad[]>()] as const;
  private readonly seen = new Set<string>();

  add(section: 0 | 1, s: NamedNode, p: NamedNode, o: Obj | null | undefined): void {
    if (o === null || o === undefined) return;
    const key = `${s.value}\u0000${p.value}\u0000${termKey(o)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    // A subject already described in one section stays there, so its triples remain together.
    const target = this.sections.find((m) => m.has(s.value)) ?? this.sections[section];
    let list = target.get(s.value);
    if (!list) target.set(s.value, (list = []));
    list.push(quad(s, p, o));
  }

  quads(): Quad[] {
    return this.sections.flatMap((m) => [...m.values()].flat());
  }
}

function termKey(o: Obj): string {
  return o.termType === 'Literal' ? `"${o.value}"@${o.language}^^${o.datatype.value}` : `<${o.value}>`;
}

const MAIN = 0;
const REFS = 1;

function dateLiteral(value: string): Literal {
  return literal(value, iri('xsd', /^\d{4}-\d{2}-\d{2}$/.test(value) ? 'date' : 'dateTime'));
}

function texts(g: GraphBuilder, s: NamedNode, p: NamedNode, text: LocalizedText | null): void {
  if (!text) return;
  g.add(MAIN, s, p, literal(text.fr, 'fr'));
  if (text.en) g.add(MAIN, s, p, literal(text.en, 'en'));
}

function labels(g: GraphBuilder, s: NamedNode, p: NamedNode, label: Label): void {
  g.add(REFS, s, p, literal(label.fr, 'fr'));
  g.add(REFS, s, p, literal(label.en, 'en'));
}

function scheme(g: GraphBuilder, ref: SchemeRef): NamedNode {
  const s = namedNode(ref.uri);
  g.add(REFS, s, RDF_TYPE, iri('skos', 'ConceptScheme'));
  labels(g, s, iri('dct', 'title'), ref.title);
  return s;
}

/** Describes a concept where it is used; `classes` are the ranges DCAT-AP gives the property that points to it. */
function concept(g: GraphBuilder, ref: ConceptRef, ...classes: NamedNode[]): NamedNode {
  const s = namedNode(ref.uri);
  g.add(REFS, s, RDF_TYPE, iri('skos', 'Concept'));
  for (const c of classes) g.add(REFS, s, RDF_TYPE, c);
  labels(g, s, iri('skos', 'prefLabel'), ref.label);
  if (ref.notation) g.add(REFS, s, iri('skos', 'notation'), literal(ref.notation));
  g.add(REFS, s, iri('skos', 'inScheme'), scheme(g, ref.scheme));
  return s;
}

function domainScheme(baseUrl: string): SchemeRef {
  return { uri: catalogUris.domainScheme(baseUrl), title: DOMAIN_SCHEME_TITLE };
}

function agent(g: GraphBuilder, publisher: CatalogPublisher, baseUrl: string): NamedNode {
  const s = namedNode(catalogUris.organisation(baseUrl, publisher.slug));
  g.add(REFS, s, RDF_TYPE, iri('foaf', 'Agent'));
  g.add(REFS, s, RDF_TYPE, iri('foaf', 'Organization'));
  g.add(REFS, s, iri('foaf', 'name'), literal(publisher.name));
  if (publisher.type) g.add(REFS, s, iri('dct', 'type'), concept(g, publisherTypeConcept(publisher.type)));
  if (publisher.homepage) g.add(REFS, s, iri('foaf', 'homepage'), namedNode(publisher.homepage));
  return s;
}

function licence(g: GraphBuilder, code: LicenceCode, baseUrl: string): NamedNode {
  const s = namedNode(licenceUri(code, baseUrl));
  g.add(REFS, s, RDF_TYPE, iri('dct', 'LicenseDocument'));
  g.add(REFS, s, iri('dct', 'title'), literal(LICENCES[code].label, 'fr'));
  for (const t of licenceTypeConcepts(code)) g.add(REFS, s, iri('dct', 'type'), concept(g, t));
  return s;
}

function location(g: GraphBuilder, area: InseeArea): NamedNode {
  const s = namedNode(inseeAreaUri(area.level, area.code));
  g.add(REFS, s, RDF_TYPE, iri('dct', 'Location'));
  g.add(REFS, s, iri('skos', 'prefLabel'), literal(area.name, 'fr'));
  g.add(REFS, s, iri('dct', 'identifier'), literal(area.code));
  if (area.bbox) {
    const [w, south, e, n] = area.bbox;
    const ring = [`${w} ${south}`, `${e} ${south}`, `${e} ${n}`, `${w} ${n}`, `${w} ${south}`].join(', ');
    g.add(REFS, s, iri('dcat', 'bbox'), literal(`POLYGON((${ring}))`, iri('gsp', 'wktLiteral')));
  }
  return s;
}

function distribution(g: GraphBuilder, dataset: CatalogDataset, dist: Distribution, baseUrl: string): NamedNode {
  const uri = catalogUris.distribution(baseUrl, dataset.slug, dist.id);
  const s = namedNode(uri);
  g.add(MAIN, s, RDF_TYPE, iri('dcat', 'Distribution'));
  texts(g, s, iri('dct', 'title'), dist.title);
  texts(g, s, iri('dct', 'description'), dist.description);
  g.add(MAIN, s, iri('dct', 'format'), concept(g, fileTypeConcept(dist.format), iri('dct', 'MediaTypeOrExtent')));
  const mediaType = namedNode(`${IANA_MEDIA_TYPES}${dist.mediaType}`);
  g.add(REFS, mediaType, RDF_TYPE, iri('dct', 'MediaType'));
  g.add(MAIN, s, iri('dcat', 'mediaType'), mediaType);
  g.add(MAIN, s, iri('dcat', 'accessURL'), namedNode(catalogUris.resolve(baseUrl, dist.accessUrl)));
  if (dist.downloadUrl) g.add(MAIN, s, iri('dcat', 'downloadURL'), namedNode(catalogUris.resolve(baseUrl, dist.downloadUrl)));
  if (dist.byteSize !== null) g.add(MAIN, s, iri('dcat', 'byteSize'), literal(String(dist.byteSize), iri('xsd', 'nonNegativeInteger')));
  if (dist.checksumSha256) {
    const checksum = namedNode(`${uri}#checksum`);
    g.add(MAIN, s, iri('spdx', 'checksum'), checksum);
    g.add(MAIN, checksum, RDF_TYPE, iri('spdx', 'Checksum'));
    const algorithm = namedNode(SHA256_ALGORITHM);
    g.add(MAIN, checksum, iri('spdx', 'algorithm'), algorithm);
    g.add(MAIN, checksum, iri('spdx', 'checksumValue'), literal(dist.checksumSha256, iri('xsd', 'hexBinary')));
    g.add(REFS, algorithm, RDF_TYPE, iri('spdx', 'ChecksumAlgorithm'));
  }
  g.add(MAIN, s, iri('dct', 'license'), licence(g, dist.licence ?? dataset.licence, baseUrl));
  const rights = namedNode(`${uri}#rights`);
  g.add(MAIN, s, iri('dct', 'rights'), rights);
  g.add(MAIN, rights, RDF_TYPE, iri('dct', 'RightsStatement'));
  const attribution = dist.rights ?? (dataset.attribution ? `Attribution : ${dataset.attribution}.` : null);
  g.add(
    MAIN,
    rights,
    iri('rdfs', 'label'),
    literal([attribution, ACCESS_LEVEL_STATEMENTS[dataset.accessLevel]].filter(Boolean).join(' '), 'fr'),
  );
  g.add(MAIN, s, iri('adms', 'status'), concept(g, distributionStatusConcept(dataset.status)));
  const availability = availabilityConcept(dataset.status);
  if (availability) g.add(MAIN, s, iri('dcatap', 'availability'), concept(g, availability));
  if (dist.issued) g.add(MAIN, s, iri('dct', 'issued'), dateLiteral(dist.issued));
  if (dist.modified) g.add(MAIN, s, iri('dct', 'modified'), dateLiteral(dist.modified));
  return s;
}

function describeDataset(g: GraphBuilder, d: CatalogDataset, baseUrl: string): NamedNode {
  const uri = catalogUris.dataset(baseUrl, d.slug);
  const s = namedNode(uri);
  g.add(MAIN, s, RDF_TYPE, iri('dcat', 'Dataset'));
  g.add(MAIN, s, iri('dct', 'identifier'), literal(uri));
  texts(g, s, iri('dct', 'title'), d.title);
  texts(g, s, iri('dct', 'description'), d.description);
  g.add(MAIN, s, iri('dct', 'publisher'), agent(g, d.publisher, baseUrl));
  if (d.contactPoint) {
    const contact = namedNode(`${uri}#contact-point`);
    g.add(MAIN, s, iri('dcat', 'contactPoint'), contact);
    g.add(MAIN, contact, RDF_TYPE, iri('vcard', 'Kind'));
    g.add(MAIN, contact, RDF_TYPE, iri('vcard', 'Organization'));
    g.add(MAIN, contact, iri('vcard', 'fn'), literal(d.contactPoint.name));
    g.add(MAIN, contact, iri('vcard', 'hasEmail'), namedNode(`mailto:${d.contactPoint.email}`));
  }
  for (const t of d.themes) g.add(MAIN, s, iri('dcat', 'theme'), concept(g, themeConcept(t)));
  const domains = domainScheme(baseUrl);
  for (const code of d.domains) {
    g.add(
      MAIN,
      s,
      iri('dcat', 'theme'),
      concept(g, { uri: catalogUris.domain(baseUrl, code), label: DOMAIN_LABELS[code], scheme: domains, notation: code }),
    );
  }
  for (const k of d.keywords) g.add(MAIN, s, iri('dcat', 'keyword'), literal(k, 'fr'));
  for (const area of d.spatial) g.add(MAIN, s, iri('dct', 'spatial'), location(g, area));
  if (d.temporal) {
    const period = namedNode(`${uri}#temporal`);
    g.add(MAIN, s, iri('dct', 'temporal'), period);
    g.add(MAIN, period, RDF_TYPE, iri('dct', 'PeriodOfTime'));
    g.add(MAIN, period, iri('dcat', 'startDate'), dateLiteral(d.temporal.start));
    if (d.temporal.end) g.add(MAIN, period, iri('dcat', 'endDate'), dateLiteral(d.temporal.end));
  }
  if (d.frequency) g.add(MAIN, s, iri('dct', 'accrualPeriodicity'), concept(g, frequencyConcept(d.frequency), iri('dct', 'Frequency')));
  g.add(MAIN, s, iri('dct', 'accessRights'), concept(g, accessRightConcept(d.accessLevel), iri('dct', 'RightsStatement')));
  // DCAT-AP puts the licence on distributions; the dataset-level copy is for harvesters (data.gouv.fr) that read it there.
  g.add(MAIN, s, iri('dct', 'license'), licence(g, d.licence, baseUrl));
  for (const lang of d.languages) g.add(MAIN, s, iri('dct', 'language'), concept(g, languageConcept(lang), iri('dct', 'LinguisticSystem')));
  g.add(MAIN, s, iri('dct', 'issued'), dateLiteral(d.issued));
  if (d.modified) g.add(MAIN, s, iri('dct', 'modified'), dateLiteral(d.modified));
  if (d.version) g.add(MAIN, s, iri('dcat', 'version'), literal(d.version));
  if (d.versionNotes) g.add(MAIN, s, iri('adms', 'versionNotes'), literal(d.versionNotes, 'fr'));
  g.add(MAIN, s, iri('adms', 'status'), concept(g, datasetStatusConcept(d.status)));
  for (const dist of d.distributions) g.add(MAIN, s, iri('dcat', 'distribution'), distribution(g, d, dist, baseUrl));
  return s;
}

/** Drafts are never part of the public catalog. */
export const isListed = (d: CatalogDataset) => d.status !== 'draft';

export function catalogQuads(catalog: Catalog, datasets: readonly CatalogDataset[], { baseUrl }: ExportOptions): Quad[] {
  const g = new GraphBuilder();
  const s = namedNode(catalogUris.catalog(baseUrl));
  g.add(MAIN, s, RDF_TYPE, iri('dcat', 'Catalog'));
  texts(g, s, iri('dct', 'title'), catalog.title);
  texts(g, s, iri('dct', 'description'), catalog.description);
  g.add(MAIN, s, iri('dct', 'publisher'), agent(g, catalog.publisher, baseUrl));
  const homepage = namedNode(catalog.homepage);
  g.add(MAIN, s, iri('foaf', 'homepage'), homepage);
  g.add(REFS, homepage, RDF_TYPE, iri('foaf', 'Document'));
  for (const lang of catalog.languages)
    g.add(MAIN, s, iri('dct', 'language'), concept(g, languageConcept(lang), iri('dct', 'LinguisticSystem')));
  if (catalog.licence) g.add(MAIN, s, iri('dct', 'license'), licence(g, catalog.licence, baseUrl));
  if (catalog.issued) g.add(MAIN, s, iri('dct', 'issued'), dateLiteral(catalog.issued));
  if (catalog.modified) g.add(MAIN, s, iri('dct', 'modified'), dateLiteral(catalog.modified));
  for (const area of catalog.spatial) g.add(MAIN, s, iri('dct', 'spatial'), location(g, area));
  g.add(MAIN, s, iri('dcat', 'themeTaxonomy'), scheme(g, SCHEMES.dataTheme));
  g.add(MAIN, s, iri('dcat', 'themeTaxonomy'), scheme(g, domainScheme(baseUrl)));
  const listed = datasets.filter(isListed);
  for (const d of listed) g.add(MAIN, s, iri('dcat', 'dataset'), namedNode(catalogUris.dataset(baseUrl, d.slug)));
  for (const d of listed) describeDataset(g, d, baseUrl);
  return g.quads();
}

export function datasetQuads(dataset: CatalogDataset, { baseUrl }: ExportOptions): Quad[] {
  const g = new GraphBuilder();
  describeDataset(g, dataset, baseUrl);
  return g.quads();
}

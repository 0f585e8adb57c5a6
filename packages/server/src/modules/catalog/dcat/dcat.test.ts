import { DataFactory, Parser, Writer } from 'n3';
import type { Quad } from 'n3';
import { describe, expect, it } from 'vitest';
import { ACCESS_LEVELS, catalogDatasetSchema, LICENCE_CODES } from '@confiance/contract';
import type { CatalogDataset } from '@confiance/contract';
import { demoCatalog, DEMO_BASE_URL, DEMO_DATASET_INPUTS } from '../../../../test/fixtures/dcat-ap/demo-catalog';
import {
  catalogQuads,
  catalogToJsonLd,
  catalogToTurtle,
  datasetQuads,
  datasetToJsonLd,
  datasetToTurtle,
  JSONLD_CONTEXT,
  PREFIXES,
} from './index';
import type { JsonLdDocument } from './index';

const { namedNode, literal, quad } = DataFactory;
const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const options = { baseUrl: DEMO_BASE_URL };

const nt = new Writer({ format: 'N-Triples' });
const canonical = (quads: readonly Quad[]) => new Set(quads.map((q) => nt.quadToString(q.subject, q.predicate, q.object)));

function objects(quads: readonly Quad[], subject: string, predicate: string) {
  return quads.filter((q) => q.subject.value === subject && q.predicate.value === predicate).map((q) => q.object);
}

/**
 * A strict reader for the documents this module writes: it knows the embedded context (prefixes
 * only) and the explicit value forms, and throws on anything else — so a JSON-LD shape that a
 * real processor would read differently cannot slip through.
 */
function expandOwnJsonLd(doc: JsonLdDocument): Quad[] {
  expect(doc['@context']).toEqual(JSONLD_CONTEXT);
  const context = doc['@context'];
  const expand = (term: string) => {
    const m = /^([a-z][a-z0-9]*):(.+)$/.exec(term);
    if (m && !m[2]!.startsWith('//')) {
      const ns = context[m[1]!];
      if (ns === undefined) throw new Error(`unknown prefix in ${term}`);
      return ns + m[2];
    }
    if (!/^[a-z][a-z0-9+.-]*:/.test(term)) throw new Error(`relative IRI ${term}`);
    return term;
  };
  const out: Quad[] = [];
  for (const node of doc['@graph']) {
    const s = namedNode(node['@id']);
    for (const [key, raw] of Object.entries(node)) {
      if (key === '@id') continue;
      const values = Array.isArray(raw) ? raw : [raw];
      if (key === '@type') {
        for (const t of values) out.push(quad(s, namedNode(RDF_TYPE), namedNode(expand(t as string))));
        continue;
      }
      const p = namedNode(expand(key));
      for (const v of values) {
        if (typeof v === 'string') out.push(quad(s, p, literal(v)));
        else if (v && typeof v === 'object' && Object.keys(v).length === 1 && '@id' in v) out.push(quad(s, p, namedNode(v['@id'])));
        else if (v && typeof v === 'object' && '@language' in v && Object.keys(v).length === 2)
          out.push(quad(s, p, literal(v['@value'], v['@language'])));
        else if (v && typeof v === 'object' && '@type' in v && Object.keys(v).length === 2) {
          out.push(quad(s, p, literal(v['@value'], namedNode(expand(v['@type'])))));
        } else throw new Error(`unexpected JSON-LD value ${JSON.stringify(v)}`);
      }
    }
  }
  return out;
}

const { catalog, datasets } = demoCatalog();
const bySlug = (slug: string) => {
  const d = datasets.find((x) => x.slug === slug);
  if (!d) throw new Error(slug);
  return d;
};
const datasetUri = (slug: string) => `${DEMO_BASE_URL}/datasets/${slug}`;

describe('the DCAT-AP export', () => {
  describe('Turtle and JSON-LD come from the same quads', () => {
    const quads = catalogQuads(catalog, datasets, options);

    it('parsing the Turtle gives back exactly the quads', () => {
      const parsed = new Parser().parse(catalogToTurtle(catalog, datasets, options));
      expect(canonical(parsed)).toEqual(canonical(quads));
      expect(parsed).toHaveLength(quads.length);
    });

    it('expanding the JSON-LD with its embedded context gives back exactly the quads', () => {
      const doc = catalogToJsonLd(catalog, datasets, options);
      // What goes over the wire is JSON text.
      const expanded = expandOwnJsonLd(JSON.parse(JSON.stringify(doc)) as JsonLdDocument);
      expect(canonical(expanded)).toEqual(canonical(quads));
      expect(expanded).toHaveLength(quads.length);
    });

    it.each(datasets.map((d) => [d.slug, d] as const))('the %s document agrees in both syntaxes', (_slug, d) => {
      const q = canonical(datasetQuads(d, options));
      expect(canonical(new Parser().parse(datasetToTurtle(d, options)))).toEqual(q);
      expect(canonical(expandOwnJsonLd(datasetToJsonLd(d, options)))).toEqual(q);
    });

    it('embeds its context and references nothing to fetch', () => {
      const doc = catalogToJsonLd(catalog, datasets, options);
      expect(typeof doc['@context']).toBe('object');
      expect(Object.values(doc['@context']).every((ns) => /[#/]$/.test(ns))).toBe(true);
      expect(JSON.stringify(doc)).not.toContain('@import');
      expect(doc['@graph'][0]).toMatchObject({ '@id': `${DEMO_BASE_URL}/catalog`, '@type': 'dcat:Catalog' });
    });

    it('writes Turtle with the DCAT-AP prefixes', () => {
      const ttl = catalogToTurtle(catalog, datasets, options);
      for (const [prefix, ns] of Object.entries(PREFIXES)) {
        if (['locn', 'rdfs'].includes(prefix)) continue;
        expect(ttl).toContain(`@prefix ${prefix}: <${ns}>.`);
      }
      expect(ttl).toContain('a dcat:Dataset');
    });

    it('uses no blank nodes, so the same catalog always gives the same text', () => {
      expect(quads.every((q) => q.subject.termType === 'NamedNode' && q.object.termType !== 'BlankNode')).toBe(true);
      expect(catalogToTurtle(catalog, datasets, options)).toBe(catalogToTurtle(demoCatalog().catalog, demoCatalog().datasets, options));
    });
  });

  describe('identifiers', () => {
    const quads = catalogQuads(catalog, datasets, { baseUrl: `${DEMO_BASE_URL}/` });

    it('roots every URI in the base URL, whatever its trailing slash', () => {
      const slug = 'atmo-occitanie-mesures-mensuelles-2018';
      expect(objects(quads, `${DEMO_BASE_URL}/catalog`, `${DCAT}dataset`).map((o) => o.value)).toContain(datasetUri(slug));
      expect(objects(quads, datasetUri(slug), `${DCT}publisher`).map((o) => o.value)).toEqual([
        `${DEMO_BASE_URL}/organisations/atmo-occitanie`,
      ]);
      expect(objects(quads, datasetUri(slug), `${DCAT}distribution`).map((o) => o.value)).toEqual([
        `${datasetUri(slug)}/distributions/csv`,
      ]);
      expect(objects(quads, datasetUri(slug), `${DCT}identifier`).map((o) => o.value)).toEqual([datasetUri(slug)]);
      expect(objects(quads, `${datasetUri(slug)}/distributions/csv`, `${DCAT}downloadURL`).map((o) => o.value)).toEqual([
        `${DEMO_BASE_URL}/api/v1/datasets/${slug}/download?format=csv`,
      ]);
    });

    it('keeps INSEE codes zero-padded: Ariège is 09', () => {
      const spf = datasetQuads(bySlug('spf-hospitalisations-covid-occitanie'), options);
      const spatial = objects(spf, datasetUri('spf-hospitalisations-covid-occitanie'), `${DCT}spatial`).map((o) => o.value);
      expect(spatial).toContain('http://id.insee.fr/geo/region/76');
      expect(spatial).toContain('http://id.insee.fr/geo/departement/09');
      expect(spatial).toHaveLength(14);
      expect(objects(spf, 'http://id.insee.fr/geo/departement/09', `${DCT}identifier`)).toEqual([literal('09')]);
      const commune = datasetQuads(bySlug('meteo-montpellier-2023'), options);
      expect(objects(commune, datasetUri('meteo-montpellier-2023'), `${DCT}spatial`).map((o) => o.value)).toContain(
        'http://id.insee.fr/geo/commune/34154',
      );
    });

    it('writes a bounding box as a WKT polygon', () => {
      const q = datasetQuads(bySlug('gbif-moustiques-montpellier-2023'), options);
      expect(objects(q, 'http://id.insee.fr/geo/commune/34172', `${DCAT}bbox`)).toEqual([
        literal(
          'POLYGON((3.807 43.566, 3.942 43.566, 3.942 43.654, 3.807 43.654, 3.807 43.566))',
          namedNode('http://www.opengis.net/ont/geosparql#wktLiteral'),
        ),
      ]);
    });
  });

  describe('controlled vocabularies', () => {
    const base = bySlug('insee-populations-legales');
    const variant = (patch: Partial<CatalogDataset>) => datasetQuads({ ...base, ...patch }, options);
    const subject = datasetUri(base.slug);

    it.each([
      ['etalab-2.0', 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/'],
      ['odbl-1.0', 'https://opendatacommons.org/licenses/odbl/1-0/'],
      ['cc-by-4.0', 'https://creativecommons.org/licenses/by/4.0/'],
      ['cc-by-nc-4.0', 'https://creativecommons.org/licenses/by-nc/4.0/'],
      ['proprietary', `${DEMO_BASE_URL}/licences/proprietary`],
    ] as const)('licence %s is %s, on the dataset and on each distribution', (code, uri) => {
      const q = variant({ licence: code });
      expect(objects(q, subject, `${DCT}license`).map((o) => o.value)).toEqual([uri]);
      expect(objects(q, `${subject}/distributions/communes-csv`, `${DCT}license`).map((o) => o.value)).toEqual([uri]);
      expect(objects(q, uri, RDF_TYPE).map((o) => o.value)).toContain(`${DCT}LicenseDocument`);
    });

    it('covers every licence code', () => {
      expect(LICENCE_CODES).toHaveLength(5);
    });

    it('a distribution licence overrides the dataset one', () => {
      const q = variant({ distributions: base.distributions.map((d) => ({ ...d, licence: 'cc-by-4.0' as const })) });
      expect(objects(q, `${subject}/distributions/communes-csv`, `${DCT}license`).map((o) => o.value)).toEqual([
        'https://creativecommons.org/licenses/by/4.0/',
      ]);
    });

    it.each([
      ['open', 'PUBLIC'],
      ['members', 'RESTRICTED'],
      ['restricted', 'RESTRICTED'],
      ['aggregate_only', 'NON_PUBLIC'],
    ] as const)('access level %s is the EU access right %s', (level, code) => {
      const q = variant({ accessLevel: level, distributions: level === 'aggregate_only' ? [] : base.distributions });
      expect(objects(q, subject, `${DCT}accessRights`).map((o) => o.value)).toEqual([
        `http://publications.europa.eu/resource/authority/access-right/${code}`,
      ]);
    });

    it('covers every access level', () => {
      expect(ACCESS_LEVELS).toHaveLength(4);
    });

    it.each([
      ['published', 'COMPLETED', true],
      ['deprecated', 'DEPRECATED', true],
      ['withdrawn', 'WITHDRAWN', false],
    ] as const)('status %s is %s on the dataset and its distributions', (status, code, available) => {
      const q = variant({ status });
      expect(objects(q, subject, 'http://www.w3.org/ns/adms#status').map((o) => o.value)).toEqual([
        `http://publications.europa.eu/resource/authority/dataset-status/${code}`,
      ]);
      const dist = `${subject}/distributions/communes-csv`;
      expect(objects(q, dist, 'http://www.w3.org/ns/adms#status').map((o) => o.value)).toEqual([
        `http://publications.europa.eu/resource/authority/distribution-status/${code}`,
      ]);
      expect(objects(q, dist, 'http://data.europa.eu/r5r/availability')).toHaveLength(available ? 1 : 0);
    });

    it('themes are EU data themes, domains are concepts of the consortium scheme', () => {
      const q = datasetQuads(bySlug('gbif-moustiques-montpellier-2023'), options);
      const themes = objects(q, datasetUri('gbif-moustiques-montpellier-2023'), `${DCAT}theme`).map((o) => o.value);
      expect(themes).toEqual([
        'http://publications.europa.eu/resource/authority/data-theme/HEAL',
        'http://publications.europa.eu/resource/authority/data-theme/ENVI',
        'http://publications.europa.eu/resource/authority/data-theme/TECH',
        `${DEMO_BASE_URL}/vocabulary/domains/health`,
        `${DEMO_BASE_URL}/vocabulary/domains/environment`,
        `${DEMO_BASE_URL}/vocabulary/domains/research`,
      ]);
      expect(objects(q, `${DEMO_BASE_URL}/vocabulary/domains/health`, 'http://www.w3.org/2004/02/skos/core#prefLabel')).toContainEqual(
        literal('Santé', 'fr'),
      );
      expect(
        objects(q, `${DEMO_BASE_URL}/vocabulary/domains/health`, 'http://www.w3.org/2004/02/skos/core#inScheme').map((o) => o.value),
      ).toEqual([`${DEMO_BASE_URL}/vocabulary/domains`]);
    });

    it('frequency, format and media type point to the EU and IANA tables', () => {
      const q = datasetQuads(bySlug('montpellier-comptages-velo'), options);
      const s = datasetUri('montpellier-comptages-velo');
      expect(objects(q, s, `${DCT}accrualPeriodicity`).map((o) => o.value)).toEqual([
        'http://publications.europa.eu/resource/authority/frequency/DAILY',
      ]);
      const dist = `${s}/distributions/compteurs-geojson`;
      expect(objects(q, dist, `${DCT}format`).map((o) => o.value)).toEqual([
        'http://publications.europa.eu/resource/authority/file-type/GEOJSON',
      ]);
      expect(objects(q, dist, `${DCAT}mediaType`).map((o) => o.value)).toEqual([
        'https://www.iana.org/assignments/media-types/application/geo+json',
      ]);
    });
  });

  describe('literals', () => {
    const d = bySlug('atout-france-campings-littoral');
    const q = datasetQuads(d, options);
    const s = datasetUri(d.slug);

    it('types dates as xsd:date, and instants as xsd:dateTime', () => {
      expect(objects(q, s, `${DCT}issued`)).toEqual([literal('2025-03-01', namedNode(`${XSD}date`))]);
      expect(objects(q, s, `${DCT}modified`)).toEqual([literal('2026-01-19T10:15:00+01:00', namedNode(`${XSD}dateTime`))]);
      expect(objects(q, `${s}#temporal`, `${DCAT}startDate`)).toEqual([literal('2019-01-22', namedNode(`${XSD}date`))]);
    });

    it('writes titles in French and English with their language tags', () => {
      expect(objects(q, s, `${DCT}title`)).toEqual([
        literal("Campings classés du littoral d'Occitanie", 'fr'),
        literal('Classified campsites on the Occitanie coast', 'en'),
      ]);
    });

    it('writes the size and the SHA-256 checksum with their datatypes', () => {
      const dist = `${s}/distributions/csv`;
      expect(objects(q, dist, `${DCAT}byteSize`)).toEqual([literal('90309', namedNode(`${XSD}nonNegativeInteger`))]);
      expect(objects(q, `${dist}#checksum`, 'http://spdx.org/rdf/terms#checksumValue')).toEqual([
        literal('da5536e8cccab9938bac29da986efb4d0f875632110ebd9d80e0daf99dd7d746', namedNode(`${XSD}hexBinary`)),
      ]);
      expect(objects(q, `${dist}#checksum`, 'http://spdx.org/rdf/terms#algorithm').map((o) => o.value)).toEqual([
        'http://spdx.org/rdf/terms#checksumAlgorithm_sha256',
      ]);
    });

    it('states the attribution and the access conditions on each distribution', () => {
      const [label] = objects(q, `${s}/distributions/csv#rights`, 'http://www.w3.org/2000/01/rdf-schema#label');
      expect(label?.value).toContain('Attribution : Atout France.');
      expect(label?.value).toContain('offre que le fournisseur approuve');
    });
  });

  describe('the catalog', () => {
    it('lists every published, deprecated or withdrawn dataset, never a draft', () => {
      const quads = catalogQuads(catalog, datasets, options);
      const listed = objects(quads, `${DEMO_BASE_URL}/catalog`, `${DCAT}dataset`).map((o) => o.value);
      expect(listed).toHaveLength(datasets.length - 1);
      expect(listed).toContain(datasetUri('insee-estimations-population-2009-2014'));
      expect(listed).not.toContain(datasetUri('brouillon-tam-temps-reel'));
      expect(quads.some((q) => q.subject.value === datasetUri('brouillon-tam-temps-reel'))).toBe(false);
    });

    it('is published by the operator, in French, with the data-theme and domain taxonomies', () => {
      const quads = catalogQuads(catalog, [], options);
      const s = `${DEMO_BASE_URL}/catalog`;
      expect(objects(quads, s, `${DCT}publisher`).map((o) => o.value)).toEqual([`${DEMO_BASE_URL}/organisations/ekitia`]);
      expect(objects(quads, s, `${DCT}language`).map((o) => o.value)).toEqual([
        'http://publications.europa.eu/resource/authority/language/FRA',
      ]);
      expect(objects(quads, s, `${DCAT}themeTaxonomy`).map((o) => o.value)).toEqual([
        'http://publications.europa.eu/resource/authority/data-theme',
        `${DEMO_BASE_URL}/vocabulary/domains`,
      ]);
    });
  });
});

describe('the catalog model', () => {
  const valid = DEMO_DATASET_INPUTS.find((d) => d.slug === 'meteo-montpellier-2023')!;

  it.each([
    ['a département code without its leading zero', { spatial: [{ level: 'departement', code: '9', name: 'Ariège' }] }],
    ['a commune code of four digits', { spatial: [{ level: 'commune', code: '4172', name: 'Montpellier' }] }],
    ['a French date', { issued: '31/12/2023' }],
    ['a period that ends before it starts', { temporal: { start: '2023-12-31', end: '2023-01-01' } }],
    ['a modification before publication', { issued: '2023-06-01', modified: '2023-01-01' }],
    ['an unknown licence', { licence: 'wtfpl' }],
    ['an upper-case checksum', { distributions: [{ ...valid.distributions![0]!, checksumSha256: 'A'.repeat(64) }] }],
    ['two distributions with one id', { distributions: [valid.distributions![0]!, valid.distributions![0]!] }],
    ['a download link on aggregate-only data', { accessLevel: 'aggregate_only' }],
    ['a javascript: link', { distributions: [{ ...valid.distributions![0]!, accessUrl: 'javascript:alert(1)' }] }],
    ['a path that would break an IRI', { distributions: [{ ...valid.distributions![0]!, accessUrl: '/a b<script>' }] }],
    ['a media type that is not one', { distributions: [{ ...valid.distributions![0]!, mediaType: 'csv' }] }],
  ])('rejects %s', (_what, patch) => {
    expect(catalogDatasetSchema.safeParse({ ...valid, ...patch }).success).toBe(false);
  });

  it.each([
    ['Corsica', { level: 'departement', code: '2A', name: 'Corse-du-Sud' }],
    ['an overseas département', { level: 'departement', code: '974', name: 'La Réunion' }],
    ['a Corsican commune', { level: 'commune', code: '2A004', name: 'Ajaccio' }],
  ])('accepts %s', (_what, area) => {
    expect(catalogDatasetSchema.safeParse({ ...valid, spatial: [area] }).success).toBe(true);
  });

  it('accepts a link elsewhere as it is, and resolves a path on this node', () => {
    const elsewhere = 'https://meteo.data.gouv.fr/datasets/686f8595b351c06a3a790867';
    const d = catalogDatasetSchema.parse({ ...valid, distributions: [{ ...valid.distributions![0]!, accessUrl: elsewhere }] });
    const q = datasetQuads(d, options);
    expect(objects(q, `${datasetUri(d.slug)}/distributions/csv`, `${DCAT}accessURL`).map((o) => o.value)).toEqual([elsewhere]);
    expect(objects(q, `${datasetUri(d.slug)}/distributions/csv`, `${DCAT}downloadURL`).map((o) => o.value)).toEqual([
      `${DEMO_BASE_URL}/api/v1/datasets/meteo-montpellier-2023/download?format=csv`,
    ]);
  });
});

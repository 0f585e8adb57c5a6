import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetSearch, type DatasetSearch } from '@confiance/contract';
import { prefixWord, searchDatasets, searchDocument } from '../src/modules/catalog/search';
import { backends } from './backends';
import { makeOrganisation, testNode, type TestNode } from './harness';

const OCCITANIE = ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'];

interface Fixture {
  slug: string;
  publisher: string;
  title: string;
  description: string;
  keywords?: string[];
  places?: string[];
  themes: string[];
  domains: string[];
  departements: string[];
  licence: string;
  access?: 'open' | 'members' | 'restricted' | 'aggregate_only';
  frequency: string | null;
  formats: string[];
  status?: 'published' | 'deprecated' | 'withdrawn';
  modified: string;
}

const PUBLISHERS: Record<string, string> = {
  'atmo-occitanie': 'Atmo Occitanie',
  'sante-publique-france': 'Santé publique France',
  tisseo: 'Tisséo Collectivités',
  'montpellier-mediterranee-metropole': 'Montpellier Méditerranée Métropole',
  'meteo-france': 'Météo-France',
  insee: 'INSEE',
  'atout-france': 'Atout France',
  'universite-montpellier': 'Université de Montpellier',
};

/** Modelled on the demo consortium's Occitanie open data (demo/SOURCES.md). */
const DATASETS: Fixture[] = [
  {
    slug: 'atmo-mesures-mensuelles',
    publisher: 'atmo-occitanie',
    title: "Qualité de l'air : mesures mensuelles des polluants principaux",
    description:
      "Concentrations mensuelles de dioxyde d'azote (NO2), de particules fines (PM10, PM2,5) et d'ozone mesurées par les stations du réseau régional, dont celles de Toulouse et de Montpellier.",
    keywords: ['pollution atmosphérique', 'NO2', 'PM10', 'ozone'],
    places: ['Haute-Garonne', 'Hérault'],
    themes: ['ENVI', 'HEAL'],
    domains: ['environment'],
    departements: ['31', '34'],
    licence: 'odbl-1.0',
    frequency: 'MONTHLY',
    formats: ['CSV'],
    modified: '2025-03-02T08:00:00Z',
  },
  {
    slug: 'atmo-moyennes-annuelles',
    publisher: 'atmo-occitanie',
    title: "Qualité de l'air : moyennes annuelles par station",
    description: 'Moyennes annuelles des polluants réglementés pour chaque station de mesure de la région.',
    keywords: ['pollution atmosphérique'],
    places: ['Occitanie'],
    themes: ['ENVI'],
    domains: ['environment'],
    departements: OCCITANIE,
    licence: 'odbl-1.0',
    frequency: 'ANNUAL',
    formats: ['CSV'],
    modified: '2025-01-15T08:00:00Z',
  },
  {
    slug: 'spf-hospitalisations-departement',
    publisher: 'sante-publique-france',
    title: 'Hospitalisations COVID-19 quotidiennes par département',
    description:
      'Nouvelles hospitalisations, admissions en réanimation, retours à domicile et décès à l’hôpital, par jour et par département (SI-VIC).',
    keywords: ['covid-19', 'épidémie', 'réanimation'],
    places: ['Hérault', 'Haute-Garonne', 'Gard', 'Aude'],
    themes: ['HEAL'],
    domains: ['health'],
    departements: OCCITANIE,
    licence: 'etalab-2.0',
    frequency: 'DAILY',
    formats: ['CSV'],
    modified: '2023-03-31T18:00:00Z',
  },
  {
    slug: 'spf-hospitalisations-sexe-2020',
    publisher: 'sante-publique-france',
    title: 'Hospitalisations COVID-19 par sexe et département, printemps 2020',
    description: 'Ancienne série des données hospitalières, retirée : les dates de fin juin 2020 étaient mal saisies.',
    keywords: ['covid-19'],
    places: ['Hérault'],
    themes: ['HEAL'],
    domains: ['health'],
    departements: OCCITANIE,
    licence: 'etalab-2.0',
    frequency: 'NEVER',
    formats: ['CSV'],
    status: 'withdrawn',
    modified: '2020-07-01T10:00:00Z',
  },
  {
    slug: 'spf-admissions-age',
    publisher: 'sante-publique-france',
    title: "Admissions à l'hôpital par classe d'âge en Occitanie",
    description: 'Nombre quotidien de patients COVID-19 admis, par classe d’âge décennale, pour la région.',
    keywords: ['covid-19', 'âge'],
    places: ['Occitanie'],
    themes: ['HEAL'],
    domains: ['health'],
    departements: OCCITANIE,
    licence: 'etalab-2.0',
    access: 'members',
    frequency: 'DAILY',
    formats: ['CSV', 'PARQUET'],
    status: 'deprecated',
    modified: '2023-06-30T16:00:00Z',
  },
  {
    slug: 'tisseo-gtfs',
    publisher: 'tisseo',
    title: 'Réseau Tisséo : horaires théoriques GTFS',
    description: 'Arrêts et lignes de métro, de tram et de bus de l’agglomération toulousaine au format GTFS.',
    keywords: ['transport en commun', 'GTFS', 'métro'],
    places: ['Toulouse', 'Haute-Garonne'],
    themes: ['TRAN'],
    domains: ['mobility'],
    departements: ['31'],
    licence: 'odbl-1.0',
    frequency: 'WEEKLY',
    formats: ['GTFS', 'ZIP'],
    modified: '2025-06-01T06:00:00Z',
  },
  {
    slug: 'tam-gtfs',
    publisher: 'montpellier-mediterranee-metropole',
    title: 'Réseau TaM : horaires théoriques GTFS du tramway et des bus',
    description: 'Offre de transport théorique de la TaM (arrêts, lignes, courses, calendriers).',
    keywords: ['transport en commun', 'GTFS', 'tramway'],
    places: ['Montpellier', 'Hérault'],
    themes: ['TRAN'],
    domains: ['mobility'],
    departements: ['34'],
    licence: 'odbl-1.0',
    frequency: 'WEEKLY',
    formats: ['GTFS', 'ZIP'],
    modified: '2025-07-15T06:00:00Z',
  },
  {
    slug: 'tam-temps-reel',
    publisher: 'montpellier-mediterranee-metropole',
    title: 'Prochains passages en temps réel aux arrêts TaM',
    description: 'Heures de départ prévues et estimées des tramways et bus, rafraîchies en continu.',
    keywords: ['temps réel', 'tramway'],
    places: ['Montpellier'],
    themes: ['TRAN'],
    domains: ['mobility'],
    departements: ['34'],
    licence: 'odbl-1.0',
    access: 'restricted',
    frequency: 'UPDATE_CONT',
    formats: ['CSV'],
    modified: '2025-09-12T07:00:00Z',
  },
  {
    slug: 'meteo-montpellier-2023',
    publisher: 'meteo-france',
    title: 'Observations météorologiques quotidiennes, station de Montpellier-Fréjorgues (2023)',
    description: 'Températures minimales et maximales, précipitations, humidité et vent, agrégés par jour depuis les messages SYNOP.',
    keywords: ['température', 'précipitations', 'climat'],
    places: ['Montpellier', 'Hérault'],
    themes: ['ENVI'],
    domains: ['climate'],
    departements: ['34'],
    licence: 'etalab-2.0',
    frequency: 'DAILY',
    formats: ['CSV'],
    modified: '2024-01-10T09:00:00Z',
  },
  {
    slug: 'insee-populations-legales',
    publisher: 'insee',
    title: "Populations légales des communes d'Occitanie",
    description:
      'Population municipale et population totale de chaque commune ; sert de dénominateur pour rapporter les hospitalisations ou les nuitées à la population.',
    keywords: ['recensement', 'démographie'],
    places: ['Occitanie'],
    themes: ['SOCI', 'REGI'],
    domains: ['territory'],
    departements: OCCITANIE,
    licence: 'etalab-2.0',
    frequency: 'ANNUAL',
    formats: ['CSV'],
    modified: '2024-12-20T12:00:00Z',
  },
  {
    slug: 'insee-estimations-population',
    publisher: 'insee',
    title: 'Estimations de population par département, sexe et âge quinquennal',
    description: 'Estimations annuelles de 2009 à 2014, par tranche d’âge de cinq ans.',
    keywords: ['démographie'],
    places: ['Occitanie'],
    themes: ['SOCI'],
    domains: ['territory'],
    departements: OCCITANIE,
    licence: 'etalab-2.0',
    frequency: 'ANNUAL',
    formats: ['CSV'],
    modified: '2016-01-05T12:00:00Z',
  },
  {
    slug: 'atout-france-campings-littoral',
    publisher: 'atout-france',
    title: 'Campings classés du littoral',
    description:
      'Terrains de camping classés de l’Aude, du Gard, de l’Hérault et des Pyrénées-Orientales, avec leur capacité en emplacements.',
    keywords: ['tourisme', 'hébergement'],
    places: ['Aude', 'Gard', 'Hérault', 'Pyrénées-Orientales'],
    themes: ['ECON'],
    domains: ['tourism'],
    departements: ['11', '30', '34', '66'],
    licence: 'etalab-2.0',
    frequency: 'IRREG',
    formats: ['CSV'],
    modified: '2024-05-01T12:00:00Z',
  },
  {
    slug: 'atout-france-hebergements',
    publisher: 'atout-france',
    title: 'Hébergements touristiques classés en Occitanie',
    description: 'Hôtels, résidences de tourisme, villages de vacances et campings classés, avec leur adresse et leur capacité.',
    keywords: ['tourisme'],
    places: ['Occitanie'],
    themes: ['ECON'],
    domains: ['tourism'],
    departements: OCCITANIE,
    licence: 'etalab-2.0',
    frequency: 'MONTHLY',
    formats: ['CSV'],
    modified: '2024-04-01T12:00:00Z',
  },
  {
    slug: 'ecocompteurs-montpellier',
    publisher: 'montpellier-mediterranee-metropole',
    title: 'Écocompteurs de Montpellier : passages quotidiens de vélos',
    description: 'Comptages journaliers des compteurs vélo et piéton installés sur les pistes cyclables, avec leur localisation.',
    keywords: ['vélo', 'mobilité douce'],
    places: ['Montpellier'],
    themes: ['TRAN'],
    domains: ['mobility'],
    departements: ['34'],
    licence: 'odbl-1.0',
    frequency: 'DAILY',
    formats: ['JSON', 'GEOJSON'],
    modified: '2024-10-31T12:00:00Z',
  },
  {
    slug: 'parkings-montpellier',
    publisher: 'montpellier-mediterranee-metropole',
    title: 'Stationnement : places libres dans les parkings',
    description: 'Nombre de places disponibles dans chaque parking public, rafraîchi toutes les minutes.',
    keywords: ['parking'],
    places: ['Montpellier'],
    themes: ['TRAN'],
    domains: ['mobility'],
    departements: ['34'],
    licence: 'odbl-1.0',
    frequency: 'UPDATE_CONT',
    formats: ['JSON'],
    modified: '2025-09-01T07:00:00Z',
  },
  {
    slug: 'moustiques-montpellier-2023',
    publisher: 'universite-montpellier',
    title: 'Moustiques capturés à Montpellier en 2023',
    description: 'Captures de moustiques tigres (Aedes albopictus) par piège, publiées sur GBIF.',
    keywords: ['biodiversité', 'moustique tigre', 'GBIF'],
    places: ['Montpellier'],
    themes: ['ENVI', 'HEAL'],
    domains: ['environment', 'health'],
    departements: ['34'],
    licence: 'cc-by-nc-4.0',
    frequency: 'NEVER',
    formats: ['TSV'],
    modified: '2024-02-01T12:00:00Z',
  },
];

const VISIBLE = DATASETS.filter((d) => d.status !== 'withdrawn');
const slugsWhere = (predicate: (d: Fixture) => boolean) =>
  VISIBLE.filter(predicate)
    .map((d) => d.slug)
    .sort();

describe('prefixWord', () => {
  it.each([
    ['hospit', { head: '', word: 'hospit' }],
    ["qualité de l'air montp", { head: "qualité de l'air ", word: 'montp' }],
    ["qualité de l'eau", null],
    ["qualité de l'environnement", { head: "qualité de l'", word: 'environnement' }],
    ['covid-19', null],
    ['air -covid', null],
    ['"qualité de l\'air"', null],
    ['tramway or metro', null],
    ['de', null],
    ['&|!:*()', null],
  ])('%s → %j', (q, expected) => {
    expect(prefixWord(q)).toEqual(expected);
  });
});

describe.each(backends())('catalog search on %s', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode(backend);
    const organisations = new Map<string, string>();
    for (const [slug, name] of Object.entries(PUBLISHERS)) {
      organisations.set(slug, (await makeOrganisation(node.ctx, { slug, shortName: name, legalName: name, category: 'public_body' })).id);
    }
    await node.ctx.db
      .insertInto('datasets')
      .values(
        DATASETS.map((d) => ({
          slug: d.slug,
          organisation_id: organisations.get(d.publisher)!,
          status: d.status ?? 'published',
          access_level: d.access ?? 'open',
          licence: d.licence,
          title_fr: d.title,
          description_fr: d.description,
          themes: d.themes,
          domains: d.domains,
          keywords: d.keywords ?? [],
          spatial: JSON.stringify([]),
          departements: d.departements,
          frequency: d.frequency,
          formats: d.formats,
          current_version: 1,
          modified: new Date(d.modified),
          issued: new Date(d.modified),
          search: searchDocument({
            titleFr: d.title,
            titleEn: null,
            keywords: d.keywords ?? [],
            descriptionFr: d.description,
            publisherName: PUBLISHERS[d.publisher]!,
            places: d.places ?? [],
          }),
        })),
      )
      .execute();
  });
  afterAll(() => node.close());

  const search = (input: DatasetSearch) => searchDatasets(node.ctx.db, datasetSearch.parse({ pageSize: 100, ...input }));
  const slugs = async (input: DatasetSearch) => (await search(input)).rows.map((r) => r.slug);
  const sorted = async (input: DatasetSearch) => (await slugs(input)).sort();

  describe('French text', () => {
    it.each([
      [
        'accents do not matter (herault)',
        'herault',
        [
          'atmo-mesures-mensuelles',
          'spf-hospitalisations-departement',
          'tam-gtfs',
          'meteo-montpellier-2023',
          'atout-france-campings-littoral',
        ],
      ],
      ['accents do not matter (meteo)', 'meteo', ['meteo-montpellier-2023']],
      ['capitals do not matter', 'HOSPITALISATION', ['spf-hospitalisations-departement', 'insee-populations-legales']],
      ['plural finds singular (campings → camping)', 'campings', ['atout-france-campings-littoral', 'atout-france-hebergements']],
      ['singular finds plural (moustique → moustiques)', 'moustique', ['moustiques-montpellier-2023']],
      ['a keyword finds its dataset (vélo → vélos)', 'vélo', ['ecocompteurs-montpellier']],
      ['words are AND-ed', 'horaires gtfs montpellier', ['tam-gtfs']],
      ['words are AND-ed across fields', 'hospitalisations Hérault', ['spf-hospitalisations-departement']],
      ['an elided article is no word', "qualité de l'air Montpellier", ['atmo-mesures-mensuelles']],
      ['the publisher is searched', 'atmo', ['atmo-mesures-mensuelles', 'atmo-moyennes-annuelles']],
      ['a negated word excludes', 'tramway -temps', ['tam-gtfs']],
      ['a quoted phrase is a phrase', '"moustique tigre"', ['moustiques-montpellier-2023']],
      ['the last word is a prefix while typing', 'hospit', ['spf-hospitalisations-departement', 'insee-populations-legales']],
      ['…after complete words too', 'reseau tiss', ['tisseo-gtfs']],
    ])('%s: %s', async (_, q, expected) => {
      expect(await sorted({ q })).toEqual([...expected].sort());
    });

    it.each([
      ['hospitalisations', 'spf-hospitalisations-departement', 'insee-populations-legales'],
      ['montpellier', 'moustiques-montpellier-2023', 'atmo-mesures-mensuelles'],
      ['camping', 'atout-france-campings-littoral', 'atout-france-hebergements'],
    ])('ranks a title hit above a weaker hit (%s: %s before %s)', async (q, first, later) => {
      const found = await slugs({ q });
      expect(found).toContain(later);
      expect(found.indexOf(first)).toBeLessThan(found.indexOf(later));
    });

    it('ranks exact words above prefix-only matches, even in a title (« tram » before « tramway »)', async () => {
      const found = await slugs({ q: 'tram' });
      expect(found[0]).toBe('tisseo-gtfs');
      expect(found.slice(1).sort()).toEqual(['tam-gtfs', 'tam-temps-reel']);
    });

    it.each([
      ['only stop words', 'de la et'],
      ['only punctuation', '&|!:*()'],
      ['dangling operators', '- ( ) " " !'],
    ])('matches everything on %s, newest first, never fails', async (_, q) => {
      const result = await search({ q });
      expect(result.total).toBe(VISIBLE.length);
      expect(result.rows.map((r) => r.slug)).toEqual([...VISIBLE].sort((a, b) => b.modified.localeCompare(a.modified)).map((d) => d.slug));
    });

    it.each(["'); drop table datasets; --", '&|!:*()', "o'reilly\\' ; select 1", 'a:* & !b | (c <-> d)', '\u0000', 'é'.repeat(200)])(
      'answers %j normally and leaves the table alone',
      async (q) => {
        const result = await search({ q });
        expect(result.total).toBeGreaterThanOrEqual(0);
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from datasets`.execute(node.ctx.db);
        expect(rows[0]!.n).toBe(DATASETS.length);
      },
    );
  });

  describe('withdrawn datasets', () => {
    it('are hidden from text search and browsing', async () => {
      expect(await slugs({ q: 'hospitalisations sexe' })).toEqual([]);
      expect((await search({})).total).toBe(VISIBLE.length);
    });

    it('are listed when asked for', async () => {
      expect(await slugs({ q: 'hospitalisations sexe', includeWithdrawn: 'true' })).toEqual(['spf-hospitalisations-sexe-2020']);
      expect((await search({ includeWithdrawn: 'true' })).total).toBe(DATASETS.length);
    });

    it('while deprecated ones stay listed', async () => {
      const { rows } = await search({ q: 'admissions' });
      expect(rows.find((r) => r.slug === 'spf-admissions-age')?.status).toBe('deprecated');
    });
  });

  describe('facet filters', () => {
    it.each<[string, DatasetSearch, (d: Fixture) => boolean]>([
      ['theme', { theme: ['TRAN'] }, (d) => d.themes.includes('TRAN')],
      ['domain', { domain: ['tourism'] }, (d) => d.domains.includes('tourism')],
      ['publisher (organisation slug)', { publisher: ['atmo-occitanie'] }, (d) => d.publisher === 'atmo-occitanie'],
      ['licence', { licence: ['cc-by-nc-4.0'] }, (d) => d.licence === 'cc-by-nc-4.0'],
      ['access level', { accessLevel: ['members', 'restricted'] }, (d) => d.access === 'members' || d.access === 'restricted'],
      ['département', { departement: ['31'] }, (d) => d.departements.includes('31')],
      ['format, values OR-ed', { format: ['GTFS', 'TSV'] }, (d) => d.formats.includes('GTFS') || d.formats.includes('TSV')],
      ['frequency', { frequency: ['DAILY'] }, (d) => d.frequency === 'DAILY'],
      ['facets AND-ed', { theme: ['TRAN'], departement: ['34'] }, (d) => d.themes.includes('TRAN') && d.departements.includes('34')],
      [
        'text and facets AND-ed',
        { q: 'montpellier', domain: ['mobility', 'climate'], licence: ['odbl-1.0'] },
        (d) => ['tam-gtfs', 'tam-temps-reel', 'ecocompteurs-montpellier', 'parkings-montpellier'].includes(d.slug),
      ],
      [
        'query-string style values',
        { format: 'GTFS,TSV' as unknown as string[] },
        (d) => d.formats.includes('GTFS') || d.formats.includes('TSV'),
      ],
    ])('%s', async (_, input, predicate) => {
      const result = await search(input);
      expect(result.rows.map((r) => r.slug).sort()).toEqual(slugsWhere(predicate));
      expect(result.total).toBe(slugsWhere(predicate).length);
    });

    it('count every value over the unfiltered set when nothing is selected', async () => {
      const { facets } = await search({});
      expect(facets.format).toContainEqual({ value: 'CSV', count: VISIBLE.filter((d) => d.formats.includes('CSV')).length });
      expect(facets.departement).toContainEqual({ value: '34', count: VISIBLE.filter((d) => d.departements.includes('34')).length });
      expect(facets.publisher).toContainEqual({ value: 'montpellier-mediterranee-metropole', count: 4 });
      expect(facets.accessLevel).toEqual([
        { value: 'open', count: VISIBLE.length - 2 },
        { value: 'members', count: 1 },
        { value: 'restricted', count: 1 },
      ]);
      // Most frequent first; no null frequency counted.
      const counts = facets.theme.map((c) => c.count);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      expect(facets.frequency.reduce((n, c) => n + c.count, 0)).toBe(VISIBLE.filter((d) => d.frequency).length);
    });

    it('count a facet with every filter but its own, so that it can be widened', async () => {
      const { facets } = await search({ format: ['GTFS'], departement: ['34'] });
      // format: counted with the département filter only.
      const in34 = VISIBLE.filter((d) => d.departements.includes('34'));
      expect(facets.format).toContainEqual({ value: 'GTFS', count: in34.filter((d) => d.formats.includes('GTFS')).length });
      expect(facets.format).toContainEqual({ value: 'CSV', count: in34.filter((d) => d.formats.includes('CSV')).length });
      // département: counted with the format filter only (Tisséo's 31 shows).
      expect(facets.departement).toEqual(
        expect.arrayContaining([
          { value: '31', count: 1 },
          { value: '34', count: 1 },
        ]),
      );
      // The others: with both filters.
      expect(facets.theme).toEqual([{ value: 'TRAN', count: 1 }]);
      expect(facets.publisher).toEqual([{ value: 'montpellier-mediterranee-metropole', count: 1 }]);
    });

    it('count within the text matches', async () => {
      const { facets, total } = await search({ q: 'montpellier' });
      expect(facets.publisher.reduce((n, c) => n + c.count, 0)).toBe(total);
      expect(facets.domain.find((c) => c.value === 'tourism')).toBeUndefined();
    });

    it('keep a selected value listed with 0 when the other filters leave none', async () => {
      const { facets, total } = await search({ licence: ['cc-by-nc-4.0'], theme: ['TRAN'] });
      expect(total).toBe(0);
      expect(facets.theme).toContainEqual({ value: 'TRAN', count: 0 });
      expect(facets.licence).toContainEqual({ value: 'cc-by-nc-4.0', count: 0 });
      expect(facets.publisher).toEqual([]);
    });
  });

  describe('sorting and pagination', () => {
    it('sorts by date, newest first, when there is no text', async () => {
      expect(await slugs({})).toEqual([...VISIBLE].sort((a, b) => b.modified.localeCompare(a.modified)).map((d) => d.slug));
    });

    it('sorts by title in reading order (« Écocompteurs » with the E)', async () => {
      const titles = (await search({ sort: 'title' })).rows.map((r) => r.title_fr);
      const initials = titles.map((t) => t.normalize('NFD').replace(/\p{M}/gu, '')[0]!.toLowerCase());
      expect(initials).toEqual([...initials].sort());
      expect(titles.indexOf('Écocompteurs de Montpellier : passages quotidiens de vélos')).toBeLessThan(
        titles.indexOf('Estimations de population par département, sexe et âge quinquennal'),
      );
    });

    it('sorts a text search by date when asked', async () => {
      const rows = (await search({ q: 'montpellier', sort: 'date' })).rows;
      const dates = rows.map((r) => r.modified.getTime());
      expect(dates).toEqual([...dates].sort((a, b) => b - a));
    });

    it('pages through every dataset once, with the total on every page and past the end', async () => {
      const seen: string[] = [];
      for (let page = 1; page <= 4; page++) {
        const result = await search({ pageSize: 4, page });
        expect(result.total).toBe(VISIBLE.length);
        seen.push(...result.rows.map((r) => r.slug));
      }
      expect(seen).toEqual(await slugs({}));
      const past = await search({ pageSize: 4, page: 10 });
      expect(past.rows).toEqual([]);
      expect(past.total).toBe(VISIBLE.length);
      expect(past.facets.format.length).toBeGreaterThan(0);
    });
  });

  it('returns what a summary needs, with the publisher', async () => {
    const [row] = (await search({ q: 'moustiques' })).rows;
    expect(row).toMatchObject({
      slug: 'moustiques-montpellier-2023',
      title_fr: 'Moustiques capturés à Montpellier en 2023',
      title_en: null,
      status: 'published',
      access_level: 'open',
      licence: 'cc-by-nc-4.0',
      themes: ['ENVI', 'HEAL'],
      domains: ['environment', 'health'],
      keywords: ['biodiversité', 'moustique tigre', 'GBIF'],
      departements: ['34'],
      formats: ['TSV'],
      frequency: 'NEVER',
      current_version: 1,
      publisher_slug: 'universite-montpellier',
      publisher_name: 'Université de Montpellier',
    });
    expect(row!.modified).toEqual(new Date('2024-02-01T12:00:00Z'));
    expect(row!.issued).toBeInstanceOf(Date);
  });
});

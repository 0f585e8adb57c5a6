import fs from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ColumnType, type IngestResult, type IngestedTable, ingestFile } from '../src/modules/catalog/ingest/index';
import { DEMO_DATA, listing, manifestRows, queryParquet, sqlPath, tempDir } from './ingest-helpers';

/**
 * Every file of the demo data ingests: the row count is the manifest's `data_rows` (or the feature
 * count of SOURCES.md for GeoJSON), key columns get the expected type, and text survives intact.
 */

type Expected = {
  rows?: number;
  columns: Record<string, ColumnType>;
  check?(table: IngestedTable, result: IngestResult): void | Promise<void>;
};

const GEOJSON_FEATURES: Record<string, number> = {
  'boundaries/region-occitanie.geojson': 1,
  'boundaries/departements-occitanie.geojson': 13,
  'boundaries/communes-11-aude.geojson': 436,
  'boundaries/communes-30-gard.geojson': 353,
  'boundaries/communes-34-herault.geojson': 343,
  'boundaries/communes-66-pyrenees-orientales.geojson': 226,
  'boundaries/communes-31-haute-garonne.geojson': 587,
  'mobility/montpellier_ecocompteurs/MMM_MMM_GeolocCompteurs.geojson': 51,
};

const column = (table: IngestedTable, name: string) => {
  const c = table.columns.find((col) => col.name === name);
  if (!c) throw new Error(`no column ${name} in ${table.columns.map((col) => col.name).join(', ')}`);
  return c;
};

const boundary = (codeMin: string): Expected => ({
  columns: { code: 'string', nom: 'string', geometry: 'geometry' },
  check: async (table) => {
    expect(column(table, 'code').min).toBe(codeMin);
    const [first] = await queryParquet<{ geometry: string }>(`SELECT geometry FROM ${sqlPath(table.parquetPath)} LIMIT 1`);
    expect(JSON.parse(first!.geometry)).toMatchObject({ type: expect.stringMatching(/^(Multi)?Polygon$/), coordinates: expect.any(Array) });
  },
});

const DEMO: Record<string, Expected> = {
  'boundaries/region-occitanie.geojson': boundary('76'),
  'boundaries/departements-occitanie.geojson': {
    ...boundary('09'),
    check: async (table) => {
      const names = await queryParquet<{ nom: string }>(
        `SELECT nom FROM ${sqlPath(table.parquetPath)} WHERE code IN ('09', '34', '66') ORDER BY code`,
      );
      expect(names.map((n) => n.nom)).toEqual(['Ariège', 'Hérault', 'Pyrénées-Orientales']);
    },
  },
  'boundaries/communes-11-aude.geojson': boundary('11001'),
  'boundaries/communes-30-gard.geojson': boundary('30001'),
  'boundaries/communes-31-haute-garonne.geojson': boundary('31001'),
  'boundaries/communes-34-herault.geojson': boundary('34001'),
  'boundaries/communes-66-pyrenees-orientales.geojson': boundary('66001'),
  'climate/meteoMPL2023_montpellier_synop07643_daily.csv': {
    columns: {
      colonne_1: 'integer',
      date: 'date',
      pres_mean: 'number',
      temp_mean: 'number',
      temp_max: 'number',
      rh_min: 'integer',
      rain_sum: 'number',
    },
    check: (table) => {
      expect(column(table, 'date')).toMatchObject({ min: '2023-01-01', max: '2023-12-31', distinctCount: 365 });
      expect(column(table, 'temp_max').max).toBe(37);
      // R's NA is a missing value, reported, not a reason to make the column text.
      expect(table.quality.issues).toContainEqual(
        expect.objectContaining({ kind: 'missing_value', column: 'wind_mean', sample: 'NA', row: 340 }),
      );
      expect(table.quality.issues).toContainEqual(expect.objectContaining({ kind: 'renamed_column', column: 'colonne_1' }));
    },
  },
  'demography/insee_estim_pop_dep_sexe_age5_2009-2014_occitanie.csv': {
    columns: { dep: 'string', l_dep: 'string', annee: 'integer', sexe: 'string', age_max_cat: 'string', value: 'integer' },
    check: (table) => {
      // This source writes Ariège as 9: an INSEE code, kept as text as written.
      expect(column(table, 'dep')).toMatchObject({ min: '11', max: '9', distinctCount: 13 });
      // `inf` (95 and over) is a real category, not a missing number.
      expect(column(table, 'age_max_cat').max).toBe('inf');
    },
  },
  'demography/insee_populations_legales_communes_occitanie.csv': {
    columns: {
      REG: 'string',
      DEP: 'string',
      CODARR: 'string',
      CODCAN: 'string',
      CODCOM: 'string',
      COM: 'string',
      Commune: 'string',
      PMUN: 'integer',
      PTOT: 'integer',
    },
    check: async (table) => {
      expect(column(table, 'DEP').min).toBe('09');
      expect(column(table, 'COM').min).toBe('09001');
      const rows = await queryParquet(
        `SELECT Commune FROM ${sqlPath(table.parquetPath)} WHERE Commune IN ('Escornebœuf', 'Cœur de Causse')`,
      );
      expect(rows).toHaveLength(2);
    },
  },
  'demography/insee_populations_legales_departements_occitanie.csv': {
    columns: { REG: 'string', DEP: 'string', Département: 'string', PMUN: 'integer' },
    check: (table) => {
      expect(column(table, 'DEP')).toMatchObject({ min: '09', distinctCount: 13 });
      expect(column(table, 'PMUN').max).toBe(1471468);
    },
  },
  'environment/atmo_occitanie_mesures_annuelles.csv': {
    columns: { X: 'number', insee_com: 'string', nom_station: 'string', valeur: 'number', date_debut: 'datetime', x_l93: 'integer' },
  },
  'environment/atmo_occitanie_mesures_mensuelles_2018.csv': {
    columns: {
      X: 'number',
      Y: 'number',
      insee_com: 'string',
      code_station: 'string',
      valeur: 'number',
      date_debut: 'datetime',
      date_fin: 'datetime',
    },
    check: (table) => expect(column(table, 'date_debut')).toMatchObject({ min: '2018-02-01T01:00:00Z', max: '2018-12-01T01:00:00Z' }),
  },
  'environment/gbif_0004826-260129131611470_moustiques_montpellier_2023.tsv': {
    columns: {
      gbifID: 'string',
      species: 'string',
      individualCount: 'integer',
      decimalLatitude: 'number',
      year: 'integer',
      eventDate: 'string',
      license: 'string',
    },
    check: (table, result) => {
      expect(result.source.delimiter).toBe('\t');
      expect(table.columns).toHaveLength(50);
      expect(column(table, 'identifiedBy').min).toMatch(/^Colombine Bartholomé/);
    },
  },
  'health/spf_covid_hosp_ad_age_reg76_occitanie.csv': {
    columns: { reg: 'string', Semaine: 'string', cl_age90: 'string', NewAdmHospit: 'integer' },
    check: (table) => expect(column(table, 'cl_age90').min).toBe('0'),
  },
  'health/spf_covid_hospit_dep_sexe_occitanie_2020-03-18_2020-06-30.csv': {
    columns: { dep: 'string', sexe: 'integer', jour: 'date', hosp: 'integer', rea: 'integer', rad: 'integer', dc: 'integer' },
    check: async (table) => {
      // Ariège stays "09", in the quoted ISO rows and in the unquoted dd/mm/yyyy rows alike.
      expect(column(table, 'dep')).toMatchObject({ min: '09', distinctCount: 13, nullCount: 0 });
      expect(column(table, 'jour')).toMatchObject({ min: '2020-03-18', max: '2020-06-30', nullCount: 0, distinctCount: 105 });
      expect(table.quality.issues).toContainEqual(
        expect.objectContaining({ kind: 'mixed_formats', column: 'jour', count: 108, row: 3943, sample: '27/06/2020' }),
      );
      const [row] = await queryParquet(
        `SELECT count(*) AS n FROM ${sqlPath(table.parquetPath)} WHERE dep = '09' AND jour = DATE '2020-06-27'`,
      );
      expect(row).toEqual({ n: '3' });
    },
  },
  'health/spf_covid_hospit_incid_dep_occitanie.csv': {
    columns: { dep: 'string', jour: 'date', incid_hosp: 'integer', incid_dc: 'integer' },
    check: (table) => expect(column(table, 'dep').min).toBe('09'),
  },
  'health/spf_covid_hospit_incid_rea_reg76_occitanie.csv': {
    columns: { jour: 'date', nomReg: 'string', numReg: 'string', incid_rea: 'integer' },
  },
  'littoral/atout_france_campings_classes_11_30_34_66.csv': {
    columns: {
      'DATE DE CLASSEMENT': 'date',
      'CODE POSTAL': 'string',
      "CAPACITÉ D'ACCUEIL (PERSONNES)": 'integer',
      "NOMBRE D'EMPLACEMENTS": 'integer',
    },
    check: (table) => expect(column(table, "NOMBRE D'EMPLACEMENTS").min).toBe(11),
  },
  'tourism/atout_france_hebergements_classes_occitanie.csv': {
    columns: {
      'DATE DE CLASSEMENT': 'date',
      'TYPOLOGIE ÉTABLISSEMENT': 'string',
      'CODE POSTAL': 'string',
      'NOMBRE DE CHAMBRES': 'integer',
    },
    check: (table) => {
      expect(column(table, 'CODE POSTAL').min).toBe('09000');
      expect(column(table, 'DATE DE CLASSEMENT')).toMatchObject({ min: '2019-01-22', max: '2026-01-09' });
      // "-" (not applicable) in a count column: an empty cell, reported with how many there are.
      expect(table.quality.issues).toContainEqual(
        expect.objectContaining({ kind: 'missing_value', column: 'NOMBRE DE CHAMBRES', sample: '-', count: 1332 }),
      );
    },
  },
  'mobility/montpellier_ecocompteurs/MMM_EcoCompt_archive_7compteurs.ndjson': {
    columns: {
      intensity: 'integer',
      laneId: 'integer',
      dateObserved: 'string',
      location: 'geometry',
      id: 'string',
      reversedLane: 'boolean',
    },
    check: async (table) => {
      const [first] = await queryParquet<{ location: string }>(`SELECT location FROM ${sqlPath(table.parquetPath)} LIMIT 1`);
      expect(JSON.parse(first!.location)).toEqual({ coordinates: [3.896939992904663, 43.60969924926758], type: 'Point' });
    },
  },
  'mobility/montpellier_ecocompteurs/MMM_MMM_GeolocCompteurs.csv': {
    columns: { 'Nom du com': 'string', 'N° Série': 'string', Latitude: 'number', Longitude: 'number' },
  },
  'mobility/montpellier_ecocompteurs/MMM_MMM_GeolocCompteurs.geojson': {
    columns: { 'Nom du com': 'string', 'N° Série': 'string', Latitude: 'number', OSM_Line_i: 'integer', geometry: 'geometry' },
  },
  'mobility/tam_temps_reel/TAM_MMM_TpsReel.csv': {
    columns: {
      course: 'integer',
      stop_code: 'string',
      stop_id: 'string',
      route_short_name: 'string',
      departure_time: 'string',
      delay_sec: 'integer',
    },
  },
  'mobility/tam_gtfs/agency.txt': { columns: { agency_id: 'string', agency_name: 'string' } },
  'mobility/tam_gtfs/calendar.txt': { columns: { service_id: 'string', monday: 'integer', start_date: 'integer' } },
  'mobility/tam_gtfs/calendar_dates.txt': { columns: { service_id: 'string', date: 'integer', exception_type: 'integer' } },
  'mobility/tam_gtfs/routes.txt': { columns: { route_id: 'string', route_short_name: 'string', route_type: 'integer' } },
  'mobility/tam_gtfs/stops.txt': {
    columns: { stop_id: 'string', stop_code: 'string', stop_lat: 'number', stop_lon: 'number', parent_station: 'string' },
    check: (table, result) => {
      expect(result.source.bom).toBe(true);
      expect(table.columns[0]!.name).toBe('stop_id');
    },
  },
  'mobility/tam_gtfs/transfers.txt': { columns: { from_stop_id: 'string', transfer_type: 'integer' } },
  'mobility/tam_gtfs/trips.txt': { columns: { route_id: 'string', trip_id: 'string', direction_id: 'string' } },
  'mobility/tisseo_gtfs/agency.txt': {
    columns: { agency_id: 'string', agency_name: 'string' },
    check: (table) => expect(column(table, 'agency_name').min).toBe('Tisséo'),
  },
  'mobility/tisseo_gtfs/routes.txt': { columns: { route_id: 'string', route_type: 'integer', route_color: 'string' } },
  'mobility/tisseo_gtfs/stops.txt': {
    columns: { stop_id: 'string', stop_name: 'string', stop_lat: 'number', wheelchair_boarding: 'integer' },
  },
};

let manifest: Map<string, number | null>;
const outputs: string[] = [];

beforeAll(async () => {
  manifest = await manifestRows();
});

afterAll(async () => {
  await Promise.all(outputs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

async function ingestDemo(relative: string, options: { originalName?: string; source?: string } = {}) {
  const out = await tempDir();
  outputs.push(out);
  const result = await ingestFile(
    { path: options.source ?? path.join(DEMO_DATA, relative), originalName: options.originalName ?? path.basename(relative) },
    { dir: out },
  );
  return { result, out };
}

describe('every demo data file', () => {
  it('has an expectation here (none forgotten)', () => {
    const listed = [...manifest.keys()].filter((f) => !f.startsWith('organisations/'));
    expect(Object.keys(DEMO).sort()).toEqual(listed.sort());
  });

  for (const [relative, expected] of Object.entries(DEMO)) {
    it(`ingests ${relative}`, async () => {
      const { result, out } = await ingestDemo(relative);
      expect(result.tables).toHaveLength(1);
      const table = result.tables[0]!;
      const rows = relative.endsWith('.geojson') ? GEOJSON_FEATURES[relative] : manifest.get(relative);
      expect(table.rowCount).toBe(rows);
      expect(table.quality.rejectedRows).toBe(0);
      expect(Object.fromEntries(Object.keys(expected.columns).map((name) => [name, column(table, name).type]))).toEqual(expected.columns);
      expect(result.source.encoding).toBe('utf-8');
      // Only the finished Parquet file is left, and it holds what the result says.
      expect(await listing(out)).toEqual([`${table.name}.parquet`]);
      const [count] = await queryParquet<{ n: string }>(`SELECT count(*) AS n FROM ${sqlPath(table.parquetPath)}`);
      expect(Number(count!.n)).toBe(rows);
      await expected.check?.(table, result);
    });
  }
});

describe('the GTFS feed of TaM, zipped', () => {
  it('gives one table per file, with GTFS dates read as dates', async () => {
    const dir = path.join(DEMO_DATA, 'mobility/tam_gtfs');
    const files = (await fs.readdir(dir)).sort();
    const zip = zipSync(
      Object.fromEntries(await Promise.all(files.map(async (f) => [f, new Uint8Array(await fs.readFile(path.join(dir, f)))] as const))),
    );
    const work = await tempDir();
    outputs.push(work);
    await fs.writeFile(path.join(work, 'TAM_MMM_GTFS.zip'), zip);
    const { result, out } = await ingestDemo('', { source: path.join(work, 'TAM_MMM_GTFS.zip'), originalName: 'TAM_MMM_GTFS.zip' });
    expect(result.source).toMatchObject({ format: 'gtfs', encoding: 'utf-8', delimiter: ',', bom: true });
    expect(result.tables.map((t) => [t.name, t.rowCount])).toEqual(
      files.map((f) => [f.replace('.txt', ''), manifest.get(`mobility/tam_gtfs/${f}`)]),
    );
    const calendar = result.tables.find((t) => t.name === 'calendar')!;
    expect(column(calendar, 'start_date')).toMatchObject({ type: 'date', min: '2025-07-15' });
    expect(column(calendar, 'end_date')).toMatchObject({ type: 'date', max: '2025-10-17' });
    expect(
      column(
        result.tables.find((t) => t.name === 'calendar_dates')!,
        'date',
      ).type,
    ).toBe('date');
    expect((await listing(out)).sort()).toEqual(files.map((f) => f.replace('.txt', '.parquet')));
  });
});

describe('demo files saved in Windows-1252 or ISO-8859-1', () => {
  // The demo files are all UTF-8: legacy exports of the same data are made here, byte for byte as
  // a spreadsheet "CSV (séparateur : point-virgule)" export would write them.
  const cases = [
    {
      file: 'tourism/atout_france_hebergements_classes_occitanie.csv',
      encoding: 'windows-1252',
      text: ['Chemin des Œillets', '16 rue de l’Église'],
    },
    { file: 'littoral/atout_france_campings_classes_11_30_34_66.csv', encoding: 'windows-1252', text: [] },
    {
      file: 'demography/insee_populations_legales_communes_occitanie.csv',
      encoding: 'windows-1252',
      text: ['Escornebœuf', 'Cœur de Causse'],
    },
    {
      file: 'demography/insee_populations_legales_departements_occitanie.csv',
      encoding: 'iso-8859-1',
      text: ['Ariège', 'Hérault', 'Pyrénées-Orientales'],
    },
  ] as const;

  for (const { file, encoding, text } of cases) {
    it(`reads ${path.basename(file)} in ${encoding} exactly as the UTF-8 original`, async () => {
      const work = await tempDir();
      outputs.push(work);
      const legacy = path.join(work, path.basename(file));
      await fs.writeFile(legacy, iconv.encode(await fs.readFile(path.join(DEMO_DATA, file), 'utf8'), encoding));
      const original = (await ingestDemo(file)).result.tables[0]!;
      const { result } = await ingestDemo(file, { source: legacy });
      expect(result.source.encoding).toBe(encoding);
      const table = result.tables[0]!;
      expect(table.columns).toEqual(original.columns);
      const [diff] = await queryParquet<{ n: string }>(
        `SELECT count(*) AS n FROM ((FROM ${sqlPath(table.parquetPath)} EXCEPT ALL FROM ${sqlPath(original.parquetPath)}) UNION ALL (FROM ${sqlPath(original.parquetPath)} EXCEPT ALL FROM ${sqlPath(table.parquetPath)}))`,
      );
      expect(diff).toEqual({ n: '0' });
      const all = JSON.stringify(await queryParquet(`FROM ${sqlPath(table.parquetPath)}`));
      for (const t of text) expect(all).toContain(t);
    });
  }
});

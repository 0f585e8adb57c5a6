import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestedTable } from '../ingest/index';
import { binning, periodFor } from './chart';
import { type ChartBucket, DataReaderError, OTHERS_LABEL, closeTableReaders, readChart } from './index';
import { columnOf, publish, removeTempDirs, tempDir } from './testing';

let hospital: IngestedTable;

beforeAll(async () => {
  hospital = await publish('health/spf_covid_hospit_dep_sexe_occitanie_2020-03-18_2020-06-30.csv');
});

afterAll(async () => {
  await closeTableReaders();
  await removeTempDirs();
});

const sum = (buckets: ChartBucket[]) => buckets.reduce((total, b) => total + b.count, 0);

/** Every chart counts each filled cell exactly once. */
async function chartOf(table: IngestedTable, name: string) {
  const column = columnOf(table, name);
  const chart = await readChart({ parquetPath: table.parquetPath, column: { name: column.name, type: column.type } });
  expect(sum(chart.buckets)).toBe(table.rowCount - column.nullCount);
  return chart;
}

describe('a number column', () => {
  it('gives about twelve bins of equal, round width', async () => {
    const chart = await chartOf(hospital, 'hosp');
    expect(chart.kind).toBe('histogram');
    expect(chart.buckets.length).toBeGreaterThanOrEqual(9);
    expect(chart.buckets.length).toBeLessThanOrEqual(13);
    const bounds = chart.buckets.map((b) => b.label.split(' – ').map(Number));
    expect(bounds[0]![0]).toBe(0);
    const widths = new Set(bounds.map(([from, to]) => to! - from!));
    expect(widths.size).toBe(1);
    // Contiguous: each bin starts where the previous one ends.
    bounds.slice(1).forEach(([from], i) => expect(from).toBe(bounds[i]![1]));
  });

  it('gives one bin per value when an integer column has few values', async () => {
    const chart = await chartOf(hospital, 'sexe');
    expect(chart.buckets).toEqual([
      { label: '0', count: 1365 },
      { label: '1', count: 1365 },
      { label: '2', count: 1365 },
    ]);
  });

  it('counts decimals, leaving empty cells out', async () => {
    const weather = await publish('climate/meteoMPL2023_montpellier_synop07643_daily.csv');
    const chart = await chartOf(weather, 'wind_mean');
    expect(chart.kind).toBe('histogram');
    expect(columnOf(weather, 'wind_mean').nullCount).toBeGreaterThan(0);
  });

  it('picks round widths and keeps labels free of floating-point noise', () => {
    expect(binning(0, 120, false)).toEqual({ start: 0, width: 10, bins: 12 });
    expect(binning(3, 118, true)).toEqual({ start: 0, width: 10, bins: 12 });
    expect(binning(0.1, 0.7, false)).toEqual({ start: 0.1, width: 0.05, bins: 12 });
    expect(binning(-7.5, 7.5, false)).toEqual({ start: -7.5, width: 1.5, bins: 10 });
    expect(binning(0, 299, true)).toEqual({ start: 0, width: 25, bins: 12 });
    expect(binning(0, 2, true)).toEqual({ start: 0, width: 1, bins: 3 });
  });
});

describe('a date or datetime column', () => {
  it('counts per month over a few months', async () => {
    const chart = await chartOf(hospital, 'jour');
    expect(chart).toEqual({
      kind: 'timeline',
      buckets: [
        // 18–31 March, then April (30 days), May (31), June (30): 39 rows a day.
        { label: '2020-03', count: 14 * 39 },
        { label: '2020-04', count: 30 * 39 },
        { label: '2020-05', count: 31 * 39 },
        { label: '2020-06', count: 30 * 39 },
      ],
    });
  });

  it('counts per year over more than five years', async () => {
    const accommodation = await publish('tourism/atout_france_hebergements_classes_occitanie.csv');
    const chart = await chartOf(accommodation, 'DATE DE CLASSEMENT');
    expect(chart.buckets.map((b) => b.label)).toEqual(['2019', '2020', '2021', '2022', '2023', '2024', '2025', '2026']);
  });

  it('counts datetimes with a zone on their UTC date', async () => {
    const air = await publish('environment/atmo_occitanie_mesures_mensuelles_2018.csv');
    expect(columnOf(air, 'date_debut').type).toBe('datetime');
    const chart = await chartOf(air, 'date_debut');
    expect(chart.buckets.map((b) => b.label)).toEqual([
      '2018-02',
      '2018-03',
      '2018-04',
      '2018-05',
      '2018-06',
      '2018-07',
      '2018-08',
      '2018-09',
      '2018-10',
      '2018-11',
      '2018-12',
    ]);
  });

  it('counts per day under two months, showing days without rows as zeros', async () => {
    const file = path.join(await tempDir(), 'days.csv');
    await fs.writeFile(file, 'jour,n\n2024-02-27,1\n2024-02-27,2\n2024-03-02,3\n,4\n');
    const table = await publish(file);
    const chart = await chartOf(table, 'jour');
    expect(chart.buckets).toEqual([
      { label: '2024-02-27', count: 2 },
      { label: '2024-02-28', count: 0 },
      { label: '2024-02-29', count: 0 },
      { label: '2024-03-01', count: 0 },
      { label: '2024-03-02', count: 1 },
    ]);
  });

  it('chooses the period from the span', () => {
    expect(periodFor({ y: 2020, m: 3, d: 18 }, { y: 2020, m: 5, d: 17 })).toBe('day');
    expect(periodFor({ y: 2020, m: 3, d: 18 }, { y: 2020, m: 5, d: 18 })).toBe('month');
    expect(periodFor({ y: 2020, m: 11, d: 15 }, { y: 2021, m: 1, d: 14 })).toBe('day');
    expect(periodFor({ y: 2018, m: 1, d: 1 }, { y: 2023, m: 1, d: 1 })).toBe('month');
    expect(periodFor({ y: 2018, m: 1, d: 1 }, { y: 2023, m: 1, d: 2 })).toBe('year');
  });
});

describe('a text or boolean column', () => {
  it('gives the twelve most frequent values and the rest as (autres)', async () => {
    const chart = await chartOf(hospital, 'dep');
    expect(chart.kind).toBe('top');
    expect(chart.buckets).toHaveLength(13);
    // 13 départements with 315 rows each: ties in code order, Ariège first and as "09".
    expect(chart.buckets[0]).toEqual({ label: '09', count: 315 });
    expect(chart.buckets.at(-1)).toEqual({ label: OTHERS_LABEL, count: 315 });
  });

  it('gives every value when there are twelve or fewer', async () => {
    const counters = await publish('mobility/montpellier_ecocompteurs/MMM_EcoCompt_archive_7compteurs.ndjson');
    const chart = await chartOf(counters, 'reversedLane');
    // Every count of this archive is on the lane's own direction.
    expect(chart).toEqual({ kind: 'top', buckets: [{ label: 'false', count: 9214 }] });
  });
});

describe('a geometry, JSON or binary column', () => {
  it('has no chart: a typed error the route maps to validation_failed', async () => {
    const counters = await publish('mobility/montpellier_ecocompteurs/MMM_EcoCompt_archive_7compteurs.ndjson');
    const error = await readChart({ parquetPath: counters.parquetPath, column: { name: 'location', type: 'geometry' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataReaderError);
    expect(error).toMatchObject({ code: 'chart_unavailable', column: 'location', message: expect.stringMatching(/^Pas de graphique/) });
  });
});

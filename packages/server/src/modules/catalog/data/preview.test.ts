import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestedTable } from '../ingest/index';
import { MAX_PREVIEW_TEXT, closeTableReaders, readPreview } from './index';
import { columnsOf, publish, removeTempDirs, tempDir, writeParquet } from './testing';

afterAll(async () => {
  await closeTableReaders();
  await removeTempDirs();
});

describe('a preview of the Santé publique France hospital file', () => {
  let table: IngestedTable;
  beforeAll(async () => {
    table = await publish('health/spf_covid_hospit_dep_sexe_occitanie_2020-03-18_2020-06-30.csv');
  });

  it('gives the first rows in file order, Ariège as "09", dates as YYYY-MM-DD, and the table’s row count', async () => {
    const columns = columnsOf(table, 'dep', 'sexe', 'jour', 'hosp', 'rea', 'rad', 'dc');
    const preview = await readPreview({ parquetPath: table.parquetPath, columns, limit: 4 });
    expect(preview).toEqual({
      columns,
      rows: [
        ['09', 0, '2020-03-18', 1, 1, 2, 0],
        ['09', 1, '2020-03-18', 0, 0, 1, 0],
        ['09', 2, '2020-03-18', 1, 1, 1, 0],
        ['11', 0, '2020-03-18', 8, 7, 9, 3],
      ],
      rowCount: 4095,
    });
  });

  it('shows the columns asked for, in the order asked', async () => {
    const preview = await readPreview({ parquetPath: table.parquetPath, columns: columnsOf(table, 'jour', 'dep'), limit: 2 });
    expect(preview.columns.map((c) => c.name)).toEqual(['jour', 'dep']);
    expect(preview.rows).toEqual([
      ['2020-03-18', '09'],
      ['2020-03-18', '09'],
    ]);
  });

  it('stops at the limit, and at the end of the table', async () => {
    const columns = columnsOf(table, 'dep');
    expect((await readPreview({ parquetPath: table.parquetPath, columns, limit: 200 })).rows).toHaveLength(200);
    expect((await readPreview({ parquetPath: table.parquetPath, columns, limit: 0 })).rows).toEqual([]);
    const small = await publish('demography/insee_populations_legales_departements_occitanie.csv');
    const all = await readPreview({ parquetPath: small.parquetPath, columns: columnsOf(small, 'DEP'), limit: 50 });
    expect(all.rows).toHaveLength(13);
    expect(all.rowCount).toBe(13);
  });

  it('refuses a limit that is not a whole number', async () => {
    await expect(readPreview({ parquetPath: table.parquetPath, columns: [], limit: 1.5 })).rejects.toThrow(RangeError);
    await expect(readPreview({ parquetPath: table.parquetPath, columns: [], limit: -1 })).rejects.toThrow(RangeError);
  });
});

describe('a preview of every column type', () => {
  let table: IngestedTable;
  beforeAll(async () => {
    // A Parquet upload with types no CSV gives: ingestion keeps them (nested values become JSON text).
    // No HUGEINT: Parquet has no 128-bit integer and DuckDB writes it as DOUBLE.
    const source = path.join(await tempDir(), 'types.parquet');
    await writeParquet(
      source,
      `SELECT * FROM (VALUES
        (9007199254740993::BIGINT, 18446744073709551615::UBIGINT, 12345678901234567.89::DECIMAL(38, 2),
         3.25::DECIMAL(10, 2), 0.1::DOUBLE, 'nan'::DOUBLE, true, DATE '2023-04-05', TIMESTAMP '2023-04-05 06:07:08',
         TIMESTAMP '2023-04-05 06:07:08.5', TIMESTAMPTZ '2023-04-05 08:07:08+02', TIME '13:14:15', '\\x01\\xAB'::BLOB,
         encode(repeat('é', 3000)), {'type': 'Point', 'coordinates': [3.88, 43.61]}, [1, 2, 3], repeat('x', 2500), 'Cœur de Causse'),
        (42, 7, 1.5, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL)
      ) AS t(big, huge, big_decimal, small_decimal, dbl, not_a_number, flag, day, moment, moment_fraction, moment_tz,
             clock, bytes, long_bytes, place, list, long_text, text)`,
    );
    table = await publish(source);
  });

  it('keeps the catalog types ingestion gave', () => {
    expect(Object.fromEntries(table.columns.map((c) => [c.name, c.type]))).toEqual({
      big: 'integer',
      huge: 'integer',
      big_decimal: 'number',
      small_decimal: 'number',
      dbl: 'number',
      not_a_number: 'number',
      flag: 'boolean',
      day: 'date',
      moment: 'datetime',
      moment_fraction: 'datetime',
      moment_tz: 'datetime',
      clock: 'time',
      bytes: 'binary',
      long_bytes: 'binary',
      place: 'geometry',
      list: 'json',
      long_text: 'string',
      text: 'string',
    });
  });

  it('gives every cell a JSON form that loses nothing silently', async () => {
    const preview = await readPreview({
      parquetPath: table.parquetPath,
      columns: table.columns.map(({ name, type }) => ({ name, type })),
      limit: 10,
    });
    const [first, second] = preview.rows.map((row) => Object.fromEntries(preview.columns.map((c, i) => [c.name, row[i]])));
    expect(first).toEqual({
      // Beyond 2^53 a JavaScript number would round: text instead.
      big: '9007199254740993',
      huge: '18446744073709551615',
      big_decimal: '12345678901234567.89',
      small_decimal: 3.25,
      dbl: 0.1,
      not_a_number: 'nan',
      flag: true,
      day: '2023-04-05',
      moment: '2023-04-05T06:07:08',
      moment_fraction: '2023-04-05T06:07:08.500000',
      // Stored in UTC, shown in UTC with its Z.
      moment_tz: '2023-04-05T06:07:08Z',
      clock: '13:14:15',
      bytes: '0x01AB',
      long_bytes: `0x${'C3A9'.repeat(8)}…`,
      place: '{"type":"Point","coordinates":[3.88,43.61]}',
      list: '[1,2,3]',
      long_text: `${'x'.repeat(MAX_PREVIEW_TEXT)}…`,
      text: 'Cœur de Causse',
    });
    expect(second).toMatchObject({ big: 42, huge: 7, big_decimal: 1.5, small_decimal: null, flag: false, day: null, text: null });
    expect(second!.long_text).toBe('');
  });

  it('shortens long GeoJSON outlines', async () => {
    const communes = await publish('boundaries/communes-34-herault.geojson');
    const preview = await readPreview({ parquetPath: communes.parquetPath, columns: columnsOf(communes, 'code', 'geometry'), limit: 50 });
    const outlines = preview.rows.map((r) => r[1] as string);
    expect(outlines.every((o) => o.length <= MAX_PREVIEW_TEXT + 1)).toBe(true);
    expect(outlines.some((o) => o.endsWith('…'))).toBe(true);
    const whole = outlines.find((o) => !o.endsWith('…'))!;
    expect(JSON.parse(whole)).toMatchObject({ type: expect.stringMatching(/Polygon$/) });
  });
});

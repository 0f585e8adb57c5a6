import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestedTable } from '../ingest/index';
import { exportCsv } from './index';
import { publish, queryParquet, removeTempDirs, sqlPath, tempDir, writeParquet } from './testing';

let hospital: IngestedTable;

beforeAll(async () => {
  hospital = await publish('health/spf_covid_hospit_dep_sexe_occitanie_2020-03-18_2020-06-30.csv');
});

afterAll(removeTempDirs);

describe('a CSV export', () => {
  it('writes UTF-8 with a header and commas, and returns its size', async () => {
    const dir = await tempDir();
    const target = path.join(dir, 'hospitalisations.csv');
    const bytes = await exportCsv({ parquetPath: hospital.parquetPath, targetPath: target });
    const text = await fs.readFile(target, 'utf8');
    expect(bytes).toBe((await fs.stat(target)).size);
    const lines = text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['dep,sexe,jour,hosp,rea,rad,dc', '09,0,2020-03-18,1,1,2,0', '09,1,2020-03-18,0,0,1,0']);
    expect(lines.filter(Boolean)).toHaveLength(4096);
    // Only the CSV is left: the export's private folder is gone.
    expect(await fs.readdir(dir)).toEqual(['hospitalisations.csv']);
  });

  it('reads back, through ingestion, as the same table', async () => {
    const target = path.join(await tempDir(), 'hospitalisations.csv');
    await exportCsv({ parquetPath: hospital.parquetPath, targetPath: target });
    const again = await publish(target);
    expect(again.rowCount).toBe(hospital.rowCount);
    expect(again.columns).toEqual(hospital.columns);
    const a = sqlPath(hospital.parquetPath);
    const b = sqlPath(again.parquetPath);
    const [diff] = await queryParquet(`SELECT count(*) AS n FROM ((FROM ${a} EXCEPT ALL FROM ${b}) UNION ALL (FROM ${b} EXCEPT ALL FROM ${a}))`);
    expect(diff).toEqual({ n: '0' });
  });

  it('quotes text with commas, quotes and line breaks, and keeps accents', async () => {
    const source = path.join(await tempDir(), 'text.parquet');
    await writeParquet(
      source,
      `SELECT * FROM (VALUES ('Cœur de Causse', 'a, b'), ('Escornebœuf', 'il dit "oui"'), ('L''Isle-Jourdain', 'ligne 1
ligne 2')) AS t(commune, note)`,
    );
    const table = await publish(source);
    const target = path.join(await tempDir(), 'text.csv');
    await exportCsv({ parquetPath: table.parquetPath, targetPath: target });
    expect(await fs.readFile(target, 'utf8')).toBe(
      'commune,note\nCœur de Causse,"a, b"\nEscornebœuf,"il dit ""oui"""\nL\'Isle-Jourdain,"ligne 1\nligne 2"\n',
    );
  });

  it('replaces an earlier export at the same path', async () => {
    const target = path.join(await tempDir(), 'export.csv');
    await fs.writeFile(target, 'stale');
    const bytes = await exportCsv({ parquetPath: hospital.parquetPath, targetPath: target });
    expect((await fs.readFile(target, 'utf8')).startsWith('dep,sexe')).toBe(true);
    expect(bytes).toBeGreaterThan(5);
  });

  describe('when the Parquet file is missing', () => {
    it('fails with unreadable and leaves nothing behind', async () => {
      const dir = await tempDir();
      await expect(
        exportCsv({ parquetPath: path.join(dir, 'gone.parquet'), targetPath: path.join(dir, 'gone.csv') }),
      ).rejects.toMatchObject({ code: 'unreadable' });
      expect(await fs.readdir(dir)).toEqual([]);
    });
  });
});

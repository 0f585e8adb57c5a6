import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestedTable } from '../ingest/index';
import { sqlString } from '../ingest/duckdb';
import { DataReaderError, closeTableReaders, readChart, readPreview } from './index';
import { type LockedReader, openLockedReader, openTableReaderCount } from './reader';
import { publish, removeTempDirs, tempDir, writeParquet } from './testing';

const HOSPITAL = 'health/spf_covid_hospit_dep_sexe_occitanie_2020-03-18_2020-06-30.csv';

let hospital: IngestedTable;
let other: string;
let elsewhere: string;

beforeAll(async () => {
  hospital = await publish(HOSPITAL);
  const dir = await tempDir();
  other = path.join(dir, 'other-dataset.parquet');
  await writeParquet(other, `SELECT 'secret' AS s`);
  elsewhere = await tempDir();
});

afterAll(async () => {
  await closeTableReaders();
  await removeTempDirs();
});

describe('a locked reader', () => {
  let reader: LockedReader;
  beforeAll(async () => {
    reader = await openLockedReader([hospital.parquetPath]);
  });
  afterAll(() => reader.close());

  it('reads its own file', async () => {
    expect(await reader.rowCount()).toBe(4095);
    expect((await reader.columns()).map((c) => [c.name, c.type])).toEqual([
      ['dep', 'string'],
      ['sexe', 'integer'],
      ['jour', 'date'],
      ['hosp', 'integer'],
      ['rea', 'integer'],
      ['rad', 'integer'],
      ['dc', 'integer'],
    ]);
  });

  it('refuses any other file, even another published table or a file next to its own', async () => {
    await expect(reader.all(`FROM read_parquet(${sqlString(other)})`)).rejects.toThrow(/Permission Error/);
    await expect(reader.all(`FROM read_csv('/etc/passwd')`)).rejects.toThrow(/Permission Error/);
    await expect(reader.all(`FROM glob(${sqlString(`${path.dirname(hospital.parquetPath)}/*`)})`)).rejects.toThrow(/Permission Error/);
  });

  it('writes nowhere, and cannot be unlocked', async () => {
    await expect(reader.all(`COPY (SELECT 1) TO ${sqlString(path.join(elsewhere, 'x.csv'))}`)).rejects.toThrow(/Permission Error/);
    await expect(reader.all(`COPY (SELECT 1) TO ${sqlString(path.join(path.dirname(hospital.parquetPath), 'x.csv'))}`)).rejects.toThrow(
      /Permission Error/,
    );
    await expect(reader.all(`SET enable_external_access = true`)).rejects.toThrow(/locked/i);
    await expect(reader.all(`SET allowed_paths = ['/etc/passwd']`)).rejects.toThrow(/locked/i);
  });
});

describe('the reader cache', () => {
  it('keeps one instance per file across requests', async () => {
    await closeTableReaders();
    const columns = [{ name: 'dep', type: 'string' as const }];
    await readPreview({ parquetPath: hospital.parquetPath, columns, limit: 1 });
    await readChart({ parquetPath: hospital.parquetPath, column: { name: 'sexe', type: 'integer' } });
    await Promise.all([1, 2, 3].map(() => readPreview({ parquetPath: hospital.parquetPath, columns, limit: 5 })));
    expect(openTableReaderCount()).toBe(1);
  });

  it('closes the least recently used instances beyond a few open files', async () => {
    const dir = await tempDir();
    const files = Array.from({ length: 10 }, (_, i) => path.join(dir, `t${i}.parquet`));
    for (const [i, file] of files.entries()) await writeParquet(file, `SELECT ${i} AS n`);
    const results = await Promise.all(
      files.map((file) => readPreview({ parquetPath: file, columns: [{ name: 'n', type: 'integer' }], limit: 1 })),
    );
    expect(results.map((r) => r.rows[0]![0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(openTableReaderCount()).toBe(8);
  });

  it('follows a symbolic link to the file it points to, and is given only that file', async () => {
    const link = path.join(await tempDir(), 'link.parquet');
    await fs.symlink(hospital.parquetPath, link);
    const preview = await readPreview({ parquetPath: link, columns: [{ name: 'dep', type: 'string' }], limit: 1 });
    expect(preview.rows).toEqual([['09']]);
  });
});

describe('when the file is missing or not Parquet', () => {
  it('fails with unreadable, naming the file but not its folder', async () => {
    const missing = path.join(elsewhere, 'gone.parquet');
    const error = await readPreview({ parquetPath: missing, columns: [], limit: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataReaderError);
    expect(error).toMatchObject({ code: 'unreadable' });
    expect((error as Error).message).toContain('gone.parquet');
    expect((error as Error).message).not.toContain(elsewhere);

    const text = path.join(elsewhere, 'not.parquet');
    await fs.writeFile(text, 'a,b\n1,2\n');
    await expect(readChart({ parquetPath: text, column: { name: 'a', type: 'integer' } })).rejects.toMatchObject({ code: 'unreadable' });
  });

  it('fails with unreadable when a file already open is damaged, and opens it afresh next time', async () => {
    const file = path.join(await tempDir(), 'damaged.parquet');
    await writeParquet(file, `SELECT 1 AS n`);
    const columns = [{ name: 'n', type: 'integer' as const }];
    expect((await readPreview({ parquetPath: file, columns, limit: 1 })).rows).toEqual([[1]]);
    await fs.writeFile(file, 'not parquet any more');
    await expect(readPreview({ parquetPath: file, columns, limit: 1 })).rejects.toMatchObject({ code: 'unreadable' });
    await writeParquet(file, `SELECT 'two' AS n`);
    expect((await readPreview({ parquetPath: file, columns: [{ name: 'n', type: 'string' }], limit: 1 })).rows).toEqual([['two']]);
  });

  it('refuses a relative path, which would depend on the working folder', async () => {
    await expect(readPreview({ parquetPath: 'data/x.parquet', columns: [], limit: 1 })).rejects.toThrow(TypeError);
  });
});

describe('column names from a request', () => {
  const attempts = [
    `dep" FROM read_csv('/etc/passwd') --`,
    `dep", (SELECT content FROM read_text('/etc/passwd')) AS "x`,
    `"dep"`,
    `DEP`,
    `dep; DROP TABLE t`,
    '',
  ];

  for (const name of attempts) {
    it(`rejects ${JSON.stringify(name)} as an unknown column before any SQL`, async () => {
      await expect(readPreview({ parquetPath: hospital.parquetPath, columns: [{ name, type: 'string' }], limit: 1 })).rejects.toMatchObject({
        code: 'unknown_column',
        column: name,
      });
      await expect(readChart({ parquetPath: hospital.parquetPath, column: { name, type: 'string' } })).rejects.toMatchObject({
        code: 'unknown_column',
      });
    });
  }

  it('reads a real column whose name holds quotes and SQL, quoted as an identifier', async () => {
    const source = path.join(await tempDir(), 'odd-names.parquet');
    const odd = `it's "x"; DROP TABLE t; --`;
    await writeParquet(source, `SELECT * FROM (VALUES ('a', 1), ('b', 2), ('a', 3)) AS t("${odd.replaceAll('"', '""')}", n)`);
    const table = await publish(source);
    expect(table.columns.map((c) => c.name)).toEqual([odd, 'n']);
    const preview = await readPreview({ parquetPath: table.parquetPath, columns: [{ name: odd, type: 'string' }], limit: 5 });
    expect(preview.rows).toEqual([['a'], ['b'], ['a']]);
    const chart = await readChart({ parquetPath: table.parquetPath, column: { name: odd, type: 'string' } });
    expect(chart.buckets).toEqual([
      { label: 'a', count: 2 },
      { label: 'b', count: 1 },
    ]);
  });

  it('refuses a column whose catalog type does not match the file (a stale schema), as the node’s fault', async () => {
    await expect(readChart({ parquetPath: hospital.parquetPath, column: { name: 'dep', type: 'date' } })).rejects.toMatchObject({
      code: 'unreadable',
    });
  });
});

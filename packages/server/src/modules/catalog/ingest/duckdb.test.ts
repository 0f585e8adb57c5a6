import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestDatabase, openIngestDatabase, sqlString } from './duckdb';

/** The ingestion DuckDB is confined like every DuckDB in Confiance (DESIGN.md), and can still do its job. */
let root: string;
let db: IngestDatabase;
const at = (...p: string[]) => path.join(root, ...p);

beforeAll(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'ingest-duckdb-')));
  for (const d of ['work', 'out', 'uploads', 'elsewhere']) await fs.mkdir(at(d));
  await fs.writeFile(at('uploads', 'upload.csv'), 'a,b\n1,2\n');
  await fs.writeFile(at('uploads', 'someone-else.csv'), 'secret\n42\n');
  await fs.writeFile(at('elsewhere', 'secret.csv'), 'secret\n42\n');
  db = await openIngestDatabase({
    readableFiles: [at('uploads', 'upload.csv')],
    directories: [at('work'), at('out')],
    spillDirectory: at('work'),
  });
});

afterAll(async () => {
  db.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('the ingestion DuckDB', () => {
  it('reads the upload and writes Parquet into the output folder', async () => {
    const written = await db.copy(
      `COPY (FROM read_csv(${sqlString(at('uploads', 'upload.csv'))})) TO ${sqlString(at('out', 't.parquet'))} (FORMAT parquet)`,
    );
    expect(written).toBe(1);
    expect(await db.all(`SELECT count(*) AS n FROM read_parquet(${sqlString(at('out', 't.parquet'))})`)).toEqual([{ n: 1n }]);
  });

  it('reads nothing else, not even another upload next to it', async () => {
    await expect(db.all(`FROM read_csv(${sqlString(at('elsewhere', 'secret.csv'))})`)).rejects.toThrow(/Permission Error/);
    await expect(db.all(`FROM read_csv(${sqlString(at('uploads', 'someone-else.csv'))})`)).rejects.toThrow(/Permission Error/);
  });

  it('writes nowhere else', async () => {
    await expect(db.run(`COPY (SELECT 1) TO ${sqlString(at('elsewhere', 'x.parquet'))} (FORMAT parquet)`)).rejects.toThrow(
      /Permission Error/,
    );
  });

  it('cannot be unlocked', async () => {
    await expect(db.run(`SET enable_external_access = true`)).rejects.toThrow(/locked/i);
    await expect(db.run(`SET allowed_directories = ['/']`)).rejects.toThrow(/locked/i);
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { SERVER_ROOT } from '../src/platform/paths';

export const DEMO_DATA = path.join(SERVER_ROOT, 'demo', 'data');
export const INGEST_FIXTURES = path.join(SERVER_ROOT, 'test', 'fixtures', 'ingest');

export async function tempDir(prefix = 'ingest-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Every entry of a folder (hidden ones included); [] when it does not exist. */
export async function listing(dir: string): Promise<string[]> {
  return fs.readdir(dir).catch(() => []);
}

/** `data_rows` of every file in the demo manifest, by path relative to `demo/data`. */
export async function manifestRows(): Promise<Map<string, number | null>> {
  const text = await fs.readFile(path.join(DEMO_DATA, 'MANIFEST.csv'), 'utf8');
  const [, ...lines] = text.split(/\r?\n/).filter(Boolean);
  return new Map(
    lines.map((line) => {
      const [, file, , rows] = line.split(',');
      return [file!, rows ? Number(rows) : null];
    }),
  );
}

/** Runs SQL on Parquet files the test wrote (a plain DuckDB: the files are the test's own). */
export async function queryParquet<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson() as T[];
    connection.closeSync();
    return rows;
  } finally {
    instance.closeSync();
  }
}

export const sqlPath = (file: string) => `'${file.replaceAll("'", "''")}'`;

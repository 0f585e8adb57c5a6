import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { SERVER_ROOT } from '../../../platform/paths';
import { type IngestedTable, ingestFile } from '../ingest/index';
import type { CatalogColumn } from './columns';

/** For this folder's tests only: published tables made the way the catalog makes them, by `ingestFile`. */

export const DEMO_DATA = path.join(SERVER_ROOT, 'demo', 'data');

const scratch: string[] = [];

export async function tempDir(prefix = 'data-reader-test-'): Promise<string> {
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
  scratch.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(scratch.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
}

/** Ingests a file (a demo file by its path under `demo/data`, or an absolute path) into a fresh folder. */
export async function publish(file: string, originalName = path.basename(file)): Promise<IngestedTable> {
  const source = path.isAbsolute(file) ? file : path.join(DEMO_DATA, file);
  const { tables } = await ingestFile({ path: source, originalName }, { dir: await tempDir() });
  if (tables.length !== 1) throw new Error(`expected one table from ${file}, got ${tables.length}`);
  return tables[0]!;
}

/** Writes a Parquet file with an unlocked DuckDB (the test's own SQL, not under test). */
export async function writeParquet(target: string, select: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    await connection.run(`SET TimeZone = 'UTC'`);
    await connection.run(`COPY (${select}) TO '${target.replaceAll("'", "''")}' (FORMAT parquet)`);
    connection.closeSync();
  } finally {
    instance.closeSync();
  }
}

export function columnsOf(table: IngestedTable, ...names: string[]): CatalogColumn[] {
  return names.map((name) => {
    const column = table.columns.find((c) => c.name === name);
    if (!column) throw new Error(`no column ${name} in ${table.name}`);
    return { name: column.name, type: column.type };
  });
}

export function columnOf(table: IngestedTable, name: string): CatalogColumn & { nullCount: number } {
  const column = table.columns.find((c) => c.name === name);
  if (!column) throw new Error(`no column ${name} in ${table.name}`);
  return { name: column.name, type: column.type, nullCount: column.nullCount };
}

/** Runs the test's own SQL on Parquet files with an unlocked DuckDB; values as JSON. */
export async function queryParquet(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    connection.closeSync();
    return rows;
  } finally {
    instance.closeSync();
  }
}

export const sqlPath = (file: string) => `'${file.replaceAll("'", "''")}'`;

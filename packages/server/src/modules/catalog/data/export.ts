import fs from 'node:fs/promises';
import path from 'node:path';
import { sqlString } from '../ingest/duckdb';
import { unreadableFile } from './errors';
import { openLockedReader } from './reader';

export interface CsvExportInput {
  parquetPath: string;
  /** Where the CSV goes; its folder must exist. Replaced if it exists. */
  targetPath: string;
}

/**
 * Writes a published table as CSV (UTF-8, header line, comma, RFC 4180 quoting) for `?format=csv`
 * downloads, and returns its size in bytes.
 *
 * The writing instance is not the cached readers': those may write nowhere. This one may read the
 * Parquet file and write into a folder made for this export alone, next to the target. Allowing the
 * target's folder itself would let it read and overwrite every other file there (other exports,
 * other datasets). The finished file is renamed into place (same file system, so atomic): a failed
 * or interrupted export never leaves half a CSV where a download would find it.
 */
export async function exportCsv({ parquetPath, targetPath }: CsvExportInput): Promise<number> {
  if (!path.isAbsolute(parquetPath) || !path.isAbsolute(targetPath)) throw new TypeError('exportCsv needs absolute paths');
  let file: string;
  try {
    file = await fs.realpath(parquetPath);
  } catch (error) {
    throw unreadableFile(parquetPath, error);
  }
  const targetDir = await fs.realpath(path.dirname(targetPath));
  const work = await fs.mkdtemp(path.join(targetDir, '.csv-export-'));
  try {
    const partial = path.join(work, 'export.csv');
    let reader;
    try {
      reader = await openLockedReader([file], [work]);
    } catch (error) {
      throw unreadableFile(parquetPath, error);
    }
    try {
      await reader.all(`COPY (SELECT * FROM ${reader.source}) TO ${sqlString(partial)} (FORMAT csv, HEADER true, DELIMITER ',')`);
    } finally {
      reader.close();
    }
    const { size } = await fs.stat(partial);
    await fs.rename(partial, path.join(targetDir, path.basename(targetPath)));
    return size;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

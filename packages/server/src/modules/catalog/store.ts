import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Where dataset files live: a folder on local disk (`{dataDir}/objects`). Keys are relative paths
 * made by the catalog from ids (`datasets/{id}/v{n}/…`), never from user input. DuckDB reads the
 * Parquet files in place, which is why the store hands out local paths.
 *
 * An S3-compatible backend is on the design's scale path; DuckDB's `httpfs` extension cannot be
 * installed on these machines, so it would need a local cache in front: not built yet.
 */
export interface ObjectStore {
  /** Local path of an object (it may not exist). */
  path(key: string): string;
  /** Moves a local file into the store under `key` (same filesystem: a rename). */
  putFile(key: string, from: string): Promise<void>;
  /** Removes every object under a key prefix (a failed publication's files). */
  removePrefix(prefix: string): Promise<void>;
}

const SAFE_KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/i;

export function localObjectStore(dataDir: string): ObjectStore {
  const root = path.join(dataDir, 'objects');
  const resolve = (key: string) => {
    if (!SAFE_KEY.test(key) || key.split('/').includes('..')) throw new Error(`invalid object key: ${key}`);
    return path.join(root, key);
  };
  return {
    path: resolve,
    async putFile(key, from) {
      const target = resolve(key);
      await fs.mkdir(path.dirname(target), { recursive: true });
      try {
        await fs.rename(from, target);
      } catch (error) {
        // Uploads and objects on different disks: copy, then remove the upload.
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        await fs.copyFile(from, target);
        await fs.rm(from, { force: true });
      }
    },
    async removePrefix(prefix) {
      await fs.rm(resolve(prefix), { recursive: true, force: true });
    },
  };
}

/** SHA-256 of a file, lower-case hex, read as a stream. */
export function sha256OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

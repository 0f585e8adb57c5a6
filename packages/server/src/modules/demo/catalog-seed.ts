import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { zipSync } from 'fflate';
import { SERVER_ROOT } from '../../platform/paths';
import type { Context } from '../../platform/context';
import { findDataset, publishDataset, publishVersion, type CatalogDeps } from '../catalog/index';
import { findUserByEmail } from '../identity/index';
import { DEMO_DATASETS, type DemoDataset } from './datasets';

const DATA_DIR = path.join(SERVER_ROOT, 'demo/data');

interface DemoFile {
  name: string;
  body: () => Readable;
  bytes: number;
}

/**
 * The files as a steward would send them, one per version: GTFS feeds shipped as folders of .txt
 * files are zipped first into one upload. Files keep their own names, which name the tables.
 */
async function filesOf(d: DemoDataset): Promise<DemoFile[]> {
  if (d.kind === 'gtfs') {
    const entries = await Promise.all(
      d.files.map(async (f) => [path.basename(f), new Uint8Array(await fs.readFile(path.join(DATA_DIR, f)))] as const),
    );
    const zip = Buffer.from(zipSync(Object.fromEntries(entries)));
    return [{ name: `${d.slug}.zip`, body: () => Readable.from([zip]), bytes: zip.byteLength }];
  }
  return Promise.all(
    d.files.map(async (f) => {
      const file = path.join(DATA_DIR, f);
      return { name: path.basename(file), body: () => createReadStream(file), bytes: (await fs.stat(file)).size };
    }),
  );
}

async function upload(catalog: CatalogDeps, userId: string, file: DemoFile): Promise<string> {
  const id = await catalog.uploads.receive({ userId, fileName: file.name, body: file.body(), expectedBytes: file.bytes });
  await catalog.uploads.settled(id);
  return id;
}

async function publishOne(ctx: Context, catalog: CatalogDeps, d: DemoDataset): Promise<boolean> {
  if (await findDataset(ctx.db, d.slug)) return false;
  const steward = await findUserByEmail(ctx.db, d.steward);
  if (!steward) throw new Error(`demo dataset ${d.slug}: no user ${d.steward}`);
  const [first, ...later] = await filesOf(d);
  const actor = { userId: steward.id };
  let dataset = await publishDataset(ctx, catalog, actor, {
    ...d.metadata,
    organisation: d.publisher,
    slug: d.slug,
    upload: await upload(catalog, steward.id, first!),
    columns: d.columns ?? [],
    versionNotes: d.versionNotes ?? null,
  });
  for (const [index, file] of later.entries()) {
    dataset = await publishVersion(ctx, catalog, actor, dataset, {
      upload: await upload(catalog, steward.id, file),
      // Annotations carry over from the previous version (same table and column).
      columns: [],
      versionNotes: d.laterVersionNotes?.[index] ?? null,
    });
  }
  return true;
}

/**
 * Publishes every demo data file through the same upload and publication steps as a steward.
 * Idempotent: a dataset whose slug exists is left alone, so an interrupted seed resumes.
 */
export async function seedDemoDatasets(ctx: Context, catalog: CatalogDeps): Promise<number> {
  // The upload pipeline converts two files at a time; queueing them all keeps both slots busy.
  const published = await Promise.all(DEMO_DATASETS.map((d) => publishOne(ctx, catalog, d)));
  return published.filter(Boolean).length;
}

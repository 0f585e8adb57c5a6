import type { FastifyInstance } from 'fastify';
import type { Context } from '../../platform/context';
import type { CatalogDeps } from './commands/publish';
import { closeTableReaders } from './data/index';
import { catalogRoutes } from './routes';
import { localObjectStore } from './store';
import { createUploads } from './uploads';

/**
 * The catalog: uploads converted to Parquet (`ingest/`), datasets and their versions in the object
 * store, French search with facets, data read as each level allows (`data/`), DCAT-AP export (`dcat/`).
 */
export { publishDataset, publishVersion, deprecateDataset, withdrawDataset, registerSchemaImpactProvider } from './commands/publish';
export type { CatalogDeps, Actor } from './commands/publish';
export { findDataset, findVersion } from './repository';
export { registerGrantProvider, type GrantProvider } from './grants';
export type { DatasetRow, VersionRow, StoredTable } from './repository';
export { datasetResource } from './presenter';
export { sqlIdent, sqlList, sqlString } from './ingest/duckdb';
export { exportCatalog } from './export';
export { ingestFile, IngestError } from './ingest/index';

/** Wires the catalog into an app: its store, its upload pipeline and its routes. */
export function registerCatalog(app: FastifyInstance, ctx: Context): CatalogDeps {
  const deps: CatalogDeps = {
    store: localObjectStore(ctx.config.dataDir),
    uploads: createUploads(ctx, { maxBytes: ctx.config.uploadMaxBytes }),
  };
  catalogRoutes(app, ctx, deps);
  app.addHook('onClose', async () => {
    await deps.uploads.close();
    await closeTableReaders();
  });
  return deps;
}

import type { FastifyInstance } from 'fastify';
import type { Context } from '../../platform/context';
import type { CatalogDeps } from '../catalog/index';
import { QueryLimiter } from './limiter';
import type { AccessDeps } from './queries';
import { accessRoutes } from './routes';
import { closeSandboxes } from './sandbox';
import { openSqlParser, type SqlParser } from './sql';

/**
 * Contract-enforced access to the data ("traiter sans exporter"): queries computed where the data
 * lives, in a locked DuckDB sandbox per grant, compiled from the contract (columns, rows, aggregate
 * only, quotas), aggregates protected by statistical disclosure control, restricted SQL checked
 * before it runs; each query's start and completion in the ledger.
 */
export { protect, OPENSAFELY, INSEE_BUSINESS } from './disclosure';
export { closeSandboxes } from './sandbox';
export type { AccessDeps } from './queries';
export { queryOnBehalf } from './on-behalf';

export function registerAccess(app: FastifyInstance, ctx: Context, catalog: CatalogDeps): AccessDeps {
  let parser: Promise<SqlParser> | undefined;
  const deps: AccessDeps = {
    pathOf: (key) => catalog.store.path(key),
    limiter: new QueryLimiter(ctx.config.query.concurrency, ctx.config.query.perConsumer),
    pending: new Set(),
    parser: () =>
      (parser ??= openSqlParser().catch((error: unknown) => {
        parser = undefined;
        throw error;
      })),
  };
  accessRoutes(app, ctx, deps);
  app.addHook('onClose', async () => {
    await Promise.allSettled([...deps.pending]);
    await closeSandboxes();
    if (parser) (await parser.catch(() => null))?.close();
  });
  return deps;
}

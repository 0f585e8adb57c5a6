import { queryInput, type Principal, type QueryInput, type QueryResult } from '@confiance/contract';
import type { Context } from '../../platform/context';
import { AppError, validationFailed } from '../../platform/http/errors';
import { findDataset, findVersion } from '../catalog/index';
import { activeGrants } from '../contracts/index';
import { runQuery, type AccessDeps } from './queries';
import { JSON_MAX_ROWS } from './routes';
import { resolveScope } from './scope';

/**
 * A structured query run for a signed-in user outside an HTTP request (the demo seed runs the
 * queries a project's analysts would): the same scope, contract checks, quota, disclosure control
 * and ledger entries as `POST /api/v1/datasets/{dataset}/query` with a JSON result. No join.
 */
export async function queryOnBehalf(
  ctx: Context,
  deps: AccessDeps,
  principal: Extract<Principal, { kind: 'user' }>,
  datasetSlug: string,
  input: QueryInput,
): Promise<QueryResult> {
  const parsed = queryInput.safeParse(input);
  if (!parsed.success) throw validationFailed(parsed.error, 'Requête invalide');
  const spec = parsed.data;
  if (spec.join) throw new AppError('validation_failed', 'Les jointures passent par l’API.');
  const dataset = await findDataset(ctx.db, datasetSlug);
  if (!dataset) throw new AppError('not_found', `Jeu de données « ${datasetSlug} » introuvable.`);
  const version = await findVersion(ctx.db, dataset.id, dataset.current_version);
  if (!version) throw new AppError('not_found', 'Ce jeu de données n’a pas encore de version publiée.');
  const grants = await activeGrants(ctx.db, ctx.config.baseUrl, dataset.id, principal);
  const scope = await resolveScope(ctx, dataset, principal, spec.contract, grants);
  if (!scope.allowed) throw new AppError('forbidden', scope.reason ?? 'Vous ne pouvez pas calculer sur ces données.');
  const table = spec.table ? version.tables.find((t) => t.name === spec.table) : version.tables[0];
  if (!table) throw new AppError('not_found', `Table « ${spec.table ?? ''} » introuvable.`);
  const organisation = scope.grant?.consumerId ?? (scope.basis === 'own' ? dataset.organisation_id : null);
  return runQuery(ctx, deps, {
    dataset,
    table,
    tables: version.tables,
    principal,
    scope: { ...scope, rowLimit: Math.min(scope.rowLimit, JSON_MAX_ROWS) },
    spec,
    format: 'json',
    consumerKey: organisation ? `org:${organisation}` : `user:${principal.userId}`,
  });
}

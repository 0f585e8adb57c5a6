import { queryAccessSchema, queryInput, queryResultSchema, resultFormatQuery, type Principal } from '@confiance/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import { responses, typed } from '../../platform/http/routes';
import { datasetResource, findDataset, findVersion, type DatasetRow, type StoredTable } from '../catalog/index';
import { activeGrants, catalogUses, type ActiveGrant } from '../contracts/index';
import { readBudget } from './budget';
import { quotaUse, runQuery, streamQuery, type AccessDeps, type QueryRequest } from './queries';
import { joinableWith } from './join';
import { presentAccess, resolveScope } from './scope';

const datasetParam = z.object({ dataset: z.string().min(1).max(100) });
/** Rows at most in a JSON result; CSV and Parquet stream up to the contract's limit. */
export const JSON_MAX_ROWS = 50_000;
const accessQuery = z.object({ contract: z.uuid().optional() }).strict();

type WithDataset = FastifyRequest & { dataset?: DatasetRow; grants?: ActiveGrant[] };

export function accessRoutes(app: FastifyInstance, ctx: Context, deps: AccessDeps): void {
  const api = typed(app);
  const tags = ['Requêtes'];

  async function datasetResourceOf(request: FastifyRequest) {
    const { dataset } = request.params as { dataset: string };
    const row = await findDataset(ctx.db, dataset);
    if (!row) return null;
    // Read once: for the authorization check, then for the query's scope.
    const grants = await activeGrants(ctx.db, ctx.config.baseUrl, row.id, request.auth.principal);
    Object.assign(request, { dataset: row, grants });
    return datasetResource(row, catalogUses(grants));
  }
  const datasetOf = (request: FastifyRequest) => (request as WithDataset).dataset!;
  const grantsOf = (request: FastifyRequest) => (request as WithDataset).grants;

  /** The named table of a dataset, or its first; a clear 404 listing its tables otherwise. */
  function tableNamed(tables: StoredTable[], name: string | undefined, side: string): StoredTable {
    const table = name ? tables.find((t) => t.name === name) : tables[0];
    if (!table)
      throw new AppError(
        'not_found',
        `Table « ${name ?? ''} » introuvable${side} : tables de ce jeu : ${tables.map((t) => t.name).join(', ')}.`,
      );
    return table;
  }

  async function tablesOf(dataset: DatasetRow): Promise<StoredTable[]> {
    const version = await findVersion(ctx.db, dataset.id, dataset.current_version);
    if (!version) throw new AppError('not_found', 'Ce jeu de données n’a pas encore de version publiée.');
    return version.tables;
  }

  function consumerKey(request: FastifyRequest, principal: Principal, organisation: string | null): string {
    if (organisation) return `org:${organisation}`;
    return principal.kind === 'user' ? `user:${principal.userId}` : `ip:${request.ip}`;
  }

  api.get(
    '/api/v1/datasets/:dataset/query',
    {
      schema: {
        tags,
        summary: 'Ce que l’appelant peut calculer sur un jeu de données, et dans quelles limites',
        params: datasetParam,
        querystring: accessQuery,
        response: responses({ 200: queryAccessSchema }),
      },
      // Metadata: anyone may ask, and is told why not and how to obtain access.
      config: { permission: { action: 'read', subject: 'Dataset', resource: datasetResourceOf } },
    },
    async (request) => {
      const dataset = datasetOf(request);
      const scope = await resolveScope(ctx, dataset, request.auth.principal, request.query.contract, grantsOf(request));
      const contract = scope.grant?.grant.contract ?? null;
      const budget = contract && scope.privacy ? await readBudget(ctx.db, contract) : undefined;
      return {
        ...presentAccess(dataset, scope, await tablesOf(dataset), await quotaUse(ctx, contract), budget),
        joins: await joinableWith(ctx, scope, request.auth.principal, tablesOf),
      };
    },
  );

  api.post(
    '/api/v1/datasets/:dataset/query',
    {
      schema: {
        tags,
        summary:
          'Lancer une requête (structurée ou SQL restreint) où sont les données ; résultat en JSON, ou CSV / Parquet en flux (?format=)',
        params: datasetParam,
        querystring: resultFormatQuery,
        body: queryInput,
        response: responses({ 200: queryResultSchema.or(z.string().describe('CSV (UTF-8) ou Parquet, en flux')) }),
      },
      config: { permission: { action: 'read', subject: 'DatasetQuery', resource: datasetResourceOf } },
    },
    async (request, reply) => {
      const dataset = datasetOf(request);
      const principal = request.auth.principal;
      const spec = request.body;
      const scope = await resolveScope(ctx, dataset, principal, spec.contract, grantsOf(request));
      if (!scope.allowed) throw new AppError('forbidden', scope.reason ?? 'Vous ne pouvez pas calculer sur ces données.');
      const tables = await tablesOf(dataset);
      const table = tableNamed(tables, spec.table, '');
      let join: QueryRequest['join'];
      if (spec.join) {
        const other = await findDataset(ctx.db, spec.join.dataset);
        if (!other) throw new AppError('not_found', `Jeu de données « ${spec.join.dataset} » introuvable : la jointure est impossible.`);
        const otherTable = tableNamed(await tablesOf(other), spec.join.table, ` dans « ${other.slug} »`);
        // The other side is authorised by its own contract, read like this side's: `checkJoin` refuses without one.
        // Open data is read without a contract unless one is named: the contract declaring join keys is the one meant.
        const otherGrants = await activeGrants(ctx.db, ctx.config.baseUrl, other.id, principal);
        const otherContract = spec.join.contract ?? otherGrants.find((g) => g.grant.joinKeys.length > 0)?.grant.contract;
        const otherScope = await resolveScope(ctx, other, principal, otherContract, otherGrants);
        join = { side: { dataset: other, table: otherTable, scope: otherScope }, on: spec.join.on };
      }
      const organisation = scope.grant?.consumerId ?? (scope.basis === 'own' ? dataset.organisation_id : null);
      const query: QueryRequest = {
        dataset,
        table,
        tables,
        principal,
        // A JSON result is built in memory: beyond JSON_MAX_ROWS, CSV or Parquet stream it.
        scope: request.query.format === 'json' ? { ...scope, rowLimit: Math.min(scope.rowLimit, JSON_MAX_ROWS) } : scope,
        spec,
        format: request.query.format,
        consumerKey: consumerKey(request, principal, organisation),
        ...(join ? { join } : {}),
      };
      if (request.query.format === 'json') return runQuery(ctx, deps, query);
      const streamed = await streamQuery(ctx, deps, query, (listener) => reply.raw.once('close', listener));
      reply.header('content-type', streamed.contentType);
      reply.header('content-disposition', `attachment; filename="${streamed.fileName}"`);
      reply.header('x-confiance-query', streamed.id);
      // A stream is sent as it is: the response schema only documents it.
      return reply.send(streamed.body as unknown as string);
    },
  );
}

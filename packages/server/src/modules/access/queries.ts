import type { Readable } from 'node:stream';
import type { JoinInput, Plan, Principal, QueryResult, QuerySpec, ResultFormat } from '@confiance/contract';
import { sql } from 'kysely';
import type { Context } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import type { DatasetRow, StoredTable } from '../catalog/index';
import { recordFacts } from '../ledger/index';
import { compileQuery, QueryRefusal, type Compiled, type CompileScope } from './compile';
import { checkJoin, JOINED_RELATION, planJoin, type JoinPlan, type JoinSide } from './join';
import type { QueryLimiter } from './limiter';
import { fromUnits, openBudget, spendBudget } from './budget';
import { DpError, EPSILON_UNIT, parseDelta, parseEpsilon } from './dp';
import { mechanismsOf, noisyAggregate } from './privacy-result';
import { protectAggregate } from './protect-result';
import { guardRelease, refusalOf } from './releases';
import { SandboxTimeout, withSandbox, type SandboxLimits } from './sandbox';
import { relationsOf, type QueryScope } from './scope';
import { checkSql, type SqlParser } from './sql';

/**
 * Running a query under a scope: compile or check it, take a slot, record its start (quota
 * checked under the contract's row lock, `query.started` in the ledger), run it in the sandbox,
 * protect aggregates, record what was delivered (`query.completed`). Refusals are logged and kept
 * in `data_queries`, and cost no quota.
 */

export interface AccessDeps {
  pathOf(key: string): string;
  limiter: QueryLimiter;
  parser: () => Promise<SqlParser>;
  /** Completions of streams still being recorded. */
  pending: Set<Promise<unknown>>;
}

export interface QueryRequest {
  dataset: DatasetRow;
  table: StoredTable;
  tables: readonly StoredTable[];
  principal: Principal;
  scope: QueryScope;
  spec: QuerySpec;
  format: ResultFormat;
  /** Who is counted for the concurrency cap: an organisation, a user, or a visitor's address. */
  consumerKey: string;
  /** A pseudonymised join with a table of another contracted dataset (join.ts). */
  join?: { side: JoinSide; on: JoinInput['on'] };
}

/** The grants a query uses: its own, and the other side's when it joins. */
function grantsOf(request: QueryRequest): { scope: QueryScope; grant: NonNullable<QueryScope['grant']> }[] {
  return [request.scope, request.join?.side.scope]
    .filter((scope): scope is QueryScope => scope?.grant != null)
    .map((scope) => ({ scope, grant: scope.grant! }));
}

/** What the ledger says of a join, on each side's entry. */
function joinDetails(request: QueryRequest, contractId: string): Record<string, unknown> {
  const join = request.join;
  if (!join) return {};
  const own = request.scope.grant?.grant.contract === contractId;
  return {
    join: own
      ? { dataset: join.side.dataset.slug, table: join.side.table.name, contract: join.side.scope.grant?.grant.contract ?? null }
      : { dataset: request.dataset.slug, table: request.table.name, contract: request.scope.grant?.grant.contract ?? null },
    keys: join.on.map((p) => (own ? `${p.left} = ${p.right}` : `${p.right} = ${p.left}`)),
  };
}

type Started = {
  id: string;
  startedAt: number;
  /** Differential privacy: ε this query spent and what is left of the contract's budget (micro-ε). */
  privacy?: { spent: bigint; left: bigint };
};

function limitsOf(ctx: Context): SandboxLimits {
  return { memory: ctx.config.query.memory, threads: ctx.config.query.threads };
}

/** Quota use of a contract: queries over its life, today and this month (UTC), refusals excluded. */
export async function quotaUse(ctx: Context, contractId: string | null): Promise<{ used: number; today: number; month: number }> {
  if (!contractId) return { used: 0, today: 0, month: 0 };
  const row = await ctx.db
    .selectFrom('data_queries')
    .select([
      sql<string>`count(*)`.as('used'),
      sql<string>`count(*) filter (where started_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC')`.as('today'),
      sql<string>`count(*) filter (where started_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC')`.as('month'),
    ])
    .where((eb) => eb.or([eb('contract_id', '=', contractId), eb('join_contract_id', '=', contractId)]))
    .where('state', '<>', 'refused')
    .executeTakeFirstOrThrow();
  return { used: Number(row.used), today: Number(row.today), month: Number(row.month) };
}

function organisationOf(principal: Principal, scope: QueryScope, dataset: DatasetRow): string | null {
  if (scope.grant) return scope.grant.consumerId;
  if (principal.kind !== 'user') return null;
  if (scope.basis === 'own') return dataset.organisation_id;
  return principal.memberships[0]?.organisationId ?? null;
}

async function recordRefusal(
  ctx: Context,
  request: QueryRequest,
  mode: 'rows' | 'aggregate' | 'sql',
  refusal: string,
  message: string,
): Promise<never> {
  await logRefusal(ctx, request, mode, refusal, message);
  throw new AppError('query_refused', message, { refusal });
}

/**
 * A query the contract's quotas or privacy budget stop at its start: the 429 goes back as it is, and
 * the refusal is kept like the rules' refusals — in `data_queries` and, under a contract, the ledger.
 */
async function refusedAtStart(ctx: Context, request: QueryRequest, mode: 'rows' | 'aggregate' | 'sql', error: unknown): Promise<never> {
  const refusal =
    error instanceof AppError && error.code === 'quota_exceeded' ? (error.details as { refusal?: string } | undefined)?.refusal : undefined;
  if (refusal) await logRefusal(ctx, request, mode, refusal, (error as AppError).message);
  throw error;
}

/** Logs a refusal, keeps it in `data_queries` (state `refused`: no quota) and, under a contract, writes `query.refused`. */
async function logRefusal(
  ctx: Context,
  request: QueryRequest,
  mode: 'rows' | 'aggregate' | 'sql',
  refusal: string,
  message: string,
): Promise<void> {
  const { principal, scope, dataset } = request;
  ctx.log.warn(
    {
      dataset: dataset.slug,
      user: principal.kind === 'user' ? principal.userId : null,
      contract: scope.grant?.grant.contract ?? null,
      refusal,
    },
    'query refused',
  );
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('data_queries')
      .values({
        dataset_id: dataset.id,
        contract_id: scope.grant?.grant.contract ?? null,
        join_contract_id: request.join?.side.scope.grant?.grant.contract ?? null,
        user_id: principal.kind === 'user' ? principal.userId : null,
        organisation_id: organisationOf(principal, scope, dataset),
        mode,
        format: request.format,
        state: 'refused',
        refusal,
        error: message.slice(0, 2000),
        completed_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Under a contract, a refusal is a fact both parties may check: the rule, never the data.
    const grants = grantsOf(request);
    if (grants.length > 0)
      await recordFacts(
        trx,
        grants.map(({ grant }) => ({
          type: 'query.refused',
          public: { ...grant.usage, query: row.id },
          details: {
            by: principal.kind === 'user' ? principal.userId : 'anonymous',
            mode,
            refusal,
            reason: message.slice(0, 500),
            ...joinDetails(request, grant.grant.contract),
          },
          parties: [grant.consumerId, grant.providerId],
        })),
      );
  });
}

/**
 * A subscription with included queries and no price beyond them stops at its monthly quota; one
 * with an extra-query price goes on (the statement bills the extra queries).
 */
function monthlyQuota(plan: Plan): number | null {
  return plan.kind === 'subscription' && plan.includedQueries !== null && plan.extraQueryPrice === null ? plan.includedQueries : null;
}

/** The query's start: quotas checked and the row written under the contract's lock, with its ledger entry. */
async function start(ctx: Context, request: QueryRequest, mode: 'rows' | 'aggregate' | 'sql'): Promise<Started> {
  const { principal, scope, dataset } = request;
  const grant = scope.grant;
  const grants = grantsOf(request);
  return ctx.db.transaction().execute(async (trx) => {
    // Without a quota there is nothing to count, and the contract was read active a moment ago:
    // a termination landing now is the same as one landing just after the start. A join counts
    // against both contracts, locked in one order so that two joins never wait on each other.
    const quoted = grants
      .filter((g) => g.scope.maxQueries !== null || g.scope.queriesPerDay !== null || monthlyQuota(g.grant.grant.plan) !== null)
      .sort((a, b) => a.grant.grant.contract.localeCompare(b.grant.grant.contract));
    for (const { scope: s, grant: g } of quoted) {
      const locked = await trx
        .selectFrom('contracts')
        .select(['state', 'valid_until'])
        .where('id', '=', g.grant.contract)
        .forUpdate()
        .executeTakeFirst();
      if (!locked || locked.state !== 'active' || locked.valid_until <= new Date())
        throw new AppError('forbidden', 'Ce contrat n’est plus en vigueur : la requête n’a pas été lancée.');
      const use = await quotaUse({ ...ctx, db: trx }, g.grant.contract);
      const which = g === grant ? 'du contrat' : `du contrat sur « ${request.join?.side.dataset.slug ?? ''} »`;
      if (s.maxQueries !== null && use.used >= s.maxQueries)
        throw new AppError(
          'quota_exceeded',
          `Quota ${which} atteint : ${use.used} requêtes sur ${s.maxQueries}. Un avenant peut l’étendre.`,
          { refusal: 'quota' },
        );
      if (s.queriesPerDay !== null && use.today >= s.queriesPerDay)
        throw new AppError(
          'quota_exceeded',
          `Quota du jour ${which.replace(/^du /, 'pour le ')} atteint : ${use.today} requêtes sur ${s.queriesPerDay} par jour. Il se renouvelle à minuit (UTC).`,
          { refusal: 'daily_quota' },
        );
      const monthly = monthlyQuota(g.grant.plan);
      if (monthly !== null && use.month >= monthly)
        throw new AppError(
          'quota_exceeded',
          `Forfait du mois ${which.replace(/^du /, 'pour le ')} épuisé : ${use.month} requêtes sur ${monthly} incluses dans l’abonnement, sans requête au-delà. Il se renouvelle le 1er du mois (UTC).`,
          { refusal: 'subscription_quota' },
        );
    }
    let privacy: Started['privacy'];
    if (grant && scope.privacy) {
      const p = scope.privacy;
      const total = { epsilonMicro: parseEpsilon(p.epsilon), deltaPico: p.delta === null ? 0n : parseDelta(p.delta) };
      const perQuery = parseEpsilon(p.epsilonPerQuery);
      // δ is spent in proportion to ε: the budget's δ lasts exactly as many queries as its ε.
      const cost = { epsilonMicro: perQuery, deltaPico: (total.deltaPico * perQuery) / total.epsilonMicro };
      await openBudget(trx, grant.grant.contract, total);
      const spent = await spendBudget(trx, grant.grant.contract, cost);
      if (!spent.ok) {
        const left = spent.state ? fromUnits(spent.state.remaining.epsilonMicro, EPSILON_UNIT) : '0';
        throw new AppError(
          'quota_exceeded',
          `Budget de confidentialité épuisé : il reste ε = ${left}, une requête en dépense ${p.epsilonPerQuery}. Un avenant peut ouvrir un nouveau budget.`,
          { refusal: 'privacy_budget' },
        );
      }
      privacy = { spent: perQuery, left: spent.state.remaining.epsilonMicro };
    }
    const row = await trx
      .insertInto('data_queries')
      .values({
        dataset_id: dataset.id,
        contract_id: grant?.grant.contract ?? null,
        join_contract_id: request.join?.side.scope.grant?.grant.contract ?? null,
        user_id: principal.kind === 'user' ? principal.userId : null,
        organisation_id: organisationOf(principal, scope, dataset),
        mode,
        format: request.format,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (grants.length > 0) {
      await recordFacts(
        trx,
        grants.map(({ grant: g }) => ({
          type: 'query.started',
          public: { ...g.usage, query: row.id },
          details: {
            by: principal.kind === 'user' ? principal.userId : 'anonymous',
            mode,
            format: request.format,
            table: g === grant ? request.table.name : request.join!.side.table.name,
            ...joinDetails(request, g.grant.contract),
            ...(privacy && g === grant
              ? { epsilonSpent: fromUnits(privacy.spent, EPSILON_UNIT), epsilonLeft: fromUnits(privacy.left, EPSILON_UNIT) }
              : {}),
          },
          parties: [g.consumerId, g.providerId],
        })),
      );
    }
    return { id: row.id, startedAt: performance.now(), ...(privacy ? { privacy } : {}) };
  });
}

/** The query's end: what was delivered, in `data_queries` and, under a contract, in the ledger. */
async function complete(
  ctx: Context,
  request: QueryRequest,
  started: Started,
  outcome: { rows: number; suppressed: number | null; error?: string; refusal?: string },
): Promise<void> {
  const grants = grantsOf(request);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('data_queries')
      .set({
        state: outcome.refusal ? 'refused' : outcome.error ? 'failed' : 'completed',
        refusal: outcome.refusal ?? null,
        delivered_rows: outcome.rows,
        cells_suppressed: outcome.suppressed,
        error: outcome.error?.slice(0, 2000) ?? null,
        completed_at: new Date(),
      })
      .where('id', '=', started.id)
      .execute();
    if (grants.length > 0) {
      await recordFacts(
        trx,
        grants.map(({ grant }) => ({
          type: 'query.completed',
          public: { ...grant.usage, query: started.id, units: outcome.rows, unit: 'rows' },
          details: {
            outcome: outcome.refusal ? 'refused' : outcome.error ? 'failed' : 'completed',
            ...(outcome.refusal ? { refusal: outcome.refusal } : {}),
            cellsSuppressed: outcome.suppressed,
            elapsedMs: Math.round(performance.now() - started.startedAt),
            ...joinDetails(request, grant.grant.contract),
            ...(outcome.error ? { error: outcome.error.slice(0, 500) } : {}),
          },
          parties: [grant.consumerId, grant.providerId],
        })),
      );
    }
  });
}

interface Prepared {
  mode: 'rows' | 'aggregate' | 'sql';
  compiled: Compiled | null;
  /** The SQL to run: compiled by us, or the checked rendering of the caller's. */
  sql: string;
  limit: number;
}

type Relations = Awaited<ReturnType<typeof relationsOf>> & { plan?: JoinPlan };

/** The sandbox's relations: the grant's views, or the joined view of a pseudonymised join. */
async function relationsFor(ctx: Context, deps: AccessDeps, request: QueryRequest): Promise<Relations> {
  if (!request.join) return relationsOf(request.tables, request.scope, deps.pathOf);
  if (request.spec.sql !== undefined)
    throw new AppError(
      'validation_failed',
      'Une jointure se construit avec le constructeur de requêtes (colonnes, regroupements, agrégats), pas en SQL.',
    );
  const left: JoinSide = { dataset: request.dataset, table: request.table, scope: request.scope };
  const grouped = request.spec.aggregates.length > 0 || request.spec.groupBy.length > 0;
  try {
    checkJoin(left, request.join.side, request.join.on);
    const plan = await planJoin(ctx, deps.pathOf, left, request.join.side, request.join.on);
    return { relations: [plan.relation], columns: new Map([[JOINED_RELATION, plan.compile.columns]]), plan };
  } catch (error) {
    if (error instanceof QueryRefusal) return recordRefusal(ctx, request, grouped ? 'aggregate' : 'rows', error.refusal, error.message);
    throw error;
  }
}

async function prepare(ctx: Context, deps: AccessDeps, request: QueryRequest, relations: Relations): Promise<Prepared> {
  const { scope, spec, table } = request;
  if (spec.sql !== undefined) {
    const structured = spec.columns.length + spec.groupBy.length + spec.aggregates.length + spec.where.length + spec.orderBy.length;
    if (structured > 0 || spec.limit !== undefined)
      throw new AppError(
        'validation_failed',
        'Une requête est soit du SQL (champ « sql »), soit des colonnes, filtres et agrégats : pas les deux.',
      );
    if (!scope.sql)
      return recordRefusal(
        ctx,
        request,
        'sql',
        'sql_not_granted',
        scope.aggregateOnly
          ? 'Le SQL n’est pas permis sur des données en accès agrégé : utilisez le constructeur de requêtes (regroupements et agrégats).'
          : 'Votre contrat ne permet pas le SQL sur ces données : utilisez le constructeur de requêtes.',
      );
    const checked = await checkSql(
      spec.sql,
      relations.relations.map((r) => ({ name: r.name, columns: r.columns })),
      await deps.parser(),
    );
    if (!checked.ok) return recordRefusal(ctx, request, 'sql', checked.refusal, checked.message);
    return { mode: 'sql', compiled: null, sql: `SELECT * FROM (${checked.sql}) LIMIT ${scope.rowLimit + 1}`, limit: scope.rowLimit };
  }
  const columns = relations.plan ? relations.plan.compile.columns : relations.columns.get(table.name);
  if (!columns)
    return recordRefusal(ctx, request, 'rows', 'no_column', `Votre contrat ne vous donne aucune colonne de la table « ${table.name} ».`);
  const compileScope: CompileScope = relations.plan?.compile ?? {
    relation: table.name,
    columns,
    rows: !scope.aggregateOnly,
    aggregateOnly: scope.aggregateOnly,
    disclosure: scope.disclosure,
    privacy: scope.privacy ? { clipping: scope.privacy.clipping } : null,
    rowLimit: scope.rowLimit,
  };
  const grouped = spec.aggregates.length > 0 || spec.groupBy.length > 0;
  try {
    const compiled = compileQuery(spec, compileScope);
    return { mode: compiled.mode, compiled, sql: compiled.sql, limit: compiled.limit };
  } catch (error) {
    if (error instanceof QueryRefusal) return recordRefusal(ctx, request, grouped ? 'aggregate' : 'rows', error.refusal, error.message);
    throw error;
  }
}

function failureOf(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // Terms the noise cannot honour (bounds that are not whole numbers, say): the contract's to fix.
  if (error instanceof DpError) return new AppError('query_refused', error.message, { refusal: error.code });
  if (error instanceof SandboxTimeout)
    return new AppError(
      'query_too_costly',
      'La requête a dépassé le temps permis et a été arrêtée : ajoutez des filtres ou réduisez les regroupements.',
    );
  const message = error instanceof Error ? error.message : String(error);
  if (/out of memory|memory limit/i.test(message))
    return new AppError(
      'query_too_costly',
      'La requête demande plus de mémoire que permis : ajoutez des filtres ou réduisez les regroupements.',
    );
  // DuckDB's own words on a binding or conversion error (a date that is not one, say) are the
  // caller's to read; they name nothing outside the sandbox (no path: views hide the files).
  const detail = message.replace(/\n[\s\S]*/, '').slice(0, 400);
  if (/^Conversion Error/i.test(message))
    return new AppError(
      'validation_failed',
      `Une valeur ne correspond pas au type de sa colonne (une date s’écrit AAAA-MM-JJ, un nombre avec un point décimal). Détail du moteur : ${detail}`,
    );
  if (/^Binder Error/i.test(message))
    return new AppError('validation_failed', `Colonne, table ou fonction inconnue dans la requête. Détail du moteur : ${detail}`);
  if (/^(Parser|Invalid Input|Out of Range) Error/i.test(message))
    return new AppError('validation_failed', `Requête impossible à calculer. Détail du moteur : ${detail}`);
  return new AppError('internal_error', 'La requête a échoué sur le serveur.');
}

/** Runs a query and returns its JSON result. */
export async function runQuery(ctx: Context, deps: AccessDeps, request: QueryRequest): Promise<QueryResult> {
  const relations = await relationsFor(ctx, deps, request);
  const prepared = await prepare(ctx, deps, request, relations);
  const release = await deps.limiter.acquire(request.consumerKey);
  try {
    const started = await start(ctx, request, prepared.mode).catch((error: unknown) => refusedAtStart(ctx, request, prepared.mode, error));
    const t0 = performance.now();
    try {
      const result = await withSandbox(relations.relations, limitsOf(ctx), (sandbox) =>
        sandbox.rows(prepared.sql, ctx.config.query.timeoutMs),
      );
      const shaped = shape(request, prepared, result, started);
      await guardRelease(ctx, request, prepared.compiled, relations.relations, shaped.rows, started.id);
      await complete(ctx, request, started, { rows: shaped.rows.length, suppressed: shaped.disclosure?.suppressed ?? null });
      return { ...shaped, query: started.id, elapsedMs: Math.round(performance.now() - t0) };
    } catch (error) {
      const failure = failureOf(error);
      if (failure.code === 'internal_error') ctx.log.error({ err: error, query: started.id }, 'query failed');
      await complete(ctx, request, started, { rows: 0, suppressed: null, error: failure.message, refusal: refusalOf(failure) });
      throw failure;
    }
  } finally {
    release();
  }
}

function shape(
  request: QueryRequest,
  prepared: Prepared,
  result: { columns: { name: string; type: string }[]; rows: unknown[][] },
  started: Started,
): Omit<QueryResult, 'query' | 'elapsedMs'> {
  const { scope, dataset, table } = request;
  const base = {
    dataset: dataset.slug,
    table: table.name,
    contract: scope.grant?.grant.contract ?? null,
    mode: prepared.mode,
    privacy: null,
    join: request.join
      ? {
          dataset: request.join.side.dataset.slug,
          table: request.join.side.table.name,
          contract: request.join.side.scope.grant!.grant.contract,
        }
      : null,
  };
  const compiled = prepared.compiled;
  if (compiled?.mode === 'aggregate' && scope.privacy && started.privacy) {
    if (result.rows.length > compiled.maxCells)
      throw new AppError('query_too_costly', `Plus de ${compiled.maxCells} cases : regroupez moins finement ou filtrez.`);
    const names = result.columns.map((c) => c.name);
    const noisy = noisyAggregate(compiled, names, result.rows, mechanismsOf(compiled, scope.privacy, started.privacy.spent));
    const typeOf = (name: string) => result.columns.find((c) => c.name === name)?.type ?? 'VARCHAR';
    return {
      ...base,
      columns: [
        ...compiled.groupBy.map((name) => ({ name, type: typeOf(name), role: 'dimension' as const })),
        ...compiled.aggregates.map((a) => ({ name: a.name, type: 'BIGINT', role: 'measure' as const })),
      ],
      rows: noisy.rows,
      notes: [],
      disclosure: null,
      privacy: {
        measures: noisy.measures,
        epsilonSpent: fromUnits(started.privacy.spent, EPSILON_UNIT),
        epsilonLeft: fromUnits(started.privacy.left, EPSILON_UNIT),
      },
      truncated: noisy.truncated,
      rowLimit: compiled.limit,
    };
  }
  if (compiled?.mode === 'aggregate' && compiled.protectedColumns && scope.disclosure) {
    if (result.rows.length > compiled.maxCells)
      throw new AppError('query_too_costly', `Plus de ${compiled.maxCells} cases : regroupez moins finement ou filtrez.`);
    const names = result.columns.map((c) => c.name);
    const p = protectAggregate(compiled, names, result.rows, scope.disclosure);
    const typeOf = (name: string) => result.columns.find((c) => c.name === name)?.type ?? 'VARCHAR';
    return {
      ...base,
      columns: [
        ...compiled.groupBy.map((name) => ({ name, type: typeOf(name), role: 'dimension' as const })),
        ...compiled.aggregates.map((a) => ({ name: a.name, type: typeOf(a.name), role: 'measure' as const })),
      ],
      rows: p.rows,
      notes: p.notes,
      disclosure: { ...scope.disclosure, suppressed: p.suppressed, rounded: p.rounded },
      truncated: p.truncated,
      rowLimit: compiled.limit,
    };
  }
  const dims = compiled?.mode === 'aggregate' ? new Set(compiled.groupBy) : null;
  return {
    ...base,
    columns: result.columns.map((c) => ({
      name: c.name,
      type: c.type,
      role: dims === null ? ('value' as const) : dims.has(c.name) ? ('dimension' as const) : ('measure' as const),
    })),
    rows: result.rows.slice(0, prepared.limit),
    notes: [],
    disclosure: null,
    truncated: result.rows.length > prepared.limit,
    rowLimit: prepared.limit,
  };
}

export interface StreamedQuery {
  id: string;
  body: Readable;
  contentType: string;
  fileName: string;
}

/**
 * Streams a query's result as CSV or Parquet. Rows (and SQL) results are written by DuckDB
 * straight into the response; aggregate-only results are protected first, then written by DuckDB
 * from the protected values. The contract is checked again every second while the stream is
 * open: a suspension, termination or expiry stops it.
 */
export async function streamQuery(
  ctx: Context,
  deps: AccessDeps,
  request: QueryRequest,
  onClose: (listener: () => void) => void,
): Promise<StreamedQuery> {
  const format = request.format as 'csv' | 'parquet';
  const relations = await relationsFor(ctx, deps, request);
  const prepared = await prepare(ctx, deps, request, relations);
  const release = await deps.limiter.acquire(request.consumerKey);
  let started: Started | undefined;
  try {
    started = await start(ctx, request, prepared.mode).catch((error: unknown) => refusedAtStart(ctx, request, prepared.mode, error));
    const current = started;
    const compiled = prepared.compiled;
    let text = prepared.sql;
    let suppressed: number | null = null;
    let delivered: number | null = null;
    if (compiled?.mode === 'aggregate' && (compiled.protectedColumns || request.scope.privacy)) {
      const json = await runQueryRows(ctx, relations.relations, prepared.sql);
      const shaped = shape(request, prepared, json, current);
      await guardRelease(ctx, request, compiled, relations.relations, shaped.rows, current.id);
      suppressed = shaped.disclosure?.suppressed ?? null;
      delivered = shaped.rows.length;
      text = valuesSql(shaped.columns, shaped.rows);
    } else {
      // One more row than allowed would say "truncated"; a stream simply stops at the limit.
      text = `SELECT * FROM (${prepared.sql}) LIMIT ${prepared.limit}`;
    }
    const stream = await withSandbox(relations.relations, limitsOf(ctx), async (sandbox, hold) => {
      // SQL and filters with values can fail to bind: found before the response starts, they get a
      // clean error instead of a cut stream. Checked columns alone cannot.
      if (prepared.mode === 'sql' || request.spec.where.length > 0) await sandbox.describe(text, ctx.config.query.timeoutMs);
      const s = await sandbox.stream(text, format, ctx.config.query.timeoutMs * 20);
      hold(s.done);
      return s;
    });
    const contractId = request.scope.grant?.grant.contract ?? null;
    const watch = contractId
      ? setInterval(() => {
          // Unsure is no: a failed check (database gone, node stopping) stops the stream too.
          void stillActive(ctx, contractId)
            .catch(() => false)
            .then((active) => {
              if (!active)
                stream.cancel(new AppError('forbidden', 'Le contrat a pris fin pendant la transmission : elle est interrompue.'));
            });
        }, 1000)
      : undefined;
    watch?.unref();
    onClose(() => stream.cancel(new Error('client gone')));
    const recorded = stream.done
      .then(
        (written) => complete(ctx, request, current, { rows: delivered ?? written, suppressed }),
        (error: unknown) => complete(ctx, request, current, { rows: 0, suppressed, error: failureOf(error).message }),
      )
      .catch((error: unknown) => ctx.log.error({ err: error, query: current.id }, 'query completion not recorded'))
      .finally(() => {
        clearInterval(watch);
        release();
        deps.pending.delete(recorded);
      });
    // The node waits for it before closing: a completion entry is never lost to a shutdown.
    deps.pending.add(recorded);
    return {
      id: current.id,
      body: stream.body,
      contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet',
      fileName: `${request.dataset.slug}-${current.id.slice(0, 8)}.${format}`,
    };
  } catch (error) {
    release();
    const failure = failureOf(error);
    if (started) await complete(ctx, request, started, { rows: 0, suppressed: null, error: failure.message, refusal: refusalOf(failure) });
    throw failure;
  }
}

async function runQueryRows(ctx: Context, relations: Parameters<typeof withSandbox>[0], text: string) {
  return withSandbox(relations, limitsOf(ctx), (sandbox) => sandbox.rows(text, ctx.config.query.timeoutMs));
}

async function stillActive(ctx: Context, contractId: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('contracts').select(['state', 'valid_until']).where('id', '=', contractId).executeTakeFirst();
  return row !== undefined && row.state === 'active' && row.valid_until > new Date();
}

/** Protected values as an SQL VALUES list, so DuckDB writes the CSV or Parquet of what may leave. */
function valuesSql(columns: { name: string; type: string }[], rows: unknown[][]): string {
  const literal = (v: unknown) =>
    v === null || v === undefined
      ? 'NULL'
      : typeof v === 'number'
        ? Number.isFinite(v)
          ? String(v)
          : 'NULL'
        : typeof v === 'boolean'
          ? String(v)
          : `'${String(v).replaceAll("'", "''")}'`;
  const names = columns.map((c) => `"${c.name.replaceAll('"', '""')}"`).join(', ');
  if (rows.length === 0)
    return `SELECT ${columns.map((c) => `CAST(NULL AS VARCHAR) AS "${c.name.replaceAll('"', '""')}"`).join(', ')} LIMIT 0`;
  return `SELECT * FROM (VALUES ${rows.map((r) => `(${r.map(literal).join(', ')})`).join(', ')}) AS t(${names})`;
}

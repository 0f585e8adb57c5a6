import fs from 'node:fs/promises';
import type { OfferInput } from '@confiance/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends';
import { SQL_ESCAPES, OTHER_CONTRACT_RELATION } from './fixtures/sql-escapes';
import { SPF_FILE, SPF_RESEARCH_OFFER } from './fixtures/spf';
import {
  contractThrough,
  expectError,
  makeOrganisation,
  makeUser,
  publishTestDataset,
  signInAs,
  testNode,
  type Caller,
  type TestNode,
} from './harness';

/**
 * Queries under contract over HTTP, on both databases, on the real Santé publique France file:
 * what disclosure control masks and rounds, that no masked count follows from the margins, what an
 * aggregate-only grant refuses; column, row and quota grants; expiry and termination (even while
 * a result streams); the restricted SQL escape suite; two ledger entries per query.
 */

const DAY = '2020-04-15';
const LARGE_ROWS = 1000;

interface Result {
  query: string;
  mode: string;
  columns: { name: string; role: string }[];
  rows: unknown[][];
  notes: { row: number; column: string; fate: string; reason: string }[];
  disclosure: { suppressed: number; rounded: number } | null;
  truncated: boolean;
}

/** The SPF file's rows for one day, read straight from the CSV: the truth the node protects. */
async function spfDay(day: string): Promise<Map<string, number>> {
  const text = await fs.readFile(SPF_FILE, 'utf8');
  const cells = new Map<string, number>();
  for (const line of text.split('\n').slice(1)) {
    const [dep, sexe, jour, hosp] = line.split(';').map((v) => v.replaceAll('"', ''));
    if (jour === day) cells.set(`${dep}|${sexe}`, Number(hosp));
  }
  return cells;
}

describe.each(backends())('queries under contract on %s', (backend) => {
  let node: TestNode;
  let steward: Caller;
  let analyst: Caller;
  let colleague: Caller;
  let health: string;
  let healthContract: string;
  let restricted: string;
  let restrictedContract: string;
  let open: string;
  let large: string;
  let dpContract: string;
  let largeContract: string;
  const inject = (method: 'GET' | 'POST', url: string, caller?: Caller, payload?: object) =>
    node.app.inject({ method, url, ...(caller ? { headers: caller.headers } : {}), ...(payload ? { payload } : {}) });
  /** `null`: an anonymous visitor. */
  const query = (dataset: string, body: object, caller: Caller | null = analyst, format = 'json') =>
    inject('POST', `/api/v1/datasets/${dataset}/query?format=${format}`, caller ?? undefined, body);
  const entries = async (queryId: string) =>
    (
      await node.ctx.db
        .selectFrom('ledger_entries')
        .select(['type', 'public'])
        .where(sql<boolean>`public->>'query' = ${queryId}`)
        .orderBy('tree_index')
        .execute()
    ).map((e) => ({ type: e.type, public: (typeof e.public === 'string' ? JSON.parse(e.public) : e.public) as Record<string, unknown> }));

  const contractFor = async (dataset: string, offer: Partial<OfferInput>) =>
    (await contractThrough(node, { steward, analyst, dataset, offer, request: { organisation: 'laboratoire-requetes' } })).contract;

  beforeAll(async () => {
    // No node ceiling under the contracts' own limits here: the stream test needs a long result.
    node = await testNode(backend, { env: { CONFIANCE_QUERY_MAX_ROWS: '100000000' } });
    const provider = await makeOrganisation(node.ctx, { shortName: 'Santé test', category: 'public_body' });
    const consumer = await makeOrganisation(node.ctx, {
      shortName: 'Laboratoire requêtes',
      category: 'research',
      slug: 'laboratoire-requetes',
    });
    steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: provider.id, role: 'data_steward' })).email);
    analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: consumer.id, role: 'analyst' })).email);
    colleague = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: consumer.id, role: 'analyst' })).email);
    health = (
      await publishTestDataset(node.app, steward.headers, provider.slug, {
        accessLevel: 'aggregate_only',
        file: { name: 'spf_covid_hospit_dep_sexe.csv', content: await fs.readFile(SPF_FILE) },
      })
    ).slug;
    healthContract = await contractFor(health, SPF_RESEARCH_OFFER);
    dpContract = await contractFor(health, {
      title: 'Comptages sous confidentialité différentielle',
      agreement: 'ethics_review',
      terms: {
        template: 'research_aggregate',
        uses: ['aggregate'],
        purposes: ['dpv:ResearchAndDevelopment'],
        privacy: { epsilon: '1', epsilonPerQuery: '0.5', clipping: [{ column: 'hosp', lower: 0, upper: 500 }] },
      },
    });
    restricted = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'restricted', licence: 'odbl-1.0' }))
      .slug;
    restrictedContract = await contractFor(restricted, {
      title: 'Hérault seulement',
      agreement: 'provider_approval',
      terms: {
        template: 'commercial',
        uses: ['rows', 'sql', 'aggregate'],
        purposes: ['dpv:ResearchAndDevelopment'],
        columns: ['code_dep', 'valeur'],
        departements: ['34', '09'],
        maxQueries: 12,
        rowsPerResponse: 1,
      },
    });
    open = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'open' })).slug;
    const lines = Array.from({ length: LARGE_ROWS }, (_, i) => `${['09', '31', '34'][i % 3]};${i}`);
    large = (
      await publishTestDataset(node.app, steward.headers, provider.slug, {
        accessLevel: 'restricted',
        licence: 'odbl-1.0',
        file: { name: 'grand.csv', content: `code_dep;n\n${lines.join('\n')}\n` },
      })
    ).slug;
    largeContract = await contractFor(large, {
      title: 'Lignes',
      agreement: 'provider_approval',
      terms: {
        template: 'commercial',
        uses: ['rows', 'sql'],
        purposes: ['dpv:ResearchAndDevelopment'],
        maxQueries: null,
        queriesPerDay: 2,
      },
    });
  });
  afterAll(() => node.close());

  describe('aggregate-only health data, on the SPF département × sexe file', () => {
    let result: Result;

    it('masks counts ≤ 7, rounds the others to 5, and says so on every cell', async () => {
      const response = await query(health, {
        groupBy: ['dep', 'sexe'],
        aggregates: [{ fn: 'sum', column: 'hosp', as: 'hosp' }],
        where: [{ column: 'jour', op: 'eq', value: DAY }],
      });
      expect(response.statusCode, response.body).toBe(200);
      result = response.json<Result>();
      expect(result.mode).toBe('aggregate');
      expect(result.columns.map((c) => [c.name, c.role])).toEqual([
        ['dep', 'dimension'],
        ['sexe', 'dimension'],
        ['hosp', 'measure'],
      ]);
      const truth = await spfDay(DAY);
      expect(result.rows).toHaveLength(truth.size);
      const noteOf = (row: number) => result.notes.find((n) => n.row === row && n.column === 'hosp');
      let primary = 0;
      for (const [i, [dep, sexe, value]] of result.rows.entries()) {
        const raw = truth.get(`${String(dep)}|${String(sexe)}`)!;
        const note = noteOf(i);
        if (raw <= 7) {
          primary++;
          expect(value).toBeNull();
          expect(note).toMatchObject({ fate: 'suppressed_primary', reason: 'effectif ≤ 7 : masqué' });
        } else if (value === null) {
          expect(note?.fate).toBe('suppressed_secondary');
        } else {
          expect(value).toBe(Math.floor(raw / 5 + 0.5) * 5);
          expect(note).toMatchObject({ fate: 'rounded', reason: 'arrondi à 5 près' });
        }
      }
      // The file has small counts that day (Lozère, Ariège…): the test would prove nothing without.
      expect(primary).toBeGreaterThan(0);
      expect(result.disclosure).toMatchObject({ suppressed: result.notes.filter((n) => n.fate !== 'rounded').length });
    });

    it('leaves no masked count that the département’s total (sexe = 0) would give back', () => {
      const byDep = new Map<string, unknown[][]>();
      for (const row of result.rows) byDep.set(String(row[0]), [...(byDep.get(String(row[0])) ?? []), row]);
      for (const [, line] of byDep) {
        const masked = line.filter((r) => r[2] === null);
        // One masked cell in a line with its total would be total − the others: never alone.
        expect(masked.length === 0 || masked.length >= 2).toBe(true);
      }
      expect([...byDep.values()].some((line) => line.some((r) => r[2] === null))).toBe(true);
    });

    it('writes the query’s start and completion in the ledger, with what was delivered', async () => {
      const logged = await entries(result.query);
      expect(logged.map((e) => e.type)).toEqual(['query.started', 'query.completed']);
      expect(logged[1]!.public).toMatchObject({ contract: healthContract, dataset: health, units: result.rows.length, unit: 'rows' });
    });

    it.each([
      ['rows', { columns: ['dep', 'hosp'] }, 'aggregate_only'],
      ['a group-by on a count column', { groupBy: ['hosp'], aggregates: [{ fn: 'count' }] }, 'not_a_dimension'],
      ['a filter on a count column', { groupBy: ['dep'], where: [{ column: 'hosp', op: 'lt', value: 3 }] }, 'not_a_dimension'],
      ['the maximum of a count', { groupBy: ['dep'], aggregates: [{ fn: 'max', column: 'hosp' }] }, 'aggregate_only'],
      ['SQL', { sql: 'SELECT dep, sum(hosp) FROM t GROUP BY dep' }, 'sql_not_granted'],
      ['an unknown column', { groupBy: ['age'] }, 'unknown_column'],
    ])('refuses %s with a clear reason, and costs no quota', async (_, body, refusal) => {
      const response = await query(health, body);
      const error = expectError(response, 422, 'query_refused');
      expect(error.details).toEqual({ refusal });
      expect(error.message.length).toBeGreaterThan(30);
    });

    it('never shows rows to the provider’s own people either', async () => {
      expectError(await query(health, { columns: ['dep'] }, steward), 422, 'query_refused');
    });

    it('streams the protected result as CSV, written by DuckDB', async () => {
      const response = await query(
        health,
        {
          groupBy: ['dep', 'sexe'],
          aggregates: [{ fn: 'sum', column: 'hosp', as: 'hosp' }],
          where: [{ column: 'jour', op: 'eq', value: DAY }],
        },
        analyst,
        'csv',
      );
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['content-type']).toContain('text/csv');
      const lines = response.body.trim().split('\n');
      expect(lines[0]).toBe('dep,sexe,hosp');
      expect(lines.slice(1).map((l) => l.split(',')[2] ?? '')).toEqual(result.rows.map((r) => (r[2] === null ? '' : String(r[2]))));
      const id = response.headers['x-confiance-query'] as string;
      await expect.poll(async () => (await entries(id)).map((e) => e.type)).toEqual(['query.started', 'query.completed']);
    });

    it('tells the builder what it may do', async () => {
      const access = (await inject('GET', `/api/v1/datasets/${health}/query`, analyst)).json<{
        allowed: boolean;
        aggregateOnly: boolean;
        sql: boolean;
        functions: string[];
        tables: { columns: { name: string; role: string }[] }[];
      }>();
      expect(access).toMatchObject({ allowed: true, aggregateOnly: true, sql: false });
      expect(access.functions).not.toContain('min');
      expect(Object.fromEntries(access.tables[0]!.columns.map((c) => [c.name, c.role]))).toEqual({
        dep: 'dimension',
        sexe: 'dimension',
        jour: 'dimension',
        hosp: 'count',
        rea: 'count',
        rad: 'count',
        dc: 'count',
      });
      const anonymous = (await inject('GET', `/api/v1/datasets/${health}/query`)).json<{ allowed: boolean; reason: string }>();
      expect(anonymous.allowed).toBe(false);
      expect(anonymous.reason).toContain('connectez-vous');
      expectError(await query(health, { groupBy: ['dep'] }, null), 401, 'unauthenticated');
      // A colleague the contract does not name.
      expectError(await query(health, { groupBy: ['dep'] }, colleague), 403, 'forbidden');
    });
  });

  describe('differential privacy', () => {
    const dp = (body: object) => query(health, { contract: dpContract, ...body });

    it.each([
      ['an average', { groupBy: ['dep'], aggregates: [{ fn: 'avg', column: 'hosp' }] }, 'privacy_function'],
      ['a sum without bounds', { groupBy: ['dep'], aggregates: [{ fn: 'sum', column: 'rea' }] }, 'privacy_no_bounds'],
    ])('refuses %s before spending anything', async (_, body, refusal) => {
      expect(expectError(await dp(body), 422, 'query_refused').details).toEqual({ refusal });
    });

    it('adds noise to counts and clipped sums, spends the budget, and refuses once it is used up', async () => {
      const body = {
        groupBy: ['dep'],
        aggregates: [{ fn: 'count' }, { fn: 'sum', column: 'hosp', as: 'hosp' }],
        where: [
          { column: 'jour', op: 'eq', value: DAY },
          { column: 'sexe', op: 'eq', value: 0 },
        ],
      };
      const truth = await spfDay(DAY);
      const first = await dp(body);
      expect(first.statusCode, first.body).toBe(200);
      const result = first.json<Result & { privacy: { epsilonSpent: string; epsilonLeft: string; measures: { description: string }[] } }>();
      expect(result).toMatchObject({ disclosure: null, notes: [], privacy: { epsilonSpent: '0.5', epsilonLeft: '0.5' } });
      expect(result.privacy.measures.map((m) => m.description)).toEqual([
        expect.stringContaining('Laplace discret'),
        expect.stringContaining('Laplace discret'),
      ]);
      expect(result.rows).toHaveLength(13);
      // One row per département that day: the exact count is 1 and the sum is the file's value.
      const exact = result.rows.map(([dep]) => [dep, 1, truth.get(`${String(dep)}|0`)]);
      expect(result.rows).not.toEqual(exact);
      for (const row of result.rows) expect(Number.isInteger(row[1]) && (row[1] as number) >= 0).toBe(true);
      const second = await dp(body);
      expect(second.json<{ privacy: { epsilonLeft: string } }>().privacy.epsilonLeft).toBe('0');
      const third = expectError(await dp(body), 429, 'quota_exceeded');
      expect(third.message).toContain('Budget de confidentialité épuisé');
    });
  });

  describe('column, row and quota grants', () => {
    it('shows only the granted columns and the granted départements’ rows', async () => {
      const response = await query(restricted, { columns: [] });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<Result>();
      expect(body.columns.map((c) => c.name)).toEqual(['code_dep', 'valeur']);
      // rowsPerResponse = 1: one row and the flag that there were more (09 and 34).
      expect(body.rows).toHaveLength(1);
      expect(body.truncated).toBe(true);
      const all = (
        await query(restricted, { groupBy: ['code_dep'], aggregates: [{ fn: 'count' }], orderBy: [{ column: 'code_dep' }] })
      ).json<Result>();
      expect(all.rows).toEqual([['09', 1]]);
      const sql = await query(restricted, { sql: 'SELECT code_dep FROM ' + 'mesures' + ' ORDER BY code_dep DESC' });
      expect(sql.statusCode, sql.body).toBe(200);
      expect(sql.json<Result>().rows).toEqual([['34']]);
    });

    it('gives no whole-file preview or download to a grant narrowed to some columns and départements', async () => {
      expectError(await inject('GET', `/api/v1/datasets/${restricted}/preview`, analyst), 403, 'forbidden');
      expectError(await inject('GET', `/api/v1/datasets/${restricted}/download?format=csv`, analyst), 403, 'forbidden');
      const dataset = (await inject('GET', `/api/v1/datasets/${restricted}`, analyst)).json<{ access: { reason: string } }>();
      expect(dataset.access.reason).toContain('Interroger');
    });

    it('refuses a column the contract does not grant', async () => {
      const response = await query(restricted, { columns: ['departement'] });
      const error = expectError(response, 422, 'query_refused');
      expect(error.message).toContain('departement');
      expectError(await query(restricted, { sql: 'SELECT departement FROM mesures' }), 400, 'validation_failed');
    });

    it.each(SQL_ESCAPES.filter((e) => !e.sql('mesures').includes(OTHER_CONTRACT_RELATION) || true).map((e) => [e.name, e] as const))(
      'refuses the escape « %s » and stays healthy',
      async (_, escape) => {
        const response = await query(restricted, { sql: escape.sql('mesures') });
        expect([400, 422]).toContain(response.statusCode);
        if (response.statusCode === 422)
          expect(response.json<{ error: { details: unknown } }>().error.details).toEqual({ refusal: escape.refusal });
      },
    );

    it('caps a JSON result at 50 000 rows and says so (CSV and Parquet stream the rest)', async () => {
      const from = Array.from({ length: 10 }, (_, i) => `mesures t${i}`).join(', ');
      const response = await query(open, { sql: `SELECT t0.valeur FROM ${from}` }, null);
      expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
      const body = response.json<Result & { rowLimit: number }>();
      expect(body.rows).toHaveLength(50_000);
      expect(body).toMatchObject({ truncated: true, rowLimit: 50_000 });
    });

    it('is still healthy after the escape suite, and answers the next query', async () => {
      expect((await inject('GET', '/health')).statusCode).toBe(200);
      expect((await query(open, { columns: ['code_dep'] }, null)).statusCode).toBe(200);
    });

    it('stops at the contract’s quota, counting neither refusals nor open data', async () => {
      const used = await node.ctx.db
        .selectFrom('data_queries')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('contract_id', '=', restrictedContract)
        .where('state', '<>', 'refused')
        .executeTakeFirstOrThrow();
      for (let i = Number(used.n); i < 12; i++) expect((await query(restricted, { columns: ['valeur'] })).statusCode).toBe(200);
      expectError(await query(restricted, { columns: ['valeur'] }), 429, 'quota_exceeded');
      const access = (await inject('GET', `/api/v1/datasets/${restricted}/query`, analyst)).json<{
        quota: { used: number; max: number };
      }>();
      expect(access.quota).toEqual(expect.objectContaining({ used: 12, max: 12 }));
    });
  });

  it('stops at the daily quota, which renews the next day (UTC)', async () => {
    for (let i = 0; i < 2; i++) expect((await query(large, { columns: ['n'], limit: 1 })).statusCode).toBe(200);
    const error = expectError(await query(large, { columns: ['n'], limit: 1 }), 429, 'quota_exceeded');
    expect(error.message).toContain('par jour');
    await node.ctx.db
      .updateTable('data_queries')
      .set({ started_at: new Date(Date.now() - 86_400_000 - 60_000) })
      .where('contract_id', '=', largeContract)
      .execute();
    expect((await query(large, { columns: ['n'], limit: 1 })).statusCode).toBe(200);
  });

  describe('the end of a contract', () => {
    it('stops queries on the next request when it expires', async () => {
      await node.ctx.db
        .updateTable('contracts')
        .set({ valid_until: new Date(Date.now() - 1000) })
        .where('id', '=', restrictedContract)
        .execute();
      expectError(await query(restricted, { columns: ['valeur'] }), 403, 'forbidden');
    });

    it('stops a result stream that is open when the contract is terminated', async () => {
      const address = await node.app.listen({ port: 0, host: '127.0.0.1' });
      const response = await fetch(`${address}/api/v1/datasets/${large}/query?format=csv`, {
        method: 'POST',
        headers: { ...analyst.headers, 'content-type': 'application/json' },
        // A billion rows from a thousand: the stream would run for minutes.
        body: JSON.stringify({ sql: 'SELECT a.n, b.n, c.n FROM grand a, grand b, grand c' }),
      });
      expect(response.status).toBe(200);
      const id = response.headers.get('x-confiance-query')!;
      const reader = response.body!.getReader();
      let bytes = (await reader.read()).value?.length ?? 0;
      // The client reads nothing more for a while: DuckDB waits on the pipe, the stream stays open.
      await node.ctx.db.updateTable('contracts').set({ state: 'terminated' }).where('id', '=', largeContract).execute();
      await new Promise((resolve) => setTimeout(resolve, 2500));
      try {
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) break;
          bytes += chunk.value.length;
        }
      } catch {
        // The node cut the connection: what the client sees of a stream stopped mid-way.
      }
      // Far less than a billion rows of at least 6 bytes.
      expect(bytes).toBeLessThan(1e9);
      await expect
        .poll(async () => (await entries(id)).map((e) => e.type), { timeout: 10_000 })
        .toEqual(['query.started', 'query.completed']);
      const row = await node.ctx.db.selectFrom('data_queries').select(['state', 'error']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.state).toBe('failed');
      expect(row.error).toContain('contrat');
      expectError(await query(large, { columns: ['n'] }), 403, 'forbidden');
    });
  });
});

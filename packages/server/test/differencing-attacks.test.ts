import fs from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends';
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
 * Differencing attacks over HTTP, on both databases, on the real Santé publique France file: each
 * query of a sequence is safe on its own (disclosure control masks ≤ 7, rounds to 5), and the node
 * refuses the one that, subtracted from an earlier release under the same contract, would give back
 * a small group or a masked cell. Refusals say why without the count, cost no quota, and are kept
 * in `data_queries` and the ledger; two complementary queries racing cannot both pass.
 *
 * The values come from the file (hosp, people in hospital that day; sexe 0 is both sexes):
 * - Lozère (48), 24 March 2020: 6 men and 1 woman, 7 people. Up to the 23rd, 10 (man-days and
 *   woman-days summed); up to the 24th, 17; up to the 25th, 25 (8 on the 25th).
 * - Ariège (09), 1 April 2020: 16 in all, 9 men, 6 women (women masked, men published).
 */

type Filter = { column: string; op: string; value: unknown };
const hosp = { aggregates: [{ fn: 'sum', column: 'hosp', as: 'hosp' }] };
const dep = (code: string): Filter => ({ column: 'dep', op: 'eq', value: code });
const both: Filter = { column: 'sexe', op: 'eq', value: 0 };
const day = (op: string, value: string): Filter => ({ column: 'jour', op, value });
const hospWhere = (...where: Filter[]) => ({ ...hosp, where });

interface Step {
  body: object;
  /** null: released; otherwise refused, and the true count it would have isolated must not appear. */
  refused: null | { hidden: number[] };
}
const ok = (body: object): Step => ({ body, refused: null });
const refused = (body: object, ...hidden: number[]): Step => ({ body, refused: { hidden } });

const ATTACKS: [string, Step[]][] = [
  [
    'a cumulative count, then the same one day shorter, isolating one day in a small département',
    [ok(hospWhere(dep('48'), both, day('lte', '2020-03-24'))), refused(hospWhere(dep('48'), both, day('lte', '2020-03-23')))],
  ],
  [
    'the same difference the other way round, with strict bounds',
    [ok(hospWhere(dep('48'), both, day('lt', '2020-03-24'))), refused(hospWhere(dep('48'), both, day('lt', '2020-03-25')))],
  ],
  [
    'a département’s total, then its men and women separately with the women masked',
    [
      ok(hospWhere(dep('09'), both, day('eq', '2020-04-01'))),
      refused(
        { ...hospWhere(dep('09'), day('eq', '2020-04-01'), { column: 'sexe', op: 'in', value: [1, 2] }), groupBy: ['sexe'] },
        6,
        9,
        16,
      ),
    ],
  ],
  [
    'the men asked alone after the table with the total had masked them',
    [
      ok({ ...hospWhere(dep('09'), day('eq', '2020-04-01')), groupBy: ['sexe'] }),
      refused(hospWhere(dep('09'), day('eq', '2020-04-01'), { column: 'sexe', op: 'eq', value: 1 }), 6, 9),
    ],
  ],
  [
    'a filter that counts some people twice (the total and the men together)',
    [refused(hospWhere(dep('09'), day('eq', '2020-04-01'), { column: 'sexe', op: 'in', value: [0, 1] }), 6, 9, 16)],
  ],
];

const BENIGN: [string, Step[]][] = [
  [
    'different départements and disjoint days, and a result asked twice',
    [
      ok(hospWhere(dep('31'), both, day('eq', '2020-04-15'))),
      ok(hospWhere(dep('34'), both, day('eq', '2020-04-15'))),
      ok({ ...hospWhere(both, day('eq', '2020-04-16')), groupBy: ['dep'] }),
      ok(hospWhere(dep('31'), both, day('eq', '2020-04-15'))),
    ],
  ],
  [
    'a cumulative count one day shorter when that day holds more than 7 people',
    [ok(hospWhere(dep('48'), both, day('lte', '2020-03-25'))), ok(hospWhere(dep('48'), both, day('lte', '2020-03-24')))],
  ],
];

describe.each(backends())('differencing attacks on %s', (backend) => {
  let node: TestNode;
  let steward: Caller;
  let analyst: Caller;
  let reviewer: Caller;
  let health: string;
  const inject = (method: 'GET' | 'POST', url: string, caller: Caller, payload?: object) =>
    node.app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  const query = (contract: string, body: object, format = 'json') =>
    inject('POST', `/api/v1/datasets/${health}/query?format=${format}`, analyst, { contract, ...body });

  /** A fresh contract on the file: each sequence starts with no history. */
  const contract = async () =>
    (
      await contractThrough(node, {
        steward,
        analyst,
        reviewer,
        dataset: health,
        offer: { ...SPF_RESEARCH_OFFER, terms: { ...SPF_RESEARCH_OFFER.terms, maxQueries: 50 } },
        request: { organisation: 'laboratoire-differences' },
      })
    ).contract;

  /** Runs the steps in order; returns the refusals' messages. */
  async function play(id: string, steps: readonly Step[]): Promise<string[]> {
    const messages: string[] = [];
    for (const [i, step] of steps.entries()) {
      const response = await query(id, step.body);
      if (step.refused === null) {
        expect(response.statusCode, `step ${i + 1}: ${response.body}`).toBe(200);
        // Each step must publish something, or the sequence would prove nothing.
        const rows = response.json<{ rows: unknown[][] }>().rows;
        expect(
          rows.some((r) => r[r.length - 1] !== null),
          `step ${i + 1} publishes no value`,
        ).toBe(true);
        continue;
      }
      const error = expectError(response, 422, 'query_refused');
      expect(error.details).toEqual({ refusal: 'differencing' });
      expect(error.message).toContain('secret statistique');
      // The date and time of the earlier query are named; no count is, in any form.
      const words = error.message.replace(/\d{2}\/\d{2} à \d{2}:\d{2}/g, '');
      for (const n of step.refused.hidden) expect(words, `step ${i + 1} names ${n}`).not.toMatch(new RegExp(`(^|[^\\d])${n}([^\\d]|$)`));
      messages.push(error.message);
    }
    return messages;
  }

  beforeAll(async () => {
    node = await testNode(backend);
    const provider = await makeOrganisation(node.ctx, { shortName: 'Santé différences', category: 'public_body' });
    const consumer = await makeOrganisation(node.ctx, {
      shortName: 'Laboratoire différences',
      category: 'research',
      slug: 'laboratoire-differences',
    });
    steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: provider.id, role: 'data_steward' })).email);
    analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: consumer.id, role: 'analyst' })).email);
    reviewer = await signInAs(node.app, (await makeUser(node.ctx, { platformRoles: ['ethics_member'] })).email);
    health = (
      await publishTestDataset(node.app, steward.headers, provider.slug, {
        accessLevel: 'aggregate_only',
        file: { name: 'spf_covid_hospit_dep_sexe.csv', content: await fs.readFile(SPF_FILE) },
      })
    ).slug;
  });
  afterAll(() => node.close());

  it.each(ATTACKS)('refuses %s', async (_, steps) => {
    const messages = await play(await contract(), steps);
    expect(messages).toHaveLength(steps.filter((s) => s.refused).length);
  });

  it.each(BENIGN)('allows %s', async (_, steps) => {
    await play(await contract(), steps);
  });

  it('lets exactly one of two complementary queries racing through', async () => {
    const id = await contract();
    const [a, b] = await Promise.all([
      query(id, hospWhere(dep('48'), both, day('lte', '2020-03-24'))),
      query(id, hospWhere(dep('48'), both, day('lte', '2020-03-23'))),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 422]);
    const loser = a.statusCode === 422 ? a : b;
    expect(expectError(loser, 422, 'query_refused').details).toEqual({ refusal: 'differencing' });
  });

  it('refuses a CSV download the same way, before the stream starts', async () => {
    const id = await contract();
    expect((await query(id, hospWhere(dep('48'), both, day('lte', '2020-03-24')), 'csv')).statusCode).toBe(200);
    const second = await query(id, hospWhere(dep('48'), both, day('lte', '2020-03-23')), 'csv');
    expect(expectError(second, 422, 'query_refused').details).toEqual({ refusal: 'differencing' });
  });

  describe('a refusal', () => {
    let id: string;
    let refusedId: string;
    let message: string;

    beforeAll(async () => {
      id = await contract();
      message = (await play(id, ATTACKS[0]![1]))[0]!;
      const row = await node.ctx.db
        .selectFrom('data_queries')
        .select('id')
        .where('contract_id', '=', id)
        .where('state', '=', 'refused')
        .executeTakeFirstOrThrow();
      refusedId = row.id;
    });

    it('costs no quota', async () => {
      const access = (await inject('GET', `/api/v1/datasets/${health}/query?contract=${id}`, analyst)).json<{
        contract: string;
        quota: { used: number; max: number };
      }>();
      expect(access.contract).toBe(id);
      expect(access.quota).toMatchObject({ used: 1, max: 50 });
    });

    it('is kept in data_queries as refused, with its rule and its message', async () => {
      const rows = await node.ctx.db
        .selectFrom('data_queries')
        .select(['state', 'refusal', 'error', 'delivered_rows'])
        .where('contract_id', '=', id)
        .orderBy('started_at')
        .execute();
      expect(rows.map((r) => [r.state, r.refusal])).toEqual([
        ['completed', null],
        ['refused', 'differencing'],
      ]);
      expect(rows[1]!.error).toBe(message);
      expect(Number(rows[1]!.delivered_rows)).toBe(0);
    });

    it('is written in the ledger as the query’s outcome, with the rule', async () => {
      const logged = await node.ctx.db
        .selectFrom('ledger_entries')
        .select(['type', 'details'])
        .where(sql<boolean>`public->>'query' = ${refusedId}`)
        .orderBy('tree_index')
        .execute();
      expect(logged.map((e) => e.type)).toEqual(['query.started', 'query.completed']);
      const details = (typeof logged[1]!.details === 'string' ? JSON.parse(logged[1]!.details) : logged[1]!.details) as Record<
        string,
        unknown
      >;
      expect(details).toMatchObject({ outcome: 'refused', refusal: 'differencing' });
    });

    it('records the released cells, and none of the refused result', async () => {
      const cells = await node.ctx.db
        .selectFrom('released_cells')
        .select(['query_id', 'value', 'atoms'])
        .where('contract_id', '=', id)
        .execute();
      expect(cells.length).toBeGreaterThan(0);
      expect(cells.some((c) => c.query_id === refusedId)).toBe(false);
      expect(cells.every((c) => /^\d+(,\d+)*$/.test(c.atoms))).toBe(true);
    });
  });
});

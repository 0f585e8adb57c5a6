import { feeScheduleSchema, type LedgerFact, type Plan } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodBounds, statementOf } from '../src/modules/billing/index';
import {
  latestCheckpointRef,
  recordFacts,
  usageEntries,
  usageGroupOf,
  usageGroups,
  type UsageEntry,
  type UsageGroup,
} from '../src/modules/ledger/index';
import { eraseDetails } from '../src/modules/ledger/erase';
import { backends } from './backends';
import { testNode, type TestNode } from './harness';

/**
 * The metered uses as statements read them, grouped in SQL (`usageGroups`), against the same uses
 * read one by one (`usageEntries`): the same entries, each in a group that has its type, outcome,
 * contract and unit, and the same statement from either — with downloads, failed queries, an outcome
 * that is not a string, erased details (with and without rows), a units other than rows, a
 * consumer whose category changed during the month, and uses of someone else or of another type left out.
 */

const month = () => new Date().toISOString().slice(0, 7);
const CONTRACTS = ['contrat-a', 'contrat-b', 'contrat-c'];
const plan = (p: Partial<Plan> & Pick<Plan, 'kind'>): Plan =>
  ({ categoryPrices: {}, publicInterestPrice: null, memberDiscount: '0', vatRate: 'S-20', ...p }) as Plan;
const PLANS = new Map<string, Plan>([
  ['contrat-a', plan({ kind: 'per_query', price: 5 })],
  ['contrat-b', plan({ kind: 'per_units', unit: 'rows', price: 2000 } as Partial<Plan> & Pick<Plan, 'kind'>)],
  ['contrat-c', plan({ kind: 'per_query', price: 100 })],
]);

function use(i: number, consumer = 'labo-usage'): LedgerFact {
  const usage = {
    contract: CONTRACTS[i % 3]!,
    dataset: 'jeu-usage',
    provider: 'fournisseur-usage',
    consumer,
    offer: null,
    plan: null,
    // The consumer's category changed mid-month: the contract's first entry says which applies.
    partyType: i < 30 ? ('research' as const) : ('company' as const),
    purpose: 'dpv:ResearchAndDevelopment',
  };
  const units = i % 4 === 0 ? 0 : i;
  const unit = i % 7 === 0 ? ('bytes' as const) : ('rows' as const);
  const outcome = i % 6 === 0 ? 'failed' : i % 11 === 0 ? 42 : 'completed';
  return i % 5 === 0
    ? { type: 'download', public: { ...usage, units, unit }, details: { by: 'u' } }
    : { type: 'query.completed', public: { ...usage, query: `q${i}`, units, unit }, details: { outcome } };
}

describe.each(backends())('metered uses read grouped on %s', (backend) => {
  let node: TestNode;
  let entries: UsageEntry[];
  let groups: UsageGroup[];
  const query = { organisation: 'labo-usage', role: 'consumer' as const, period: month() };

  beforeAll(async () => {
    node = await testNode(backend);
    const db = node.ctx.db;
    const facts = Array.from({ length: 60 }, (_, i) => use(i));
    const { units: _units, unit: _unit, ...started } = use(2).public as Record<string, unknown>;
    facts.push(use(1, 'quelqu-un-d-autre'), { type: 'query.started', public: started } as LedgerFact);
    await db.transaction().execute((trx) => recordFacts(trx, facts));
    const first = (
      await db
        .selectFrom('ledger_entries')
        .select((eb) => eb.fn.min('tree_index').as('i'))
        .executeTakeFirstOrThrow()
    ).i;
    // Erased details: an outcome no longer known, for a query with rows and one without. The
    // rewrite also moves these rows away from tree order in the table.
    // One batch, in order: the i-th fact is at first + i.
    for (const i of [8, 13, 19, 26]) await eraseDetails(node.ctx, Number(first) + i, 'rgpd');
    await node.app.confiance.ledger.integrate();
    const size = (await latestCheckpointRef(db))!.size;
    const bounds = { ...query, ...periodBounds(query.period), size };
    entries = await usageEntries(db, bounds);
    groups = await usageGroups(db, bounds);
  }, 60_000);
  afterAll(() => node.close());

  it('reads the same entries, each in one group with its type, outcome, contract and unit', () => {
    expect(entries).toHaveLength(60);
    expect(entries.filter((e) => e.outcome === null && e.type === 'query.completed').length).toBeGreaterThan(0);
    const cited = groups.flatMap((g) => g.indexes);
    expect([...cited].sort((a, b) => a - b)).toEqual(entries.map((e) => e.index));
    const groupOf = new Map(groups.flatMap((g) => g.indexes.map((i) => [i, g] as const)));
    const entryAt = new Map(entries.map((e) => [e.index, e]));
    for (const e of entries) {
      const one = usageGroupOf(e);
      const group = groupOf.get(e.index)!;
      expect([group.type, group.outcome, group.public.contract, group.public.unit]).toEqual([
        one.type,
        one.outcome,
        one.public.contract,
        one.public.unit,
      ]);
      expect(one.units > 0).toBe(group.units > 0);
    }
    for (const g of groups) expect(g.public).toEqual(usageGroupOf(entryAt.get(g.indexes[0]!)!).public);
    for (const g of groups) {
      expect(g.indexes).toEqual([...g.indexes].sort((a, b) => a - b));
      expect(g.units).toBe(entries.filter((e) => g.indexes.includes(e.index)).reduce((n, e) => n + e.public.units, 0));
    }
  });

  it('gives the same statement as the entries one by one', () => {
    const checkpoint = { size: 100, root: '' };
    const organisations = new Map([
      ['labo-usage', { category: 'research', active: true }],
      ['fournisseur-usage', { category: 'public_body', active: true }],
    ]);
    const fee = { version: 0, schedule: feeScheduleSchema.parse({ percent: '5' }) };
    const one = statementOf(query, checkpoint, entries, PLANS, organisations, fee);
    const grouped = statementOf(query, checkpoint, groups, PLANS, organisations, fee);
    expect(grouped).toEqual(one);
    expect(one.lines.map((l) => l.entries.length)).toEqual([20, 20, 20]);
    expect(one.lines.every((l) => l.party.category === 'research')).toBe(true);
    expect(one.totals.net).toBeGreaterThan(0);
  });
});

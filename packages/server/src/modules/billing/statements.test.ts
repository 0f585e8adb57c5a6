import { feeScheduleSchema, sumCents, type Plan } from '@confiance/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UsageEntry } from '../ledger/index';
import { statementOf } from './statements';

/**
 * Properties of the pure statement (issue 9): whatever the log holds, its lines add up to its
 * totals, every metered entry is cited exactly once, a statement is the same whatever order the
 * entries are read in (reproducible from the log alone), and the fee is taken on the providers' net.
 */

const PLANS: Record<string, Plan> = {
  perQuery: {
    kind: 'per_query',
    price: 50,
    categoryPrices: { research: 30 },
    publicInterestPrice: null,
    memberDiscount: '10',
    vatRate: 'S-20',
  },
  perRows: {
    kind: 'per_units',
    unit: 'rows',
    price: 2_000,
    categoryPrices: {},
    publicInterestPrice: null,
    memberDiscount: '0',
    vatRate: 'S-5.5',
  },
  subscription: {
    kind: 'subscription',
    price: 10_000,
    includedQueries: 3,
    extraQueryPrice: 40,
    categoryPrices: {},
    publicInterestPrice: null,
    memberDiscount: '0',
    vatRate: 'S-20',
  },
  free: { kind: 'free' },
};
const CONTRACTS = Object.keys(PLANS);
const PROVIDER_OF: Record<string, string> = { perQuery: 'atmo', perRows: 'atmo', subscription: 'tisseo', free: 'insee' };

const useArb = fc.record({
  contract: fc.constantFrom(...CONTRACTS),
  type: fc.constantFrom('query.completed' as const, 'download' as const),
  outcome: fc.constantFrom('completed', 'failed', 'refused', null),
  units: fc.nat({ max: 5_000 }),
});

type Use = typeof useArb extends fc.Arbitrary<infer T> ? T : never;

function entriesOf(uses: Use[]): UsageEntry[] {
  return uses.map((u, index) => ({
    index,
    type: u.type,
    time: '2026-11-02T10:00:00.000Z',
    outcome: u.type === 'download' ? null : u.outcome,
    public: {
      contract: u.contract,
      dataset: `jeu-${u.contract}`,
      provider: PROVIDER_OF[u.contract]!,
      consumer: 'cnrs',
      offer: null,
      plan: null,
      partyType: 'research',
      purpose: 'dpv:ResearchAndDevelopment',
      units: u.units,
      unit: 'rows',
      ...(u.type === 'query.completed' ? { query: `q${index}` } : {}),
    } as UsageEntry['public'],
  }));
}

const statementFor = (entries: readonly UsageEntry[]) =>
  statementOf(
    { organisation: 'cnrs', period: '2026-11', role: 'consumer' },
    { size: 10_000, root: 'racine' },
    entries,
    new Map(Object.entries(PLANS)),
    new Map([
      ['cnrs', { category: 'research', active: true }],
      ['atmo', { category: 'association', active: true }],
      ['tisseo', { category: 'public_body', active: true }],
    ]),
    { version: 3, schedule: feeScheduleSchema.parse({ percent: '5', byCategory: { public_body: { percent: '2.5' } } }) },
  );

describe('a statement of any log', () => {
  const uses = fc.array(useArb, { maxLength: 60 });

  it('adds its lines up to its totals, and each line’s priced lines to the line', () => {
    fc.assert(
      fc.property(uses, (u) => {
        const s = statementFor(entriesOf(u));
        expect(s.totals.net).toBe(sumCents(s.lines.map((l) => l.totals.net)));
        for (const line of s.lines) expect(line.totals.net).toBe(sumCents(line.priced.map((p) => p.amount)));
        expect(s.totals.gross).toBe(s.totals.net + s.totals.vat);
        expect(s.totals.vat).toBe(sumCents(s.totals.breakdown.map((b) => b.vat)));
      }),
    );
  });

  it('cites every entry exactly once, in tree order within its contract', () => {
    fc.assert(
      fc.property(uses, (u) => {
        const entries = entriesOf(u);
        const s = statementFor(entries);
        const cited = s.lines.flatMap((l) => l.entries);
        expect([...cited].sort((a, b) => a - b)).toEqual(entries.map((e) => e.index));
        for (const line of s.lines) expect(line.entries).toEqual([...line.entries].sort((a, b) => a - b));
      }),
    );
  });

  it('is the same whatever order the entries are read in', () => {
    fc.assert(
      fc.property(
        uses.chain((u) => fc.tuple(fc.constant(u), fc.shuffledSubarray(entriesOf(u), { minLength: u.length, maxLength: u.length }))),
        ([u, shuffled]) => {
          expect(statementFor(shuffled)).toEqual(statementFor(entriesOf(u)));
        },
      ),
    );
  });

  it('bills only what was delivered, and takes the fee on each provider’s net at its category’s rate', () => {
    fc.assert(
      fc.property(uses, (u) => {
        const s = statementFor(entriesOf(u));
        for (const line of s.lines) {
          const mine = u.filter((x) => x.contract === line.contract);
          const delivered = mine.filter((x) => x.type === 'download' || x.outcome === 'completed' || (x.outcome === null && x.units > 0));
          expect(line.queries + line.downloads).toBe(delivered.length);
        }
        for (const fee of s.fees) {
          const base = sumCents(s.lines.filter((l) => l.provider === fee.provider).map((l) => l.totals.net));
          expect(fee.base).toBe(base);
          const rate = fee.provider === 'tisseo' ? 250 : 500;
          expect(fee.fee).toBe(Math.round((base * rate) / 10_000));
        }
        expect(s.feeTotal).toBe(sumCents(s.fees.map((f) => f.fee)));
      }),
    );
  });
});

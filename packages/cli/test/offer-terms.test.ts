import { templateDefaults, type DatasetFacts } from '@confiance/contract';
import { describe, expect, it } from 'vitest';
import { applyTermFlags, givenTermFlags, parseClip, parsePrice } from '../src/commands/offers/terms';

/** The offer flags of issue 8: join keys and differential privacy on top of a template's defaults. */

const FACTS: DatasetFacts = {
  accessLevel: 'aggregate_only',
  licence: 'etalab-2.0',
  personalData: true,
  columns: ['dep', 'jour', 'incid_hosp'],
};

describe('offer flags for joins and differential privacy', () => {
  it.each([
    ['incid_hosp:0:50', { column: 'incid_hosp', lower: 0, upper: 50 }],
    ['t.valeur:-10:2.5', { column: 't.valeur', lower: -10, upper: 2.5 }],
  ])('reads --clip %s', (text, clip) => {
    expect(parseClip(text)).toEqual(clip);
  });

  it.each(['incid_hosp', 'incid_hosp:0', 'incid_hosp:a:b', ':0:1'])('refuses --clip %s', (text) => {
    expect(() => parseClip(text)).toThrow(/colonne:min:max/);
  });

  it('replaces the join keys, and names the flags it was given', () => {
    const flags = { joinKeys: ['dep', 'dep'] };
    expect(applyTermFlags(templateDefaults('joinable', FACTS), flags).joinKeys).toEqual(['dep']);
    expect(givenTermFlags({ ...flags, epsilon: '1', clip: [] })).toEqual(['--join-keys', '--epsilon', '--clip']);
  });

  it('adjusts the dp_counts template’s budget and adds clipping', () => {
    const terms = applyTermFlags(templateDefaults('dp_counts', FACTS), {
      epsilon: '2',
      clip: [{ column: 'incid_hosp', lower: 0, upper: 50 }],
    });
    expect(terms.privacy).toMatchObject({
      epsilon: '2',
      mechanism: 'discrete_laplace',
      clipping: [{ column: 'incid_hosp', lower: 0, upper: 50 }],
    });
    expect(terms.privacy?.epsilonPerQuery).toBe(templateDefaults('dp_counts', FACTS).privacy?.epsilonPerQuery);
  });

  it('adds differential privacy to another template only with a budget and its share per query', () => {
    const base = templateDefaults('research_aggregate', FACTS);
    expect(() => applyTermFlags(base, { epsilon: '1' })).toThrow(/--epsilon-per-query/);
    expect(applyTermFlags(base, { epsilon: '1', epsilonPerQuery: '0.25' }).privacy).toEqual({
      epsilon: '1',
      epsilonPerQuery: '0.25',
      delta: null,
      mechanism: 'discrete_laplace',
      clipping: [],
    });
  });

  it('removes it with --no-epsilon, alone', () => {
    expect(applyTermFlags(templateDefaults('dp_counts', FACTS), { epsilon: false }).privacy).toBeNull();
    expect(() => applyTermFlags(templateDefaults('dp_counts', FACTS), { epsilon: false, epsilonPerQuery: '0.1' })).toThrow(/--no-epsilon/);
  });
});

describe('price flags (issue 9)', () => {
  const COMMERCIAL: DatasetFacts = { accessLevel: 'members', licence: 'etalab-2.0', personalData: false, columns: ['code_commune'] };
  const KEPT = { categoryPrices: {}, publicInterestPrice: null, memberDiscount: '0', vatRate: 'S-20' };

  it.each([
    ['0,50', 50],
    ['0.5', 50],
    ['2', 200],
    ['1 200,00', 120_000],
  ])('reads --price-per-query %s as %i cents', (text, cents) => {
    expect(parsePrice(text)).toBe(cents);
  });

  it.each(['0,505', '-1', 'gratuit', ''])('refuses the price %j, in French', (text) => {
    expect(() => parsePrice(text)).toThrow(/montant en euros HT attendu|négatif/);
  });

  it.each([
    ['--price-per-query', { pricePerQuery: 50 }, { kind: 'per_query', price: 50, ...KEPT }],
    ['--price-per-1000-rows', { pricePer1000Rows: 200 }, { kind: 'per_units', unit: 'rows', price: 200, ...KEPT }],
    ['--price-per-1000-cells', { pricePer1000Cells: 10 }, { kind: 'per_units', unit: 'cells', price: 10, ...KEPT }],
    [
      '--subscription',
      { subscription: 30_000 },
      { kind: 'subscription', price: 30_000, includedQueries: null, extraQueryPrice: null, ...KEPT },
    ],
  ] as const)('%s prices a free template', (flag, flags, plan) => {
    expect(applyTermFlags(templateDefaults('members', FACTS), flags).plan).toEqual(plan);
    expect(givenTermFlags(flags)).toEqual([flag]);
  });

  it('--free makes the commercial template’s proposed price free; without a price flag the plan stays', () => {
    const commercial = templateDefaults('commercial', COMMERCIAL);
    expect(commercial.plan).toMatchObject({ kind: 'per_query', price: 50 });
    expect(applyTermFlags(commercial, { free: true }).plan).toEqual({ kind: 'free' });
    expect(applyTermFlags(commercial, { maxQueries: 10 }).plan).toEqual(commercial.plan);
  });

  it('keeps the category prices, discount and VAT of the current plan when the kind changes', () => {
    const base = {
      ...templateDefaults('members', FACTS),
      plan: {
        kind: 'per_query' as const,
        price: 50,
        categoryPrices: { research: 20 },
        publicInterestPrice: 10,
        memberDiscount: '15',
        vatRate: 'S-10',
      },
    };
    expect(applyTermFlags(base, { pricePer1000Rows: 300 }).plan).toEqual({
      kind: 'per_units',
      unit: 'rows',
      price: 300,
      categoryPrices: { research: 20 },
      publicInterestPrice: 10,
      memberDiscount: '15',
      vatRate: 'S-10',
    });
  });

  it('refuses two prices at once, naming both flags', () => {
    expect(() => applyTermFlags(templateDefaults('members', FACTS), { pricePerQuery: 50, free: true })).toThrow(
      'Un seul tarif à la fois : --price-per-query, --free se contredisent.',
    );
  });
});

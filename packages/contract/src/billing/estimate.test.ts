import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORGANISATION_CATEGORIES } from '../members';
import { estimate, usageSchema, type Usage } from './estimate';
import { BillingError, FRENCH_VAT_RATES, vatAmount } from './money';
import { applicablePrice, partySchema, planSchema, type Party, type PlanInput } from './plans';

const plan = (input: PlanInput) => planSchema.parse(input);
const party = (over: Partial<Party> = {}): Party => partySchema.parse({ category: 'company', ...over });
const usage = (over: Partial<Usage> = {}): Usage => usageSchema.parse(over);
const messages = (input: unknown) => planSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('plans', () => {
  it('fills the defaults of a paid plan', () => {
    expect(plan({ kind: 'per_query', price: 5 })).toEqual({
      kind: 'per_query',
      price: 5,
      categoryPrices: {},
      publicInterestPrice: null,
      memberDiscount: '0',
      vatRate: 'S-20',
    });
  });

  it('normalises percentages, so a stored plan parses to itself', () => {
    const parsed = plan({ kind: 'subscription', price: 50_00, includedQueries: 100, extraQueryPrice: 10, memberDiscount: '12,50' });
    expect(parsed).toMatchObject({ memberDiscount: '12.5' });
    expect(planSchema.parse(parsed)).toEqual(parsed);
  });

  it.each([
    [
      { kind: 'gratuit' },
      'kind: type de tarif attendu : free (gratuit), per_query (à la requête), per_units (au volume) ou subscription (abonnement)',
    ],
    [
      { kind: 'per_query', price: 0 },
      'price: prix par requête : au moins 1 centime (pour ne rien faire payer, choisissez un tarif gratuit)',
    ],
    [{ kind: 'per_query', price: 0.5 }, "price: prix par requête : un nombre entier de centimes est attendu (1,50 € s'écrit 150)"],
    [
      { kind: 'per_query', price: 5, categoryPrices: { research: -1 } },
      'categoryPrices.research: prix pour cette catégorie : un prix ne peut pas être négatif',
    ],
    [
      { kind: 'per_query', price: 5, categoryPrices: { startup: 1 } },
      'categoryPrices: catégorie inconnue : startup (attendu : public_body, research, company ou association)',
    ],
    [
      { kind: 'per_query', price: 5, memberDiscount: '120' },
      'memberDiscount: remise adhérent : pourcentage entre 0 et 100 attendu, deux décimales au plus (par exemple 5,5)',
    ],
    [{ kind: 'per_units', price: 5 }, 'unit: unité facturée : rows (lignes) ou cells (cellules)'],
    [
      { kind: 'subscription', price: 100, extraQueryPrice: 5 },
      "extraQueryPrice: un prix des requêtes au-delà du forfait n'a de sens qu'avec un nombre de requêtes incluses",
    ],
    [
      { kind: 'subscription', price: 100, includedQueries: -1 },
      'includedQueries: requêtes incluses par mois : un nombre positif ou nul est attendu',
    ],
  ])('rejects %j in French', (input, message) => {
    expect(messages(input)).toContain(message);
  });

  it.each([
    {
      category: 'research',
      publicInterest: true,
      price: 100,
      tariff: 'public_interest',
      why: 'public interest is lower than the research price',
    },
    { category: 'research', publicInterest: false, price: 150, tariff: 'category', why: 'the research price replaces the base price' },
    { category: 'company', publicInterest: false, price: 500, tariff: 'base', why: 'no company price: the base price' },
    {
      category: 'company',
      publicInterest: true,
      price: 100,
      tariff: 'public_interest',
      why: 'public interest is lower than the base price',
    },
    {
      category: 'public_body',
      publicInterest: true,
      price: 0,
      tariff: 'category',
      why: 'free for public bodies, lower than public interest',
    },
    {
      category: 'association',
      publicInterest: true,
      price: 100,
      tariff: 'public_interest',
      why: 'a dearer category price, public interest still lower',
    },
  ] as const)('$category, public interest $publicInterest → $price ($why)', ({ category, publicInterest, price, tariff }) => {
    const p = plan({
      kind: 'per_query',
      price: 500,
      publicInterestPrice: 100,
      categoryPrices: { research: 150, public_body: 0, association: 800 },
    });
    if (p.kind === 'free') throw new Error('paid plan expected');
    expect(applicablePrice(p, { category, publicInterest })).toMatchObject({ price, tariff });
  });
});

describe('estimate', () => {
  it('per query: quantity × price, VAT at 20 %', () => {
    const e = estimate(plan({ kind: 'per_query', price: 5 }), usage({ queries: 1234 }), party());
    expect(e.lines).toHaveLength(1);
    expect(e.lines[0]).toMatchObject({ label: 'Requêtes', quantity: 1234, unitPrice: 5, baseQuantity: 1, amount: 6170, unitCode: 'C62' });
    expect(e.totals).toMatchObject({ net: 6170, vat: 1234, gross: 7404 });
  });

  it('per 1 000 rows: pro rata, rounded half up, then the member discount as an allowance', () => {
    const e = estimate(
      plan({ kind: 'per_units', unit: 'rows', price: 250, memberDiscount: '10' }),
      usage({ units: 123_457 }),
      party({ member: true }),
    );
    // 123 457 × 2,50 € / 1 000 = 308,6425 € → 308,64 €; 10 % = 30,864 € → 30,86 €
    expect(e.lines[0]).toMatchObject({
      label: 'Lignes livrées, par 1\u202f000',
      baseQuantity: 1000,
      grossAmount: 30864,
      discount: { percent: '10', amount: 3086, reason: 'Remise adhérent 10\u00a0%' },
      amount: 27778,
    });
    expect(e.totals).toMatchObject({ net: 27778, vat: 5556, gross: 33334 });
  });

  it('no member discount for a non-member', () => {
    const e = estimate(plan({ kind: 'per_units', unit: 'cells', price: 250, memberDiscount: '10' }), usage({ units: 1000 }), party());
    expect(e.lines[0]).toMatchObject({ discount: null, amount: 250, unitLabel: 'cellule' });
  });

  it('a public-interest purpose gets its price, and says so on the line', () => {
    const e = estimate(
      plan({ kind: 'per_query', price: 10, publicInterestPrice: 2, vatRate: 'S-5.5' }),
      usage({ queries: 100 }),
      party({ publicInterest: true }),
    );
    expect(e.tariff).toMatchObject({ tariff: 'public_interest', price: 2 });
    expect(e.lines[0]).toMatchObject({ label: "Requêtes (tarif d'intérêt public)", amount: 200, vatPercent: '5.5' });
    expect(e.totals).toMatchObject({ net: 200, vat: 11, gross: 211 });
  });

  it('subscription: months × fee, queries within the quota free', () => {
    const e = estimate(
      plan({ kind: 'subscription', price: 49_00, includedQueries: 1000, extraQueryPrice: 2 }),
      usage({ months: 3, queries: 2500 }),
      party(),
    );
    expect(e.lines.map((l) => [l.kind, l.quantity, l.amount])).toEqual([['subscription', 3, 147_00]]);
    expect(e.notes).toEqual([]);
  });

  it('subscription: queries beyond the quota are a second line at the extra price', () => {
    const e = estimate(
      plan({ kind: 'subscription', price: 49_00, includedQueries: 1000, extraQueryPrice: 2 }),
      usage({ months: 2, queries: 2500 }),
      party(),
    );
    expect(e.lines.map((l) => [l.kind, l.quantity, l.amount, l.unitCode])).toEqual([
      ['subscription', 2, 98_00, 'MON'],
      ['extra_queries', 500, 10_00, 'C62'],
    ]);
    expect(e.notes).toEqual(["500 requêtes au-delà des 2\u202f000 incluses, à 0,02\u00a0€ l'unité."]);
  });

  it('subscription without an extra price: the quota is a hard limit, and the estimate says so', () => {
    const e = estimate(plan({ kind: 'subscription', price: 49_00, includedQueries: 1000 }), usage({ months: 1, queries: 1001 }), party());
    expect(e.lines).toHaveLength(1);
    expect(e.notes[0]).toMatch(/^Quota dépassé : 1\u202f001 requêtes pour 1\u202f000 incluses/);
  });

  it('a free plan costs nothing', () => {
    const e = estimate(plan({ kind: 'free' }), usage({ queries: 10 }), party());
    expect(e).toMatchObject({ lines: [], totals: { net: 0, vat: 0, gross: 0, breakdown: [] }, notes: ['Offre gratuite : rien à payer.'] });
  });

  it('an exempt rate carries its reason to the breakdown', () => {
    const e = estimate(plan({ kind: 'per_query', price: 5, vatRate: 'E' }), usage({ queries: 3 }), party());
    expect(e.totals.breakdown).toEqual([
      expect.objectContaining({ category: 'E', base: 15, vat: 0, exemptionReason: 'Exonération de TVA' }),
    ]);
  });

  it.each([
    [{ queries: -1, units: 0, months: 0 }, 'nombre de requêtes : un nombre entier positif ou nul est attendu, pas -1'],
    [{ queries: 0, units: 1.5, months: 0 }, 'unités livrées : un nombre entier positif ou nul est attendu, pas 1.5'],
  ])('refuses the usage %j in French', (u, message) => {
    expect(() => estimate(plan({ kind: 'per_query', price: 5 }), u, party())).toThrow(message);
  });

  it('refuses a VAT rate the table does not know', () => {
    const run = () => estimate(plan({ kind: 'per_query', price: 5, vatRate: 'S-19.6' }), usage({ queries: 1 }), party());
    expect(run).toThrow(BillingError);
    expect(run).toThrow('taux de TVA inconnu : « S-19.6 »');
  });

  it('uses the operator’s table when given one', () => {
    const vatRates = {
      ...FRENCH_VAT_RATES,
      'S-8.5': { category: 'S' as const, percent: '8.5', label: 'TVA 8,5 % (DOM)', exemptionReason: null, exemptionCode: null },
    };
    const e = estimate(plan({ kind: 'per_query', price: 100, vatRate: 'S-8.5' }), usage({ queries: 1 }), party(), { vatRates });
    expect(e.totals).toMatchObject({ net: 100, vat: 9, gross: 109 }); // 8,5 c → 9 c
  });

  const planArb = fc.oneof(
    fc.record({ kind: fc.constant('per_query' as const), price: fc.integer({ min: 1, max: 100_000 }) }),
    fc.record({
      kind: fc.constant('per_units' as const),
      unit: fc.constantFrom('rows' as const, 'cells' as const),
      price: fc.integer({ min: 1, max: 100_000 }),
    }),
    fc.record({
      kind: fc.constant('subscription' as const),
      price: fc.integer({ min: 1, max: 1_000_000 }),
      includedQueries: fc.integer({ min: 0, max: 10_000 }),
      extraQueryPrice: fc.integer({ min: 0, max: 1000 }),
    }),
  );
  const commonArb = fc.record({
    memberDiscount: fc.integer({ min: 0, max: 10_000 }).map((bp) => `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}`),
    publicInterestPrice: fc.option(fc.integer({ min: 0, max: 100_000 })),
    vatRate: fc.constantFrom(...Object.keys(FRENCH_VAT_RATES)),
    categoryPrices: fc.dictionary(fc.constantFrom(...ORGANISATION_CATEGORIES), fc.integer({ min: 0, max: 100_000 })),
  });
  const usageArb = fc.record({
    queries: fc.integer({ min: 0, max: 10_000_000 }),
    units: fc.integer({ min: 0, max: 1_000_000_000 }),
    months: fc.integer({ min: 0, max: 36 }),
  });
  const partyArb = fc.record({ category: fc.constantFrom(...ORGANISATION_CATEGORIES), member: fc.boolean(), publicInterest: fc.boolean() });

  it('totals are the sum of the lines, VAT per rate the rounded base × rate, every line its own arithmetic', () => {
    fc.assert(
      fc.property(planArb, commonArb, usageArb, partyArb, (p, common, u, who) => {
        const e = estimate(plan({ ...p, ...common }), u, who);
        expect(e.totals.net).toBe(e.lines.reduce((s, l) => s + l.amount, 0));
        expect(e.totals.gross).toBe(e.totals.net + e.totals.vat);
        expect(e.totals.vat).toBe(e.totals.breakdown.reduce((s, r) => s + r.vat, 0));
        for (const row of e.totals.breakdown) expect(row.vat).toBe(vatAmount(row.base, row.basisPoints));
        for (const l of e.lines) {
          expect(Number.isSafeInteger(l.amount)).toBe(true);
          // |grossAmount − quantity × unitPrice / base| ≤ 1/2 cent
          const diff = 2n * (BigInt(l.grossAmount) * BigInt(l.baseQuantity) - BigInt(l.quantity) * BigInt(l.unitPrice));
          expect(diff <= BigInt(l.baseQuantity) && diff >= -BigInt(l.baseQuantity)).toBe(true);
          expect(l.amount).toBe(l.grossAmount - (l.discount?.amount ?? 0));
          expect(l.amount).toBeGreaterThanOrEqual(0);
          if (!who.member) expect(l.discount).toBeNull();
        }
      }),
    );
  });

  it('a public-interest purpose or membership never makes an estimate dearer', () => {
    fc.assert(
      fc.property(planArb, commonArb, usageArb, partyArb, (p, common, u, who) => {
        const pl = plan({ ...p, ...common });
        const base = estimate(pl, u, { ...who, member: false, publicInterest: false }).totals.net;
        expect(estimate(pl, u, { ...who, publicInterest: true, member: false }).totals.net).toBeLessThanOrEqual(base);
        expect(estimate(pl, u, { ...who, member: true, publicInterest: false }).totals.net).toBeLessThanOrEqual(base);
      }),
    );
  });
});

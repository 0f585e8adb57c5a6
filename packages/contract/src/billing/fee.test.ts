import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditRulesSchema, earnedCredits, spendCredits } from './credits';
import { computeFee, feeScheduleSchema, membershipDues } from './fee';

const schedule = feeScheduleSchema.parse({
  percent: '5',
  byCategory: { research: { percent: '2,5', annualDues: 600_00 }, company: { annualDues: 1_200_00 } },
});

describe("the association's fee", () => {
  it.each([
    { net: 100_00, category: 'company', fee: 5_00, rate: 500 },
    { net: 12_345, category: 'company', fee: 617, rate: 500 }, // 617,25 c → 617 c
    { net: 12_350, category: 'company', fee: 618, rate: 500 }, // 617,5 c → 618 c (half up)
    { net: 12_350, category: 'research', fee: 309, rate: 250 }, // 308,75 c → 309 c
    { net: -12_350, category: 'company', fee: -618, rate: 500 }, // a credit note mirrors the invoice
    { net: 0, category: 'public_body', fee: 0, rate: 500 },
  ] as const)('$rate bp of $net c for a $category → $fee c', ({ net, category, fee, rate }) => {
    const result = computeFee(schedule, net, category);
    expect(result).toMatchObject({ rate, base: net, fee, providerNet: net - fee, vatRate: 'S-20' });
  });

  it('explains itself in French', () => {
    expect(computeFee(schedule, 100_00, 'company').explanation).toBe(
      "Commission de l'association : 5\u00a0% de 100,00\u00a0€ HT = 5,00\u00a0€ (arrondi au centime le plus proche, demi-centime vers le haut) ; le fournisseur conserve 95,00\u00a0€ HT.",
    );
  });

  it('fee + what the provider keeps = the net, always', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 10_000 }), (net, bp) => {
        const s = feeScheduleSchema.parse({ percent: `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}` });
        const r = computeFee(s, net, 'company');
        expect(r.fee + r.providerNet).toBe(net);
        expect(Math.abs(r.fee * 10_000 - net * bp)).toBeLessThanOrEqual(5_000); // within half a cent
      }),
    );
  });

  it('membership dues by category, pro rata of months', () => {
    expect(membershipDues(schedule, 'company')).toBe(1_200_00);
    expect(membershipDues(schedule, 'research', 1)).toBe(50_00);
    expect(membershipDues(schedule, 'research', 5)).toBe(250_00);
    expect(membershipDues(feeScheduleSchema.parse({ byCategory: { association: { annualDues: 100 } } }), 'association', 1)).toBe(8); // 8,33 c
    expect(membershipDues(schedule, 'public_body')).toBe(0);
  });

  it('rejects a bad schedule in French', () => {
    const issues = feeScheduleSchema.safeParse({ percent: '150', byCategory: { club: {} } }).error?.issues.map((i) => i.message);
    expect(issues).toEqual([
      'commission : pourcentage entre 0 et 100 attendu, deux décimales au plus (par exemple 5,5)',
      'catégorie inconnue : club (attendu : public_body, research, company ou association)',
    ]);
    expect(() => computeFee(schedule, 1.5, 'company')).toThrow("revenu net du fournisseur : 1.5 n'est pas un nombre entier de centimes");
  });
});

describe('contribution credits', () => {
  const rules = creditRulesSchema.parse({ earnPerQuery: 2, earnPer1000Units: 3, creditValue: 10, maxCoverPercent: '50' });

  it.each([
    { queries: 0, units: 0, credits: 0 },
    { queries: 10, units: 0, credits: 20 },
    { queries: 0, units: 999, credits: 2 }, // 2,997 → 2: a fraction of a credit is never awarded
    { queries: 1, units: 1000, credits: 5 },
  ])('$queries queries and $units units earn $credits credits', ({ queries, units, credits }) => {
    expect(earnedCredits(rules, { queries, units }).credits).toBe(credits);
  });

  it.each([
    { balance: 100, due: 1000, spent: 50, covered: 500, left: 500, why: 'capped at 50 % of the amount' },
    { balance: 3, due: 1000, spent: 3, covered: 30, left: 970, why: 'limited by the balance' },
    { balance: 100, due: 25, spent: 1, covered: 10, left: 15, why: 'whole credits only, never more than the cap (12 c)' },
    { balance: 100, due: 0, spent: 0, covered: 0, left: 0, why: 'nothing due' },
    { balance: 100, due: -500, spent: 0, covered: 0, left: -500, why: 'a refund is not paid in credits' },
  ])('balance $balance, $due c due → $spent credits ($why)', ({ balance, due, spent, covered, left }) => {
    expect(spendCredits(rules, balance, due)).toMatchObject({ spent, covered, due: left, balanceAfter: balance - spent });
  });

  it('never spends more than the balance, the cap or the amount, and accounts for every cent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 1e10 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (balance, due, value, capBp) => {
          const r = creditRulesSchema.parse({ creditValue: value, maxCoverPercent: String(capBp / 100) });
          const s = spendCredits(r, balance, due);
          expect(s.spent).toBeLessThanOrEqual(balance);
          expect(s.covered).toBe(s.spent * value);
          expect(s.covered * 10_000).toBeLessThanOrEqual(due * capBp);
          expect(s.covered + s.due).toBe(due);
          expect(s.balanceAfter).toBe(balance - s.spent);
        },
      ),
    );
  });

  it('rejects bad rules in French', () => {
    expect(creditRulesSchema.safeParse({ creditValue: 0 }).error?.issues[0]?.message).toBe("valeur d'un crédit : au moins 1 centime");
    expect(() => spendCredits(rules, -1, 100)).toThrow('solde de crédits : un nombre entier positif ou nul est attendu, pas -1');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  allocateDetailed,
  assertCents,
  BillingError,
  centsSchema,
  divRoundHalfUp,
  formatEuros,
  formatPercent,
  FRENCH_VAT_RATES,
  parseEuros,
  parsePercent,
  percentSchema,
  percentText,
  satisfiesBrCo17,
  totalsOf,
  tryParsePercent,
  vatAmount,
  vatBreakdown,
  vatRateSchema,
  type VatLine,
} from './money';

const euroFormat = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const safeCents = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });
const rateCodes = Object.keys(FRENCH_VAT_RATES);

/** The exact rational `total × w / W` compared with a share, in integers: |share × W − total × w| < W. */
const withinOneCent = (share: number, total: number, weight: number, sum: bigint) => {
  const diff = BigInt(share) * sum - BigInt(total) * BigInt(weight);
  return (diff < 0n ? -diff : diff) < sum;
};

describe('cents', () => {
  it.each([
    [1.5, "n'est pas un nombre entier de centimes"],
    [2 ** 53, 'dépasse le plus grand montant'],
    [Number.NaN, 'un nombre entier de centimes est attendu'],
    [Infinity, 'un nombre entier de centimes est attendu'],
    ['12', 'un nombre entier de centimes est attendu'],
  ])('rejects %s with a French message', (value, message) => {
    expect(() => assertCents(value, 'prix')).toThrow(BillingError);
    expect(() => assertCents(value, 'prix')).toThrow(message);
  });

  it('accepts whole, safe, signed amounts', () => {
    for (const v of [0, -1, 150, Number.MAX_SAFE_INTEGER]) expect(() => assertCents(v)).not.toThrow();
  });

  it('the zod field rejects fractions and unsafe integers in French', () => {
    expect(centsSchema('prix').safeParse(1.5).error?.issues[0]?.message).toMatch(/^prix : un nombre entier de centimes est attendu/);
    expect(centsSchema('prix').safeParse(2 ** 60).success).toBe(false);
    expect(centsSchema('prix').parse(150)).toBe(150);
  });
});

describe('rounding half up (away from zero on magnitudes)', () => {
  it.each([
    [13775n, 1000n, 14n],
    [-13775n, 1000n, -14n],
    [13774n, 1000n, 14n],
    [13499n, 1000n, 13n],
    [-13499n, 1000n, -13n],
    [5n, 10n, 1n],
    [-5n, 10n, -1n],
    [4n, 10n, 0n],
    [0n, 7n, 0n],
  ])('%s / %s → %s', (n, d, expected) => {
    expect(divRoundHalfUp(n, d)).toBe(expected);
  });

  it('is symmetric: a credit note rounds as the invoice it cancels', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        expect(divRoundHalfUp(-n, d)).toBe(-divRoundHalfUp(n, d));
        const q = divRoundHalfUp(n, d);
        // |n/d − q| ≤ 1/2
        const diff = 2n * (n - q * d);
        expect(diff <= d && diff >= -d).toBe(true);
      }),
    );
  });
});

describe('percentages as exact decimals', () => {
  it.each([
    ['20', 2000],
    ['5,5', 550],
    ['5.5', 550],
    ['2.1', 210],
    [2.1, 210], // 2.1 * 100 is 210.00000000000003 in floats; the decimal text is exact
    ['0', 0],
    ['100', 10_000],
    ['12.25', 1225],
    [' 10 ', 1000],
  ])('%j → %d bp', (text, bp) => {
    expect(parsePercent(text)).toBe(bp);
  });

  it.each([['100.01'], ['5,555'], ['-1'], ['abc'], [''], [0.1 + 0.2], [Number.NaN], ['1e2']])('refuses %j', (text) => {
    expect(tryParsePercent(text)).toBeNull();
    expect(() => parsePercent(text, 'remise')).toThrow(/^remise : pourcentage entre 0 et 100 attendu/);
  });

  it('the canonical text parses back to the same rate, for every rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (bp) => {
        expect(parsePercent(percentText(bp))).toBe(bp);
        expect(percentSchema().parse(percentText(bp))).toBe(percentText(bp));
      }),
    );
  });

  it('the zod field normalises and explains', () => {
    expect(percentSchema().parse('5,50')).toBe('5.5');
    expect(percentSchema('remise').safeParse('150').error?.issues[0]?.message).toBe(
      'remise : pourcentage entre 0 et 100 attendu, deux décimales au plus (par exemple 5,5)',
    );
  });

  it('formats in French', () => {
    expect(formatPercent(550)).toBe('5,5\u00a0%');
    expect(formatPercent(2000)).toBe('20\u00a0%');
  });
});

describe('formatEuros', () => {
  it.each([
    [123456, '1\u202f234,56\u00a0€'],
    [0, '0,00\u00a0€'],
    [5, '0,05\u00a0€'],
    [-123456, '-1\u202f234,56\u00a0€'],
    [100_000_000_000, '1\u202f000\u202f000\u202f000,00\u00a0€'],
  ])('%d → %s', (cents, text) => {
    expect(formatEuros(cents)).toBe(text);
  });

  it('writes what Intl fr-FR writes, and parseEuros reads it back', () => {
    fc.assert(
      fc.property(safeCents, (cents) => {
        expect(formatEuros(cents)).toBe(euroFormat.format(cents / 100));
        expect(parseEuros(formatEuros(cents))).toBe(cents);
      }),
    );
  });
});

describe('parseEuros', () => {
  it.each([
    ['1 234,56', 123456],
    ['1234.5', 123450],
    ['12 €', 1200],
    ['-3,10', -310],
    ['0,05', 5],
  ])('%s → %d', (text, cents) => {
    expect(parseEuros(text)).toBe(cents);
  });

  it.each([['1,234'], ['12,3,4'], ['abc'], ['']])('refuses %j rather than rounding it', (text) => {
    expect(() => parseEuros(text, 'prix')).toThrow(/^prix : montant en euros attendu/);
  });
});

describe('allocate (largest remainder)', () => {
  it.each([
    { total: 100, weights: [1, 1, 1], shares: [34, 33, 33], why: 'equal remainders: the first listed gets the cent' },
    { total: 100, weights: [1, 1, 1, 0], shares: [34, 33, 33, 0], why: 'a zero weight gets nothing' },
    { total: -100, weights: [1, 1, 1], shares: [-34, -33, -33], why: 'a negative total mirrors the positive split' },
    { total: 1000, weights: [6000, 4000], shares: [600, 400], why: 'exact shares need no rounding' },
    { total: 5, weights: [3, 3, 4], shares: [2, 1, 2], why: 'remainders 0.5, 0.5, 0.0 → one cent left, to the first' },
    { total: 1, weights: [1, 2], shares: [0, 1], why: 'the larger remainder wins' },
    { total: 0, weights: [5, 7], shares: [0, 0], why: 'nothing to split' },
    { total: 123456, weights: [1], shares: [123456], why: 'one contributor takes all' },
  ])('$total over $weights → $shares ($why)', ({ total, weights, shares }) => {
    expect(allocate(total, weights)).toEqual(shares);
  });

  it.each([
    [[], 'au moins un bénéficiaire'],
    [[0, 0], 'les poids sont tous nuls'],
    [[1, -1], 'poids n° 2 : un nombre entier positif ou nul est attendu'],
    [[1.5], 'poids n° 1'],
  ])('refuses weights %j', (weights, message) => {
    expect(() => allocate(100, weights)).toThrow(message);
  });

  const weightsArb = fc
    .array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 1, maxLength: 30 })
    .filter((w) => w.some((x) => x > 0));

  it('shares always sum exactly to the total, each within one cent of its exact value', () => {
    fc.assert(
      fc.property(safeCents, weightsArb, (total, weights) => {
        const shares = allocate(total, weights);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
        const sum = weights.reduce((a, w) => a + BigInt(w), 0n);
        shares.forEach((share, i) => {
          expect(withinOneCent(share, total, weights[i]!, sum)).toBe(true);
          if (weights[i] === 0) expect(share).toBe(0);
        });
      }),
    );
  });

  it('hands the leftover cents to the largest remainders, the first listed on a tie', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), weightsArb, (total, weights) => {
        const detail = allocateDetailed(total, weights);
        expect(detail.recipients).toHaveLength(detail.leftover);
        expect(detail.leftover).toBeLessThan(weights.length);
        const rem = detail.items.map((item) => BigInt(item.remainder));
        for (const winner of detail.recipients) {
          detail.items.forEach((item, j) => {
            if (item.extra === 0) {
              // nobody left out has a larger remainder, nor an equal one listed earlier
              expect(rem[j]! < rem[winner]! || (rem[j] === rem[winner] && j > winner)).toBe(true);
            }
          });
        }
      }),
    );
  });

  it('reversing the sign of the total reverses every share', () => {
    fc.assert(
      fc.property(safeCents, weightsArb, (total, weights) => {
        expect(allocate(-total, weights)).toEqual(allocate(total, weights).map((s) => -s || 0));
      }),
    );
  });
});

describe('VAT', () => {
  // EN 16931 (CEN/TC 434) test set for BR-CO-17, CII syntax: test/cii/BR-CO-17.xml (EUPL 1.2).
  // Numbers read from the file by hand: basis −72,50, rate 19,00 %, stated amount → expected verdict.
  // The Schematron tolerates one currency unit either way; the exact half-up value is −13,78.
  it.each([
    { stated: -1378, accepted: true, note: 'exact: −72,50 × 19 % = −13,775 → −13,78 (half up on the magnitude)' },
    { stated: -1278, accepted: true, note: 'deviates by +1' },
    { stated: -1478, accepted: true, note: 'deviates by −1' },
    { stated: -1277, accepted: false, note: 'deviates by +1,01' },
    { stated: -1479, accepted: false, note: 'deviates by −1,01' },
  ])('BR-CO-17 fixture: basis −72,50 at 19 %, VAT $stated cents → $accepted ($note)', ({ stated, accepted }) => {
    expect(satisfiesBrCo17(-7250, 1900, stated)).toBe(accepted);
  });

  it('computes the BR-CO-17 fixture amount exactly', () => {
    expect(vatAmount(-7250, 1900)).toBe(-1378);
    expect(vatAmount(7250, 1900)).toBe(1378);
  });

  it.each([
    { base: 100_00, bp: 2000, vat: 20_00 },
    { base: 1_05, bp: 550, vat: 6 }, // 5,775 c → 6 c
    { base: 99, bp: 550, vat: 5 }, // 5,445 c → 5 c
    { base: 1_00, bp: 210, vat: 2 }, // 2,1 c → 2 c
    { base: 50, bp: 1000, vat: 5 },
    { base: 25, bp: 2000, vat: 5 },
    { base: 15, bp: 1000, vat: 2 }, // 1,5 c → 2 c (half up)
    { base: -15, bp: 1000, vat: -2 },
    { base: 12_345, bp: 0, vat: 0 },
  ])('$base c at $bp bp → $vat c', ({ base, bp, vat }) => {
    expect(vatAmount(base, bp)).toBe(vat);
    expect(satisfiesBrCo17(base, bp, vat)).toBe(true);
  });

  it('a rate that rounds to 0 % demands a VAT that rounds to 0 (BR-CO-17, first branch)', () => {
    expect(satisfiesBrCo17(10_000, 0, 0)).toBe(true);
    expect(satisfiesBrCo17(10_000, 0, 49)).toBe(true);
    expect(satisfiesBrCo17(10_000, 0, 50)).toBe(false);
  });

  const lineArb = fc.record({ amount: fc.integer({ min: -10_000_000, max: 10_000_000 }), vatRate: fc.constantFrom(...rateCodes) });

  it('VAT per rate is the rounded (Σ lines of that rate) × rate, and totals add up', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 40 }), (lines: VatLine[]) => {
        const totals = totalsOf(lines);
        expect(totals.net).toBe(lines.reduce((a, l) => a + l.amount, 0));
        expect(totals.breakdown.reduce((a, r) => a + r.base, 0)).toBe(totals.net);
        expect(totals.vat).toBe(totals.breakdown.reduce((a, r) => a + r.vat, 0));
        expect(totals.gross).toBe(totals.net + totals.vat);
        for (const row of totals.breakdown) {
          const inRow = lines.filter((l) => {
            const rate = FRENCH_VAT_RATES[l.vatRate]!;
            return rate.category === row.category && parsePercent(rate.percent) === row.basisPoints;
          });
          expect(row.base).toBe(inRow.reduce((a, l) => a + l.amount, 0));
          expect(row.vat).toBe(vatAmount(row.base, row.basisPoints));
          expect(satisfiesBrCo17(row.base, row.basisPoints, row.vat)).toBe(true);
        }
      }),
    );
  });

  it('gives the same breakdown whatever the order of the lines', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 20 }), fc.integer(), (lines, seed) => {
        const shuffled = [...lines].sort((a, b) => ((a.amount * 31 + seed) % 7) - ((b.amount * 31 + seed) % 7));
        expect(vatBreakdown(shuffled).map(({ vatRate: _code, label: _label, ...row }) => row)).toEqual(
          vatBreakdown(lines).map(({ vatRate: _code, label: _label, ...row }) => row),
        );
      }),
    );
  });

  it('groups by category and rate, S first then the 0 % categories', () => {
    const rows = vatBreakdown([
      { amount: 100, vatRate: 'E' },
      { amount: 3, vatRate: 'S-5.5' },
      { amount: 100, vatRate: 'S-20' },
      { amount: 2, vatRate: 'S-5.5' },
      { amount: 200, vatRate: 'S-20' },
    ]);
    expect(rows.map((r) => [r.category, r.percent, r.base, r.vat])).toEqual([
      ['S', '20', 300, 60],
      ['S', '5.5', 5, 0], // 0,275 c → 0 c: VAT is rounded once per rate, not per line
      ['E', '0', 100, 0],
    ]);
    expect(rows[2]!.exemptionReason).toBe('Exonération de TVA');
  });

  it('names an unknown rate code and the configured ones', () => {
    expect(() => vatBreakdown([{ amount: 1, vatRate: 'S-19' }])).toThrow(/^taux de TVA inconnu : « S-19 » \(taux configurés : S-20, S-10/);
  });

  it('every French rate is a valid EN 16931 rate, and invalid ones are explained', () => {
    for (const rate of Object.values(FRENCH_VAT_RATES)) expect(vatRateSchema.safeParse(rate).success).toBe(true);
    const messages = (input: unknown) => vatRateSchema.safeParse(input).error?.issues.map((i) => i.message);
    expect(messages({ category: 'S', percent: '0', label: 'x' })).toEqual([
      'la catégorie S demande un taux supérieur à 0 (sinon Z, E, AE ou O)',
    ]);
    expect(messages({ category: 'E', percent: '0', label: 'x' })).toEqual([
      "la catégorie E demande un motif d'exonération (mention ou code VATEX)",
    ]);
    expect(messages({ category: 'Z', percent: '5', label: 'x' })).toEqual(['la catégorie Z demande un taux de 0 %']);
  });
});

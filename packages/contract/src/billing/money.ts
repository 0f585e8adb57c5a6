import { z } from 'zod';

/**
 * Money for the economic model: euros only, held as integer cents, with every rounding spelled
 * out where it happens. Nothing here uses binary floats for money: `0.1 + 0.2 !== 0.3`, and
 * `2.1 * 100 === 210.00000000000003`, so a VAT rate of 2,1 % kept as a float and multiplied by a
 * base would be off by a cent now and then, and two machines could disagree on a statement.
 * Amounts are integers (exact up to 2^53 − 1 cents, about 90 000 billion euros), rates are integers
 * in basis points (1 bp = 0,01 %, so 5,5 % = 550 bp), and every product goes through BigInt.
 *
 * Pure and I/O-free: shared by the server, the portal and the CLI.
 */

/**
 * An amount in euro cents: a safe integer, possibly negative (credit notes, refunds). A plain
 * number rather than a branded type, so sums and comparisons need no casts; the guards below and
 * `centsSchema` are where untrusted values become `Cents`.
 */
export type Cents = number;

/** A rate in basis points: hundredths of a percent (20 % = 2000, 5,5 % = 550, 2,1 % = 210). */
export type BasisPoints = number;

/** 100 % in basis points. */
export const BASIS_POINTS_PER_UNIT = 10_000;

/** A billing rule broken by its input; the message is French and says what to change. */
export class BillingError extends Error {
  override name = 'BillingError';
  constructor(
    message: string,
    /** The input field at fault, when there is one (`plan.price`, `weights[2]`…). */
    readonly field?: string,
  ) {
    super(message);
  }
}

export function isCents(value: unknown): value is Cents {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Throws a French `BillingError` unless `value` is a whole, safe number of cents. */
export function assertCents(value: unknown, what = 'montant'): asserts value is Cents {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new BillingError(`${what} : un nombre entier de centimes est attendu, pas ${String(value)}`, what);
  }
  if (!Number.isInteger(value)) {
    throw new BillingError(`${what} : ${value} n'est pas un nombre entier de centimes (1,50 € s'écrit 150)`, what);
  }
  if (!Number.isSafeInteger(value)) {
    throw new BillingError(`${what} : ${value} centimes dépasse le plus grand montant représenté exactement`, what);
  }
}

/** A non-negative count (queries, rows, months, credits): a safe integer ≥ 0. */
export function assertCount(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new BillingError(`${what} : un nombre entier positif ou nul est attendu, pas ${String(value)}`, what);
  }
}

/** Zod field for an amount in cents (French messages). */
export const centsSchema = (label = 'montant') =>
  z.int({ error: `${label} : un nombre entier de centimes est attendu (1,50 € s'écrit 150)` });

/** Zod field for a price: cents ≥ 0. */
export const priceSchema = (label = 'prix') => centsSchema(label).min(0, `${label} : un prix ne peut pas être négatif`);

/** Zod field for a count ≥ 0 (queries, rows, months…). */
export const countSchema = (label: string) =>
  z.int({ error: `${label} : un nombre entier est attendu` }).min(0, `${label} : un nombre positif ou nul est attendu`);

// ---------------------------------------------------------------------------------------------
// Rounding

/**
 * `n / d` rounded half away from zero ("half up" on magnitudes), in exact integer arithmetic.
 * This is the rounding EN 16931 asks for (BR-CO-17: "rounded half up"; its Schematron rounds
 * the absolute value), so a credit note rounds exactly as the invoice it cancels: −13,775 → −13,78.
 */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new BillingError('division par un nombre négatif ou nul');
  const q = n / d; // truncated toward zero
  const r = n % d; // same sign as n
  const twice = 2n * (r < 0n ? -r : r);
  if (twice >= d) return n < 0n ? q - 1n : q + 1n;
  return q;
}

/** `floor(n / d)` for d > 0, whatever the sign of n. */
export function divFloor(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

function toCents(value: bigint, what: string): Cents {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new BillingError(`${what} : le résultat dépasse le plus grand montant représenté exactement`, what);
  }
  return Number(value);
}

/** `a × b / d` rounded half away from zero: the one rounding of commercial amounts here. */
export function mulDivHalfUp(a: number, b: number, d: number, what = 'montant'): Cents {
  return toCents(divRoundHalfUp(BigInt(a) * BigInt(b), BigInt(d)), what);
}

/** `a × b / d` rounded down (toward −∞): for caps and quantities that must never be exceeded. */
export function mulDivFloor(a: number, b: number, d: number, what = 'montant'): Cents {
  return toCents(divFloor(BigInt(a) * BigInt(b), BigInt(d)), what);
}

/** A percentage of an amount, rounded half up to the cent (discounts, the association's fee). */
export function percentOf(amount: Cents, rate: BasisPoints): Cents {
  return mulDivHalfUp(amount, rate, BASIS_POINTS_PER_UNIT);
}

export function sumCents(amounts: readonly Cents[]): Cents {
  return toCents(
    amounts.reduce((sum, a) => sum + BigInt(a), 0n),
    'somme',
  );
}

// ---------------------------------------------------------------------------------------------
// Rates as exact decimals

const PERCENT_TEXT = /^(\d{1,3})(?:[.,](\d{1,2}))?$/;

/**
 * A percentage written as a decimal ("5,5", "5.5", "20", or the JSON number 5.5) → basis points,
 * exactly; null if it is not a percentage between 0 and 100 with at most two decimals. A number is
 * read through its shortest decimal spelling (`String(5.5) === "5.5"`), so a float that is not the
 * decimal it looks like (`0.1 + 0.2`) is refused rather than silently rounded.
 */
export function tryParsePercent(value: string | number): BasisPoints | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const match = PERCENT_TEXT.exec(text);
  if (!match) return null;
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return bp <= BASIS_POINTS_PER_UNIT ? bp : null;
}

export function parsePercent(value: string | number, what = 'pourcentage'): BasisPoints {
  const bp = tryParsePercent(value);
  if (bp === null) {
    throw new BillingError(
      `${what} : pourcentage entre 0 et 100 attendu, deux décimales au plus (par exemple 5,5), pas ${String(value)}`,
      what,
    );
  }
  return bp;
}

/** Basis points → the canonical decimal text of the percentage ("5.5", "20", "2.1"). */
export function percentText(bp: BasisPoints): string {
  const whole = Math.trunc(bp / 100);
  const frac = bp % 100;
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

/**
 * Zod field for a percentage: accepts "5,5", "5.5" or 5.5, outputs the canonical text "5.5"
 * (so parsing its own output gives it back). Convert with `parsePercent` to compute.
 */
export const percentSchema = (label = 'pourcentage') =>
  z.union([z.string(), z.number()], { error: `${label} : pourcentage attendu (par exemple 5,5)` }).transform((value, ctx) => {
    const bp = tryParsePercent(value);
    if (bp === null) {
      ctx.addIssue({
        code: 'custom',
        message: `${label} : pourcentage entre 0 et 100 attendu, deux décimales au plus (par exemple 5,5)`,
      });
      return z.NEVER;
    }
    return percentText(bp);
  });

// ---------------------------------------------------------------------------------------------
// French formatting and parsing

/** U+202F, the group separator of fr-FR numbers in Intl (CLDR). */
export const NARROW_NO_BREAK_SPACE = '\u202f';
/** U+00A0, between a number and "€" or "%" in fr-FR. */
export const NO_BREAK_SPACE = '\u00a0';

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, NARROW_NO_BREAK_SPACE);
}

/**
 * `123456` → "1 234,56 €", as `Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' })`
 * writes it (narrow no-break spaces between thousands, a no-break space before €), but from the
 * integer itself: no division by 100 in floating point, and the same output on a Node built
 * without full ICU.
 */
export function formatEuros(amount: Cents): string {
  assertCents(amount);
  const digits = String(Math.abs(amount)).padStart(3, '0');
  const euros = groupThousands(digits.slice(0, -2));
  return `${amount < 0 ? '-' : ''}${euros},${digits.slice(-2)}${NO_BREAK_SPACE}€`;
}

/** `550` → "5,5 %" (fr-FR, no-break space before %). */
export function formatPercent(bp: BasisPoints): string {
  return `${percentText(bp).replace('.', ',')}${NO_BREAK_SPACE}%`;
}

/** An integer in fr-FR ("1 000 000"), for quantities in sentences. */
export function formatInteger(value: number | bigint): string {
  const text = String(value);
  const negative = text.startsWith('-');
  return `${negative ? '-' : ''}${groupThousands(negative ? text.slice(1) : text)}`;
}

/**
 * What a person types for an amount in euros ("1 234,56", "1234.5", "12 €", "-3,10") → cents,
 * exactly. More than two decimals is an error rather than a silent rounding.
 */
export function parseEuros(text: string, what = 'montant'): Cents {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '').replace(/€$/, '');
  const match = /^([+-]?)(\d+)(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) {
    throw new BillingError(`${what} : montant en euros attendu, deux décimales au plus (par exemple 1 234,56), pas « ${text} »`, what);
  }
  const cents = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return toCents(match[1] === '-' ? -cents : cents, what);
}

// ---------------------------------------------------------------------------------------------
// Allocation by largest remainder

export interface AllocationItem {
  weight: number;
  /** `floor(total × weight / Σweights)` (on the magnitude of the total). */
  floor: Cents;
  /** What the floor left out, as a fraction of a cent: `remainder / denominator` (decimal text, may exceed 2^53). */
  remainder: string;
  /** 1 when this item received one of the cents the floors left over. */
  extra: 0 | 1;
  share: Cents;
}

export interface Allocation {
  total: Cents;
  /** Σweights, the denominator of every exact share (decimal text). */
  denominator: string;
  items: AllocationItem[];
  /** Cents left once every floor was taken, handed out one by one. */
  leftover: number;
  /** Indexes of the items that received them, in the order they were handed out. */
  recipients: number[];
}

/**
 * Splits `total` cents in proportion to `weights` by the largest-remainder (Hamilton) method:
 * each share starts at the floor of its exact value; the cents left over (fewer than the number
 * of weights) go one each to the largest remainders. So the shares sum to the total exactly and
 * each differs from its exact value by less than one cent; a zero weight gets nothing.
 *
 * Ties between equal remainders go to the item listed first: deterministic, and the caller
 * decides what "first" means (fair-share sorts nothing; it keeps the order the partners agreed).
 * A negative total is split as its magnitude and negated, so a credit note reverses a split
 * cent for cent.
 */
export function allocateDetailed(total: Cents, weights: readonly number[]): Allocation {
  assertCents(total, 'total');
  if (weights.length === 0) throw new BillingError('répartition : au moins un bénéficiaire est attendu', 'weights');
  weights.forEach((w, i) => assertCount(w, `poids n° ${i + 1}`));
  const denominator = weights.reduce((sum, w) => sum + BigInt(w), 0n);
  if (denominator === 0n) throw new BillingError('répartition : les poids sont tous nuls, rien ne permet de répartir', 'weights');
  const sign = total < 0 ? -1 : 1;
  const magnitude = BigInt(Math.abs(total));
  const exact = weights.map((w) => magnitude * BigInt(w));
  const floors = exact.map((e) => e / denominator);
  const remainders = exact.map((e) => e % denominator);
  const leftover = Number(magnitude - floors.reduce((sum, f) => sum + f, 0n));
  const order = weights.map((_, i) => i);
  order.sort((a, b) => {
    const ra = remainders[a]!;
    const rb = remainders[b]!;
    return ra === rb ? a - b : ra > rb ? -1 : 1;
  });
  const recipients = order.slice(0, leftover);
  const extra = new Set(recipients);
  const items = weights.map((weight, i): AllocationItem => {
    const plus: 0 | 1 = extra.has(i) ? 1 : 0;
    const floor = Number(floors[i]!);
    return { weight, floor: sign * floor, remainder: String(remainders[i]!), extra: plus, share: sign * (floor + plus) || 0 };
  });
  for (const item of items) item.floor ||= 0; // no -0
  return { total, denominator: String(denominator), items, leftover, recipients };
}

/** The shares of `allocateDetailed`: they always sum to `total`. */
export function allocate(total: Cents, weights: readonly number[]): Cents[] {
  return allocateDetailed(total, weights).items.map((item) => item.share);
}

// ---------------------------------------------------------------------------------------------
// VAT

/**
 * EN 16931 VAT category codes (BT-118, from UNTDID 5305) a French seller of data services uses:
 * S standard rate, Z zero rate, E exempt, AE reverse charge, K intra-community supply, G export
 * outside the EU, O outside the scope of VAT.
 */
export const VAT_CATEGORY_CODES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'] as const;
export type VatCategory = (typeof VAT_CATEGORY_CODES)[number];

export const VAT_CATEGORY_LABEL: Record<VatCategory, string> = {
  S: 'taux normal ou réduit',
  Z: 'taux zéro',
  E: 'exonéré',
  AE: 'autoliquidation',
  K: 'livraison intracommunautaire',
  G: 'exportation hors UE',
  O: 'hors champ de la TVA',
};

/** Categories whose invoices must give an exemption reason (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10). */
const NEEDS_EXEMPTION_REASON: ReadonlySet<VatCategory> = new Set(['E', 'AE', 'K', 'G', 'O']);

export const vatRateSchema = z
  .object({
    category: z.enum(VAT_CATEGORY_CODES, { error: 'catégorie de TVA EN 16931 attendue : S, Z, E, AE, K, G ou O' }),
    percent: percentSchema('taux de TVA'),
    label: z.string().trim().min(1, 'libellé du taux attendu').max(100),
    /** BT-120, required for every category but S and Z. */
    exemptionReason: z.string().trim().max(300).nullable().default(null),
    /** BT-121, a VATEX code (CEF list), e.g. VATEX-EU-AE. */
    exemptionCode: z
      .string()
      .regex(/^VATEX-[A-Z0-9-]+$/, 'code VATEX attendu (par exemple VATEX-EU-AE)')
      .nullable()
      .default(null),
  })
  .strict()
  .superRefine((rate, ctx) => {
    const bp = tryParsePercent(rate.percent) ?? 0;
    // BR-S-05: a standard-rated line has a rate above zero; BR-Z-05, BR-E-05, BR-AE-05… the others are at 0 %.
    if (rate.category === 'S' && bp === 0) {
      ctx.addIssue({ code: 'custom', path: ['percent'], message: 'la catégorie S demande un taux supérieur à 0 (sinon Z, E, AE ou O)' });
    }
    if (rate.category !== 'S' && bp !== 0) {
      ctx.addIssue({ code: 'custom', path: ['percent'], message: `la catégorie ${rate.category} demande un taux de 0 %` });
    }
    if (NEEDS_EXEMPTION_REASON.has(rate.category) && !rate.exemptionReason && !rate.exemptionCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['exemptionReason'],
        message: `la catégorie ${rate.category} demande un motif d'exonération (mention ou code VATEX)`,
      });
    }
  });
export type VatRate = z.output<typeof vatRateSchema>;

export const vatRateCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{1,20}$/, 'code de taux de TVA attendu (par exemple S-20)');

/** The table of VAT rates an operator configures: code → rate. */
export const vatRateTableSchema = z.record(vatRateCodeSchema, vatRateSchema);
export type VatRateTable = Record<string, VatRate>;

/**
 * French VAT rates (CGI art. 278 ff.): normal 20 %, intermediate 10 %, reduced 5,5 %, special
 * 2,1 %, and the 0 % cases an invoice must label. The default table; operators may replace it.
 */
export const FRENCH_VAT_RATES: VatRateTable = Object.freeze({
  'S-20': { category: 'S', percent: '20', label: 'TVA 20 % (taux normal)', exemptionReason: null, exemptionCode: null },
  'S-10': { category: 'S', percent: '10', label: 'TVA 10 % (taux intermédiaire)', exemptionReason: null, exemptionCode: null },
  'S-5.5': { category: 'S', percent: '5.5', label: 'TVA 5,5 % (taux réduit)', exemptionReason: null, exemptionCode: null },
  'S-2.1': { category: 'S', percent: '2.1', label: 'TVA 2,1 % (taux particulier)', exemptionReason: null, exemptionCode: null },
  Z: { category: 'Z', percent: '0', label: 'TVA 0 % (taux zéro)', exemptionReason: null, exemptionCode: null },
  E: { category: 'E', percent: '0', label: 'Exonéré de TVA', exemptionReason: 'Exonération de TVA', exemptionCode: null },
  AE: {
    category: 'AE',
    percent: '0',
    label: 'Autoliquidation',
    exemptionReason: 'Autoliquidation',
    exemptionCode: 'VATEX-EU-AE',
  },
  O: {
    category: 'O',
    percent: '0',
    label: 'Hors champ de la TVA',
    exemptionReason: "Hors champ d'application de la TVA",
    exemptionCode: 'VATEX-EU-O',
  },
});

export const DEFAULT_VAT_RATE = 'S-20';

export function vatRateOf(code: string, table: VatRateTable = FRENCH_VAT_RATES): VatRate {
  const rate = Object.hasOwn(table, code) ? table[code] : undefined;
  if (!rate) {
    throw new BillingError(`taux de TVA inconnu : « ${code} » (taux configurés : ${Object.keys(table).join(', ')})`, 'vatRate');
  }
  return rate;
}

/**
 * VAT on a taxable base: base × rate, rounded half up to the cent (EN 16931 BR-CO-17: BT-117 =
 * BT-116 × BT-119 / 100, "rounded half up to two decimals"). Computed once per rate on the sum of
 * the lines, never line by line, so the VAT on 3 × 0,05 € is the VAT of 0,15 €.
 */
export function vatAmount(base: Cents, rate: BasisPoints): Cents {
  assertCents(base, 'base');
  return mulDivHalfUp(base, rate, BASIS_POINTS_PER_UNIT, 'TVA');
}

/**
 * The EN 16931 Schematron's own check of BR-CO-17: the stated VAT is accepted when it lies within
 * one currency unit (1,00 €, not 1 cent) of |base| × rate rounded half up, and a rate that rounds to
 * 0 % needs a VAT that rounds to 0. `vatAmount` always gives the exactly rounded amount; this is
 * for checking amounts that come from elsewhere, and for testing against the official fixtures.
 */
export function satisfiesBrCo17(base: Cents, rate: BasisPoints, stated: Cents): boolean {
  // XPath round(x) = floor(x + 0.5); in cents, round(rate / 100) = 0 ⇔ rate < 50 bp and round(amount) = 0 ⇔ −50 ≤ cents < 50.
  const roundsToZero = (c: number) => c >= -50 && c < 50;
  if (rate < 50) return roundsToZero(stated);
  const expected = vatAmount(Math.abs(base), rate);
  const abs = Math.abs(stated);
  return abs - 100 <= expected && abs + 100 >= expected;
}

export interface VatLine {
  /** The line's net amount (BT-131). */
  amount: Cents;
  /** A code of the rate table. */
  vatRate: string;
}

/** One row of the VAT breakdown (BG-23). */
export interface VatBreakdownRow {
  /** BT-118 */
  category: VatCategory;
  /** BT-119, canonical decimal text ("5.5"). */
  percent: string;
  basisPoints: BasisPoints;
  /** The code of the first line's rate in this row (its label is shown). */
  vatRate: string;
  label: string;
  /** BT-116: the sum of the lines' net amounts at this category and rate. */
  base: Cents;
  /** BT-117: `vatAmount(base, rate)`. */
  vat: Cents;
  /** BT-120 / BT-121 */
  exemptionReason: string | null;
  exemptionCode: string | null;
}

/**
 * The VAT breakdown of a list of lines: one row per (category, rate), as EN 16931 requires
 * (BR-CO-18; BT-116 = Σ line amounts of that category and rate, BT-117 rounded from it). Rows are
 * ordered by category (S, Z, E, AE, K, G, O) then by rate, highest first, whatever the order of
 * the lines, so the same lines always give the same breakdown.
 */
export function vatBreakdown(lines: readonly VatLine[], table: VatRateTable = FRENCH_VAT_RATES): VatBreakdownRow[] {
  const rows = new Map<string, VatBreakdownRow & { sum: bigint }>();
  lines.forEach((line, i) => {
    assertCents(line.amount, `ligne ${i + 1} : montant`);
    const rate = vatRateOf(line.vatRate, table);
    const bp = parsePercent(rate.percent, 'taux de TVA');
    const key = `${rate.category}:${bp}`;
    const row = rows.get(key);
    if (row) row.sum += BigInt(line.amount);
    else {
      rows.set(key, {
        category: rate.category,
        percent: percentText(bp),
        basisPoints: bp,
        vatRate: line.vatRate,
        label: rate.label,
        base: 0,
        vat: 0,
        exemptionReason: rate.exemptionReason,
        exemptionCode: rate.exemptionCode,
        sum: BigInt(line.amount),
      });
    }
  });
  return [...rows.values()]
    .sort((a, b) => VAT_CATEGORY_CODES.indexOf(a.category) - VAT_CATEGORY_CODES.indexOf(b.category) || b.basisPoints - a.basisPoints)
    .map(({ sum, ...row }) => {
      const base = toCents(sum, 'base de TVA');
      return { ...row, base, vat: vatAmount(base, row.basisPoints) };
    });
}

export interface Totals {
  /** BT-106 / BT-109: Σ line net amounts (no document-level allowances or charges here). */
  net: Cents;
  /** BT-110: Σ VAT of the breakdown rows. */
  vat: Cents;
  /** BT-112: net + VAT. */
  gross: Cents;
  breakdown: VatBreakdownRow[];
}

/** Net, VAT per rate and gross totals of a list of lines. */
export function totalsOf(lines: readonly VatLine[], table: VatRateTable = FRENCH_VAT_RATES): Totals {
  const breakdown = vatBreakdown(lines, table);
  const net = sumCents(lines.map((l) => l.amount));
  const vat = sumCents(breakdown.map((r) => r.vat));
  return { net, vat, gross: sumCents([net, vat]), breakdown };
}

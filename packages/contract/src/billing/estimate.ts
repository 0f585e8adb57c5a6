import { z } from 'zod';
import {
  assertCount,
  BillingError,
  countSchema,
  formatEuros,
  formatInteger,
  formatPercent,
  FRENCH_VAT_RATES,
  mulDivHalfUp,
  parsePercent,
  percentOf,
  percentText,
  totalsOf,
  vatRateOf,
  type BasisPoints,
  type Cents,
  type Totals,
  type VatCategory,
  type VatRateTable,
} from './money';
import { applicablePrice, UNITS_BASE_QUANTITY, type AppliedTariff, type PaidPlan, type Party, type Plan, type PricedUnit } from './plans';

/**
 * What a consumer will pay for a given use of an offer, before it queries or signs: the same
 * arithmetic a statement applies to the metered use, so an estimate and the statement for the
 * same use agree to the cent.
 */

export const usageSchema = z
  .object({
    queries: countSchema('nombre de requêtes').default(0),
    /** Rows or cells delivered, whichever the plan counts. */
    units: countSchema('unités livrées').default(0),
    months: countSchema("mois d'abonnement").default(0),
  })
  .strict();
export type Usage = z.output<typeof usageSchema>;

/** UN/ECE Recommendation 20 unit codes for BT-130: C62 "one" (a query, a row), MON month. */
export type UnitCode = 'C62' | 'MON';

export interface PricedLine {
  kind: 'queries' | 'units' | 'subscription' | 'extra_queries';
  /** French label of the line (BT-153 item name). */
  label: string;
  /** BT-129 */
  quantity: number;
  unitCode: UnitCode;
  /** French name of the unit, singular ("requête", "ligne", "cellule", "mois"). */
  unitLabel: string;
  /** Price per `baseQuantity` units (BT-146), in cents. */
  unitPrice: Cents;
  /** BT-149: 1, or 1 000 for rows and cells. */
  baseQuantity: number;
  /** quantity × unitPrice / baseQuantity, rounded half up to the cent. */
  grossAmount: Cents;
  /** The member discount as a line allowance (BG-27), when there is one. */
  discount: { percent: string; amount: Cents; reason: string } | null;
  /** BT-131: grossAmount − discount. */
  amount: Cents;
  /** Code in the rate table; category and percent as on the invoice (BT-151, BT-152). */
  vatRate: string;
  vatCategory: VatCategory;
  vatPercent: string;
}

export interface Estimate {
  kind: Plan['kind'];
  /** The price applied and why; null for a free plan. */
  tariff: AppliedTariff | null;
  lines: PricedLine[];
  totals: Totals;
  /** French remarks the consumer should read (quota exceeded, nothing to pay…). */
  notes: string[];
}

export interface EstimateOptions {
  vatRates?: VatRateTable;
}

const UNIT_LABEL: Record<PricedUnit, [string, string]> = { rows: ['ligne', 'lignes'], cells: ['cellule', 'cellules'] };

function line(
  kind: PricedLine['kind'],
  label: string,
  quantity: number,
  unit: { code: UnitCode; label: string; base: number },
  unitPrice: Cents,
  discount: BasisPoints,
  vat: { code: string; category: VatCategory; percent: string },
): PricedLine {
  // The line's amount is rounded once, half up (BR-DEC-23: two decimals), from the exact product.
  const grossAmount = mulDivHalfUp(quantity, unitPrice, unit.base, label);
  // The discount is rounded half up on the line's gross amount (BT-136 = BT-137 × BT-138 / 100).
  const discountAmount = percentOf(grossAmount, discount);
  return {
    kind,
    label,
    quantity,
    unitCode: unit.code,
    unitLabel: unit.label,
    unitPrice,
    baseQuantity: unit.base,
    grossAmount,
    discount:
      discount > 0 && grossAmount !== 0
        ? { percent: percentText(discount), amount: discountAmount, reason: `Remise adhérent ${formatPercent(discount)}` }
        : null,
    amount: grossAmount - (discount > 0 ? discountAmount : 0),
    vatRate: vat.code,
    vatCategory: vat.category,
    vatPercent: vat.percent,
  };
}

/**
 * Prices a use of an offer for a party. `usage.queries` counts queries, `usage.units` the rows or
 * cells delivered (the plan says which), `usage.months` the months of subscription. Throws a
 * French `BillingError` on an invalid usage or an unknown VAT rate.
 */
export function estimate(plan: Plan, usage: Usage, party: Party, options: EstimateOptions = {}): Estimate {
  assertCount(usage.queries, 'nombre de requêtes');
  assertCount(usage.units, 'unités livrées');
  assertCount(usage.months, "mois d'abonnement");
  const table = options.vatRates ?? FRENCH_VAT_RATES;
  if (plan.kind === 'free') {
    return { kind: 'free', tariff: null, lines: [], totals: totalsOf([], table), notes: ['Offre gratuite : rien à payer.'] };
  }
  const rate = vatRateOf(plan.vatRate, table);
  const vat = { code: plan.vatRate, category: rate.category, percent: rate.percent };
  const tariff = applicablePrice(plan, party);
  const discount = party.member ? parsePercent(plan.memberDiscount, 'remise adhérent') : 0;
  const lines: PricedLine[] = [];
  const notes: string[] = [];
  const suffix = tariff.tariff === 'base' ? '' : ` (${tariff.reason})`;
  const perOne = { code: 'C62' as const, label: 'requête', base: 1 };

  switch (plan.kind) {
    case 'per_query':
      lines.push(line('queries', `Requêtes${suffix}`, usage.queries, perOne, tariff.price, discount, vat));
      break;
    case 'per_units': {
      const [one, many] = UNIT_LABEL[plan.unit];
      lines.push(
        line(
          'units',
          `${many[0]!.toUpperCase()}${many.slice(1)} livrées, par ${formatInteger(UNITS_BASE_QUANTITY)}${suffix}`,
          usage.units,
          { code: 'C62', label: one, base: UNITS_BASE_QUANTITY },
          tariff.price,
          discount,
          vat,
        ),
      );
      break;
    }
    case 'subscription':
      lines.push(
        line(
          'subscription',
          `Abonnement mensuel${suffix}`,
          usage.months,
          { code: 'MON', label: 'mois', base: 1 },
          tariff.price,
          discount,
          vat,
        ),
      );
      notes.push(...subscriptionQuota(plan, usage, discount, vat, lines));
      break;
    default:
      plan satisfies never;
      throw new BillingError('type de tarif inconnu');
  }
  const totals = totalsOf(lines, table);
  if (totals.gross === 0) notes.push('Rien à payer pour cet usage.');
  return { kind: plan.kind, tariff, lines, totals, notes };
}

function subscriptionQuota(
  plan: Extract<PaidPlan, { kind: 'subscription' }>,
  usage: Usage,
  discount: BasisPoints,
  vat: { code: string; category: VatCategory; percent: string },
  lines: PricedLine[],
): string[] {
  if (plan.includedQueries === null) return [];
  const included = plan.includedQueries * usage.months;
  const extra = usage.queries - included;
  if (extra <= 0) return [];
  if (plan.extraQueryPrice === null) {
    return [
      `Quota dépassé : ${formatInteger(usage.queries)} requêtes pour ${formatInteger(included)} incluses ` +
        `(${formatInteger(plan.includedQueries)} par mois sur ${usage.months} mois) ; l'offre ne prévoit pas de requêtes au-delà du forfait.`,
    ];
  }
  lines.push(
    line(
      'extra_queries',
      'Requêtes au-delà du forfait',
      extra,
      { code: 'C62', label: 'requête', base: 1 },
      plan.extraQueryPrice,
      discount,
      vat,
    ),
  );
  return [
    `${formatInteger(extra)} requêtes au-delà des ${formatInteger(included)} incluses, à ${formatEuros(plan.extraQueryPrice)} l'unité.`,
  ];
}

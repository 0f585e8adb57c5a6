import { z } from 'zod';
import type { OrganisationCategory } from '../members';
import { byCategorySchema } from './plans';
import {
  assertCents,
  assertCount,
  DEFAULT_VAT_RATE,
  formatEuros,
  formatPercent,
  mulDivHalfUp,
  parsePercent,
  percentOf,
  percentSchema,
  priceSchema,
  vatRateCodeSchema,
  type BasisPoints,
  type Cents,
} from './money';

/**
 * The association's own income, as the operator configures it: a percentage of what providers
 * earn through the node, and membership dues by category of member. The association invoices both
 * in its own name and numbering sequence (the providers' invoices are issued under mandate).
 */

const categoryFeeSchema = z
  .object({
    /** Replaces the default percentage for providers of this category. */
    percent: percentSchema('commission pour cette catégorie').optional(),
    /** Yearly membership dues, in cents. */
    annualDues: priceSchema('cotisation annuelle').optional(),
  })
  .strict();

export const feeScheduleSchema = z
  .object({
    /** Percentage of the provider's net (excluding VAT) the association keeps. */
    percent: percentSchema('commission').default('0'),
    byCategory: byCategorySchema(categoryFeeSchema).default({}),
    /** VAT rate of the association's fee invoices. */
    vatRate: vatRateCodeSchema.default(DEFAULT_VAT_RATE),
    /** VAT rate of membership dues (often exempt or out of scope: the operator decides). */
    duesVatRate: vatRateCodeSchema.default('O'),
  })
  .strict();
export type FeeSchedule = z.output<typeof feeScheduleSchema>;

export interface FeeComputation {
  /** The rate applied, in basis points. */
  rate: BasisPoints;
  /** The provider's net the fee is taken on. */
  base: Cents;
  /** base × rate, rounded half up to the cent. */
  fee: Cents;
  /** What the provider keeps: base − fee. */
  providerNet: Cents;
  vatRate: string;
  /** The computation in one French sentence. */
  explanation: string;
}

export function feeRate(schedule: FeeSchedule, category: OrganisationCategory): BasisPoints {
  return parsePercent(schedule.byCategory[category]?.percent ?? schedule.percent, 'commission');
}

/**
 * The association's fee on a provider's net earnings (excluding VAT) over a statement. Taken once
 * on the statement's total, rounded half up, rather than per line: per-line rounding of 0,05 €
 * queries would drift by up to half a cent a line.
 */
export function computeFee(schedule: FeeSchedule, providerNet: Cents, category: OrganisationCategory): FeeComputation {
  assertCents(providerNet, 'revenu net du fournisseur');
  const rate = feeRate(schedule, category);
  const fee = percentOf(providerNet, rate);
  return {
    rate,
    base: providerNet,
    fee,
    providerNet: providerNet - fee,
    vatRate: schedule.vatRate,
    explanation:
      `Commission de l'association : ${formatPercent(rate)} de ${formatEuros(providerNet)} HT = ${formatEuros(fee)} ` +
      `(arrondi au centime le plus proche, demi-centime vers le haut) ; le fournisseur conserve ${formatEuros(providerNet - fee)} HT.`,
  };
}

/**
 * Membership dues of a member of `category` for `months` months: the yearly dues × months / 12,
 * rounded half up (12 months give the yearly amount exactly). Zero when the category has none.
 */
export function membershipDues(schedule: FeeSchedule, category: OrganisationCategory, months = 12): Cents {
  assertCount(months, 'nombre de mois');
  const annual = schedule.byCategory[category]?.annualDues ?? 0;
  return mulDivHalfUp(annual, months, 12, 'cotisation');
}

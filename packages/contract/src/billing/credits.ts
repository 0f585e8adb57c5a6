import { z } from 'zod';
import {
  assertCents,
  assertCount,
  BillingError,
  countSchema,
  formatEuros,
  formatInteger,
  mulDivFloor,
  parsePercent,
  percentSchema,
  priceSchema,
  type Cents,
} from './money';

/**
 * Contribution credits ("give to get"): a provider earns credits when its data is used, and spends
 * them on other members' data at a value the operator sets. This is the arithmetic only; balances
 * live in the ledger, which records every credit earned and spent.
 *
 * Credits are whole numbers. Earning rounds down (a fraction of a credit is never awarded, so the
 * sum over a period is computed on the period's total use, not per query); spending uses whole
 * credits and never covers more than the amount due nor the operator's cap, so a consumer never
 * loses the value of a credit to rounding.
 */

export const creditRulesSchema = z
  .object({
    /** Credits earned per query run on the provider's data. */
    earnPerQuery: countSchema('crédits par requête').default(0),
    /** Credits earned per 1 000 rows or cells of the provider's data delivered. */
    earnPer1000Units: countSchema('crédits par 1 000 unités').default(0),
    /** What one credit pays for when spent, in cents. */
    creditValue: priceSchema("valeur d'un crédit").min(1, "valeur d'un crédit : au moins 1 centime"),
    /** The largest share of an amount due that credits may pay. */
    maxCoverPercent: percentSchema('part payable en crédits').default('100'),
  })
  .strict();
export type CreditRules = z.output<typeof creditRulesSchema>;

export interface CreditsEarned {
  credits: number;
  explanation: string;
}

/** Credits a provider earns for a period's use of its data: queries × rate + ⌊units × rate / 1 000⌋. */
export function earnedCredits(rules: CreditRules, used: { queries: number; units: number }): CreditsEarned {
  assertCount(used.queries, 'nombre de requêtes');
  assertCount(used.units, 'unités livrées');
  const fromQueries = used.queries * rules.earnPerQuery;
  const fromUnits = mulDivFloor(used.units, rules.earnPer1000Units, 1000, 'crédits');
  const credits = fromQueries + fromUnits;
  if (!Number.isSafeInteger(credits)) throw new BillingError('crédits : le résultat dépasse le plus grand nombre représenté exactement');
  return {
    credits,
    explanation:
      `${formatInteger(used.queries)} requêtes × ${rules.earnPerQuery} + ${formatInteger(used.units)} unités × ${rules.earnPer1000Units} / 1 000 ` +
      `(arrondi à l'entier inférieur) = ${formatInteger(credits)} crédits.`,
  };
}

export interface CreditsSpent {
  /** Whole credits used. */
  spent: number;
  /** What they pay: spent × creditValue (EN 16931 BT-113, paid amount). */
  covered: Cents;
  /** What is left to pay (BT-115). */
  due: Cents;
  balanceAfter: number;
  explanation: string;
}

/**
 * Pays part of `amountDue` (VAT included) with credits from `balance`. Credits are a means of
 * payment: they lower the amount due, never the net or the VAT of the invoice.
 */
export function spendCredits(rules: CreditRules, balance: number, amountDue: Cents): CreditsSpent {
  assertCount(balance, 'solde de crédits');
  assertCents(amountDue, 'montant dû');
  const capPercent = parsePercent(rules.maxCoverPercent, 'part payable en crédits');
  // The cap rounds down: credits may pay at most maxCoverPercent of the amount, never a cent more.
  const cap = amountDue > 0 ? mulDivFloor(amountDue, capPercent, 10_000) : 0;
  const spent = Math.min(balance, mulDivFloor(cap, 1, rules.creditValue));
  const covered = spent * rules.creditValue;
  return {
    spent,
    covered,
    due: amountDue - covered,
    balanceAfter: balance - spent,
    explanation:
      spent === 0
        ? `Aucun crédit utilisé : reste à payer ${formatEuros(amountDue)}.`
        : `${formatInteger(spent)} crédits à ${formatEuros(rules.creditValue)} paient ${formatEuros(covered)} ` +
          `sur ${formatEuros(amountDue)} ; reste à payer ${formatEuros(amountDue - covered)}.`,
  };
}

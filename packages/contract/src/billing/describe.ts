import { ORGANISATION_CATEGORIES, type OrganisationCategory } from '../members';
import { FRENCH_VAT_RATES, formatEuros, formatInteger, formatPercent, parsePercent, type Cents, type VatRateTable } from './money';
import { UNITS_BASE_QUANTITY, type PaidPlan, type Plan } from './plans';

/**
 * A plan in French, for offer cards, the CLI and the contract preview: one line for the price
 * (« 0,50 € HT par requête ») and one per override (category prices, public-interest price,
 * member discount, VAT). Amounts go through `formatEuros`, so every screen writes them alike.
 */
export interface PlanDescription {
  /** « Gratuit », « 0,50 € HT par requête », « 300,00 € HT par mois, 1 000 requêtes incluses »… */
  summary: string;
  /** The overrides and the VAT rate, one sentence each; empty for a free plan. */
  details: string[];
}

const CATEGORY_NAME: Record<OrganisationCategory, string> = {
  public_body: 'Organismes publics',
  research: 'Recherche',
  company: 'Entreprises',
  association: 'Associations',
};

/** « 0,50 € HT par requête »: a price of this plan's unit. */
export function priceText(plan: PaidPlan, price: Cents): string {
  const euros = `${formatEuros(price)} HT`;
  switch (plan.kind) {
    case 'per_query':
      return `${euros} par requête`;
    case 'per_units':
      return `${euros} les ${formatInteger(UNITS_BASE_QUANTITY)} ${plan.unit === 'rows' ? 'lignes' : 'cellules'}`;
    case 'subscription':
      return `${euros} par mois`;
  }
}

export function describePlan(plan: Plan, vatRates: VatRateTable = FRENCH_VAT_RATES): PlanDescription {
  if (plan.kind === 'free') return { summary: 'Gratuit', details: [] };
  let summary = priceText(plan, plan.price);
  if (plan.kind === 'subscription') {
    summary +=
      plan.includedQueries === null
        ? ', requêtes illimitées'
        : `, ${formatInteger(plan.includedQueries)} requête${plan.includedQueries > 1 ? 's' : ''} incluse${plan.includedQueries > 1 ? 's' : ''}`;
    if (plan.includedQueries !== null) {
      summary += plan.extraQueryPrice === null ? ' (aucune au-delà)' : `, puis ${formatEuros(plan.extraQueryPrice)} HT par requête au-delà`;
    }
  }
  const details: string[] = [];
  for (const category of ORGANISATION_CATEGORIES) {
    const price = plan.categoryPrices[category];
    if (price !== undefined) details.push(`${CATEGORY_NAME[category]} : ${priceText(plan, price)}`);
  }
  if (plan.publicInterestPrice !== null) details.push(`Finalité d’intérêt public : ${priceText(plan, plan.publicInterestPrice)}`);
  const discount = parsePercent(plan.memberDiscount, 'remise adhérent');
  if (discount > 0) details.push(`Remise adhérent : ${formatPercent(discount)}`);
  const rate = Object.hasOwn(vatRates, plan.vatRate) ? vatRates[plan.vatRate] : undefined;
  details.push(`TVA : ${rate ? rate.label : plan.vatRate}`);
  return { summary, details };
}

import { z } from 'zod';
import { ORGANISATION_CATEGORIES, type OrganisationCategory } from '../members';
import { DEFAULT_VAT_RATE, countSchema, percentSchema, priceSchema, vatRateCodeSchema, type Cents } from './money';

/**
 * Price plans: what a steward attaches to an offer. Prices are integer cents (`money.ts`);
 * percentages are canonical decimal text ("12.5"). A plan prices one thing — queries, units of
 * data delivered, or months of subscription — at a base price, with optional overrides:
 *
 * - `categoryPrices`: the price for one category of party (public body, research, company,
 *   association), replacing the base price, higher or lower;
 * - `publicInterestPrice`: the price when the consumer's declared purpose is one of public
 *   interest; it applies only when lower than the price the party would otherwise pay;
 * - `memberDiscount`: a percentage off for members of the association, shown as a line allowance.
 */

export const PLAN_KINDS = ['free', 'per_query', 'per_units', 'subscription'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export const PLAN_KIND_LABEL: Record<PlanKind, string> = {
  free: 'Gratuit',
  per_query: 'À la requête',
  per_units: 'Au volume livré (par 1 000)',
  subscription: 'Abonnement mensuel',
};

/** What a `per_units` plan counts: result rows delivered, or cells (rows × columns). */
export const PRICED_UNITS = ['rows', 'cells'] as const;
export type PricedUnit = (typeof PRICED_UNITS)[number];

/** Units are priced per this many (EN 16931 BT-149, the item price base quantity). */
export const UNITS_BASE_QUANTITY = 1000;

const CATEGORY_CHOICES = 'public_body, research, company ou association';

/** A record keyed by party category, some categories only; unknown keys are named in French. */
export const byCategorySchema = <T extends z.ZodType>(value: T) =>
  z.partialRecord(z.enum(ORGANISATION_CATEGORIES, { error: `catégorie inconnue : ${CATEGORY_CHOICES}` }), value, {
    // zod types the record's own issues without `unrecognized_keys`, which a partial record over an enum raises.
    error: (issue) => {
      const { code, keys } = issue as { code?: string; keys?: string[] };
      return code === 'unrecognized_keys' ? `catégorie inconnue : ${(keys ?? []).join(', ')} (attendu : ${CATEGORY_CHOICES})` : undefined;
    },
  });

const categoryPricesSchema = byCategorySchema(priceSchema('prix pour cette catégorie')).default({});

/** Fields every paid plan has. */
const paidFields = {
  categoryPrices: categoryPricesSchema,
  publicInterestPrice: priceSchema("prix d'intérêt public").nullable().default(null),
  memberDiscount: percentSchema('remise adhérent').default('0'),
  vatRate: vatRateCodeSchema.default(DEFAULT_VAT_RATE),
};

const positivePrice = (label: string) =>
  priceSchema(label).min(1, `${label} : au moins 1 centime (pour ne rien faire payer, choisissez un tarif gratuit)`);

export const freePlanSchema = z.object({ kind: z.literal('free') }).strict();

export const perQueryPlanSchema = z
  .object({
    kind: z.literal('per_query'),
    /** Price of one query, in cents. */
    price: positivePrice('prix par requête'),
    ...paidFields,
  })
  .strict();

export const perUnitsPlanSchema = z
  .object({
    kind: z.literal('per_units'),
    unit: z.enum(PRICED_UNITS, { error: 'unité facturée : rows (lignes) ou cells (cellules)' }),
    /** Price of 1 000 units, in cents; smaller quantities pay pro rata. */
    price: positivePrice('prix par 1 000 unités'),
    ...paidFields,
  })
  .strict();

export const subscriptionPlanSchema = z
  .object({
    kind: z.literal('subscription'),
    /** Monthly fee, in cents. */
    price: positivePrice('abonnement mensuel'),
    /** Queries included each month; null: unlimited. */
    includedQueries: countSchema('requêtes incluses par mois').nullable().default(null),
    /** Price of each query beyond the monthly quota; null: none may be run beyond it. */
    extraQueryPrice: priceSchema('prix par requête au-delà du forfait').nullable().default(null),
    ...paidFields,
  })
  .strict()
  .refine((p) => p.includedQueries !== null || p.extraQueryPrice === null, {
    path: ['extraQueryPrice'],
    message: "un prix des requêtes au-delà du forfait n'a de sens qu'avec un nombre de requêtes incluses",
  });

export const planSchema = z.discriminatedUnion('kind', [freePlanSchema, perQueryPlanSchema, perUnitsPlanSchema, subscriptionPlanSchema], {
  error: 'type de tarif attendu : free (gratuit), per_query (à la requête), per_units (au volume) ou subscription (abonnement)',
});

export type Plan = z.output<typeof planSchema>;
export type PlanInput = z.input<typeof planSchema>;
export type PaidPlan = Exclude<Plan, { kind: 'free' }>;

/** Who is to pay, as far as the price depends on it. */
export const partySchema = z
  .object({
    category: z.enum(ORGANISATION_CATEGORIES, { error: 'catégorie de partie attendue : public_body, research, company ou association' }),
    /** A member of the association (gets the member discount). */
    member: z.boolean({ error: 'adhérent : vrai ou faux' }).default(false),
    /** The declared purpose is one of public interest (gets the public-interest price). */
    publicInterest: z.boolean({ error: "finalité d'intérêt public : vrai ou faux" }).default(false),
  })
  .strict();
export type Party = z.output<typeof partySchema>;

/** Which price applies to a party, and why (French). */
export interface AppliedTariff {
  price: Cents;
  tariff: 'base' | 'category' | 'public_interest';
  reason: string;
}

const CATEGORY_LABEL: Record<OrganisationCategory, string> = {
  public_body: 'organismes publics',
  research: 'recherche',
  company: 'entreprises',
  association: 'associations',
};

/**
 * The unit price a party pays: its category's price if the plan sets one, else the base price;
 * then the public-interest price instead, when the purpose is of public interest and that price
 * is lower (a public-interest purpose never makes anything dearer).
 */
export function applicablePrice(plan: PaidPlan, party: Pick<Party, 'category' | 'publicInterest'>): AppliedTariff {
  const categoryPrice = plan.categoryPrices[party.category];
  let applied: AppliedTariff =
    categoryPrice === undefined
      ? { price: plan.price, tariff: 'base', reason: 'tarif de base' }
      : { price: categoryPrice, tariff: 'category', reason: `tarif ${CATEGORY_LABEL[party.category]}` };
  if (party.publicInterest && plan.publicInterestPrice !== null && plan.publicInterestPrice < applied.price) {
    applied = { price: plan.publicInterestPrice, tariff: 'public_interest', reason: "tarif d'intérêt public" };
  }
  return applied;
}

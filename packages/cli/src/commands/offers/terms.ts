import {
  BillingError,
  parseEuros,
  type Cents,
  type DataUse,
  type OfferTemplate,
  type OfferTerms,
  type OrganisationCategory,
  type PaidPlan,
  type Plan,
} from '@confiance/contract';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../../errors';

/**
 * The template form's fields as command-line flags. Each given flag replaces the field (a list
 * flag replaces the whole list); `--no-…` clears an optional limit.
 */
export interface TermFlags {
  template?: OfferTemplate;
  uses?: DataUse[];
  purpose?: string[];
  excludePurpose?: string[];
  partyType?: OrganisationCategory[];
  duration?: number | false;
  columns?: string[];
  departements?: string[];
  maxQueries?: number | false;
  validUntil?: string | false;
  attribution?: boolean;
  joinKeys?: string[];
  /** Differential privacy: the contract's ε budget, ε per query, clipping bounds (`col:min:max`); `false` removes it. */
  epsilon?: string | false;
  epsilonPerQuery?: string;
  clip?: { column: string; lower: number; upper: number }[];
  /** The price plan (issue 9), prices in cents: one of these at most. */
  pricePerQuery?: Cents;
  pricePer1000Rows?: Cents;
  pricePer1000Cells?: Cents;
  subscription?: Cents;
  free?: boolean;
}

const TERM_FLAGS: Record<Exclude<keyof TermFlags, 'template'>, string> = {
  uses: '--uses',
  purpose: '--purpose',
  excludePurpose: '--exclude-purpose',
  partyType: '--party-type',
  duration: '--duration',
  columns: '--columns',
  departements: '--departements',
  maxQueries: '--max-queries',
  validUntil: '--valid-until',
  attribution: '--attribution',
  joinKeys: '--join-keys',
  epsilon: '--epsilon',
  epsilonPerQuery: '--epsilon-per-query',
  clip: '--clip',
  pricePerQuery: '--price-per-query',
  pricePer1000Rows: '--price-per-1000-rows',
  pricePer1000Cells: '--price-per-1000-cells',
  subscription: '--subscription',
  free: '--free',
};

const PRICE_FLAGS = ['pricePerQuery', 'pricePer1000Rows', 'pricePer1000Cells', 'subscription', 'free'] as const;

/** `--price-per-query 0,50`: euros as a French steward writes them (« 0,50 », « 0.5 », « 1 200 ») → cents. */
export function parsePrice(text: string): Cents {
  try {
    const cents = parseEuros(text, 'prix');
    if (cents < 0) throw new InvalidArgumentError('un prix ne peut pas être négatif.');
    return cents;
  } catch (error) {
    if (error instanceof BillingError) throw new InvalidArgumentError('montant en euros HT attendu, deux décimales au plus : 0,50 ou 12.');
    throw error;
  }
}

/**
 * The plan the price flags ask for. Switching between paid kinds keeps what the steward set
 * around the price (category prices, public-interest price, member discount, VAT rate), which no
 * flag changes; a subscription keeps its quota only when it stays a subscription.
 */
function planFromFlags(base: Plan, flags: TermFlags): Plan {
  const given = PRICE_FLAGS.filter((k) => flags[k] !== undefined && flags[k] !== false);
  if (given.length > 1) throw new UsageError(`Un seul tarif à la fois : ${given.map((k) => TERM_FLAGS[k]).join(', ')} se contredisent.`);
  if (flags.free) return { kind: 'free' };
  const kept: Omit<PaidPlan, 'kind' | 'price'> =
    base.kind === 'free'
      ? { categoryPrices: {}, publicInterestPrice: null, memberDiscount: '0', vatRate: 'S-20' }
      : {
          categoryPrices: base.categoryPrices,
          publicInterestPrice: base.publicInterestPrice,
          memberDiscount: base.memberDiscount,
          vatRate: base.vatRate,
        };
  if (flags.pricePerQuery !== undefined) return { kind: 'per_query', price: flags.pricePerQuery, ...kept };
  if (flags.pricePer1000Rows !== undefined) return { kind: 'per_units', unit: 'rows', price: flags.pricePer1000Rows, ...kept };
  if (flags.pricePer1000Cells !== undefined) return { kind: 'per_units', unit: 'cells', price: flags.pricePer1000Cells, ...kept };
  if (flags.subscription !== undefined)
    return {
      kind: 'subscription',
      price: flags.subscription,
      includedQueries: base.kind === 'subscription' ? base.includedQueries : null,
      extraQueryPrice: base.kind === 'subscription' ? base.extraQueryPrice : null,
      ...kept,
    };
  return base;
}

/** `--clip incid_hosp:0:50`: the bounds a measure is clipped to before a noisy sum. */
export function parseClip(text: string): { column: string; lower: number; upper: number } {
  const match = /^(.+):(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError('colonne:min:max attendu (par exemple incid_hosp:0:50).');
  return { column: match[1]!.trim(), lower: Number(match[2]), upper: Number(match[3]) };
}

/** The term flags given on the command line (not counting --template), by their names. */
export function givenTermFlags(flags: TermFlags): string[] {
  return (Object.keys(TERM_FLAGS) as (keyof typeof TERM_FLAGS)[]).filter((k) => flags[k] !== undefined).map((k) => TERM_FLAGS[k]);
}

export function applyTermFlags(base: OfferTerms, flags: TermFlags): OfferTerms {
  const terms: OfferTerms = { ...base };
  if (flags.uses !== undefined) terms.uses = [...new Set(flags.uses)];
  if (flags.purpose !== undefined) terms.purposes = [...new Set(flags.purpose)];
  if (flags.excludePurpose !== undefined) terms.excludedPurposes = [...new Set(flags.excludePurpose)];
  if (flags.partyType !== undefined) terms.partyTypes = [...new Set(flags.partyType)];
  if (flags.duration !== undefined) terms.durationMonths = flags.duration === false ? null : flags.duration;
  if (flags.columns !== undefined) terms.columns = [...new Set(flags.columns)];
  if (flags.departements !== undefined) terms.departements = [...new Set(flags.departements)];
  if (flags.maxQueries !== undefined) terms.maxQueries = flags.maxQueries === false ? null : flags.maxQueries;
  if (flags.validUntil !== undefined) terms.validUntil = flags.validUntil === false ? null : flags.validUntil;
  if (flags.attribution !== undefined) terms.attribution = flags.attribution;
  if (flags.joinKeys !== undefined) terms.joinKeys = [...new Set(flags.joinKeys)];
  // The node checks the amounts (at least one cent for a paid plan…) and says what is wrong.
  terms.plan = planFromFlags(terms.plan, flags);
  if (flags.epsilon === false) {
    if (flags.epsilonPerQuery !== undefined || flags.clip !== undefined)
      throw new UsageError('--no-epsilon retire la confidentialité différentielle : retirez aussi --epsilon-per-query et --clip.');
    terms.privacy = null;
  } else if (flags.epsilon !== undefined || flags.epsilonPerQuery !== undefined || flags.clip !== undefined) {
    const base = terms.privacy;
    const epsilon = flags.epsilon ?? base?.epsilon;
    const epsilonPerQuery = flags.epsilonPerQuery ?? base?.epsilonPerQuery;
    if (epsilon === undefined || epsilonPerQuery === undefined)
      throw new UsageError(
        'La confidentialité différentielle demande un budget et sa part par requête : --epsilon 1 --epsilon-per-query 0.1 (ou partez du modèle dp_counts).',
      );
    // The node checks the amounts (ε ≤ 20, a share no larger than the budget…) and says what is wrong.
    terms.privacy = {
      epsilon,
      epsilonPerQuery,
      delta: base?.delta ?? null,
      mechanism: base?.mechanism ?? 'discrete_laplace',
      clipping: flags.clip ?? base?.clipping ?? [],
    };
  }
  return terms;
}

import type { DataUse, OfferTemplate, OfferTerms, OrganisationCategory } from '@confiance/contract';
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
};

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

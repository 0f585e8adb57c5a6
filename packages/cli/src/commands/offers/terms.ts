import type { DataUse, OfferTemplate, OfferTerms, OrganisationCategory } from '@confiance/contract';

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
};

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
  return terms;
}

import { z } from 'zod';
import { LICENCES, OCCITANIE_DEPARTEMENTS, type AccessLevel, type LicenceCode } from '../catalog';
import { planSchema } from '../billing/plans';
import { ORGANISATION_CATEGORIES } from '../members';
import { isPurpose, purposeDescendants, purposeLabel, purposeSatisfies, purposeTerm } from './dpv';
import type { AtomicConstraint, Constraint, Policy, PolicyIssue, Rule } from './model';
import { planDuty, planOf } from './price';
import { POLICY_CONTEXT, CONFIANCE_PROFILE, actionCovers } from './terms';

/**
 * Offers: what a provider proposes on a dataset, as an ODRL Offer. Stewards build them from
 * templates (no JSON); experts may edit the JSON-LD. Either way the stored policy passes
 * `checkOffer`: valid, not self-contradictory, never contradicting the licence, never wider than
 * the dataset's access level or the charter.
 */

export const AGREEMENT_MODES = ['automatic', 'provider_approval', 'ethics_review'] as const;
export type AgreementMode = (typeof AGREEMENT_MODES)[number];

export const OFFER_TEMPLATES = ['members', 'research_aggregate', 'public_interest', 'commercial', 'dp_counts', 'joinable'] as const;
export type OfferTemplate = (typeof OFFER_TEMPLATES)[number];

/** What a consumer may do with the data; each is one ODRL permission of the offer. */
export const DATA_USES = ['aggregate', 'rows', 'sql', 'download'] as const;
export type DataUse = (typeof DATA_USES)[number];
export const USE_ACTIONS: Record<DataUse, string> = {
  aggregate: 'cf:queryAggregate',
  rows: 'cf:queryRows',
  sql: 'cf:querySql',
  download: 'cf:download',
};

/**
 * A département's INSEE code: 01–19, 2A, 2B, 21–95, and overseas 971–974 and 976 (20 has not
 * existed since Corsica was split in 1976; 975 is Saint-Pierre-et-Miquelon, not a département).
 */
export const DEPARTEMENT_CODE = /^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-46])$/;

const purposeInput = z
  .string()
  .trim()
  .refine((p) => isPurpose(p), { message: 'finalité DPV inconnue (par exemple "dpv:ResearchAndDevelopment")' })
  .transform((p) => `dpv:${purposeTerm(p)!}`);

const columnName = z.string().trim().min(1).max(200);

/**
 * Statistical disclosure control of aggregate results (thresholds are the policy's): OpenSAFELY
 * for counts of people — counts ≤ 7 masked, others rounded to 5 — and, for business data, INSEE's
 * rules on units (no cell from fewer than 3, none where one unit holds more than 85 %).
 */
export const disclosureInput = z
  .object({
    /** Counts at or below this are masked; null: no small-count rule. */
    suppressAtOrBelow: z.number().int().min(0).max(10_000).nullable().default(7),
    /** Published counts are rounded to a multiple of this; 1: not rounded. */
    roundTo: z.number().int().min(1).max(10_000).default(5),
    /** Business data: the column that identifies a unit (SIREN, establishment…). */
    unitColumn: columnName.nullable().default(null),
    /** Business data: the least number of units behind a published cell. */
    minUnits: z.number().int().min(2).max(1000).nullable().default(null),
    /** Business data: the largest share one unit may hold of a published cell. */
    dominance: z.number().gt(0.5).lt(1).nullable().default(null),
    /** Columns that may be grouped by and filtered on; empty: every column but the counts. */
    dimensions: z.array(columnName).max(200).default([]),
    /** Measure columns holding counts of people or units; their sums are protected as counts. */
    countColumns: z.array(columnName).max(200).default([]),
    /** Key values marking totals in the data (e.g. sexe = 0), so that totals count as margins. */
    margins: z
      .array(z.object({ column: columnName, value: z.string().trim().min(1).max(100) }).strict())
      .max(20)
      .default([]),
  })
  .strict();
export type Disclosure = z.output<typeof disclosureInput>;

/** The rules trusted research environments apply to counts of people. */
export const OPENSAFELY_DISCLOSURE: Disclosure = Object.freeze({
  suppressAtOrBelow: 7,
  roundTo: 5,
  unitColumn: null,
  minUnits: null,
  dominance: null,
  dimensions: [],
  countColumns: [],
  margins: [],
});

/** A decimal as text (ε, δ): budgets are counted exactly, never through floating point. */
const decimalText = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .refine((v) => /^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v), { message: 'un nombre décimal positif, par exemple "0.5"' })
  .transform(plainDecimal);

/** `1e-6` → `0.000001`: xsd:decimal, which the policy stores, has no exponent. */
export function plainDecimal(text: string): string {
  const m = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  const digits = `${m[1]}${m[2] ?? ''}`;
  const point = m[1]!.length + Number(m[3] ?? 0);
  const padded = point <= 0 ? `${'0'.repeat(1 - point)}${digits}` : digits.padEnd(point, '0');
  const at = Math.max(point, 1);
  const whole = padded.slice(0, at).replace(/^0+(?=\d)/, '') || '0';
  const fraction = padded.slice(at).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

export const NOISE_MECHANISMS = ['discrete_laplace', 'discrete_gaussian'] as const;
export type NoiseMechanism = (typeof NOISE_MECHANISMS)[number];

/**
 * Differential privacy (issue 8): counts and sums get noise calibrated to a per-contract budget ε
 * (and δ for Gaussian noise) that each query spends. Sums need clipping bounds per measure.
 */
export const privacyInput = z
  .object({
    /** The contract's whole budget. */
    epsilon: decimalText.refine((v) => Number(v) > 0 && Number(v) <= 20, { message: 'ε entre 0 (exclu) et 20' }),
    /** Gaussian noise only: the contract's δ budget. */
    delta: decimalText
      .refine((v) => Number(v) > 0 && Number(v) < 1e-3, { message: 'δ entre 0 et 0,001 (exclus)' })
      .nullable()
      .default(null),
    mechanism: z.enum(NOISE_MECHANISMS).default('discrete_laplace'),
    /** ε one query spends by default. */
    epsilonPerQuery: decimalText.refine((v) => Number(v) > 0, { message: 'ε par requête strictement positif' }),
    /** Bounds each measure is clipped to before a noisy sum; without them a sum is refused. */
    clipping: z
      .array(z.object({ column: columnName, lower: z.number().finite(), upper: z.number().finite() }).strict())
      .max(100)
      .default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.mechanism === 'discrete_gaussian' && p.delta === null)
      ctx.addIssue({ code: 'custom', path: ['delta'], message: 'le bruit gaussien demande un budget δ' });
    if (Number(p.epsilonPerQuery) > Number(p.epsilon))
      ctx.addIssue({ code: 'custom', path: ['epsilonPerQuery'], message: 'ε par requête ne peut pas dépasser le budget ε' });
    for (const [i, c] of p.clipping.entries())
      if (c.lower > c.upper)
        ctx.addIssue({ code: 'custom', path: ['clipping', i, 'lower'], message: 'borne basse au-dessus de la borne haute' });
  });
export type Privacy = z.output<typeof privacyInput>;

/** The template form: every field a steward fills; the template only chooses the defaults. */
export const offerTermsInput = z
  .object({
    template: z.enum(OFFER_TEMPLATES),
    uses: z.array(z.enum(DATA_USES)).min(1, 'choisissez au moins un usage').max(DATA_USES.length),
    /** Allowed purposes (a narrower purpose is accepted); empty: any purpose. */
    purposes: z.array(purposeInput).max(20).default([]),
    /** Purposes never allowed, even when narrower than an allowed one. */
    excludedPurposes: z.array(purposeInput).max(20).default([]),
    /** Organisation categories that may obtain the offer; empty: every member. */
    partyTypes: z.array(z.enum(ORGANISATION_CATEGORIES)).max(ORGANISATION_CATEGORIES.length).default([]),
    durationMonths: z.number().int().min(1).max(120).nullable().default(null),
    /** Columns the consumer sees; empty: all. */
    columns: z.array(z.string().trim().min(1).max(200)).max(500).default([]),
    /** Only rows of these départements; empty: all rows. */
    departements: z.array(z.string().regex(DEPARTEMENT_CODE, 'code département INSEE, par exemple "34"')).max(101).default([]),
    /** Queries allowed over the contract's life; null: no quota. */
    maxQueries: z.number().int().min(1).max(100_000_000).nullable().default(null),
    /** Queries allowed per day; null: no daily quota. */
    queriesPerDay: z.number().int().min(1).max(1_000_000).nullable().default(null),
    /** Rows (or result cells) at most in one response; null: the node's ceiling. */
    rowsPerResponse: z.number().int().min(1).max(10_000_000).nullable().default(null),
    /** Disclosure control of aggregate results; null: none (aggregate-only data always gets one). */
    disclosure: disclosureInput.nullable().default(null),
    /** Differential privacy of counts and sums; null: none. */
    privacy: privacyInput.nullable().default(null),
    /** Columns that may be joined, pseudonymised, with another dataset the same contract grants. */
    joinKeys: z.array(columnName).max(20).default([]),
    /** Last day the offer can be used (ISO date); null: open-ended. */
    validUntil: z.iso.date().nullable().default(null),
    attribution: z.boolean().default(true),
    /** The price plan (issue 9), written as a `compensate` duty of every permission; free: none. */
    plan: planSchema.default({ kind: 'free' }),
  })
  .strict();
export type OfferTerms = z.output<typeof offerTermsInput>;
export type OfferTermsInput = z.input<typeof offerTermsInput>;

export interface DatasetFacts {
  accessLevel: AccessLevel;
  licence: LicenceCode;
  /** Any column flagged personal or sensitive, or a health dataset. */
  personalData: boolean;
  /** Every `table.column` and bare `column` name of the current version. */
  columns: readonly string[];
}

/** What the `dp_counts` template proposes: ε = 1 over the contract, 0.1 a query (ten queries), counts only. */
export const DP_COUNTS_PRIVACY: Privacy = Object.freeze({
  epsilon: '1',
  epsilonPerQuery: '0.1',
  delta: null,
  mechanism: 'discrete_laplace',
  clipping: [],
});

/**
 * Column names that look like join keys: département and commune codes (the names the server's
 * row filter recognises) and identifiers of people, units or places.
 */
const KEY_COLUMN_NAMES: ReadonlySet<string> = new Set([
  'dep',
  'departement',
  'code_departement',
  'code_dep',
  'code_dept',
  'dept',
  'insee_dep',
  'num_dep',
  'code_commune',
  'code_insee',
  'insee_com',
  'codgeo',
  'com',
  'code_commune_insee',
  'depcom',
  'code_iris',
  'iris',
  'siren',
  'siret',
  'finess',
  'uai',
  'rpps',
  'id',
  'identifiant',
]);
const KEY_COLUMN_PATTERN = /^(id|identifiant)_|_(id|identifiant|siren|siret|finess|uai)$/;

/** The dataset's bare column names that look like join keys, in the dataset's order, once each. */
export function proposedJoinKeys(columns: readonly string[]): string[] {
  const bare = [...new Set(columns.filter((c) => !c.includes('.')))];
  return bare.filter((c) => KEY_COLUMN_NAMES.has(c.toLowerCase()) || KEY_COLUMN_PATTERN.test(c.toLowerCase())).slice(0, 20);
}

/** Defaults a template proposes for a dataset; the steward then adjusts them. */
export function templateDefaults(template: OfferTemplate, dataset: DatasetFacts): OfferTerms {
  const nonCommercial = !LICENCES[dataset.licence].commercialUse;
  const aggregateOnly = dataset.accessLevel === 'aggregate_only' || dataset.personalData;
  const base: OfferTerms = {
    template,
    uses: aggregateOnly ? ['aggregate'] : ['rows', 'aggregate'],
    purposes: [],
    excludedPurposes: nonCommercial ? ['dpv:CommercialPurpose'] : [],
    partyTypes: [],
    durationMonths: 12,
    columns: [],
    departements: [],
    maxQueries: null,
    queriesPerDay: null,
    rowsPerResponse: null,
    disclosure: aggregateOnly ? { ...OPENSAFELY_DISCLOSURE } : null,
    privacy: null,
    joinKeys: [],
    validUntil: null,
    attribution: true,
    plan: { kind: 'free' },
  };
  switch (template) {
    case 'members':
      return { ...base, durationMonths: null };
    case 'research_aggregate':
      return {
        ...base,
        uses: ['aggregate'],
        purposes: ['dpv:ResearchAndDevelopment'],
        partyTypes: ['research', 'public_body'],
        disclosure: base.disclosure ?? { ...OPENSAFELY_DISCLOSURE },
      };
    case 'public_interest':
      return { ...base, purposes: ['dpv:PublicBenefit'], durationMonths: 24 };
    case 'commercial':
      // A proposal the steward adjusts: 0,50 € HT a query (VAT 20 %), so the template's quota of
      // 1 000 queries comes to 500 € HT at most — the order of a year's open-data API subscription.
      return {
        ...base,
        purposes: ['dpv:CommercialPurpose'],
        excludedPurposes: [],
        maxQueries: 1000,
        plan: { kind: 'per_query', price: 50, categoryPrices: {}, publicInterestPrice: null, memberDiscount: '0', vatRate: 'S-20' },
      };
    case 'dp_counts':
      // The noise is the protection: no suppression or rounding on top (the node applies none).
      return {
        ...base,
        uses: ['aggregate'],
        purposes: ['dpv:ResearchAndDevelopment', 'dpv:PublicBenefit'],
        disclosure: null,
        privacy: { ...DP_COUNTS_PRIVACY, clipping: [] },
      };
    case 'joinable':
      return {
        ...base,
        uses: ['aggregate'],
        purposes: ['dpv:ResearchAndDevelopment', 'dpv:PublicBenefit'],
        disclosure: base.disclosure ?? { ...OPENSAFELY_DISCLOSURE },
        joinKeys: proposedJoinKeys(dataset.columns),
      };
  }
}

/** The agreement mode the level and the charter require at least. */
export function minimumAgreement(dataset: DatasetFacts, charter: CharterRules): AgreementMode {
  if (dataset.personalData && charter.personalDataEthicsReview) return 'ethics_review';
  if (dataset.accessLevel === 'restricted' || dataset.accessLevel === 'aggregate_only') return 'provider_approval';
  return 'automatic';
}

const AGREEMENT_RANK: Record<AgreementMode, number> = { automatic: 0, provider_approval: 1, ethics_review: 2 };

// ---------------------------------------------------------------------------------------------
// The charter's machine-readable rules

export const charterRulesSchema = z
  .object({
    /** An organisation must have signed the current version to offer or obtain non-open data. */
    signatureRequired: z.boolean(),
    /** Personal or health data is only offered aggregate-only… */
    personalDataAggregateOnly: z.boolean(),
    /** …and after a review by the ethics commission. */
    personalDataEthicsReview: z.boolean(),
    /** Actions prohibited in every offer and contract (e.g. re-identification, resale). */
    prohibitedActions: z.array(z.string().min(1).max(100)).max(20),
    /** Purposes that may get better terms (public interest, research). */
    favouredPurposes: z.array(purposeInput).max(20),
  })
  .strict();
export type CharterRules = z.output<typeof charterRulesSchema>;

export interface PolicyRefs {
  offer: string;
  dataset: string;
  provider: string;
}

function constraintJson(leftOperand: string, operator: string, rightOperand: unknown): Record<string, unknown> {
  return { leftOperand, operator, rightOperand };
}

/** The ODRL Offer a template form stands for (the charter's prohibitions included). */
export function buildOfferPolicy(terms: OfferTerms, refs: PolicyRefs, charter: CharterRules): Record<string, unknown> {
  const constraints: Record<string, unknown>[] = [];
  if (terms.purposes.length === 1) constraints.push(constraintJson('purpose', 'isA', { '@id': terms.purposes[0] }));
  if (terms.purposes.length > 1)
    constraints.push(
      constraintJson(
        'purpose',
        'isAnyOf',
        terms.purposes.map((p) => ({ '@id': p })),
      ),
    );
  if (terms.excludedPurposes.length > 0)
    constraints.push(
      constraintJson(
        'purpose',
        'isNoneOf',
        terms.excludedPurposes.map((p) => ({ '@id': p })),
      ),
    );
  if (terms.partyTypes.length > 0) constraints.push(constraintJson('cf:partyType', 'isAnyOf', terms.partyTypes));
  if (terms.durationMonths !== null) {
    constraints.push(constraintJson('elapsedTime', 'lteq', { '@value': `P${terms.durationMonths}M`, '@type': 'xsd:duration' }));
  }
  if (terms.validUntil !== null) constraints.push(constraintJson('dateTime', 'lteq', { '@value': terms.validUntil, '@type': 'xsd:date' }));
  if (terms.columns.length > 0) constraints.push(constraintJson('cf:column', 'isAnyOf', terms.columns));
  if (terms.departements.length > 0) constraints.push(constraintJson('cf:departement', 'isAnyOf', terms.departements));
  if (terms.maxQueries !== null) constraints.push(constraintJson('count', 'lteq', { '@value': terms.maxQueries, '@type': 'xsd:integer' }));
  const integer = (n: number) => ({ '@value': n, '@type': 'xsd:integer' });
  if (terms.queriesPerDay !== null) constraints.push(constraintJson('cf:queriesPerDay', 'lteq', integer(terms.queriesPerDay)));
  if (terms.rowsPerResponse !== null) constraints.push(constraintJson('cf:rowsPerResponse', 'lteq', integer(terms.rowsPerResponse)));
  const p = terms.privacy;
  if (p !== null) {
    const decimal = (v: string) => ({ '@value': v, '@type': 'xsd:decimal' });
    constraints.push(constraintJson('cf:epsilon', 'lteq', decimal(p.epsilon)));
    constraints.push(constraintJson('cf:epsilonPerQuery', 'eq', decimal(p.epsilonPerQuery)));
    if (p.delta !== null) constraints.push(constraintJson('cf:delta', 'lteq', decimal(p.delta)));
    constraints.push(constraintJson('cf:noise', 'eq', p.mechanism));
    if (p.clipping.length > 0)
      constraints.push(
        constraintJson(
          'cf:clip',
          'isAnyOf',
          p.clipping.map((c) => `${c.column}=${c.lower}..${c.upper}`),
        ),
      );
  }
  if (terms.joinKeys.length > 0) constraints.push(constraintJson('cf:joinKey', 'isAnyOf', terms.joinKeys));
  const d = terms.disclosure;
  if (d !== null) {
    if (d.suppressAtOrBelow !== null) constraints.push(constraintJson('cf:cellCount', 'gt', integer(d.suppressAtOrBelow)));
    constraints.push(constraintJson('cf:rounding', 'eq', integer(d.roundTo)));
    if (d.unitColumn !== null) constraints.push(constraintJson('cf:unitColumn', 'eq', d.unitColumn));
    if (d.minUnits !== null) constraints.push(constraintJson('cf:cellUnits', 'gteq', integer(d.minUnits)));
    if (d.dominance !== null) constraints.push(constraintJson('cf:dominance', 'lteq', { '@value': d.dominance, '@type': 'xsd:decimal' }));
    if (d.dimensions.length > 0) constraints.push(constraintJson('cf:dimension', 'isAnyOf', d.dimensions));
    if (d.countColumns.length > 0) constraints.push(constraintJson('cf:countColumn', 'isAnyOf', d.countColumns));
    if (d.margins.length > 0)
      constraints.push(
        constraintJson(
          'cf:margin',
          'isAnyOf',
          d.margins.map((m) => `${m.column}=${m.value}`),
        ),
      );
  }
  const compensate = planDuty(terms.plan);
  const duty = [...(terms.attribution ? [{ action: 'attribute' }] : []), ...(compensate ? [compensate] : [])];
  return {
    '@context': POLICY_CONTEXT,
    '@type': 'Offer',
    uid: refs.offer,
    profile: CONFIANCE_PROFILE,
    assigner: refs.provider,
    target: refs.dataset,
    permission: terms.uses.map((use) => ({
      action: USE_ACTIONS[use],
      ...(constraints.length > 0 ? { constraint: constraints } : {}),
      ...(duty.length > 0 ? { duty } : {}),
    })),
    prohibition: charter.prohibitedActions.map((action) => ({ action })),
  };
}

// ---------------------------------------------------------------------------------------------
// Checks

function atomics(constraints: readonly Constraint[]): AtomicConstraint[] {
  // Only constraints that must all hold (top level, or under `and`) bound the rule for sure.
  return constraints.flatMap((c) =>
    c.kind === 'atomic' ? [c] : c.operator === 'and' || c.operator === 'andSequence' ? atomics(c.constraints) : [],
  );
}

function allowedPurposes(rule: Rule): string[] | null {
  const bounds = atomics(rule.constraints).filter(
    (c) => c.leftOperand === 'purpose' && ['eq', 'isA', 'isAnyOf', 'isPartOf'].includes(c.operator),
  );
  if (bounds.length === 0) return null;
  return bounds.flatMap((c) => c.rightOperand.map((v) => v.value));
}

function excludedPurposes(rule: Rule): string[] {
  return atomics(rule.constraints)
    .filter((c) => c.leftOperand === 'purpose' && (c.operator === 'isNoneOf' || c.operator === 'neq'))
    .flatMap((c) => c.rightOperand.map((v) => v.value));
}

function numberBound(rule: Rule, leftOperand: string): { lower?: { v: number; path: string }; upper?: { v: number; path: string } } {
  const out: { lower?: { v: number; path: string }; upper?: { v: number; path: string } } = {};
  for (const c of atomics(rule.constraints).filter((x) => x.leftOperand === leftOperand)) {
    const raw = c.rightOperand[0]?.value ?? '';
    const v = leftOperand === 'dateTime' ? Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw) : Number(raw);
    if (!Number.isFinite(v)) continue;
    if (c.operator === 'lt' || c.operator === 'lteq') out.upper = { v: c.operator === 'lt' ? v - 1e-9 : v, path: `${c.path}.rightOperand` };
    if (c.operator === 'gt' || c.operator === 'gteq') out.lower = { v: c.operator === 'gt' ? v + 1e-9 : v, path: `${c.path}.rightOperand` };
    if (c.operator === 'eq') out.upper = out.lower = { v, path: `${c.path}.rightOperand` };
  }
  return out;
}

/** Constraints whose values name columns of the dataset. */
const COLUMN_OPERANDS: ReadonlySet<string> = new Set([
  'cf:column',
  'cf:dimension',
  'cf:countColumn',
  'cf:unitColumn',
  'cf:margin',
  'cf:clip',
  'cf:joinKey',
]);

function selfContradictions(policy: Policy, issues: PolicyIssue[]): void {
  for (const rule of policy.permissions) {
    const allowed = allowedPurposes(rule);
    const excluded = excludedPurposes(rule);
    if (allowed && allowed.length > 0 && allowed.every((a) => excluded.some((x) => purposeSatisfies(a, x)))) {
      const c = atomics(rule.constraints).find((x) => x.leftOperand === 'purpose' && x.operator === 'isNoneOf');
      issues.push({
        path: `${c?.path ?? rule.path}.rightOperand`,
        message: 'toutes les finalités permises sont aussi exclues : la permission ne peut jamais s’appliquer',
      });
    }
    for (const lo of ['dateTime', 'count']) {
      const { lower, upper } = numberBound(rule, lo);
      if (lower && upper && lower.v > upper.v) {
        issues.push({
          path: upper.path,
          message: `les bornes se contredisent (${lo === 'dateTime' ? 'la date de fin précède la date de début' : 'le maximum est inférieur au minimum'})`,
        });
      }
      if (lo === 'count' && upper && upper.v < 1)
        issues.push({ path: upper.path, message: 'un quota inférieur à 1 n’autorise aucune utilisation' });
    }
    for (const c of atomics(rule.constraints).filter(
      (x) => x.leftOperand === 'elapsedTime' && (x.operator === 'lt' || x.operator === 'lteq'),
    )) {
      if (/^P(0[YMWD])*(T(0[HMS])*)?$/.test(c.rightOperand[0]?.value ?? '') || c.rightOperand[0]?.value.startsWith('-')) {
        issues.push({ path: `${c.path}.rightOperand`, message: 'une durée nulle ou négative n’autorise aucune utilisation' });
      }
    }
    // A prohibition without conditions on an action the permission grants cancels it outright.
    for (const [j, p] of policy.prohibitions.entries()) {
      if (
        policy.conflict !== 'perm' &&
        p.constraints.length === 0 &&
        p.refinements.length === 0 &&
        !p.assignee &&
        actionCovers(p.action, rule.action)
      ) {
        issues.push({
          path: `prohibition[${j}].action`,
          message: `cette interdiction sans condition annule la permission ${rule.path} (« ${rule.action} ») : la politique se contredit`,
        });
      }
    }
  }
}

function licenceContradictions(policy: Policy, dataset: DatasetFacts, issues: PolicyIssue[]): void {
  const licence = LICENCES[dataset.licence];
  if (licence.commercialUse) return;
  const commercial = purposeDescendants('CommercialPurpose');
  const prohibitedEverywhere = policy.prohibitions.some(
    (p) => p.constraints.length === 0 && p.refinements.length === 0 && !p.assignee && actionCovers(p.action, 'commercialize'),
  );
  if (prohibitedEverywhere) return;
  for (const rule of policy.permissions) {
    if (actionCovers('commercialize', rule.action) || actionCovers('sell', rule.action)) {
      issues.push({ path: `${rule.path}.action`, message: `la licence ${licence.shortLabel} interdit l’usage commercial` });
      continue;
    }
    const allowed = allowedPurposes(rule);
    const excluded = excludedPurposes(rule);
    const excludesCommercial = excluded.some((x) => purposeSatisfies('CommercialPurpose', x));
    if (excludesCommercial) continue;
    const path = atomics(rule.constraints).find((c) => c.leftOperand === 'purpose')?.path;
    if (!allowed) {
      issues.push({
        path: `${rule.path}.constraint`,
        message: `la licence ${licence.shortLabel} interdit l’usage commercial : limitez les finalités ou excluez « ${purposeLabel('CommercialPurpose')} »`,
      });
      continue;
    }
    for (const p of allowed) {
      const open = [...purposeDescendants(p)].filter((d) => commercial.has(d));
      if (open.length > 0) {
        issues.push({
          path: `${path ?? rule.path}.rightOperand`,
          message: open.includes(p.replace(/^dpv:/, ''))
            ? `la licence ${licence.shortLabel} interdit l’usage commercial : « ${purposeLabel(p)} » est une finalité commerciale`
            : `la licence ${licence.shortLabel} interdit l’usage commercial : « ${purposeLabel(p)} » comprend « ${purposeLabel(open[0]!)} » ; excluez « ${purposeLabel('CommercialPurpose')} » ou choisissez une finalité non commerciale`,
        });
        break;
      }
    }
  }
}

function levelWidening(
  policy: Policy,
  dataset: DatasetFacts,
  agreement: AgreementMode,
  charter: CharterRules,
  issues: PolicyIssue[],
): void {
  const aggregateOnly = dataset.accessLevel === 'aggregate_only' || (dataset.personalData && charter.personalDataAggregateOnly);
  for (const rule of policy.permissions) {
    const widens = ['cf:queryRows', 'cf:querySql', 'cf:download'].filter((a) => actionCovers(rule.action, a));
    if (aggregateOnly && widens.length > 0) {
      issues.push({
        path: `${rule.path}.action`,
        message:
          dataset.accessLevel === 'aggregate_only'
            ? `le jeu de données n’est accessible qu’en agrégats : l’offre ne peut pas permettre « ${rule.action} »`
            : `la charte réserve les données personnelles ou de santé aux agrégats : l’offre ne peut pas permettre « ${rule.action} »`,
      });
    }
    for (const c of atomics(rule.constraints)) {
      if (COLUMN_OPERANDS.has(c.leftOperand)) {
        for (const [i, v] of c.rightOperand.entries()) {
          const column = c.leftOperand === 'cf:margin' || c.leftOperand === 'cf:clip' ? v.value.split('=')[0]! : v.value;
          if (c.leftOperand === 'cf:margin' && !v.value.includes('='))
            issues.push({
              path: `${c.path}.rightOperand${c.rightOperand.length > 1 ? `[${i}]` : ''}`,
              message: `« ${v.value} » : un code de total s’écrit colonne=valeur (par exemple sexe=0)`,
            });
          else if (!dataset.columns.includes(column))
            issues.push({
              path: `${c.path}.rightOperand${c.rightOperand.length > 1 ? `[${i}]` : ''}`,
              message: `la colonne « ${column} » n’existe pas dans la version courante`,
            });
        }
      }
      if (c.leftOperand === 'cf:departement') {
        for (const [i, v] of c.rightOperand.entries()) {
          if (!DEPARTEMENT_CODE.test(v.value))
            issues.push({
              path: `${c.path}.rightOperand${c.rightOperand.length > 1 ? `[${i}]` : ''}`,
              message: `« ${v.value} » n’est pas un code département INSEE`,
            });
        }
      }
      if (c.leftOperand === 'purpose') {
        for (const v of c.rightOperand) {
          if (!isPurpose(v.value)) issues.push({ path: `${c.path}.rightOperand`, message: `« ${v.value} » n’est pas une finalité DPV` });
        }
      }
    }
  }
  for (const rule of policy.permissions) {
    const all = atomics(rule.constraints);
    const unitRule = all.find((c) => c.leftOperand === 'cf:cellUnits' || c.leftOperand === 'cf:dominance');
    if (unitRule && !all.some((c) => c.leftOperand === 'cf:unitColumn'))
      issues.push({
        path: `${unitRule.path}.leftOperand`,
        message: 'les règles sur les unités (nombre, part dominante) demandent la colonne qui identifie une unité (cf:unitColumn)',
      });
    const dimensions = new Set(all.filter((c) => c.leftOperand === 'cf:dimension').flatMap((c) => c.rightOperand.map((v) => v.value)));
    for (const c of all.filter((x) => x.leftOperand === 'cf:countColumn')) {
      for (const v of c.rightOperand.filter((x) => dimensions.has(x.value)))
        issues.push({ path: `${c.path}.rightOperand`, message: `« ${v.value} » ne peut pas être à la fois une dimension et un effectif` });
    }
  }
  const minimum = minimumAgreement(dataset, charter);
  if (AGREEMENT_RANK[agreement] < AGREEMENT_RANK[minimum]) {
    issues.push({
      path: 'agreement',
      message:
        minimum === 'ethics_review'
          ? 'la charte exige un examen par la commission d’éthique pour les données personnelles ou de santé'
          : 'un jeu de données restreint ou en agrégats seulement exige l’approbation du fournisseur',
    });
  }
  for (const action of charter.prohibitedActions) {
    if (!policy.prohibitions.some((p) => p.action === action && p.constraints.length === 0)) {
      issues.push({
        path: 'prohibition',
        message: `la charte interdit toujours « ${action} » : l’offre doit reprendre cette interdiction`,
      });
    }
  }
}

/** Everything wrong with an offer's policy for this dataset, each with the JSON path at fault. */
export function checkOffer(
  policy: Policy,
  dataset: DatasetFacts,
  context: { agreement: AgreementMode; charter: CharterRules; refs: PolicyRefs },
): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  if (policy.type !== 'Offer') issues.push({ path: '@type', message: 'une offre est une politique de type Offer' });
  if (policy.uid !== context.refs.offer) issues.push({ path: 'uid', message: `l’uid de l’offre est ${context.refs.offer}` });
  if (policy.permissions.length === 0) issues.push({ path: 'permission', message: 'une offre accorde au moins une permission' });
  for (const rule of [...policy.permissions, ...policy.prohibitions]) {
    if (rule.target?.id !== context.refs.dataset)
      issues.push({ path: `${rule.path}.target`, message: `l’offre porte sur ${context.refs.dataset}` });
    if (rule.assigner?.id !== context.refs.provider)
      issues.push({ path: `${rule.path}.assigner`, message: `le fournisseur (assigner) est ${context.refs.provider}` });
  }
  selfContradictions(policy, issues);
  issues.push(...planOf(policy).issues);
  licenceContradictions(policy, dataset, issues);
  levelWidening(policy, dataset, context.agreement, context.charter, issues);
  return issues;
}

/** Labels for the UI and CLI. */
export const AGREEMENT_LABEL: Record<AgreementMode, string> = {
  automatic: 'Accord automatique',
  provider_approval: 'Approbation du fournisseur',
  ethics_review: 'Examen par la commission d’éthique',
};
export const TEMPLATE_LABEL: Record<OfferTemplate, string> = {
  members: 'Membres — accès automatique',
  research_aggregate: 'Recherche — agrégé uniquement',
  public_interest: 'Intérêt public',
  commercial: 'Commercial — colonnes, zone et quota',
  dp_counts: 'Comptages en confidentialité différentielle',
  joinable: 'Croisement pseudonymisé',
};
export const DEPARTEMENT_CHOICES = OCCITANIE_DEPARTEMENTS;

/**
 * The ODRL 2.2 vocabulary Confiance understands, and the terms of its own profile.
 *
 * Terms are kept in a short canonical form: ODRL terms bare (`read`), the Confiance profile as
 * `cf:…`, DPV purposes as `dpv:…`; anything else is a full IRI. `term()` turns every accepted
 * spelling (prefixed, full IRI) into that form, so the evaluator compares plain strings.
 */

export const ODRL_NAMESPACE = 'http://www.w3.org/ns/odrl/2/';
export const ODRL_CONTEXT = 'http://www.w3.org/ns/odrl.jsonld';
/** The Confiance ODRL profile: its own actions and left operands (declared in `PROFILE_TERMS`). */
export const CONFIANCE_PROFILE = 'https://w3id.org/confiance/odrl';
export const CONFIANCE_NAMESPACE = 'https://w3id.org/confiance/odrl#';
export const DPV_PREFIX_NAMESPACE = 'https://w3id.org/dpv#';
export const XSD_NAMESPACE = 'http://www.w3.org/2001/XMLSchema#';
/** Creative Commons Rights Expression Language: ODRL 2.2 includes its actions. */
export const CC_NAMESPACE = 'http://creativecommons.org/ns#';

/** The context every Confiance policy carries (embedded: nothing is fetched at run time). */
export const POLICY_CONTEXT = [ODRL_CONTEXT, { cf: CONFIANCE_NAMESPACE, dpv: DPV_PREFIX_NAMESPACE }] as const;

/**
 * ODRL 2.2 actions with the action each is `odrl:includedIn` (from `ODRL22.ttl`; `use` and
 * `transfer` are the roots). A permission to `use` covers a request to `read`, never the reverse.
 */
export const ODRL_ACTIONS: Readonly<Record<string, string | null>> = {
  use: null,
  transfer: null,
  grantUse: 'use',
  compensate: 'use',
  acceptTracking: 'use',
  aggregate: 'use',
  annotate: 'use',
  anonymize: 'use',
  archive: 'use',
  attribute: 'use',
  concurrentUse: 'use',
  delete: 'use',
  derive: 'use',
  digitize: 'use',
  display: 'play',
  distribute: 'use',
  ensureExclusivity: 'use',
  execute: 'use',
  extract: 'reproduce',
  give: 'transfer',
  include: 'use',
  index: 'use',
  inform: 'use',
  install: 'use',
  modify: 'use',
  move: 'use',
  nextPolicy: 'use',
  obtainConsent: 'use',
  play: 'use',
  present: 'use',
  print: 'use',
  read: 'use',
  reproduce: 'use',
  reviewPolicy: 'use',
  sell: 'transfer',
  stream: 'use',
  synchronize: 'use',
  textToSpeech: 'use',
  transform: 'use',
  translate: 'use',
  uninstall: 'use',
  watermark: 'use',
  // Terms ODRL 2.2 keeps for compatibility (no `includedIn` in the vocabulary).
  append: null,
  appendTo: null,
  commercialize: null,
  copy: null,
  export: null,
  lease: null,
  lend: null,
  license: null,
  pay: null,
  preview: null,
  secondaryUse: null,
  share: null,
  write: null,
  writeTo: null,
  adHocShare: null,
  extractChar: null,
  extractPage: null,
  extractWord: null,
  attachPolicy: null,
  attachSource: null,
  shareAlike: null,
  // The Creative Commons actions ODRL 2.2 defines, by full IRI.
  [`${CC_NAMESPACE}Attribution`]: 'use',
  [`${CC_NAMESPACE}CommercialUse`]: 'use',
  [`${CC_NAMESPACE}DerivativeWorks`]: 'use',
  [`${CC_NAMESPACE}Distribution`]: 'use',
  [`${CC_NAMESPACE}Notice`]: 'use',
  [`${CC_NAMESPACE}Reproduction`]: 'use',
  [`${CC_NAMESPACE}ShareAlike`]: 'use',
  [`${CC_NAMESPACE}Sharing`]: 'use',
  [`${CC_NAMESPACE}SourceCode`]: 'use',
};

/**
 * Deprecated ODRL 2.2 actions and the action each is `skos:exactMatch` of (`ODRL22.ttl`): they
 * mean the same, so a permission to `use` covers a request to `write` (= `modify`), and a
 * prohibition to `copy` forbids `reproduce`. Deprecated actions without a match (`lease`, `lend`…)
 * cover only themselves.
 */
export const ODRL_EXACT_MATCH: Readonly<Record<string, string>> = {
  append: 'modify',
  appendTo: 'modify',
  copy: 'reproduce',
  export: 'transform',
  license: 'grantUse',
  pay: 'compensate',
  write: 'modify',
  writeTo: 'modify',
  attachPolicy: `${CC_NAMESPACE}Notice`,
  attachSource: `${CC_NAMESPACE}SourceCode`,
  shareAlike: `${CC_NAMESPACE}ShareAlike`,
  commercialize: `${CC_NAMESPACE}CommercialUse`,
  share: `${CC_NAMESPACE}Sharing`,
};

export const ODRL_LEFT_OPERANDS = [
  'absolutePosition',
  'absoluteSpatialPosition',
  'absoluteTemporalPosition',
  'absoluteSize',
  'count',
  'dateTime',
  'delayPeriod',
  'deliveryChannel',
  'device',
  'elapsedTime',
  'event',
  'fileFormat',
  'industry',
  'language',
  'media',
  'meteredTime',
  'payAmount',
  'percentage',
  'product',
  'purpose',
  'recipient',
  'relativePosition',
  'relativeSpatialPosition',
  'relativeTemporalPosition',
  'relativeSize',
  'resolution',
  'spatial',
  'spatialCoordinates',
  'system',
  'systemDevice',
  'timeInterval',
  'unitOfCount',
  'version',
  'virtualLocation',
] as const;

export const OPERATORS = ['eq', 'neq', 'lt', 'lteq', 'gt', 'gteq', 'isA', 'hasPart', 'isPartOf', 'isAllOf', 'isAnyOf', 'isNoneOf'] as const;
export type Operator = (typeof OPERATORS)[number];

export const LOGICAL_OPERATORS = ['and', 'or', 'xone', 'andSequence'] as const;
export type LogicalOperator = (typeof LOGICAL_OPERATORS)[number];

export const CONFLICT_STRATEGIES = ['perm', 'prohibit', 'invalid'] as const;
export type ConflictStrategy = (typeof CONFLICT_STRATEGIES)[number];

export const POLICY_TYPES = ['Set', 'Offer', 'Agreement', 'Request', 'Privacy', 'Ticket', 'Assertion', 'Policy'] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

/**
 * The Confiance profile. Actions describe what a consumer does with a dataset on the node; left
 * operands what the request declares (party type, project…) or what the grant restricts (columns,
 * départements), the latter checked when the data is used.
 */
export const PROFILE_ACTIONS: Readonly<Record<string, string>> = {
  /** Run queries whose results are aggregates under disclosure control. */
  'cf:queryAggregate': 'aggregate',
  /** Look at rows: preview and row-level queries. */
  'cf:queryRows': 'read',
  /** Restricted SQL (one read-only SELECT) over the granted relations. */
  'cf:querySql': 'read',
  /** Download whole files. */
  'cf:download': 'reproduce',
  /** Try to single out a person or a unit in the data: the charter always prohibits it. */
  'cf:reidentify': 'use',
  /** A review by the ethics commission before the data is used. */
  'cf:ethicsReview': 'use',
};

export const PROFILE_LEFT_OPERANDS = [
  /** The requesting organisation's category: public_body, company, research, association. */
  'cf:partyType',
  /** The project the data is obtained for (its id). */
  'cf:project',
  /** Columns the consumer may see (`table.column` or `column`). */
  'cf:column',
  /** Rows: only these départements (INSEE codes). */
  'cf:departement',
  /** Whether the requesting organisation signed the current ethics charter. */
  'cf:charterSigned',
  /** Aggregate-only data: the columns that may be grouped by and filtered on. */
  'cf:dimension',
  /** Measure columns that hold counts of people or units (their sums are protected as counts). */
  'cf:countColumn',
  /** Key values marking totals, as `column=value` (e.g. `sexe=0` in Santé publique France files). */
  'cf:margin',
  /** Disclosure control: a published count must be greater than this (OpenSAFELY: 7). */
  'cf:cellCount',
  /** Disclosure control: published counts are rounded to a multiple of this (OpenSAFELY: 5). */
  'cf:rounding',
  /** Business data: the column identifying units (e.g. SIREN), for the INSEE rules. */
  'cf:unitColumn',
  /** Business data: the least number of units behind a published cell (INSEE: 3). */
  'cf:cellUnits',
  /** Business data: the largest share one unit may hold of a published cell (INSEE: 0.85). */
  'cf:dominance',
  /** Rows (or cells) at most in one response. */
  'cf:rowsPerResponse',
  /** Queries at most per day. */
  'cf:queriesPerDay',
  /** Differential privacy: the contract's ε budget. */
  'cf:epsilon',
  /** Differential privacy: ε one query spends. */
  'cf:epsilonPerQuery',
  /** Differential privacy: the contract's δ budget (Gaussian noise). */
  'cf:delta',
  /** Differential privacy: the noise mechanism (`discrete_laplace`, `discrete_gaussian`). */
  'cf:noise',
  /** Differential privacy: a measure's clipping bounds, as `column=lower..upper`. */
  'cf:clip',
  /** Columns that may be joined, pseudonymised, with another dataset of the same contract. */
  'cf:joinKey',
  // The price plan, as refinements of a `compensate` duty whose `payAmount` (EUR, excluding VAT)
  // is the base price: what ODRL's `payAmount` alone cannot say (issue 9).
  /** The kind of plan: `per_query`, `per_units` or `subscription` (a free offer has no duty to pay). */
  'cf:planKind',
  /** What `payAmount` pays for: `query`, `rows` or `cells` (per 1 000 delivered), `month`. */
  'cf:priceUnit',
  /** Price for a category of party, replacing the base price, as `category=euros` (`public_body=0.30`). */
  'cf:categoryPrice',
  /** Price when the declared purpose is of public interest (EUR, applied only when lower). */
  'cf:publicInterestPrice',
  /** Discount for members of the association, in percent (xsd:decimal). */
  'cf:memberDiscount',
  /** VAT rate code of the operator's table (`S-20`, `S-5.5`, `E`…); prices exclude VAT. */
  'cf:vatRate',
  /** Subscription: queries included each month. */
  'cf:includedQueries',
  /** Subscription: price of each query beyond the included ones (EUR). */
  'cf:extraQueryPrice',
] as const;

/** Profile left operands known when the request is made: everything else of the profile is use-time. */
const REQUEST_TIME_PROFILE_OPERANDS: ReadonlySet<string> = new Set(['cf:partyType', 'cf:project', 'cf:charterSigned']);

/**
 * Left operands whose value is only known when the data is used (checked by the access module):
 * ODRL's own quotas and meters, and every profile operand that is not about the requesting party.
 */
export const USE_TIME_LEFT_OPERANDS: ReadonlySet<string> = new Set([
  'count',
  'meteredTime',
  'payAmount',
  ...PROFILE_LEFT_OPERANDS.filter((o) => !REQUEST_TIME_PROFILE_OPERANDS.has(o)),
]);

export function isKnownAction(t: string): boolean {
  return t in ODRL_ACTIONS || t in PROFILE_ACTIONS;
}

export function isKnownLeftOperand(t: string): boolean {
  return (ODRL_LEFT_OPERANDS as readonly string[]).includes(t) || (PROFILE_LEFT_OPERANDS as readonly string[]).includes(t);
}

/** The action `t` is directly included in, or null for a root. */
export function parentAction(t: string): string | null {
  return PROFILE_ACTIONS[t] ?? ODRL_ACTIONS[t] ?? null;
}

/** The action a deprecated ODRL term stands for (`write` → `modify`), or the term itself. */
export function canonicalAction(t: string): string {
  return ODRL_EXACT_MATCH[t] ?? t;
}

/**
 * Does a rule on `granted` cover a request to do `requested` (`odrl:includedIn`, transitive;
 * deprecated terms read as their `skos:exactMatch`)?
 */
export function actionCovers(granted: string, requested: string): boolean {
  const target = canonicalAction(granted);
  for (let a: string | null = canonicalAction(requested), hops = 0; a !== null && hops < 16; a = parentAction(a), hops++) {
    if (a === target) return true;
  }
  return false;
}

const PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['odrl:', ''],
  [ODRL_NAMESPACE, ''],
  [CONFIANCE_NAMESPACE, 'cf:'],
  [DPV_PREFIX_NAMESPACE, 'dpv:'],
  ['xsd:', XSD_NAMESPACE],
];

/** The canonical short form of a term written prefixed or as a full IRI. */
export function term(value: string): string {
  // Most values are already canonical (`dpv:…`, `cf:…`, bare terms, codes): they leave at once.
  if (value.startsWith('dpv:') || value.startsWith('cf:') || !value.includes(':')) return value;
  for (let i = 0; i < PREFIXES.length; i++) {
    const [from, to] = PREFIXES[i]!;
    if (value.startsWith(from)) return to + value.slice(from.length);
  }
  return value;
}

/** The full IRI of a canonical term (for JSON-LD output and RDF). */
export function termIri(t: string): string {
  if (t.startsWith('cf:')) return CONFIANCE_NAMESPACE + t.slice(3);
  if (t.startsWith('dpv:')) return DPV_PREFIX_NAMESPACE + t.slice(4);
  if (/^[a-zA-Z]+$/.test(t)) return ODRL_NAMESPACE + t;
  return t;
}

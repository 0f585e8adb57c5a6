import { OCCITANIE_DEPARTEMENTS } from '../catalog';
import { isPurpose, purposeLabel, purposeSatisfies } from './dpv';
import type { AtomicConstraint, Constraint, Literal, LogicalConstraint, Policy, Reference, Rule } from './model';
import { USE_TIME_LEFT_OPERANDS, actionCovers, term, type LogicalOperator, type Operator } from './terms';

/**
 * The policy evaluator: pure (no I/O, no clock — the time comes in the request), deterministic,
 * and explained. Every rule, constraint and duty gets a state and a French reason, so the same
 * result feeds the decision preview, the request review and the conformance suites.
 *
 * Semantics (ODRL 2.2 Information Model and the W3C formal-semantics draft):
 * - a rule is *active* when its target, assignee and action match the request and each of its
 *   constraints (and action refinements) is satisfied;
 * - a permission with duties is only exercisable when every active duty is fulfilled; a duty is
 *   active when its own constraints hold (a condition that does not apply does not block);
 * - the request is permitted when a permission is active and no prohibition is, unless the
 *   policy's conflict strategy is `perm`; with `invalid`, a conflict voids the policy.
 * - purposes match by DPV subsumption: a narrower purpose satisfies a broader one, never the reverse.
 */

export type Scalar = string | number | boolean;
export type Satisfaction = 'satisfied' | 'not_satisfied' | 'not_applicable';

export interface EvaluationRequest {
  /** What the consumer wants to do (`read`, `cf:queryAggregate`, …). */
  action: string;
  /** The asset (IRI) and the party (IRI) asking. */
  target?: string;
  assignee?: string;
  /** What the request declares, by left operand: `purpose`, `elapsedTime`, `cf:partyType`, `industry`… */
  context?: Readonly<Record<string, Scalar | readonly Scalar[]>>;
  state?: {
    /** The current time (ISO 8601); `dateTime` constraints compare with it. */
    now?: string;
    /** Collection membership: a party or asset IRI → the collections it is `partOf`. */
    partOf?: Readonly<Record<string, readonly string[]>>;
    /** Duties already performed or broken, by duty `@id` (or by action when the duty has none). */
    duties?: Readonly<Record<string, 'fulfilled' | 'violated'>>;
  };
}

export interface EvaluateOptions {
  /**
   * What a duty nobody has performed yet does. `block` (ODRL: a duty is a condition of the
   * permission) or `allow` (the duty is an obligation fulfilled during use, listed in the result;
   * only a violated duty blocks). Confiance's decision preview uses `allow`.
   */
  pendingDuties?: 'block' | 'allow';
  /**
   * Left operands whose value is only known when the data is used (quotas, columns, rows): when
   * the request does not give them they are *not applicable* (checked later), not unsatisfied.
   */
  useTimeOperands?: ReadonlySet<string>;
}

export interface ConstraintResult {
  path: string;
  id?: string;
  /** The constraint in French: « Finalité : Recherche et développement, ou plus précise ». */
  label: string;
  state: Satisfaction;
  /** Checked when the data is used (quota, columns, rows), not now. */
  deferred: boolean;
  reason: string;
  children?: ConstraintResult[];
}

export interface MatchResult {
  state: Satisfaction;
  reason: string;
  refinements?: ConstraintResult[];
}

export interface DutyResult {
  path: string;
  id?: string;
  action: string;
  label: string;
  /** `inactive`: its conditions do not hold, so it does not apply to this request. */
  state: 'fulfilled' | 'violated' | 'pending' | 'inactive';
  reason: string;
  constraints: ConstraintResult[];
  refinements: ConstraintResult[];
}

export interface RuleResult {
  kind: Rule['kind'];
  path: string;
  id?: string;
  action: string;
  target: MatchResult;
  assignee: MatchResult;
  actionMatch: MatchResult;
  refinements: ConstraintResult[];
  constraints: ConstraintResult[];
  duties: DutyResult[];
  /** Active: it applies to this request. */
  state: 'active' | 'inactive';
  reason: string;
}

export interface Decision {
  outcome: 'permit' | 'deny';
  /** Permitted subject to checks made when the data is used, or to duties still to perform. */
  conditional: boolean;
  rules: RuleResult[];
  /** One French sentence for the whole decision. */
  summary: string;
}

// ---------------------------------------------------------------------------------------------
// Values

const YEAR_S = 31_556_952; // Gregorian average: P1Y = P12M exactly.

/**
 * Milliseconds since the epoch. A date is its first instant; a time without a zone is read as UTC
 * (never as the machine's zone: the same policy must decide the same way on every node).
 */
function timeOf(value: string): number | null {
  // The common case, an instant in UTC (`…Z`), needs no rewriting.
  if (value.length >= 20 && value.endsWith('Z') && !value.includes(' ')) {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) return t;
  }
  const v = value.trim().replace(' ', 'T');
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : /T[\d:.]+$/.test(v) ? `${v}Z` : v);
  return Number.isNaN(t) ? null : t;
}

const DURATION = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Seconds in one unit of a single-unit date duration (`P12M`, `P2Y`, `P30D`, `P6W`). */
const UNIT_SECONDS: Readonly<Record<string, number>> = { Y: YEAR_S, M: YEAR_S / 12, W: 7 * 86_400, D: 86_400 };

function durationSeconds(value: string): number | null {
  // The common case, one date unit, without the general expression.
  const unit = UNIT_SECONDS[value[value.length - 1]!];
  if (unit !== undefined && value[0] === 'P' && value.length <= 8) {
    const digits = value.slice(1, -1);
    if (/^\d+$/.test(digits)) return Number(digits) * unit;
  }
  const m = DURATION.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) return null;
  const s =
    Number(m[2] ?? 0) * YEAR_S +
    (Number(m[3] ?? 0) * YEAR_S) / 12 +
    Number(m[4] ?? 0) * 7 * 86_400 +
    Number(m[5] ?? 0) * 86_400 +
    Number(m[6] ?? 0) * 3600 +
    Number(m[7] ?? 0) * 60 +
    Number(m[8] ?? 0);
  return m[1] ? -s : s;
}

const EU = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
];
const PLACES: Readonly<Record<string, readonly string[]>> = { EU, EEA: [...EU, 'IS', 'LI', 'NO'] };

interface Domain {
  equal(v: string, r: string): boolean;
  /** Negative, zero or positive; undefined when the values are not ordered. */
  order(v: string, r: string): number | undefined;
  /** `v` is `r` or falls within it (narrower purpose, sub-sector, place inside). */
  within(v: string, r: string): boolean;
  /** Ordered domains: the value as a number (null when it does not parse). */
  key?: (s: string) => number | null;
}

const ordered = (key: (s: string) => number | null): Domain => ({
  equal: (v, r) => {
    const a = key(v);
    const b = key(r);
    return a !== null && a === b;
  },
  order: (v, r) => {
    const a = key(v);
    const b = key(r);
    return a === null || b === null ? undefined : a - b;
  },
  within: (v, r) => key(v) !== null && key(v) === key(r),
  key,
});
const text: Domain = { equal: (v, r) => v === r, order: () => undefined, within: (v, r) => v === r };
const DOMAINS = {
  time: ordered(timeOf),
  duration: ordered(durationSeconds),
  number: ordered((s) => (s.trim() === '' || !Number.isFinite(Number(s)) ? null : Number(s))),
  purpose: { equal: (v, r) => purposeSatisfies(v, r), order: () => undefined, within: (v, r) => purposeSatisfies(v, r) } satisfies Domain,
  // NAF rév. 2: "72" (division) contains "72.19Z"; dots are optional in requests.
  industry: {
    equal: (v, r) => nafKey(v) === nafKey(r),
    order: () => undefined,
    within: (v, r) => nafKey(v).startsWith(nafKey(r)),
  } satisfies Domain,
  place: {
    equal: (v, r) => v.toUpperCase() === r.toUpperCase(),
    order: () => undefined,
    within: (v, r) => v.toUpperCase() === r.toUpperCase() || (PLACES[r.toUpperCase()]?.includes(v.toUpperCase()) ?? false),
  } satisfies Domain,
  text,
};
const nafKey = (s: string) => s.replace(/[.\s]/g, '').toUpperCase();

function domainFor(c: AtomicConstraint): Domain {
  switch (c.leftOperand) {
    case 'purpose':
      return DOMAINS.purpose;
    case 'dateTime':
    case 'absoluteTemporalPosition':
      return DOMAINS.time;
    case 'elapsedTime':
    case 'delayPeriod':
    case 'meteredTime':
    case 'timeInterval':
      return DOMAINS.duration;
    case 'industry':
      return DOMAINS.industry;
    case 'spatial':
      return DOMAINS.place;
  }
  const kind = c.rightOperand[0]?.kind;
  if (kind === 'number') return DOMAINS.number;
  if (kind === 'dateTime' || kind === 'date') return DOMAINS.time;
  if (kind === 'duration') return DOMAINS.duration;
  return DOMAINS.text;
}

// ---------------------------------------------------------------------------------------------
// French labels

const LEFT_OPERAND_LABEL: Record<string, string> = {
  purpose: 'Finalité',
  dateTime: 'Date',
  elapsedTime: 'Durée d’utilisation',
  count: 'Nombre d’utilisations',
  spatial: 'Lieu de traitement',
  industry: 'Secteur d’activité (NAF)',
  recipient: 'Destinataire',
  payAmount: 'Montant payé',
  resolution: 'Résolution',
  'cf:partyType': 'Type d’organisation',
  'cf:project': 'Projet',
  'cf:column': 'Colonnes',
  'cf:departement': 'Départements',
  'cf:charterSigned': 'Charte éthique signée',
  'cf:dimension': 'Dimensions (regroupements et filtres)',
  'cf:countColumn': 'Colonnes d’effectifs',
  'cf:margin': 'Codes de total',
  'cf:cellCount': 'Effectif publié',
  'cf:rounding': 'Arrondi des effectifs',
  'cf:unitColumn': 'Colonne d’identifiant d’unité',
  'cf:cellUnits': 'Unités par case',
  'cf:dominance': 'Part de la plus grande unité',
  'cf:rowsPerResponse': 'Lignes par réponse',
  'cf:queriesPerDay': 'Requêtes par jour',
  'cf:epsilon': 'Budget de confidentialité ε',
  'cf:epsilonPerQuery': 'ε dépensé par requête',
  'cf:delta': 'Budget δ',
  'cf:noise': 'Bruit ajouté',
  'cf:clip': 'Bornes des mesures',
  'cf:joinKey': 'Clés de jointure pseudonymisées',
  'cf:planKind': 'Type de tarif',
  'cf:priceUnit': 'Unité facturée',
  'cf:categoryPrice': 'Prix par catégorie d’organisation (€ HT)',
  'cf:publicInterestPrice': 'Prix d’intérêt public (€ HT)',
  'cf:memberDiscount': 'Remise adhérent (%)',
  'cf:vatRate': 'Taux de TVA',
  'cf:includedQueries': 'Requêtes incluses par mois',
  'cf:extraQueryPrice': 'Prix par requête au-delà du forfait (€ HT)',
};
const PARTY_TYPE_LABEL: Record<string, string> = {
  public_body: 'organisme public',
  company: 'entreprise',
  research: 'recherche',
  association: 'association',
};
export const ACTION_LABEL: Record<string, string> = {
  use: 'utiliser',
  read: 'consulter',
  aggregate: 'agréger',
  reproduce: 'copier',
  distribute: 'diffuser',
  sell: 'revendre',
  commercialize: 'exploiter commercialement',
  derive: 'créer des œuvres dérivées',
  attribute: 'citer la source',
  compensate: 'payer',
  'cf:queryAggregate': 'interroger en agrégats',
  'cf:queryRows': 'consulter les lignes',
  'cf:querySql': 'interroger en SQL',
  'cf:download': 'télécharger les fichiers',
  'cf:reidentify': 'réidentifier des personnes',
  'cf:ethicsReview': 'passer l’examen de la commission d’éthique',
};

export function actionLabel(action: string): string {
  return ACTION_LABEL[action] ?? action;
}

function durationLabel(value: string): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T.*)?$/.exec(value);
  if (!m) return value;
  const parts: string[] = [];
  const push = (n: string | undefined, one: string, many: string) => {
    if (n && Number(n) > 0) parts.push(`${n} ${Number(n) > 1 ? many : one}`);
  };
  push(m[1], 'an', 'ans');
  push(m[2], 'mois', 'mois');
  push(m[3], 'semaine', 'semaines');
  push(m[4], 'jour', 'jours');
  return parts.length > 0 ? parts.join(' ') : value;
}

// Made once: building an Intl formatter costs far more than formatting with it.
const FRENCH_DATE = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const FRENCH_NUMBER = new Intl.NumberFormat('fr-FR');

/** A value as a French reader expects it. */
export function valueLabel(leftOperand: string, value: Scalar): string {
  const s = String(value);
  if (leftOperand === 'purpose' && isPurpose(s)) return purposeLabel(s, 'fr');
  if (leftOperand === 'cf:partyType') return PARTY_TYPE_LABEL[s] ?? s;
  if (leftOperand === 'cf:departement') return OCCITANIE_DEPARTEMENTS[s] ? `${OCCITANIE_DEPARTEMENTS[s]} (${s})` : s;
  if (leftOperand === 'cf:charterSigned') return s === 'true' ? 'oui' : 'non';
  if (leftOperand === 'elapsedTime' || /^P\d/.test(s)) return durationLabel(s);
  if (leftOperand === 'dateTime' || /^\d{4}-\d{2}-\d{2}/.test(s)) {
    const t = timeOf(s);
    if (t !== null) return FRENCH_DATE.format(t);
  }
  if (typeof value === 'number') return FRENCH_NUMBER.format(value);
  return s;
}

function operandLabel(leftOperand: string): string {
  return LEFT_OPERAND_LABEL[leftOperand] ?? leftOperand;
}

function constraintPhrase(c: AtomicConstraint): string {
  const values = c.rightOperand.map((v) => valueLabel(c.leftOperand, v.value));
  const list = values.length > 1 ? values.slice(0, -1).join(', ') + ' ou ' + values.at(-1)! : (values[0] ?? c.rightOperandReference ?? '?');
  const lo = c.leftOperand;
  switch (c.operator) {
    case 'eq':
    case 'isA':
      return lo === 'purpose' ? `${list}, ou une finalité plus précise` : list;
    case 'isAnyOf':
      return lo === 'purpose'
        ? `${list}, ou une finalité plus précise`
        : lo === 'cf:column' || lo === 'cf:departement' || lo === 'cf:dimension' || lo === 'cf:countColumn' || lo === 'cf:margin'
          ? `seulement ${values.join(', ')}`
          : list;
    case 'isNoneOf':
      return `ni ${values.join(', ni ')}`;
    case 'neq':
      return `autre que ${list}`;
    case 'lt':
      return lo === 'dateTime' ? `avant le ${list}` : `moins de ${list}`;
    case 'lteq':
      return lo === 'dateTime' ? `jusqu’au ${list} inclus` : `au plus ${list}`;
    case 'gt':
      return lo === 'dateTime' ? `après le ${list}` : `plus de ${list}`;
    case 'gteq':
      return lo === 'dateTime' ? `à partir du ${list}` : `au moins ${list}`;
    case 'isPartOf':
      return `dans ${list}`;
    case 'hasPart':
      return `comprenant ${list}`;
    case 'isAllOf':
      return `tous : ${values.join(', ')}`;
  }
}

const DESCRIPTIONS = new WeakMap<Constraint, string>();
const PHRASES = new WeakMap<AtomicConstraint, string>();

function phraseOf(c: AtomicConstraint): string {
  let phrase = PHRASES.get(c);
  if (phrase === undefined) PHRASES.set(c, (phrase = constraintPhrase(c)));
  return phrase;
}

/** The constraint in French; written once per constraint (a policy is read once, used often). */
export function describeConstraint(c: Constraint): string {
  let description = DESCRIPTIONS.get(c);
  if (description === undefined) DESCRIPTIONS.set(c, (description = describe(c)));
  return description;
}

function describe(c: Constraint): string {
  if (c.kind === 'logical') {
    const joiner = { and: ' et ', or: ' ou ', xone: ' ou bien (un seul) ', andSequence: ' puis ' }[c.operator];
    return c.constraints.map((x) => `(${describeConstraint(x)})`).join(joiner);
  }
  return `${operandLabel(c.leftOperand)} : ${phraseOf(c)}`;
}

// ---------------------------------------------------------------------------------------------
// Evaluation
//
// A policy is read once and evaluated often (every query checks its contract), so what depends
// on the policy alone is prepared once per constraint (right operands parsed, labels written),
// and the French explanations are written only when someone reads them: results are classes
// whose `reason`, `label` and `summary` are getters, and whose `toJSON` writes everything out.

interface Ctx {
  request: EvaluationRequest;
  /** The requested action, in canonical form. */
  requested: string;
  useTime: ReadonlySet<string>;
  pendingDuties: 'block' | 'allow';
}

const normalised = (v: Scalar): string => (typeof v === 'string' ? term(v) : String(v));

/** The request's values for a left operand; a single value stays unwrapped (no array per check). */
function requestValues(ctx: Ctx, leftOperand: string): string | readonly string[] | null {
  const raw = ctx.request.context?.[leftOperand];
  if (raw === undefined) {
    if (leftOperand === 'dateTime' && ctx.request.state?.now) return ctx.request.state.now;
    return null;
  }
  return Array.isArray(raw) ? (raw as readonly Scalar[]).map(normalised) : normalised(raw as Scalar);
}

interface Prepared {
  domain: Domain;
  right: readonly string[];
  /** For ordered domains (times, durations, numbers): the first right operand's key, parsed once. */
  key: number | null;
}
const PREPARED = new WeakMap<AtomicConstraint, Prepared>();

function prepared(c: AtomicConstraint): Prepared {
  let p = PREPARED.get(c);
  if (!p) {
    const domain = domainFor(c);
    const right = c.rightOperand.map((l: Literal) => l.value);
    p = { domain, right, key: domain.key && right[0] !== undefined ? domain.key(right[0]) : null };
    PREPARED.set(c, p);
  }
  return p;
}

// Written with plain loops and no closure: this runs for every constraint of every decision.
function withinAny(d: Domain, v: string, right: readonly string[]): boolean {
  for (const r of right) if (d.within(v, r)) return true;
  return false;
}

function valueAt(values: string | readonly string[], i: number): string {
  return typeof values === 'string' ? values : values[i]!;
}

function inOrder(op: Operator, k: number, key: number): boolean {
  return op === 'lt' ? k < key : op === 'lteq' ? k <= key : op === 'gt' ? k > key : k >= key;
}

function compareAtomic(c: AtomicConstraint, values: string | readonly string[]): boolean {
  const { domain: d, right, key } = prepared(c);
  const count = typeof values === 'string' ? 1 : values.length;
  const r0 = right[0] ?? '';
  switch (c.operator) {
    case 'eq':
    case 'neq': {
      if (count === 0) return false;
      const wanted = c.operator === 'eq';
      for (let i = 0; i < count; i++) if (d.equal(valueAt(values, i), r0) !== wanted) return false;
      return true;
    }
    case 'lt':
    case 'lteq':
    case 'gt':
    case 'gteq': {
      if (count === 0 || !d.key || key === null) return false;
      for (let i = 0; i < count; i++) {
        const k = d.key(valueAt(values, i));
        if (k === null || !inOrder(c.operator, k, key)) return false;
      }
      return true;
    }
    // Set operators compare by containment, as isA does: excluding NAF division "64" must exclude
    // "64.19Z" too, or a consumer could get round an exclusion by declaring a finer code.
    case 'isA':
    case 'isPartOf':
    case 'isAnyOf': {
      if (count === 0) return false;
      for (let i = 0; i < count; i++) if (!withinAny(d, valueAt(values, i), right)) return false;
      return true;
    }
    case 'isNoneOf': {
      for (let i = 0; i < count; i++) if (withinAny(d, valueAt(values, i), right)) return false;
      return true;
    }
    case 'hasPart':
    case 'isAllOf': {
      // hasPart: every right value within one of the request's; isAllOf: one of the request's within each.
      for (const r of right) {
        let found = false;
        for (let i = 0; i < count && !found; i++) {
          const v = valueAt(values, i);
          found = c.operator === 'hasPart' ? d.within(r, v) : d.within(v, r);
        }
        if (!found) return false;
      }
      return true;
    }
  }
}

const DEFERRED_REASON = 'vérifiée lors de chaque utilisation des données';

/** Why a constraint has its state; the sentence is written from it only when read. */
type ConstraintWhy = 'compared' | 'missing' | 'deferred' | 'reference' | 'skipped' | 'logical';

class ConstraintOutcome implements ConstraintResult {
  readonly path: string;
  declare readonly id?: string;
  readonly state: Satisfaction;
  readonly deferred: boolean;
  declare readonly children?: ConstraintResult[];
  readonly #constraint: Constraint;
  readonly #why: ConstraintWhy;
  /** The request's values, when they were compared. */
  readonly #values: string | readonly string[] | null;

  constructor(
    c: Constraint,
    state: Satisfaction,
    deferred: boolean,
    why: ConstraintWhy,
    values: string | readonly string[] | null = null,
    children?: ConstraintResult[],
  ) {
    this.path = c.path;
    if (c.id) this.id = c.id;
    this.state = state;
    this.deferred = deferred;
    if (children) this.children = children;
    this.#constraint = c;
    this.#why = why;
    this.#values = values;
  }

  get label(): string {
    return describeConstraint(this.#constraint);
  }

  get reason(): string {
    const c = this.#constraint;
    switch (this.#why) {
      case 'deferred':
        return DEFERRED_REASON;
      case 'skipped':
        return 'non évaluée : une contrainte précédente de la séquence n’est pas satisfaite';
      case 'reference':
        return 'la valeur de référence (rightOperandReference) n’est pas résolue par ce nœud';
      case 'missing':
        return `la demande ne précise pas : ${operandLabel((c as AtomicConstraint).leftOperand).toLowerCase()}`;
      case 'compared': {
        const a = c as AtomicConstraint;
        const values = this.#values ?? [];
        const given = (typeof values === 'string' ? [values] : values).map((v) => valueLabel(a.leftOperand, v)).join(', ');
        return this.state === 'satisfied' ? `demandé : ${given}` : `demandé : ${given} — ne correspond pas à « ${phraseOf(a)} »`;
      }
      case 'logical':
        return logicalReason(c as LogicalConstraint, this.children ?? [], this.deferred);
    }
  }

  toJSON(): ConstraintResult {
    return {
      path: this.path,
      ...(this.id ? { id: this.id } : {}),
      label: this.label,
      state: this.state,
      deferred: this.deferred,
      reason: this.reason,
      ...(this.children ? { children: this.children } : {}),
    };
  }
}

function logicalReason(c: LogicalConstraint, children: readonly ConstraintResult[], deferred: boolean): string {
  if (deferred) return DEFERRED_REASON;
  const sat = children.filter((r) => r.state === 'satisfied').length;
  const unsat = children.filter((r) => r.state === 'not_satisfied').length;
  switch (c.operator) {
    case 'and':
    case 'andSequence':
      return unsat > 0 ? `${unsat} des ${children.length} conditions ne sont pas remplies` : 'toutes les conditions sont remplies';
    case 'or':
      return sat > 0 ? 'au moins une des conditions est remplie' : 'aucune des conditions n’est remplie';
    case 'xone':
      return sat === 1
        ? 'exactement une des conditions est remplie'
        : sat > 1
          ? `${sat} conditions sont remplies alors qu’une seule doit l’être`
          : 'aucune des conditions n’est remplie';
  }
}

/** The truth tables of the logical operators, shared by the quick decision and the explained one. */
function combine(op: LogicalOperator, sat: number, unsat: number, deferred: number): Satisfaction {
  switch (op) {
    case 'and':
    case 'andSequence':
      return unsat > 0 ? 'not_satisfied' : deferred > 0 ? 'not_applicable' : 'satisfied';
    case 'or':
      return sat > 0 ? 'satisfied' : deferred > 0 ? 'not_applicable' : 'not_satisfied';
    case 'xone':
      return sat === 1 && deferred === 0
        ? 'satisfied'
        : sat > 1
          ? 'not_satisfied'
          : deferred > 0 && sat <= 1
            ? 'not_applicable'
            : 'not_satisfied';
  }
}

// The quick decision: the same semantics as the explained evaluation below, without building a
// single result object. A constraint's state as a code: satisfied, not satisfied, not applicable
// because it is checked when the data is used, not applicable (skipped in a sequence).
const SATISFIED = 0;
const NOT_SATISFIED = 1;
const CHECKED_AT_USE = 2;
const SKIPPED_CODE = 3;
type StateCode = typeof SATISFIED | typeof NOT_SATISFIED | typeof CHECKED_AT_USE | typeof SKIPPED_CODE;

function constraintCode(ctx: Ctx, c: Constraint): StateCode {
  if (c.kind === 'logical') {
    let sat = 0;
    let unsat = 0;
    let deferred = 0;
    for (const x of c.constraints) {
      const code = constraintCode(ctx, x);
      if (code === SATISFIED) sat++;
      else if (code === NOT_SATISFIED) unsat++;
      else if (code === CHECKED_AT_USE) deferred++;
      // In a sequence, what follows a failure is not looked at.
      if (code === NOT_SATISFIED && c.operator === 'andSequence') break;
    }
    const state = combine(c.operator, sat, unsat, deferred);
    return state === 'satisfied' ? SATISFIED : state === 'not_satisfied' ? NOT_SATISFIED : deferred > 0 ? CHECKED_AT_USE : SKIPPED_CODE;
  }
  const values = requestValues(ctx, c.leftOperand);
  if (values === null) return ctx.useTime.has(c.leftOperand) ? CHECKED_AT_USE : NOT_SATISFIED;
  if (c.rightOperandReference !== undefined && c.rightOperand.length === 0) return NOT_SATISFIED;
  return compareAtomic(c, values) ? SATISFIED : NOT_SATISFIED;
}

function noneFails(ctx: Ctx, constraints: readonly Constraint[]): boolean {
  for (const c of constraints) if (constraintCode(ctx, c) === NOT_SATISFIED) return false;
  return true;
}

function isMember(ctx: Ctx, ref: Reference, v: string, value: string): boolean {
  const memberships = ctx.request.state?.partOf?.[v] ?? ctx.request.state?.partOf?.[value] ?? [];
  for (const m of memberships) {
    const t = term(m);
    if (t === ref.id || (ref.source !== undefined && t === ref.source)) return true;
  }
  return false;
}

function referenceHolds(ctx: Ctx, ref: Reference | undefined, value: string | undefined): boolean {
  if (!ref) return true;
  if (value === undefined) return false;
  if (value === ref.id) return true;
  const v = term(value);
  if (v === ref.id) return true;
  if (!ref.collection || !isMember(ctx, ref, v, value)) return false;
  return noneFails(ctx, ref.refinements);
}

function dutyState(ctx: Ctx, duty: Rule): DutyResult['state'] {
  if (!noneFails(ctx, duty.constraints)) return 'inactive';
  const done = ctx.request.state?.duties?.[duty.id ?? ''] ?? ctx.request.state?.duties?.[duty.action];
  return done === 'fulfilled' ? 'fulfilled' : done === 'violated' ? 'violated' : 'pending';
}

const INACTIVE = 0;
const ACTIVE = 1;
/** Active, subject to checks when the data is used (deferred constraints) or to duties to perform. */
const ACTIVE_CONDITIONALLY = 2;

function ruleState(ctx: Ctx, rule: Rule): typeof INACTIVE | typeof ACTIVE | typeof ACTIVE_CONDITIONALLY {
  if (!referenceHolds(ctx, rule.target, ctx.request.target)) return INACTIVE;
  if (!referenceHolds(ctx, rule.assignee, ctx.request.assignee)) return INACTIVE;
  if (actionMatchOf(rule, ctx.requested).state !== 'satisfied') return INACTIVE;
  let conditional = false;
  for (const c of rule.refinements) {
    const code = constraintCode(ctx, c);
    if (code === NOT_SATISFIED) return INACTIVE;
    if (code === CHECKED_AT_USE) conditional = true;
  }
  for (const c of rule.constraints) {
    const code = constraintCode(ctx, c);
    if (code === NOT_SATISFIED) return INACTIVE;
    if (code === CHECKED_AT_USE) conditional = true;
  }
  for (const d of rule.duties) {
    const state = dutyState(ctx, d);
    if (state === 'violated' || (state === 'pending' && ctx.pendingDuties === 'block')) return INACTIVE;
    if (state === 'pending') conditional = true;
  }
  return conditional ? ACTIVE_CONDITIONALLY : ACTIVE;
}

function evaluateConstraint(ctx: Ctx, c: Constraint): ConstraintResult {
  if (c.kind === 'logical') {
    const children: ConstraintResult[] = [];
    if (c.operator === 'andSequence') {
      // In order: once one fails, the rest is not looked at.
      let failed = false;
      for (const x of c.constraints) {
        if (failed) {
          children.push(new ConstraintOutcome(x, 'not_applicable', false, 'skipped'));
          continue;
        }
        const r = evaluateConstraint(ctx, x);
        failed = r.state === 'not_satisfied';
        children.push(r);
      }
    } else {
      for (const x of c.constraints) children.push(evaluateConstraint(ctx, x));
    }
    let sat = 0;
    let unsat = 0;
    let deferred = 0;
    for (const r of children) {
      if (r.state === 'satisfied') sat++;
      else if (r.state === 'not_satisfied') unsat++;
      if (r.deferred) deferred++;
    }
    const state = combine(c.operator, sat, unsat, deferred);
    return new ConstraintOutcome(c, state, state === 'not_applicable' && deferred > 0, 'logical', null, children);
  }
  const values = requestValues(ctx, c.leftOperand);
  if (values === null) {
    return ctx.useTime.has(c.leftOperand)
      ? new ConstraintOutcome(c, 'not_applicable', true, 'deferred')
      : new ConstraintOutcome(c, 'not_satisfied', false, 'missing');
  }
  if (c.rightOperandReference !== undefined && c.rightOperand.length === 0) {
    return new ConstraintOutcome(c, 'not_satisfied', false, 'reference');
  }
  return new ConstraintOutcome(c, compareAtomic(c, values) ? 'satisfied' : 'not_satisfied', false, 'compared', values);
}

function allHold(results: readonly ConstraintResult[]): boolean {
  for (const r of results) if (r.state === 'not_satisfied') return false;
  return true;
}

/** A match whose reason is a fixed sentence (shared: match results are never changed). */
class Match implements MatchResult {
  declare readonly refinements?: ConstraintResult[];
  readonly #reason: string | (() => string);
  constructor(
    readonly state: Satisfaction,
    reason: string | (() => string),
    refinements?: ConstraintResult[],
  ) {
    this.#reason = reason;
    if (refinements) this.refinements = refinements;
  }
  get reason(): string {
    return typeof this.#reason === 'string' ? this.#reason : this.#reason();
  }
  toJSON(): MatchResult {
    return { state: this.state, reason: this.reason, ...(this.refinements ? { refinements: this.refinements } : {}) };
  }
}

const ANY: Record<'target' | 'assignee', MatchResult> = {
  target: new Match('satisfied', 'la règle vaut pour toute ressource de la politique'),
  assignee: new Match('satisfied', 'la règle vaut pour toute partie'),
};
const NOUN = { target: 'la ressource', assignee: 'la partie' } as const;
const SAME: Record<'target' | 'assignee', MatchResult> = {
  target: new Match('satisfied', `${NOUN.target} est celle que nomme la règle`),
  assignee: new Match('satisfied', `${NOUN.assignee} est celle que nomme la règle`),
};

function matchReference(ctx: Ctx, ref: Reference | undefined, value: string | undefined, what: 'target' | 'assignee'): MatchResult {
  if (!ref) return ANY[what];
  const noun = NOUN[what];
  if (value === undefined) return new Match('not_satisfied', `la demande ne nomme pas ${noun}`);
  const v = term(value);
  if (v === ref.id) return SAME[what];
  if (!ref.collection) return new Match('not_satisfied', () => `la règle vaut pour ${ref.id}, pas pour ${v}`);
  const memberships = ctx.request.state?.partOf?.[v] ?? ctx.request.state?.partOf?.[value] ?? [];
  const member = memberships.map(term).some((m) => m === ref.id || (ref.source !== undefined && m === ref.source));
  if (!member) return new Match('not_satisfied', () => `${noun} ne fait pas partie de la collection ${ref.id}`);
  const refinements = ref.refinements.map((c) => evaluateConstraint(ctx, c));
  return allHold(refinements)
    ? new Match('satisfied', () => `${noun} fait partie de la collection ${ref.id}`, refinements)
    : new Match('not_satisfied', `${noun} fait partie de la collection, mais ne remplit pas ses précisions`, refinements);
}

/** Whether a rule's action covers the requested one, remembered per rule and requested action. */
const ACTION_MATCHES = new WeakMap<Rule, Map<string, MatchResult>>();
function actionMatchOf(rule: Rule, requested: string): MatchResult {
  let byAction = ACTION_MATCHES.get(rule);
  if (!byAction) ACTION_MATCHES.set(rule, (byAction = new Map()));
  let match = byAction.get(requested);
  if (!match) {
    match = actionCovers(rule.action, requested)
      ? new Match(
          'satisfied',
          rule.action === requested ? 'même action' : `« ${actionLabel(requested)} » est compris dans « ${actionLabel(rule.action)} »`,
        )
      : new Match('not_satisfied', `la règle porte sur « ${actionLabel(rule.action)} », la demande sur « ${actionLabel(requested)} »`);
    byAction.set(requested, match);
  }
  return match;
}

function evaluateDuty(ctx: Ctx, duty: Rule): DutyResult {
  const constraints = evaluateAll(ctx, duty.constraints);
  const refinements = evaluateAll(ctx, duty.refinements);
  const base = {
    path: duty.path,
    ...(duty.id ? { id: duty.id } : {}),
    action: duty.action,
    label: actionLabel(duty.action),
    constraints,
    refinements,
  };
  if (!allHold(constraints)) return { ...base, state: 'inactive', reason: 'ses conditions ne s’appliquent pas à cette demande' };
  const done = ctx.request.state?.duties?.[duty.id ?? ''] ?? ctx.request.state?.duties?.[duty.action];
  if (done === 'fulfilled') return { ...base, state: 'fulfilled', reason: 'accomplie' };
  if (done === 'violated') return { ...base, state: 'violated', reason: 'non respectée' };
  return {
    ...base,
    state: 'pending',
    reason: ctx.pendingDuties === 'block' ? 'doit être accomplie avant' : 'à accomplir lors de l’utilisation',
  };
}

class RuleOutcome implements RuleResult {
  readonly kind: Rule['kind'];
  readonly path: string;
  declare readonly id?: string;
  readonly action: string;
  readonly state: 'active' | 'inactive';
  readonly #why: MatchResult | ConstraintResult | DutyResult | null;

  constructor(
    rule: Rule,
    readonly target: MatchResult,
    readonly assignee: MatchResult,
    readonly actionMatch: MatchResult,
    readonly refinements: ConstraintResult[],
    readonly constraints: ConstraintResult[],
    readonly duties: DutyResult[],
    /** What made it inactive: a match, a constraint or a duty; null when active. */
    why: MatchResult | ConstraintResult | DutyResult | null,
  ) {
    this.kind = rule.kind;
    this.path = rule.path;
    if (rule.id) this.id = rule.id;
    this.action = rule.action;
    this.state = why === null ? 'active' : 'inactive';
    this.#why = why;
  }

  get reason(): string {
    const why = this.#why;
    if (why === null) return 'toutes les conditions sont remplies';
    if (why === this.target || why === this.assignee || why === this.actionMatch) return `ne s’applique pas : ${why.reason}`;
    if ('action' in why) {
      return `obligation ${why.state === 'violated' ? 'non respectée' : 'pas encore accomplie'} : ${why.label}`;
    }
    return `condition non remplie : ${(why as ConstraintResult).label}`;
  }

  toJSON(): RuleResult {
    return {
      kind: this.kind,
      path: this.path,
      ...(this.id ? { id: this.id } : {}),
      action: this.action,
      target: this.target,
      assignee: this.assignee,
      actionMatch: this.actionMatch,
      refinements: this.refinements,
      constraints: this.constraints,
      duties: this.duties,
      state: this.state,
      reason: this.reason,
    };
  }
}

function evaluateAll(ctx: Ctx, constraints: readonly Constraint[]): ConstraintResult[] {
  const results: ConstraintResult[] = [];
  for (const c of constraints) results.push(evaluateConstraint(ctx, c));
  return results;
}

function firstUnsatisfied(results: readonly ConstraintResult[]): ConstraintResult | undefined {
  for (const r of results) if (r.state === 'not_satisfied') return r;
  return undefined;
}

function evaluateRule(ctx: Ctx, rule: Rule): RuleResult {
  const target = matchReference(ctx, rule.target, ctx.request.target, 'target');
  const assignee = matchReference(ctx, rule.assignee, ctx.request.assignee, 'assignee');
  const actionMatch = actionMatchOf(rule, ctx.requested);
  const refinements = evaluateAll(ctx, rule.refinements);
  const constraints = evaluateAll(ctx, rule.constraints);
  const duties: DutyResult[] = [];
  for (const d of rule.duties) duties.push(evaluateDuty(ctx, d));
  let why: MatchResult | ConstraintResult | DutyResult | null = null;
  if (target.state !== 'satisfied') why = target;
  else if (assignee.state !== 'satisfied') why = assignee;
  else if (actionMatch.state !== 'satisfied') why = actionMatch;
  else {
    why = firstUnsatisfied(refinements) ?? firstUnsatisfied(constraints) ?? null;
    if (why === null) {
      for (const d of duties) {
        if (d.state === 'violated' || (d.state === 'pending' && ctx.pendingDuties === 'block')) {
          why = d;
          break;
        }
      }
    }
  }
  return new RuleOutcome(rule, target, assignee, actionMatch, refinements, constraints, duties, why);
}

type Verdict = 'invalid' | 'prohibited' | 'permitted' | 'no_permission';

/**
 * The decision. Outcome and condition are decided at once; the explanation — every rule,
 * constraint and duty with its French reason — is built the first time `rules` or `summary` is
 * read, from the same request (an access check that only needs the outcome does not pay for it).
 */
class DecisionOutcome implements Decision {
  readonly #ctx: Ctx;
  readonly #policy: Policy;
  readonly #verdict: Verdict;
  /** The rule the verdict rests on, as an index into `rules` (-1: none, or to be found). */
  readonly #index: number;
  #rules: RuleResult[] | undefined;

  constructor(
    readonly outcome: 'permit' | 'deny',
    readonly conditional: boolean,
    ctx: Ctx,
    policy: Policy,
    verdict: Verdict,
    index: number,
  ) {
    this.#ctx = ctx;
    this.#policy = policy;
    this.#verdict = verdict;
    this.#index = index;
  }

  get rules(): RuleResult[] {
    if (!this.#rules) {
      const rules: RuleResult[] = [];
      for (const r of this.#policy.permissions) rules.push(evaluateRule(this.#ctx, r));
      for (const r of this.#policy.prohibitions) rules.push(evaluateRule(this.#ctx, r));
      for (const r of this.#policy.obligations) rules.push(evaluateRule(this.#ctx, r));
      this.#rules = rules;
    }
    return this.#rules;
  }

  get summary(): string {
    switch (this.#verdict) {
      case 'invalid':
        return 'Refusé : la politique se contredit (une permission et une interdiction s’appliquent) et déclare un tel conflit invalide.';
      case 'prohibited': {
        const rule = this.rules[this.#index]!;
        return `Refusé : il est interdit de ${actionLabel(rule.action)} (${rule.reason}).`;
      }
      case 'permitted':
        return this.conditional
          ? 'Accordé, sous réserve des conditions vérifiées à l’utilisation et des obligations à remplir.'
          : 'Accordé : toutes les conditions sont remplies.';
      case 'no_permission': {
        const count = this.#policy.permissions.length;
        if (count === 0) return 'Refusé : la politique ne contient aucune permission.';
        // The permission closest to applying: one whose target, party and action match.
        const rules = this.rules;
        let closest = rules[0]!;
        for (let i = 0; i < count; i++) {
          const r = rules[i]!;
          if (r.target.state === 'satisfied' && r.assignee.state === 'satisfied' && r.actionMatch.state === 'satisfied') {
            closest = r;
            break;
          }
        }
        return `Refusé : ${closest.reason}.`;
      }
    }
  }

  toJSON(): Decision {
    return { outcome: this.outcome, conditional: this.conditional, rules: this.rules, summary: this.summary };
  }
}

/** Evaluate a request against a policy (and, in Confiance, the charter's rules appended to it). */
export function evaluatePolicy(policy: Policy, request: EvaluationRequest, options: EvaluateOptions = {}): Decision {
  const ctx: Ctx = {
    request,
    requested: term(request.action),
    useTime: options.useTimeOperands ?? USE_TIME_LEFT_OPERANDS,
    pendingDuties: options.pendingDuties ?? 'block',
  };
  let permitted = -1;
  let conditional = false;
  for (let i = 0; i < policy.permissions.length && permitted < 0; i++) {
    const state = ruleState(ctx, policy.permissions[i]!);
    if (state !== INACTIVE) {
      permitted = i;
      conditional = state === ACTIVE_CONDITIONALLY;
    }
  }
  let prohibited = -1;
  for (let i = 0; i < policy.prohibitions.length && prohibited < 0; i++)
    if (ruleState(ctx, policy.prohibitions[i]!) !== INACTIVE) prohibited = i;

  if (permitted >= 0 && prohibited >= 0 && policy.conflict === 'invalid')
    return new DecisionOutcome('deny', false, ctx, policy, 'invalid', -1);
  if (prohibited >= 0 && !(permitted >= 0 && policy.conflict === 'perm')) {
    return new DecisionOutcome('deny', false, ctx, policy, 'prohibited', policy.permissions.length + prohibited);
  }
  if (permitted >= 0) {
    return new DecisionOutcome('permit', conditional, ctx, policy, 'permitted', permitted);
  }
  return new DecisionOutcome('deny', false, ctx, policy, 'no_permission', -1);
}

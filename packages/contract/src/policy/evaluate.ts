import { OCCITANIE_DEPARTEMENTS } from '../catalog';
import { isPurpose, purposeLabel, purposeSatisfies } from './dpv';
import type { AtomicConstraint, Constraint, Literal, Policy, Reference, Rule } from './model';
import { USE_TIME_LEFT_OPERANDS, actionCovers, term } from './terms';

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
  const v = value.trim().replace(' ', 'T');
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : /T[\d:.]+$/.test(v) ? `${v}Z` : v);
  return Number.isNaN(t) ? null : t;
}

function durationSeconds(value: string): number | null {
  const m = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) return null;
  const n = (i: number) => Number(m[i] ?? 0);
  const s = n(2) * YEAR_S + (n(3) * YEAR_S) / 12 + n(4) * 7 * 86_400 + n(5) * 86_400 + n(6) * 3600 + n(7) * 60 + n(8);
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
    if (t !== null) return new Date(t).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  }
  if (typeof value === 'number') return value.toLocaleString('fr-FR');
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
        : lo === 'cf:column' || lo === 'cf:departement'
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

export function describeConstraint(c: Constraint): string {
  if (c.kind === 'logical') {
    const joiner = { and: ' et ', or: ' ou ', xone: ' ou bien (un seul) ', andSequence: ' puis ' }[c.operator];
    return c.constraints.map((x) => `(${describeConstraint(x)})`).join(joiner);
  }
  return `${operandLabel(c.leftOperand)} : ${constraintPhrase(c)}`;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

interface Ctx {
  request: EvaluationRequest;
  useTime: ReadonlySet<string>;
  pendingDuties: 'block' | 'allow';
}

function requestValues(ctx: Ctx, leftOperand: string): readonly string[] | null {
  const raw = ctx.request.context?.[leftOperand];
  if (raw === undefined) {
    if (leftOperand === 'dateTime' && ctx.request.state?.now) return [ctx.request.state.now];
    return null;
  }
  const list = Array.isArray(raw) ? (raw as readonly Scalar[]) : [raw as Scalar];
  return list.map((v) => (typeof v === 'string' ? term(v) : String(v)));
}

function compareAtomic(c: AtomicConstraint, values: readonly string[]): boolean {
  const d = domainFor(c);
  const right = c.rightOperand.map((l: Literal) => l.value);
  const r0 = right[0] ?? '';
  const some = (v: string, test: (v: string, r: string) => boolean) => right.some((r) => test(v, r));
  switch (c.operator) {
    case 'eq':
      return values.length > 0 && values.every((v) => d.equal(v, r0));
    case 'neq':
      return values.length > 0 && values.every((v) => !d.equal(v, r0));
    case 'lt':
    case 'lteq':
    case 'gt':
    case 'gteq':
      return (
        values.length > 0 &&
        values.every((v) => {
          const o = d.order(v, r0);
          if (o === undefined) return false;
          return c.operator === 'lt' ? o < 0 : c.operator === 'lteq' ? o <= 0 : c.operator === 'gt' ? o > 0 : o >= 0;
        })
      );
    case 'isA':
    case 'isPartOf':
      return values.length > 0 && values.every((v) => some(v, d.within));
    case 'hasPart':
      return right.every((r) => values.some((v) => d.within(r, v)));
    // Set operators compare by containment, as isA does: excluding NAF division "64" must exclude
    // "64.19Z" too, or a consumer could get round an exclusion by declaring a finer code.
    case 'isAnyOf':
      return values.length > 0 && values.every((v) => some(v, d.within));
    case 'isNoneOf':
      return values.every((v) => !some(v, d.within));
    case 'isAllOf':
      return right.every((r) => values.some((v) => d.within(v, r)));
  }
}

function evaluateConstraint(ctx: Ctx, c: Constraint): ConstraintResult {
  const base = { path: c.path, ...(c.id ? { id: c.id } : {}), label: describeConstraint(c) };
  if (c.kind === 'logical') {
    const children: ConstraintResult[] = [];
    if (c.operator === 'andSequence') {
      // In order: once one fails, the rest is not looked at.
      let failed = false;
      for (const x of c.constraints) {
        if (failed) {
          children.push({
            path: x.path,
            label: describeConstraint(x),
            state: 'not_applicable',
            deferred: false,
            reason: 'non évaluée : une contrainte précédente de la séquence n’est pas satisfaite',
          });
          continue;
        }
        const r = evaluateConstraint(ctx, x);
        failed = r.state === 'not_satisfied';
        children.push(r);
      }
    } else {
      for (const x of c.constraints) children.push(evaluateConstraint(ctx, x));
    }
    const sat = children.filter((r) => r.state === 'satisfied').length;
    const unsat = children.filter((r) => r.state === 'not_satisfied').length;
    const deferred = children.filter((r) => r.deferred).length;
    let state: Satisfaction;
    let reason: string;
    switch (c.operator) {
      case 'and':
      case 'andSequence':
        state = unsat > 0 ? 'not_satisfied' : deferred > 0 ? 'not_applicable' : 'satisfied';
        reason = unsat > 0 ? `${unsat} des ${children.length} conditions ne sont pas remplies` : 'toutes les conditions sont remplies';
        break;
      case 'or':
        state = sat > 0 ? 'satisfied' : deferred > 0 ? 'not_applicable' : 'not_satisfied';
        reason = sat > 0 ? 'au moins une des conditions est remplie' : 'aucune des conditions n’est remplie';
        break;
      case 'xone':
        state =
          sat === 1 && deferred === 0
            ? 'satisfied'
            : sat > 1
              ? 'not_satisfied'
              : deferred > 0 && sat <= 1
                ? 'not_applicable'
                : 'not_satisfied';
        reason =
          sat === 1
            ? 'exactement une des conditions est remplie'
            : sat > 1
              ? `${sat} conditions sont remplies alors qu’une seule doit l’être`
              : 'aucune des conditions n’est remplie';
        break;
    }
    const isDeferred = state === 'not_applicable' && deferred > 0;
    return {
      ...base,
      state,
      deferred: isDeferred,
      reason: isDeferred ? 'vérifiée lors de chaque utilisation des données' : reason,
      children,
    };
  }
  const values = requestValues(ctx, c.leftOperand);
  if (values === null) {
    if (ctx.useTime.has(c.leftOperand)) {
      return { ...base, state: 'not_applicable', deferred: true, reason: 'vérifiée lors de chaque utilisation des données' };
    }
    return {
      ...base,
      state: 'not_satisfied',
      deferred: false,
      reason: `la demande ne précise pas : ${operandLabel(c.leftOperand).toLowerCase()}`,
    };
  }
  if (c.rightOperandReference !== undefined && c.rightOperand.length === 0) {
    return {
      ...base,
      state: 'not_satisfied',
      deferred: false,
      reason: 'la valeur de référence (rightOperandReference) n’est pas résolue par ce nœud',
    };
  }
  const ok = compareAtomic(c, values);
  const given = values.map((v) => valueLabel(c.leftOperand, v)).join(', ');
  return {
    ...base,
    state: ok ? 'satisfied' : 'not_satisfied',
    deferred: false,
    reason: ok ? `demandé : ${given}` : `demandé : ${given} — ne correspond pas à « ${constraintPhrase(c)} »`,
  };
}

function allHold(results: readonly ConstraintResult[]): boolean {
  return results.every((r) => r.state !== 'not_satisfied');
}

function matchReference(ctx: Ctx, ref: Reference | undefined, value: string | undefined, what: 'target' | 'assignee'): MatchResult {
  const noun = what === 'target' ? 'la ressource' : 'la partie';
  if (!ref)
    return {
      state: 'satisfied',
      reason: what === 'target' ? 'la règle vaut pour toute ressource de la politique' : 'la règle vaut pour toute partie',
    };
  if (value === undefined) return { state: 'not_satisfied', reason: `la demande ne nomme pas ${noun}` };
  const v = term(value);
  if (v === ref.id) return { state: 'satisfied', reason: `${noun} est celle que nomme la règle` };
  if (!ref.collection) return { state: 'not_satisfied', reason: `la règle vaut pour ${ref.id}, pas pour ${v}` };
  const memberships = ctx.request.state?.partOf?.[v] ?? ctx.request.state?.partOf?.[value] ?? [];
  const member = memberships.map(term).some((m) => m === ref.id || (ref.source !== undefined && m === ref.source));
  if (!member) return { state: 'not_satisfied', reason: `${noun} ne fait pas partie de la collection ${ref.id}` };
  const refinements = ref.refinements.map((c) => evaluateConstraint(ctx, c));
  return allHold(refinements)
    ? { state: 'satisfied', reason: `${noun} fait partie de la collection ${ref.id}`, refinements }
    : { state: 'not_satisfied', reason: `${noun} fait partie de la collection, mais ne remplit pas ses précisions`, refinements };
}

function evaluateDuty(ctx: Ctx, duty: Rule): DutyResult {
  const constraints = duty.constraints.map((c) => evaluateConstraint(ctx, c));
  const refinements = duty.refinements.map((c) => evaluateConstraint(ctx, c));
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

function evaluateRule(ctx: Ctx, rule: Rule): RuleResult {
  const requested = term(ctx.request.action);
  const target = matchReference(ctx, rule.target, ctx.request.target, 'target');
  const assignee = matchReference(ctx, rule.assignee, ctx.request.assignee, 'assignee');
  const covers = actionCovers(rule.action, requested);
  const actionMatch: MatchResult = covers
    ? {
        state: 'satisfied',
        reason:
          rule.action === requested ? 'même action' : `« ${actionLabel(requested)} » est compris dans « ${actionLabel(rule.action)} »`,
      }
    : {
        state: 'not_satisfied',
        reason: `la règle porte sur « ${actionLabel(rule.action)} », la demande sur « ${actionLabel(requested)} »`,
      };
  const refinements = rule.refinements.map((c) => evaluateConstraint(ctx, c));
  const constraints = rule.constraints.map((c) => evaluateConstraint(ctx, c));
  const duties = rule.duties.map((d) => evaluateDuty(ctx, d));
  const base = {
    kind: rule.kind,
    path: rule.path,
    ...(rule.id ? { id: rule.id } : {}),
    action: rule.action,
    target,
    assignee,
    actionMatch,
    refinements,
    constraints,
    duties,
  };
  const matches = target.state === 'satisfied' && assignee.state === 'satisfied' && covers;
  if (!matches) {
    const why = [target, assignee, actionMatch].find((m) => m.state !== 'satisfied')!;
    return { ...base, state: 'inactive', reason: `ne s’applique pas : ${why.reason}` };
  }
  const failed = [...refinements, ...constraints].filter((r) => r.state === 'not_satisfied');
  if (failed.length > 0) return { ...base, state: 'inactive', reason: `condition non remplie : ${failed[0]!.label}` };
  const violated = duties.find((d) => d.state === 'violated' || (d.state === 'pending' && ctx.pendingDuties === 'block'));
  if (violated)
    return {
      ...base,
      state: 'inactive',
      reason: `obligation ${violated.state === 'violated' ? 'non respectée' : 'pas encore accomplie'} : ${violated.label}`,
    };
  return { ...base, state: 'active', reason: 'toutes les conditions sont remplies' };
}

/** Evaluate a request against a policy (and, in Confiance, the charter's rules appended to it). */
export function evaluatePolicy(policy: Policy, request: EvaluationRequest, options: EvaluateOptions = {}): Decision {
  const ctx: Ctx = { request, useTime: options.useTimeOperands ?? USE_TIME_LEFT_OPERANDS, pendingDuties: options.pendingDuties ?? 'block' };
  const permissions = policy.permissions.map((r) => evaluateRule(ctx, r));
  const prohibitions = policy.prohibitions.map((r) => evaluateRule(ctx, r));
  const obligations = policy.obligations.map((r) => evaluateRule(ctx, r));
  const rules = [...permissions, ...prohibitions, ...obligations];
  const permitted = permissions.find((r) => r.state === 'active');
  const prohibited = prohibitions.find((r) => r.state === 'active');
  const conditional = (r: RuleResult) =>
    [...r.constraints, ...r.refinements].some((c) => c.deferred) || r.duties.some((d) => d.state === 'pending');

  if (permitted && prohibited && policy.conflict === 'invalid') {
    return {
      outcome: 'deny',
      conditional: false,
      rules,
      summary: 'Refusé : la politique se contredit (une permission et une interdiction s’appliquent) et déclare un tel conflit invalide.',
    };
  }
  if (prohibited && !(permitted && policy.conflict === 'perm')) {
    return {
      outcome: 'deny',
      conditional: false,
      rules,
      summary: `Refusé : il est interdit de ${actionLabel(prohibited.action)} (${prohibited.reason}).`,
    };
  }
  if (permitted) {
    const cond = conditional(permitted);
    return {
      outcome: 'permit',
      conditional: cond,
      rules,
      summary: cond
        ? `Accordé, sous réserve des conditions vérifiées à l’utilisation et des obligations à remplir.`
        : 'Accordé : toutes les conditions sont remplies.',
    };
  }
  const closest =
    permissions.find((r) => r.target.state === 'satisfied' && r.assignee.state === 'satisfied' && r.actionMatch.state === 'satisfied') ??
    permissions[0];
  return {
    outcome: 'deny',
    conditional: false,
    rules,
    summary: closest ? `Refusé : ${closest.reason}.` : 'Refusé : la politique ne contient aucune permission.',
  };
}

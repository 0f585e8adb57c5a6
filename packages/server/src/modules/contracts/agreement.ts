import {
  DATA_USES,
  USE_ACTIONS,
  actionCovers,
  readPolicy,
  type AtomicConstraint,
  type Constraint,
  OPENSAFELY_DISCLOSURE,
  planOf,
  type DataUse,
  type Disclosure,
  type GrantView,
  type Policy,
} from '@confiance/contract';

/**
 * The agreement: the offer's ODRL policy turned into an ODRL `Agreement` between the provider
 * (assigner) and the consumer or the project (assignee), narrowed to what was agreed — the
 * declared purpose and the validity window — and the grant the access module enforces.
 */

export interface AgreementTerms {
  uid: string;
  assignee: string;
  purpose: string;
  validFrom: Date;
  validUntil: Date;
  /** The ethics commission's conditions, kept in the agreement as a remark. */
  conditions: string | null;
}

const dateTime = (d: Date) => ({ '@value': d.toISOString(), '@type': 'xsd:dateTime' });

export function buildAgreement(offerPolicy: Record<string, unknown>, terms: AgreementTerms): Record<string, unknown> {
  const narrowing = [
    { leftOperand: 'purpose', operator: 'isA', rightOperand: { '@id': terms.purpose } },
    { leftOperand: 'dateTime', operator: 'gteq', rightOperand: dateTime(terms.validFrom) },
    { leftOperand: 'dateTime', operator: 'lteq', rightOperand: dateTime(terms.validUntil) },
  ];
  const permissions = (Array.isArray(offerPolicy.permission) ? offerPolicy.permission : []) as Record<string, unknown>[];
  return {
    ...offerPolicy,
    '@type': 'Agreement',
    uid: terms.uid,
    assignee: terms.assignee,
    permission: permissions.map((p) => ({
      ...p,
      constraint: [...(Array.isArray(p.constraint) ? p.constraint : p.constraint ? [p.constraint] : []), ...narrowing],
    })),
    ...(terms.conditions ? { 'dct:description': `Conditions de la commission d’éthique : ${terms.conditions}` } : {}),
  };
}

function atomics(constraints: readonly Constraint[]): AtomicConstraint[] {
  return constraints.flatMap((c) => (c.kind === 'atomic' ? [c] : c.operator === 'and' ? atomics(c.constraints) : []));
}

export function readAgreement(agreement: unknown): Policy {
  const read = readPolicy(agreement);
  if (!read.ok) throw new Error(`stored agreement does not read: ${JSON.stringify(read.issues)}`);
  return read.policy;
}

const DISCLOSURE_OPERANDS = ['cf:cellCount', 'cf:rounding', 'cf:cellUnits', 'cf:dominance', 'cf:dimension', 'cf:countColumn', 'cf:margin'];

/**
 * The disclosure control the agreement sets. Aggregate-only grants always get one: OpenSAFELY's
 * when the offer predates disclosure terms or says nothing, so no aggregate ever leaves unprotected.
 */
function disclosureOf(
  constraints: readonly AtomicConstraint[],
  values: (leftOperand: string) => string[],
  aggregateOnly: boolean,
): Disclosure | null {
  if (!constraints.some((c) => DISCLOSURE_OPERANDS.includes(c.leftOperand))) return aggregateOnly ? { ...OPENSAFELY_DISCLOSURE } : null;
  const number = (leftOperand: string) => {
    const v = Number(constraints.find((c) => c.leftOperand === leftOperand)?.rightOperand[0]?.value);
    return Number.isFinite(v) ? v : null;
  };
  const cellCount = constraints.find((c) => c.leftOperand === 'cf:cellCount');
  const floor = number('cf:cellCount');
  return {
    // A published count must be > n (gt) or ≥ n (gteq): what is masked is ≤ n or ≤ n − 1.
    suppressAtOrBelow: floor === null ? null : cellCount?.operator === 'gteq' ? floor - 1 : floor,
    roundTo: Math.max(1, Math.trunc(number('cf:rounding') ?? 1)),
    unitColumn: values('cf:unitColumn')[0] ?? null,
    minUnits: number('cf:cellUnits'),
    dominance: number('cf:dominance'),
    dimensions: values('cf:dimension'),
    countColumns: values('cf:countColumn'),
    margins: values('cf:margin').map((m) => {
      const at = m.indexOf('=');
      return { column: m.slice(0, at), value: m.slice(at + 1) };
    }),
  };
}

/** The differential privacy the agreement sets, or null. */
function privacyOf(constraints: readonly AtomicConstraint[], values: (leftOperand: string) => string[]): GrantView['privacy'] {
  const first = (leftOperand: string) => constraints.find((c) => c.leftOperand === leftOperand)?.rightOperand[0]?.value ?? null;
  const epsilon = first('cf:epsilon');
  if (epsilon === null) return null;
  const mechanism = first('cf:noise');
  return {
    epsilon,
    epsilonPerQuery: first('cf:epsilonPerQuery') ?? epsilon,
    delta: first('cf:delta'),
    mechanism: mechanism === 'discrete_gaussian' ? 'discrete_gaussian' : 'discrete_laplace',
    clipping: values('cf:clip').flatMap((text) => {
      const m = /^(.+)=(-?[\d.eE+-]+)\.\.(-?[\d.eE+-]+)$/.exec(text);
      return m ? [{ column: m[1]!, lower: Number(m[2]), upper: Number(m[3]) }] : [];
    }),
  };
}

/**
 * The price the agreement carries: free when it has no `compensate` duty (agreements made before
 * plans existed). Agreements come from offers `checkOffer` accepted, so a duty that does not read
 * as a plan is a stored agreement gone wrong: refused loudly rather than billed as free.
 */
export function planOfAgreement(agreement: Policy): GrantView['plan'] {
  const { plan, issues } = planOf(agreement);
  if (issues.length > 0) throw new Error(`stored agreement ${agreement.uid} has an unreadable price: ${JSON.stringify(issues)}`);
  return plan;
}

/** What the agreement lets the access module do. */
export function grantOf(
  agreement: Policy,
  contract: { id: string; dataset: string; validFrom: Date; validUntil: Date; users: readonly string[] },
): GrantView {
  const uses = DATA_USES.filter((use) => agreement.permissions.some((p) => actionCovers(p.action, USE_ACTIONS[use])));
  const constraints = agreement.permissions.flatMap((p) => atomics(p.constraints));
  const values = (leftOperand: string) => [
    ...new Set(constraints.filter((c) => c.leftOperand === leftOperand).flatMap((c) => c.rightOperand.map((v) => v.value))),
  ];
  const upperBound = (leftOperand: string): number | null => {
    const c = constraints.find((x) => x.leftOperand === leftOperand && (x.operator === 'lteq' || x.operator === 'lt'));
    const v = Number(c?.rightOperand[0]?.value);
    return c && Number.isFinite(v) ? v - (c.operator === 'lt' ? 1 : 0) : null;
  };
  const aggregateOnly = uses.length > 0 && uses.every((u) => u === 'aggregate');
  return {
    contract: contract.id,
    dataset: contract.dataset,
    uses: uses as DataUse[],
    columns: values('cf:column'),
    departements: values('cf:departement'),
    aggregateOnly,
    maxQueries: upperBound('count'),
    queriesPerDay: upperBound('cf:queriesPerDay'),
    rowsPerResponse: upperBound('cf:rowsPerResponse'),
    disclosure: disclosureOf(constraints, values, aggregateOnly),
    privacy: privacyOf(constraints, values),
    joinKeys: values('cf:joinKey'),
    plan: planOfAgreement(agreement),
    validFrom: contract.validFrom.toISOString(),
    validUntil: contract.validUntil.toISOString(),
    users: [...contract.users],
  };
}

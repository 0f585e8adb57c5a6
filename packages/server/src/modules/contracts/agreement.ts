import {
  DATA_USES,
  USE_ACTIONS,
  actionCovers,
  readPolicy,
  type AtomicConstraint,
  type Constraint,
  type DataUse,
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
  const quota = constraints.find((c) => c.leftOperand === 'count' && (c.operator === 'lteq' || c.operator === 'lt'));
  return {
    contract: contract.id,
    dataset: contract.dataset,
    uses: uses as DataUse[],
    columns: values('cf:column'),
    departements: values('cf:departement'),
    aggregateOnly: uses.length > 0 && uses.every((u) => u === 'aggregate'),
    maxQueries: quota ? Number(quota.rightOperand[0]?.value) - (quota.operator === 'lt' ? 1 : 0) : null,
    validFrom: contract.validFrom.toISOString(),
    validUntil: contract.validUntil.toISOString(),
    users: [...contract.users],
  };
}

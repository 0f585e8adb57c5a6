import {
  CONTRACT_TRANSFER_STATE,
  actionLabel,
  can,
  catalogUris,
  describeConstraint,
  purposeLabel,
  type ContractView,
  type DataUse,
  type DecisionView,
  type OrganisationCategory,
  type Principal,
  type RequestView,
  type ReviewView,
} from '@confiance/contract';
import { grantOf, readAgreement } from './agreement';
import type { ContractRow, RequestRow, ReviewRow } from './repository';
import { contractMovesFrom } from './states';

type UserRef = { id: string; display_name: string; email: string };

export function presentReview(row: ReviewRow): ReviewView {
  return {
    id: row.id,
    state: row.state,
    decision: row.decision,
    checklist: (row.checklist as ReviewView['checklist']) ?? null,
    conditions: row.conditions,
    reasons: row.reasons,
    reviewer: row.reviewer_name,
    decidedAt: row.decided_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

export function presentRequest(row: RequestRow, users: UserRef[], review: ReviewRow | undefined, principal: Principal): RequestView {
  const provider = { organisationId: row.provider_id };
  const open = row.stage === 'provider_review' || row.stage === 'ethics_review';
  const isRequester = principal.kind === 'user' && principal.userId === row.requested_by;
  return {
    id: row.id,
    state: row.state,
    stage: row.stage,
    offer: { id: row.offer_id, title: row.offer_title, version: row.offer_version, agreement: row.offer_agreement },
    dataset: { id: row.dataset_id, slug: row.dataset_slug, title: row.dataset_title, accessLevel: row.access_level },
    provider: { id: row.provider_id, slug: row.provider_slug, name: row.provider_name },
    consumer: {
      id: row.consumer_id,
      slug: row.consumer_slug,
      name: row.consumer_name,
      category: row.consumer_category as OrganisationCategory,
    },
    project: row.project_id ? { id: row.project_id, title: row.project_title ?? '' } : null,
    purpose: row.purpose,
    purposeLabel: purposeLabel(row.purpose),
    durationMonths: row.duration_months,
    use: row.use as DataUse,
    justification: row.justification,
    users: users.map((u) => ({ id: u.id, displayName: u.display_name, email: u.email })),
    requestedBy: row.requester_name,
    decision: row.decision as DecisionView,
    review: review ? presentReview(review) : null,
    reason: row.reason,
    decidedAt: row.decided_at?.toISOString() ?? null,
    contract: row.contract_id,
    createdAt: row.created_at.toISOString(),
    can: {
      approve: row.stage === 'provider_review' && !isRequester && can(principal, 'update', 'AccessRequest', provider),
      reject: open && !isRequester && can(principal, 'update', 'AccessRequest', provider),
      withdraw: open && can(principal, 'delete', 'AccessRequest', { organisationId: row.consumer_id }),
      review: row.stage === 'ethics_review' && !isRequester && can(principal, 'update', 'Review'),
    },
  };
}

export interface ContractExtras {
  events: { at: Date; kind: string; organisation: string | null; by: string | null; reason: string | null; version: number }[];
  amendment: {
    id: string;
    proposed_by: string;
    proposed_by_slug: string;
    proposed_by_name: string;
    duration_months: number | null;
    latest_offer: boolean;
    reason: string;
    created_at: Date;
  } | null;
  /** The caller's side, if party to it. */
  side: 'provider' | 'consumer' | null;
}

export function presentContract(row: ContractRow, extras: ContractExtras, principal: Principal, baseUrl: string): ContractView {
  const agreement = readAgreement(row.agreement);
  const grant = grantOf(agreement, {
    id: row.id,
    dataset: catalogUris.dataset(baseUrl, row.dataset_slug),
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    users: row.users,
  });
  const moves = contractMovesFrom(row.state);
  const sideOrg = extras.side === 'provider' ? row.provider_id : extras.side === 'consumer' ? row.consumer_id : null;
  const asProvider = can(principal, 'update', 'Contract', { organisationId: row.provider_id });
  const asAdmin = sideOrg !== null && can(principal, 'delete', 'Contract', { organisationId: sideOrg });
  return {
    id: row.id,
    uri: catalogUris.contract(baseUrl, row.id),
    state: row.state,
    transferState: CONTRACT_TRANSFER_STATE[row.state],
    version: row.version,
    request: row.request_id,
    offer: { id: row.offer_id, title: row.offer_title, version: row.offer_version },
    dataset: { id: row.dataset_id, slug: row.dataset_slug, title: row.dataset_title },
    provider: { id: row.provider_id, slug: row.provider_slug, name: row.provider_name },
    consumer: { id: row.consumer_id, slug: row.consumer_slug, name: row.consumer_name },
    project: row.project_id ? { id: row.project_id, title: row.project_title ?? '' } : null,
    purpose: row.purpose,
    purposeLabel: purposeLabel(row.purpose),
    validFrom: row.valid_from.toISOString(),
    validUntil: row.valid_until.toISOString(),
    agreement: row.agreement as Record<string, unknown>,
    jws: row.jws,
    rules: [...agreement.permissions, ...agreement.prohibitions, ...agreement.obligations].map((r) => ({
      kind: r.kind,
      actionLabel: actionLabel(r.action),
      constraints: [...r.refinements, ...r.constraints].map(describeConstraint),
      duties: r.duties.map((d) => actionLabel(d.action)),
    })),
    conditions: row.conditions,
    grant,
    // Every kind written to contract_events is one of the schema's.
    events: extras.events.map((e) => ({
      at: e.at.toISOString(),
      kind: e.kind as ContractView['events'][number]['kind'],
      organisation: e.organisation,
      by: e.by,
      reason: e.reason,
      version: e.version,
    })),
    pendingAmendment: extras.amendment
      ? {
          id: extras.amendment.id,
          state: 'proposed',
          proposedBy: {
            id: extras.amendment.proposed_by,
            slug: extras.amendment.proposed_by_slug,
            name: extras.amendment.proposed_by_name,
          },
          durationMonths: extras.amendment.duration_months,
          latestOffer: extras.amendment.latest_offer,
          reason: extras.amendment.reason,
          createdAt: extras.amendment.created_at.toISOString(),
        }
      : null,
    terminationReason: row.termination_reason,
    createdAt: row.created_at.toISOString(),
    can: {
      suspend: moves.includes('suspend') && asProvider,
      resume: moves.includes('resume') && asProvider,
      terminate: moves.includes('terminate') && asAdmin,
      amend: moves.includes('amend') && asAdmin && extras.amendment === null,
      acceptAmendment: extras.amendment !== null && asAdmin && extras.amendment.proposed_by !== sideOrg,
    },
  };
}

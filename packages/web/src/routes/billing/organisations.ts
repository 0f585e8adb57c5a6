import { can, type Action, type Subject } from '@confiance/contract';
import { useDirectory } from '../../api/members';
import { principalOf, useSession } from '../../api/session';

export interface OrganisationOption {
  value: string;
  label: string;
}

/** The directory's page size cap: a regional consortium has fewer members than this. */
const DIRECTORY_LIMIT = 200;

/**
 * The organisations the signed-in user may pick for `action` on `subject`: their own where their
 * role allows it, or — for the operator, who answers for every account — every member.
 */
export function useBillingOrganisations(action: Action, subject: Subject) {
  const session = useSession();
  const principal = principalOf(session.data);
  const operator = session.data?.user.platformRoles.includes('operator') ?? false;
  const directory = useDirectory({ limit: DIRECTORY_LIMIT, offset: 0 });
  const own: OrganisationOption[] = (session.data?.memberships ?? [])
    .filter((m) => can(principal, action, subject, { organisationId: m.organisationId, parties: [m.organisationId] }))
    .map((m) => ({ value: m.organisationSlug, label: m.organisationName }));
  const all: OrganisationOption[] = (directory.data?.items ?? []).map((o) => ({ value: o.slug, label: o.shortName || o.legalName }));
  const categories = new Map((directory.data?.items ?? []).map((o) => [o.slug, o.category]));
  return {
    operator,
    principal,
    /** Operator: every member; others: their organisations where the rule allows. */
    options: operator && all.length > 0 ? all : own,
    own,
    all,
    categories,
    pending: session.isPending || (operator && directory.isPending),
  };
}

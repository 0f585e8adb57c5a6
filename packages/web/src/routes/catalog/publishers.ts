import { can } from '@confiance/contract';
import { principalOf, useSession } from '../../api/session';

export interface PublishableOrganisation {
  id: string;
  slug: string;
  name: string;
}

/** The organisations the signed-in user may publish for (data steward or admin), from the one permission table. */
export function usePublishableOrganisations(): PublishableOrganisation[] {
  const session = useSession().data;
  const principal = principalOf(session);
  return (session?.memberships ?? [])
    .filter((m) => can(principal, 'create', 'Dataset', { organisationId: m.organisationId }))
    .map((m) => ({ id: m.organisationId, slug: m.organisationSlug, name: m.organisationName }));
}

import { can, type Action, type NeedStatus, type Subject } from '@confiance/contract';
import { principalOf, useSession } from '../../api/session';

export const NEED_STATUS_COLORS: Record<NeedStatus, string> = { open: 'blue', answered: 'teal', project: 'grape', closed: 'gray' };

/** The user's organisations where the rule lets them `action` a `subject` (slug and name). */
export function useOwnOrganisations(action: Action, subject: Subject) {
  const session = useSession();
  const principal = principalOf(session.data);
  return (session.data?.memberships ?? [])
    .filter((m) => can(principal, action, subject, { organisationId: m.organisationId }))
    .map((m) => ({ value: m.organisationSlug, label: m.organisationName, id: m.organisationId }));
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
export const isIsoDay = (v: string) => ISO_DAY.test(v) && !Number.isNaN(Date.parse(v));

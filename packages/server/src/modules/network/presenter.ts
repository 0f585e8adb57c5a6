import { can, purposeLabel, type NeedAnswerView, type NeedView, type NewsView, type Principal } from '@confiance/contract';
import type { NeedAnswerRow, NeedRow, NewsRow } from './repository';

const orgRef = (id: string, slug: string, name: string) => ({ id, slug, name });

/** Organisations where the caller could answer a need: its steward or admin memberships, not the author's. */
function answeringOrganisations(principal: Principal, need: NeedRow): string[] {
  if (principal.kind !== 'user') return [];
  return principal.memberships
    .filter(
      (m) => m.organisationId !== need.organisation_id && can(principal, 'create', 'NeedAnswer', { organisationId: m.organisationId }),
    )
    .map((m) => m.organisationId);
}

export function presentNeedAnswer(row: NeedAnswerRow): NeedAnswerView {
  return {
    id: row.id,
    organisation: orgRef(row.organisation_id, row.organisation_slug, row.organisation_name),
    kind: row.kind,
    dataset:
      row.dataset_id && row.dataset_slug
        ? { id: row.dataset_id, slug: row.dataset_slug, title: row.dataset_title ?? row.dataset_slug }
        : null,
    expectedAt: row.expected_at,
    message: row.message,
    by: row.author_name,
    createdAt: row.created_at.toISOString(),
  };
}

export function presentNeed(row: NeedRow, principal: Principal, answers?: readonly NeedAnswerRow[]): NeedView {
  const live = row.status === 'open' || row.status === 'answered';
  const answered = new Set(answers?.map((a) => a.organisation_id) ?? []);
  const own = { organisationId: row.organisation_id };
  return {
    id: row.id,
    organisation: orgRef(row.organisation_id, row.organisation_slug, row.organisation_name),
    title: row.title,
    description: row.description,
    domain: row.domain as NeedView['domain'],
    territory: row.territory,
    purpose: row.purpose,
    purposeLabel: purposeLabel(row.purpose),
    wantedBy: row.wanted_by,
    status: row.status,
    project: row.project_id && row.project_title ? { id: row.project_id, title: row.project_title } : null,
    answerCount: row.answer_count,
    ...(answers ? { answers: answers.map(presentNeedAnswer) } : {}),
    createdAt: row.created_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    can: {
      answer: live && answeringOrganisations(principal, row).some((o) => !answered.has(o)),
      close: live && can(principal, 'update', 'Need', own),
      toProject: live && can(principal, 'create', 'Project', own),
    },
  };
}

/** The organisations where the caller could still answer this need (for the answer form). */
export { answeringOrganisations };

export function presentNews(row: NewsRow, principal: Principal): NewsView {
  const resource = row.organisation_id ? { organisationId: row.organisation_id } : {};
  // The association's own posts (no organisation) are the operator's: no org admin edits them.
  const editable = (action: 'update' | 'delete') =>
    row.organisation_id
      ? can(principal, action, 'News', resource)
      : principal.kind === 'user' && principal.platformRoles.includes('operator');
  return {
    id: row.id,
    organisation:
      row.organisation_id && row.organisation_slug && row.organisation_name
        ? orgRef(row.organisation_id, row.organisation_slug, row.organisation_name)
        : null,
    title: row.title,
    body: row.body,
    author: row.author_name,
    publishedAt: row.published_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    can: { update: editable('update'), delete: editable('delete') },
  };
}

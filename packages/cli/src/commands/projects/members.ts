import { PROJECT_ROLE_LABELS, type PartnerRole, type ProjectDetailView } from '@confiance/contract';
import { connect } from '../../api';
import { print, printJson, table } from '../../output';
import { getProject } from './project';

export const MEMBER_ACTIONS = ['list', 'invite', 'accept', 'decline', 'remove'] as const;
export type MemberAction = (typeof MEMBER_ACTIONS)[number];

function printMembers(project: ProjectDetailView): void {
  const rows = [
    { slug: project.lead.slug, name: project.lead.name, role: PROJECT_ROLE_LABELS.lead, state: 'chef de file' },
    ...project.partners.map((o) => ({ ...o, role: PROJECT_ROLE_LABELS[o.role], state: 'partenaire' })),
    ...project.invited.map((o) => ({ ...o, role: PROJECT_ROLE_LABELS[o.role], state: 'invitée' })),
    ...project.declined.map((o) => ({ ...o, role: PROJECT_ROLE_LABELS[o.role], state: 'a décliné' })),
  ];
  print(
    table(rows, [
      { header: 'Organisation', value: (r) => r.slug },
      { header: 'Nom', value: (r) => r.name },
      { header: 'Rôle', value: (r) => r.role },
      { header: 'Situation', value: (r) => r.state },
    ]),
  );
}

const DONE: Record<Exclude<MemberAction, 'list'>, string> = {
  invite: 'invitée : ses administrateurs acceptent ou déclinent',
  accept: 'a rejoint le projet',
  decline: 'a décliné l’invitation',
  remove: 'retirée du projet',
};

/**
 * The project's organisations; the lead's admin invites (with a role) and removes, the invited
 * organisation's admin accepts or declines.
 */
export async function projectsMembers(
  id: string,
  action: MemberAction = 'list',
  organisation: string | undefined,
  options: { role?: PartnerRole; json?: boolean },
): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  let project = await getProject(client, id);
  if (action !== 'list') {
    if (!organisation)
      throw new Error(`« members ${action} » attend l’organisation (slug) : confiance projects members ${id} ${action} ORGANISATION`);
    project =
      action === 'invite'
        ? await client.projects.invite(id, { organisation, role: options.role ?? 'partner' })
        : action === 'remove'
          ? await client.projects.removePartner(id, organisation)
          : await client.projects.answer(id, organisation, action);
    if (!options.json) print(`${organisation} ${DONE[action]}.\n`);
  }
  if (options.json) printJson(project);
  else printMembers(project);
}

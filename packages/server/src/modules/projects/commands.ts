import type { deliverableInput, fundingInput, milestoneInput } from '@confiance/contract';
import {
  PROJECT_ROLE_LABELS,
  PROJECT_STATUS_LABELS,
  PROJECT_TRANSITIONS,
  isPurpose,
  partnerInviteInput,
  projectDatasetInput,
  projectInput,
  projectPatch,
  purposeTerm,
  type PartnerInviteInput,
  type PartnerRole,
  type ProjectDatasetInput,
  type ProjectInput,
  type ProjectPatch,
  type ProjectStatus,
} from '@confiance/contract';
import type { z } from 'zod';
import type { Context, Executor } from '../../platform/context';
import { AppError, validationFailed } from '../../platform/http/errors';
import { notify, staffOf } from '../mailing/index';
import { findOrganisation } from '../members/index';
import { findProject, projectOrganisations, type ProjectRow } from './repository';

/** Who acts: a signed-in user. */
export interface Actor {
  userId: string;
}

function purposeOf(value: string): string {
  if (!isPurpose(value)) {
    throw new AppError('validation_failed', `Finalité inconnue « ${value} ».`, {
      issues: [{ path: 'purpose', message: 'finalité DPV inconnue' }],
    });
  }
  return `dpv:${purposeTerm(value)!}`;
}

/** An active member organisation, by slug or id; `path` names the field in the error. */
async function memberOrganisation(db: Executor, ref: string, path: string) {
  const org = await findOrganisation(db, ref);
  if (!org || org.status !== 'active') {
    throw new AppError('validation_failed', `Organisation inconnue : ${ref}.`, { issues: [{ path, message: 'organisation inconnue' }] });
  }
  return org;
}

type Lists = {
  milestones?: z.output<typeof milestoneInput>[] | undefined;
  funding?: z.output<typeof fundingInput>[] | undefined;
  deliverables?: z.output<typeof deliverableInput>[] | undefined;
};

/** Deliverables name catalog datasets by slug: resolved before the transaction, unknown ones refused. */
async function deliverableDatasets(db: Executor, lists: Lists): Promise<Map<string, string>> {
  const slugs = [...new Set((lists.deliverables ?? []).flatMap((d) => (d.dataset ? [d.dataset] : [])))];
  if (slugs.length === 0) return new Map();
  const rows = await db.selectFrom('datasets').select(['id', 'slug']).where('slug', 'in', slugs).execute();
  const ids = new Map(rows.map((r) => [r.slug, r.id]));
  for (const [i, d] of (lists.deliverables ?? []).entries()) {
    if (d.dataset && !ids.has(d.dataset)) {
      throw new AppError('validation_failed', `Livrable « ${d.title} » : jeu de données inconnu « ${d.dataset} ».`, {
        issues: [{ path: `deliverables.${i}.dataset`, message: 'jeu de données inconnu' }],
      });
    }
  }
  return ids;
}

/** Replaces the lists given (absent ones stay as they are). */
async function writeLists(trx: Executor, projectId: string, lists: Lists, datasets: Map<string, string>): Promise<void> {
  if (lists.milestones) {
    await trx.deleteFrom('project_milestones').where('project_id', '=', projectId).execute();
    if (lists.milestones.length > 0)
      await trx
        .insertInto('project_milestones')
        .values(lists.milestones.map((m, position) => ({ project_id: projectId, position, title: m.title, due_on: m.dueOn, done: m.done })))
        .execute();
  }
  if (lists.funding) {
    await trx.deleteFrom('project_funding').where('project_id', '=', projectId).execute();
    if (lists.funding.length > 0)
      await trx
        .insertInto('project_funding')
        .values(
          lists.funding.map((f, position) => ({
            project_id: projectId,
            position,
            call: f.call,
            funder: f.funder,
            amount: f.amount,
            status: f.status,
            submitted_on: f.submittedOn,
            decided_on: f.decidedOn,
          })),
        )
        .execute();
  }
  if (lists.deliverables) {
    await trx.deleteFrom('project_deliverables').where('project_id', '=', projectId).execute();
    if (lists.deliverables.length > 0)
      await trx
        .insertInto('project_deliverables')
        .values(
          lists.deliverables.map((d, position) => ({
            project_id: projectId,
            position,
            title: d.title,
            kind: d.kind,
            link: d.link,
            dataset_id: d.dataset ? datasets.get(d.dataset)! : null,
            due_on: d.dueOn,
            delivered_on: d.deliveredOn,
          })),
        )
        .execute();
  }
}

async function inviteIn(
  trx: Executor,
  project: { id: string; title: string; leadName: string },
  organisationId: string,
  role: PartnerRole,
  actor: Actor,
): Promise<void> {
  await trx
    .insertInto('project_invitations')
    .values({ project_id: project.id, organisation_id: organisationId, role, invited_by: actor.userId })
    .onConflict((oc) =>
      oc.columns(['project_id', 'organisation_id']).doUpdateSet({
        role,
        state: 'invited',
        invited_by: actor.userId,
        invited_at: new Date(),
        decided_by: null,
        decided_at: null,
      }),
    )
    .execute();
  await notify(
    trx,
    await staffOf(trx, organisationId, ['org_admin']),
    'project.invited',
    `${project.leadName} invite votre organisation au projet « ${project.title} » (${PROJECT_ROLE_LABELS[role].toLowerCase()}).`,
    `/projets/${project.id}`,
  );
}

/**
 * Creates a project led by `leadId` (the caller must be its org admin: the route checks it).
 * The partners named are invited, not enrolled: each becomes a party once its admin accepts.
 * Called by the projects route and by the needs board ("a need becomes a project").
 */
export async function createProject(ctx: Context, actor: Actor, leadId: string, raw: ProjectInput): Promise<ProjectRow> {
  const parsed = projectInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Projet invalide');
  const input = parsed.data;
  const purpose = purposeOf(input.purpose);
  const lead = await findOrganisation(ctx.db, leadId);
  if (!lead) throw new AppError('not_found', 'Organisation porteuse introuvable.');
  const invited = new Map<string, PartnerRole>();
  for (const [i, ref] of input.partners.entries()) {
    const { organisation, role } = typeof ref === 'string' ? { organisation: ref, role: 'partner' as const } : ref;
    const org = await memberOrganisation(ctx.db, organisation, `partners.${i}`);
    if (org.id !== lead.id && !invited.has(org.id)) invited.set(org.id, role);
  }
  const datasets = await deliverableDatasets(ctx.db, input);
  const id = crypto.randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('projects')
      .values({
        id,
        title: input.title,
        purpose,
        objective: input.objective,
        description: input.description,
        lead_organisation_id: lead.id,
        created_by: actor.userId,
        domains: input.domains,
        territory: input.territory,
        status: input.status,
      })
      .execute();
    await writeLists(trx, id, input, datasets);
    for (const [organisationId, role] of invited)
      await inviteIn(trx, { id, title: input.title, leadName: lead.short_name }, organisationId, role, actor);
  });
  return (await findProject(ctx.db, id))!;
}

const STATUS_HINT: Partial<Record<`${ProjectStatus}>${ProjectStatus}`, string>> = {
  'idea>running': 'passez d’abord par « montage »',
  'running>setup': 'un projet lancé ne revient pas en montage ; clore puis rouvrir si besoin',
  'running>idea': 'un projet lancé ne redevient pas une idée',
  'closed>idea': 'un projet clos ne peut être que rouvert « en cours »',
  'closed>setup': 'un projet clos ne peut être que rouvert « en cours »',
};

/** Refuses a status move the lifecycle does not allow, saying which moves are possible. */
export function checkTransition(from: ProjectStatus, to: ProjectStatus): void {
  if (from === to || PROJECT_TRANSITIONS[from].includes(to)) return;
  const allowed = PROJECT_TRANSITIONS[from].map((s) => `« ${PROJECT_STATUS_LABELS[s]} »`).join(' ou ');
  const hint = STATUS_HINT[`${from}>${to}`];
  throw new AppError(
    'conflict',
    `Un projet « ${PROJECT_STATUS_LABELS[from]} » ne peut pas passer « ${PROJECT_STATUS_LABELS[to]} »${hint ? ` : ${hint}` : ''}. Possible : ${allowed}.`,
    { from, to, allowed: PROJECT_TRANSITIONS[from] },
  );
}

/** The lead's admin changes the project: fields given only; lists given replace the whole list. */
export async function updateProject(ctx: Context, _actor: Actor, project: ProjectRow, raw: ProjectPatch): Promise<void> {
  const parsed = projectPatch.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Modification invalide');
  const patch = parsed.data;
  if (patch.status) checkTransition(project.status, patch.status);
  const purpose = patch.purpose === undefined ? undefined : purposeOf(patch.purpose);
  const datasets = await deliverableDatasets(ctx.db, patch);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('projects')
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(purpose !== undefined ? { purpose } : {}),
        ...(patch.objective !== undefined ? { objective: patch.objective } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.domains !== undefined ? { domains: patch.domains } : {}),
        ...(patch.territory !== undefined ? { territory: patch.territory } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', project.id)
      .execute();
    await writeLists(trx, project.id, patch, datasets);
  });
}

/** The lead's admin invites an organisation with a role; its admins are notified. */
export async function invitePartner(ctx: Context, actor: Actor, project: ProjectRow, raw: PartnerInviteInput): Promise<void> {
  const parsed = partnerInviteInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Invitation invalide');
  const org = await memberOrganisation(ctx.db, parsed.data.organisation, 'organisation');
  if (org.id === project.lead_organisation_id) throw new AppError('conflict', `${org.short_name} porte déjà ce projet.`);
  if (project.status === 'closed') throw new AppError('conflict', 'Le projet est clos : rouvrez-le pour inviter un partenaire.');
  const partner = await ctx.db
    .selectFrom('project_partners')
    .select('role')
    .where('project_id', '=', project.id)
    .where('organisation_id', '=', org.id)
    .executeTakeFirst();
  if (partner) throw new AppError('conflict', `${org.short_name} est déjà partenaire du projet.`);
  const pending = await ctx.db
    .selectFrom('project_invitations')
    .select('state')
    .where('project_id', '=', project.id)
    .where('organisation_id', '=', org.id)
    .executeTakeFirst();
  if (pending?.state === 'invited') throw new AppError('conflict', `${org.short_name} est déjà invitée : sa réponse est attendue.`);
  await ctx.db.transaction().execute(async (trx) => {
    await inviteIn(trx, { id: project.id, title: project.title, leadName: project.lead_name }, org.id, parsed.data.role, actor);
  });
}

/**
 * The invited organisation's admin accepts (it becomes a party, with the role it was invited
 * with) or declines; the lead's admins are told.
 */
export async function answerInvitation(
  ctx: Context,
  actor: Actor,
  project: ProjectRow,
  organisationId: string,
  answer: 'accept' | 'decline',
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const invitation = await trx
      .selectFrom('project_invitations as pi')
      .innerJoin('organisations as o', 'o.id', 'pi.organisation_id')
      .select(['pi.role', 'pi.state', 'o.short_name'])
      .where('pi.project_id', '=', project.id)
      .where('pi.organisation_id', '=', organisationId)
      .forUpdate()
      .executeTakeFirst();
    if (!invitation) throw new AppError('not_found', 'Aucune invitation de cette organisation à ce projet.');
    if (invitation.state !== 'invited')
      throw new AppError('conflict', 'Cette invitation a déjà été déclinée ; le chef de file peut inviter à nouveau.');
    if (answer === 'accept') {
      await trx
        .deleteFrom('project_invitations')
        .where('project_id', '=', project.id)
        .where('organisation_id', '=', organisationId)
        .execute();
      await trx
        .insertInto('project_partners')
        .values({ project_id: project.id, organisation_id: organisationId, role: invitation.role })
        .execute();
    } else {
      await trx
        .updateTable('project_invitations')
        .set({ state: 'declined', decided_by: actor.userId, decided_at: new Date() })
        .where('project_id', '=', project.id)
        .where('organisation_id', '=', organisationId)
        .execute();
    }
    await notify(
      trx,
      await staffOf(trx, project.lead_organisation_id, ['org_admin']),
      'project.answered',
      `${invitation.short_name} ${answer === 'accept' ? 'a rejoint' : 'a décliné l’invitation au'} projet « ${project.title} ».`,
      `/projets/${project.id}`,
    );
  });
}

/** The lead's admin removes a partner or withdraws an invitation. The lead cannot be removed. */
export async function removePartner(ctx: Context, _actor: Actor, project: ProjectRow, organisationId: string): Promise<void> {
  if (organisationId === project.lead_organisation_id) {
    throw new AppError('conflict', 'Le chef de file ne peut pas être retiré du projet.');
  }
  await ctx.db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('project_partners')
      .where('project_id', '=', project.id)
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst();
    const withdrawn = await trx
      .deleteFrom('project_invitations')
      .where('project_id', '=', project.id)
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0 && Number(withdrawn.numDeletedRows) === 0) {
      throw new AppError('not_found', 'Cette organisation n’est ni partenaire ni invitée de ce projet.');
    }
    if (Number(removed.numDeletedRows) > 0)
      await notify(
        trx,
        await staffOf(trx, organisationId, ['org_admin']),
        'project.removed',
        `${project.lead_name} a retiré votre organisation du projet « ${project.title} ».`,
        `/projets/${project.id}`,
      );
  });
}

/**
 * The party (lead or accepted partner) on whose behalf `actor` attaches or detaches a dataset: one
 * where they are admin or steward. Undefined when they are neither (the route has checked it).
 */
async function actingParty(db: Executor, actor: Actor, projectId: string): Promise<string | undefined> {
  const parties = await projectOrganisations(db, projectId);
  if (parties.length === 0) return undefined;
  const row = await db
    .selectFrom('memberships')
    .select('organisation_id')
    .where('user_id', '=', actor.userId)
    .where('organisation_id', 'in', parties)
    .where('role', 'in', ['org_admin', 'data_steward'])
    .orderBy('role')
    .executeTakeFirst();
  return row?.organisation_id;
}

/**
 * A party's admin or steward attaches a dataset of the catalog to the project (open data it uses
 * without a contract, or data it means to request), with a note saying what for. Once per dataset.
 */
export async function attachDataset(ctx: Context, actor: Actor, project: ProjectRow, raw: ProjectDatasetInput): Promise<void> {
  const parsed = projectDatasetInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Rattachement invalide');
  const { dataset: slug, note } = parsed.data;
  if (project.status === 'closed') throw new AppError('conflict', 'Le projet est clos : rouvrez-le pour y rattacher un jeu de données.');
  const dataset = await ctx.db.selectFrom('datasets').select(['id', 'title_fr', 'status']).where('slug', '=', slug).executeTakeFirst();
  if (!dataset) {
    throw new AppError('validation_failed', `Jeu de données inconnu « ${slug} ».`, {
      issues: [{ path: 'dataset', message: 'jeu de données inconnu' }],
    });
  }
  if (dataset.status === 'withdrawn')
    throw new AppError('conflict', `« ${dataset.title_fr} » a été retiré du catalogue : il ne peut plus être rattaché.`);
  const organisationId = (await actingParty(ctx.db, actor, project.id)) ?? null;
  const inserted = await ctx.db
    .insertInto('project_datasets')
    .values({ project_id: project.id, dataset_id: dataset.id, attached_by: actor.userId, organisation_id: organisationId, note })
    .onConflict((oc) => oc.columns(['project_id', 'dataset_id']).doNothing())
    .returning('project_id')
    .executeTakeFirst();
  if (!inserted) {
    throw new AppError('conflict', `« ${dataset.title_fr} » est déjà rattaché au projet.`, { dataset: slug });
  }
}

/** A party's admin or steward detaches a dataset (its requests and contracts stay in the flows). */
export async function detachDataset(ctx: Context, _actor: Actor, project: ProjectRow, slug: string): Promise<void> {
  const dataset = await ctx.db.selectFrom('datasets').select('id').where('slug', '=', slug).executeTakeFirst();
  const removed = dataset
    ? await ctx.db
        .deleteFrom('project_datasets')
        .where('project_id', '=', project.id)
        .where('dataset_id', '=', dataset.id)
        .executeTakeFirst()
    : undefined;
  if (!removed || Number(removed.numDeletedRows) === 0) {
    throw new AppError('not_found', `Le jeu de données « ${slug} » n’est pas rattaché à ce projet.`);
  }
}

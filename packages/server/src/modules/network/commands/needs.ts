import {
  isPurpose,
  needAnswerInput,
  needInput,
  needToProjectInput,
  purposeTerm,
  REFUSAL_MIN_LENGTH,
  TERRITORY_REGION,
  type NeedView,
  type NeedAnswerInput,
  type NeedInput,
} from '@confiance/contract';
import type { z } from 'zod';
import type { Context } from '../../../platform/context';
import { AppError, validationFailed } from '../../../platform/http/errors';
import { findDataset } from '../../catalog/index';
import { notify } from '../../mailing/index';
import { createProject } from '../../projects/index';
import { findOrganisation } from '../../members/index';
import { findNeed, lockNeed, listAnswers, type NeedRow } from '../repository';

export interface Actor {
  userId: string;
}

function invalid(path: string, message: string, lead: string): AppError {
  return new AppError('validation_failed', `${lead} : ${message}.`, { issues: [{ path, message }] });
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A need stays answerable until its author closes it or turns it into a project. */
function assertOpen(need: NeedRow): void {
  if (need.status === 'closed') throw new AppError('conflict', 'Ce besoin est clos : il ne prend plus de réponse.');
  if (need.status === 'project') throw new AppError('conflict', 'Ce besoin est déjà devenu un projet.');
}

/** A member posts what data it lacks, for what purpose, where and by when. */
export async function createNeed(ctx: Context, actor: Actor, organisationId: string, raw: NeedInput): Promise<NeedRow> {
  const parsed = needInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Besoin invalide');
  const input = parsed.data;
  if (!isPurpose(input.purpose)) throw invalid('purpose', `finalité DPV inconnue « ${input.purpose} »`, 'Besoin invalide');
  if (input.wantedBy && input.wantedBy < today()) throw invalid('wantedBy', 'la date souhaitée est déjà passée', 'Besoin invalide');
  const id = crypto.randomUUID();
  await ctx.db
    .insertInto('needs')
    .values({
      id,
      organisation_id: organisationId,
      author_id: actor.userId,
      title: input.title,
      description: input.description,
      domain: input.domain,
      territory: [...new Set(input.territory)],
      purpose: `dpv:${purposeTerm(input.purpose)!}`,
      wanted_by: input.wantedBy,
    })
    .execute();
  return (await findNeed(ctx.db, id))!;
}

/**
 * A provider answers: a dataset it publishes, a plan to publish by a date, or a reasoned refusal.
 * One answer per organisation and need; the need's author is told.
 */
export async function answerNeed(
  ctx: Context,
  actor: Actor,
  need: NeedRow,
  organisationId: string,
  raw: NeedAnswerInput,
): Promise<NeedRow> {
  const parsed = needAnswerInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Réponse invalide');
  const input = parsed.data;
  const lead = 'Réponse invalide';
  if (organisationId === need.organisation_id)
    throw new AppError('conflict', 'Votre organisation a posté ce besoin : elle ne peut pas y répondre.');
  let datasetId: string | null = null;
  let expectedAt: string | null = null;
  switch (input.kind) {
    case 'dataset': {
      if (!input.dataset) throw invalid('dataset', 'choisissez le jeu de données du catalogue qui répond au besoin', lead);
      const dataset = await findDataset(ctx.db, input.dataset);
      if (!dataset || dataset.status !== 'published')
        throw invalid('dataset', `jeu de données « ${input.dataset} » introuvable au catalogue`, lead);
      if (dataset.organisation_id !== organisationId)
        throw invalid('dataset', 'ce jeu de données n’est pas publié par votre organisation', lead);
      datasetId = dataset.id;
      break;
    }
    case 'plan':
      if (!input.expectedAt) throw invalid('expectedAt', 'indiquez la date de publication prévue', lead);
      if (input.expectedAt < today()) throw invalid('expectedAt', 'la date de publication prévue est déjà passée', lead);
      expectedAt = input.expectedAt;
      break;
    case 'refusal':
      if (input.message.length < REFUSAL_MIN_LENGTH)
        throw invalid('message', `expliquez le refus en ${REFUSAL_MIN_LENGTH} caractères au moins`, lead);
      break;
  }
  const answerer = (await findOrganisation(ctx.db, organisationId))!;
  await ctx.db.transaction().execute(async (trx) => {
    await lockNeed(trx, need.id);
    const current = (await findNeed(trx, need.id))!;
    assertOpen(current);
    const already = await trx
      .selectFrom('need_answers')
      .select('id')
      .where('need_id', '=', need.id)
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst();
    if (already) throw new AppError('conflict', 'Votre organisation a déjà répondu à ce besoin.');
    await trx
      .insertInto('need_answers')
      .values({
        need_id: need.id,
        organisation_id: organisationId,
        author_id: actor.userId,
        kind: input.kind,
        dataset_id: datasetId,
        expected_at: expectedAt,
        message: input.message,
      })
      .execute();
    // A refusal is an answer, not a solution: the need stays open for others.
    if (input.kind !== 'refusal' && current.status === 'open') {
      await trx.updateTable('needs').set({ status: 'answered', updated_at: new Date() }).where('id', '=', need.id).execute();
    }
    const verb = input.kind === 'dataset' ? 'propose un jeu de données' : input.kind === 'plan' ? 'prévoit de publier' : 'décline';
    await notify(
      trx,
      [current.author_id],
      'need.answered',
      `${answerer.short_name} ${verb} pour « ${current.title} »`,
      `/besoins/${need.id}`,
    );
  });
  return (await findNeed(ctx.db, need.id))!;
}

/** The author's organisation closes the need: it was met, or it no longer matters. */
export async function closeNeed(ctx: Context, need: NeedRow): Promise<NeedRow> {
  await ctx.db.transaction().execute(async (trx) => {
    await lockNeed(trx, need.id);
    assertOpen((await findNeed(trx, need.id))!);
    await trx
      .updateTable('needs')
      .set({ status: 'closed', closed_at: new Date(), updated_at: new Date() })
      .where('id', '=', need.id)
      .execute();
  });
  return (await findNeed(ctx.db, need.id))!;
}

/**
 * The need becomes a project led by its organisation, for the same purpose; the organisations that
 * offered a dataset or a plan are invited as partners. The project is created by the projects
 * module's own command (its own transaction); the need then points to it.
 */
export async function needToProject(ctx: Context, actor: Actor, need: NeedRow, raw: z.input<typeof needToProjectInput>): Promise<NeedRow> {
  const parsed = needToProjectInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Projet invalide');
  const input = parsed.data;
  assertOpen(need);
  const answers = await listAnswers(ctx.db, need.id);
  // Those who offered a dataset or a plan join as data providers (invited: their admin accepts).
  const partners = input.inviteAnswerers
    ? answers.filter((a) => a.kind !== 'refusal').map((a) => ({ organisation: a.organisation_id, role: 'data_provider' as const }))
    : [];
  const project = await createProject(ctx, actor, need.organisation_id, {
    title: input.title ?? need.title,
    purpose: need.purpose,
    description: need.description,
    leadOrganisation: need.organisation_id,
    partners,
    domains: [need.domain as NeedView['domain']],
    // A project's territory lists départements; « Occitanie » means the whole region: none listed.
    territory: need.territory.filter((t) => t !== TERRITORY_REGION),
  });
  await ctx.db.transaction().execute(async (trx) => {
    await lockNeed(trx, need.id);
    // Closed meanwhile by a colleague: the project stands, the need keeps its state.
    assertOpen((await findNeed(trx, need.id))!);
    await trx
      .updateTable('needs')
      .set({ status: 'project', project_id: project.id, updated_at: new Date() })
      .where('id', '=', need.id)
      .execute();
    // The invited partners hear from the projects module; the need's author hears from us.
    if (need.author_id !== actor.userId)
      await notify(trx, [need.author_id], 'need.project', `Votre besoin « ${need.title} » devient un projet`, `/projets/${project.id}`);
  });
  return (await findNeed(ctx.db, need.id))!;
}

import { isPurpose, projectInput, purposeTerm, type ProjectInput } from '@confiance/contract';
import type { Context } from '../../../platform/context';
import { AppError, validationFailed } from '../../../platform/http/errors';
import { findOrganisation } from '../../members/index';
import { findProject, type ProjectRow } from '../repository';
import type { Actor } from './contracts';

/** A minimal project: a title, a DPV purpose, a lead organisation and its partners. */
export async function createProject(ctx: Context, actor: Actor, leadId: string, raw: ProjectInput): Promise<ProjectRow> {
  const parsed = projectInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Projet invalide');
  const input = parsed.data;
  if (!isPurpose(input.purpose)) {
    throw new AppError('validation_failed', `Finalité inconnue « ${input.purpose} ».`, {
      issues: [{ path: 'purpose', message: 'finalité DPV inconnue' }],
    });
  }
  const partners: string[] = [];
  for (const [i, ref] of input.partners.entries()) {
    const org = await findOrganisation(ctx.db, ref);
    if (!org || org.status !== 'active') {
      throw new AppError('validation_failed', `Organisation partenaire inconnue : ${ref}.`, {
        issues: [{ path: `partners.${i}`, message: 'organisation inconnue' }],
      });
    }
    if (org.id !== leadId && !partners.includes(org.id)) partners.push(org.id);
  }
  const id = crypto.randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('projects')
      .values({
        id,
        title: input.title,
        purpose: `dpv:${purposeTerm(input.purpose)!}`,
        description: input.description,
        lead_organisation_id: leadId,
        created_by: actor.userId,
      })
      .execute();
    if (partners.length > 0)
      await trx
        .insertInto('project_partners')
        .values(partners.map((organisation_id) => ({ project_id: id, organisation_id })))
        .execute();
  });
  return (await findProject(ctx.db, id))!;
}

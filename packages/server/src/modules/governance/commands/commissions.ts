import {
  agendaItemInput,
  commissionDocumentInput,
  commissionMemberInput,
  commissionUpdate,
  gatesUpdate,
  type CommissionDocumentInput,
  type GatesUpdate,
} from '@confiance/contract';
import type { z } from 'zod';
import type { Context } from '../../../platform/context';
import { sha256Hex } from '../../../platform/crypto';
import { AppError, validationFailed } from '../../../platform/http/errors';
import { gateExecutor } from '../gates';
import { findCommission } from '../repository';
import type { Actor } from './votes';

interface Commission {
  id: string;
  kind: string;
}

/** The operator renames the fifth commission (the others keep their mandate's name) or edits a description. */
export async function updateCommission(ctx: Context, commission: Commission, raw: z.input<typeof commissionUpdate>): Promise<void> {
  const parsed = commissionUpdate.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Commission invalide');
  const { name, description } = parsed.data;
  if (name !== undefined && commission.kind !== 'custom') {
    throw new AppError('validation_failed', 'Seule la cinquième commission (celle que l’opérateur nomme) peut être renommée.', {
      issues: [{ path: ['name'], message: 'nom fixé par les statuts' }],
    });
  }
  if (name === undefined && description === undefined) return;
  await ctx.db
    .updateTable('commissions')
    .set({ ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}) })
    .where('id', '=', commission.id)
    .execute();
}

/** Appoints a user (by e-mail) or changes their role; returns whether they were new. */
export async function appointMember(
  ctx: Context,
  commission: Commission,
  raw: z.input<typeof commissionMemberInput>,
): Promise<{ created: boolean; userId: string }> {
  const parsed = commissionMemberInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Membre invalide');
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'status'])
    .where('email', '=', parsed.data.email.toLowerCase())
    .executeTakeFirst();
  if (!user || user.status !== 'active') {
    throw new AppError(
      'validation_failed',
      `Aucun compte actif pour ${parsed.data.email} : invitez d’abord cette personne dans son organisation.`,
      {
        issues: [{ path: ['email'], message: 'compte inconnu' }],
      },
    );
  }
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('commission_members')
      .select('role')
      .where('commission_id', '=', commission.id)
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    if (existing) {
      await trx
        .updateTable('commission_members')
        .set({ role: parsed.data.role })
        .where('commission_id', '=', commission.id)
        .where('user_id', '=', user.id)
        .execute();
    } else {
      await trx
        .insertInto('commission_members')
        .values({ commission_id: commission.id, user_id: user.id, role: parsed.data.role })
        .execute();
    }
    return { created: !existing, userId: user.id };
  });
}

export async function removeMember(ctx: Context, commission: Commission, userId: string): Promise<void> {
  const result = await ctx.db
    .deleteFrom('commission_members')
    .where('commission_id', '=', commission.id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new AppError('not_found', 'Cette personne n’est pas membre de la commission.');
}

export async function addAgendaItem(
  ctx: Context,
  actor: Actor,
  commission: Commission,
  raw: z.input<typeof agendaItemInput>,
): Promise<string> {
  const parsed = agendaItemInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Point d’ordre du jour invalide');
  const row = await ctx.db
    .insertInto('commission_agenda')
    .values({
      commission_id: commission.id,
      date: parsed.data.date,
      title: parsed.data.title,
      notes: parsed.data.notes,
      created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function addDocument(ctx: Context, actor: Actor, commission: Commission, raw: CommissionDocumentInput): Promise<string> {
  const parsed = commissionDocumentInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Document invalide');
  const { title, text, url } = parsed.data;
  const row = await ctx.db
    .insertInto('commission_documents')
    .values({
      commission_id: commission.id,
      title,
      body: text ?? null,
      url: url ?? null,
      sha256: text !== undefined ? sha256Hex(text) : null,
      created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The operator turns gates on or off and says which commission votes, under which rules. */
export async function updateGates(ctx: Context, actor: Actor, raw: GatesUpdate): Promise<void> {
  const parsed = gatesUpdate.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Réglages des votes préalables invalides');
  await ctx.db.transaction().execute(async (trx) => {
    for (const [i, item] of parsed.data.items.entries()) {
      if (item.enabled && !gateExecutor(item.action)) {
        throw new AppError('validation_failed', 'Cette action ne peut pas encore être soumise au vote d’une commission.', {
          issues: [{ path: ['items', i, 'action'], message: 'non disponible' }],
        });
      }
      let commissionId: string | undefined;
      if (item.commission !== undefined) {
        const commission = await findCommission(trx, item.commission);
        if (!commission) {
          throw new AppError('validation_failed', `Aucune commission « ${item.commission} ».`, {
            issues: [{ path: ['items', i, 'commission'], message: 'commission inconnue' }],
          });
        }
        commissionId = commission.id;
      }
      await trx
        .updateTable('governance_gates')
        .set({
          enabled: item.enabled,
          ...(commissionId ? { commission_id: commissionId } : {}),
          ...(item.quorumPercent !== undefined ? { quorum_percent: item.quorumPercent } : {}),
          ...(item.majority !== undefined ? { majority: item.majority } : {}),
          ...(item.durationDays !== undefined ? { duration_days: item.durationDays } : {}),
          updated_by: actor.userId,
          updated_at: new Date(),
        })
        .where('action', '=', item.action)
        .execute();
    }
  });
}

import { sql } from 'kysely';
import type { OrgRole } from '@confiance/contract';
import type { Context } from '../../../platform/context';
import { newSecret, sha256Hex } from '../../../platform/crypto';
import { AppError } from '../../../platform/http/errors';
import { createUser, endAllAccessOf, findUserByEmail, hashPassword, verifyPassword } from '../../identity/index';
import { countAdmins, findInvitationByHash, findMembership, findOrganisation, lockOrganisation, upsertMembership } from '../repository';

export const INVITATION_TTL_DAYS = 7;

const ROLE_LABELS: Record<OrgRole, string> = {
  org_admin: 'administrateur·rice',
  data_steward: 'responsable de données',
  analyst: 'analyste',
};

/**
 * An organisation must keep one admin, or nobody could ever invite or manage its people again.
 * Runs inside the caller's transaction, after locking the organisation: otherwise two admins
 * removing or demoting each other at once would both see "two admins left" and both succeed.
 */
async function assertKeepsAnAdmin(db: Context['db'], organisationId: string, userId: string) {
  await lockOrganisation(db, organisationId);
  const membership = await findMembership(db, organisationId, userId);
  if (membership?.role === 'org_admin' && (await countAdmins(db, organisationId)) <= 1) {
    throw new AppError('conflict', 'C’est le dernier administrateur de l’organisation : nommez-en un autre d’abord.', { field: 'role' });
  }
}

export async function inviteMember(
  ctx: Context,
  input: { organisationId: string; email: string; role: OrgRole; invitedBy: string | null },
): Promise<{ invitationId: string; secret: string; link: string }> {
  const org = await findOrganisation(ctx.db, input.organisationId);
  if (!org || org.status !== 'active') throw new AppError('not_found', 'Organisation introuvable ou désactivée.');
  const existingUser = await findUserByEmail(ctx.db, input.email);
  if (existingUser && (await findMembership(ctx.db, org.id, existingUser.id))) {
    throw new AppError('conflict', `${input.email} est déjà membre de ${org.short_name}.`, { field: 'email' });
  }
  const secret = newSecret();
  const link = `${ctx.config.baseUrl}/invitation?token=${encodeURIComponent(secret)}`;
  const invitationId = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('invitations')
      .values({
        organisation_id: org.id,
        email: input.email.toLowerCase(),
        role: input.role,
        token_hash: sha256Hex(secret),
        invited_by: input.invitedBy,
        expires_at: new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await ctx.jobs.enqueue(trx, 'mail.send', {
      to: input.email,
      subject: `Confiance — invitation à rejoindre ${org.short_name}`,
      text: `Bonjour,\n\nVous êtes invité·e à rejoindre ${org.legal_name} sur Confiance en tant que ${ROLE_LABELS[input.role]}.\n\nAcceptez l’invitation (lien valable ${INVITATION_TTL_DAYS} jours, utilisable une fois) :\n${link}\n\n— Confiance`,
    });
    return row.id;
  });
  return { invitationId, secret, link };
}

export async function previewInvitation(ctx: Pick<Context, 'db'>, secret: string) {
  const invitation = await usableInvitation(ctx, secret);
  const user = await findUserByEmail(ctx.db, invitation.email);
  return { invitation, accountExists: Boolean(user) };
}

async function usableInvitation(ctx: Pick<Context, 'db'>, secret: string) {
  const invitation = await findInvitationByHash(ctx.db, sha256Hex(secret));
  if (!invitation) throw new AppError('not_found', 'Invitation inconnue : vérifiez le lien reçu par e-mail.');
  if (invitation.accepted_at)
    throw new AppError('invitation_used', 'Cette invitation a déjà été acceptée. Connectez-vous avec votre compte.');
  if (invitation.revoked_at || invitation.organisation_status !== 'active') {
    throw new AppError('invitation_used', 'Cette invitation a été annulée. Demandez-en une nouvelle à l’administrateur de l’organisation.');
  }
  if (invitation.expires_at.getTime() <= Date.now()) {
    throw new AppError('invitation_expired', 'Cette invitation a expiré. Demandez-en une nouvelle à l’administrateur de l’organisation.');
  }
  return invitation;
}

/**
 * Accepting creates the account when the address has none (name and password required), or
 * checks the existing account's password: the link alone never grants a role to an account.
 */
export async function acceptInvitation(
  ctx: Pick<Context, 'db'>,
  secret: string,
  input: { displayName?: string | undefined; password?: string | undefined },
): Promise<{ userId: string; organisationId: string; email: string }> {
  const invitation = await usableInvitation(ctx, secret);
  const existing = await findUserByEmail(ctx.db, invitation.email);
  if (!input.password)
    throw new AppError('validation_failed', 'Mot de passe requis.', { issues: [{ path: 'body.password', message: 'requis' }] });
  if (existing && !(await verifyPassword(existing.password_hash, input.password))) {
    throw new AppError('invalid_credentials', `Un compte existe déjà pour ${invitation.email} : saisissez son mot de passe.`);
  }
  if (!existing && !input.displayName) {
    throw new AppError('validation_failed', 'Indiquez votre nom.', { issues: [{ path: 'body.displayName', message: 'requis' }] });
  }
  const passwordHash = existing ? null : await hashPassword(input.password);
  return ctx.db.transaction().execute(async (trx) => {
    // Marking accepted first, conditionally, makes a double submit lose the race cleanly.
    const claimed = await trx
      .updateTable('invitations')
      .set({ accepted_at: sql`now()` })
      .where('id', '=', invitation.id)
      .where('accepted_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!claimed) throw new AppError('invitation_used', 'Cette invitation a déjà été acceptée.');
    const user = existing ?? (await createUser(trx, { email: invitation.email, displayName: input.displayName!, passwordHash }));
    await upsertMembership(trx, invitation.organisation_id, user.id, invitation.role as OrgRole);
    return { userId: user.id, organisationId: invitation.organisation_id, email: user.email };
  });
}

export async function revokeInvitation(ctx: Pick<Context, 'db'>, invitationId: string): Promise<void> {
  await ctx.db
    .updateTable('invitations')
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where('id', '=', invitationId)
    .execute();
}

export async function changeMemberRole(ctx: Pick<Context, 'db'>, organisationId: string, userId: string, role: OrgRole): Promise<void> {
  const membership = await findMembership(ctx.db, organisationId, userId);
  if (!membership) throw new AppError('not_found', 'Cette personne n’est pas membre de l’organisation.');
  await ctx.db.transaction().execute(async (trx) => {
    if (role !== 'org_admin') await assertKeepsAnAdmin(trx, organisationId, userId);
    await upsertMembership(trx, organisationId, userId, role);
  });
}

/** Removal ends the person's sessions and tokens at once: rights must never outlive membership. */
export async function removeMember(ctx: Pick<Context, 'db'>, organisationId: string, userId: string): Promise<void> {
  const membership = await findMembership(ctx.db, organisationId, userId);
  if (!membership) throw new AppError('not_found', 'Cette personne n’est pas membre de l’organisation.');
  await ctx.db.transaction().execute(async (trx) => {
    await assertKeepsAnAdmin(trx, organisationId, userId);
    await trx.deleteFrom('memberships').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute();
    await endAllAccessOf(trx, [userId]);
  });
}

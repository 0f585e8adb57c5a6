import { sql } from 'kysely';
import type { Context } from '../../../platform/context';
import { newSecret, sha256Hex } from '../../../platform/crypto';
import { AppError } from '../../../platform/http/errors';
import { hashPassword, verifyPassword } from '../passwords';
import { endAllAccessOf, findUserByEmail, findUserById } from '../repository';

const RESET_TTL_MS = 60 * 60 * 1000;

export const RESET_REQUEST_JOB = 'identity.password-reset-request';

/**
 * Answers the same way, in the same time, whether the address has an account or not: the request
 * only queues a job (one insert either way), and the job decides whether an e-mail goes out. So
 * neither the answer nor its timing tells which addresses have accounts.
 */
export async function requestPasswordReset(ctx: Context, email: string): Promise<void> {
  await ctx.jobs.enqueue(ctx.db, RESET_REQUEST_JOB, { email });
}

/** The job behind a reset request: only real, active accounts get a link. */
export async function sendPasswordResetLink(ctx: Context, email: string): Promise<void> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user || user.status !== 'active') return;
  const secret = newSecret();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('password_resets')
      .values({ user_id: user.id, token_hash: sha256Hex(secret), expires_at: new Date(Date.now() + RESET_TTL_MS) })
      .execute();
    const link = `${ctx.config.baseUrl}/reinitialiser?token=${encodeURIComponent(secret)}`;
    await ctx.jobs.enqueue(trx, 'mail.send', {
      to: user.email,
      subject: 'Confiance — réinitialisation de votre mot de passe',
      text: `Bonjour ${user.display_name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure, utilisable une fois) :\n${link}\n\nSi vous n’êtes pas à l’origine de cette demande, ignorez ce message.\n\n— Confiance`,
    });
  });
}

/** A successful reset also ends every session and token: whoever had the old password is out. */
export async function resetPassword(ctx: Pick<Context, 'db'>, secret: string, newPassword: string): Promise<void> {
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    const reset = await trx
      .updateTable('password_resets')
      .set({ used_at: sql`now()` })
      .where('token_hash', '=', sha256Hex(secret))
      .where('used_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .returning('user_id')
      .executeTakeFirst();
    if (!reset) throw new AppError('reset_link_invalid', 'Ce lien de réinitialisation est expiré ou a déjà servi. Demandez-en un nouveau.');
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', reset.user_id).execute();
    await expireResetLinks(trx, reset.user_id);
    await endAllAccessOf(trx, [reset.user_id]);
  });
}

export async function changePassword(
  ctx: Pick<Context, 'db'>,
  userId: string,
  currentPassword: string,
  newPassword: string,
  keepSessionId?: string,
): Promise<void> {
  const user = await findUserById(ctx.db, userId);
  if (!user || !(await verifyPassword(user.password_hash, currentPassword))) {
    throw new AppError('invalid_credentials', 'Mot de passe actuel incorrect.');
  }
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
    await expireResetLinks(trx, userId);
    // Other devices are signed out; the one that changed the password stays in.
    let q = trx.deleteFrom('sessions').where('user_id', '=', userId);
    if (keepSessionId) q = q.where('id', '!=', keepSessionId);
    await q.execute();
  });
}

/** Links asked for before the password changed must not be able to change it again. */
async function expireResetLinks(db: Context['db'], userId: string): Promise<void> {
  await db
    .updateTable('password_resets')
    .set({ used_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

import type { Context } from '../../../platform/context';
import { newSecret, sha256Hex } from '../../../platform/crypto';
import { AppError } from '../../../platform/http/errors';
import { verifyPassword } from '../passwords';
import { deleteSession, findUserByEmail, insertSession, type UserRow } from '../repository';

export interface NewSession {
  /** Goes into the HttpOnly cookie and nowhere else. */
  secret: string;
  csrfToken: string;
  user: UserRow;
  expiresAt: Date;
}

export async function signIn(
  ctx: Pick<Context, 'db' | 'config'>,
  input: { email: string; password: string; userAgent: string | null; ip: string | null },
): Promise<NewSession> {
  const user = await findUserByEmail(ctx.db, input.email);
  const ok = await verifyPassword(user?.password_hash, input.password);
  if (!user || !ok) throw new AppError('invalid_credentials', 'E-mail ou mot de passe incorrect.');
  if (user.status !== 'active')
    throw new AppError('account_disabled', 'Ce compte est désactivé. Contactez l’administrateur de votre organisation.');
  const secret = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(Date.now() + ctx.config.sessionDays * 86_400_000);
  await insertSession(ctx.db, {
    tokenHash: sha256Hex(secret),
    userId: user.id,
    csrfToken,
    expiresAt,
    userAgent: input.userAgent,
    ip: input.ip,
  });
  return { secret, csrfToken, user, expiresAt };
}

export async function signOut(ctx: Pick<Context, 'db'>, sessionId: string): Promise<void> {
  await deleteSession(ctx.db, sessionId);
}

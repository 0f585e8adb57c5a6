import { createOperatorInput, type PlatformRole } from '@confiance/contract';
import type { Context, Executor } from '../../../platform/context';
import { AppError, validationFailed } from '../../../platform/http/errors';
import { hashPassword } from '../passwords';
import { endAllAccessOf, findUserByEmail, findUserById, insertUser, type UserRow } from '../repository';
import { sql } from 'kysely';
import { recordFact } from '../../ledger/index';

/**
 * Takes the password already hashed: hashing costs ~30 ms of CPU, which callers do before opening
 * a transaction so that no connection (and, on PGlite, no other request) waits on it.
 */
export async function createUser(
  db: Executor,
  input: { email: string; displayName: string; passwordHash: string | null; platformRoles?: PlatformRole[] },
): Promise<UserRow> {
  if (await findUserByEmail(db, input.email)) {
    throw new AppError('conflict', `Un compte existe déjà pour ${input.email}.`, { field: 'email' });
  }
  return insertUser(db, input);
}

/** The first operator of a node not in demo mode (`confiance admin create-operator`). */
export async function createOperator(
  ctx: Pick<Context, 'db'>,
  input: { email: string; displayName: string; password: string },
): Promise<UserRow> {
  // The CLI checks too, but the rule belongs to the command: every caller gets it.
  const parsed = createOperatorInput.safeParse(input);
  if (!parsed.success) throw validationFailed(parsed.error, 'Opérateur refusé');
  const existing = await findUserByEmail(ctx.db, input.email);
  if (existing) {
    if (existing.platform_roles.includes('operator'))
      throw new AppError('conflict', `${input.email} est déjà opérateur.`, { field: 'email' });
    return ctx.db
      .updateTable('users')
      .set({ platform_roles: sql<string[]>`array_append(platform_roles, 'operator')` })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  return createUser(ctx.db, {
    email: input.email,
    displayName: input.displayName,
    passwordHash: await hashPassword(input.password),
    platformRoles: ['operator'],
  });
}

export async function updateProfile(
  ctx: Pick<Context, 'db'>,
  userId: string,
  input: { displayName?: string | undefined; locale?: 'fr' | 'en' | undefined },
) {
  const set = {
    ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
    ...(input.locale !== undefined ? { locale: input.locale } : {}),
  };
  if (Object.keys(set).length === 0) {
    const user = await findUserById(ctx.db, userId);
    if (!user) throw new AppError('not_found', 'Utilisateur introuvable.');
    return user;
  }
  return ctx.db.updateTable('users').set(set).where('id', '=', userId).returningAll().executeTakeFirstOrThrow();
}

/** Deactivation takes effect at once: sessions end and tokens are revoked in the same transaction. */
export async function deactivateUser(ctx: Pick<Context, 'db'>, userId: string): Promise<UserRow> {
  return ctx.db.transaction().execute(async (trx) => {
    // The node must keep someone who can admit members and repair accounts.
    const operators = await trx
      .selectFrom('users')
      .select(['id'])
      .where(sql<boolean>`'operator' = any(platform_roles)`)
      .where('status', '=', 'active')
      .forUpdate()
      .execute();
    if (operators.length === 1 && operators[0]!.id === userId) {
      throw new AppError('conflict', 'C’est le dernier opérateur actif du nœud : nommez-en un autre avant de le désactiver.', {
        field: 'userId',
      });
    }
    const user = await trx
      .updateTable('users')
      .set({ status: 'deactivated', deactivated_at: sql`coalesce(deactivated_at, now())` })
      .where('id', '=', userId)
      .returningAll()
      .executeTakeFirst();
    if (!user) throw new AppError('not_found', 'Utilisateur introuvable.');
    await endAllAccessOf(trx, [userId]);
    // Who was deactivated is personal: only in the details, for the operator.
    await recordFact(trx, { type: 'user.deactivated', public: { organisation: null }, details: { userId } });
    return user;
  });
}

export { endAllAccessOf };

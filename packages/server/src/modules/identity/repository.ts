import { sql } from 'kysely';
import type { Membership, PlatformRole, TokenScope } from '@confiance/contract';
import type { Executor } from '../../platform/context';

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  locale: string;
  platform_roles: string[];
  status: string;
  created_at: Date;
}

export function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertUser(
  db: Executor,
  user: { email: string; displayName: string; passwordHash: string | null; platformRoles?: PlatformRole[] },
): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({
      email: user.email.toLowerCase(),
      display_name: user.displayName,
      password_hash: user.passwordHash,
      platform_roles: user.platformRoles ?? [],
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface CredentialRow {
  user_id: string;
  platform_roles: string[];
  memberships: Membership[];
  credential_id: string;
  csrf_token: string | null;
  scopes: string[] | null;
  last_used: Date | null;
  expires_at: Date | null;
}

/**
 * One query per request resolves a secret to its user and live memberships, so that a revoked
 * token, an ended session, a deactivated user or organisation is refused on the very next call.
 * Written as one SQL text rather than with the query builder: it runs on every request, and
 * building the query costs as much as running it. `confiance_charter_signed` is the policies
 * migration's SQL function (members-level data needs the charter in force signed).
 */
const membershipsOf = sql<Membership[]>`coalesce((
  select json_agg(json_build_object('organisationId', m.organisation_id, 'role', m.role,
                                    'charterSigned', confiance_charter_signed(m.organisation_id)))
  from memberships m join organisations o on o.id = m.organisation_id and o.status = 'active'
  where m.user_id = u.id), '[]'::json)`;

export async function findSessionCredential(db: Executor, tokenHash: string): Promise<CredentialRow | undefined> {
  const { rows } = await sql<CredentialRow>`
    select u.id as user_id, u.platform_roles, s.id as credential_id, s.csrf_token, null as scopes,
           s.last_seen_at as last_used, s.expires_at, ${membershipsOf} as memberships
    from sessions s join users u on u.id = s.user_id
    where s.token_hash = ${tokenHash} and s.expires_at > now() and u.status = 'active'`.execute(db);
  return rows[0];
}

export async function findTokenCredential(db: Executor, tokenHash: string): Promise<CredentialRow | undefined> {
  const { rows } = await sql<CredentialRow>`
    select u.id as user_id, u.platform_roles, t.id as credential_id, null as csrf_token, t.scopes,
           t.last_used_at as last_used, t.expires_at, ${membershipsOf} as memberships
    from api_tokens t join users u on u.id = t.user_id
    where t.token_hash = ${tokenHash} and t.revoked_at is null
      and (t.expires_at is null or t.expires_at > now()) and u.status = 'active'`.execute(db);
  return rows[0];
}

/**
 * An active user as the authorization hook would see them signed in (platform roles, live
 * memberships): for commands run on a user's behalf outside a request (the demo seed).
 */
export async function principalOfUser(
  db: Executor,
  userId: string,
): Promise<{ kind: 'user'; userId: string; platformRoles: PlatformRole[]; memberships: Membership[] } | undefined> {
  const { rows } = await sql<{ user_id: string; platform_roles: string[]; memberships: Membership[] }>`
    select u.id as user_id, u.platform_roles, ${membershipsOf} as memberships
    from users u where u.id = ${userId} and u.status = 'active'`.execute(db);
  const row = rows[0];
  return row && { kind: 'user', userId: row.user_id, platformRoles: row.platform_roles as PlatformRole[], memberships: row.memberships };
}

export async function touchSession(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function touchToken(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function insertSession(
  db: Executor,
  s: { tokenHash: string; userId: string; csrfToken: string; expiresAt: Date; userAgent: string | null; ip: string | null },
): Promise<{ id: string }> {
  return db
    .insertInto('sessions')
    .values({
      token_hash: s.tokenHash,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      expires_at: s.expiresAt,
      user_agent: s.userAgent,
      ip: s.ip,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every way a user is signed in: all sessions deleted, all tokens revoked. */
export async function endAllAccessOf(db: Executor, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db.deleteFrom('sessions').where('user_id', 'in', userIds).execute();
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: sql`now()` })
    .where('user_id', 'in', userIds)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function listTokens(db: Executor, userId: string) {
  return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
}

export async function findToken(db: Executor, id: string) {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertToken(
  db: Executor,
  t: { userId: string; name: string; prefix: string; tokenHash: string; scopes: TokenScope[]; expiresAt: Date | null },
) {
  return db
    .insertInto('api_tokens')
    .values({ user_id: t.userId, name: t.name, prefix: t.prefix, token_hash: t.tokenHash, scopes: t.scopes, expires_at: t.expiresAt })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function revokeToken(db: Executor, id: string) {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function membershipsForSession(db: Executor, userId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['m.organisation_id', 'o.slug', 'o.short_name', 'm.role'])
    .where('m.user_id', '=', userId)
    .where('o.status', '=', 'active')
    .orderBy('o.short_name')
    .execute();
}

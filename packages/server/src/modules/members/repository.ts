import { sql } from 'kysely';
import type { OrgRole } from '@confiance/contract';
import type { Executor } from '../../platform/context';
import { isUuid } from '../../platform/crypto';
import type { OrganisationsTable } from '../../platform/db/schema';
import type { Insertable, Selectable, Updateable } from 'kysely';

export type OrganisationRow = Selectable<OrganisationsTable> & { member_count: number };

const memberCount = sql<number>`(select count(*)::int from memberships m where m.organisation_id = o.id)`;

export interface OrganisationFilter {
  q?: string | undefined;
  category?: string | undefined;
  domain?: string | undefined;
  limit: number;
  offset: number;
}

/** Directory search: accent- and case-insensitive, over names, city and SIREN. */
export async function listOrganisations(db: Executor, filter: OrganisationFilter): Promise<{ rows: OrganisationRow[]; total: number }> {
  let query = db.selectFrom('organisations as o').where('o.status', '=', 'active');
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(
      sql<boolean>`unaccent(lower(o.legal_name || ' ' || o.short_name || ' ' || coalesce(o.city, '') || ' ' || coalesce(o.siren, '') || ' ' || o.slug)) like unaccent(lower(${pattern}))`,
    );
  }
  if (filter.category) query = query.where('o.category', '=', filter.category);
  if (filter.domain) query = query.where(sql<boolean>`${filter.domain} = any(o.domains)`);
  // The total rides along as a window count: one round trip per page instead of two.
  const rows = await query
    .selectAll('o')
    .select(memberCount.as('member_count'))
    .select(sql<number>`count(*) over ()::int`.as('total_count'))
    // French reading order: « Météo-France » sorts with the M's, not after « Montpellier ».
    .orderBy(sql`lower(unaccent(o.short_name))`)
    .orderBy('o.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  if (rows.length > 0 || filter.offset === 0) return { rows, total: rows[0]?.total_count ?? 0 };
  // Past the last page there is no row to carry the total: ask for it.
  const count = await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return { rows, total: count.n };
}

/** Organisations are addressed by slug in URLs and by id in scripts; both work everywhere. */
export function findOrganisation(db: Executor, slugOrId: string): Promise<OrganisationRow | undefined> {
  return db
    .selectFrom('organisations as o')
    .selectAll('o')
    .select(memberCount.as('member_count'))
    .where(isUuid(slugOrId) ? 'o.id' : 'o.slug', '=', slugOrId)
    .executeTakeFirst();
}

export async function insertOrganisation(db: Executor, values: Insertable<OrganisationsTable>): Promise<string> {
  const row = await db.insertInto('organisations').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateOrganisationRow(db: Executor, id: string, values: Updateable<OrganisationsTable>): Promise<void> {
  // `update … set` with nothing to set is a syntax error: an empty PATCH is a no-op, not a 500.
  if (Object.keys(values).length === 0) return;
  await db.updateTable('organisations').set(values).where('id', '=', id).execute();
}

export function listMemberships(db: Executor, organisationId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.organisation_id', 'm.user_id', 'u.email', 'u.display_name', 'm.role', 'm.created_at'])
    .where('m.organisation_id', '=', organisationId)
    .where('u.status', '=', 'active')
    .orderBy('u.display_name')
    .execute();
}

export function findMembership(db: Executor, organisationId: string, userId: string) {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function upsertMembership(db: Executor, organisationId: string, userId: string, role: OrgRole): Promise<void> {
  await db
    .insertInto('memberships')
    .values({ organisation_id: organisationId, user_id: userId, role })
    .onConflict((oc) => oc.columns(['organisation_id', 'user_id']).doUpdateSet({ role }))
    .execute();
}

/**
 * Locks the organisation's row until the transaction ends, so that changes to its people are made
 * one after the other (two admins removing each other at once must not both pass the last-admin check).
 */
export async function lockOrganisation(db: Executor, organisationId: string): Promise<void> {
  await db.selectFrom('organisations').select('id').where('id', '=', organisationId).forUpdate().execute();
}

export async function countAdmins(db: Executor, organisationId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('m.organisation_id', '=', organisationId)
    .where('m.role', '=', 'org_admin')
    .where('u.status', '=', 'active')
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function memberUserIds(db: Executor, organisationId: string): Promise<string[]> {
  const rows = await db.selectFrom('memberships').select('user_id').where('organisation_id', '=', organisationId).execute();
  return rows.map((r) => r.user_id);
}

export function listPendingInvitations(db: Executor, organisationId: string) {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at', 'desc')
    .execute();
}

export function findInvitationByHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom('invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
    .selectAll('i')
    .select(['o.slug as organisation_slug', 'o.short_name as organisation_name', 'o.status as organisation_status'])
    .where('i.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function findInvitation(db: Executor, id: string) {
  return db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

import type { NOTIFICATION_KINDS } from '@confiance/contract';
import { sql } from 'kysely';
import type { Executor } from '../../platform/context';
import { enqueueNotificationMails } from './preferences';

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * In-app notifications, written in the transaction of the state change they announce (a refused
 * change notifies nobody), and their e-mail to each recipient who wants it (per-topic preferences,
 * `modules/mailing`), queued in the same transaction.
 */
export async function notify(db: Executor, userIds: readonly string[], kind: NotificationKind, title: string, link: string): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  await db
    .insertInto('notifications')
    .values(unique.map((user_id) => ({ user_id, kind, title, link })))
    .execute();
  await enqueueNotificationMails(db, unique, kind, title, link);
}

/** Active people of an organisation holding one of these roles. */
export async function staffOf(db: Executor, organisationId: string, roles: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('u.id')
    .where('m.organisation_id', '=', organisationId)
    .where('m.role', 'in', [...roles])
    .where('u.status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}

export async function ethicsMembers(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('status', '=', 'active')
    .where(sql<boolean>`'ethics_member' = any(platform_roles)`)
    .execute();
  return rows.map((r) => r.id);
}

import { NOTIFICATION_TOPICS, topicOf, type NotificationTopic } from '@confiance/contract';
import { sql } from 'kysely';
import type { Executor } from '../../platform/context';

/** Every topic on unless the user turned it off (no row: the default, on). */
export async function preferencesOf(db: Executor, userId: string): Promise<Record<NotificationTopic, boolean>> {
  const rows = await db.selectFrom('notification_preferences').select(['topic', 'email']).where('user_id', '=', userId).execute();
  const prefs = Object.fromEntries(NOTIFICATION_TOPICS.map((t) => [t, true])) as Record<NotificationTopic, boolean>;
  for (const row of rows)
    if ((NOTIFICATION_TOPICS as readonly string[]).includes(row.topic)) prefs[row.topic as NotificationTopic] = row.email;
  return prefs;
}

export async function setPreferences(db: Executor, userId: string, email: Partial<Record<NotificationTopic, boolean>>): Promise<void> {
  const values = Object.entries(email)
    .filter((entry): entry is [NotificationTopic, boolean] => typeof entry[1] === 'boolean')
    .map(([topic, on]) => ({ user_id: userId, topic, email: on }));
  if (values.length === 0) return;
  await db
    .insertInto('notification_preferences')
    .values(values)
    .onConflict((oc) => oc.columns(['user_id', 'topic']).doUpdateSet({ email: (eb) => eb.ref('excluded.email'), updated_at: sql`now()` }))
    .execute();
}

/** Active users among these who want e-mail on this topic, with their address. */
export async function recipientsFor(
  db: Executor,
  userIds: readonly string[],
  topic: NotificationTopic,
): Promise<{ id: string; email: string }[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('users as u')
    .select(['u.id', 'u.email'])
    .where('u.id', 'in', [...userIds])
    .where('u.status', '=', 'active')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('notification_preferences as p')
            .select('p.user_id')
            .whereRef('p.user_id', '=', 'u.id')
            .where('p.topic', '=', topic)
            .where('p.email', '=', false),
        ),
      ),
    )
    .execute();
}

/**
 * The e-mail side of a notification: one `mail.send` job per recipient who wants it, in the
 * caller's transaction (a refused change mails nobody). The link stays relative in the job; the
 * delivery adds the node's address and how to change preferences (see `delivery.ts`).
 */
export async function enqueueNotificationMails(
  db: Executor,
  userIds: readonly string[],
  kind: string,
  title: string,
  link: string,
): Promise<void> {
  const recipients = await recipientsFor(db, userIds, topicOf(kind));
  if (recipients.length === 0) return;
  await db
    .insertInto('jobs')
    .values(recipients.map((r) => ({ kind: 'mail.send', payload: JSON.stringify({ to: r.email, subject: title, text: title, link }) })))
    .execute();
}

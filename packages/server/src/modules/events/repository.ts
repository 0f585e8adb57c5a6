import { sql } from 'kysely';
import type { Executor } from '../../platform/context';

/** An event with its organiser and how many people registered. */
export interface EventRow {
  id: string;
  title: string;
  kind: 'atelier' | 'hackathon' | 'webinaire' | 'reunion';
  description: string;
  starts_at: Date;
  ends_at: Date;
  place: string | null;
  online_url: string | null;
  organisation_id: string;
  organisation_slug: string;
  organisation_name: string;
  capacity: number | null;
  registration_deadline: Date | null;
  status: 'scheduled' | 'cancelled';
  created_at: Date;
  updated_at: Date;
  registered: number;
}

function selectEvents(db: Executor) {
  return db
    .selectFrom('events as e')
    .innerJoin('organisations as o', 'o.id', 'e.organisation_id')
    .select([
      'e.id',
      'e.title',
      'e.kind',
      'e.description',
      'e.starts_at',
      'e.ends_at',
      'e.place',
      'e.online_url',
      'e.organisation_id',
      'o.slug as organisation_slug',
      'o.short_name as organisation_name',
      'e.capacity',
      'e.registration_deadline',
      'e.status',
      'e.created_at',
      'e.updated_at',
      sql<number>`(select count(*)::int from event_registrations r where r.event_id = e.id)`.as('registered'),
    ]);
}

export async function findEvent(db: Executor, id: string): Promise<EventRow | undefined> {
  return selectEvents(db).where('e.id', '=', id).executeTakeFirst();
}

export async function listEvents(
  db: Executor,
  filter: { when: 'upcoming' | 'past' | 'all'; kind?: EventRow['kind'] | undefined; now?: Date },
): Promise<EventRow[]> {
  const now = filter.now ?? new Date();
  let query = selectEvents(db);
  // An event under way is still "upcoming" until it ends: its page is where people look for the link.
  if (filter.when === 'upcoming') query = query.where('e.ends_at', '>', now);
  if (filter.when === 'past') query = query.where('e.ends_at', '<=', now);
  if (filter.kind) query = query.where('e.kind', '=', filter.kind);
  return query
    .orderBy('e.starts_at', filter.when === 'past' ? 'desc' : 'asc')
    .orderBy('e.id')
    .execute();
}

/** Which of these events the user registered for. */
export async function registeredAmong(db: Executor, userId: string, eventIds: readonly string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('event_registrations')
    .select('event_id')
    .where('user_id', '=', userId)
    .where('event_id', 'in', [...eventIds])
    .execute();
  return new Set(rows.map((r) => r.event_id));
}

export async function registrantsOf(db: Executor, eventId: string) {
  return db
    .selectFrom('event_registrations as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select([
      'u.id as user_id',
      'u.display_name',
      'u.email',
      'r.created_at',
      sql<
        string[]
      >`coalesce((select array_agg(o.short_name order by o.short_name) from memberships m join organisations o on o.id = m.organisation_id where m.user_id = u.id), '{}')`.as(
        'organisations',
      ),
    ])
    .where('r.event_id', '=', eventId)
    .orderBy('r.created_at')
    .execute();
}

/** Events the digest announces: scheduled, starting within the next `days` days. */
export async function upcomingEvents(db: Executor, days: number, now = new Date()): Promise<EventRow[]> {
  return selectEvents(db)
    .where('e.status', '=', 'scheduled')
    .where('e.starts_at', '>', now)
    .where('e.starts_at', '<=', new Date(now.getTime() + days * 86_400_000))
    .orderBy('e.starts_at')
    .execute();
}

import { can, type eventRegistrantSchema, type eventSchema, type Principal } from '@confiance/contract';
import type { z } from 'zod';
import type { Config } from '../../platform/config';
import type { Executor } from '../../platform/context';
import { registrationClosed } from './commands/registrations';
import { calendar, type IcsEvent } from './ics';
import { registeredAmong, registrantsOf, type EventRow } from './repository';

export async function presentEvents(
  db: Executor,
  rows: readonly EventRow[],
  principal: Principal,
): Promise<z.output<typeof eventSchema>[]> {
  const mine =
    principal.kind === 'user'
      ? await registeredAmong(
          db,
          principal.userId,
          rows.map((r) => r.id),
        )
      : new Set<string>();
  const now = new Date();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    kind: r.kind,
    description: r.description,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    place: r.place,
    onlineUrl: r.online_url,
    organisation: { slug: r.organisation_slug, shortName: r.organisation_name },
    capacity: r.capacity,
    registered: r.registered,
    seatsLeft: r.capacity === null ? null : Math.max(0, r.capacity - r.registered),
    registrationDeadline: r.registration_deadline?.toISOString() ?? null,
    status: r.status,
    registrationOpen: registrationClosed(r, now) === null && (r.capacity === null || r.registered < r.capacity),
    isRegistered: mine.has(r.id),
    canManage: can(principal, 'update', 'Event', { organisationId: r.organisation_id }),
    createdAt: r.created_at.toISOString(),
  }));
}

export async function presentEvent(db: Executor, row: EventRow, principal: Principal) {
  return (await presentEvents(db, [row], principal))[0]!;
}

export async function presentRegistrants(db: Executor, eventId: string): Promise<z.output<typeof eventRegistrantSchema>[]> {
  const rows = await registrantsOf(db, eventId);
  return rows.map((r) => ({
    userId: r.user_id,
    displayName: r.display_name,
    email: r.email,
    organisations: r.organisations,
    registeredAt: r.created_at.toISOString(),
  }));
}

/** An event as a calendar application sees it: times in UTC, place or link, the portal's page. */
export function icsEventOf(row: EventRow, config: Pick<Config, 'baseUrl'>, stamp = new Date()): IcsEvent {
  const page = `${config.baseUrl}/evenements/${row.id}`;
  const description = [row.description, `Organisé par ${row.organisation_name}.`, row.online_url ? `Connexion : ${row.online_url}` : null]
    .filter((part): part is string => Boolean(part))
    .join('\n\n');
  return {
    uid: `${row.id}@${new URL(config.baseUrl).host}`,
    stamp,
    start: row.starts_at,
    end: row.ends_at,
    summary: row.status === 'cancelled' ? `Annulé : ${row.title}` : row.title,
    description,
    location: row.place ?? row.online_url,
    url: page,
    status: row.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    // Seconds since creation of the last change: grows with each update, as SEQUENCE must.
    sequence: Math.max(0, Math.floor((row.updated_at.getTime() - row.created_at.getTime()) / 1000)),
    lastModified: row.updated_at,
  };
}

export function eventsCalendar(rows: readonly EventRow[], config: Pick<Config, 'baseUrl'>, name?: string): string {
  const stamp = new Date();
  return calendar(
    rows.map((r) => icsEventOf(r, config, stamp)),
    name ? { name } : {},
  );
}

import type { Context } from '../../../platform/context';
import { AppError } from '../../../platform/http/errors';
import { findEvent, type EventRow } from '../repository';

const paris = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });

/** Why registration is closed now, or null when it is open. */
export function registrationClosed(
  event: Pick<EventRow, 'status' | 'starts_at' | 'registration_deadline'>,
  now = new Date(),
): string | null {
  if (event.status === 'cancelled') return 'Cet événement est annulé.';
  if (event.starts_at.getTime() <= now.getTime()) return 'Cet événement a déjà commencé : les inscriptions sont closes.';
  if (event.registration_deadline && event.registration_deadline.getTime() < now.getTime())
    return `Les inscriptions sont closes depuis le ${paris.format(event.registration_deadline)}.`;
  return null;
}

/**
 * Registers the user. The event's row is locked first, so two people asking for the last seat at
 * once are served one after the other: the second counts the first and is told the event is full.
 */
export async function register(ctx: Context, eventId: string, userId: string): Promise<EventRow> {
  await ctx.db.transaction().execute(async (trx) => {
    const event = await trx
      .selectFrom('events')
      .select(['id', 'status', 'starts_at', 'registration_deadline', 'capacity'])
      .where('id', '=', eventId)
      .forUpdate()
      .executeTakeFirst();
    if (!event) throw new AppError('not_found', 'Événement introuvable.');
    const closed = registrationClosed(event);
    if (closed) throw new AppError('conflict', closed);
    const existing = await trx
      .selectFrom('event_registrations')
      .select('user_id')
      .where('event_id', '=', eventId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (existing) throw new AppError('conflict', 'Vous êtes déjà inscrit·e à cet événement.');
    if (event.capacity !== null) {
      const { n } = await trx
        .selectFrom('event_registrations')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('event_id', '=', eventId)
        .executeTakeFirstOrThrow();
      if (Number(n) >= event.capacity)
        throw new AppError('conflict', `Cet événement est complet : les ${event.capacity} places sont prises.`, { full: true });
    }
    await trx.insertInto('event_registrations').values({ event_id: eventId, user_id: userId }).execute();
  });
  return (await findEvent(ctx.db, eventId))!;
}

export async function unregister(ctx: Context, event: EventRow, userId: string): Promise<EventRow> {
  if (event.starts_at.getTime() <= Date.now())
    throw new AppError('conflict', 'Cet événement a déjà commencé : l’inscription ne peut plus être annulée.');
  const deleted = await ctx.db
    .deleteFrom('event_registrations')
    .where('event_id', '=', event.id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw new AppError('not_found', 'Vous n’êtes pas inscrit·e à cet événement.');
  return (await findEvent(ctx.db, event.id))!;
}

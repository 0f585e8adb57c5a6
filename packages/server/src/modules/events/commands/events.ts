import type { eventInput, eventUpdate } from '@confiance/contract';
import type { z } from 'zod';
import type { Context } from '../../../platform/context';
import { AppError } from '../../../platform/http/errors';
import { notify } from '../../mailing/index';
import { findEvent, type EventRow } from '../repository';

type EventInput = z.output<typeof eventInput>;
type EventUpdate = z.output<typeof eventUpdate>;

interface Schedule {
  startsAt: Date;
  endsAt: Date;
  registrationDeadline: Date | null;
  place: string | null;
  onlineUrl: string | null;
}

/** The rules a schedule must keep, whether new or changed; each message says what to fix. */
function checkSchedule(s: Schedule): void {
  const issues: { path: string; message: string }[] = [];
  if (s.endsAt.getTime() <= s.startsAt.getTime()) issues.push({ path: 'endsAt', message: 'la fin doit suivre le début' });
  if (s.registrationDeadline && s.registrationDeadline.getTime() > s.startsAt.getTime())
    issues.push({ path: 'registrationDeadline', message: 'la clôture des inscriptions doit précéder le début' });
  if (!s.place && !s.onlineUrl) issues.push({ path: 'place', message: 'indiquez un lieu ou un lien de connexion' });
  if (issues.length > 0)
    throw new AppError('validation_failed', `Événement invalide : ${issues.map((i) => `${i.path} — ${i.message}`).join(' ; ')}`, {
      issues,
    });
}

export async function createEvent(ctx: Context, actor: { userId: string }, organisationId: string, input: EventInput): Promise<EventRow> {
  const schedule = {
    startsAt: new Date(input.startsAt),
    endsAt: new Date(input.endsAt),
    registrationDeadline: input.registrationDeadline ? new Date(input.registrationDeadline) : null,
    place: input.place,
    onlineUrl: input.onlineUrl,
  };
  checkSchedule(schedule);
  const row = await ctx.db
    .insertInto('events')
    .values({
      title: input.title,
      kind: input.kind,
      description: input.description,
      starts_at: schedule.startsAt,
      ends_at: schedule.endsAt,
      place: input.place,
      online_url: input.onlineUrl,
      organisation_id: organisationId,
      capacity: input.capacity,
      registration_deadline: schedule.registrationDeadline,
      created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await findEvent(ctx.db, row.id))!;
}

export async function updateEvent(ctx: Context, event: EventRow, patch: EventUpdate): Promise<EventRow> {
  if (event.status === 'cancelled') throw new AppError('conflict', 'Cet événement est annulé : il ne peut plus être modifié.');
  const schedule = {
    startsAt: patch.startsAt ? new Date(patch.startsAt) : event.starts_at,
    endsAt: patch.endsAt ? new Date(patch.endsAt) : event.ends_at,
    registrationDeadline:
      patch.registrationDeadline === undefined
        ? event.registration_deadline
        : patch.registrationDeadline === null
          ? null
          : new Date(patch.registrationDeadline),
    place: patch.place === undefined ? event.place : patch.place,
    onlineUrl: patch.onlineUrl === undefined ? event.online_url : patch.onlineUrl,
  };
  checkSchedule(schedule);
  await ctx.db.transaction().execute(async (trx) => {
    // Locked like a registration, so a capacity cut cannot pass a registration in flight.
    await trx.selectFrom('events').select('id').where('id', '=', event.id).forUpdate().executeTakeFirstOrThrow();
    if (patch.capacity !== undefined && patch.capacity !== null) {
      const { n } = await trx
        .selectFrom('event_registrations')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('event_id', '=', event.id)
        .executeTakeFirstOrThrow();
      if (Number(n) > patch.capacity)
        throw new AppError('conflict', `${n} personnes sont déjà inscrites : la capacité ne peut pas descendre sous ce nombre.`, {
          registered: Number(n),
        });
    }
    await trx
      .updateTable('events')
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.capacity !== undefined ? { capacity: patch.capacity } : {}),
        starts_at: schedule.startsAt,
        ends_at: schedule.endsAt,
        registration_deadline: schedule.registrationDeadline,
        place: schedule.place,
        online_url: schedule.onlineUrl,
        updated_at: new Date(),
      })
      .where('id', '=', event.id)
      .execute();
  });
  return (await findEvent(ctx.db, event.id))!;
}

/** Cancels the event and tells the people registered (in the portal and, if they wish, by e-mail). */
export async function cancelEvent(ctx: Context, event: EventRow): Promise<EventRow> {
  if (event.status === 'cancelled') throw new AppError('conflict', 'Cet événement est déjà annulé.');
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('events').set({ status: 'cancelled', updated_at: new Date() }).where('id', '=', event.id).execute();
    const registrants = await trx.selectFrom('event_registrations').select('user_id').where('event_id', '=', event.id).execute();
    await notify(
      trx,
      registrants.map((r) => r.user_id),
      'event.cancelled',
      `Événement annulé : ${event.title}`,
      `/evenements/${event.id}`,
    );
  });
  return (await findEvent(ctx.db, event.id))!;
}

import { z } from 'zod';
import { listOf } from './common';

/** Events of the network: workshops, hackathons, webinars and commission meetings. */
export const EVENT_KINDS = ['atelier', 'hackathon', 'webinaire', 'reunion'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const EVENT_STATUSES = ['scheduled', 'cancelled'] as const;

const httpUrl = z.url({ protocol: /^https?$/ }).max(500);

/** The fields of an event, without defaults: an update sends only what changes. */
const eventFields = {
  title: z.string().trim().min(3).max(200),
  kind: z.enum(EVENT_KINDS),
  description: z.string().trim().max(5000),
  /** ISO 8601 with an offset (the portal sends UTC). */
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  place: z.string().trim().min(2).max(300).nullable(),
  onlineUrl: httpUrl.nullable(),
  /** null: unlimited. */
  capacity: z.number().int().min(1).max(100_000).nullable(),
  /** null: registration open until the event starts. */
  registrationDeadline: z.iso.datetime({ offset: true }).nullable(),
};

export const eventInput = z.object({
  ...eventFields,
  description: eventFields.description.default(''),
  place: eventFields.place.default(null),
  onlineUrl: eventFields.onlineUrl.default(null),
  capacity: eventFields.capacity.default(null),
  registrationDeadline: eventFields.registrationDeadline.default(null),
  /** Slug of the organising member. */
  organisation: z.string().min(1),
});
export const eventUpdate = z.object(eventFields).partial();

export const eventListQuery = z.object({
  when: z.enum(['upcoming', 'past', 'all']).default('upcoming'),
  kind: z.enum(EVENT_KINDS).optional(),
});

export const eventSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  kind: z.enum(EVENT_KINDS),
  description: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string().nullable(),
  onlineUrl: z.string().nullable(),
  organisation: z.object({ slug: z.string(), shortName: z.string() }),
  capacity: z.number().int().nullable(),
  registered: z.number().int(),
  /** null: unlimited. */
  seatsLeft: z.number().int().nullable(),
  registrationDeadline: z.string().nullable(),
  status: z.enum(EVENT_STATUSES),
  /** Whether registration is open now (scheduled, not started, before the deadline). */
  registrationOpen: z.boolean(),
  /** The caller's own registration (false when anonymous). */
  isRegistered: z.boolean(),
  /** What the caller may do on it (organiser's staff, operator). */
  canManage: z.boolean(),
  createdAt: z.string(),
});
export const eventList = listOf(eventSchema);

export const eventRegistrantSchema = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  email: z.string(),
  organisations: z.array(z.string()),
  registeredAt: z.string(),
});
export const eventRegistrantList = listOf(eventRegistrantSchema);

export type EventView = z.output<typeof eventSchema>;
export type EventInput = z.input<typeof eventInput>;
export type EventUpdate = z.input<typeof eventUpdate>;
export type EventRegistrant = z.output<typeof eventRegistrantSchema>;

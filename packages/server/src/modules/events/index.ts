import type { FastifyInstance } from 'fastify';
import type { Context } from '../../platform/context';
import { eventsRoutes } from './routes';

/**
 * Events of the network (issue 10): workshops, hackathons, webinars, commission meetings, with
 * registration under a capacity (race-safe: the event row is locked), cancellation that tells the
 * people registered, and iCalendar files (`ics.ts`, RFC 5545) for one event and the upcoming feed.
 */
export { createEvent, updateEvent, cancelEvent } from './commands/events';
export { register, unregister, registrationClosed } from './commands/registrations';
export { findEvent, listEvents, upcomingEvents } from './repository';
export type { EventRow } from './repository';
export { calendar, escapeText, foldLine, utcDateTime } from './ics';

export function registerEvents(app: FastifyInstance, ctx: Context): void {
  eventsRoutes(app, ctx);
}

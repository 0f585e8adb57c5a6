import { eventInput, eventList, eventListQuery, eventRegistrantList, eventSchema, eventUpdate } from '@confiance/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { currentUser } from '../../platform/authz/index';
import type { Context } from '../../platform/context';
import { isUuid } from '../../platform/crypto';
import { AppError } from '../../platform/http/errors';
import { responses, typed } from '../../platform/http/routes';
import { findOrganisation } from '../members/index';
import { cancelEvent, createEvent, updateEvent } from './commands/events';
import { register, unregister } from './commands/registrations';
import { eventsCalendar, presentEvent, presentEvents, presentRegistrants } from './presenter';
import { findEvent, listEvents, type EventRow } from './repository';

const idParam = z.object({ id: z.string() });
type Loaded = FastifyRequest & { event?: EventRow };

export function eventsRoutes(app: FastifyInstance, ctx: Context): void {
  const api = typed(app);
  const tags = ['Événements'];

  /** The event named in the path; its organiser is the resource's owner. */
  async function eventResource(request: FastifyRequest) {
    const id = (request.params as { id: string }).id;
    if (!isUuid(id)) return null;
    const row = await findEvent(ctx.db, id);
    if (!row) return null;
    (request as Loaded).event = row;
    return { organisationId: row.organisation_id };
  }
  const loaded = (request: FastifyRequest) => (request as Loaded).event!;
  const sendIcs = (reply: FastifyReply, body: string, fileName: string) =>
    reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName}"`)
      .send(body);

  api.get(
    '/api/v1/events',
    {
      schema: {
        tags,
        summary: 'Les événements du réseau (à venir, passés)',
        querystring: eventListQuery,
        response: responses({ 200: eventList }),
      },
      config: { permission: { action: 'list', subject: 'Event' } },
    },
    async (request) => {
      const rows = await listEvents(ctx.db, request.query);
      return { items: await presentEvents(ctx.db, rows, request.auth.principal), total: rows.length };
    },
  );

  api.get(
    '/api/v1/events.ics',
    {
      schema: {
        tags,
        summary: 'Flux iCalendar des événements à venir (abonnement d’agenda)',
        response: responses({ 200: z.string().describe('text/calendar') }),
      },
      config: { permission: { action: 'list', subject: 'Event' } },
    },
    async (_request, reply) => {
      const rows = await listEvents(ctx.db, { when: 'upcoming' });
      return sendIcs(reply, eventsCalendar(rows, ctx.config, 'Confiance — événements du réseau'), 'evenements-confiance.ics');
    },
  );

  api.post(
    '/api/v1/events',
    {
      schema: { tags, summary: 'Créer un événement (organisateurs)', body: eventInput, response: responses({ 201: eventSchema }) },
      config: {
        permission: {
          action: 'create',
          subject: 'Event',
          resourceFromBody: true,
          resource: async (request) => {
            const ref = (request.body as { organisation: string }).organisation;
            const org = await findOrganisation(ctx.db, ref);
            if (!org || org.status !== 'active') throw new AppError('not_found', `Organisation « ${ref} » introuvable.`);
            return { organisationId: org.id };
          },
        },
      },
    },
    async (request, reply) => {
      const organisation = (await findOrganisation(ctx.db, request.body.organisation))!;
      const row = await createEvent(ctx, { userId: currentUser(request).userId }, organisation.id, request.body);
      return reply.status(201).send(await presentEvent(ctx.db, row, request.auth.principal));
    },
  );

  api.get(
    '/api/v1/events/:id',
    {
      schema: { tags, summary: 'Un événement', params: idParam, response: responses({ 200: eventSchema }) },
      config: { permission: { action: 'read', subject: 'Event', resource: eventResource } },
    },
    async (request) => presentEvent(ctx.db, loaded(request), request.auth.principal),
  );

  api.get(
    '/api/v1/events/:id.ics',
    {
      schema: {
        tags,
        summary: 'Un événement au format iCalendar (« Ajouter à mon agenda »)',
        params: idParam,
        response: responses({ 200: z.string().describe('text/calendar') }),
      },
      config: { permission: { action: 'read', subject: 'Event', resource: eventResource } },
    },
    async (request, reply) => {
      const row = loaded(request);
      return sendIcs(reply, eventsCalendar([row], ctx.config), `evenement-${row.id}.ics`);
    },
  );

  api.patch(
    '/api/v1/events/:id',
    {
      schema: {
        tags,
        summary: 'Modifier un événement (organisateurs)',
        params: idParam,
        body: eventUpdate,
        response: responses({ 200: eventSchema }),
      },
      config: { permission: { action: 'update', subject: 'Event', resource: eventResource } },
    },
    async (request) => presentEvent(ctx.db, await updateEvent(ctx, loaded(request), request.body), request.auth.principal),
  );

  api.post(
    '/api/v1/events/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Annuler un événement (les inscrits sont prévenus)',
        params: idParam,
        response: responses({ 200: eventSchema }),
      },
      config: { permission: { action: 'delete', subject: 'Event', resource: eventResource } },
    },
    async (request) => presentEvent(ctx.db, await cancelEvent(ctx, loaded(request)), request.auth.principal),
  );

  api.post(
    '/api/v1/events/:id/registration',
    {
      schema: {
        tags,
        summary: 'M’inscrire (409 si complet, clos ou déjà inscrit)',
        params: idParam,
        response: responses({ 200: eventSchema }),
      },
      config: {
        permission: {
          action: 'create',
          subject: 'EventRegistration',
          resource: async (request) => ((await eventResource(request)) ? {} : null),
        },
      },
    },
    async (request) => presentEvent(ctx.db, await register(ctx, loaded(request).id, currentUser(request).userId), request.auth.principal),
  );

  api.delete(
    '/api/v1/events/:id/registration',
    {
      schema: { tags, summary: 'Annuler mon inscription', params: idParam, response: responses({ 200: eventSchema }) },
      config: {
        permission: {
          action: 'delete',
          subject: 'EventRegistration',
          resource: async (request) => {
            if (!(await eventResource(request))) return null;
            const p = request.auth.principal;
            return { userId: p.kind === 'user' ? p.userId : undefined };
          },
        },
      },
    },
    async (request) => presentEvent(ctx.db, await unregister(ctx, loaded(request), currentUser(request).userId), request.auth.principal),
  );

  api.get(
    '/api/v1/events/:id/registrations',
    {
      schema: {
        tags,
        summary: 'Les inscrits (membres de l’organisateur, opérateur)',
        params: idParam,
        response: responses({ 200: eventRegistrantList }),
      },
      config: { permission: { action: 'list', subject: 'EventRegistration', resource: eventResource } },
    },
    async (request) => {
      const items = await presentRegistrants(ctx.db, loaded(request).id);
      return { items, total: items.length };
    },
  );
}

import { fairReturnSchema, revenueInput } from '@confiance/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { currentUser } from '../../platform/authz/index';
import type { Context } from '../../platform/context';
import { isUuid } from '../../platform/crypto';
import { responses, typed } from '../../platform/http/routes';
import { findProject, projectPartners } from '../contracts/index';
import { fairReturn, recordRevenue } from './fair-return';

const idParam = z.object({ id: z.uuid() });

/** The project's fair return: its partners read it, the lead's admin records what it earned. */
export function fairReturnRoutes(app: FastifyInstance, ctx: Context): void {
  const api = typed(app);
  const tags = ['Facturation'];

  // Looked up before the route's schema checks the parameters: not a UUID, not found.
  async function project(request: FastifyRequest) {
    const id = (request.params as { id: string }).id;
    if (!isUuid(id)) return null;
    const row = await findProject(ctx.db, id);
    if (!row) return null;
    const partners = await projectPartners(ctx.db, [id]);
    return { lead: row.lead_organisation_id, partners: partners.map((p) => p.id) };
  }

  api.get(
    '/api/v1/projects/:id/fair-return',
    {
      schema: {
        tags,
        summary: 'Le juste retour d’un projet : contributions mesurées dans le journal et répartition de chaque financement',
        params: idParam,
        response: responses({ 200: fairReturnSchema }),
      },
      config: {
        permission: {
          action: 'read',
          subject: 'FairReturn',
          resource: async (request) => {
            const found = await project(request);
            return found && { parties: [found.lead, ...found.partners] };
          },
        },
      },
    },
    async (request) => fairReturn(ctx, request.params.id),
  );

  api.post(
    '/api/v1/projects/:id/revenues',
    {
      schema: {
        tags,
        summary: 'Enregistrer un financement ou une recette du projet (administrateur de l’organisation qui le porte)',
        params: idParam,
        body: revenueInput,
        response: responses({ 201: fairReturnSchema }),
      },
      config: {
        permission: {
          action: 'create',
          subject: 'FairReturn',
          resource: async (request) => {
            const found = await project(request);
            return found && { organisationId: found.lead };
          },
        },
      },
    },
    async (request, reply) => {
      const view = await recordRevenue(ctx, { userId: currentUser(request).userId }, request.params.id, request.body);
      return reply.status(201).send(view);
    },
  );
}

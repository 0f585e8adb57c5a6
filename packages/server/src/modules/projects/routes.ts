import {
  partnerInviteInput,
  projectDatasetInput,
  projectDatasetList,
  projectDetailSchema,
  projectInput,
  projectList,
  projectListQuery,
  projectPatch,
  projectSchema,
  type Resource,
} from '@confiance/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { currentUser } from '../../platform/authz/index';
import type { Context } from '../../platform/context';
import { isUuid } from '../../platform/crypto';
import { AppError } from '../../platform/http/errors';
import { responses, typed } from '../../platform/http/routes';
import { findOrganisation } from '../members/index';
import { answerInvitation, attachDataset, createProject, detachDataset, invitePartner, removePartner, updateProject } from './commands';
import { presentProjectDatasets, presentProjectDetail, presentProjects } from './presenter';
import { findProject, listProjects, projectInvitations, projectOrganisations, projectPartners, type ProjectRow } from './repository';

const idParam = z.object({ id: z.uuid() });
const partnerParams = z.object({ id: z.uuid(), org: z.string().min(1).max(100) });
const datasetParams = z.object({ id: z.uuid(), dataset: z.string().min(1).max(200) });

type Loaded = FastifyRequest & { project?: ProjectRow };

export function projectsRoutes(app: FastifyInstance, ctx: Context): void {
  const api = typed(app);
  const tags = ['Projets'];

  /**
   * The project named in the URL, kept on the request for the handler, as a resource: its lead
   * (who runs it) and its parties, invited partners included (they read it before answering).
   * Looked up before the route's schema checks the parameters: not a UUID, not found.
   */
  async function projectResource(request: FastifyRequest): Promise<Resource | null> {
    const id = (request.params as { id: string }).id;
    if (!isUuid(id)) return null;
    const row = await findProject(ctx.db, id);
    if (!row) return null;
    (request as Loaded).project = row;
    const [partners, invitations] = await Promise.all([projectPartners(ctx.db, [id]), projectInvitations(ctx.db, [id])]);
    return {
      organisationId: row.lead_organisation_id,
      parties: [
        row.lead_organisation_id,
        ...partners.map((p) => p.id),
        ...invitations.filter((i) => i.state === 'invited').map((i) => i.id),
      ],
    };
  }
  const loaded = (request: FastifyRequest) => (request as Loaded).project!;
  const detail = async (id: string) => presentProjectDetail(ctx.db, (await findProject(ctx.db, id))!);

  api.get(
    '/api/v1/projects',
    {
      schema: {
        tags,
        summary: 'Les projets de l’association (filtres : statut, domaine, organisation, texte)',
        querystring: projectListQuery,
        response: responses({ 200: projectList }),
      },
      config: { permission: { action: 'list', subject: 'Project' } },
    },
    async (request) => {
      const { organisation, ...filters } = request.query;
      let organisationId: string | undefined;
      if (organisation) {
        const org = await findOrganisation(ctx.db, organisation);
        if (!org) return { items: [], total: 0 };
        organisationId = org.id;
      }
      const items = await presentProjects(ctx.db, await listProjects(ctx.db, { ...filters, organisationId }));
      return { items, total: items.length };
    },
  );

  api.get(
    '/api/v1/projects/:id',
    {
      schema: {
        tags,
        summary: 'Un projet en entier : jalons, financements, livrables, partenaires et flux de données (ses parties, l’opérateur)',
        params: idParam,
        response: responses({ 200: projectDetailSchema }),
      },
      config: { permission: { action: 'read', subject: 'Project', resource: projectResource } },
    },
    async (request) => presentProjectDetail(ctx.db, loaded(request)),
  );

  api.post(
    '/api/v1/projects',
    {
      schema: {
        tags,
        summary: 'Créer un projet (administrateur de l’organisation qui le porte) ; les partenaires nommés sont invités',
        body: projectInput,
        response: responses({ 201: projectSchema }),
      },
      config: {
        permission: {
          action: 'create',
          subject: 'Project',
          resourceFromBody: true,
          resource: async (request) => {
            const org = await findOrganisation(ctx.db, (request.body as { leadOrganisation: string }).leadOrganisation);
            return org && org.status === 'active' ? { organisationId: org.id } : null;
          },
        },
      },
    },
    async (request, reply) => {
      const lead = (await findOrganisation(ctx.db, request.body.leadOrganisation))!;
      const row = await createProject(ctx, { userId: currentUser(request).userId }, lead.id, request.body);
      return reply.status(201).send((await presentProjects(ctx.db, [row]))[0]!);
    },
  );

  api.patch(
    '/api/v1/projects/:id',
    {
      schema: {
        tags,
        summary: 'Modifier un projet : champs, statut (idée → montage → en cours → clos), listes de jalons, financements, livrables',
        params: idParam,
        body: projectPatch,
        response: responses({ 200: projectDetailSchema }),
      },
      config: { permission: { action: 'update', subject: 'Project', resource: projectResource } },
    },
    async (request) => {
      await updateProject(ctx, { userId: currentUser(request).userId }, loaded(request), request.body);
      return detail(request.params.id);
    },
  );

  api.post(
    '/api/v1/projects/:id/partners',
    {
      schema: {
        tags,
        summary: 'Inviter une organisation comme partenaire, avec un rôle (administrateur du chef de file)',
        params: idParam,
        body: partnerInviteInput,
        response: responses({ 201: projectDetailSchema }),
      },
      config: { permission: { action: 'create', subject: 'ProjectPartner', resource: projectResource } },
    },
    async (request, reply) => {
      await invitePartner(ctx, { userId: currentUser(request).userId }, loaded(request), request.body);
      return reply.status(201).send(await detail(request.params.id));
    },
  );

  /** The invited organisation named in the URL: the one whose admin answers. */
  async function invitedResource(request: FastifyRequest): Promise<Resource | null> {
    const params = request.params as { id: string; org: string };
    if (!isUuid(params.id)) return null;
    const row = await findProject(ctx.db, params.id);
    const org = row ? await findOrganisation(ctx.db, params.org) : undefined;
    if (!row || !org) return null;
    (request as Loaded).project = row;
    (request as Loaded & { organisationId?: string }).organisationId = org.id;
    return { organisationId: org.id };
  }

  for (const answer of ['accept', 'decline'] as const) {
    api.post(
      `/api/v1/projects/:id/partners/:org/${answer}`,
      {
        schema: {
          tags,
          summary:
            answer === 'accept'
              ? 'Accepter l’invitation au projet (administrateur de l’organisation invitée) : elle en devient partie'
              : 'Décliner l’invitation au projet (administrateur de l’organisation invitée)',
          params: partnerParams,
          response: responses({ 200: projectDetailSchema }),
        },
        config: { permission: { action: 'update', subject: 'ProjectPartner', resource: invitedResource } },
      },
      async (request) => {
        const organisationId = (request as Loaded & { organisationId: string }).organisationId;
        await answerInvitation(ctx, { userId: currentUser(request).userId }, loaded(request), organisationId, answer);
        return detail(request.params.id);
      },
    );
  }

  api.delete(
    '/api/v1/projects/:id/partners/:org',
    {
      schema: {
        tags,
        summary: 'Retirer un partenaire ou une invitation (administrateur du chef de file ; le chef de file ne peut être retiré)',
        params: partnerParams,
        response: responses({ 200: projectDetailSchema }),
      },
      config: { permission: { action: 'delete', subject: 'ProjectPartner', resource: projectResource } },
    },
    async (request) => {
      const org = await findOrganisation(ctx.db, request.params.org);
      if (!org) throw new AppError('not_found', `Organisation inconnue : ${request.params.org}.`);
      await removePartner(ctx, { userId: currentUser(request).userId }, loaded(request), org.id);
      return detail(request.params.id);
    },
  );
  /** The project named in the URL, its parties being its lead and accepted partners only (they attach datasets). */
  async function partiesResource(request: FastifyRequest): Promise<Resource | null> {
    const id = (request.params as { id: string }).id;
    if (!isUuid(id)) return null;
    const row = await findProject(ctx.db, id);
    if (!row) return null;
    (request as Loaded).project = row;
    return { parties: await projectOrganisations(ctx.db, id) };
  }

  api.get(
    '/api/v1/projects/:id/datasets',
    {
      schema: {
        tags,
        summary:
          'Les jeux de données du projet : rattachés, demandés ou sous contrat, et comment il les utilise (ses parties, l’opérateur)',
        params: idParam,
        response: responses({ 200: projectDatasetList }),
      },
      config: { permission: { action: 'list', subject: 'ProjectDataset', resource: projectResource } },
    },
    async (request) => ({ items: await presentProjectDatasets(ctx.db, loaded(request).id) }),
  );

  api.post(
    '/api/v1/projects/:id/datasets',
    {
      schema: {
        tags,
        summary: 'Rattacher un jeu de données du catalogue au projet (administrateurs et gestionnaires de données de ses parties)',
        params: idParam,
        body: projectDatasetInput,
        response: responses({ 201: projectDetailSchema }),
      },
      config: { permission: { action: 'create', subject: 'ProjectDataset', resource: partiesResource } },
    },
    async (request, reply) => {
      await attachDataset(ctx, { userId: currentUser(request).userId }, loaded(request), request.body);
      return reply.status(201).send(await detail(request.params.id));
    },
  );

  api.delete(
    '/api/v1/projects/:id/datasets/:dataset',
    {
      schema: {
        tags,
        summary: 'Détacher un jeu de données du projet (ses demandes et contrats restent dans les flux)',
        params: datasetParams,
        response: responses({ 200: projectDetailSchema }),
      },
      config: { permission: { action: 'delete', subject: 'ProjectDataset', resource: partiesResource } },
    },
    async (request) => {
      await detachDataset(ctx, { userId: currentUser(request).userId }, loaded(request), request.params.dataset);
      return detail(request.params.id);
    },
  );
}

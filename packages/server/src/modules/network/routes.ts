import {
  can,
  needAnswerInput,
  needCloseInput,
  needInput,
  needList,
  needListQuery,
  needSchema,
  needToProjectInput,
  networkDirectoryQuery,
  networkDirectorySchema,
  networkProfileSchema,
  newsInput,
  newsList,
  newsListQuery,
  newsSchema,
  newsUpdate,
  okSchema,
  type NeedView,
  type Principal,
} from '@confiance/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { currentUser } from '../../platform/authz/index';
import type { Context } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import { responses, typed } from '../../platform/http/routes';
import { findOrganisation } from '../members/index';
import { answerNeed, closeNeed, createNeed, needToProject } from './commands/needs';
import { deleteNews, publishNews, updateNews } from './commands/news';
import { presentNeed, presentNews } from './presenter';
import {
  findNeed,
  findNews,
  listAnswers,
  listNeeds,
  listNews,
  networkCounts,
  openNeedsOf,
  sharedDatasets,
  usedDatasets,
  type NeedRow,
  type NewsRow,
} from './repository';

const idParam = z.object({ id: z.uuid() });
const memberParam = z.object({ member: z.string().min(1).max(100) });

type Loaded = FastifyRequest & { need?: NeedRow; news?: NewsRow; organisationId?: string };

const isOperator = (p: Principal) => p.kind === 'user' && p.platformRoles.includes('operator');
const isMember = (p: Principal) => p.kind === 'user' && (p.memberships.length > 0 || p.platformRoles.length > 0);

export function networkRoutes(app: FastifyInstance, ctx: Context): void {
  const api = typed(app);
  const tags = ['Réseau'];

  /** An organisation named in the body (slug or id), active, or 404. */
  async function bodyOrganisation(request: FastifyRequest): Promise<string> {
    const ref = (request.body as { organisation: string }).organisation;
    const org = await findOrganisation(ctx.db, ref);
    if (!org || org.status !== 'active') throw new AppError('not_found', `Organisation « ${ref} » introuvable.`);
    (request as Loaded).organisationId = org.id;
    return org.id;
  }

  async function needResource(request: FastifyRequest) {
    const need = await findNeed(ctx.db, (request.params as { id: string }).id);
    if (!need) return null;
    (request as Loaded).need = need;
    return { organisationId: need.organisation_id };
  }
  const loadedNeed = (request: FastifyRequest) => (request as Loaded).need!;

  async function presentNeedFull(need: NeedRow, principal: Principal) {
    return presentNeed(need, principal, await listAnswers(ctx.db, need.id));
  }

  // --- needs -------------------------------------------------------------------------------------

  api.get(
    '/api/v1/needs',
    {
      schema: {
        tags,
        summary: 'Le tableau des besoins (filtres : statut, domaine, organisation, texte)',
        querystring: needListQuery,
        response: responses({ 200: needList }),
      },
      config: { permission: { action: 'list', subject: 'Need' } },
    },
    async (request) => {
      const { organisation, ...filter } = request.query;
      let organisationId: string | undefined;
      if (organisation) {
        const org = await findOrganisation(ctx.db, organisation);
        if (!org) return { items: [], total: 0 };
        organisationId = org.id;
      }
      const { rows, total } = await listNeeds(ctx.db, { ...filter, organisationId });
      return { items: rows.map((r) => presentNeed(r, request.auth.principal)), total };
    },
  );

  api.post(
    '/api/v1/needs',
    {
      schema: {
        tags,
        summary: 'Publier un besoin de données pour son organisation',
        body: needInput,
        response: responses({ 201: needSchema }),
      },
      config: {
        permission: {
          action: 'create',
          subject: 'Need',
          resourceFromBody: true,
          resource: async (request) => ({ organisationId: await bodyOrganisation(request) }),
        },
      },
    },
    async (request, reply) => {
      const need = await createNeed(ctx, { userId: currentUser(request).userId }, (request as Loaded).organisationId!, request.body);
      return reply.status(201).send(await presentNeedFull(need, request.auth.principal));
    },
  );

  api.get(
    '/api/v1/needs/:id',
    {
      schema: { tags, summary: 'Un besoin et ses réponses', params: idParam, response: responses({ 200: needSchema }) },
      config: { permission: { action: 'read', subject: 'Need', resource: needResource } },
    },
    async (request) => presentNeedFull(loadedNeed(request), request.auth.principal),
  );

  api.post(
    '/api/v1/needs/:id/answers',
    {
      schema: {
        tags,
        summary: 'Répondre à un besoin (fournisseur) : un jeu de données, un projet de publication ou un refus motivé',
        params: idParam,
        body: needAnswerInput,
        response: responses({ 201: needSchema }),
      },
      config: {
        permission: {
          action: 'create',
          subject: 'NeedAnswer',
          resourceFromBody: true,
          resource: async (request) => {
            if (!(await needResource(request))) return null;
            return { organisationId: await bodyOrganisation(request) };
          },
        },
      },
    },
    async (request, reply) => {
      const need = await answerNeed(
        ctx,
        { userId: currentUser(request).userId },
        loadedNeed(request),
        (request as Loaded).organisationId!,
        request.body,
      );
      return reply.status(201).send(await presentNeedFull(need, request.auth.principal));
    },
  );

  api.post(
    '/api/v1/needs/:id/close',
    {
      schema: {
        tags,
        summary: 'Clore un besoin (son organisation)',
        params: idParam,
        body: needCloseInput.optional(),
        response: responses({ 200: needSchema }),
      },
      config: { permission: { action: 'update', subject: 'Need', resource: needResource } },
    },
    async (request) => presentNeedFull(await closeNeed(ctx, loadedNeed(request)), request.auth.principal),
  );

  api.post(
    '/api/v1/needs/:id/project',
    {
      schema: {
        tags,
        summary: 'Transformer un besoin en projet (administrateur de son organisation) ; les fournisseurs qui ont répondu y sont invités',
        params: idParam,
        body: needToProjectInput.optional(),
        response: responses({ 200: needSchema }),
      },
      // The project is led by the need's organisation: creating it is its admin's call.
      config: { permission: { action: 'create', subject: 'Project', resource: needResource } },
    },
    async (request) =>
      presentNeedFull(
        await needToProject(ctx, { userId: currentUser(request).userId }, loadedNeed(request), request.body ?? {}),
        request.auth.principal,
      ),
  );

  // --- news --------------------------------------------------------------------------------------

  async function newsResource(request: FastifyRequest) {
    const post = await findNews(ctx.db, (request.params as { id: string }).id);
    if (!post) return null;
    (request as Loaded).news = post;
    return post.organisation_id ? { organisationId: post.organisation_id } : {};
  }
  const loadedNews = (request: FastifyRequest) => (request as Loaded).news!;

  api.get(
    '/api/v1/news',
    {
      schema: {
        tags,
        summary: 'Les actualités du réseau, les plus récentes d’abord',
        querystring: newsListQuery,
        response: responses({ 200: newsList }),
      },
      config: { permission: { action: 'list', subject: 'News' } },
    },
    async (request) => {
      const principal = request.auth.principal;
      const { organisation, ...filter } = request.query;
      let organisationId: string | undefined;
      if (organisation) {
        const org = await findOrganisation(ctx.db, organisation);
        if (!org) return { items: [], total: 0 };
        organisationId = org.id;
      }
      const editors =
        principal.kind === 'user'
          ? principal.memberships
              .filter((m) => can(principal, 'update', 'News', { organisationId: m.organisationId }))
              .map((m) => m.organisationId)
          : [];
      const { rows, total } = await listNews(ctx.db, { ...filter, organisationId }, { all: isOperator(principal), organisations: editors });
      return { items: rows.map((r) => presentNews(r, principal)), total };
    },
  );

  api.get(
    '/api/v1/news/:id',
    {
      schema: { tags, summary: 'Une actualité', params: idParam, response: responses({ 200: newsSchema }) },
      config: { permission: { action: 'read', subject: 'News', resource: newsResource } },
    },
    async (request) => {
      const view = presentNews(loadedNews(request), request.auth.principal);
      // A scheduled post is its editors' until its time comes.
      if (new Date(view.publishedAt) > new Date() && !view.can.update) throw new AppError('not_found', 'Actualité introuvable.');
      return view;
    },
  );

  api.post(
    '/api/v1/news',
    {
      schema: {
        tags,
        summary: 'Publier une actualité (administrateur d’un membre, ou l’opérateur pour l’association)',
        body: newsInput,
        response: responses({ 201: newsSchema }),
      },
      config: {
        permission: {
          action: 'create',
          subject: 'News',
          resourceFromBody: true,
          resource: async (request) => {
            const ref = (request.body as { organisation?: string | null }).organisation;
            return ref ? { organisationId: await bodyOrganisation(request) } : {};
          },
        },
      },
    },
    async (request, reply) => {
      const post = await publishNews(
        ctx,
        { userId: currentUser(request).userId },
        (request as Loaded).organisationId ?? null,
        request.body,
      );
      return reply.status(201).send(presentNews(post, request.auth.principal));
    },
  );

  api.patch(
    '/api/v1/news/:id',
    {
      schema: { tags, summary: 'Modifier une actualité', params: idParam, body: newsUpdate, response: responses({ 200: newsSchema }) },
      config: { permission: { action: 'update', subject: 'News', resource: newsResource } },
    },
    async (request) => presentNews(await updateNews(ctx, loadedNews(request), request.body), request.auth.principal),
  );

  api.delete(
    '/api/v1/news/:id',
    {
      schema: { tags, summary: 'Supprimer une actualité', params: idParam, response: responses({ 200: okSchema }) },
      config: { permission: { action: 'delete', subject: 'News', resource: newsResource } },
    },
    async (request) => {
      await deleteNews(ctx, loadedNews(request));
      return { ok: true as const };
    },
  );

  // --- the directory's network view --------------------------------------------------------------

  api.get(
    '/api/v1/network/organisations',
    {
      schema: {
        tags,
        summary: 'Ce que les membres partagent, utilisent et cherchent (comptes, en une lecture)',
        querystring: networkDirectoryQuery,
        response: responses({ 200: networkDirectorySchema }),
      },
      config: { permission: { action: 'list', subject: 'NetworkProfile' } },
    },
    async (request) => {
      // Slugs and ids are resolved in the same grouped read: one query for the whole page.
      const refs = request.query.organisations
        ? [
            ...new Set(
              request.query.organisations
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
            ),
          ].slice(0, 200)
        : null;
      const rows = await networkCounts(ctx.db, refs);
      return {
        items: rows.map((r) => ({
          organisationId: r.organisation_id,
          slug: r.slug,
          counts: { shares: r.shares, uses: r.uses, needs: r.needs },
        })),
        total: rows.length,
      };
    },
  );

  api.get(
    '/api/v1/network/organisations/:member',
    {
      schema: {
        tags,
        summary: 'Ce qu’une organisation partage, utilise (détail pour les membres) et cherche',
        params: memberParam,
        response: responses({ 200: networkProfileSchema }),
      },
      config: {
        permission: {
          action: 'read',
          subject: 'NetworkProfile',
          resource: async (request) => {
            const org = await findOrganisation(ctx.db, (request.params as { member: string }).member);
            if (!org || org.status !== 'active') return null;
            (request as Loaded).organisationId = org.id;
            return { organisationId: org.id };
          },
        },
      },
    },
    async (request) => {
      const id = (request as Loaded).organisationId!;
      const org = (await findOrganisation(ctx.db, id))!;
      const [counts, shares, uses, needs] = await Promise.all([
        networkCounts(ctx.db, [id]),
        sharedDatasets(ctx.db, id),
        usedDatasets(ctx.db, id),
        openNeedsOf(ctx.db, id),
      ]);
      const c = counts[0]!;
      return {
        organisation: { id: org.id, slug: org.slug, name: org.short_name },
        counts: { shares: c.shares, uses: c.uses, needs: c.needs },
        shares: shares.map((d) => ({ id: d.id, slug: d.slug, title: d.title, accessLevel: d.access_level })),
        // Which data a member uses is the association's business, not the public's: they get the count.
        uses: isMember(request.auth.principal)
          ? uses.map((u) => ({
              slug: u.slug,
              title: u.title,
              provider: { id: u.provider_id, slug: u.provider_slug, name: u.provider_name },
            }))
          : null,
        needs: needs.map((n) => ({
          id: n.id,
          title: n.title,
          domain: n.domain as NeedView['domain'],
          createdAt: n.created_at.toISOString(),
        })),
      };
    },
  );
}

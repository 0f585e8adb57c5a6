import {
  agendaItemInput,
  ballotInput,
  commissionDocumentInput,
  commissionList,
  commissionMemberInput,
  commissionSchema,
  commissionUpdate,
  gateList,
  gatesUpdate,
  voteInput,
  voteList,
  voteListQuery,
  voteSchema,
  type Principal,
} from '@confiance/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { currentUser } from '../../platform/authz/index';
import type { Context } from '../../platform/context';
import { isUuid } from '../../platform/crypto';
import { AppError } from '../../platform/http/errors';
import { responses, typed } from '../../platform/http/routes';
import { addAgendaItem, addDocument, appointMember, removeMember, updateCommission, updateGates } from './commands/commissions';
import { castBallot, closeDueVotes, closeVote, openVote } from './commands/votes';
import { presentCommission, presentGates, presentVote, presentVoteSummary } from './presenter';
import { findCommission, findVote, listCommissions, listVotes, roleIn, rolesOf, type VoteRow } from './repository';

type Loaded = FastifyRequest & { commission?: NonNullable<Awaited<ReturnType<typeof findCommission>>>; vote?: VoteRow };

const slugParam = z.object({ slug: z.string().min(1).max(100) });
const idParam = z.object({ id: z.uuid() });
const memberParam = z.object({ slug: z.string().min(1).max(100), userId: z.uuid() });
const userIdOf = (p: Principal) => (p.kind === 'user' ? p.userId : null);

export function governanceRoutes(app: FastifyInstance, ctx: Context): void {
  const api = typed(app);
  const tags = ['Gouvernance'];

  // --- resources: the commission and the caller's role in it ---------------------------------------

  async function commissionResource(request: FastifyRequest, slug: unknown) {
    if (typeof slug !== 'string') return null;
    const commission = await findCommission(ctx.db, slug);
    if (!commission) return null;
    (request as Loaded).commission = commission;
    return { commissionRole: await roleIn(ctx.db, commission.id, userIdOf(request.auth.principal)) };
  }
  const fromParams = (request: FastifyRequest) => commissionResource(request, (request.params as { slug?: unknown }).slug);
  const loadedCommission = (request: FastifyRequest) => (request as Loaded).commission!;

  async function voteResource(request: FastifyRequest) {
    const id = (request.params as { id?: unknown }).id;
    if (!isUuid(id)) return null;
    // Reading a vote whose time has come decides it first (the periodic check may not have run yet).
    let vote = await findVote(ctx.db, id);
    if (!vote) return null;
    if (vote.status === 'open' && new Date(vote.closes_at).getTime() <= Date.now()) {
      await closeVote(ctx, id, null);
      vote = (await findVote(ctx.db, id))!;
    }
    (request as Loaded).vote = vote;
    return { commissionRole: await roleIn(ctx.db, vote.commission_id, userIdOf(request.auth.principal)) };
  }
  const loadedVote = (request: FastifyRequest) => (request as Loaded).vote!;
  const showVote = async (request: FastifyRequest, id: string) =>
    presentVote(ctx.db, (await findVote(ctx.db, id))!, request.auth.principal);

  // --- commissions ---------------------------------------------------------------------------------

  api.get(
    '/api/v1/commissions',
    {
      schema: { tags, summary: 'Les commissions de l’association', response: responses({ 200: commissionList }) },
      config: { permission: { action: 'list', subject: 'Commission' } },
    },
    async (request) => {
      await closeDueVotes(ctx);
      const [rows, roles] = await Promise.all([listCommissions(ctx.db), rolesOf(ctx.db, userIdOf(request.auth.principal))]);
      return {
        items: rows.map((c) => ({
          slug: c.slug,
          kind: c.kind,
          name: c.name,
          description: c.description,
          membersCount: Number(c.members_count),
          openVotes: Number(c.open_votes),
          myRole: roles.get(c.id) ?? null,
        })),
      };
    },
  );

  api.get(
    '/api/v1/commissions/:slug',
    {
      schema: {
        tags,
        summary: 'Une commission : membres, ordre du jour, documents, votes',
        params: slugParam,
        response: responses({ 200: commissionSchema }),
      },
      config: { permission: { action: 'read', subject: 'Commission', resource: fromParams } },
    },
    async (request) => {
      await closeDueVotes(ctx);
      return presentCommission(ctx.db, loadedCommission(request), request.auth.principal);
    },
  );

  api.patch(
    '/api/v1/commissions/:slug',
    {
      schema: {
        tags,
        summary: 'Renommer la cinquième commission ou changer une description (opérateur)',
        params: slugParam,
        body: commissionUpdate,
        response: responses({ 200: commissionSchema }),
      },
      config: { permission: { action: 'update', subject: 'Commission', resource: fromParams } },
    },
    async (request) => {
      await updateCommission(ctx, loadedCommission(request), request.body);
      const fresh = (await findCommission(ctx.db, request.params.slug))!;
      return presentCommission(ctx.db, fresh, request.auth.principal);
    },
  );

  api.post(
    '/api/v1/commissions/:slug/members',
    {
      schema: {
        tags,
        summary: 'Nommer un membre ou la présidence d’une commission (opérateur)',
        params: slugParam,
        body: commissionMemberInput,
        response: responses({ 200: commissionSchema, 201: commissionSchema }),
      },
      config: { permission: { action: 'update', subject: 'Commission', resource: fromParams } },
    },
    async (request, reply) => {
      const { created } = await appointMember(ctx, loadedCommission(request), request.body);
      return reply.status(created ? 201 : 200).send(await presentCommission(ctx.db, loadedCommission(request), request.auth.principal));
    },
  );

  api.delete(
    '/api/v1/commissions/:slug/members/:userId',
    {
      schema: {
        tags,
        summary: 'Retirer un membre d’une commission (opérateur)',
        params: memberParam,
        response: responses({ 200: commissionSchema }),
      },
      config: { permission: { action: 'update', subject: 'Commission', resource: fromParams } },
    },
    async (request) => {
      await removeMember(ctx, loadedCommission(request), request.params.userId);
      return presentCommission(ctx.db, loadedCommission(request), request.auth.principal);
    },
  );

  api.post(
    '/api/v1/commissions/:slug/agenda',
    {
      schema: {
        tags,
        summary: 'Ajouter un point à l’ordre du jour (présidence ou opérateur)',
        params: slugParam,
        body: agendaItemInput,
        response: responses({ 201: commissionSchema }),
      },
      config: { permission: { action: 'create', subject: 'CommissionRecord', resource: fromParams } },
    },
    async (request, reply) => {
      await addAgendaItem(ctx, currentUser(request), loadedCommission(request), request.body);
      return reply.status(201).send(await presentCommission(ctx.db, loadedCommission(request), request.auth.principal));
    },
  );

  api.post(
    '/api/v1/commissions/:slug/documents',
    {
      schema: {
        tags,
        summary: 'Ajouter un document (texte, avec son empreinte SHA-256, ou lien) — présidence ou opérateur',
        params: slugParam,
        body: commissionDocumentInput,
        response: responses({ 201: commissionSchema }),
      },
      config: { permission: { action: 'create', subject: 'CommissionRecord', resource: fromParams } },
    },
    async (request, reply) => {
      await addDocument(ctx, currentUser(request), loadedCommission(request), request.body);
      return reply.status(201).send(await presentCommission(ctx.db, loadedCommission(request), request.auth.principal));
    },
  );

  // --- votes -----------------------------------------------------------------------------------------

  api.get(
    '/api/v1/votes',
    {
      schema: { tags, summary: 'Les votes des commissions', querystring: voteListQuery, response: responses({ 200: voteList }) },
      config: { permission: { action: 'list', subject: 'Vote' } },
    },
    async (request) => {
      await closeDueVotes(ctx);
      const { commission, status, gate } = request.query;
      let commissionId: string | undefined;
      if (commission) {
        const row = await findCommission(ctx.db, commission);
        if (!row) throw new AppError('not_found', `Aucune commission « ${commission} ».`);
        commissionId = row.id;
      }
      const rows = await listVotes(ctx.db, {
        ...(commissionId ? { commissionId } : {}),
        ...(status ? { status } : {}),
        ...(gate ? { gate } : {}),
      });
      return { items: rows.map(presentVoteSummary) };
    },
  );

  api.get(
    '/api/v1/votes/:id',
    {
      schema: {
        tags,
        summary: 'Un vote : question, règles, décompte, action en attente',
        params: idParam,
        response: responses({ 200: voteSchema }),
      },
      config: { permission: { action: 'read', subject: 'Vote', resource: voteResource } },
    },
    async (request) => presentVote(ctx.db, loadedVote(request), request.auth.principal),
  );

  api.post(
    '/api/v1/votes',
    {
      schema: {
        tags,
        summary: 'Ouvrir un vote dans une commission (présidence ou opérateur)',
        body: voteInput,
        response: responses({ 201: voteSchema }),
      },
      config: {
        permission: {
          action: 'create',
          subject: 'Vote',
          resourceFromBody: true,
          resource: (request) => commissionResource(request, (request.body as { commission?: unknown } | undefined)?.commission),
        },
      },
    },
    async (request, reply) => {
      const id = await openVote(ctx, currentUser(request), loadedCommission(request), request.body);
      return reply.status(201).send(await showVote(request, id));
    },
  );

  api.post(
    '/api/v1/votes/:id/ballots',
    {
      schema: {
        tags,
        summary: 'Voter (membres de la commission, une fois)',
        params: idParam,
        body: ballotInput,
        response: responses({ 201: voteSchema }),
      },
      config: { permission: { action: 'create', subject: 'Ballot', resource: voteResource } },
    },
    async (request, reply) => {
      await castBallot(ctx, currentUser(request), request.params.id, request.body.choice);
      return reply.status(201).send(await showVote(request, request.params.id));
    },
  );

  api.post(
    '/api/v1/votes/:id/close',
    {
      schema: {
        tags,
        summary: 'Clore un vote avant l’heure (présidence ou opérateur) : il est décidé et inscrit au registre',
        params: idParam,
        response: responses({ 200: voteSchema }),
      },
      config: { permission: { action: 'update', subject: 'Vote', resource: voteResource } },
    },
    async (request) => {
      if (loadedVote(request).status === 'closed') throw new AppError('conflict', 'Ce vote est déjà clos.');
      if (!(await closeVote(ctx, request.params.id, currentUser(request).userId))) throw new AppError('conflict', 'Ce vote est déjà clos.');
      return showVote(request, request.params.id);
    },
  );

  // --- gates -------------------------------------------------------------------------------------------

  api.get(
    '/api/v1/governance/gates',
    {
      schema: { tags, summary: 'Les actions soumises au vote préalable d’une commission', response: responses({ 200: gateList }) },
      config: { permission: { action: 'read', subject: 'GovernanceGate' } },
    },
    async () => presentGates(ctx.db),
  );

  api.put(
    '/api/v1/governance/gates',
    {
      schema: {
        tags,
        summary: 'Soumettre ou non une action au vote d’une commission (opérateur)',
        body: gatesUpdate,
        response: responses({ 200: gateList }),
      },
      config: { permission: { action: 'update', subject: 'GovernanceGate' } },
    },
    async (request) => {
      await updateGates(ctx, currentUser(request), request.body);
      return presentGates(ctx.db);
    },
  );
}

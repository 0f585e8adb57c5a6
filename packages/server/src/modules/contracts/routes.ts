import {
  amendmentDecisionInput,
  amendmentInput,
  catalogUris,
  contractKeySchema,
  contractList,
  contractReasonInput,
  contractSchema,
  grantSchema,
  notificationList,
  okSchema,
  requestDecisionInput,
  requestInput,
  requestList,
  requestListQuery,
  requestRejectInput,
  requestSchema,
  reviewDecisionInput,
  voteSchema,
  type Principal,
} from '@confiance/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { currentUser } from '../../platform/authz/index';
import type { Context } from '../../platform/context';
import { isUuid, sha256Hex } from '../../platform/crypto';
import { AppError } from '../../platform/http/errors';
import { responses, typed } from '../../platform/http/routes';
import { findOrganisation } from '../members/index';
import { decideAmendment, proposeAmendment } from './commands/amendments';
import { changeContractState, partyOf, sideOf, type ContractsDeps } from './commands/contracts';
import { approveRequest, checkReview, createRequest, rejectRequest, reviewRequest, withdrawRequest } from './commands/requests';
import { findVote, presentVote, requireVote } from '../governance/index';
import { agreementPdf, type AgreementDocument } from './document';
import { presentContract, presentRequest } from './presenter';
import {
  findContract,
  findRequest,
  findReview,
  listContracts,
  listRequests,
  listReviewRequests,
  projectOrganisations,
  projectPartners,
  usersById,
  type ContractRow,
  type RequestRow,
} from './repository';

const idParam = z.object({ id: z.uuid() });
const amendmentParams = z.object({ id: z.uuid(), amendment: z.uuid() });
const reviewQuery = z.object({ state: z.enum(['pending', 'decided']).default('pending') }).strict();

type Loaded = FastifyRequest & { accessRequest?: RequestRow; contract?: ContractRow; side?: 'provider' | 'consumer' | null };

const memberships = (principal: Principal) => (principal.kind === 'user' ? principal.memberships.map((m) => m.organisationId) : []);
const isOperator = (principal: Principal) => principal.kind === 'user' && principal.platformRoles.includes('operator');

const STATE_FR = { active: 'en vigueur', suspended: 'suspendu', terminated: 'résilié', expired: 'expiré' } as const;
const EVENT_FR: Record<string, string> = {
  accepted: 'acceptation',
  signed: 'signature par le nœud',
  suspended: 'suspension',
  resumed: 'reprise',
  terminated: 'résiliation',
  expired: 'expiration',
  amendment_proposed: 'avenant proposé',
  amended: 'avenant accepté',
  amendment_rejected: 'avenant refusé',
};

export function contractsRoutes(app: FastifyInstance, ctx: Context, deps: ContractsDeps): void {
  const api = typed(app);
  const tags = ['Demandes et contrats'];
  const baseUrl = ctx.config.baseUrl;

  // --- loading, once for the authorization check and then the handler -------------------------

  async function requestResource(request: FastifyRequest, side: 'consumer' | 'provider' | 'parties') {
    // Resources are looked up before the route's schema checks the parameters: not a UUID, not found.
    const id = (request.params as { id: string }).id;
    if (!isUuid(id)) return null;
    const row = await findRequest(ctx.db, id);
    if (!row) return null;
    (request as Loaded).accessRequest = row;
    if (side === 'parties') return { parties: [row.consumer_id, row.provider_id] };
    return { organisationId: side === 'consumer' ? row.consumer_id : row.provider_id };
  }
  const loadedRequest = (request: FastifyRequest) => (request as Loaded).accessRequest!;

  async function contractResource(request: FastifyRequest, side: 'provider' | 'caller' | 'parties') {
    const id = (request.params as { id: string }).id;
    if (!isUuid(id)) return null;
    const row = await findContract(ctx.db, id);
    if (!row) return null;
    (request as Loaded).contract = row;
    const principal = request.auth.principal;
    const partners = row.project_id ? await projectOrganisations(ctx.db, row.project_id) : [];
    const callerSide = sideOf(row, memberships(principal), partners);
    (request as Loaded).side = callerSide;
    if (side === 'parties') return { parties: [row.consumer_id, row.provider_id, ...partners] };
    if (side === 'provider') return { organisationId: row.provider_id };
    // Terminate and amend: the caller acts for its own side of the contract.
    return { organisationId: callerSide === 'provider' ? row.provider_id : callerSide === 'consumer' ? row.consumer_id : undefined };
  }
  const loadedContract = (request: FastifyRequest) => (request as Loaded).contract!;
  const callerOrganisation = (request: FastifyRequest) => {
    const row = loadedContract(request);
    return (request as Loaded).side === 'provider' ? row.provider_id : row.consumer_id;
  };

  async function presentRequestFull(row: RequestRow, principal: Principal) {
    const [users, review] = await Promise.all([usersById(ctx.db, row.users), findReview(ctx.db, row.id)]);
    return presentRequest(row, users, review, principal);
  }

  async function presentContractFull(row: ContractRow, principal: Principal) {
    const [events, amendment, side] = await Promise.all([
      ctx.db
        .selectFrom('contract_events as e')
        .leftJoin('organisations as o', 'o.id', 'e.organisation_id')
        .leftJoin('users as u', 'u.id', 'e.user_id')
        .select(['e.at', 'e.kind', 'e.reason', 'e.version', 'o.short_name as organisation', 'u.display_name as by'])
        .where('e.contract_id', '=', row.id)
        .orderBy('e.id')
        .execute(),
      ctx.db
        .selectFrom('contract_amendments as a')
        .innerJoin('organisations as o', 'o.id', 'a.proposed_by')
        .select([
          'a.id',
          'a.proposed_by',
          'o.slug as proposed_by_slug',
          'o.short_name as proposed_by_name',
          'a.duration_months',
          'a.latest_offer',
          'a.reason',
          'a.created_at',
        ])
        .where('a.contract_id', '=', row.id)
        .where('a.state', '=', 'proposed')
        .executeTakeFirst(),
      partyOf(ctx.db, row, memberships(principal)),
    ]);
    return presentContract(row, { events, amendment: amendment ?? null, side }, principal, baseUrl);
  }

  // --- requests --------------------------------------------------------------------------------

  api.post(
    '/api/v1/requests',
    {
      schema: {
        tags,
        summary: 'Demander l’accès à une offre (accordé aussitôt si l’offre est automatique et ses conditions remplies)',
        body: requestInput,
        response: responses({ 201: requestSchema }),
      },
      config: {
        permission: {
          action: 'create',
          subject: 'AccessRequest',
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
      const row = await createRequest(ctx, deps, { userId: currentUser(request).userId }, request.body);
      return reply.status(201).send(await presentRequestFull(row, request.auth.principal));
    },
  );

  api.get(
    '/api/v1/requests',
    {
      schema: {
        tags,
        summary: 'Mes demandes (mine) ou les demandes à traiter (inbox)',
        querystring: requestListQuery,
        response: responses({ 200: requestList }),
      },
      config: { permission: { action: 'list', subject: 'AccessRequest' } },
    },
    async (request) => {
      const principal = request.auth.principal;
      const rows = await listRequests(ctx.db, request.query.box, memberships(principal), request.query.stage);
      const items = await Promise.all(rows.map((r) => presentRequestFull(r, principal)));
      return { items, total: items.length };
    },
  );

  api.get(
    '/api/v1/requests/:id',
    {
      schema: {
        tags,
        summary: 'Une demande, sa décision contrainte par contrainte et son examen',
        params: idParam,
        response: responses({ 200: requestSchema }),
      },
      config: { permission: { action: 'read', subject: 'AccessRequest', resource: (r) => requestResource(r, 'parties') } },
    },
    async (request) => presentRequestFull(loadedRequest(request), request.auth.principal),
  );

  api.post(
    '/api/v1/requests/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approuver une demande (fournisseur) : le contrat est signé',
        params: idParam,
        body: requestDecisionInput,
        response: responses({ 200: requestSchema }),
      },
      config: { permission: { action: 'update', subject: 'AccessRequest', resource: (r) => requestResource(r, 'provider') } },
    },
    async (request) => {
      const row = await approveRequest(ctx, deps, { userId: currentUser(request).userId }, loadedRequest(request), request.body.reason);
      return presentRequestFull(row, request.auth.principal);
    },
  );

  api.post(
    '/api/v1/requests/:id/reject',
    {
      schema: {
        tags,
        summary: 'Refuser une demande (fournisseur), avec la raison',
        params: idParam,
        body: requestRejectInput,
        response: responses({ 200: requestSchema }),
      },
      config: { permission: { action: 'update', subject: 'AccessRequest', resource: (r) => requestResource(r, 'provider') } },
    },
    async (request) => {
      const actor = { userId: currentUser(request).userId };
      if (loadedRequest(request).requested_by === actor.userId)
        throw new AppError('forbidden', 'Vous ne pouvez pas trancher votre propre demande.');
      return presentRequestFull(await rejectRequest(ctx, actor, loadedRequest(request), request.body.reason), request.auth.principal);
    },
  );

  api.post(
    '/api/v1/requests/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Retirer sa demande',
        params: idParam,
        body: requestRejectInput,
        response: responses({ 200: requestSchema }),
      },
      config: { permission: { action: 'delete', subject: 'AccessRequest', resource: (r) => requestResource(r, 'consumer') } },
    },
    async (request) => {
      const row = await withdrawRequest(ctx, { userId: currentUser(request).userId }, loadedRequest(request), request.body.reason);
      return presentRequestFull(row, request.auth.principal);
    },
  );

  api.get(
    '/api/v1/reviews',
    {
      schema: { tags, summary: 'La file de la commission d’éthique', querystring: reviewQuery, response: responses({ 200: requestList }) },
      config: { permission: { action: 'list', subject: 'Review' } },
    },
    async (request) => {
      const rows = await listReviewRequests(ctx.db, request.query.state);
      const items = await Promise.all(rows.map((r) => presentRequestFull(r, request.auth.principal)));
      return { items, total: items.length };
    },
  );

  api.post(
    '/api/v1/requests/:id/review',
    {
      schema: {
        tags,
        summary: 'Rendre l’avis de la commission d’éthique (Five Safes)',
        params: idParam,
        body: reviewDecisionInput,
        response: responses({ 200: requestSchema, 202: voteSchema }),
      },
      config: {
        permission: {
          action: 'update',
          subject: 'Review',
          resource: async (request) => {
            const id = (request.params as { id: string }).id;
            const row = isUuid(id) ? await findRequest(ctx.db, id) : undefined;
            if (!row) return null;
            (request as Loaded).accessRequest = row;
            return {};
          },
        },
      },
    },
    async (request, reply) => {
      const actor = { userId: currentUser(request).userId };
      if (request.body.escalate) {
        // The reviewer refers the proposed decision to the ethics commission's vote (when the operator gated it).
        const review = checkReview(actor, loadedRequest(request), request.body);
        const vote = await requireVote(ctx, 'ethics_review', actor, {
          request: loadedRequest(request).id,
          review: { ...review, escalate: false },
        });
        if (!vote) {
          throw new AppError(
            'validation_failed',
            'L’opérateur n’a pas soumis les examens renvoyés au vote de la commission : rendez votre avis directement.',
            {
              issues: [{ path: ['escalate'], message: 'non disponible' }],
            },
          );
        }
        return reply.status(202).send(await presentVote(ctx.db, (await findVote(ctx.db, vote))!, request.auth.principal));
      }
      const row = await reviewRequest(ctx, actor, loadedRequest(request), request.body);
      return presentRequestFull(row, request.auth.principal);
    },
  );

  // --- contracts -------------------------------------------------------------------------------

  api.get(
    '/api/v1/contracts',
    {
      schema: { tags, summary: 'Les contrats de mes organisations', response: responses({ 200: contractList }) },
      config: { permission: { action: 'list', subject: 'Contract' } },
    },
    async (request) => {
      const principal = request.auth.principal;
      const rows = await listContracts(ctx.db, isOperator(principal) ? 'all' : memberships(principal));
      const items = await Promise.all(rows.map((r) => presentContractFull(r, principal)));
      return { items, total: items.length };
    },
  );

  const contractRead = {
    action: 'read' as const,
    subject: 'Contract' as const,
    resource: (r: FastifyRequest) => contractResource(r, 'parties'),
  };

  api.get(
    '/api/v1/contracts/:id',
    {
      schema: {
        tags,
        summary: 'Un contrat : l’accord ODRL signé, ses règles en français, son historique',
        params: idParam,
        response: responses({ 200: contractSchema }),
      },
      config: { permission: contractRead },
    },
    async (request) => presentContractFull(loadedContract(request), request.auth.principal),
  );

  api.get(
    '/api/v1/contracts/:id/grant',
    {
      schema: {
        tags,
        summary: 'Ce que le contrat permet (appliqué à chaque accès aux données)',
        params: idParam,
        response: responses({ 200: grantSchema }),
      },
      config: { permission: contractRead },
    },
    async (request) => (await presentContractFull(loadedContract(request), request.auth.principal)).grant,
  );

  api.get(
    '/api/v1/contracts/:id/pdf',
    {
      schema: {
        tags,
        summary: 'Le contrat en PDF',
        params: idParam,
        response: responses({ 200: z.string().describe('Le contrat en PDF (application/pdf)') }),
      },
      config: { permission: contractRead },
    },
    async (request, reply) => {
      const row = loadedContract(request);
      const view = await presentContractFull(row, request.auth.principal);
      const orgs = await ctx.db
        .selectFrom('organisations')
        .select(['id', 'short_name', 'legal_name', 'siren', 'address', 'postcode', 'city'])
        .where('id', 'in', [row.provider_id, row.consumer_id])
        .execute();
      const party = (id: string) => {
        const o = orgs.find((x) => x.id === id)!;
        return {
          name: o.short_name,
          legalName: o.legal_name,
          siren: o.siren,
          address: [o.address, [o.postcode, o.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || null,
        };
      };
      const partners = row.project_id ? await projectPartners(ctx.db, [row.project_id]) : [];
      const document: AgreementDocument = {
        uid: view.uri,
        version: view.version,
        state: STATE_FR[row.state],
        provider: party(row.provider_id),
        consumer: party(row.consumer_id),
        project: view.project ? { title: view.project.title, partners: partners.map((p) => p.short_name) } : null,
        dataset: { title: view.dataset.title, uri: catalogUris.dataset(baseUrl, view.dataset.slug) },
        offer: { title: view.offer.title, version: view.offer.version },
        purposeLabel: view.purposeLabel,
        validFrom: view.validFrom,
        validUntil: view.validUntil,
        rules: view.rules.map((r) => ({
          ...r,
          kind: r.kind === 'prohibition' ? 'prohibition' : r.kind === 'obligation' ? 'obligation' : 'permission',
        })),
        conditions: view.conditions,
        acceptances: view.events
          .filter((e) => e.kind === 'accepted')
          .map((e) => ({ party: e.organisation ?? '', by: e.by ?? 'offre automatique', at: e.at })),
        jwsDigest: sha256Hex(row.jws),
        events: view.events.map((e) => ({
          at: e.at,
          label: [EVENT_FR[e.kind] ?? e.kind, e.organisation, e.reason].filter(Boolean).join(' — '),
        })),
      };
      const pdf = await agreementPdf(document);
      // Bytes, not the JSON the typed reply expects: sent through the plain reply, as file downloads are.
      return (reply as FastifyReply)
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="contrat-${row.id}.pdf"`)
        .send(Buffer.from(pdf));
    },
  );

  const reasonBody = { params: idParam, body: contractReasonInput, response: responses({ 200: contractSchema }) };

  api.post(
    '/api/v1/contracts/:id/suspend',
    {
      schema: { tags, summary: 'Suspendre un contrat (fournisseur) : l’accès cesse à la requête suivante', ...reasonBody },
      config: { permission: { action: 'update', subject: 'Contract', resource: (r) => contractResource(r, 'provider') } },
    },
    async (request) => {
      const row = loadedContract(request);
      const next = await changeContractState(ctx, { userId: currentUser(request).userId }, row, 'suspend', {
        organisationId: row.provider_id,
        reason: request.body.reason,
      });
      return presentContractFull(next, request.auth.principal);
    },
  );

  api.post(
    '/api/v1/contracts/:id/resume',
    {
      schema: { tags, summary: 'Reprendre un contrat suspendu (fournisseur)', ...reasonBody },
      config: { permission: { action: 'update', subject: 'Contract', resource: (r) => contractResource(r, 'provider') } },
    },
    async (request) => {
      const row = loadedContract(request);
      const next = await changeContractState(ctx, { userId: currentUser(request).userId }, row, 'resume', {
        organisationId: row.provider_id,
        reason: request.body.reason,
      });
      return presentContractFull(next, request.auth.principal);
    },
  );

  api.post(
    '/api/v1/contracts/:id/terminate',
    {
      schema: { tags, summary: 'Résilier un contrat (l’une ou l’autre partie), avec la raison : effet immédiat', ...reasonBody },
      config: { permission: { action: 'delete', subject: 'Contract', resource: (r) => contractResource(r, 'caller') } },
    },
    async (request) => {
      const next = await changeContractState(ctx, { userId: currentUser(request).userId }, loadedContract(request), 'terminate', {
        organisationId: callerOrganisation(request),
        reason: request.body.reason,
      });
      return presentContractFull(next, request.auth.principal);
    },
  );

  api.post(
    '/api/v1/contracts/:id/amendments',
    {
      schema: {
        tags,
        summary: 'Proposer un avenant (nouvelle durée, conditions actuelles de l’offre)',
        params: idParam,
        body: amendmentInput,
        response: responses({ 200: contractSchema }),
      },
      config: { permission: { action: 'create', subject: 'Contract', resource: (r) => contractResource(r, 'caller') } },
    },
    async (request) => {
      const next = await proposeAmendment(
        ctx,
        { userId: currentUser(request).userId },
        loadedContract(request),
        callerOrganisation(request),
        request.body,
      );
      return presentContractFull(next, request.auth.principal);
    },
  );

  api.post(
    '/api/v1/contracts/:id/amendments/:amendment/decide',
    {
      schema: {
        tags,
        summary: 'Accepter ou refuser l’avenant proposé par l’autre partie',
        params: amendmentParams,
        body: amendmentDecisionInput,
        response: responses({ 200: contractSchema }),
      },
      config: { permission: { action: 'create', subject: 'Contract', resource: (r) => contractResource(r, 'caller') } },
    },
    async (request) => {
      const next = await decideAmendment(
        ctx,
        deps,
        { userId: currentUser(request).userId },
        loadedContract(request),
        callerOrganisation(request),
        request.params.amendment,
        request.body,
      );
      return presentContractFull(next, request.auth.principal);
    },
  );

  api.get(
    '/api/v1/contract-key',
    {
      schema: { tags, summary: 'La clé publique qui signe les contrats (JWK, EdDSA)', response: responses({ 200: contractKeySchema }) },
      config: { permission: { action: 'read', subject: 'System' } },
    },
    async () => deps.signer.publicJwk(),
  );

  // --- notifications ---------------------------------------------------------------------------

  api.get(
    '/api/v1/notifications',
    {
      schema: { tags, summary: 'Mes notifications', response: responses({ 200: notificationList }) },
      config: { permission: { action: 'list', subject: 'Notification' } },
    },
    async (request) => {
      const userId = currentUser(request).userId;
      const rows = await ctx.db
        .selectFrom('notifications')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .limit(50)
        .execute();
      const unread = await ctx.db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow();
      return {
        items: rows.map((n) => ({
          id: n.id,
          kind: n.kind as never,
          title: n.title,
          link: n.link,
          read: n.read_at !== null,
          createdAt: n.created_at.toISOString(),
        })),
        total: rows.length,
        unread: Number(unread.n),
      };
    },
  );

  api.post(
    '/api/v1/notifications/:id/read',
    {
      schema: { tags, summary: 'Marquer une notification comme lue', params: idParam, response: responses({ 200: okSchema }) },
      config: {
        permission: {
          action: 'update',
          subject: 'Notification',
          resource: async (request) => {
            const row = await ctx.db
              .selectFrom('notifications')
              .select('user_id')
              .where('id', '=', (request.params as { id: string }).id)
              .executeTakeFirst();
            return row ? { userId: row.user_id } : null;
          },
        },
      },
    },
    async (request) => {
      await ctx.db
        .updateTable('notifications')
        .set({ read_at: new Date() })
        .where('id', '=', request.params.id)
        .where('read_at', 'is', null)
        .execute();
      return { ok: true as const };
    },
  );

  api.post(
    '/api/v1/notifications/read-all',
    {
      schema: { tags, summary: 'Tout marquer comme lu', response: responses({ 200: okSchema }) },
      config: { permission: { action: 'list', subject: 'Notification' } },
    },
    async (request) => {
      await ctx.db
        .updateTable('notifications')
        .set({ read_at: new Date() })
        .where('user_id', '=', currentUser(request).userId)
        .where('read_at', 'is', null)
        .execute();
      return { ok: true as const };
    },
  );
}

import {
  can,
  charterPublishInput,
  charterSignInput,
  charterSignatureList,
  charterSignatureSchema,
  charterVersionList,
  charterVersionSchema,
  decisionPreviewInput,
  decisionSchema,
  offerInput,
  offerList,
  offerRetireInput,
  offerSchema,
  offerUpdateInput,
  voteSchema,
  type Principal,
} from '@confiance/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { currentUser } from '../../platform/authz/index';
import { isUuid } from '../../platform/crypto';
import type { Context } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import { responses, typed } from '../../platform/http/routes';
import { findDataset, type DatasetRow } from '../catalog/index';
import { findOrganisation } from '../members/index';
import { findVote, presentVote, requireVote } from '../governance/index';
import { publishCharter, signCharter } from './commands/charter';
import { createOffer, offerDatasetOf, retireOffer, updateOffer } from './commands/offers';
import { previewDecision } from './decide';
import { offerResource, presentCharter, presentOffer, presentSignature } from './presenter';
import {
  currentCharter,
  findCharterVersion,
  findOffer,
  listCharterVersions,
  listOffers,
  listSignatures,
  type OfferRow,
} from './repository';

const datasetParam = z.object({ dataset: z.string().min(1).max(100) });
const offerParam = z.object({ id: z.uuid() });
const memberParam = z.object({ member: z.string().min(1).max(100) });
const versionParam = z.object({ version: z.string().min(1).max(40) });
const offersQuery = z.object({ includeRetired: z.enum(['true', 'false']).optional() }).strict();

type WithLoaded = FastifyRequest & { dataset?: DatasetRow; offer?: OfferRow };

export function policiesRoutes(app: FastifyInstance, ctx: Context): void {
  const api = typed(app);
  const tags = ['Charte et offres'];
  const baseUrl = ctx.config.baseUrl;

  const offerDataset = (dataset: DatasetRow) => offerDatasetOf(ctx.db, dataset);

  /** `:dataset` resolved once for the authorization check, then reused by the handler. */
  async function datasetResourceOf(request: FastifyRequest) {
    const row = await findDataset(ctx.db, (request.params as { dataset: string }).dataset);
    if (!row) return null;
    (request as WithLoaded).dataset = row;
    return { organisationId: row.organisation_id, status: row.status, accessLevel: row.access_level };
  }
  async function offerResourceOf(request: FastifyRequest) {
    // Looked up before the route's schema checks the parameter: not a UUID, not found (never a 500).
    const id = (request.params as { id: string }).id;
    if (!isUuid(id)) return null;
    const row = await findOffer(ctx.db, id);
    if (!row) return null;
    (request as WithLoaded).offer = row;
    return offerResource(row);
  }
  const loadedDataset = (request: FastifyRequest) => (request as WithLoaded).dataset!;
  const loadedOffer = (request: FastifyRequest) => (request as WithLoaded).offer!;
  const present = (row: OfferRow, principal: Principal) => presentOffer(row, principal, baseUrl);

  // --- the charter -----------------------------------------------------------------------------

  api.get(
    '/api/v1/charter',
    {
      schema: {
        tags,
        summary: 'La charte éthique en vigueur (texte en français et en anglais, règles appliquées par le logiciel)',
        response: responses({ 200: charterVersionSchema }),
      },
      config: { permission: { action: 'read', subject: 'Charter' } },
    },
    async () => {
      const charter = await currentCharter(ctx.db);
      if (!charter) throw new AppError('not_found', 'Aucune charte n’est encore publiée.');
      return presentCharter(charter, charter.version);
    },
  );

  api.get(
    '/api/v1/charter/versions',
    {
      schema: { tags, summary: 'Les versions successives de la charte', response: responses({ 200: charterVersionList }) },
      config: { permission: { action: 'list', subject: 'Charter' } },
    },
    async () => {
      const rows = await listCharterVersions(ctx.db);
      const current = rows[0]?.version ?? null;
      return {
        items: rows.map((r) => {
          const { body: _body, ...rest } = presentCharter(r, current);
          return rest;
        }),
        total: rows.length,
      };
    },
  );

  api.get(
    '/api/v1/charter/versions/:version',
    {
      schema: { tags, summary: 'Une version de la charte', params: versionParam, response: responses({ 200: charterVersionSchema }) },
      config: { permission: { action: 'read', subject: 'Charter' } },
    },
    async (request) => {
      const [row, current] = await Promise.all([findCharterVersion(ctx.db, request.params.version), currentCharter(ctx.db)]);
      if (!row) throw new AppError('not_found', `La charte n’a pas de version ${request.params.version}.`);
      return presentCharter(row, current?.version ?? null);
    },
  );

  api.post(
    '/api/v1/charter/versions',
    {
      schema: {
        tags,
        summary:
          'Publier une nouvelle version de la charte (opérateur) ; elle entre en vigueur aussitôt, ou, si l’opérateur l’a soumise au vote d’une commission, 202 avec le vote ouvert',
        body: charterPublishInput,
        response: responses({ 201: charterVersionSchema, 202: voteSchema }),
      },
      config: { permission: { action: 'create', subject: 'Charter' } },
    },
    async (request, reply) => {
      const vote = await requireVote(ctx, 'charter_version', { userId: currentUser(request).userId }, request.body);
      if (vote) return reply.status(202).send(await presentVote(ctx.db, (await findVote(ctx.db, vote))!, request.auth.principal));
      const row = await publishCharter(ctx, { userId: currentUser(request).userId }, request.body);
      return reply.status(201).send(presentCharter(row, row.version));
    },
  );

  api.get(
    '/api/v1/charter/signatures',
    {
      schema: { tags, summary: 'Où en est chaque organisation membre avec la charte', response: responses({ 200: charterSignatureList }) },
      config: { permission: { action: 'list', subject: 'CharterSignature' } },
    },
    async (request) => {
      const [rows, current] = await Promise.all([listSignatures(ctx.db), currentCharter(ctx.db)]);
      const items = rows.map((r) => presentSignature(r, current?.version ?? null, request.auth.principal));
      return { items, total: items.length, currentVersion: current?.version ?? null };
    },
  );

  api.post(
    '/api/v1/members/:member/charter-signature',
    {
      schema: {
        tags,
        summary: 'Signer la charte en vigueur pour son organisation (administrateur de l’organisation)',
        params: memberParam,
        body: charterSignInput,
        response: responses({ 200: charterSignatureSchema, 201: charterSignatureSchema }),
      },
      config: {
        permission: {
          action: 'create',
          subject: 'CharterSignature',
          resource: async (request) => {
            const org = await findOrganisation(ctx.db, (request.params as { member: string }).member);
            return org && org.status === 'active' ? { organisationId: org.id } : null;
          },
        },
      },
    },
    async (request, reply) => {
      const org = (await findOrganisation(ctx.db, request.params.member))!;
      const { created } = await signCharter(ctx, { userId: currentUser(request).userId }, org, request.body.version);
      const row = (await listSignatures(ctx.db, org.id))[0]!;
      return reply.status(created ? 201 : 200).send(presentSignature(row, request.body.version, request.auth.principal));
    },
  );

  // --- offers ----------------------------------------------------------------------------------

  api.get(
    '/api/v1/datasets/:dataset/offers',
    {
      schema: {
        tags,
        summary: 'Les offres d’accès d’un jeu de données',
        params: datasetParam,
        querystring: offersQuery,
        response: responses({ 200: offerList }),
      },
      config: { permission: { action: 'list', subject: 'Offer' } },
    },
    async (request) => {
      const dataset = await findDataset(ctx.db, request.params.dataset);
      if (!dataset) throw new AppError('not_found', `Jeu de données « ${request.params.dataset} » introuvable.`);
      const principal = request.auth.principal;
      // Retired offers are history for the provider and the operator only.
      const retired =
        request.query.includeRetired === 'true' &&
        can(principal, 'update', 'Offer', { organisationId: dataset.organisation_id, status: 'published' });
      const rows = await listOffers(ctx.db, dataset.id, retired);
      return { items: rows.map((r) => present(r, principal)), total: rows.length };
    },
  );

  api.post(
    '/api/v1/datasets/:dataset/offers',
    {
      schema: {
        tags,
        summary: 'Proposer une offre : depuis un modèle (terms) ou en ODRL JSON-LD (policy)',
        params: datasetParam,
        body: offerInput,
        response: responses({ 201: offerSchema }),
      },
      config: {
        permission: {
          action: 'create',
          subject: 'Offer',
          resource: async (request) => {
            const resource = await datasetResourceOf(request);
            // Said plainly rather than as a 403: the dataset's state is public anyway.
            if (resource?.status === 'withdrawn')
              throw new AppError('dataset_withdrawn', 'Ce jeu de données est retiré : il ne reçoit plus d’offre.');
            return resource;
          },
        },
      },
    },
    async (request, reply) => {
      const dataset = await offerDataset(loadedDataset(request));
      const row = await createOffer(ctx, { userId: currentUser(request).userId }, dataset, request.body);
      return reply.status(201).send(present(row, request.auth.principal));
    },
  );

  api.get(
    '/api/v1/offers/:id',
    {
      schema: {
        tags,
        summary: 'Une offre : ses conditions en français et sa politique ODRL',
        params: offerParam,
        response: responses({ 200: offerSchema }),
      },
      config: { permission: { action: 'read', subject: 'Offer', resource: offerResourceOf } },
    },
    async (request) => present(loadedOffer(request), request.auth.principal),
  );

  api.patch(
    '/api/v1/offers/:id',
    {
      schema: {
        tags,
        summary: 'Modifier une offre (nouvelle version)',
        params: offerParam,
        body: offerUpdateInput,
        response: responses({ 200: offerSchema }),
      },
      config: { permission: { action: 'update', subject: 'Offer', resource: offerResourceOf } },
    },
    async (request) => {
      const offer = loadedOffer(request);
      const dataset = (await findDataset(ctx.db, offer.dataset_id))!;
      const row = await updateOffer(ctx, { userId: currentUser(request).userId }, await offerDataset(dataset), offer, request.body);
      return present(row, request.auth.principal);
    },
  );

  api.post(
    '/api/v1/offers/:id/retire',
    {
      schema: {
        tags,
        summary: 'Retirer une offre (les contrats déjà conclus continuent)',
        params: offerParam,
        body: offerRetireInput,
        response: responses({ 200: offerSchema }),
      },
      config: { permission: { action: 'delete', subject: 'Offer', resource: offerResourceOf } },
    },
    async (request) => {
      const offer = loadedOffer(request);
      const dataset = (await findDataset(ctx.db, offer.dataset_id))!;
      const row = await retireOffer(ctx, { userId: currentUser(request).userId }, await offerDataset(dataset), offer, request.body.reason);
      return present(row, request.auth.principal);
    },
  );

  api.post(
    '/api/v1/offers/:id/evaluate',
    {
      schema: {
        tags,
        summary: 'Prévisualiser la décision : cette finalité, cette organisation et cette durée satisferaient-elles l’offre ?',
        params: offerParam,
        body: decisionPreviewInput,
        response: responses({ 200: decisionSchema }),
      },
      config: {
        permission: {
          action: 'create',
          subject: 'Decision',
          resourceFromBody: true,
          // Only the organisation's own people (or the operator) may ask on its behalf.
          resource: async (request) => {
            const ref = (request.body as { organisation: string }).organisation;
            const org = await findOrganisation(ctx.db, ref);
            if (!org || org.status !== 'active') throw new AppError('not_found', `Organisation « ${ref} » introuvable.`);
            return { organisationId: org.id };
          },
        },
      },
    },
    async (request) => {
      const offer = await findOffer(ctx.db, request.params.id);
      if (!offer) throw new AppError('not_found', 'Offre introuvable.');
      const org = (await findOrganisation(ctx.db, request.body.organisation))!;
      return previewDecision(ctx, offer, org, request.body);
    },
  );
}

import {
  invitationAccept,
  invitationInput,
  invitationList,
  invitationPreview,
  invitationSchema,
  membershipList,
  membershipUpdate,
  okSchema,
  organisationInput,
  organisationList,
  organisationSchema,
  organisationSearch,
  organisationUpdate,
} from '@confiance/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { currentUser } from '../../platform/authz/index';
import type { Context } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import { responses, typed } from '../../platform/http/routes';
import {
  acceptInvitation,
  changeMemberRole,
  inviteMember,
  previewInvitation,
  removeMember,
  revokeInvitation,
} from './commands/memberships';
import { admitOrganisation, deactivateOrganisation, updateOrganisation } from './commands/organisations';
import { presentInvitation, presentMembership, presentOrganisation } from './presenter';
import { findInvitation, findOrganisation, listMemberships, listOrganisations, listPendingInvitations } from './repository';

const memberParam = z.object({ member: z.string().min(1).max(100) });
const memberUserParams = memberParam.extend({ userId: z.uuid() });
const tokenParam = z.object({ token: z.string().min(10).max(200) });

export function membersRoutes(app: FastifyInstance, ctx: Context): void {
  const api = typed(app);
  const tags = ['Membres'];

  /** Resolves `:member` (slug or id) once, for the authorization check and then the handler. */
  async function memberResource(request: FastifyRequest) {
    const { member } = request.params as { member: string };
    const org = await findOrganisation(ctx.db, member);
    if (!org) return null;
    (request as FastifyRequest & { organisationId?: string }).organisationId = org.id;
    return { organisationId: org.id };
  }
  const orgId = (request: FastifyRequest) => (request as FastifyRequest & { organisationId: string }).organisationId;

  api.get(
    '/api/v1/members',
    {
      schema: { tags, summary: 'Annuaire des membres', querystring: organisationSearch, response: responses({ 200: organisationList }) },
      config: { permission: { action: 'list', subject: 'Organisation' } },
    },
    async (request) => {
      const { rows, total } = await listOrganisations(ctx.db, request.query);
      return { items: rows.map((r) => presentOrganisation(r, ctx.config.baseUrl)), total };
    },
  );

  api.get(
    '/api/v1/members/:member',
    {
      schema: {
        tags,
        summary: 'Fiche d’un membre (slug ou identifiant)',
        params: memberParam,
        response: responses({ 200: organisationSchema }),
      },
      config: { permission: { action: 'read', subject: 'Organisation', resource: memberResource } },
    },
    async (request) => presentOrganisation((await findOrganisation(ctx.db, orgId(request)))!, ctx.config.baseUrl),
  );

  api.post(
    '/api/v1/members',
    {
      schema: {
        tags,
        summary: 'Admettre un membre (opérateur)',
        body: organisationInput,
        response: responses({ 201: organisationSchema }),
      },
      config: { permission: { action: 'create', subject: 'Organisation' } },
    },
    async (request, reply) => reply.status(201).send(presentOrganisation(await admitOrganisation(ctx, request.body), ctx.config.baseUrl)),
  );

  api.patch(
    '/api/v1/members/:member',
    {
      schema: {
        tags,
        summary: 'Modifier l’identité d’un membre',
        params: memberParam,
        body: organisationUpdate,
        response: responses({ 200: organisationSchema }),
      },
      config: { permission: { action: 'update', subject: 'Organisation', resource: memberResource } },
    },
    async (request) => presentOrganisation(await updateOrganisation(ctx, orgId(request), request.body), ctx.config.baseUrl),
  );

  api.post(
    '/api/v1/members/:member/deactivate',
    {
      schema: {
        tags,
        summary: 'Désactiver un membre (opérateur) : sessions et jetons de ses membres prennent fin',
        params: memberParam,
        response: responses({ 200: organisationSchema }),
      },
      config: { permission: { action: 'deactivate', subject: 'Organisation', resource: memberResource } },
    },
    async (request) => presentOrganisation(await deactivateOrganisation(ctx, orgId(request)), ctx.config.baseUrl),
  );

  api.get(
    '/api/v1/members/:member/users',
    {
      schema: {
        tags,
        summary: 'Personnes d’une organisation et leurs rôles',
        params: memberParam,
        response: responses({ 200: membershipList }),
      },
      config: { permission: { action: 'list', subject: 'Membership', resource: memberResource } },
    },
    async (request) => {
      const rows = await listMemberships(ctx.db, orgId(request));
      return { items: rows.map(presentMembership), total: rows.length };
    },
  );

  api.patch(
    '/api/v1/members/:member/users/:userId',
    {
      schema: {
        tags,
        summary: 'Changer le rôle d’une personne',
        params: memberUserParams,
        body: membershipUpdate,
        response: responses({ 200: okSchema }),
      },
      config: { permission: { action: 'update', subject: 'Membership', resource: memberResource } },
    },
    async (request) => {
      await changeMemberRole(ctx, orgId(request), request.params.userId, request.body.role);
      return { ok: true as const };
    },
  );

  api.delete(
    '/api/v1/members/:member/users/:userId',
    {
      schema: {
        tags,
        summary: 'Retirer une personne de l’organisation (ses sessions et jetons prennent fin)',
        params: memberUserParams,
        response: responses({ 200: okSchema }),
      },
      config: {
        permission: {
          action: 'delete',
          subject: 'Membership',
          resource: async (r) => {
            const res = await memberResource(r);
            return res && { ...res, userId: (r.params as { userId: string }).userId };
          },
        },
      },
    },
    async (request) => {
      await removeMember(ctx, orgId(request), request.params.userId);
      return { ok: true as const };
    },
  );

  api.get(
    '/api/v1/members/:member/invitations',
    {
      schema: { tags, summary: 'Invitations en attente', params: memberParam, response: responses({ 200: invitationList }) },
      config: { permission: { action: 'list', subject: 'Invitation', resource: memberResource } },
    },
    async (request) => {
      const rows = await listPendingInvitations(ctx.db, orgId(request));
      return { items: rows.map(presentInvitation), total: rows.length };
    },
  );

  api.post(
    '/api/v1/members/:member/invitations',
    {
      schema: {
        tags,
        summary: 'Inviter une personne (lien à usage unique envoyé par e-mail)',
        params: memberParam,
        body: invitationInput,
        response: responses({ 201: invitationSchema }),
      },
      config: { permission: { action: 'create', subject: 'Invitation', resource: memberResource } },
    },
    async (request, reply) => {
      const { invitationId } = await inviteMember(ctx, {
        organisationId: orgId(request),
        ...request.body,
        invitedBy: currentUser(request).userId,
      });
      return reply.status(201).send(presentInvitation((await findInvitation(ctx.db, invitationId))!));
    },
  );

  api.delete(
    '/api/v1/members/:member/invitations/:invitationId',
    {
      schema: {
        tags,
        summary: 'Annuler une invitation',
        params: memberParam.extend({ invitationId: z.uuid() }),
        response: responses({ 200: okSchema }),
      },
      config: { permission: { action: 'delete', subject: 'Invitation', resource: memberResource } },
    },
    async (request) => {
      const invitation = await findInvitation(ctx.db, request.params.invitationId);
      if (!invitation || invitation.organisation_id !== orgId(request)) throw new AppError('not_found', 'Invitation introuvable.');
      await revokeInvitation(ctx, invitation.id);
      return { ok: true as const };
    },
  );

  api.get(
    '/api/v1/invitations/:token',
    {
      schema: { tags, summary: 'Aperçu d’une invitation reçue', params: tokenParam, response: responses({ 200: invitationPreview }) },
      config: { permission: { action: 'read', subject: 'System' }, rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (request) => {
      const { invitation, accountExists } = await previewInvitation(ctx, request.params.token);
      return {
        email: invitation.email,
        role: invitation.role as 'org_admin',
        organisation: { slug: invitation.organisation_slug, shortName: invitation.organisation_name },
        expiresAt: invitation.expires_at.toISOString(),
        accountExists,
      };
    },
  );

  api.post(
    '/api/v1/invitations/:token/accept',
    {
      schema: {
        tags,
        summary: 'Accepter une invitation',
        params: tokenParam,
        body: invitationAccept,
        response: responses({ 200: z.object({ email: z.string(), organisationId: z.string() }) }),
      },
      config: { permission: { action: 'create', subject: 'Session', csrf: false }, rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (request) => {
      const { email, organisationId } = await acceptInvitation(ctx, request.params.token, request.body);
      return { email, organisationId };
    },
  );
}

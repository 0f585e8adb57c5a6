import {
  apiTokenCreated,
  apiTokenInput,
  apiTokenList,
  loginInput,
  okSchema,
  passwordChange,
  passwordResetConfirm,
  passwordResetRequest,
  profileUpdate,
  sessionSchema,
  userSchema,
} from '@confiance/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { currentUser } from '../../platform/authz/index';
import type { Context } from '../../platform/context';
import { isUuid } from '../../platform/crypto';
import { AppError } from '../../platform/http/errors';
import { responses, typed } from '../../platform/http/routes';
import { SESSION_COOKIE } from './authenticate';
import { changePassword, requestPasswordReset, resetPassword } from './commands/passwords';
import { signIn, signOut } from './commands/sessions';
import { createApiToken, revokeApiToken } from './commands/tokens';
import { deactivateUser, updateProfile } from './commands/users';
import { presentToken, presentUser } from './presenter';
import { findToken, findUserById, listTokens, membershipsForSession } from './repository';

const AUTH_RATE_LIMIT = { max: 10, timeWindow: '1 minute' };

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, secret: string, expires: Date) {
  reply.setCookie(SESSION_COOKIE, secret, {
    path: '/',
    httpOnly: true, // scripts (and so XSS) cannot read the session
    sameSite: 'lax', // not sent on cross-site POSTs
    secure: request.protocol === 'https', // https as seen through the trusted proxy
    expires,
  });
}

async function sessionView(ctx: Context, userId: string, method: 'session' | 'token', csrfToken: string | null) {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new AppError('unauthenticated', 'Session inconnue.');
  const memberships = await membershipsForSession(ctx.db, userId);
  return {
    user: presentUser(user),
    memberships: memberships.map((m) => ({
      organisationId: m.organisation_id,
      organisationSlug: m.slug,
      organisationName: m.short_name,
      role: m.role as 'org_admin' | 'data_steward' | 'analyst',
    })),
    csrfToken,
    authenticatedBy: method,
  };
}

export function identityRoutes(app: FastifyInstance, ctx: Context): void {
  const api = typed(app);
  const tags = ['Identité'];

  api.post(
    '/api/v1/auth/session',
    {
      schema: { tags, summary: 'Se connecter (cookie de session)', body: loginInput, response: responses({ 200: sessionSchema }) },
      config: { permission: { action: 'create', subject: 'Session', csrf: false }, rateLimit: AUTH_RATE_LIMIT },
    },
    async (request, reply) => {
      const session = await signIn(ctx, { ...request.body, userAgent: request.headers['user-agent'] ?? null, ip: request.ip });
      setSessionCookie(request, reply, session.secret, session.expiresAt);
      return sessionView(ctx, session.user.id, 'session', session.csrfToken);
    },
  );

  api.get(
    '/api/v1/auth/session',
    {
      schema: { tags, summary: 'Qui suis-je ?', response: responses({ 200: sessionSchema }) },
      config: { permission: { action: 'read', subject: 'Session', resource: (r) => ({ userId: principalId(r) }) } },
    },
    async (request) => {
      const user = currentUser(request);
      const method = request.auth.method === 'token' ? 'token' : 'session';
      return sessionView(ctx, user.userId, method, request.auth.csrfToken ?? null);
    },
  );

  api.delete(
    '/api/v1/auth/session',
    {
      schema: { tags, summary: 'Se déconnecter', response: responses({ 200: okSchema }) },
      config: { permission: { action: 'delete', subject: 'Session', resource: (r) => ({ userId: principalId(r) }) } },
    },
    async (request, reply) => {
      if (request.auth.sessionId) await signOut(ctx, request.auth.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  api.post(
    '/api/v1/auth/password-reset',
    {
      schema: {
        tags,
        summary: 'Recevoir un lien de réinitialisation par e-mail',
        body: passwordResetRequest,
        response: responses({ 202: okSchema }),
      },
      config: { permission: { action: 'create', subject: 'Session', csrf: false }, rateLimit: AUTH_RATE_LIMIT },
    },
    async (request, reply) => {
      await requestPasswordReset(ctx, request.body.email);
      return reply.status(202).send({ ok: true as const });
    },
  );

  api.post(
    '/api/v1/auth/password-reset/confirm',
    {
      schema: {
        tags,
        summary: 'Choisir un nouveau mot de passe avec le lien reçu',
        body: passwordResetConfirm,
        response: responses({ 200: okSchema }),
      },
      config: { permission: { action: 'create', subject: 'Session', csrf: false }, rateLimit: AUTH_RATE_LIMIT },
    },
    async (request) => {
      await resetPassword(ctx, request.body.token, request.body.newPassword);
      return { ok: true as const };
    },
  );

  const me = (r: FastifyRequest) => ({ userId: principalId(r) });

  api.get(
    '/api/v1/me',
    {
      schema: { tags, summary: 'Mon profil', response: responses({ 200: userSchema }) },
      config: { permission: { action: 'read', subject: 'User', resource: me } },
    },
    async (request) => {
      const user = await findUserById(ctx.db, currentUser(request).userId);
      if (!user) throw new AppError('not_found', 'Utilisateur introuvable.');
      return presentUser(user);
    },
  );

  api.patch(
    '/api/v1/me',
    {
      schema: { tags, summary: 'Modifier mon profil', body: profileUpdate, response: responses({ 200: userSchema }) },
      config: { permission: { action: 'update', subject: 'User', resource: me } },
    },
    async (request) => presentUser(await updateProfile(ctx, currentUser(request).userId, request.body)),
  );

  api.post(
    '/api/v1/me/password',
    {
      schema: { tags, summary: 'Changer mon mot de passe', body: passwordChange, response: responses({ 200: okSchema }) },
      config: { permission: { action: 'update', subject: 'User', resource: me }, rateLimit: AUTH_RATE_LIMIT },
    },
    async (request) => {
      await changePassword(
        ctx,
        currentUser(request).userId,
        request.body.currentPassword,
        request.body.newPassword,
        request.auth.sessionId,
      );
      return { ok: true as const };
    },
  );

  api.get(
    '/api/v1/me/tokens',
    {
      schema: { tags, summary: 'Mes jetons d’API', response: responses({ 200: apiTokenList }) },
      config: { permission: { action: 'list', subject: 'ApiToken', resource: me } },
    },
    async (request) => {
      const rows = await listTokens(ctx.db, currentUser(request).userId);
      return { items: rows.map(presentToken), total: rows.length };
    },
  );

  api.post(
    '/api/v1/me/tokens',
    {
      schema: {
        tags,
        summary: 'Créer un jeton d’API (le secret n’est montré qu’une fois)',
        body: apiTokenInput,
        response: responses({ 201: apiTokenCreated }),
      },
      config: { permission: { action: 'create', subject: 'ApiToken', resource: me } },
    },
    async (request, reply) => {
      const { row, secret } = await createApiToken(ctx, currentUser(request).userId, request.body);
      return reply.status(201).send({ ...presentToken(row), secret });
    },
  );

  api.delete(
    '/api/v1/me/tokens/:tokenId',
    {
      schema: {
        tags,
        summary: 'Révoquer un jeton d’API',
        params: z.object({ tokenId: z.string() }),
        response: responses({ 200: apiTokenList.shape.items.element }),
      },
      config: {
        permission: {
          action: 'delete',
          subject: 'ApiToken',
          resource: async (r) => {
            const { tokenId } = r.params as { tokenId: string };
            const token = isUuid(tokenId) ? await findToken(ctx.db, tokenId) : undefined;
            return token ? { userId: token.user_id } : null;
          },
        },
      },
    },
    async (request) => presentToken(await revokeApiToken(ctx, request.params.tokenId)),
  );

  api.post(
    '/api/v1/users/:userId/deactivate',
    {
      schema: {
        tags,
        summary: 'Désactiver un utilisateur (opérateur)',
        params: z.object({ userId: z.uuid() }),
        response: responses({ 200: userSchema }),
      },
      config: {
        permission: {
          action: 'deactivate',
          subject: 'User',
          resource: async (r) => {
            const { userId } = r.params as { userId: string };
            const user = isUuid(userId) ? await findUserById(ctx.db, userId) : undefined;
            return user ? { userId: user.id } : null;
          },
        },
      },
    },
    async (request) => presentUser(await deactivateUser(ctx, request.params.userId)),
  );
}

function principalId(request: FastifyRequest): string {
  const p = request.auth.principal;
  return p.kind === 'user' ? p.userId : '';
}

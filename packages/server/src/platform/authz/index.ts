import { timingSafeEqual } from 'node:crypto';
import { anonymousMayTry, can, mayBeAllowed, type Action, type Principal, type Resource, type Subject } from '@confiance/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../http/errors';

/**
 * Every route declares the permission it needs in `config.permission`; one hook checks it.
 * A route without a declaration makes the app refuse to start, so nothing ships unguarded.
 */
export interface Permission {
  action: Action;
  subject: Subject;
  /**
   * The resource the action applies to, from the request's params. Return null when it does
   * not exist: the caller gets 404 (after authentication, so anonymous probing learns nothing).
   */
  resource?: (request: FastifyRequest) => Resource | null | Promise<Resource | null>;
  /**
   * The resource is named in the request body (publishing for an organisation given in the JSON):
   * the caller is authenticated and pre-checked on arrival ("could they, somewhere?"), and the
   * resource is resolved and checked once the body is parsed and validated, before the handler.
   */
  resourceFromBody?: true;
  /**
   * false for routes that do not act with the caller's existing session (sign in, reset a
   * password, accept an invitation): a stale cookie must not block them. They change nothing an
   * attacker could want done in a victim's name, and SameSite=Lax already keeps cross-site posts
   * from carrying the cookie.
   */
  csrf?: false;
}

export interface Authentication {
  principal: Principal;
  /** How the caller proved who they are; CSRF applies only to cookie sessions. */
  method: 'anonymous' | 'session' | 'token';
  sessionId?: string;
  tokenId?: string;
  csrfToken?: string;
}

/** Supplied by the identity module at start-up; the platform knows no module. */
export type Authenticator = (request: FastifyRequest) => Promise<Authentication>;

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: Permission;
  }
  interface FastifyRequest {
    auth: Authentication;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function currentUser(request: FastifyRequest): Extract<Principal, { kind: 'user' }> {
  const p = request.auth.principal;
  if (p.kind !== 'user') throw new AppError('unauthenticated', 'Connectez-vous pour continuer.');
  return p;
}

function deny(principal: Principal): never {
  if (principal.kind === 'anonymous') throw new AppError('unauthenticated', 'Connectez-vous pour continuer.');
  throw new AppError('forbidden', 'Vous n’avez pas les droits nécessaires pour cette action.');
}

async function check(request: FastifyRequest, permission: Permission): Promise<void> {
  const { principal } = request.auth;
  if (permission.resource && principal.kind === 'anonymous' && !anonymousMayTry(permission.action, permission.subject)) {
    throw new AppError('unauthenticated', 'Connectez-vous pour continuer.');
  }
  const resource = permission.resource ? await permission.resource(request) : undefined;
  if (resource === null) throw new AppError('not_found', 'Ressource introuvable.');
  if (!can(principal, permission.action, permission.subject, resource)) deny(principal);
}

export function registerAuthorization(
  app: FastifyInstance,
  authenticate: Authenticator,
  options: { publicPrefixes?: string[] } = {},
): void {
  app.decorateRequest('auth', null as unknown as Authentication);

  app.addHook('onRoute', (route) => {
    // Routes added by plugins we do not control (the API reference page's assets) are public
    // documentation; everything else must say what it needs.
    if (!route.config?.permission && options.publicPrefixes?.some((p) => route.url.startsWith(p))) {
      route.config = { ...route.config, permission: { action: 'read', subject: 'System' } };
    }
    if (!route.config?.permission) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no permission (config.permission)`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission;
    if (!permission) return; // 404 handler: nothing to protect
    request.auth = await authenticate(request);
    const { principal } = request.auth;

    // A page on another site can make the browser send our cookie; it cannot read the CSRF token.
    if (request.auth.method === 'session' && permission.csrf !== false && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !request.auth.csrfToken || !sameSecret(sent, request.auth.csrfToken)) {
        throw new AppError('csrf_failed', 'Jeton anti-CSRF absent ou invalide : rechargez la page et réessayez.');
      }
    }

    if (permission.resourceFromBody) {
      // The real check waits for the body (preHandler below); refuse early whoever could never pass.
      if (!mayBeAllowed(principal, permission.action, permission.subject)) deny(principal);
      return;
    }
    await check(request, permission);
  });

  app.addHook('preHandler', async (request) => {
    const permission = request.routeOptions.config.permission;
    if (permission?.resourceFromBody) await check(request, permission);
  });
}

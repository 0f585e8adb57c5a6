import type { FastifyRequest } from 'fastify';
import type { Authentication, Authenticator } from '../../platform/authz/index';
import type { Db } from '../../platform/db/database';
import { sha256Hex } from '../../platform/crypto';
import { AppError } from '../../platform/http/errors';
import type { PlatformRole, TokenScope } from '@confiance/contract';
import type { CredentialCache } from './credential-cache';
import { findSessionCredential, findTokenCredential, touchSession, touchToken, type CredentialRow } from './repository';

export const SESSION_COOKIE = 'confiance_session';
const ANONYMOUS: Authentication = { principal: { kind: 'anonymous' }, method: 'anonymous' };
/** "Last used" is shown to the minute; writing it on every request would double the write load. */
const TOUCH_EVERY_MS = 60_000;

function stale(lastUsed: Date | null): boolean {
  return !lastUsed || Date.now() - lastUsed.getTime() > TOUCH_EVERY_MS;
}

function principalOf(row: CredentialRow, scopes?: TokenScope[]) {
  return {
    kind: 'user' as const,
    userId: row.user_id,
    platformRoles: row.platform_roles as PlatformRole[],
    memberships: row.memberships,
    ...(scopes ? { tokenScopes: scopes } : {}),
  };
}

export function createAuthenticator(db: Db, cache: CredentialCache): Authenticator {
  /** Cached when possible; "last used" is still written, at most once a minute. */
  async function resolve(hash: string, find: typeof findTokenCredential, touch: typeof touchToken) {
    let row = cache.get(hash);
    if (!row) {
      const epoch = cache.epoch;
      row = await find(db, hash);
      if (row) cache.set(hash, row, epoch);
    }
    if (row && stale(row.last_used)) {
      row.last_used = new Date();
      await touch(db, row.credential_id);
    }
    return row;
  }

  return async (request: FastifyRequest): Promise<Authentication> => {
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new AppError('unauthenticated', 'En-tête Authorization invalide : utilisez « Bearer <jeton> ».');
      const row = await resolve(sha256Hex(match[1]!), findTokenCredential, touchToken);
      // A bad token is an error, not anonymity: a script with a revoked token must notice.
      if (!row) throw new AppError('unauthenticated', 'Jeton d’API inconnu, expiré ou révoqué.');
      return { principal: principalOf(row, (row.scopes ?? []) as TokenScope[]), method: 'token', tokenId: row.credential_id };
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return ANONYMOUS;
    const row = await resolve(sha256Hex(cookie), findSessionCredential, touchSession);
    if (!row) return ANONYMOUS;
    return { principal: principalOf(row), method: 'session', sessionId: row.credential_id, csrfToken: row.csrf_token ?? '' };
  };
}

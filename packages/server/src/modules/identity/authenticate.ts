import type { FastifyRequest } from 'fastify';
import type { Authentication, Authenticator } from '../../platform/authz/index';
import type { Db } from '../../platform/db/database';
import { sha256Hex } from '../../platform/crypto';
import { AppError } from '../../platform/http/errors';
import type { PlatformRole, TokenScope } from '@confiance/contract';
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

export function createAuthenticator(db: Db): Authenticator {
  return async (request: FastifyRequest): Promise<Authentication> => {
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new AppError('unauthenticated', 'En-tête Authorization invalide : utilisez « Bearer <jeton> ».');
      const row = await findTokenCredential(db, sha256Hex(match[1]!));
      // A bad token is an error, not anonymity: a script with a revoked token must notice.
      if (!row) throw new AppError('unauthenticated', 'Jeton d’API inconnu, expiré ou révoqué.');
      if (stale(row.last_used)) await touchToken(db, row.credential_id);
      return { principal: principalOf(row, (row.scopes ?? []) as TokenScope[]), method: 'token', tokenId: row.credential_id };
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return ANONYMOUS;
    const row = await findSessionCredential(db, sha256Hex(cookie));
    if (!row) return ANONYMOUS;
    if (stale(row.last_used)) await touchSession(db, row.credential_id);
    return { principal: principalOf(row), method: 'session', sessionId: row.credential_id, csrfToken: row.csrf_token ?? '' };
  };
}

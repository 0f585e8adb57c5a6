import { createHash, randomBytes } from 'node:crypto';

/**
 * Secrets handed to users (session cookies, API tokens, invitation and reset links) are 256 random
 * bits, so a plain SHA-256 is enough to store them: unlike passwords they cannot be guessed from a
 * dictionary. Only the hash is kept; a database leak does not let anyone sign in.
 */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

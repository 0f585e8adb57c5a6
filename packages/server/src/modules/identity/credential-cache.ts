import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle, Listener } from '../../platform/db/database';
import type { CredentialRow } from './repository';

export const AUTH_CHANNEL = 'confiance_auth';
/** Upper bound on staleness should a notification ever be lost without the connection failing. */
const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

/**
 * Resolved credentials (secret hash → user, roles, memberships), kept in memory so that a request
 * does not pay a database round trip just to learn who is calling.
 *
 * Revocation stays immediate because the database tells us: triggers NOTIFY `confiance_auth` with
 * the user's id when a session ends, a token is revoked, a role or a user or an organisation
 * changes (see the migration), and every node drops that user's entries when the transaction
 * commits. On this node, every write request also waits for those notifications before answering
 * (`sync`), so the caller's next request cannot see the old rights. If the listening connection
 * breaks, the cache turns itself off and every request reads the database again.
 */
export class CredentialCache {
  readonly #entries = new Map<string, { row: CredentialRow; at: number }>();
  readonly #byUser = new Map<string, Set<string>>();
  #enabled = false;
  /** Bumped by every invalidation; a read that raced one is not cached (see `set`). */
  #epoch = 0;

  get epoch(): number {
    return this.#epoch;
  }

  enable(): void {
    this.#enabled = true;
  }

  disable(): void {
    this.#enabled = false;
    this.clear();
  }

  get(hash: string): CredentialRow | undefined {
    if (!this.#enabled) return undefined;
    const entry = this.#entries.get(hash);
    if (!entry) return undefined;
    const now = Date.now();
    if (now - entry.at > TTL_MS || (entry.row.expires_at && entry.row.expires_at.getTime() <= now)) {
      this.#entries.delete(hash);
      return undefined;
    }
    return entry.row;
  }

  /**
   * `epochAtRead` is the epoch taken before reading the database: if a change was notified since,
   * the row may predate it, so it is used for this request only and not kept.
   */
  set(hash: string, row: CredentialRow, epochAtRead: number): void {
    if (!this.#enabled || epochAtRead !== this.#epoch) return;
    if (this.#entries.size >= MAX_ENTRIES) this.clear();
    this.#entries.set(hash, { row, at: Date.now() });
    let hashes = this.#byUser.get(row.user_id);
    if (!hashes) this.#byUser.set(row.user_id, (hashes = new Set()));
    hashes.add(hash);
  }

  /** `*` (an organisation changed) drops everything; otherwise the entries of one user. */
  invalidate(userId: string): void {
    this.#epoch++;
    if (userId === '*') return this.clear();
    for (const hash of this.#byUser.get(userId) ?? []) this.#entries.delete(hash);
    this.#byUser.delete(userId);
  }

  clear(): void {
    this.#entries.clear();
    this.#byUser.clear();
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Listens for credential changes and holds each write's answer until they have arrived.
 * `sync` waits for changes committed so far (tests that write to the database directly use it).
 */
export async function attachCredentialCache(
  app: FastifyInstance,
  database: DatabaseHandle,
): Promise<{ cache: CredentialCache; sync: () => Promise<void> }> {
  const cache = new CredentialCache();
  let listener: Listener | undefined;
  try {
    listener = await database.listen(
      AUTH_CHANNEL,
      (userId) => cache.invalidate(userId),
      (error) => {
        app.log.error({ err: error }, 'credential notifications lost: cache off, every request reads the database');
        cache.disable();
        listener = undefined;
      },
    );
    cache.enable();
  } catch (error) {
    app.log.error({ err: error }, 'cannot listen for credential changes: cache off');
  }
  app.addHook('onSend', async (request) => {
    if (!SAFE_METHODS.has(request.method) && listener) await listener.sync();
  });
  app.addHook('onClose', async () => {
    const l = listener;
    listener = undefined;
    await l?.close();
  });
  return { cache, sync: async () => listener?.sync() };
}

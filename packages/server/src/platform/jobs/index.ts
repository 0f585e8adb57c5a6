import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database';

type Handler = (payload: unknown) => Promise<void>;

/** Longer than any handler may run (nodemailer gives up on a silent server after 10 minutes). */
const STALE_AFTER_MINUTES = 15;
type Executor = Pick<Db, 'insertInto'>;

/**
 * Thrown by a handler when trying again cannot help (a mail server's 5xx: no such mailbox): the
 * job fails at once instead of being retried.
 */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/**
 * A job queue in the database: no extra server, and a job enqueued inside a transaction exists
 * exactly when the transaction commits (an invitation and its e-mail are one fact).
 * `for update skip locked` lets several replicas share the table without taking a job twice.
 */
export class JobQueue {
  readonly #handlers = new Map<string, Handler>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    private readonly pollMs = 1000,
  ) {}

  register(kind: string, handler: Handler): void {
    this.#handlers.set(kind, handler);
  }

  async enqueue(executor: Executor, kind: string, payload: unknown, options: { delayMs?: number } = {}): Promise<void> {
    await executor
      .insertInto('jobs')
      .values({
        kind,
        payload: JSON.stringify(payload),
        ...(options.delayMs ? { run_at: new Date(Date.now() + options.delayMs) } : {}),
      })
      .execute();
  }

  /** Claims and runs one due job; returns false when none was due. */
  async runOne(): Promise<boolean> {
    const job = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('jobs')
        .select(['id', 'kind', 'payload', 'attempts', 'max_attempts'])
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', sql<Date>`now()`)]),
            // Still `running` long after it was claimed: its runner died (crash, redeploy) and the
            // job would otherwise be lost, like the invitation e-mail it carried.
            eb.and([
              eb('status', '=', 'running'),
              eb('locked_at', '<', sql<Date>`now() - ${sql.raw(`interval '${STALE_AFTER_MINUTES} minutes'`)}`),
            ]),
          ]),
        )
        .where('attempts', '<', sql<number>`max_attempts`)
        .orderBy('run_at')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!row) return undefined;
      await trx
        .updateTable('jobs')
        .set({ status: 'running', locked_at: sql`now()`, attempts: sql`attempts + 1` })
        .where('id', '=', row.id)
        .execute();
      return row;
    });
    if (!job) return false;
    const handler = this.#handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(job.payload);
      await this.db
        .updateTable('jobs')
        .set({ status: 'done', finished_at: sql`now()` })
        .where('id', '=', job.id)
        .execute();
    } catch (error) {
      const attempts = job.attempts + 1;
      const failed = attempts >= job.max_attempts || error instanceof PermanentJobError;
      this.log.warn({ err: error, jobId: job.id, kind: job.kind, attempts }, failed ? 'job failed for good' : 'job failed, will retry');
      await this.db
        .updateTable('jobs')
        .set({
          status: failed ? 'failed' : 'pending',
          last_error: error instanceof Error ? error.message : String(error),
          // Exponential back-off: 2 s, 4 s, 8 s…
          run_at: new Date(Date.now() + 1000 * 2 ** attempts),
          ...(failed ? { finished_at: sql`now()` } : {}),
        })
        .where('id', '=', job.id)
        .execute();
    }
    return true;
  }

  /** Runs due jobs until none is left; returns how many ran. Tests use it instead of waiting. */
  async drain(): Promise<number> {
    while (this.#running) await this.#running;
    this.#running = (async () => {
      let count = 0;
      while (await this.runOne()) count++;
      return count;
    })();
    try {
      return await this.#running;
    } finally {
      this.#running = undefined;
    }
  }

  start(): void {
    const tick = () => {
      this.drain()
        .catch((error: unknown) => this.log.error({ err: error }, 'job runner failed'))
        .finally(() => {
          if (this.#timer) this.#timer = setTimeout(tick, this.pollMs);
        });
    };
    this.#timer = setTimeout(tick, this.pollMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#running) await this.#running.catch(() => undefined);
  }
}

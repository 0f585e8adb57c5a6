import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config';
import type { Db } from './db/database';
import type { JobQueue } from './jobs/index';

/** What every command receives: the database, the job queue, settings and a logger. */
export interface Context {
  db: Db;
  jobs: JobQueue;
  config: Config;
  log: FastifyBaseLogger;
}

/** A transaction or the database itself: repositories accept either. */
export type Executor = Db;

import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, Migrator, PostgresDialect, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect';
import { migrations } from './migrations/index';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  /** PGlite only: the data directory as a gzipped tarball (tests clone a migrated template). */
  dump?: () => Promise<Blob>;
  /** Subscribes to NOTIFY on `channel` (delivered when the notifying transaction commits). */
  listen(channel: string, onMessage: (payload: string) => void, onBroken: (error: Error) => void): Promise<Listener>;
}

export interface Listener {
  /**
   * Resolves once every notification committed before the call has been delivered: PostgreSQL
   * sends pending notifications to a listening session before answering its next query.
   */
  sync(): Promise<void>;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_]+$/;

export interface DatabaseOptions {
  /** postgres://… to use a server; otherwise PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** Folder of the PGlite data directory; `undefined` with no URL means in memory. */
  pgliteDir?: string | undefined;
  /** A `dumpDataDir()` tarball to start from (tests clone one migrated template). */
  pgliteTemplate?: Blob | undefined;
  poolSize?: number;
}

// pg returns int8 as strings to avoid precision loss; our int8 values (counts, sizes) fit a double.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const url = options.databaseUrl;
    return {
      db,
      kind: 'postgres',
      close: () => db.destroy(),
      async listen(channel, onMessage, onBroken) {
        if (!CHANNEL.test(channel)) throw new Error(`invalid channel name ${channel}`);
        // A pooled connection would be handed to someone else: LISTEN needs its own.
        const client = new pg.Client({ connectionString: url });
        let closing = false;
        client.on('notification', (m) => m.channel === channel && onMessage(m.payload ?? ''));
        client.on('error', (error) => !closing && onBroken(error));
        client.on('end', () => !closing && onBroken(new Error('listen connection closed')));
        await client.connect();
        await client.query(`listen ${channel}`);
        return {
          sync: async () => void (await client.query('select 1')),
          close: async () => {
            closing = true;
            await client.end();
          },
        };
      },
    };
  }
  if (options.pgliteDir) await fs.mkdir(path.dirname(options.pgliteDir), { recursive: true });
  const client = await PGlite.create({
    ...(options.pgliteDir ? { dataDir: options.pgliteDir } : {}),
    ...(options.pgliteTemplate ? { loadDataDir: options.pgliteTemplate } : {}),
    extensions: { unaccent },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    kind: 'pglite',
    close: () => db.destroy(),
    dump: () => client.dumpDataDir('gzip'),
    async listen(channel, onMessage) {
      if (!CHANNEL.test(channel)) throw new Error(`invalid channel name ${channel}`);
      // In-process: PGlite calls back before the committing query returns, so sync has nothing to wait for.
      const unsubscribe = await client.listen(channel, onMessage);
      return {
        sync: async () => {},
        close: async () => {
          if (!client.closed) await unsubscribe();
        },
      };
    },
  };
}

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/** Applies pending migrations; throws with the failing migration's name and cause. */
export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new StaticProvider(),
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

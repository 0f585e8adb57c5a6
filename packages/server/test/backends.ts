import fs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database';
import { PG_TEST_PREFIX, adminUrl, templateFile, withDatabase } from './paths';

export type Backend = 'pglite' | 'postgres';
/** The database tier runs on PGlite always and on PostgreSQL when TEST_DATABASE_URL is set. */
export function backends(): Backend[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** A fresh, migrated database of the given kind; `close()` disposes of it. */
export async function openTestDatabase(backend: Backend): Promise<DatabaseHandle & { url?: string }> {
  if (backend === 'pglite') {
    const template = new Blob([await fs.readFile(templateFile())]);
    return openDatabase({ pgliteTemplate: template });
  }
  const url = process.env.TEST_DATABASE_URL!;
  const name = `${PG_TEST_PREFIX}${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: adminUrl(url), poolSize: 1 });
  await sql.raw(`create database ${name} template ${inject('pgTemplate')}`).execute(admin.db);
  await admin.close();
  const handle = await openDatabase({ databaseUrl: withDatabase(url, name), poolSize: 4 });
  return {
    ...handle,
    /** For a second process on the same database (the ledger's crash test). */
    url: withDatabase(url, name),
    close: async () => {
      await handle.close();
      const a = await openDatabase({ databaseUrl: adminUrl(url), poolSize: 1 });
      // pg's pool.end() resolves before its sockets close: a forced drop right away kills a backend
      // still saying goodbye, and its client throws an unhandled 57P01 into whichever test runs.
      for (let tries = 0; tries < 100; tries++) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = ${name}`.execute(a.db);
        if (rows[0]?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await sql.raw(`drop database if exists ${name} with (force)`).execute(a.db);
      await a.close();
    },
  };
}

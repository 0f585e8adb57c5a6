import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { migrate, openDatabase } from '../src/platform/db/database';
import { PG_TEMPLATE_PREFIX, PG_TEST_PREFIX, adminUrl, templateFile, withDatabase } from './paths';

/**
 * Builds one migrated database per run and lets every test file clone it: a fresh PGlite initdb
 * costs ~5 s, a clone from a dump under 1 s; on PostgreSQL `create database … template` is cheap.
 */
export default async function setup(project: TestProject) {
  const started = performance.now();
  const file = templateFile();
  await fs.mkdir(path.dirname(file), { recursive: true });
  const pglite = await openDatabase({});
  await migrate(pglite.db);
  await fs.writeFile(file, Buffer.from(await (await pglite.dump!()).arrayBuffer()));
  await pglite.close();

  const url = process.env.TEST_DATABASE_URL;
  const pgTemplate = url ? `${PG_TEMPLATE_PREFIX}${process.pid}` : '';
  if (url) {
    const admin = await openDatabase({ databaseUrl: adminUrl(url), poolSize: 1 });
    await sql.raw(`drop database if exists ${pgTemplate}`).execute(admin.db);
    await sql.raw(`create database ${pgTemplate}`).execute(admin.db);
    await admin.close();
    const template = await openDatabase({ databaseUrl: withDatabase(url, pgTemplate), poolSize: 1 });
    await migrate(template.db);
    await template.close();
  }
  project.provide('pgTemplate', pgTemplate);
  console.log(
    `test databases ready in ${Math.round(performance.now() - started)} ms (${url ? 'PGlite + PostgreSQL' : 'PGlite only: set TEST_DATABASE_URL for the PostgreSQL tier'})`,
  );

  return async () => {
    if (!url) return;
    const admin = await openDatabase({ databaseUrl: adminUrl(url), poolSize: 1 });
    const { rows } = await sql<{
      datname: string;
    }>`select datname from pg_database where datname like ${`${likePrefix(PG_TEST_PREFIX)}%`} or datname = ${pgTemplate}`.execute(admin.db);
    for (const r of rows) await sql.raw(`drop database if exists "${r.datname}" with (force)`).execute(admin.db);
    await admin.close();
  };
}

/** `_` is a LIKE wildcard: unescaped, `confiance_t_%` would also drop another run's `confiance_tpl_…`. */
function likePrefix(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
  }
}

import { loadServer } from '../../server';
import type { Config, DatabaseHandle } from '@confiance/server';

/** Where the configured database lives, for messages: never the connection string (it may hold a password). */
export function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `PGlite (${config.dataDir}/pglite)`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL (${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname})`;
}

/** Opens the database the node would use (DATABASE_URL, or PGlite under CONFIANCE_DATA_DIR), and closes it after. */
export async function withDatabase<T>(run: (database: DatabaseHandle, config: Config) => Promise<T>): Promise<T> {
  const { loadConfig, openDatabase, databaseOptions } = await loadServer();
  const config = loadConfig(process.env);
  const database = await openDatabase(databaseOptions(config));
  try {
    return await run(database, config);
  } finally {
    await database.close();
  }
}

/**
 * `npm run bench`: throughput of Confiance's routes as a ratio to raw baselines measured in the
 * same run on the same machine. Figures are never asserted; they are printed for the record.
 *
 * members: authenticated `GET /api/v1/members` (token auth, authorization, validation, presenter)
 *          vs a bare Fastify route running the same SQL and returning the same JSON.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../packages/server/src/app';
import { loadConfig } from '../packages/server/src/platform/config';
import { migrate, openDatabase } from '../packages/server/src/platform/db/database';
import { seedDemo } from '../packages/server/src/modules/demo/index';
import { createApiToken, findUserByEmail } from '../packages/server/src/modules/identity/index';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * autocannon runs in its own process so that the load generator does not share the servers' event
 * loop (and asynchronously: a synchronous spawn would freeze the servers it is measuring).
 */
async function load(url: string, headers: Record<string, string> = {}): Promise<number> {
  const args = ['-j', '-c', String(CONNECTIONS), '-d', String(DURATION_S)];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  const bin = path.resolve(import.meta.dirname, '../node_modules/.bin/autocannon');
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`autocannon failed: ${stderr}`);
  const result = JSON.parse(stdout) as { requests: { average: number }; non2xx: number; errors: number };
  if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result.requests.average;
}

const name = `confiance_bench_${randomBytes(4).toString('hex')}`;
const admin = await openDatabase({ databaseUrl: withDatabase(serverUrl, 'postgres'), poolSize: 1 });
await sql.raw(`create database ${name}`).execute(admin.db);
const url = withDatabase(serverUrl, name);

try {
  const database = await openDatabase({ databaseUrl: url });
  await migrate(database.db);
  const config = loadConfig({
    CONFIANCE_DEMO: 'false',
    CONFIANCE_LOG_LEVEL: 'silent',
    CONFIANCE_RATE_LIMIT: '100000000',
    DATABASE_URL: url,
  });
  const app = await buildApp({ config, database, ready: true, logger: false });
  await seedDemo(app.confiance.ctx, app.confiance.catalog);
  const user = (await findUserByEmail(database.db, 'analyste@airbus.demo'))!;
  const { secret } = await createApiToken(app.confiance.ctx, user.id, { name: 'bench', scopes: ['read'], expiresInDays: 1 });
  const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });

  // The baseline: same SQL as listOrganisations with no filter, same JSON fields, nothing else.
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const bare = Fastify({ logger: false });
  bare.get('/members', async () => {
    const rows = await pool.query(
      `select o.*, (select count(*)::int from memberships m where m.organisation_id = o.id) as member_count,
              count(*) over ()::int as total_count
       from organisations o where o.status = $1 order by lower(unaccent(o.short_name)), o.id limit $2 offset $3`,
      ['active', 50, 0],
    );
    return {
      items: rows.rows.map((r) => ({
        id: r.id,
        slug: r.slug,
        uri: `http://localhost:8080/organisations/${r.slug}`,
        legalName: r.legal_name,
        shortName: r.short_name,
        category: r.category,
        siren: r.siren,
        siret: r.siret,
        vatNumber: r.vat_number,
        nafCode: r.naf_code,
        address: r.address,
        postcode: r.postcode,
        city: r.city,
        website: r.website,
        logoUrl: r.logo_url,
        domains: r.domains,
        chorusServiceCode: r.chorus_service_code,
        description: r.description,
        status: r.status,
        memberCount: r.member_count,
        createdAt: r.created_at.toISOString(),
      })),
      total: rows.rows[0]?.total_count ?? 0,
    };
  });
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

  // Warm both up so JIT and connection pools are in the same state before measuring.
  await load(`${bareUrl}/members`);
  await load(`${appUrl}/api/v1/members`, { authorization: `Bearer ${secret}` });
  const baseline = await load(`${bareUrl}/members`);
  const confiance = await load(`${appUrl}/api/v1/members`, { authorization: `Bearer ${secret}` });

  console.log(`\nConfiance bench — PostgreSQL, ${CONNECTIONS} connections, ${DURATION_S} s per run`);
  console.log(
    `members  authenticated GET /api/v1/members  ${confiance.toFixed(0)} req/s  vs bare Fastify + raw SQL ${baseline.toFixed(0)} req/s  →  ratio ${(confiance / baseline).toFixed(2)}× (target ≥ 0.70×)`,
  );

  await bare.close();
  await pool.end();
  await app.close();
  await database.close();
} finally {
  await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
  await admin.close();
}

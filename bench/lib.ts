/**
 * What the benches on a generated table share (bench/query.ts, bench/privacy.ts, bench/join.ts):
 * the table as Parquet, a node on PGlite with a provider and a consumer (and helpers for more
 * members and providers), the ordinary upload → ingest → publish path, contracts obtained the
 * ordinary way (offer → request → approval, for a project if asked), a plain DuckDB set up like
 * the sandbox, and the statistics printed beside each figure.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { buildApp } from '../packages/server/src/app';
import { loadConfig } from '../packages/server/src/platform/config';
import { migrate, type openDatabase } from '../packages/server/src/platform/db/database';
import { findDataset, findVersion, sqlString } from '../packages/server/src/modules/catalog/index';
import { createUser, hashPassword } from '../packages/server/src/modules/identity/index';
import { admitOrganisation } from '../packages/server/src/modules/members/index';

const PASSWORD = 'correct horse battery staple';
export const DEPARTEMENTS = ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'];

export const quantile = (values: readonly number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1) + 0.5)]!;
export const median = (values: readonly number[]) => quantile(values, 0.5);
/** The interquartile range, printed beside each median: the machine is shared, so say how noisy it was. */
export const iqr = (values: readonly number[], digits = 0) =>
  `[${quantile(values, 0.25).toFixed(digits)}–${quantile(values, 0.75).toFixed(digits)}]`;
export const ms = (v: number) => `${v.toFixed(1)} ms`;
export const elapsed = async <T>(work: () => Promise<T>): Promise<[number, T]> => {
  const t = performance.now();
  const result = await work();
  return [performance.now() - t, result];
};

/**
 * `rows` generated hospitalisations as Parquet: dep (the 13 Occitanie codes, in turn), sexe 0..2,
 * jour over 100 days from 2020-03-18, hosp 0..499.
 */
export async function generateHospitalisations(
  instance: DuckDBInstance,
  file: string,
  rows: number,
): Promise<{ ms: number; bytes: number }> {
  const gen = await instance.connect();
  try {
    const [genMs] = await elapsed(() =>
      gen.run(
        `COPY (SELECT [${DEPARTEMENTS.map(sqlString).join(', ')}][1 + i % 13] AS dep,
                      CAST(hash(i, 1) % 3 AS INTEGER) AS sexe,
                      DATE '2020-03-18' + CAST(hash(i, 2) % 100 AS INTEGER) AS jour,
                      CAST(hash(i, 3) % 500 AS INTEGER) AS hosp
               FROM range(${rows}) t(i)) TO ${sqlString(file)} (FORMAT parquet)`,
      ),
    );
    return { ms: genMs, bytes: (await fs.stat(file)).size };
  } finally {
    gen.closeSync();
  }
}

/** A connection of a plain DuckDB set up like the sandbox (threads, memory, insertion order not preserved). */
export async function rawConnection(instance: DuckDBInstance, threads: number, memory: string): Promise<DuckDBConnection> {
  const connection = await instance.connect();
  for (const statement of [`SET threads = ${threads}`, `SET memory_limit = '${memory}'`, `SET preserve_insertion_order = false`])
    await connection.run(statement);
  return connection;
}

type Headers = Record<string, string>;

/**
 * A node on `database` (migrated here) whose sandbox has `threads` and `memory` and whose query
 * ceiling is 10 000 000 rows; a provider (`sante-bench`, a data steward) and a research
 * organisation (`labo-bench`, an analyst), both signed in. The caller closes `app`.
 */
export async function startNode(options: {
  dir: string;
  database: Awaited<ReturnType<typeof openDatabase>>;
  threads: number;
  memory: string;
}) {
  await migrate(options.database.db);
  const config = loadConfig({
    CONFIANCE_DATA_DIR: path.join(options.dir, 'node'),
    CONFIANCE_BASE_URL: 'http://confiance.bench',
    CONFIANCE_DEMO: 'false',
    CONFIANCE_LOG_LEVEL: 'silent',
    CONFIANCE_RATE_LIMIT: '100000000',
    CONFIANCE_QUERY_MAX_ROWS: '10000000',
    CONFIANCE_QUERY_THREADS: String(options.threads),
    CONFIANCE_QUERY_MEMORY: options.memory,
  });
  const app = await buildApp({ config, database: options.database, ready: true, logger: false });
  await app.ready();
  const ctx = app.confiance.ctx;
  const passwordHash = await hashPassword(PASSWORD);
  let address = 0;
  /** A new member of `organisationId` with `role`, signed in: the headers of their session. */
  async function member(organisationId: string, role: 'data_steward' | 'analyst' | 'org_admin'): Promise<Headers> {
    const user = await createUser(ctx.db, { email: `${role}-${randomUUID()}@bench.test`, displayName: role, passwordHash });
    await ctx.db.insertInto('memberships').values({ organisation_id: organisationId, user_id: user.id, role }).execute();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/session',
      payload: { email: user.email, password: PASSWORD },
      remoteAddress: `10.0.0.${++address}`,
    });
    if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
    const cookie = response.cookies.find((c) => c.name === 'confiance_session')!;
    return { cookie: `confiance_session=${cookie.value}`, 'x-csrf-token': response.json<{ csrfToken: string }>().csrfToken };
  }
  async function call(method: 'GET' | 'POST', url: string, headers: Headers, payload?: object, status = 200) {
    const response = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    if (response.statusCode !== status) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response;
  }

  const provider = await admitOrganisation(ctx, {
    slug: 'sante-bench',
    legalName: 'Santé bench',
    shortName: 'Santé bench',
    category: 'public_body',
  });
  const consumer = await admitOrganisation(ctx, {
    slug: 'labo-bench',
    legalName: 'Labo bench',
    shortName: 'Labo bench',
    category: 'research',
  });
  const steward = await member(provider.id, 'data_steward');
  const analyst = await member(consumer.id, 'analyst');

  /**
   * Uploads, ingests and publishes `file` as a restricted dataset of the provider (or of
   * `options.organisation`, its steward's headers in `options.steward`); its slug.
   */
  async function publish(
    file: string,
    options: { organisation?: string; steward?: Headers; title?: string; description?: string } = {},
  ): Promise<string> {
    const as = { organisation: options.organisation ?? provider.slug, steward: options.steward ?? steward };
    const upload = await call(
      'POST',
      `/api/v1/uploads?name=${encodeURIComponent(path.basename(file))}`,
      { ...as.steward, 'content-type': 'application/octet-stream' },
      await fs.readFile(file),
      202,
    );
    const { id } = upload.json<{ id: string }>();
    await app.confiance.catalog.uploads.settled(id);
    const state = (await call('GET', `/api/v1/uploads/${id}`, as.steward)).json<{ status: string }>();
    if (state.status !== 'ready') throw new Error(`upload not ready: ${JSON.stringify(state)}`);
    const published = await call(
      'POST',
      '/api/v1/datasets',
      as.steward,
      {
        organisation: as.organisation,
        upload: id,
        title: { fr: options.title ?? 'Hospitalisations générées (bench)' },
        description: {
          fr: options.description ?? 'Des hospitalisations générées par département, sexe et jour, pour mesurer les requêtes.',
        },
        licence: 'odbl-1.0',
        accessLevel: 'restricted',
      },
      201,
    );
    return published.json<{ slug: string }>().slug;
  }

  /**
   * A contract of the research organisation on `slug`: an offer with `terms`, requested (for
   * `options.project` if given), approved (by `options.steward`, the dataset's provider's, if not the
   * first provider's).
   */
  async function contract(
    slug: string,
    title: string,
    terms: object,
    options: { project?: string; steward?: Headers } = {},
  ): Promise<string> {
    const approver = options.steward ?? steward;
    const offer = (
      await call('POST', `/api/v1/datasets/${slug}/offers`, approver, { title, agreement: 'provider_approval', terms }, 201)
    ).json<{
      id: string;
    }>();
    const asked = await call(
      'POST',
      '/api/v1/requests',
      analyst,
      {
        offer: offer.id,
        organisation: consumer.slug,
        purpose: 'dpv:ResearchAndDevelopment',
        durationMonths: 12,
        justification: 'Mesure des requêtes sous contrat sur un grand fichier.',
        users: [],
        ...(options.project ? { project: options.project } : {}),
      },
      201,
    );
    const request = asked.json<{ id: string }>();
    const approved = (await call('POST', `/api/v1/requests/${request.id}/approve`, approver, { reason: null })).json<{
      contract: string | null;
    }>();
    if (!approved.contract) throw new Error(`no contract for « ${title} »: ${JSON.stringify(approved)}`);
    return approved.contract;
  }

  /** The file the sandbox reads for `slug`'s first table: the published one, not the upload (ingest rewrites it). */
  async function publishedTable(slug: string) {
    const row = (await findDataset(ctx.db, slug))!;
    const table = (await findVersion(ctx.db, row.id, row.current_version))!.tables[0]!;
    return { table, file: app.confiance.access.pathOf(table.key) };
  }

  return { app, ctx, provider, consumer, steward, analyst, member, call, publish, contract, publishedTable };
}

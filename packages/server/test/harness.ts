import { frenchVatNumber } from '@confiance/contract';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { FIVE_SAFES, type OfferInput, type OrgRole, type PlatformRole, type RequestInput } from '@confiance/contract';
import { buildApp } from '../src/app';
import { loadConfig, type Config } from '../src/platform/config';
import type { Context } from '../src/platform/context';
import type { DatabaseHandle } from '../src/platform/db/database';
import type { Mailer } from '../src/platform/mail/index';
import { createUser, hashPassword } from '../src/modules/identity/index';
import { admitOrganisation } from '../src/modules/members/index';
import { openTestDatabase, type Backend } from './backends';

export const TEST_PASSWORD = 'correct horse battery staple';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    // Each app its own data folder: uploads and dataset files of parallel test files never meet.
    CONFIANCE_DATA_DIR: path.join(os.tmpdir(), `confiance-test-${randomUUID()}`),
    CONFIANCE_BASE_URL: 'http://confiance.test',
    CONFIANCE_DEMO: 'false',
    CONFIANCE_LOG_LEVEL: 'silent',
    CONFIANCE_RATE_LIMIT: '100000',
    ...overrides,
  });
}

export interface TestNode {
  app: FastifyInstance;
  ctx: Context;
  database: DatabaseHandle;
  close(): Promise<void>;
}

/** A second app over an existing database, to try other settings without cloning a database. */
export async function appOver(database: DatabaseHandle, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ config: testConfig(env), database, ready: true, logger: false });
  await app.ready();
  return app;
}

/** An app on a fresh clone of the migrated template, ready, talking through `app.inject()`. */
export async function testNode(backend: Backend, options: { env?: Record<string, string>; mailer?: Mailer } = {}): Promise<TestNode> {
  const database = await openTestDatabase(backend);
  const app = await buildApp({
    config: testConfig(options.env),
    database,
    ready: true,
    logger: false,
    ...(options.mailer ? { mailer: options.mailer } : {}),
  });
  await app.ready();
  return {
    app,
    ctx: app.confiance.ctx,
    database,
    close: async () => {
      await app.close();
      await database.close();
      await fs.rm(app.confiance.ctx.config.dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/** Factory: an active organisation with sensible defaults. */
export async function makeOrganisation(ctx: Context, overrides: Partial<Parameters<typeof admitOrganisation>[1]> = {}) {
  const slug = overrides.slug ?? `org-${unique()}`;
  return admitOrganisation(ctx, { slug, legalName: `Organisation ${slug}`, shortName: slug, category: 'company', ...overrides });
}

let passwordHash: Promise<string> | undefined;
/** argon2 costs ~30 ms a hash: factory users share one hash of TEST_PASSWORD (salts are not under test). */
function testPasswordHash(): Promise<string> {
  return (passwordHash ??= hashPassword(TEST_PASSWORD));
}

/** Factory: a user, optionally with platform roles and a role in an organisation. */
export async function makeUser(
  ctx: Context,
  options: { email?: string; platformRoles?: PlatformRole[]; organisationId?: string; role?: OrgRole } = {},
) {
  const user = await createUser(ctx.db, {
    email: options.email ?? `user-${unique()}@example.test`,
    displayName: 'Test User',
    passwordHash: await testPasswordHash(),
    ...(options.platformRoles ? { platformRoles: options.platformRoles } : {}),
  });
  if (options.organisationId && options.role) {
    await ctx.db
      .insertInto('memberships')
      .values({ organisation_id: options.organisationId, user_id: user.id, role: options.role })
      .execute();
  }
  return user;
}

export interface Caller {
  /** Headers that authenticate as this user via a cookie session (with the CSRF token). */
  headers: Record<string, string>;
  userId: string;
}

let addressCounter = 0;
/**
 * A new client address. Sign-in and reset routes allow 10 attempts a minute per address; tests
 * that are not about that limit come from distinct addresses so they never trip it.
 */
export function nextAddress(): string {
  addressCounter++;
  return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

export async function signInAs(app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<Caller> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/session',
    payload: { email, password },
    remoteAddress: nextAddress(),
  });
  if (response.statusCode !== 200) throw new Error(`sign-in failed for ${email}: ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'confiance_session');
  const body = response.json<{ csrfToken: string; user: { id: string } }>();
  return { headers: { cookie: `confiance_session=${cookie!.value}`, 'x-csrf-token': body.csrfToken }, userId: body.user.id };
}

export async function tokenFor(app: FastifyInstance, caller: Caller, scopes: ('read' | 'write')[] = ['read', 'write']): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/me/tokens',
    headers: caller.headers,
    payload: { name: 'test', scopes },
  });
  if (response.statusCode !== 201) throw new Error(`token creation failed: ${response.body}`);
  return response.json<{ secret: string }>().secret;
}

/**
 * Asserts an error answer: its status, its code, and the one error body every error shares
 * (`{ error: { code, message, requestId } }`, the request id echoed in `x-request-id`).
 * Returns the error for further checks.
 */
export function expectError(response: LightMyRequestResponse, status: number, code: string) {
  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status });
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = response.json<{ error: { code: string; message: string; requestId: string; details?: unknown } }>();
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(5);
  expect(body.error.requestId).toBeTruthy();
  expect(response.headers['x-request-id']).toBe(body.error.requestId);
  return body.error;
}

/** Sends a file the way the portal and the CLI do, and waits for its conversion to finish. */
export async function uploadFile(
  app: FastifyInstance,
  headers: Record<string, string>,
  name: string,
  content: string | Buffer,
): Promise<{ id: string; status: string; body: Record<string, unknown> }> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/uploads?name=${encodeURIComponent(name)}`,
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    payload: typeof content === 'string' ? Buffer.from(content) : content,
  });
  if (response.statusCode !== 202) throw new Error(`upload failed: ${response.statusCode} ${response.body}`);
  const { id } = response.json<{ id: string }>();
  await app.confiance.catalog.uploads.settled(id);
  const state = await app.inject({ url: `/api/v1/uploads/${id}`, headers });
  const body = state.json<Record<string, unknown>>();
  return { id, status: body.status as string, body };
}

export const SMALL_CSV =
  'code_dep;departement;date;valeur\n09;Ariège;2024-01-01;1,5\n34;Hérault;2024-01-02;2,25\n31;Haute-Garonne;2024-01-03;3\n';

/** Factory: a published dataset of `organisation`, through upload and publication like a steward. */
export async function publishTestDataset(
  app: FastifyInstance,
  headers: Record<string, string>,
  organisation: string,
  overrides: Record<string, unknown> & { file?: { name: string; content: string | Buffer } } = {},
): Promise<{ id: string; slug: string; body: Record<string, unknown> }> {
  const { file, ...metadata } = overrides;
  const upload = await uploadFile(app, headers, file?.name ?? 'mesures.csv', file?.content ?? SMALL_CSV);
  if (upload.status !== 'ready') throw new Error(`upload not ready: ${JSON.stringify(upload.body)}`);
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/datasets',
    headers,
    payload: {
      organisation,
      upload: upload.id,
      title: { fr: `Mesures de test ${unique()}` },
      description: { fr: 'Un jeu de données de test, avec des valeurs par département.' },
      licence: 'etalab-2.0',
      accessLevel: 'open',
      ...metadata,
    },
  });
  if (response.statusCode !== 201) throw new Error(`publish failed: ${response.statusCode} ${response.body}`);
  const body = response.json<{ id: string; slug: string }>();
  return { id: body.id, slug: body.slug, body: body as unknown as Record<string, unknown> };
}

/** An ethics review's Five Safes, every one judged safe. */
export const FIVE_SAFES_CHECKLIST = Object.fromEntries(
  FIVE_SAFES.map((s) => [s, { safe: true, note: 'Conforme aux Five Safes pour ce test.' }]),
);

export interface ContractThrough {
  /** The provider's data steward: makes the offer and approves the request. */
  steward: Caller;
  /** The consumer's member who asks, for `request.organisation`. */
  analyst: Caller;
  /** The ethics member who approves, when the offer wants a review; one is made if none is given. */
  reviewer?: Caller;
  /** The dataset's slug or id. */
  dataset: string;
  /** The offer's body; each field missing is that of an automatic offer to members, for aggregates. */
  offer?: Partial<OfferInput>;
  /** The request's body, offer aside: the organisation, and whatever differs from the defaults. */
  request: Omit<Partial<RequestInput>, 'offer'> & Pick<RequestInput, 'organisation'>;
}

/**
 * Factory: a contract through the real flow — the steward's offer, the analyst's request, then the
 * ethics review and the provider's approval when the request waits for them. Throws with the
 * node's answer when a step fails or no contract comes of it.
 */
export async function contractThrough(
  node: TestNode,
  { steward, analyst, reviewer, dataset, offer = {}, request }: ContractThrough,
): Promise<{ contract: string; offer: string; request: string }> {
  const post = async <T>(url: string, caller: Caller, payload: object, status: number) => {
    const response = await node.app.inject({ method: 'POST', url, headers: caller.headers, payload });
    if (response.statusCode !== status) throw new Error(`POST ${url}: ${response.statusCode} ${response.body}`);
    return response.json<T>();
  };
  type Request = { id: string; stage: string; contract: string | null };
  const created = await post<{ id: string }>(
    `/api/v1/datasets/${dataset}/offers`,
    steward,
    { title: `Offre de test ${unique()}`, agreement: 'automatic', terms: { template: 'members', uses: ['aggregate'] }, ...offer },
    201,
  );
  let asked = await post<Request>(
    '/api/v1/requests',
    analyst,
    {
      offer: created.id,
      purpose: 'dpv:ResearchAndDevelopment',
      durationMonths: 12,
      justification: 'Étude par département pour un projet de recherche.',
      ...request,
    },
    201,
  );
  if (asked.stage === 'ethics_review') {
    reviewer ??= await signInAs(node.app, (await makeUser(node.ctx, { platformRoles: ['ethics_member'] })).email);
    const review = { decision: 'approved', checklist: FIVE_SAFES_CHECKLIST };
    asked = await post<Request>(`/api/v1/requests/${asked.id}/review`, reviewer, review, 200);
  }
  if (asked.stage === 'provider_review') asked = await post<Request>(`/api/v1/requests/${asked.id}/approve`, steward, {}, 200);
  if (!asked.contract) throw new Error(`no contract for request ${asked.id}, at stage ${asked.stage}: ${JSON.stringify(asked)}`);
  return { contract: asked.contract, offer: created.id, request: asked.id };
}

/** A SIREN that passes the Luhn check: 8 random digits and the key. */
export function validSiren(): string {
  const digits = Array.from({ length: 8 }, () => Math.floor(Math.random() * 10));
  const luhn = (ds: number[]) =>
    ds
      .slice()
      .reverse()
      .reduce((sum, d, i) => sum + (i % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
  const key = (10 - (luhn([...digits, 0]) % 10)) % 10;
  return [...digits, key].join('');
}

/** Factory: an organisation an invoice can name (SIREN, address), as billing requires. */
export async function makeBillableOrganisation(ctx: Context, overrides: Partial<Parameters<typeof admitOrganisation>[1]> = {}) {
  const siren = (overrides.siren as string | null | undefined) ?? validSiren();
  return makeOrganisation(ctx, {
    siren,
    vatNumber: frenchVatNumber(siren),
    address: '1 place du Capitole',
    postcode: '31000',
    city: 'Toulouse',
    ...overrides,
  });
}

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { sha256Hex } from '../src/platform/crypto';
import { backends } from './backends';
import {
  expectError,
  makeOrganisation,
  makeUser,
  nextAddress,
  publishTestDataset,
  signInAs,
  SMALL_CSV,
  testConfig,
  testNode,
  tokenFor,
  uploadFile,
  type TestNode,
} from './harness';
import { registeredRoutes } from './routes';

/**
 * Route × caller: for every route the app registers, who gets through (2xx, or a 400/404/410 that
 * only the handler, after authorization, can produce), who gets 401 and who gets 403.
 * A new route without a row here fails the coverage test below.
 */

interface World {
  orgA: string;
  orgB: string;
  /** An analyst of A who is no caller: the operator deactivates them, admins try to change their role. */
  victimId: string;
  /** A spare token of A's admin, for the revoke row. */
  spareTokenId: string;
  /** Datasets of A at three levels, and an upload of A's steward. */
  datasets: Record<'open' | 'members' | 'restricted', string>;
  uploadId: string;
  /** A members offer on A's members dataset. */
  offerId: string;
  /** B's request on that offer, agreed at once, and the contract between A and B it made. */
  requestId: string;
  contractId: string;
  /** A project A leads, without partners (its fair return). */
  projectId: string;
  /** An event A organises, and another one for the cancel row. */
  eventId: string;
  cancelEventId: string;
  /** Two open needs of B (A's providers answer the first; B's admin turns the second into a project). */
  needId: string;
  needForProjectId: string;
  /** A news post of A; and one post of A per caller for the delete row (each allowed delete consumes one). */
  newsId: string;
  deletableNews: string[];
  headers: Record<Caller, Record<string, string>>;
}

const CALLERS = ['anonymous', 'analystA', 'stewardA', 'adminA', 'adminB', 'readTokenA', 'operator'] as const;
type Caller = (typeof CALLERS)[number];
const SIGNED_IN: Caller[] = ['analystA', 'stewardA', 'adminA', 'adminB', 'operator'];
const EVERYONE: Caller[] = [...CALLERS];
const ALL_USERS: Caller[] = [...SIGNED_IN, 'readTokenA'];

async function buildWorld(node: TestNode): Promise<World> {
  const { ctx, app } = node;
  const a = await makeOrganisation(ctx);
  const b = await makeOrganisation(ctx);
  const users = {
    analystA: await makeUser(ctx, { organisationId: a.id, role: 'analyst' }),
    stewardA: await makeUser(ctx, { organisationId: a.id, role: 'data_steward' }),
    adminA: await makeUser(ctx, { organisationId: a.id, role: 'org_admin' }),
    adminB: await makeUser(ctx, { organisationId: b.id, role: 'org_admin' }),
    operator: await makeUser(ctx, { platformRoles: ['operator'] }),
  };
  const victim = await makeUser(ctx, { organisationId: a.id, role: 'analyst' });
  const signedIn = Object.fromEntries(
    await Promise.all(Object.entries(users).map(async ([name, user]) => [name, await signInAs(app, user.email)] as const)),
  ) as Record<keyof typeof users, Awaited<ReturnType<typeof signInAs>>>;
  const readToken = await tokenFor(app, signedIn.adminA, ['read']);
  const spareSecret = await tokenFor(app, signedIn.adminA, ['read', 'write']);
  const spare = await ctx.db
    .selectFrom('api_tokens')
    .select('id')
    .where('token_hash', '=', sha256Hex(spareSecret))
    .executeTakeFirstOrThrow();
  const steward = signedIn.stewardA.headers;
  const datasets = {
    open: (await publishTestDataset(app, steward, a.slug, { accessLevel: 'open' })).slug,
    members: (await publishTestDataset(app, steward, a.slug, { accessLevel: 'members' })).slug,
    restricted: (await publishTestDataset(app, steward, a.slug, { accessLevel: 'restricted' })).slug,
  };
  const upload = await uploadFile(app, steward, 'brouillon.csv', SMALL_CSV);
  const offer = await app.inject({
    method: 'POST',
    url: `/api/v1/datasets/${datasets.members}/offers`,
    headers: steward,
    payload: { title: 'Membres', agreement: 'automatic', terms: { template: 'members', uses: ['rows'] } },
  });
  if (offer.statusCode !== 201) throw new Error(`offer: ${offer.body}`);
  const asked = await app.inject({
    method: 'POST',
    url: '/api/v1/requests',
    headers: signedIn.adminB.headers,
    payload: {
      offer: offer.json<{ id: string }>().id,
      organisation: b.slug,
      purpose: 'dpv:AcademicResearch',
      durationMonths: 6,
      justification: 'Pour le tableau des autorisations.',
    },
  });
  if (asked.statusCode !== 201) throw new Error(`request: ${asked.body}`);
  const project = await app.inject({
    method: 'POST',
    url: '/api/v1/projects',
    headers: signedIn.adminA.headers,
    payload: { title: 'Projet de A', purpose: 'dpv:AcademicResearch', leadOrganisation: a.slug },
  });
  if (project.statusCode !== 201) throw new Error(`project: ${project.body}`);
  const needOfB = async (title: string) => {
    const need = await app.inject({
      method: 'POST',
      url: '/api/v1/needs',
      headers: signedIn.adminB.headers,
      payload: {
        organisation: b.slug,
        title,
        description: 'Un besoin de données pour le tableau des autorisations.',
        domain: 'mobility',
        purpose: 'dpv:ServiceOptimisation',
      },
    });
    if (need.statusCode !== 201) throw new Error(`need: ${need.body}`);
    return need.json<{ id: string }>().id;
  };
  const newsOfA = async () => {
    const news = await app.inject({
      method: 'POST',
      url: '/api/v1/news',
      headers: signedIn.adminA.headers,
      payload: { organisation: a.slug, title: 'Actualité de A', body: 'Une actualité pour le tableau des autorisations.' },
    });
    if (news.statusCode !== 201) throw new Error(`news: ${news.body}`);
    return news.json<{ id: string }>().id;
  };
  const needId = await needOfB('Besoin à qui répondre');
  const needForProjectId = await needOfB('Besoin qui devient projet');
  const newsId = await newsOfA();
  const deletableNews = await Promise.all(CALLERS.map(newsOfA));
  const newEvent = async (title: string) => {
    const event = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: signedIn.stewardA.headers,
      payload: {
        title,
        kind: 'atelier',
        startsAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
        endsAt: new Date(Date.now() + 10 * 86_400_000 + 3_600_000).toISOString(),
        place: 'Montpellier',
        organisation: a.slug,
      },
    });
    if (event.statusCode !== 201) throw new Error(`event: ${event.body}`);
    return event.json<{ id: string }>().id;
  };
  const eventId = await newEvent('Atelier de A');
  const cancelEventId = await newEvent('Atelier de A à annuler');
  await app.confiance.ledger.integrate();
  return {
    datasets,
    uploadId: upload.id,
    offerId: offer.json<{ id: string }>().id,
    requestId: asked.json<{ id: string }>().id,
    contractId: asked.json<{ contract: string }>().contract,
    projectId: project.json<{ id: string }>().id,
    eventId,
    cancelEventId,
    needId,
    needForProjectId,
    newsId,
    deletableNews,
    orgA: a.slug,
    orgB: b.slug,
    victimId: victim.id,
    spareTokenId: spare.id,
    headers: {
      anonymous: {},
      analystA: signedIn.analystA.headers,
      stewardA: signedIn.stewardA.headers,
      adminA: signedIn.adminA.headers,
      adminB: signedIn.adminB.headers,
      operator: signedIn.operator.headers,
      readTokenA: { authorization: `Bearer ${readToken}` },
    },
  };
}

interface Row {
  method: string;
  /** The route as Fastify registered it. */
  route: string;
  url: (w: World) => string;
  body?: (w: World) => unknown;
  allowed: Caller[];
  /** What an allowed caller gets: the handler's answer, reached only past authorization. */
  status: number | number[];
  /** The request changes the callers' world (ends sessions, deactivates A): give the row its own. */
  fresh?: boolean;
}

const bogusSecret = 'x'.repeat(43);
const strongPassword = 'a long enough new password';

const TABLE: Row[] = [
  // System
  { method: 'GET', route: '/health', url: () => '/health', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/ready', url: () => '/ready', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/metrics', url: () => '/metrics', allowed: ['operator'], status: 200 },
  { method: 'GET', route: '/api/v1/node', url: () => '/api/v1/node', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/openapi.json', url: () => '/openapi.json', allowed: EVERYONE, status: 200 },
  // The web portal: 200 once built, 503 with instructions before.
  { method: 'GET', route: '/*', url: () => '/organisations/airbus', allowed: EVERYONE, status: [200, 503] },

  // Identity
  {
    method: 'POST',
    route: '/api/v1/auth/session',
    url: () => '/api/v1/auth/session',
    body: () => ({}),
    allowed: [...SIGNED_IN, 'anonymous'],
    status: 400,
  },
  { method: 'GET', route: '/api/v1/auth/session', url: () => '/api/v1/auth/session', allowed: ALL_USERS, status: 200 },
  { method: 'DELETE', route: '/api/v1/auth/session', url: () => '/api/v1/auth/session', allowed: SIGNED_IN, status: 200, fresh: true },
  {
    method: 'POST',
    route: '/api/v1/auth/password-reset',
    url: () => '/api/v1/auth/password-reset',
    body: () => ({ email: 'nobody@example.test' }),
    allowed: [...SIGNED_IN, 'anonymous'],
    status: 202,
  },
  {
    method: 'POST',
    route: '/api/v1/auth/password-reset/confirm',
    url: () => '/api/v1/auth/password-reset/confirm',
    body: () => ({ token: bogusSecret, newPassword: strongPassword }),
    allowed: [...SIGNED_IN, 'anonymous'],
    status: 410,
  },
  { method: 'GET', route: '/api/v1/me', url: () => '/api/v1/me', allowed: ALL_USERS, status: 200 },
  { method: 'PATCH', route: '/api/v1/me', url: () => '/api/v1/me', body: () => ({ locale: 'fr' }), allowed: SIGNED_IN, status: 200 },
  {
    method: 'POST',
    route: '/api/v1/me/password',
    url: () => '/api/v1/me/password',
    body: () => ({ currentPassword: 'x', newPassword: 'short' }),
    allowed: SIGNED_IN,
    status: 400,
  },
  { method: 'GET', route: '/api/v1/me/tokens', url: () => '/api/v1/me/tokens', allowed: ALL_USERS, status: 200 },
  {
    method: 'POST',
    route: '/api/v1/me/tokens',
    url: () => '/api/v1/me/tokens',
    body: () => ({ name: '' }),
    allowed: SIGNED_IN,
    status: 400,
  },
  {
    method: 'DELETE',
    route: '/api/v1/me/tokens/:tokenId',
    url: (w) => `/api/v1/me/tokens/${w.spareTokenId}`,
    allowed: ['adminA'],
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/users/:userId/deactivate',
    url: (w) => `/api/v1/users/${w.victimId}/deactivate`,
    allowed: ['operator'],
    status: 200,
  },

  // Members
  { method: 'GET', route: '/api/v1/members', url: () => '/api/v1/members', allowed: EVERYONE, status: 200 },
  { method: 'POST', route: '/api/v1/members', url: () => '/api/v1/members', body: () => ({}), allowed: ['operator'], status: 400 },
  { method: 'GET', route: '/api/v1/members/:member', url: (w) => `/api/v1/members/${w.orgA}`, allowed: EVERYONE, status: 200 },
  {
    method: 'PATCH',
    route: '/api/v1/members/:member',
    url: (w) => `/api/v1/members/${w.orgA}`,
    body: () => ({ website: 'not a url' }),
    allowed: ['adminA', 'operator'],
    status: 400,
  },
  {
    method: 'POST',
    route: '/api/v1/members/:member/deactivate',
    url: (w) => `/api/v1/members/${w.orgA}/deactivate`,
    allowed: ['operator'],
    status: 200,
    fresh: true,
  },
  {
    method: 'GET',
    route: '/api/v1/members/:member/users',
    url: (w) => `/api/v1/members/${w.orgA}/users`,
    allowed: ['analystA', 'stewardA', 'adminA', 'operator', 'readTokenA'],
    status: 200,
  },
  {
    method: 'PATCH',
    route: '/api/v1/members/:member/users/:userId',
    url: (w) => `/api/v1/members/${w.orgA}/users/${w.victimId}`,
    body: () => ({ role: 'chief' }),
    allowed: ['adminA', 'operator'],
    status: 400,
  },
  {
    method: 'DELETE',
    route: '/api/v1/members/:member/users/:userId',
    url: (w) => `/api/v1/members/${w.orgA}/users/${randomUUID()}`,
    allowed: ['adminA', 'operator'],
    status: 404,
  },
  {
    method: 'GET',
    route: '/api/v1/members/:member/invitations',
    url: (w) => `/api/v1/members/${w.orgA}/invitations`,
    allowed: ['adminA', 'operator', 'readTokenA'],
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/members/:member/invitations',
    url: (w) => `/api/v1/members/${w.orgA}/invitations`,
    body: () => ({ email: 'not an address', role: 'analyst' }),
    allowed: ['adminA', 'operator'],
    status: 400,
  },
  {
    method: 'DELETE',
    route: '/api/v1/members/:member/invitations/:invitationId',
    url: (w) => `/api/v1/members/${w.orgA}/invitations/${randomUUID()}`,
    allowed: ['adminA', 'operator'],
    status: 404,
  },
  { method: 'GET', route: '/api/v1/invitations/:token', url: () => `/api/v1/invitations/${bogusSecret}`, allowed: EVERYONE, status: 404 },
  {
    method: 'POST',
    route: '/api/v1/invitations/:token/accept',
    url: () => `/api/v1/invitations/${bogusSecret}/accept`,
    body: () => ({ password: strongPassword }),
    allowed: [...SIGNED_IN, 'anonymous'],
    status: 404,
  },

  // Catalog: metadata is public; data follows the access-level table (see also catalog.test.ts).
  { method: 'GET', route: '/api/v1/datasets', url: () => '/api/v1/datasets?q=mesures', allowed: EVERYONE, status: 200 },
  {
    method: 'POST',
    route: '/api/v1/datasets',
    url: () => '/api/v1/datasets',
    body: (w) => ({
      organisation: w.orgA,
      upload: randomUUID(),
      title: { fr: 'Jeu' },
      description: { fr: 'Jeu de test' },
      licence: 'etalab-2.0',
      accessLevel: 'open',
    }),
    allowed: ['stewardA', 'adminA'],
    status: 404,
  },
  {
    method: 'GET',
    route: '/api/v1/datasets/:dataset',
    url: (w) => `/api/v1/datasets/${w.datasets.restricted}`,
    allowed: EVERYONE,
    status: 200,
  },
  {
    method: 'GET',
    route: '/api/v1/datasets/:dataset/versions',
    url: (w) => `/api/v1/datasets/${w.datasets.restricted}/versions`,
    allowed: EVERYONE,
    status: 200,
  },
  {
    method: 'GET',
    route: '/api/v1/datasets/:dataset/versions/:number',
    url: (w) => `/api/v1/datasets/${w.datasets.restricted}/versions/1`,
    allowed: EVERYONE,
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/datasets/:dataset/versions',
    url: (w) => `/api/v1/datasets/${w.datasets.open}/versions`,
    body: () => ({ upload: randomUUID() }),
    allowed: ['stewardA', 'adminA'],
    status: 404,
  },
  {
    method: 'POST',
    route: '/api/v1/datasets/:dataset/deprecate',
    url: (w) => `/api/v1/datasets/${w.datasets.open}/deprecate`,
    body: () => ({ note: '' }),
    allowed: ['stewardA', 'adminA'],
    status: 400,
  },
  {
    method: 'POST',
    route: '/api/v1/datasets/:dataset/withdraw',
    url: (w) => `/api/v1/datasets/${w.datasets.open}/withdraw`,
    body: () => ({ reason: '' }),
    allowed: ['stewardA', 'adminA', 'operator'],
    status: 400,
  },
  {
    method: 'GET',
    route: '/api/v1/datasets/:dataset/preview',
    url: (w) => `/api/v1/datasets/${w.datasets.members}/preview`,
    allowed: ['analystA', 'stewardA', 'adminA', 'adminB', 'readTokenA'],
    status: 200,
  },
  {
    method: 'GET',
    route: '/api/v1/datasets/:dataset/chart',
    url: (w) => `/api/v1/datasets/${w.datasets.restricted}/chart?column=valeur`,
    allowed: ['analystA', 'stewardA', 'adminA', 'readTokenA'],
    status: 200,
  },
  {
    method: 'GET',
    route: '/api/v1/datasets/:dataset/download',
    url: (w) => `/api/v1/datasets/${w.datasets.restricted}/download`,
    allowed: ['analystA', 'stewardA', 'adminA', 'readTokenA'],
    status: 200,
  },
  // Anyone is told what they may compute, and why not.
  {
    method: 'GET',
    route: '/api/v1/datasets/:dataset/query',
    url: (w) => `/api/v1/datasets/${w.datasets.restricted}/query`,
    allowed: EVERYONE,
    status: 200,
  },
  // The provider's own people, and B's admin through the members contract; not the operator.
  {
    method: 'POST',
    route: '/api/v1/datasets/:dataset/query',
    url: (w) => `/api/v1/datasets/${w.datasets.members}/query`,
    body: () => ({ columns: ['valeur'] }),
    allowed: ['analystA', 'stewardA', 'adminA', 'adminB', 'readTokenA'],
    status: 200,
  },
  // JSON instead of the file: past authorization, the handler answers 415.
  {
    method: 'POST',
    route: '/api/v1/uploads',
    url: () => '/api/v1/uploads?name=a.csv',
    body: () => ({}),
    allowed: ['stewardA', 'adminA', 'adminB'],
    status: 415,
  },
  { method: 'GET', route: '/api/v1/uploads/:id', url: (w) => `/api/v1/uploads/${w.uploadId}`, allowed: ['stewardA'], status: 200 },
  { method: 'GET', route: '/api/v1/geo', url: () => '/api/v1/geo?level=region', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/catalog', url: () => '/catalog', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/catalog.ttl', url: () => '/catalog.ttl', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/catalog.jsonld', url: () => '/catalog.jsonld', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/datasets/:slug', url: (w) => `/datasets/${w.datasets.open}`, allowed: EVERYONE, status: [200, 503] },

  // Charter and offers: reading is public; publishing is the operator's, signing an org admin's,
  // offers their provider's; a decision preview is asked for one's own organisation.
  { method: 'GET', route: '/api/v1/charter', url: () => '/api/v1/charter', allowed: EVERYONE, status: 404 },
  { method: 'GET', route: '/api/v1/charter/versions', url: () => '/api/v1/charter/versions', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/api/v1/charter/versions/:version', url: () => '/api/v1/charter/versions/9.9', allowed: EVERYONE, status: 404 },
  {
    method: 'POST',
    route: '/api/v1/charter/versions',
    url: () => '/api/v1/charter/versions',
    body: () => ({}),
    allowed: ['operator'],
    status: 400,
  },
  { method: 'GET', route: '/api/v1/charter/signatures', url: () => '/api/v1/charter/signatures', allowed: EVERYONE, status: 200 },
  {
    method: 'POST',
    route: '/api/v1/members/:member/charter-signature',
    url: (w) => `/api/v1/members/${w.orgA}/charter-signature`,
    body: () => ({}),
    allowed: ['adminA'],
    status: 400,
  },
  {
    method: 'GET',
    route: '/api/v1/datasets/:dataset/offers',
    url: (w) => `/api/v1/datasets/${w.datasets.members}/offers`,
    allowed: EVERYONE,
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/datasets/:dataset/offers',
    url: (w) => `/api/v1/datasets/${w.datasets.members}/offers`,
    body: () => ({}),
    allowed: ['stewardA', 'adminA'],
    status: 400,
  },
  { method: 'GET', route: '/api/v1/offers/:id', url: (w) => `/api/v1/offers/${w.offerId}`, allowed: EVERYONE, status: 200 },
  {
    method: 'PATCH',
    route: '/api/v1/offers/:id',
    url: (w) => `/api/v1/offers/${w.offerId}`,
    body: () => ({ title: '' }),
    allowed: ['stewardA', 'adminA'],
    status: 400,
  },
  {
    method: 'POST',
    route: '/api/v1/offers/:id/retire',
    url: (w) => `/api/v1/offers/${w.offerId}/retire`,
    body: () => ({}),
    allowed: ['stewardA', 'adminA', 'operator'],
    status: 400,
  },
  {
    method: 'POST',
    route: '/api/v1/offers/:id/evaluate',
    url: (w) => `/api/v1/offers/${w.offerId}/evaluate`,
    body: (w) => ({ organisation: w.orgA, purpose: 'dpv:Nonsense', durationMonths: 12 }),
    allowed: ['analystA', 'stewardA', 'adminA', 'operator'],
    status: 400,
  },

  // Requests and contracts: parties read them; the provider decides; the consumer withdraws; the
  // commission reviews. B's request on A's automatic offer is already agreed, so deciding is a 409.
  { method: 'GET', route: '/api/v1/projects', url: () => '/api/v1/projects', allowed: ALL_USERS, status: 200 },
  // Projects (projects module): listed to every member; read by its parties and the operator; run
  // by the lead's admin (A); an invitation answered by the invited organisation's admin (B has none: 404).
  {
    method: 'GET',
    route: '/api/v1/projects/:id',
    url: (w) => `/api/v1/projects/${w.projectId}`,
    allowed: ['analystA', 'stewardA', 'adminA', 'readTokenA', 'operator'],
    status: 200,
  },
  {
    method: 'PATCH',
    route: '/api/v1/projects/:id',
    url: (w) => `/api/v1/projects/${w.projectId}`,
    body: () => ({}),
    allowed: ['adminA'],
    status: 400,
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/partners',
    url: (w) => `/api/v1/projects/${w.projectId}/partners`,
    body: () => ({}),
    allowed: ['adminA'],
    status: 400,
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/partners/:org/accept',
    url: (w) => `/api/v1/projects/${w.projectId}/partners/${w.orgB}/accept`,
    allowed: ['adminB'],
    status: 404,
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/partners/:org/decline',
    url: (w) => `/api/v1/projects/${w.projectId}/partners/${w.orgB}/decline`,
    allowed: ['adminB'],
    status: 404,
  },
  {
    method: 'DELETE',
    route: '/api/v1/projects/:id/partners/:org',
    url: (w) => `/api/v1/projects/${w.projectId}/partners/${w.orgB}`,
    allowed: ['adminA'],
    status: 404,
  },
  {
    method: 'POST',
    route: '/api/v1/projects',
    url: () => '/api/v1/projects',
    body: () => ({}),
    allowed: ['adminA', 'adminB'],
    status: 400,
  },
  // Datasets attached to a project: read like the project; attached and detached by its parties'
  // admins and stewards (A's; nothing attached yet, so detaching is a 404).
  {
    method: 'GET',
    route: '/api/v1/projects/:id/datasets',
    url: (w) => `/api/v1/projects/${w.projectId}/datasets`,
    allowed: ['analystA', 'stewardA', 'adminA', 'readTokenA', 'operator'],
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/datasets',
    url: (w) => `/api/v1/projects/${w.projectId}/datasets`,
    body: () => ({}),
    allowed: ['stewardA', 'adminA'],
    status: 400,
  },
  {
    method: 'DELETE',
    route: '/api/v1/projects/:id/datasets/:dataset',
    url: (w) => `/api/v1/projects/${w.projectId}/datasets/${w.datasets.open}`,
    allowed: ['stewardA', 'adminA'],
    status: 404,
  },
  // Fair return: the project's parties (A) and the operator read it; only the lead's admin records revenue.
  {
    method: 'GET',
    route: '/api/v1/projects/:id/fair-return',
    url: (w) => `/api/v1/projects/${w.projectId}/fair-return`,
    allowed: ['analystA', 'stewardA', 'adminA', 'readTokenA', 'operator'],
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/revenues',
    url: (w) => `/api/v1/projects/${w.projectId}/revenues`,
    body: () => ({}),
    allowed: ['adminA'],
    status: 400,
  },
  {
    method: 'POST',
    route: '/api/v1/requests',
    url: () => '/api/v1/requests',
    body: () => ({}),
    allowed: ['analystA', 'stewardA', 'adminA', 'adminB'],
    status: 400,
  },
  { method: 'GET', route: '/api/v1/requests', url: () => '/api/v1/requests', allowed: ALL_USERS, status: 200 },
  {
    method: 'GET',
    route: '/api/v1/requests/:id',
    url: (w) => `/api/v1/requests/${w.requestId}`,
    allowed: [...ALL_USERS],
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/requests/:id/approve',
    url: (w) => `/api/v1/requests/${w.requestId}/approve`,
    body: () => ({}),
    allowed: ['stewardA', 'adminA'],
    status: 409,
  },
  {
    method: 'POST',
    route: '/api/v1/requests/:id/reject',
    url: (w) => `/api/v1/requests/${w.requestId}/reject`,
    body: () => ({ reason: 'Refus de test' }),
    allowed: ['stewardA', 'adminA'],
    status: 409,
  },
  {
    method: 'POST',
    route: '/api/v1/requests/:id/withdraw',
    url: (w) => `/api/v1/requests/${w.requestId}/withdraw`,
    body: () => ({ reason: 'Retrait de test' }),
    allowed: ['adminB'],
    status: 409,
  },
  {
    method: 'POST',
    route: '/api/v1/requests/:id/review',
    url: (w) => `/api/v1/requests/${w.requestId}/review`,
    body: () => ({}),
    allowed: [],
    status: 400,
  },
  { method: 'GET', route: '/api/v1/reviews', url: () => '/api/v1/reviews', allowed: ['operator'], status: 200 },
  { method: 'GET', route: '/api/v1/contracts', url: () => '/api/v1/contracts', allowed: ALL_USERS, status: 200 },
  { method: 'GET', route: '/api/v1/contracts/:id', url: (w) => `/api/v1/contracts/${w.contractId}`, allowed: ALL_USERS, status: 200 },
  {
    method: 'GET',
    route: '/api/v1/contracts/:id/grant',
    url: (w) => `/api/v1/contracts/${w.contractId}/grant`,
    allowed: ALL_USERS,
    status: 200,
  },
  {
    method: 'GET',
    route: '/api/v1/contracts/:id/pdf',
    url: (w) => `/api/v1/contracts/${w.contractId}/pdf`,
    allowed: ALL_USERS,
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/contracts/:id/suspend',
    url: (w) => `/api/v1/contracts/${w.contractId}/suspend`,
    body: () => ({ reason: 'Suspension de test' }),
    allowed: ['stewardA', 'adminA'],
    status: [200, 409],
  },
  {
    method: 'POST',
    route: '/api/v1/contracts/:id/resume',
    url: (w) => `/api/v1/contracts/${w.contractId}/resume`,
    body: () => ({ reason: 'Reprise de test' }),
    allowed: ['stewardA', 'adminA'],
    status: [200, 409],
  },
  {
    method: 'POST',
    route: '/api/v1/contracts/:id/amendments',
    url: (w) => `/api/v1/contracts/${w.contractId}/amendments`,
    body: () => ({ durationMonths: 9, reason: 'Avenant de test' }),
    allowed: ['adminA', 'adminB'],
    status: [200, 409],
  },
  {
    method: 'POST',
    route: '/api/v1/contracts/:id/amendments/:amendment/decide',
    url: (w) => `/api/v1/contracts/${w.contractId}/amendments/${randomUUID()}/decide`,
    body: () => ({ accept: false }),
    allowed: ['adminA', 'adminB'],
    status: 404,
  },
  {
    method: 'POST',
    route: '/api/v1/contracts/:id/terminate',
    url: (w) => `/api/v1/contracts/${w.contractId}/terminate`,
    body: () => ({ reason: 'Résiliation de test' }),
    allowed: ['adminA', 'adminB'],
    status: [200, 409],
  },
  { method: 'GET', route: '/api/v1/contract-key', url: () => '/api/v1/contract-key', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/api/v1/notifications', url: () => '/api/v1/notifications', allowed: ALL_USERS, status: 200 },
  {
    method: 'POST',
    route: '/api/v1/notifications/:id/read',
    url: () => `/api/v1/notifications/${randomUUID()}/read`,
    allowed: ALL_USERS,
    status: 404,
  },
  { method: 'POST', route: '/api/v1/notifications/read-all', url: () => '/api/v1/notifications/read-all', allowed: ALL_USERS, status: 200 },

  // Billing: members read the settings; statements are the organisation's admins' and stewards'.
  { method: 'GET', route: '/api/v1/billing/settings', url: () => '/api/v1/billing/settings', allowed: ALL_USERS, status: 200 },
  {
    method: 'PUT',
    route: '/api/v1/billing/settings',
    url: () => '/api/v1/billing/settings',
    body: () => ({ fee: { percent: 'beaucoup' } }),
    allowed: ['operator'],
    status: 400,
  },
  {
    method: 'POST',
    route: '/api/v1/billing/estimate',
    url: () => '/api/v1/billing/estimate',
    body: (w) => ({ contract: w.contractId }),
    allowed: ['analystA', 'stewardA', 'adminA', 'adminB', 'operator'],
    status: 200,
  },
  {
    method: 'GET',
    route: '/api/v1/billing/statements',
    url: (w) => `/api/v1/billing/statements?organisation=${w.orgA}&period=2026-11&role=provider`,
    allowed: ['stewardA', 'adminA', 'readTokenA', 'operator'],
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/billing/statements/recheck',
    url: () => '/api/v1/billing/statements/recheck',
    // An empty statement of A: the re-check answers (with its differences) to A's admins and stewards.
    body: (w) => ({
      organisation: w.orgA,
      role: 'provider',
      period: '2026-11',
      checkpoint: { size: 0, root: '' },
      settingsVersion: 0,
      lines: [],
      totals: { net: 0, vat: 0, gross: 0, breakdown: [] },
      fees: [],
      feeTotal: 0,
      notes: [],
    }),
    allowed: ['stewardA', 'adminA', 'readTokenA', 'operator'],
    status: 200,
  },
  {
    method: 'GET',
    route: '/api/v1/billing/summary',
    url: (w) => `/api/v1/billing/summary?organisation=${w.orgA}&months=2`,
    allowed: ['stewardA', 'adminA', 'readTokenA', 'operator'],
    status: 200,
  },
  { method: 'GET', route: '/api/v1/billing/invoices', url: () => '/api/v1/billing/invoices', allowed: ALL_USERS, status: 200 },
  { method: 'GET', route: '/api/v1/billing/export', url: () => '/api/v1/billing/export', allowed: ALL_USERS, status: 200 },
  // No association is configured in this world: an allowed caller reaches the handler's 422.
  {
    method: 'POST',
    route: '/api/v1/billing/invoices',
    url: () => '/api/v1/billing/invoices',
    body: (w) => ({ purpose: 'usage', provider: w.orgA, consumer: w.orgB, period: '2026-11' }),
    allowed: ['adminA', 'operator'],
    status: 422,
  },
  {
    method: 'GET',
    route: '/api/v1/billing/invoices/:id',
    url: () => `/api/v1/billing/invoices/${randomUUID()}`,
    allowed: ALL_USERS,
    status: 404,
  },
  {
    method: 'GET',
    route: '/api/v1/billing/invoices/:id/pdf',
    url: () => `/api/v1/billing/invoices/${randomUUID()}/pdf`,
    allowed: ALL_USERS,
    status: 404,
  },
  {
    method: 'GET',
    route: '/api/v1/billing/invoices/:id/xml',
    url: () => `/api/v1/billing/invoices/${randomUUID()}/xml`,
    allowed: ALL_USERS,
    status: 404,
  },
  {
    method: 'POST',
    route: '/api/v1/billing/invoices/:id/credit-note',
    url: () => `/api/v1/billing/invoices/${randomUUID()}/credit-note`,
    body: () => ({ reason: 'Erreur de tarif' }),
    allowed: ALL_USERS,
    status: 404,
  },

  // Governance: commissions and votes are followed by every member; the operator sets them up; a
  // commission's chair (none among these callers) keeps its records and runs its votes.
  { method: 'GET', route: '/api/v1/commissions', url: () => '/api/v1/commissions', allowed: ALL_USERS, status: 200 },
  { method: 'GET', route: '/api/v1/commissions/:slug', url: () => '/api/v1/commissions/projets', allowed: ALL_USERS, status: 200 },
  {
    method: 'PATCH',
    route: '/api/v1/commissions/:slug',
    url: () => '/api/v1/commissions/projets',
    body: () => ({}),
    allowed: ['operator'],
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/commissions/:slug/members',
    url: () => '/api/v1/commissions/projets/members',
    body: () => ({}),
    allowed: ['operator'],
    status: 400,
  },
  {
    method: 'DELETE',
    route: '/api/v1/commissions/:slug/members/:userId',
    url: () => `/api/v1/commissions/projets/members/${randomUUID()}`,
    allowed: ['operator'],
    status: 404,
  },
  {
    method: 'POST',
    route: '/api/v1/commissions/:slug/agenda',
    url: () => '/api/v1/commissions/projets/agenda',
    body: () => ({}),
    allowed: ['operator'],
    status: 400,
  },
  {
    method: 'POST',
    route: '/api/v1/commissions/:slug/documents',
    url: () => '/api/v1/commissions/projets/documents',
    body: () => ({}),
    allowed: ['operator'],
    status: 400,
  },
  { method: 'GET', route: '/api/v1/votes', url: () => '/api/v1/votes', allowed: ALL_USERS, status: 200 },
  { method: 'GET', route: '/api/v1/votes/:id', url: () => `/api/v1/votes/${randomUUID()}`, allowed: ALL_USERS, status: 404 },
  {
    method: 'POST',
    route: '/api/v1/votes',
    url: () => '/api/v1/votes',
    body: () => ({ commission: 'projets', question: 'Trop tard ?', closesAt: '2020-01-01T00:00:00Z' }),
    allowed: ['operator'],
    status: 400,
  },
  // An unknown vote is 404 to every signed-in caller: membership is looked up on the vote.
  {
    method: 'POST',
    route: '/api/v1/votes/:id/ballots',
    url: () => `/api/v1/votes/${randomUUID()}/ballots`,
    body: () => ({ choice: 'pour' }),
    allowed: ALL_USERS,
    status: 404,
  },
  {
    method: 'POST',
    route: '/api/v1/votes/:id/close',
    url: () => `/api/v1/votes/${randomUUID()}/close`,
    allowed: ALL_USERS,
    status: 404,
  },
  { method: 'GET', route: '/api/v1/governance/gates', url: () => '/api/v1/governance/gates', allowed: ALL_USERS, status: 200 },
  {
    method: 'PUT',
    route: '/api/v1/governance/gates',
    url: () => '/api/v1/governance/gates',
    body: () => ({}),
    allowed: ['operator'],
    status: 400,
  },

  // Ledger: everything needed to verify is public; details and erasure are not.
  { method: 'GET', route: '/ledger/checkpoint', url: () => '/ledger/checkpoint', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/ledger/verifier-key', url: () => '/ledger/verifier-key', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/ledger/tile/*', url: () => '/ledger/tile/0/000.p/1', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/api/v1/ledger/checkpoint', url: () => '/api/v1/ledger/checkpoint', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/api/v1/ledger/entries', url: () => '/api/v1/ledger/entries', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/api/v1/ledger/entries/:index', url: () => '/api/v1/ledger/entries/0', allowed: EVERYONE, status: 200 },
  {
    method: 'GET',
    route: '/api/v1/ledger/entries/:index/proof',
    url: () => '/api/v1/ledger/entries/0/proof',
    allowed: EVERYONE,
    status: 200,
  },
  { method: 'GET', route: '/api/v1/ledger/consistency', url: () => '/api/v1/ledger/consistency?from=1', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/api/v1/ledger/report', url: () => '/api/v1/ledger/report', allowed: EVERYONE, status: 200 },
  // A witness's credential is its signature (checked by the handler); a read-only token may not write.
  {
    method: 'POST',
    route: '/api/v1/ledger/cosignatures',
    url: () => '/api/v1/ledger/cosignatures',
    body: () => ({}),
    allowed: EVERYONE.filter((c) => c !== 'readTokenA'),
    status: 400,
  },
  {
    method: 'POST',
    route: '/api/v1/ledger/entries/:index/erase',
    url: () => '/api/v1/ledger/entries/0/erase',
    body: () => ({ reason: 'because' }),
    allowed: ['operator'],
    status: 400,
  },
  // Network: the needs board and the news are public; writing is for the organisation concerned.
  { method: 'GET', route: '/api/v1/needs', url: () => '/api/v1/needs', allowed: EVERYONE, status: 200 },
  {
    method: 'POST',
    route: '/api/v1/needs',
    url: () => '/api/v1/needs',
    body: (w) => ({
      organisation: w.orgA,
      title: 'Besoin de A',
      description: 'Un besoin de données posté pendant le tableau des autorisations.',
      domain: 'climate',
      purpose: 'dpv:AcademicResearch',
    }),
    allowed: ['analystA', 'stewardA', 'adminA'],
    status: 201,
  },
  { method: 'GET', route: '/api/v1/needs/:id', url: (w) => `/api/v1/needs/${w.needId}`, allowed: EVERYONE, status: 200 },
  {
    method: 'POST',
    route: '/api/v1/needs/:id/answers',
    url: (w) => `/api/v1/needs/${w.needId}/answers`,
    body: (w) => ({ organisation: w.orgA, kind: 'plan', expectedAt: '2099-01-01' }),
    // One answer per organisation: A's second answer is a conflict, reached past authorization.
    allowed: ['stewardA', 'adminA'],
    status: [201, 409],
  },
  {
    method: 'POST',
    route: '/api/v1/needs/:id/close',
    url: (w) => `/api/v1/needs/${w.needId}/close`,
    body: () => ({}),
    allowed: ['adminB', 'operator'],
    status: [200, 409],
  },
  {
    method: 'POST',
    route: '/api/v1/needs/:id/project',
    url: (w) => `/api/v1/needs/${w.needForProjectId}/project`,
    body: () => ({}),
    allowed: ['adminB'],
    status: 200,
  },
  { method: 'GET', route: '/api/v1/news', url: () => '/api/v1/news', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/api/v1/news/:id', url: (w) => `/api/v1/news/${w.newsId}`, allowed: EVERYONE, status: 200 },
  {
    method: 'POST',
    route: '/api/v1/news',
    url: () => '/api/v1/news',
    body: (w) => ({ organisation: w.orgA, title: 'Actualité de test', body: 'Une actualité publiée pendant le tableau.' }),
    allowed: ['adminA', 'operator'],
    status: 201,
  },
  {
    method: 'PATCH',
    route: '/api/v1/news/:id',
    url: (w) => `/api/v1/news/${w.newsId}`,
    body: () => ({ title: 'Actualité revue' }),
    allowed: ['adminA', 'operator'],
    status: 200,
  },
  {
    method: 'DELETE',
    route: '/api/v1/news/:id',
    // Each caller gets a post of its own: a deleted post would answer 404 to the callers after.
    url: (w) => `/api/v1/news/${w.deletableNews.pop()!}`,
    allowed: ['adminA', 'operator'],
    status: 200,
  },
  { method: 'GET', route: '/api/v1/network/organisations', url: () => '/api/v1/network/organisations', allowed: EVERYONE, status: 200 },
  {
    method: 'GET',
    route: '/api/v1/network/organisations/:member',
    url: (w) => `/api/v1/network/organisations/${w.orgB}`,
    allowed: EVERYONE,
    status: 200,
  },

  // Events: public pages and calendar files; the organiser's admins and stewards run them; any
  // signed-in member registers; the organiser's members see who registered.
  { method: 'GET', route: '/api/v1/events', url: () => '/api/v1/events', allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/api/v1/events.ics', url: () => '/api/v1/events.ics', allowed: EVERYONE, status: 200 },
  {
    method: 'POST',
    route: '/api/v1/events',
    url: () => '/api/v1/events',
    body: (w) => ({
      title: 'Webinaire de A',
      kind: 'webinaire',
      startsAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 5 * 86_400_000 + 3_600_000).toISOString(),
      onlineUrl: 'https://visio.example.test/a',
      organisation: w.orgA,
    }),
    allowed: ['stewardA', 'adminA', 'operator'],
    status: 201,
  },
  { method: 'GET', route: '/api/v1/events/:id', url: (w) => `/api/v1/events/${w.eventId}`, allowed: EVERYONE, status: 200 },
  { method: 'GET', route: '/api/v1/events/:id.ics', url: (w) => `/api/v1/events/${w.eventId}.ics`, allowed: EVERYONE, status: 200 },
  {
    method: 'PATCH',
    route: '/api/v1/events/:id',
    url: (w) => `/api/v1/events/${w.eventId}`,
    body: () => ({ description: 'Ordre du jour à venir.' }),
    allowed: ['stewardA', 'adminA', 'operator'],
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/events/:id/cancel',
    url: (w) => `/api/v1/events/${w.cancelEventId}/cancel`,
    allowed: ['stewardA', 'adminA', 'operator'],
    status: [200, 409],
  },
  {
    method: 'POST',
    route: '/api/v1/events/:id/registration',
    url: (w) => `/api/v1/events/${w.eventId}/registration`,
    allowed: SIGNED_IN,
    status: 200,
  },
  {
    method: 'DELETE',
    route: '/api/v1/events/:id/registration',
    url: (w) => `/api/v1/events/${w.eventId}/registration`,
    allowed: SIGNED_IN,
    status: [200, 404],
  },
  {
    method: 'GET',
    route: '/api/v1/events/:id/registrations',
    url: (w) => `/api/v1/events/${w.eventId}/registrations`,
    allowed: ['analystA', 'stewardA', 'adminA', 'readTokenA', 'operator'],
    status: 200,
  },

  // E-mail: one's own preferences; bounces and the digest are the operator's.
  {
    method: 'GET',
    route: '/api/v1/me/notification-preferences',
    url: () => '/api/v1/me/notification-preferences',
    allowed: ALL_USERS,
    status: 200,
  },
  {
    method: 'PUT',
    route: '/api/v1/me/notification-preferences',
    url: () => '/api/v1/me/notification-preferences',
    body: () => ({ email: { digest: true } }),
    allowed: SIGNED_IN,
    status: 200,
  },
  { method: 'GET', route: '/api/v1/mail/failures', url: () => '/api/v1/mail/failures', allowed: ['operator'], status: 200 },
  { method: 'POST', route: '/api/v1/mail/digest', url: () => '/api/v1/mail/digest', allowed: ['operator'], status: 200 },
];

/** Routes that are not ours to guard row by row: the API reference page's own assets. */
const PLUGIN_PREFIXES = ['/api/docs'];

describe.each(backends())('authorization on %s', (backend) => {
  let node: TestNode;
  let shared: World;
  beforeAll(async () => {
    node = await testNode(backend);
    shared = await buildWorld(node);
  });
  afterAll(() => node.close());

  it('has a row for every registered route', () => {
    const routes = registeredRoutes(node.app, { ignorePrefixes: PLUGIN_PREFIXES });
    const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
    // HEAD answers are Fastify's copies of GET routes, guarded by the same configuration.
    for (const r of routes.filter((r) => r.method === 'HEAD')) expect(gets, `HEAD ${r.url}`).toContain(r.url);
    // Fastify's printout leaves out a wildcard route under a static prefix (`/ledger/tile/*`):
    // those rows are checked against the router itself.
    const unprinted = TABLE.filter(
      (r) =>
        r.route.endsWith('/*') && !routes.some((p) => p.url === r.route) && node.app.hasRoute({ method: r.method as 'GET', url: r.route }),
    ).map((r) => ({ method: r.method, url: r.route }));
    const guarded = [...routes, ...unprinted]
      .filter((r) => r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(TABLE.map((r) => `${r.method} ${r.route}`).sort()).toEqual(guarded);
  });

  describe.each(TABLE.map((row) => [`${row.method} ${row.route}`, row] as const))('%s', (_name, row) => {
    let world: World;
    beforeAll(async () => {
      world = row.fresh ? await buildWorld(node) : shared;
    });

    // The operator goes last: on a fresh world its allowed request is the one that changes things.
    it.each(CALLERS.map((c) => [c, row.allowed.includes(c) ? 'allowed' : c === 'anonymous' ? '401' : '403'] as const))(
      'as %s → %s',
      async (caller, outcome) => {
        const body = row.body?.(world);
        const response = await node.app.inject({
          method: row.method as 'GET',
          url: row.url(world),
          headers: world.headers[caller],
          remoteAddress: nextAddress(),
          ...(body !== undefined ? { payload: body as object } : {}),
        });
        if (outcome === 'allowed') {
          expect([row.status].flat(), response.body).toContain(response.statusCode);
        } else if (outcome === '401') {
          expectError(response, 401, 'unauthenticated');
        } else {
          expectError(response, 403, 'forbidden');
        }
      },
    );
  });

  const closedToAnonymous = TABLE.filter((row) => row.method === 'GET' && !row.allowed.includes('anonymous'));
  it.each(closedToAnonymous.map((row) => [row.route, row] as const))('guards HEAD %s like its GET', async (_route, row) => {
    const response = await node.app.inject({ method: 'HEAD', url: row.url(shared) });
    expect(response.statusCode).toBe(401);
    expect(response.body).toBe('');
  });

  describe('when a route declares no permission', () => {
    it('the app refuses to register it', async () => {
      const app = await buildApp({ config: testConfig(), database: node.database, ready: true, logger: false });
      try {
        expect(() => app.get('/api/v1/unguarded', async () => ({ secret: true }))).toThrow(/declares no permission/);
        // The same route with a declaration registers fine: the refusal is about the missing permission.
        expect(() =>
          app.get('/api/v1/guarded', { config: { permission: { action: 'read', subject: 'System' } } }, async () => ({ ok: true })),
        ).not.toThrow();
        await app.ready();
        expect(app.hasRoute({ method: 'GET', url: '/api/v1/unguarded' })).toBe(false);
      } finally {
        await app.close();
      }
    });
  });
});

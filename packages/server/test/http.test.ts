import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { backends } from './backends';
import {
  appOver,
  expectError,
  makeOrganisation,
  makeUser,
  nextAddress,
  signInAs,
  testConfig,
  testNode,
  type Caller,
  type TestNode,
} from './harness';
import { registeredRoutes } from './routes';

/** The platform's HTTP behaviour every module inherits: errors, limits, system routes, the API description. */
describe.each(backends())('HTTP platform on %s', (backend) => {
  let node: TestNode;
  let operator: Caller;
  beforeAll(async () => {
    node = await testNode(backend);
    const user = await makeUser(node.ctx, { platformRoles: ['operator'] });
    operator = await signInAs(node.app, user.email);
  });
  afterAll(() => node.close());

  describe('error bodies', () => {
    it('answer an unknown API path with 404 not_found, even anonymously', async () => {
      const response = await node.app.inject({ url: '/api/v1/nothing-here' });
      const error = expectError(response, 404, 'not_found');
      expect(error.message).toContain('/api/v1/nothing-here');
    });

    it('echo a well-formed upstream request id, so logs join across hops', async () => {
      const response = await node.app.inject({ url: '/api/v1/nothing-here', headers: { 'x-request-id': 'proxy-abc-123' } });
      expect(expectError(response, 404, 'not_found').requestId).toBe('proxy-abc-123');
    });

    it('replace an upstream request id that could inject into logs', async () => {
      const response = await node.app.inject({ url: '/api/v1/nothing-here', headers: { 'x-request-id': 'evil\nid with spaces' } });
      expect(expectError(response, 404, 'not_found').requestId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('turn malformed JSON into 400 malformed_json', async () => {
      const response = await node.app.inject({
        method: 'POST',
        url: '/api/v1/members',
        headers: { ...operator.headers, 'content-type': 'application/json' },
        payload: '{"slug": "x",',
      });
      expectError(response, 400, 'malformed_json');
    });

    it('turn a field the schema does not know into 400 validation_failed naming it', async () => {
      const response = await node.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: operator.headers,
        payload: { locale: 'fr', favouriteColour: 'blue' },
      });
      const error = expectError(response, 400, 'validation_failed');
      expect(error.message).toContain('favouriteColour');
      expect(error.details).toEqual({ issues: [expect.objectContaining({ path: 'body', unknownFields: ['favouriteColour'] })] });
    });

    it('give the path of each invalid value', async () => {
      const response = await node.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: operator.headers, payload: { locale: 'de' } });
      const error = expectError(response, 400, 'validation_failed');
      expect(error.details).toEqual({ issues: [expect.objectContaining({ path: 'body.locale' })] });
    });

    it('refuse a form post with 415: the API speaks JSON only', async () => {
      const response = await node.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: { ...operator.headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'locale=fr',
      });
      expectError(response, 415, 'unsupported_media_type');
    });

    it('refuse a text/plain body with 415 too', async () => {
      const response = await node.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: { ...operator.headers, 'content-type': 'text/plain' },
        payload: '{"locale":"fr"}',
      });
      expectError(response, 415, 'unsupported_media_type');
    });

    it('reveal nothing of an unexpected failure but the request id', async () => {
      const app = await buildApp({ config: testConfig(), database: node.database, ready: true, logger: false });
      app.get('/api/v1/boom', { config: { permission: { action: 'read', subject: 'System' } } }, async () => {
        throw new Error('connect ECONNREFUSED 10.1.2.3:5432 password authentication failed for user "confiance"');
      });
      try {
        const response = await app.inject({ url: '/api/v1/boom' });
        expectError(response, 500, 'internal_error');
        expect(response.body).not.toMatch(/ECONNREFUSED|password|10\.1\.2\.3|\bat .*\.ts:\d+/);
        expect(Object.keys(response.json().error).sort()).toEqual(['code', 'message', 'requestId']);
      } finally {
        await app.close();
      }
    });
  });

  describe('when the body is larger than CONFIANCE_BODY_LIMIT', () => {
    let small: FastifyInstance;
    beforeAll(async () => {
      small = await appOver(node.database, { CONFIANCE_BODY_LIMIT: '2048' });
    });
    afterAll(() => small.close());

    it('answers 413 payload_too_large before reading it', async () => {
      const response = await small.inject({
        method: 'POST',
        url: '/api/v1/auth/session',
        remoteAddress: nextAddress(),
        payload: { email: 'someone@example.test', password: 'x'.repeat(3000) },
      });
      expectError(response, 413, 'payload_too_large');
    });

    it('still reads a body under the limit', async () => {
      const response = await small.inject({
        method: 'POST',
        url: '/api/v1/auth/session',
        remoteAddress: nextAddress(),
        payload: { email: 'someone@example.test', password: 'x'.repeat(200) },
      });
      expectError(response, 401, 'invalid_credentials');
    });
  });

  describe('when someone keeps guessing passwords from one address', () => {
    it('sign-in answers 429 rate_limited after ten attempts a minute', async () => {
      const user = await makeUser(node.ctx);
      const remoteAddress = nextAddress();
      const attempt = () =>
        node.app.inject({
          method: 'POST',
          url: '/api/v1/auth/session',
          remoteAddress,
          payload: { email: user.email, password: 'wrong guess' },
        });
      for (let i = 0; i < 10; i++) expect((await attempt()).statusCode).toBe(401);
      expectError(await attempt(), 429, 'rate_limited');
      // Another address is not affected.
      await expect(signInAs(node.app, user.email)).resolves.toMatchObject({ userId: user.id });
    });
  });

  describe('system routes', () => {
    it('/health answers 200', async () => {
      const response = await node.app.inject({ url: '/health' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    });

    it('/ready answers 200 once ready', async () => {
      const response = await node.app.inject({ url: '/ready' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ready' });
    });

    describe('when the node is still starting', () => {
      beforeAll(() => {
        node.app.confiance.readiness.ready = false;
        node.app.confiance.readiness.step = 'migrations';
      });
      afterAll(() => {
        node.app.confiance.readiness.ready = true;
        node.app.confiance.readiness.step = 'ready';
      });

      it('/ready answers 503 and says what it is doing', async () => {
        const response = await node.app.inject({ url: '/ready' });
        expect(response.statusCode).toBe(503);
        expect(response.json()).toEqual({ status: 'starting', step: 'migrations' });
      });

      it('the API answers 503 not_ready instead of half-working', async () => {
        const error = expectError(await node.app.inject({ url: '/api/v1/members' }), 503, 'not_ready');
        expect(error.message).toContain('migrations');
      });

      it('/health still answers 200: the process is alive', async () => {
        expect((await node.app.inject({ url: '/health' })).statusCode).toBe(200);
      });
    });

    it('/metrics is Prometheus text with request durations by route, for the operator only', async () => {
      await node.app.inject({ url: '/api/v1/members' });
      expectError(await node.app.inject({ url: '/metrics' }), 401, 'unauthenticated');
      const response = await node.app.inject({ url: '/metrics', headers: operator.headers });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(response.body).toContain('# TYPE confiance_http_request_duration_seconds histogram');
      expect(response.body).toMatch(
        /confiance_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/members",status="200"\} [1-9]/,
      );
    });

    it('sets protective headers on every answer', async () => {
      const response = await node.app.inject({ url: '/health' });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('same-origin');
      expect(response.headers['x-request-id']).toBeTruthy();
    });
  });

  describe('the API description', () => {
    it('is OpenAPI 3.1.0 and documents every /api/v1/ route', async () => {
      const response = await node.app.inject({ url: '/openapi.json' });
      expect(response.statusCode).toBe(200);
      const document = response.json<{
        openapi: string;
        paths: Record<string, Record<string, { summary?: string; responses?: object }>>;
      }>();
      expect(document.openapi).toBe('3.1.0');

      const documented = Object.entries(document.paths)
        .filter(([path]) => path.startsWith('/api/v1/'))
        .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
      const registered = registeredRoutes(node.app, { ignorePrefixes: ['/api/docs'] })
        .filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD')
        .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
      expect(registered.length).toBeGreaterThan(20);
      expect(documented.sort()).toEqual(registered.sort());

      for (const [path, operations] of Object.entries(document.paths).filter(([p]) => p.startsWith('/api/v1/'))) {
        for (const [method, operation] of Object.entries(operations)) {
          expect(operation.summary, `${method} ${path}`).toBeTruthy();
          expect(Object.keys(operation.responses ?? {}), `${method} ${path}`).toContain('4XX');
        }
      }
    });

    it('is browsable at /api/docs/', async () => {
      const response = await node.app.inject({ url: '/api/docs/' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('swagger');
    });
  });

  it('keeps a member page reachable by slug while the directory lists it', async () => {
    const org = await makeOrganisation(node.ctx, { shortName: 'Page publique' });
    const response = await node.app.inject({ url: `/api/v1/members/${org.slug}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ slug: org.slug, uri: `http://confiance.test/organisations/${org.slug}` });
  });
});

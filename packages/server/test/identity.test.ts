import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/platform/crypto';
import { createOperator } from '../src/modules/identity/index';
import { backends } from './backends';
import {
  TEST_PASSWORD,
  appOver,
  expectError,
  makeOrganisation,
  makeUser,
  nextAddress,
  signInAs,
  testNode,
  tokenFor,
  type Caller,
  type TestNode,
} from './harness';

describe.each(backends())('identity on %s', (backend) => {
  let node: TestNode;
  let operator: Caller;
  beforeAll(async () => {
    node = await testNode(backend);
    operator = await signInAs(node.app, (await makeUser(node.ctx, { platformRoles: ['operator'] })).email);
  });
  afterAll(() => node.close());

  const signIn = (email: string, password: string, headers: Record<string, string> = {}) =>
    node.app.inject({ method: 'POST', url: '/api/v1/auth/session', payload: { email, password }, headers, remoteAddress: nextAddress() });
  const whoAmI = (headers: Record<string, string>) => node.app.inject({ url: '/api/v1/auth/session', headers });
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

  describe('signing in', () => {
    it('answers the session with its memberships and a CSRF token', async () => {
      const org = await makeOrganisation(node.ctx, { shortName: 'Tisséo' });
      const user = await makeUser(node.ctx, { organisationId: org.id, role: 'data_steward' });
      const response = await signIn(user.email, TEST_PASSWORD);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        user: { id: user.id, email: user.email, status: 'active' },
        memberships: [{ organisationId: org.id, organisationSlug: org.slug, organisationName: 'Tisséo', role: 'data_steward' }],
        csrfToken: expect.stringMatching(/^[\w-]{40,}$/),
        authenticatedBy: 'session',
      });
      expect(response.body).not.toContain('password');
    });

    it('ignores the case of the e-mail address', async () => {
      const user = await makeUser(node.ctx);
      expect((await signIn(user.email.toUpperCase(), TEST_PASSWORD)).statusCode).toBe(200);
    });

    it('refuses a wrong password with 401 invalid_credentials', async () => {
      const user = await makeUser(node.ctx);
      expectError(await signIn(user.email, 'not the password'), 401, 'invalid_credentials');
    });

    it('answers an unknown address exactly like a wrong password', async () => {
      const wrong = expectError(await signIn('nobody-here@example.test', 'not the password'), 401, 'invalid_credentials');
      const user = await makeUser(node.ctx);
      const known = expectError(await signIn(user.email, 'not the password'), 401, 'invalid_credentials');
      expect(wrong.message).toBe(known.message);
    });

    it('refuses a deactivated account with 403 account_disabled, only once the password is right', async () => {
      const user = await makeUser(node.ctx);
      await node.ctx.db.updateTable('users').set({ status: 'deactivated' }).where('id', '=', user.id).execute();
      await node.app.confiance.syncCredentials();
      expectError(await signIn(user.email, TEST_PASSWORD), 403, 'account_disabled');
      expectError(await signIn(user.email, 'not the password'), 401, 'invalid_credentials');
    });

    it('stores only a hash of the session secret', async () => {
      const user = await makeUser(node.ctx);
      const response = await signIn(user.email, TEST_PASSWORD);
      const secret = response.cookies.find((c) => c.name === 'confiance_session')!.value;
      const row = await node.ctx.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
      expect(row.token_hash).toBe(sha256Hex(secret));
      expect(JSON.stringify(row)).not.toContain(secret);
    });
  });

  describe('the session cookie', () => {
    async function cookieOf(app = node.app, headers: Record<string, string> = {}) {
      const user = await makeUser(node.ctx);
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/session',
        payload: { email: user.email, password: TEST_PASSWORD },
        headers,
        remoteAddress: nextAddress(),
      });
      expect(response.statusCode).toBe(200);
      return response.cookies.find((c) => c.name === 'confiance_session')!;
    }

    it('is HttpOnly, SameSite=Lax, for the whole site, for the session’s lifetime', async () => {
      const cookie = await cookieOf();
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      const days = ((cookie.expires as Date).getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(13.9);
      expect(days).toBeLessThanOrEqual(14);
    });

    it('is not Secure over plain http', async () => {
      expect((await cookieOf()).secure).toBeFalsy();
    });

    it('ignores x-forwarded-proto when no proxy is trusted', async () => {
      expect((await cookieOf(node.app, { 'x-forwarded-proto': 'https' })).secure).toBeFalsy();
    });

    describe('when CONFIANCE_TRUST_PROXY=true', () => {
      let proxied: Awaited<ReturnType<typeof appOver>>;
      beforeAll(async () => {
        proxied = await appOver(node.database, { CONFIANCE_TRUST_PROXY: 'true' });
      });
      afterAll(() => proxied.close());

      it('is Secure when the proxy says the client used https', async () => {
        expect((await cookieOf(proxied, { 'x-forwarded-proto': 'https' })).secure).toBe(true);
      });
      it('is not Secure when the proxy says http', async () => {
        expect((await cookieOf(proxied, { 'x-forwarded-proto': 'http' })).secure).toBeFalsy();
      });
    });
  });

  describe('signing out', () => {
    it('ends the session on the server, not just in the browser', async () => {
      const caller = await signInAs(node.app, (await makeUser(node.ctx)).email);
      const response = await node.app.inject({ method: 'DELETE', url: '/api/v1/auth/session', headers: caller.headers });
      expect(response.statusCode).toBe(200);
      const cleared = response.cookies.find((c) => c.name === 'confiance_session')!;
      expect(cleared.value).toBe('');
      expectError(await whoAmI(caller.headers), 401, 'unauthenticated');
    });
  });

  describe('CSRF protection of cookie sessions', () => {
    let caller: Caller;
    beforeAll(async () => {
      caller = await signInAs(node.app, (await makeUser(node.ctx)).email);
    });
    const withoutCsrf = () => ({ cookie: caller.headers.cookie! });

    it('lets someone with a still-valid cookie sign in again without the token', async () => {
      const user = await makeUser(node.ctx);
      const stale = await signInAs(node.app, user.email);
      const response = await node.app.inject({
        method: 'POST',
        url: '/api/v1/auth/session',
        headers: { cookie: stale.headers.cookie! },
        payload: { email: user.email, password: TEST_PASSWORD },
        remoteAddress: nextAddress(),
      });
      expect(response.statusCode).toBe(200);
    });

    it('refuses a write without x-csrf-token with 403 csrf_failed', async () => {
      const response = await node.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: withoutCsrf(),
        payload: { displayName: 'Mallory' },
      });
      expectError(response, 403, 'csrf_failed');
    });

    it('refuses a write with another token', async () => {
      const response = await node.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: { ...withoutCsrf(), 'x-csrf-token': `${caller.headers['x-csrf-token']!.slice(0, -2)}xx` },
        payload: { displayName: 'Mallory' },
      });
      expectError(response, 403, 'csrf_failed');
      const me = await node.app.inject({ url: '/api/v1/me', headers: withoutCsrf() });
      expect(me.json().displayName).toBe('Test User');
    });

    it('accepts the write with the session’s token', async () => {
      const response = await node.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: caller.headers,
        payload: { displayName: 'Camille Martin' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: caller.userId, displayName: 'Camille Martin' });
    });

    it('does not ask reads for it', async () => {
      expect((await whoAmI(withoutCsrf())).statusCode).toBe(200);
    });

    it('hands the token back to a page that reloads', async () => {
      expect((await whoAmI(withoutCsrf())).json().csrfToken).toBe(caller.headers['x-csrf-token']);
    });

    it('does not ask Bearer-token writes for it: no browser sends those by itself', async () => {
      const secret = await tokenFor(node.app, caller, ['read', 'write']);
      const response = await node.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: bearer(secret), payload: { locale: 'en' } });
      expect(response.statusCode).toBe(200);
      expect(response.json().locale).toBe('en');
    });
  });

  describe('401 and 403 are distinct', () => {
    it('answers 401 to a caller who is not signed in and 403 to one who lacks the right', async () => {
      const org = await makeOrganisation(node.ctx);
      const analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: org.id, role: 'analyst' })).email);
      const url = `/api/v1/members/${org.slug}/invitations`;
      const payload = { email: 'someone@example.test', role: 'analyst' };
      expectError(await node.app.inject({ method: 'POST', url, payload }), 401, 'unauthenticated');
      expectError(await node.app.inject({ method: 'POST', url, payload, headers: analyst.headers }), 403, 'forbidden');
    });

    it('treats an expired session as no session', async () => {
      const caller = await signInAs(node.app, (await makeUser(node.ctx)).email);
      await node.ctx.db
        .updateTable('sessions')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('user_id', '=', caller.userId)
        .execute();
      await node.app.confiance.syncCredentials();
      expectError(await whoAmI(caller.headers), 401, 'unauthenticated');
    });

    it('treats an unknown session cookie as no session', async () => {
      expectError(await whoAmI({ cookie: 'confiance_session=forged' }), 401, 'unauthenticated');
    });
  });

  describe('API tokens', () => {
    let caller: Caller;
    let created: { id: string; secret: string; prefix: string; lastUsedAt: string | null; scopes: string[] };
    beforeAll(async () => {
      const org = await makeOrganisation(node.ctx);
      caller = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: org.id, role: 'org_admin' })).email);
      const response = await node.app.inject({
        method: 'POST',
        url: '/api/v1/me/tokens',
        headers: caller.headers,
        payload: { name: 'CI nightly', scopes: ['read', 'write'] },
      });
      expect(response.statusCode).toBe(201);
      created = response.json();
    });

    it('shows the secret once, at creation, with a recognisable prefix', () => {
      expect(created.secret).toMatch(/^cft_[\w-]{43}$/);
      expect(created.prefix).toBe(created.secret.slice(0, 10));
      expect(created.scopes).toEqual(['read', 'write']);
      expect(created.lastUsedAt).toBeNull();
    });

    it('never lists the secret again', async () => {
      const response = await node.app.inject({ url: '/api/v1/me/tokens', headers: caller.headers });
      expect(response.statusCode).toBe(200);
      expect(response.json().items).toEqual([expect.objectContaining({ id: created.id, name: 'CI nightly', prefix: created.prefix })]);
      expect(response.body).not.toContain(created.secret);
      expect(response.json().items[0]).not.toHaveProperty('secret');
    });

    it('stores only a hash: the secret is in no column', async () => {
      const row = await node.ctx.db.selectFrom('api_tokens').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
      expect(row.token_hash).toBe(sha256Hex(created.secret));
      expect(row.token_hash).not.toBe(created.secret);
      expect(JSON.stringify(row)).not.toContain(created.secret.slice(10));
    });

    it('authenticates as its owner, with no CSRF token to echo', async () => {
      const response = await whoAmI(bearer(created.secret));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ user: { id: caller.userId }, authenticatedBy: 'token', csrfToken: null });
    });

    it('records when it was last used', async () => {
      await whoAmI(bearer(created.secret));
      const list = await node.app.inject({ url: '/api/v1/me/tokens', headers: caller.headers });
      const lastUsedAt = list.json().items.find((t: { id: string }) => t.id === created.id).lastUsedAt;
      expect(Date.now() - Date.parse(lastUsedAt)).toBeLessThan(60_000);
    });

    it('refuses a malformed Authorization header rather than ignoring it', async () => {
      expectError(
        await node.app.inject({ url: '/api/v1/members', headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
        401,
        'unauthenticated',
      );
    });

    it('refuses an unknown token even on a public route, so a script notices', async () => {
      expectError(await node.app.inject({ url: '/api/v1/members', headers: bearer('cft_not-a-real-token') }), 401, 'unauthenticated');
    });

    describe('when the token is read-only', () => {
      let readOnly: string;
      beforeAll(async () => {
        readOnly = await tokenFor(node.app, caller, ['read']);
      });
      it('reads', async () => {
        expect((await node.app.inject({ url: '/api/v1/me', headers: bearer(readOnly) })).statusCode).toBe(200);
      });
      it('cannot write (403), though its owner could', async () => {
        expectError(
          await node.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: bearer(readOnly), payload: { locale: 'fr' } }),
          403,
          'forbidden',
        );
        expectError(
          await node.app.inject({
            method: 'POST',
            url: '/api/v1/me/tokens',
            headers: bearer(readOnly),
            payload: { name: 'escalate', scopes: ['write'] },
          }),
          403,
          'forbidden',
        );
      });
    });

    describe('when the token has expired', () => {
      it('is refused with 401', async () => {
        const secret = await tokenFor(node.app, caller, ['read']);
        expect((await whoAmI(bearer(secret))).statusCode).toBe(200);
        await node.ctx.db
          .updateTable('api_tokens')
          .set({ expires_at: new Date(Date.now() - 1000) })
          .where('token_hash', '=', sha256Hex(secret))
          .execute();
        await node.app.confiance.syncCredentials();
        expectError(await whoAmI(bearer(secret)), 401, 'unauthenticated');
      });
    });

    describe('when the token is revoked', () => {
      it('is refused on the very next request', async () => {
        const secret = await tokenFor(node.app, caller, ['read']);
        const row = await node.ctx.db
          .selectFrom('api_tokens')
          .select('id')
          .where('token_hash', '=', sha256Hex(secret))
          .executeTakeFirstOrThrow();
        expect((await whoAmI(bearer(secret))).statusCode).toBe(200);
        const revoked = await node.app.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${row.id}`, headers: caller.headers });
        expect(revoked.statusCode).toBe(200);
        expect(revoked.json().revokedAt).not.toBeNull();
        expectError(await whoAmI(bearer(secret)), 401, 'unauthenticated');
      });

      it('cannot be revoked by someone else (403), nor found by a made-up id (404)', async () => {
        const other = await signInAs(node.app, (await makeUser(node.ctx)).email);
        expectError(
          await node.app.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${created.id}`, headers: other.headers }),
          403,
          'forbidden',
        );
        expectError(
          await node.app.inject({
            method: 'DELETE',
            url: '/api/v1/me/tokens/00000000-0000-4000-8000-000000000000',
            headers: other.headers,
          }),
          404,
          'not_found',
        );
        expect((await whoAmI(bearer(created.secret))).statusCode).toBe(200);
      });
    });
  });

  describe('changing one’s password', () => {
    it('requires the current password and signs out the other devices only', async () => {
      const user = await makeUser(node.ctx);
      const laptop = await signInAs(node.app, user.email);
      const phone = await signInAs(node.app, user.email);
      const newPassword = 'a brand new passphrase';
      const change = (currentPassword: string) =>
        node.app.inject({
          method: 'POST',
          url: '/api/v1/me/password',
          headers: laptop.headers,
          remoteAddress: nextAddress(),
          payload: { currentPassword, newPassword },
        });

      expectError(await change('not the password'), 401, 'invalid_credentials');
      expect((await whoAmI(phone.headers)).statusCode).toBe(200);

      expect((await change(TEST_PASSWORD)).statusCode).toBe(200);
      expect((await whoAmI(laptop.headers)).statusCode).toBe(200);
      expectError(await whoAmI(phone.headers), 401, 'unauthenticated');
      expectError(await signIn(user.email, TEST_PASSWORD), 401, 'invalid_credentials');
      expect((await signIn(user.email, newPassword)).statusCode).toBe(200);
    });

    it('refuses a new password under twelve characters, saying so', async () => {
      const caller = await signInAs(node.app, (await makeUser(node.ctx)).email);
      const response = await node.app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: caller.headers,
        remoteAddress: nextAddress(),
        payload: { currentPassword: TEST_PASSWORD, newPassword: 'short' },
      });
      const error = expectError(response, 400, 'validation_failed');
      expect(error.details).toEqual({
        issues: [expect.objectContaining({ path: 'body.newPassword', message: expect.stringContaining('12') })],
      });
    });
  });

  describe('when the operator deactivates a user', () => {
    it('their sessions and tokens end on the very next request, and they cannot sign in again', async () => {
      const org = await makeOrganisation(node.ctx);
      const user = await makeUser(node.ctx, { organisationId: org.id, role: 'analyst' });
      const session = await signInAs(node.app, user.email);
      const token = await tokenFor(node.app, session, ['read']);
      expect((await whoAmI(session.headers)).statusCode).toBe(200);
      expect((await whoAmI(bearer(token))).statusCode).toBe(200);

      const response = await node.app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/deactivate`, headers: operator.headers });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: user.id, status: 'deactivated' });

      expectError(await whoAmI(session.headers), 401, 'unauthenticated');
      expectError(await whoAmI(bearer(token)), 401, 'unauthenticated');
      expectError(await signIn(user.email, TEST_PASSWORD), 403, 'account_disabled');
      const sessions = await node.ctx.db
        .selectFrom('sessions')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(sessions.n).toBe(0);
    });

    it('refuses to deactivate the last active operator (409), and allows it once there is another', async () => {
      const fresh = await testNode(backend);
      try {
        const only = await makeUser(fresh.ctx, { platformRoles: ['operator'] });
        const caller = await signInAs(fresh.app, only.email);
        const deactivate = (id: string, headers: Record<string, string>) =>
          fresh.app.inject({ method: 'POST', url: `/api/v1/users/${id}/deactivate`, headers });
        expectError(await deactivate(only.id, caller.headers), 409, 'conflict');
        const second = await makeUser(fresh.ctx, { platformRoles: ['operator'] });
        expect((await deactivate(only.id, (await signInAs(fresh.app, second.email)).headers)).statusCode).toBe(200);
      } finally {
        await fresh.close();
      }
    });

    it('answers 404 for a user that does not exist', async () => {
      const response = await node.app.inject({
        method: 'POST',
        url: '/api/v1/users/00000000-0000-4000-8000-000000000000/deactivate',
        headers: operator.headers,
      });
      expectError(response, 404, 'not_found');
    });
  });

  describe('creating an operator (the first one of a node not in demo mode)', () => {
    it('refuses a short password and a malformed address, creating nothing', async () => {
      await expect(
        createOperator(node.ctx, { email: 'op-short@example.test', displayName: 'Op', password: 'short' }),
      ).rejects.toMatchObject({
        code: 'validation_failed',
      });
      await expect(
        createOperator(node.ctx, { email: 'not-an-email', displayName: 'Op', password: 'long enough password' }),
      ).rejects.toMatchObject({
        code: 'validation_failed',
      });
      const rows = await node.ctx.db.selectFrom('users').select('id').where('email', '=', 'op-short@example.test').execute();
      expect(rows).toEqual([]);
    });

    it('creates an operator who can sign in, promotes an existing account, and refuses a second time', async () => {
      const created = await createOperator(node.ctx, { email: 'op-new@example.test', displayName: 'Op', password: 'long enough password' });
      expect(created.platform_roles).toEqual(['operator']);
      expect((await signIn('op-new@example.test', 'long enough password')).statusCode).toBe(200);
      const existing = await makeUser(node.ctx);
      const promoted = await createOperator(node.ctx, { email: existing.email, displayName: 'Ignored', password: 'long enough password' });
      expect(promoted.platform_roles).toEqual(['operator']);
      await expect(
        createOperator(node.ctx, { email: existing.email, displayName: 'x', password: 'long enough password' }),
      ).rejects.toMatchObject({
        code: 'conflict',
      });
    });
  });
});

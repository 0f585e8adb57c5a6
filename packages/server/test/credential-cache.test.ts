import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { backends } from './backends';
import { appOver, expectError, makeOrganisation, makeUser, signInAs, testNode, tokenFor, type TestNode } from './harness';

/**
 * Two nodes (replicas) on one database: a credential cached by one is refused by it as soon as
 * the other revokes it, because the database notifies every node when the change commits.
 */
describe.each(backends())('cached credentials across nodes on %s', (backend) => {
  let node: TestNode;
  let replica: FastifyInstance;
  beforeAll(async () => {
    node = await testNode(backend);
    replica = await appOver(node.database);
  });
  afterAll(async () => {
    await replica.close();
    await node.close();
  });

  const whoAmI = (app: FastifyInstance, headers: Record<string, string>) => app.inject({ url: '/api/v1/auth/session', headers });

  it('a token revoked on one node is refused by the other', async () => {
    const caller = await signInAs(node.app, (await makeUser(node.ctx)).email);
    const secret = await tokenFor(node.app, caller, ['read']);
    const bearer = { authorization: `Bearer ${secret}` };
    expect((await whoAmI(replica, bearer)).statusCode).toBe(200); // now cached by the replica
    const { items } = (await node.app.inject({ url: '/api/v1/me/tokens', headers: caller.headers })).json<{ items: { id: string }[] }>();
    await node.app.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${items[0]!.id}`, headers: caller.headers });
    await replica.confiance.syncCredentials();
    expectError(await whoAmI(replica, bearer), 401, 'unauthenticated');
  });

  it('a role removed on one node no longer counts on the other', async () => {
    const org = await makeOrganisation(node.ctx);
    const admin = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: org.id, role: 'org_admin' })).email);
    const other = await makeUser(node.ctx, { organisationId: org.id, role: 'org_admin' });
    const otherCaller = await signInAs(node.app, other.email);
    const invite = { method: 'POST' as const, url: `/api/v1/members/${org.slug}/invitations`, headers: otherCaller.headers };
    expect((await replica.inject({ ...invite, payload: { email: 'first@example.test', role: 'analyst' } })).statusCode).toBe(201);
    await node.app.inject({
      method: 'PATCH',
      url: `/api/v1/members/${org.slug}/users/${other.id}`,
      headers: admin.headers,
      payload: { role: 'analyst' },
    });
    await replica.confiance.syncCredentials();
    expectError(await replica.inject({ ...invite, payload: { email: 'second@example.test', role: 'analyst' } }), 403, 'forbidden');
  });

  it('a session signed out on one node is anonymous on the other', async () => {
    const caller = await signInAs(node.app, (await makeUser(node.ctx)).email);
    expect((await whoAmI(replica, caller.headers)).statusCode).toBe(200);
    await node.app.inject({ method: 'DELETE', url: '/api/v1/auth/session', headers: caller.headers });
    await replica.confiance.syncCredentials();
    expectError(await whoAmI(replica, caller.headers), 401, 'unauthenticated');
  });
});

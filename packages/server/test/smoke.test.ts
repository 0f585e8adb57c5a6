import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends';
import { makeOrganisation, makeUser, signInAs, testNode, type TestNode } from './harness';

describe.each(backends())('harness on %s', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode(backend);
  });
  afterAll(() => node.close());

  it('signs in a factory user and lists the directory', async () => {
    const org = await makeOrganisation(node.ctx, { shortName: 'Hérault Données' });
    const user = await makeUser(node.ctx, { organisationId: org.id, role: 'analyst' });
    const caller = await signInAs(node.app, user.email);
    const res = await node.app.inject({ url: '/api/v1/members?q=herault', headers: caller.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((o: { slug: string }) => o.slug)).toEqual([org.slug]);
  });
});

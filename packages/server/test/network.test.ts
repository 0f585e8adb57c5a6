import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends';
import {
  contractThrough,
  expectError,
  makeOrganisation,
  makeUser,
  publishTestDataset,
  signInAs,
  testNode,
  type Caller,
  type TestNode,
} from './harness';

interface NewsBody {
  id: string;
  title: string;
  organisation: { slug: string } | null;
  publishedAt: string;
  can: { update: boolean; delete: boolean };
}

describe.each(backends())('network on %s', (backend) => {
  let node: TestNode;
  let operator: Caller;
  let a: { id: string; slug: string; admin: Caller; steward: Caller; analyst: Caller };
  let b: { id: string; slug: string; admin: Caller; analyst: Caller };

  beforeAll(async () => {
    node = await testNode(backend);
    operator = await signInAs(node.app, (await makeUser(node.ctx, { platformRoles: ['operator'] })).email);
    const team = async () => {
      const org = await makeOrganisation(node.ctx);
      const as = async (role: 'org_admin' | 'data_steward' | 'analyst') =>
        signInAs(node.app, (await makeUser(node.ctx, { organisationId: org.id, role })).email);
      return { id: org.id, slug: org.slug, admin: await as('org_admin'), steward: await as('data_steward'), analyst: await as('analyst') };
    };
    a = await team();
    b = await team();
  });
  afterAll(() => node.close());

  const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, caller: Caller | null, payload?: object) =>
    node.app.inject({ method, url, headers: caller?.headers ?? {}, ...(payload ? { payload } : {}) });
  const post = { title: 'Lancement de Littoral 21', body: 'Le projet **Littoral 21** démarre avec six partenaires du littoral.' };

  describe('news', () => {
    it('org admins publish for their organisation, the operator for the association; everyone reads, newest first', async () => {
      const older = await send('POST', '/api/v1/news', a.admin, {
        ...post,
        organisation: a.slug,
        publishedAt: new Date(Date.now() - 86_400_000).toISOString(),
      });
      expect(older.statusCode, older.body).toBe(201);
      expect(older.json()).toMatchObject({ organisation: { slug: a.slug }, can: { update: true, delete: true } });
      const association = await send('POST', '/api/v1/news', operator, { ...post, title: 'Nouvelle version de la charte' });
      expect(association.statusCode, association.body).toBe(201);
      expect(association.json<NewsBody>().organisation).toBeNull();

      const list = await node.app.inject({ url: '/api/v1/news' });
      expect(list.statusCode).toBe(200);
      const items = list.json<{ items: NewsBody[] }>().items;
      const ids = items.map((n) => n.id);
      expect(ids.indexOf(association.json<NewsBody>().id)).toBeLessThan(ids.indexOf(older.json<NewsBody>().id));
      expect(items.every((n) => !n.can.update && !n.can.delete)).toBe(true);
      const one = await node.app.inject({ url: `/api/v1/news/${older.json<NewsBody>().id}` });
      expect(one.json()).toMatchObject({ title: post.title, body: post.body });
    });

    it('refuses what is not theirs to publish, with French validation messages', async () => {
      expectError(await send('POST', '/api/v1/news', a.steward, { ...post, organisation: a.slug }), 403, 'forbidden');
      expectError(await send('POST', '/api/v1/news', a.admin, { ...post, organisation: b.slug }), 403, 'forbidden');
      // The association speaks through the operator only.
      expectError(await send('POST', '/api/v1/news', a.admin, post), 403, 'forbidden');
      expectError(await send('POST', '/api/v1/news', null, post), 401, 'unauthenticated');
      const short = await send('POST', '/api/v1/news', a.admin, { organisation: a.slug, title: 'x', body: 'court' });
      expectError(short, 400, 'validation_failed');
      expect(short.json<{ error: { message: string } }>().error.message).toMatch(/titre trop court/);
    });

    it('the author organisation’s admin or the operator edits and deletes; others may not', async () => {
      const created = (await send('POST', '/api/v1/news', a.admin, { ...post, organisation: a.slug })).json<NewsBody>();
      const url = `/api/v1/news/${created.id}`;
      expectError(await send('PATCH', url, b.admin, { title: 'Pris par B, vraiment' }), 403, 'forbidden');
      expectError(await send('PATCH', url, a.analyst, { title: 'Pris par un analyste' }), 403, 'forbidden');
      const edited = await send('PATCH', url, a.admin, { title: 'Littoral 21 est lancé' });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json()).toMatchObject({ title: 'Littoral 21 est lancé', body: post.body });
      const moderated = await send('PATCH', url, operator, { body: 'Texte revu par l’opérateur, pour la charte.' });
      expect(moderated.statusCode, moderated.body).toBe(200);
      expectError(await send('DELETE', url, b.admin), 403, 'forbidden');
      expect((await send('DELETE', url, a.admin)).statusCode).toBe(200);
      expectError(await node.app.inject({ url }), 404, 'not_found');
      const association = (await send('POST', '/api/v1/news', operator, post)).json<NewsBody>();
      expectError(await send('DELETE', `/api/v1/news/${association.id}`, a.admin), 403, 'forbidden');
    });

    it('keeps a scheduled post to its editors until its time', async () => {
      const later = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const scheduled = (
        await send('POST', '/api/v1/news', a.admin, { ...post, organisation: a.slug, publishedAt: later })
      ).json<NewsBody>();
      const publicList = (await node.app.inject({ url: '/api/v1/news?limit=100' })).json<{ items: NewsBody[] }>();
      expect(publicList.items.map((n) => n.id)).not.toContain(scheduled.id);
      expectError(await node.app.inject({ url: `/api/v1/news/${scheduled.id}` }), 404, 'not_found');
      const editors = (await node.app.inject({ url: '/api/v1/news?limit=100', headers: a.admin.headers })).json<{ items: NewsBody[] }>();
      expect(editors.items.map((n) => n.id)).toContain(scheduled.id);
    });
  });

  describe('the directory', () => {
    it('counts what each organisation shares, uses and needs, and details uses for members only', async () => {
      const before = await node.app.inject({ url: `/api/v1/network/organisations?organisations=${a.slug},${b.slug}` });
      expect(before.statusCode, before.body).toBe(200);
      const zero = { shares: 0, uses: 0, needs: 0 };
      expect(before.json<{ items: { slug: string; counts: object }[] }>().items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ slug: a.slug, counts: zero }),
          expect.objectContaining({ slug: b.slug, counts: zero }),
        ]),
      );

      const open = await publishTestDataset(node.app, a.steward.headers, a.slug, { accessLevel: 'open' });
      const members = await publishTestDataset(node.app, a.steward.headers, a.slug, { accessLevel: 'members' });
      await contractThrough(node, { steward: a.steward, analyst: b.analyst, dataset: members.slug, request: { organisation: b.slug } });
      const need = await send('POST', '/api/v1/needs', b.analyst, {
        organisation: b.slug,
        title: 'Qualité de l’air horaire',
        description: 'Mesures horaires de qualité de l’air par station, pour une étude épidémiologique.',
        domain: 'environment',
        purpose: 'dpv:AcademicResearch',
      });
      expect(need.statusCode, need.body).toBe(201);

      const after = (await node.app.inject({ url: '/api/v1/network/organisations' })).json<{ items: { slug: string; counts: object }[] }>();
      expect(after.items).toContainEqual(expect.objectContaining({ slug: a.slug, counts: { shares: 2, uses: 0, needs: 0 } }));
      expect(after.items).toContainEqual(expect.objectContaining({ slug: b.slug, counts: { shares: 0, uses: 1, needs: 1 } }));

      const publicProfile = await node.app.inject({ url: `/api/v1/network/organisations/${b.slug}` });
      expect(publicProfile.statusCode, publicProfile.body).toBe(200);
      expect(publicProfile.json()).toMatchObject({
        counts: { shares: 0, uses: 1, needs: 1 },
        uses: null,
        needs: [{ title: 'Qualité de l’air horaire' }],
      });
      const memberProfile = (await node.app.inject({ url: `/api/v1/network/organisations/${b.slug}`, headers: a.analyst.headers })).json<{
        uses: { slug: string; provider: { slug: string } }[];
      }>();
      expect(memberProfile.uses).toEqual([
        expect.objectContaining({ slug: members.slug, provider: expect.objectContaining({ slug: a.slug }) }),
      ]);
      const provider = (await node.app.inject({ url: `/api/v1/network/organisations/${a.slug}` })).json<{ shares: { slug: string }[] }>();
      expect(provider.shares.map((d) => d.slug).sort()).toEqual([open.slug, members.slug].sort());
      expectError(await node.app.inject({ url: '/api/v1/network/organisations/nulle-part' }), 404, 'not_found');
    });
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends';
import { expectError, makeOrganisation, makeUser, signInAs, testNode, tokenFor, type Caller, type TestNode } from './harness';

/** Airbus's real identity (demo/organisations-occitanie.csv). */
const AIRBUS = { siren: '383474814', vatNumber: 'FR89383474814' };
/** Région Occitanie's real SIREN and head-office SIRET. */
const REGION = { siren: '200053791', siret: '20005379100014', vatNumber: 'FR75200053791' };

let counter = 0;
const slug = (base: string) => `${base}-${Date.now().toString(36)}-${counter++}`;

describe.each(backends())('members on %s', (backend) => {
  let node: TestNode;
  let operator: Caller;
  beforeAll(async () => {
    node = await testNode(backend);
    operator = await signInAs(node.app, (await makeUser(node.ctx, { platformRoles: ['operator'] })).email);
  });
  afterAll(() => node.close());

  /** The link is only in the e-mail: read it from the queued mail job (mail.test.ts covers delivery). */
  async function invitationSecretSentTo(email: string): Promise<string> {
    const job = await node.ctx.db
      .selectFrom('jobs')
      .select('payload')
      .where('kind', '=', 'mail.send')
      .where(sql<boolean>`payload->>'to' = ${email}`)
      .executeTakeFirstOrThrow();
    return /invitation\?token=([\w-]+)/.exec((job.payload as { text: string }).text)![1]!;
  }
  const whoAmI = (headers: Record<string, string>) => node.app.inject({ url: '/api/v1/auth/session', headers });
  /** Untyped on purpose: the tests send invalid bodies too. */
  const admit = (payload: Record<string, unknown>) =>
    node.app.inject({
      method: 'POST',
      url: '/api/v1/members',
      headers: operator.headers,
      payload: { slug: slug('org'), legalName: 'Organisation test', shortName: 'Test', category: 'company', ...payload },
    });

  /** An organisation with an admin and an analyst, both signed in. */
  async function team() {
    const org = await makeOrganisation(node.ctx);
    const adminUser = await makeUser(node.ctx, { organisationId: org.id, role: 'org_admin' });
    const analystUser = await makeUser(node.ctx, { organisationId: org.id, role: 'analyst' });
    return { org, admin: await signInAs(node.app, adminUser.email), analyst: await signInAs(node.app, analystUser.email) };
  }

  describe('admitting a member', () => {
    it('creates it with its URI and no members yet', async () => {
      const s = slug('airbus');
      const response = await admit({
        slug: s,
        legalName: 'AIRBUS',
        shortName: 'Airbus SAS',
        ...AIRBUS,
        nafCode: '30.30Z',
        domains: ['space'],
      });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({
        slug: s,
        uri: `http://confiance.test/organisations/${s}`,
        ...AIRBUS,
        memberCount: 0,
        status: 'active',
        domains: ['space'],
      });
    });

    it('refuses a SIREN already registered with 409 naming the field', async () => {
      const siren = '532867256'; // Qwant
      expect((await admit({ siren })).statusCode).toBe(201);
      const error = expectError(await admit({ siren }), 409, 'conflict');
      expect(error.details).toEqual({ field: 'siren' });
    });

    it('refuses a slug already taken with 409 naming the field', async () => {
      const s = slug('taken');
      expect((await admit({ slug: s })).statusCode).toBe(201);
      const error = expectError(await admit({ slug: s }), 409, 'conflict');
      expect(error.details).toEqual({ field: 'slug' });
    });

    it.each([
      ['a SIREN with a wrong check digit', { siren: '383474815' }, 'body.siren'],
      ['a SIRET with a wrong check digit', { siren: REGION.siren, siret: '20005379100015' }, 'body.siret'],
      ['a SIRET of another SIREN', { siren: AIRBUS.siren, siret: REGION.siret }, 'body.siret'],
      ['a VAT number of another SIREN', { siren: AIRBUS.siren, vatNumber: REGION.vatNumber }, 'body.vatNumber'],
      ['a VAT number with a wrong key', { siren: AIRBUS.siren, vatNumber: 'FR88383474814' }, 'body.vatNumber'],
      ['a NAF code in the wrong format', { nafCode: '3030Z' }, 'body.nafCode'],
      ['a Chorus Pro code on a company', { chorusServiceCode: 'SERVICE-1' }, 'body.chorusServiceCode'],
      ['an unknown domain', { domains: ['astrology'] }, 'body.domains.0'],
      ['a slug with capitals', { slug: 'Airbus' }, 'body.slug'],
    ])('refuses %s with 400 and the path of the field', async (_label, payload, path) => {
      const error = expectError(await admit(payload), 400, 'validation_failed');
      expect((error.details as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(path);
    });

    it('stores empty optional fields as null', async () => {
      const response = await admit({ siren: '', city: '' });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ siren: null, city: null });
    });
  });

  describe('editing a member’s identity', () => {
    let org: { slug: string };
    let admin: Caller;
    beforeAll(async () => {
      const t = await team();
      admin = t.admin;
      const response = await admit({ slug: slug('region'), ...REGION, city: 'Toulouse', domains: ['territory'], category: 'public_body' });
      org = response.json();
      const adminUser = await makeUser(node.ctx, { organisationId: response.json().id, role: 'org_admin' });
      admin = await signInAs(node.app, adminUser.email);
    });
    const patch = (payload: Record<string, unknown>, headers = admin.headers) =>
      node.app.inject({ method: 'PATCH', url: `/api/v1/members/${org.slug}`, headers, payload });

    it('changes only the fields sent', async () => {
      const response = await patch({ description: 'Collectivité territoriale' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        description: 'Collectivité territoriale',
        ...REGION,
        city: 'Toulouse',
        domains: ['territory'],
      });
      const reread = await node.app.inject({ url: `/api/v1/members/${org.slug}` });
      expect(reread.json()).toMatchObject({ ...REGION, city: 'Toulouse', domains: ['territory'] });
    });

    it('answers an empty patch with the organisation unchanged', async () => {
      const response = await patch({});
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ slug: org.slug, ...REGION });
    });

    it('clears a field sent empty', async () => {
      const response = await patch({ description: '' });
      expect(response.statusCode).toBe(200);
      expect(response.json().description).toBeNull();
    });

    it('re-checks that the SIRET still starts with the SIREN', async () => {
      const error = expectError(await patch({ siret: '38347481400017' }), 400, 'validation_failed');
      expect(error.details).toEqual({ issues: [expect.objectContaining({ path: 'body.siret' })] });
    });

    it('re-checks that the VAT number still matches the SIREN', async () => {
      const error = expectError(await patch({ siren: AIRBUS.siren, siret: null }), 400, 'validation_failed');
      expect(error.details).toEqual({ issues: [expect.objectContaining({ path: 'body.vatNumber' })] });
      const reread = await node.app.inject({ url: `/api/v1/members/${org.slug}` });
      expect(reread.json()).toMatchObject(REGION);
    });

    it('cannot change the slug, which URLs and URIs rely on', async () => {
      const error = expectError(await patch({ slug: 'renamed' }), 400, 'validation_failed');
      expect(error.message).toContain('slug');
    });

    it('is the operator’s right too, and no one else’s', async () => {
      expect((await patch({ city: 'Montpellier' }, operator.headers)).statusCode).toBe(200);
      const outsider = (await team()).admin;
      expectError(await patch({ city: 'Paris' }, outsider.headers), 403, 'forbidden');
    });
  });

  describe('the directory', () => {
    let prefix: string;
    beforeAll(async () => {
      prefix = slug('dir');
      const make = (s: string, overrides: Record<string, unknown>) => makeOrganisation(node.ctx, { slug: `${prefix}-${s}`, ...overrides });
      await make('herault', {
        legalName: 'Département de l’Hérault',
        shortName: 'Hérault',
        category: 'public_body',
        city: 'Montpellier',
        domains: ['territory'],
      });
      await make('meteo', {
        legalName: 'Météo-France',
        shortName: 'Météo-France',
        category: 'public_body',
        city: 'Saint-Mandé',
        domains: ['climate'],
      });
      await make('cnes', {
        legalName: 'Centre national d’études spatiales',
        shortName: 'CNES',
        category: 'public_body',
        siren: '775665912',
        domains: ['space', 'environment'],
      });
      await make('orange', { legalName: 'Orange', shortName: 'Orange SA', category: 'company', domains: ['digital'] });
      await make('um', {
        legalName: 'Université de Montpellier',
        shortName: 'UM',
        category: 'research',
        city: 'Montpellier',
        domains: ['research', 'health'],
      });
      const gone = await make('gone', { legalName: 'Ancien membre', shortName: 'Ancien', category: 'company' });
      await node.ctx.db.updateTable('organisations').set({ status: 'deactivated' }).where('id', '=', gone.id).execute();
      await node.app.confiance.syncCredentials();
    });
    const search = async (query: Record<string, string | number>) => {
      const response = await node.app.inject({
        url: '/api/v1/members',
        query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
      });
      expect(response.statusCode).toBe(200);
      const body = response.json<{ items: { slug: string }[]; total: number }>();
      return { slugs: body.items.map((o) => o.slug.replace(`${prefix}-`, '')), total: body.total };
    };

    it.each([
      ['herault', ['herault']],
      ['HÉRAULT', ['herault']],
      ['meteo', ['meteo']],
      ['Météo-France', ['meteo']],
      ['MÉTÉO', ['meteo']],
      ['etudes spatiales', ['cnes']],
      ['775665912', ['cnes']],
    ])('finds %j whatever its accents and case', async (q, expected) => {
      const { slugs } = await search({ q });
      expect(slugs.filter((s) => !s.includes('-'))).toEqual(expected);
    });

    it('searches the city too', async () => {
      const { slugs } = await search({ q: 'montpellier' });
      expect(slugs).toEqual(expect.arrayContaining(['herault', 'um']));
    });

    it('treats % and _ as plain characters', async () => {
      expect((await search({ q: '%' })).total).toBe(0);
      expect((await search({ q: '_' })).total).toBe(0);
    });

    it('filters by category and by domain', async () => {
      expect((await search({ q: prefix, category: 'research' })).slugs).toEqual(['um']);
      expect((await search({ q: prefix, domain: 'environment' })).slugs).toEqual(['cnes']);
      expect((await search({ q: prefix, category: 'public_body', domain: 'climate' })).slugs).toEqual(['meteo']);
    });

    it('leaves deactivated members out', async () => {
      expect((await search({ q: 'ancien membre' })).total).toBe(0);
    });

    it('pages through the results with the total on every page', async () => {
      const first = await search({ q: prefix, limit: 2, offset: 0 });
      const second = await search({ q: prefix, limit: 2, offset: 2 });
      const third = await search({ q: prefix, limit: 2, offset: 4 });
      const beyond = await search({ q: prefix, limit: 2, offset: 10 });
      expect([first.total, second.total, third.total, beyond.total]).toEqual([5, 5, 5, 5]);
      expect([first.slugs.length, second.slugs.length, third.slugs.length, beyond.slugs.length]).toEqual([2, 2, 1, 0]);
      expect(new Set([...first.slugs, ...second.slugs, ...third.slugs]).size).toBe(5);
    });

    it('refuses an unknown filter or an out-of-range page with 400', async () => {
      expectError(await node.app.inject({ url: '/api/v1/members?colour=blue' }), 400, 'validation_failed');
      expectError(await node.app.inject({ url: '/api/v1/members?limit=1000' }), 400, 'validation_failed');
      expectError(await node.app.inject({ url: '/api/v1/members?category=secret' }), 400, 'validation_failed');
    });
  });

  describe('people and roles', () => {
    it('lists the organisation’s people and their roles to its members', async () => {
      const { org, analyst } = await team();
      const response = await node.app.inject({ url: `/api/v1/members/${org.slug}/users`, headers: analyst.headers });
      expect(response.statusCode).toBe(200);
      expect(
        response
          .json()
          .items.map((m: { role: string }) => m.role)
          .sort(),
      ).toEqual(['analyst', 'org_admin']);
      expect(response.json().total).toBe(2);
    });

    it('lets an admin change a role', async () => {
      const { org, admin, analyst } = await team();
      const response = await node.app.inject({
        method: 'PATCH',
        url: `/api/v1/members/${org.slug}/users/${analyst.userId}`,
        headers: admin.headers,
        payload: { role: 'data_steward' },
      });
      expect(response.statusCode).toBe(200);
      expect((await whoAmI(analyst.headers)).json().memberships[0].role).toBe('data_steward');
    });

    describe('when only one admin is left', () => {
      it('cannot be demoted (409)', async () => {
        const { org, admin } = await team();
        const response = await node.app.inject({
          method: 'PATCH',
          url: `/api/v1/members/${org.slug}/users/${admin.userId}`,
          headers: operator.headers,
          payload: { role: 'analyst' },
        });
        expect(expectError(response, 409, 'conflict').details).toEqual({ field: 'role' });
      });

      it('cannot be removed, nor leave (409)', async () => {
        const { org, admin } = await team();
        expectError(
          await node.app.inject({ method: 'DELETE', url: `/api/v1/members/${org.slug}/users/${admin.userId}`, headers: operator.headers }),
          409,
          'conflict',
        );
        expectError(
          await node.app.inject({ method: 'DELETE', url: `/api/v1/members/${org.slug}/users/${admin.userId}`, headers: admin.headers }),
          409,
          'conflict',
        );
        expect((await whoAmI(admin.headers)).json().memberships).toHaveLength(1);
      });

      it('can step down once another admin is named', async () => {
        const { org, admin, analyst } = await team();
        const promote = await node.app.inject({
          method: 'PATCH',
          url: `/api/v1/members/${org.slug}/users/${analyst.userId}`,
          headers: admin.headers,
          payload: { role: 'org_admin' },
        });
        expect(promote.statusCode).toBe(200);
        const demote = await node.app.inject({
          method: 'PATCH',
          url: `/api/v1/members/${org.slug}/users/${admin.userId}`,
          headers: admin.headers,
          payload: { role: 'analyst' },
        });
        expect(demote.statusCode).toBe(200);
      });
    });
  });

  describe('when someone is removed from an organisation', () => {
    it('their sessions and tokens end on the very next request', async () => {
      const { org, admin, analyst } = await team();
      const token = await tokenFor(node.app, analyst, ['read']);
      expect((await whoAmI({ authorization: `Bearer ${token}` })).statusCode).toBe(200);

      const response = await node.app.inject({
        method: 'DELETE',
        url: `/api/v1/members/${org.slug}/users/${analyst.userId}`,
        headers: admin.headers,
      });
      expect(response.statusCode).toBe(200);

      expectError(await whoAmI(analyst.headers), 401, 'unauthenticated');
      expectError(await whoAmI({ authorization: `Bearer ${token}` }), 401, 'unauthenticated');
      const people = await node.app.inject({ url: `/api/v1/members/${org.slug}/users`, headers: admin.headers });
      expect(people.json().items.map((m: { userId: string }) => m.userId)).not.toContain(analyst.userId);
    });

    it('may be their own choice', async () => {
      const { org, analyst } = await team();
      const response = await node.app.inject({
        method: 'DELETE',
        url: `/api/v1/members/${org.slug}/users/${analyst.userId}`,
        headers: analyst.headers,
      });
      expect(response.statusCode).toBe(200);
      expectError(await whoAmI(analyst.headers), 401, 'unauthenticated');
    });

    it('is not someone an analyst can remove', async () => {
      const { org, admin, analyst } = await team();
      expectError(
        await node.app.inject({ method: 'DELETE', url: `/api/v1/members/${org.slug}/users/${admin.userId}`, headers: analyst.headers }),
        403,
        'forbidden',
      );
    });
  });

  describe('when the operator deactivates an organisation', () => {
    it('every member’s sessions and tokens end, and the directory no longer lists it', async () => {
      const { org, admin, analyst } = await team();
      const token = await tokenFor(node.app, admin, ['read', 'write']);
      const outsider = await team();

      const response = await node.app.inject({ method: 'POST', url: `/api/v1/members/${org.slug}/deactivate`, headers: operator.headers });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ slug: org.slug, status: 'deactivated' });

      expectError(await whoAmI(admin.headers), 401, 'unauthenticated');
      expectError(await whoAmI(analyst.headers), 401, 'unauthenticated');
      expectError(await whoAmI({ authorization: `Bearer ${token}` }), 401, 'unauthenticated');
      expect((await whoAmI(outsider.admin.headers)).statusCode).toBe(200);
      const directory = await node.app.inject({ url: '/api/v1/members', query: { q: org.slug } });
      expect(directory.json().total).toBe(0);
    });

    it('its pending invitations can no longer be accepted, and it takes no new ones', async () => {
      const { org, admin } = await team();
      const email = `late-${slug('x')}@example.test`;
      const invite = await node.app.inject({
        method: 'POST',
        url: `/api/v1/members/${org.slug}/invitations`,
        headers: admin.headers,
        payload: { email, role: 'analyst' },
      });
      expect(invite.statusCode).toBe(201);
      const token = await invitationSecretSentTo(email);
      expect((await node.app.inject({ url: `/api/v1/invitations/${token}` })).statusCode).toBe(200);

      expect(
        (await node.app.inject({ method: 'POST', url: `/api/v1/members/${org.slug}/deactivate`, headers: operator.headers })).statusCode,
      ).toBe(200);

      expectError(await node.app.inject({ url: `/api/v1/invitations/${token}` }), 410, 'invitation_used');
      const accept = await node.app.inject({
        method: 'POST',
        url: `/api/v1/invitations/${token}/accept`,
        payload: { displayName: 'Late', password: 'a long enough password' },
      });
      expectError(accept, 410, 'invitation_used');
      const again = await node.app.inject({
        method: 'POST',
        url: `/api/v1/members/${org.slug}/invitations`,
        headers: operator.headers,
        payload: { email: 'later@example.test', role: 'analyst' },
      });
      expectError(again, 404, 'not_found');
    });
  });

  describe('invitations', () => {
    it('lists pending invitations to the admin, never with their link', async () => {
      const { org, admin } = await team();
      const email = `Invitee-${slug('x')}@Example.test`;
      const created = await node.app.inject({
        method: 'POST',
        url: `/api/v1/members/${org.slug}/invitations`,
        headers: admin.headers,
        payload: { email, role: 'data_steward' },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ organisationId: org.id, email: email.toLowerCase(), role: 'data_steward', acceptedAt: null });
      expect(Date.parse(created.json().expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

      const list = await node.app.inject({ url: `/api/v1/members/${org.slug}/invitations`, headers: admin.headers });
      expect(list.json().items).toEqual([created.json()]);
      expect(list.body).not.toMatch(/token/i);
    });

    it('refuses to invite someone already in the organisation (409)', async () => {
      const { org, admin } = await team();
      const member = await makeUser(node.ctx, { organisationId: org.id, role: 'analyst' });
      const response = await node.app.inject({
        method: 'POST',
        url: `/api/v1/members/${org.slug}/invitations`,
        headers: admin.headers,
        payload: { email: member.email, role: 'org_admin' },
      });
      expect(expectError(response, 409, 'conflict').details).toEqual({ field: 'email' });
    });

    it('can be cancelled, and then leaves the list', async () => {
      const { org, admin } = await team();
      const created = await node.app.inject({
        method: 'POST',
        url: `/api/v1/members/${org.slug}/invitations`,
        headers: admin.headers,
        payload: { email: `cancel-${slug('x')}@example.test`, role: 'analyst' },
      });
      const id = created.json().id;
      expect(
        (await node.app.inject({ method: 'DELETE', url: `/api/v1/members/${org.slug}/invitations/${id}`, headers: admin.headers }))
          .statusCode,
      ).toBe(200);
      const list = await node.app.inject({ url: `/api/v1/members/${org.slug}/invitations`, headers: admin.headers });
      expect(list.json().total).toBe(0);
    });

    it('cannot be cancelled through another organisation', async () => {
      const a = await team();
      const b = await team();
      const created = await node.app.inject({
        method: 'POST',
        url: `/api/v1/members/${a.org.slug}/invitations`,
        headers: a.admin.headers,
        payload: { email: `cross-${slug('x')}@example.test`, role: 'analyst' },
      });
      const response = await node.app.inject({
        method: 'DELETE',
        url: `/api/v1/members/${b.org.slug}/invitations/${created.json().id}`,
        headers: b.admin.headers,
      });
      expectError(response, 404, 'not_found');
      const list = await node.app.inject({ url: `/api/v1/members/${a.org.slug}/invitations`, headers: a.admin.headers });
      expect(list.json().total).toBe(1);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends';
import { expectError, makeOrganisation, makeUser, publishTestDataset, signInAs, testNode, type Caller, type TestNode } from './harness';

interface NeedBody {
  id: string;
  status: string;
  answerCount: number;
  project: { id: string; title: string } | null;
  answers?: {
    organisation: { slug: string };
    kind: string;
    dataset: { slug: string } | null;
    expectedAt: string | null;
    message: string;
  }[];
  can: { answer: boolean; close: boolean; toProject: boolean };
}

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);

describe.each(backends())('needs board on %s', (backend) => {
  let node: TestNode;
  /** Toulouse-like organisation in need: an analyst posts, its admin may make a project. */
  let seeker: { slug: string; analyst: Caller; admin: Caller; analystId: string };
  /** Two providers, each with a steward; the first publishes a dataset. */
  let provider: { slug: string; steward: Caller; analyst: Caller; dataset: string };
  let other: { slug: string; steward: Caller };
  let stranger: Caller;

  beforeAll(async () => {
    node = await testNode(backend);
    const s = await makeOrganisation(node.ctx);
    const analystUser = await makeUser(node.ctx, { organisationId: s.id, role: 'analyst' });
    seeker = {
      slug: s.slug,
      analystId: analystUser.id,
      analyst: await signInAs(node.app, analystUser.email),
      admin: await signInAs(node.app, (await makeUser(node.ctx, { organisationId: s.id, role: 'org_admin' })).email),
    };
    const p = await makeOrganisation(node.ctx);
    const steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: p.id, role: 'data_steward' })).email);
    provider = {
      slug: p.slug,
      steward,
      analyst: await signInAs(node.app, (await makeUser(node.ctx, { organisationId: p.id, role: 'analyst' })).email),
      dataset: (await publishTestDataset(node.app, steward.headers, p.slug)).slug,
    };
    const o = await makeOrganisation(node.ctx);
    other = {
      slug: o.slug,
      steward: await signInAs(node.app, (await makeUser(node.ctx, { organisationId: o.id, role: 'data_steward' })).email),
    };
    stranger = await signInAs(node.app, (await makeUser(node.ctx)).email);
  });
  afterAll(() => node.close());

  const post = (url: string, caller: Caller | null, payload: object) =>
    node.app.inject({ method: 'POST', url, headers: caller?.headers ?? {}, payload });
  const validNeed = () => ({
    organisation: seeker.slug,
    title: 'Fréquentation des plages',
    description: 'Comptages de fréquentation des plages du littoral, par jour, pour dimensionner les navettes.',
    domain: 'tourism',
    territory: ['34', '66'],
    purpose: 'dpv:ServiceOptimisation',
    wantedBy: inAYear(),
  });
  async function postNeed(overrides: object = {}): Promise<NeedBody> {
    const response = await post('/api/v1/needs', seeker.analyst, { ...validNeed(), ...overrides });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<NeedBody>();
  }

  describe('posting a need', () => {
    it('any member of the organisation posts it; it is open and public', async () => {
      const need = await postNeed();
      expect(need).toMatchObject({ status: 'open', answerCount: 0, answers: [], project: null });
      const anonymous = await node.app.inject({ url: `/api/v1/needs/${need.id}` });
      expect(anonymous.statusCode).toBe(200);
      expect(anonymous.json()).toMatchObject({
        title: 'Fréquentation des plages',
        territory: ['34', '66'],
        purpose: 'dpv:ServiceOptimisation',
        organisation: { slug: seeker.slug },
        can: { answer: false, close: false, toProject: false },
      });
      const list = await node.app.inject({ url: `/api/v1/needs?organisation=${seeker.slug}&status=open&domain=tourism&q=plages` });
      expect(list.json<{ items: { id: string }[] }>().items.map((n) => n.id)).toContain(need.id);
      const elsewhere = await node.app.inject({ url: `/api/v1/needs?organisation=${seeker.slug}&domain=health` });
      expect(elsewhere.json<{ items: { id: string }[] }>().items.map((n) => n.id)).not.toContain(need.id);
    });

    it('refuses invalid needs with French messages naming the fields', async () => {
      const response = await post('/api/v1/needs', seeker.analyst, {
        ...validNeed(),
        title: 'x',
        territory: ['75'],
        purpose: 'dpv:Nothing',
      });
      expectError(response, 400, 'validation_failed');
      const paths = response.json<{ error: { details: { issues: { path: string }[] } } }>().error.details.issues.map((i) => i.path);
      expect(paths.some((p) => p.includes('title'))).toBe(true);
      expect(paths.some((p) => p.includes('territory'))).toBe(true);
      expect(response.json<{ error: { message: string } }>().error.message).toMatch(/titre trop court|territoire attendu/);
      const purpose = await post('/api/v1/needs', seeker.analyst, { ...validNeed(), purpose: 'dpv:Nothing' });
      expectError(purpose, 400, 'validation_failed');
      expect(purpose.json<{ error: { message: string } }>().error.message).toMatch(/finalité DPV inconnue/);
      const past = await post('/api/v1/needs', seeker.analyst, { ...validNeed(), wantedBy: '2020-01-01' });
      expectError(past, 400, 'validation_failed');
      expect(past.json<{ error: { message: string } }>().error.message).toMatch(/déjà passée/);
    });

    it('refuses a stranger posting for an organisation they do not belong to', async () => {
      expectError(await post('/api/v1/needs', stranger, validNeed()), 403, 'forbidden');
      expectError(await post('/api/v1/needs', provider.steward, validNeed()), 403, 'forbidden');
      expectError(await post('/api/v1/needs', null, validNeed()), 401, 'unauthenticated');
    });
  });

  describe('answering a need', () => {
    it('takes the three kinds of answer, tells the author, and marks the need answered', async () => {
      const need = await postNeed();
      const answered = await post(`/api/v1/needs/${need.id}/answers`, provider.steward, {
        organisation: provider.slug,
        kind: 'dataset',
        dataset: provider.dataset,
        message: 'Nos comptages couvrent ces plages.',
      });
      expect(answered.statusCode, answered.body).toBe(201);
      expect(answered.json()).toMatchObject({
        status: 'answered',
        answerCount: 1,
        answers: [{ kind: 'dataset', dataset: { slug: provider.dataset } }],
      });

      const plan = await post(`/api/v1/needs/${need.id}/answers`, other.steward, {
        organisation: other.slug,
        kind: 'plan',
        expectedAt: inAYear(),
      });
      expect(plan.statusCode, plan.body).toBe(201);
      expect(plan.json<NeedBody>().answers!.map((a) => a.kind)).toEqual(['dataset', 'plan']);

      const notifications = await node.app.inject({ url: '/api/v1/notifications', headers: seeker.analyst.headers });
      const kinds = notifications.json<{ items: { kind: string; link: string }[] }>().items.filter((n) => n.link === `/besoins/${need.id}`);
      expect(kinds.map((n) => n.kind)).toEqual(['need.answered', 'need.answered']);
    });

    it('a refusal needs a reason, and leaves the need open', async () => {
      const need = await postNeed();
      const bare = await post(`/api/v1/needs/${need.id}/answers`, provider.steward, { organisation: provider.slug, kind: 'refusal' });
      expectError(bare, 400, 'validation_failed');
      expect(bare.json<{ error: { message: string } }>().error.message).toMatch(/expliquez le refus/);
      const reasoned = await post(`/api/v1/needs/${need.id}/answers`, provider.steward, {
        organisation: provider.slug,
        kind: 'refusal',
        message: 'Ces comptages contiennent des données personnelles non agrégées.',
      });
      expect(reasoned.statusCode, reasoned.body).toBe(201);
      expect(reasoned.json()).toMatchObject({ status: 'open', answerCount: 1 });
    });

    it('checks what each kind requires', async () => {
      const need = await postNeed();
      const url = `/api/v1/needs/${need.id}/answers`;
      expectError(await post(url, provider.steward, { organisation: provider.slug, kind: 'dataset' }), 400, 'validation_failed');
      expectError(
        await post(url, provider.steward, { organisation: provider.slug, kind: 'dataset', dataset: 'nulle-part' }),
        400,
        'validation_failed',
      );
      // Someone else's dataset is not an answer of this organisation.
      const notTheirs = await post(url, other.steward, { organisation: other.slug, kind: 'dataset', dataset: provider.dataset });
      expectError(notTheirs, 400, 'validation_failed');
      expect(notTheirs.json<{ error: { message: string } }>().error.message).toMatch(/pas publié par votre organisation/);
      expectError(await post(url, provider.steward, { organisation: provider.slug, kind: 'plan' }), 400, 'validation_failed');
      expectError(
        await post(url, provider.steward, { organisation: provider.slug, kind: 'plan', expectedAt: '2020-01-01' }),
        400,
        'validation_failed',
      );
    });

    it('takes one answer per organisation: a second is a 409', async () => {
      const need = await postNeed();
      const url = `/api/v1/needs/${need.id}/answers`;
      const first = await post(url, provider.steward, { organisation: provider.slug, kind: 'plan', expectedAt: inAYear() });
      expect(first.statusCode, first.body).toBe(201);
      const second = await post(url, provider.steward, { organisation: provider.slug, kind: 'dataset', dataset: provider.dataset });
      expectError(second, 409, 'conflict');
      expect(second.json<{ error: { message: string } }>().error.message).toMatch(/déjà répondu/);
    });

    it('is for the provider’s stewards and admins only, never for the organisation in need', async () => {
      const need = await postNeed();
      const url = `/api/v1/needs/${need.id}/answers`;
      const answer = { organisation: provider.slug, kind: 'plan', expectedAt: inAYear() };
      expectError(await post(url, provider.analyst, answer), 403, 'forbidden');
      expectError(await post(url, stranger, answer), 403, 'forbidden');
      expectError(await post(url, other.steward, answer), 403, 'forbidden');
      expectError(await post(url, null, answer), 401, 'unauthenticated');
      expectError(await post(url, seeker.admin, { ...answer, organisation: seeker.slug }), 409, 'conflict');
      expectError(await post(`/api/v1/needs/${crypto.randomUUID()}/answers`, provider.steward, answer), 404, 'not_found');
    });
  });

  describe('closing and turning into a project', () => {
    it('the organisation closes its need; then it takes no answer', async () => {
      const need = await postNeed();
      expectError(await post(`/api/v1/needs/${need.id}/close`, provider.steward, {}), 403, 'forbidden');
      const closed = await post(`/api/v1/needs/${need.id}/close`, seeker.analyst, {});
      expect(closed.statusCode, closed.body).toBe(200);
      expect(closed.json()).toMatchObject({ status: 'closed', can: { close: false, answer: false } });
      expectError(await post(`/api/v1/needs/${need.id}/close`, seeker.analyst, {}), 409, 'conflict');
      const late = await post(`/api/v1/needs/${need.id}/answers`, provider.steward, {
        organisation: provider.slug,
        kind: 'plan',
        expectedAt: inAYear(),
      });
      expectError(late, 409, 'conflict');
      const open = await node.app.inject({ url: `/api/v1/needs?organisation=${seeker.slug}&status=open` });
      expect(open.json<{ items: { id: string }[] }>().items.map((n) => n.id)).not.toContain(need.id);
    });

    it('its admin turns it into a project led by the organisation, with the providers who offered data as partners', async () => {
      const need = await postNeed({ title: 'Mobilité côtière' });
      await post(`/api/v1/needs/${need.id}/answers`, provider.steward, {
        organisation: provider.slug,
        kind: 'dataset',
        dataset: provider.dataset,
      });
      await post(`/api/v1/needs/${need.id}/answers`, other.steward, {
        organisation: other.slug,
        kind: 'refusal',
        message: 'Nous ne collectons pas ces données sur ce territoire.',
      });
      // Projects are led by admins: the analyst who posted may close, not found a project.
      expectError(await post(`/api/v1/needs/${need.id}/project`, seeker.analyst, {}), 403, 'forbidden');
      const made = await post(`/api/v1/needs/${need.id}/project`, seeker.admin, {});
      expect(made.statusCode, made.body).toBe(200);
      const body = made.json<NeedBody>();
      expect(body.status).toBe('project');
      expect(body.project?.title).toBe('Mobilité côtière');
      const project = await node.app.inject({ url: `/api/v1/projects/${body.project!.id}`, headers: seeker.admin.headers });
      expect(project.statusCode, project.body).toBe(200);
      const projectBody = project.json<{ lead: { slug: string }; purpose: string; invited: { slug: string }[]; domains: string[] }>();
      expect(projectBody.lead.slug).toBe(seeker.slug);
      expect(projectBody.purpose).toBe('dpv:ServiceOptimisation');
      expect(projectBody.domains).toEqual(['tourism']);
      // The provider that offered a dataset is invited; the one that declined is not.
      expect(projectBody.invited.map((p) => p.slug)).toEqual([provider.slug]);
      // The analyst who posted the need hears that it became a project.
      const told = await node.app.inject({ url: '/api/v1/notifications', headers: seeker.analyst.headers });
      expect(told.json<{ items: { kind: string; link: string }[] }>().items).toContainEqual(
        expect.objectContaining({ kind: 'need.project', link: `/projets/${body.project!.id}` }),
      );
      expectError(await post(`/api/v1/needs/${need.id}/project`, seeker.admin, {}), 409, 'conflict');
      expectError(await post(`/api/v1/needs/${need.id}/close`, seeker.admin, {}), 409, 'conflict');
    });
  });
});

import type { ProjectDetailView, ProjectView } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends';
import {
  contractThrough,
  expectError,
  makeOrganisation,
  makeUser,
  publishTestDataset,
  signInAs,
  type Caller,
  type TestNode,
  testNode,
} from './harness';

/**
 * Projects (issue 10): a lead organisation's admin creates a project and invites partners with a
 * role; a partner becomes a party only once its admin accepts; the status follows idée → montage →
 * en cours → clos; requests made for the project, its contracts and the queries run under them
 * are its data flows.
 */
describe.each(backends())('projects on %s', (backend) => {
  let node: TestNode;
  const orgs = { lead: '', partner: '', outsider: '', provider: '' };
  const ids = { lead: '', partner: '', outsider: '' };
  let leadAdmin: Caller;
  let leadAnalyst: Caller;
  let partnerAdmin: Caller;
  let partnerAnalyst: Caller;
  let outsiderAdmin: Caller;
  let operator: Caller;
  let steward: Caller;
  let dataset: string;
  let project: string;
  let offer: string;

  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, caller: Caller, payload?: object) =>
    node.app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  const view = async (caller: Caller = leadAdmin) => {
    const response = await inject('GET', `/api/v1/projects/${project}`, caller);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ProjectDetailView>();
  };
  const list = async (query = '', caller: Caller = outsiderAdmin) => {
    const response = await inject('GET', `/api/v1/projects${query}`, caller);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: ProjectView[] }>().items.map((p) => p.title);
  };
  const notifications = async (caller: Caller) =>
    (await inject('GET', '/api/v1/notifications', caller)).json<{ items: { kind: string; title: string; link: string }[] }>().items;

  beforeAll(async () => {
    node = await testNode(backend);
    const lead = await makeOrganisation(node.ctx, { category: 'public_body', shortName: 'Région test' });
    const partner = await makeOrganisation(node.ctx, { category: 'research', shortName: 'Université test' });
    const outsider = await makeOrganisation(node.ctx, { category: 'company', shortName: 'Entreprise test' });
    const provider = await makeOrganisation(node.ctx, { category: 'public_body', shortName: 'Fournisseur test' });
    Object.assign(orgs, { lead: lead.slug, partner: partner.slug, outsider: outsider.slug, provider: provider.slug });
    Object.assign(ids, { lead: lead.id, partner: partner.id, outsider: outsider.id });
    const as = async (organisationId: string, role: 'org_admin' | 'analyst' | 'data_steward') =>
      signInAs(node.app, (await makeUser(node.ctx, { organisationId, role })).email);
    leadAdmin = await as(lead.id, 'org_admin');
    leadAnalyst = await as(lead.id, 'analyst');
    partnerAdmin = await as(partner.id, 'org_admin');
    partnerAnalyst = await as(partner.id, 'analyst');
    outsiderAdmin = await as(outsider.id, 'org_admin');
    steward = await as(provider.id, 'data_steward');
    operator = await signInAs(node.app, (await makeUser(node.ctx, { platformRoles: ['operator'] })).email);
    dataset = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'members' })).slug;
  });
  afterAll(() => node?.close());

  it('lets the lead’s admin create a project, inviting its partners, who are told', async () => {
    const created = await inject('POST', '/api/v1/projects', leadAdmin, {
      title: 'Littoral test',
      purpose: 'dpv:ServiceOptimisation',
      objective: 'Requalifier l’offre touristique du littoral.',
      leadOrganisation: orgs.lead,
      partners: [{ organisation: orgs.partner, role: 'data_user' }],
      domains: ['tourism', 'environment'],
      territory: ['66', '34', '34'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json<ProjectView>();
    project = body.id;
    expect(body).toMatchObject({
      status: 'idea',
      lead: { slug: orgs.lead },
      partners: [],
      invited: [{ slug: orgs.partner, role: 'data_user' }],
      domains: ['tourism', 'environment'],
      territory: ['34', '66'],
    });
    expect(await notifications(partnerAdmin)).toContainEqual(
      expect.objectContaining({ kind: 'project.invited', link: `/projets/${project}` }),
    );
    // Only the admins of the invited organisation are asked.
    expect((await notifications(partnerAnalyst)).filter((n) => n.kind === 'project.invited')).toEqual([]);
  });

  it('refuses invalid projects with French messages, and creation by a non-admin', async () => {
    const base = { title: 'Projet invalide', purpose: 'dpv:ServiceOptimisation', leadOrganisation: orgs.lead };
    const badTerritory = expectError(
      await inject('POST', '/api/v1/projects', leadAdmin, { ...base, territory: ['75'] }),
      400,
      'validation_failed',
    );
    expect(badTerritory.message).toContain('Occitanie');
    expectError(await inject('POST', '/api/v1/projects', leadAdmin, { ...base, purpose: 'dpv:Nimportequoi' }), 400, 'validation_failed');
    expectError(
      await inject('POST', '/api/v1/projects', leadAdmin, { ...base, partners: ['pas-une-organisation'] }),
      400,
      'validation_failed',
    );
    expectError(await inject('POST', '/api/v1/projects', leadAdmin, { ...base, domains: ['cuisine'] }), 400, 'validation_failed');
    expectError(
      await inject('POST', '/api/v1/projects', leadAdmin, { ...base, milestones: [{ title: 'Lancement', dueOn: '2026-02-30' }] }),
      400,
      'validation_failed',
    );
    expectError(await inject('POST', '/api/v1/projects', leadAnalyst, base), 403, 'forbidden');
    expectError(await inject('POST', '/api/v1/projects', outsiderAdmin, base), 403, 'forbidden');
  });

  it('lets parties (invited ones too) and the operator read it; lists it to every member, with filters', async () => {
    expect((await view(partnerAdmin)).title).toBe('Littoral test');
    expect((await view(operator)).title).toBe('Littoral test');
    expectError(await inject('GET', `/api/v1/projects/${project}`, outsiderAdmin), 403, 'forbidden');
    expect(await list()).toContain('Littoral test');
    expect(await list('?domain=tourism')).toContain('Littoral test');
    expect(await list('?domain=health')).not.toContain('Littoral test');
    expect(await list('?status=running')).not.toContain('Littoral test');
    expect(await list(`?organisation=${orgs.lead}`)).toContain('Littoral test');
    expect(await list('?q=LITTORAL')).toContain('Littoral test');
    expect(await list('?q=montagne')).not.toContain('Littoral test');
    // An invited partner is not a party yet.
    expect(await list(`?organisation=${orgs.partner}`)).not.toContain('Littoral test');
  });

  it('follows the lifecycle idée → montage → en cours → clos and refuses skipped steps', async () => {
    const move = (status: string, caller: Caller = leadAdmin) => inject('PATCH', `/api/v1/projects/${project}`, caller, { status });
    const skipped = expectError(await move('running'), 409, 'conflict');
    expect(skipped.message).toContain('« montage »');
    expectError(await move('setup', partnerAdmin), 403, 'forbidden');
    expect((await move('setup')).json<ProjectDetailView>().status).toBe('setup');
    expect((await move('running')).json<ProjectDetailView>().status).toBe('running');
    expectError(await move('idea'), 409, 'conflict');
    expectError(await move('finished'), 400, 'validation_failed');
  });

  it('keeps milestones, funding and deliverables, replaced list by list', async () => {
    const patched = await inject('PATCH', `/api/v1/projects/${project}`, leadAdmin, {
      milestones: [
        { title: 'Diagnostic', dueOn: '2026-03-31', done: true },
        { title: 'Plan d’action', dueOn: '2026-09-30' },
      ],
      funding: [{ call: 'FEDER 2026', funder: 'Union européenne', amount: 250000, status: 'submitted', submittedOn: '2026-01-15' }],
      deliverables: [{ title: 'Jeu de référence', kind: 'dataset', dataset }],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const body = patched.json<ProjectDetailView>();
    expect(body.milestones).toEqual([
      { title: 'Diagnostic', dueOn: '2026-03-31', done: true },
      { title: 'Plan d’action', dueOn: '2026-09-30', done: false },
    ]);
    expect(body.funding).toEqual([
      expect.objectContaining({ call: 'FEDER 2026', amount: 250000, status: 'submitted', submittedOn: '2026-01-15', decidedOn: null }),
    ]);
    expect(body.deliverables[0]).toMatchObject({ title: 'Jeu de référence', kind: 'dataset', dataset: { slug: dataset } });
    // A list not given stays; one given replaces.
    const again = (
      await inject('PATCH', `/api/v1/projects/${project}`, leadAdmin, { milestones: [{ title: 'Diagnostic', done: true }] })
    ).json<ProjectDetailView>();
    expect(again.milestones).toEqual([{ title: 'Diagnostic', dueOn: null, done: true }]);
    expect(again.funding).toHaveLength(1);
    expectError(
      await inject('PATCH', `/api/v1/projects/${project}`, leadAdmin, { deliverables: [{ title: 'Inconnu', dataset: 'pas-un-jeu' }] }),
      400,
      'validation_failed',
    );
    expectError(await inject('PATCH', `/api/v1/projects/${project}`, leadAdmin, {}), 400, 'validation_failed');
  });

  it('makes an invited partner a party once its admin accepts; others cannot answer for it', async () => {
    const accept = (org: string, caller: Caller) => inject('POST', `/api/v1/projects/${project}/partners/${org}/accept`, caller);
    expectError(await accept(orgs.partner, partnerAnalyst), 403, 'forbidden');
    expectError(await accept(orgs.partner, outsiderAdmin), 403, 'forbidden');
    expectError(await accept(orgs.partner, leadAdmin), 403, 'forbidden');
    const accepted = await accept(orgs.partner, partnerAdmin);
    expect(accepted.statusCode, accepted.body).toBe(200);
    const body = accepted.json<ProjectDetailView>();
    expect(body.partners).toEqual([expect.objectContaining({ slug: orgs.partner, role: 'data_user' })]);
    expect(body.invited).toEqual([]);
    expect(await list(`?organisation=${orgs.partner}`)).toContain('Littoral test');
    expect((await view(partnerAnalyst)).partners).toHaveLength(1);
    expect(await notifications(leadAdmin)).toContainEqual(expect.objectContaining({ kind: 'project.answered' }));
    // Answering twice: there is no invitation any more.
    expectError(await accept(orgs.partner, partnerAdmin), 404, 'not_found');
  });

  it('lets an invited organisation decline; strangers cannot invite; the lead cannot be removed', async () => {
    const invite = (caller: Caller, payload: object) => inject('POST', `/api/v1/projects/${project}/partners`, caller, payload);
    expectError(await invite(outsiderAdmin, { organisation: orgs.outsider }), 403, 'forbidden');
    expectError(await invite(partnerAdmin, { organisation: orgs.outsider }), 403, 'forbidden');
    expectError(await invite(leadAdmin, { organisation: orgs.partner }), 409, 'conflict');
    expectError(await invite(leadAdmin, { organisation: orgs.lead }), 409, 'conflict');
    expectError(await invite(leadAdmin, { organisation: orgs.outsider, role: 'lead' }), 400, 'validation_failed');
    const invited = await invite(leadAdmin, { organisation: orgs.outsider, role: 'data_provider' });
    expect(invited.statusCode, invited.body).toBe(201);
    expect(invited.json<ProjectDetailView>().invited).toEqual([expect.objectContaining({ slug: orgs.outsider, role: 'data_provider' })]);
    expectError(await invite(leadAdmin, { organisation: orgs.outsider }), 409, 'conflict');
    const declined = await inject('POST', `/api/v1/projects/${project}/partners/${orgs.outsider}/decline`, outsiderAdmin);
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json<ProjectDetailView>()).toMatchObject({ invited: [], declined: [expect.objectContaining({ slug: orgs.outsider })] });
    // Having declined, the outsider is no party: it no longer reads the project.
    expectError(await inject('GET', `/api/v1/projects/${project}`, outsiderAdmin), 403, 'forbidden');
    expectError(await inject('POST', `/api/v1/projects/${project}/partners/${orgs.outsider}/accept`, outsiderAdmin), 409, 'conflict');

    const removeLead = expectError(await inject('DELETE', `/api/v1/projects/${project}/partners/${orgs.lead}`, leadAdmin), 409, 'conflict');
    expect(removeLead.message).toContain('chef de file');
    expectError(await inject('DELETE', `/api/v1/projects/${project}/partners/${orgs.partner}`, partnerAdmin), 403, 'forbidden');
  });

  it('shows the requests made for it, its contracts and the queries run under them as data flows', async () => {
    const through = await contractThrough(node, {
      steward,
      analyst: leadAnalyst,
      dataset,
      request: { organisation: orgs.lead, project, purpose: 'dpv:ServiceOptimisation' },
    });
    const { contract, request } = through;
    offer = through.offer;
    const query = await inject('POST', `/api/v1/datasets/${dataset}/query?format=json`, leadAnalyst, {
      contract,
      groupBy: ['code_dep'],
      aggregates: [{ fn: 'count' }],
    });
    expect(query.statusCode, query.body).toBe(200);
    const { flows } = await view(partnerAnalyst);
    expect(flows.requests).toEqual([
      expect.objectContaining({ id: request, stage: 'agreed', dataset: expect.objectContaining({ slug: dataset }) }),
    ]);
    expect(flows.contracts).toEqual([
      expect.objectContaining({ id: contract, state: 'active', provider: expect.objectContaining({ slug: orgs.provider }) }),
    ]);
    expect(flows.queries).toBe(1);
    expect(flows.datasets.map((d) => d.slug)).toEqual([dataset]);
  });

  it('lets its parties’ admins and stewards attach datasets (open data without a contract), listed with how they are used', async () => {
    const open = (await publishTestDataset(node.app, steward.headers, orgs.provider, { accessLevel: 'open' })).slug;
    const attach = (caller: Caller, payload: object) => inject('POST', `/api/v1/projects/${project}/datasets`, caller, payload);
    // An analyst of a party, an organisation not party to it, a steward of the dataset's publisher (no party either): refused.
    expectError(await attach(partnerAnalyst, { dataset: open }), 403, 'forbidden');
    expectError(await attach(outsiderAdmin, { dataset: open }), 403, 'forbidden');
    expectError(await attach(steward, { dataset: open }), 403, 'forbidden');
    expectError(await attach(partnerAdmin, { dataset: 'pas-un-jeu-de-donnees' }), 400, 'validation_failed');
    const attached = await attach(partnerAdmin, { dataset: open, note: 'Pour la carte du littoral.' });
    expect(attached.statusCode, attached.body).toBe(201);
    const datasets = attached.json<ProjectDetailView>().flows.datasets;
    // Attached ones first; the contracted one keeps its contract and its queries.
    expect(datasets.map((d) => [d.slug, d.accessLevel, d.uses.map((u) => u.kind), d.queries])).toEqual([
      [open, 'open', ['open'], 0],
      [dataset, 'members', ['contract'], 1],
    ]);
    expect(datasets[0]!.attached).toMatchObject({ organisation: { slug: orgs.partner }, note: 'Pour la carte du littoral.' });
    expect(datasets[1]!.attached).toBeNull();
    const duplicate = expectError(await attach(leadAdmin, { dataset: open }), 409, 'conflict');
    expect(duplicate.message).toContain('déjà rattaché');

    // The lead's admin attaches the contracted dataset too: still used under its contract.
    expect((await attach(leadAdmin, { dataset })).statusCode).toBe(201);
    const listed = await inject('GET', `/api/v1/projects/${project}/datasets`, leadAnalyst);
    expect(listed.statusCode, listed.body).toBe(200);
    const items = listed.json<{ items: ProjectDetailView['flows']['datasets'] }>().items;
    expect(items.map((d) => [d.slug, d.attached !== null, d.uses.map((u) => `${u.kind}:${u.state ?? ''}`)])).toEqual([
      [open, true, ['open:']],
      [dataset, true, ['contract:active']],
    ]);
    expectError(await inject('GET', `/api/v1/projects/${project}/datasets`, outsiderAdmin), 403, 'forbidden');
    expect((await inject('GET', `/api/v1/projects/${project}/datasets`, operator)).statusCode).toBe(200);

    const detach = (caller: Caller, slug: string) => inject('DELETE', `/api/v1/projects/${project}/datasets/${slug}`, caller);
    expectError(await detach(leadAnalyst, open), 403, 'forbidden');
    expectError(await detach(outsiderAdmin, open), 403, 'forbidden');
    const detached = await detach(leadAdmin, open);
    expect(detached.statusCode, detached.body).toBe(200);
    expect(detached.json<ProjectDetailView>().flows.datasets.map((d) => d.slug)).toEqual([dataset]);
    expectError(await detach(leadAdmin, open), 404, 'not_found');
    // Detached, the contracted dataset stays in the flows through its contract.
    expect((await detach(partnerAdmin, dataset)).json<ProjectDetailView>().flows.datasets).toEqual([
      expect.objectContaining({ slug: dataset, attached: null }),
    ]);

    // The queries run under its contracts, per contract and the last ones, from the query log.
    const { flows } = await view(partnerAnalyst);
    expect(flows.queriesByContract).toEqual([
      expect.objectContaining({
        dataset: expect.objectContaining({ slug: dataset }),
        consumer: expect.objectContaining({ slug: orgs.lead }),
        count: 1,
      }),
    ]);
    expect(flows.recentQueries).toEqual([
      expect.objectContaining({
        dataset: expect.objectContaining({ slug: dataset }),
        mode: 'aggregate',
        organisation: expect.objectContaining({ slug: orgs.lead }),
      }),
    ]);
  });

  it('removes a partner: it is no party any more', async () => {
    const removed = await inject('DELETE', `/api/v1/projects/${project}/partners/${orgs.partner}`, leadAdmin);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json<ProjectDetailView>().partners).toEqual([]);
    expectError(await inject('GET', `/api/v1/projects/${project}`, partnerAnalyst), 403, 'forbidden');
    expect(await notifications(partnerAdmin)).toContainEqual(expect.objectContaining({ kind: 'project.removed' }));
    expectError(await inject('DELETE', `/api/v1/projects/${project}/partners/${orgs.partner}`, leadAdmin), 404, 'not_found');
  });

  it('once closed, takes no more requests', async () => {
    const closed = await inject('PATCH', `/api/v1/projects/${project}`, leadAdmin, { status: 'closed' });
    expect(closed.json<ProjectDetailView>().status).toBe('closed');
    const refused = expectError(
      await inject('POST', '/api/v1/requests', leadAnalyst, {
        offer,
        organisation: orgs.lead,
        project,
        purpose: 'dpv:ServiceOptimisation',
        durationMonths: 6,
        justification: 'Une dernière demande pour le projet clos.',
      }),
      400,
      'validation_failed',
    );
    expect(refused.message).toContain('est clos');
    expectError(await inject('POST', `/api/v1/projects/${project}/datasets`, leadAdmin, { dataset }), 409, 'conflict');
  });
});

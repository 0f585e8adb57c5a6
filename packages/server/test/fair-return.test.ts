import type { FairReturnView, OfferTermsInput, RevenueInput } from '@confiance/contract';
import { sql } from 'kysely';
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
 * Fair return (issue 9): a project led by a research laboratory holds contracts with two
 * providers; its analysts run real queries under them; the revenue it records is split between
 * the providers by their measured contribution (queries or rows, counted from the ledger's
 * completion entries at the latest checkpoint) or by a key the partners agreed.
 */

type Revenue = FairReturnView['revenues'][number];

describe.each(backends())('the fair return of a project on %s', (backend) => {
  let node: TestNode;
  let leadAdmin: Caller;
  let analyst: Caller;
  let partnerAnalyst: Caller;
  let outsiderAdmin: Caller;
  let operator: Caller;
  let project: string;
  const orgs = { lead: '', partner: '', health: '', stats: '', outsider: '' };
  const names = { health: '', stats: '' };
  const contracts = { health: '', stats: '' };
  const datasets = { health: '', stats: '' };

  const inject = (method: 'GET' | 'POST', url: string, caller: Caller, payload?: object) =>
    node.app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  const fairReturn = async (caller: Caller = leadAdmin) => {
    const response = await inject('GET', `/api/v1/projects/${project}/fair-return`, caller);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<FairReturnView>();
  };
  const addRevenue = async (input: RevenueInput) => {
    const response = await inject('POST', `/api/v1/projects/${project}/revenues`, leadAdmin, input);
    expect(response.statusCode, response.body).toBe(201);
    const view = response.json<FairReturnView>();
    return { view, revenue: view.revenues.find((r) => r.label === input.label)! };
  };
  const query = async (dataset: string, payload: object) => {
    const response = await inject('POST', `/api/v1/datasets/${dataset}/query?format=json`, analyst, payload);
    expect(response.statusCode, response.body).toBe(200);
  };
  const amounts = (revenue: Revenue) => Object.fromEntries(revenue.split!.shares.map((s) => [s.id, s.amount]));
  const sum = (revenue: Revenue) => revenue.split!.shares.reduce((s, x) => s + x.amount, 0);

  beforeAll(async () => {
    node = await testNode(backend);
    const lead = await makeOrganisation(node.ctx, { category: 'research' });
    const partner = await makeOrganisation(node.ctx, { category: 'research' });
    const outsider = await makeOrganisation(node.ctx, { category: 'company' });
    const health = await makeOrganisation(node.ctx, { category: 'public_body', shortName: 'Santé test' });
    const stats = await makeOrganisation(node.ctx, { category: 'public_body', shortName: 'Statistique test' });
    Object.assign(orgs, { lead: lead.slug, partner: partner.slug, health: health.slug, stats: stats.slug, outsider: outsider.slug });
    Object.assign(names, { health: 'Santé test', stats: 'Statistique test' });
    const as = async (organisationId: string, role: 'org_admin' | 'analyst' | 'data_steward') =>
      signInAs(node.app, (await makeUser(node.ctx, { organisationId, role })).email);
    leadAdmin = await as(lead.id, 'org_admin');
    analyst = await as(lead.id, 'analyst');
    partnerAnalyst = await as(partner.id, 'analyst');
    outsiderAdmin = await as(outsider.id, 'org_admin');
    operator = await signInAs(node.app, (await makeUser(node.ctx, { platformRoles: ['operator'] })).email);
    const created = await inject('POST', '/api/v1/projects', leadAdmin, {
      title: 'Observatoire de test : hospitalisations et population',
      purpose: 'dpv:ResearchAndDevelopment',
      leadOrganisation: lead.slug,
      partners: [partner.slug],
    });
    expect(created.statusCode, created.body).toBe(201);
    project = created.json<{ id: string }>().id;
    // The partner is invited; it becomes a party once its admin accepts.
    const partnerAdmin = await as(partner.id, 'org_admin');
    const accepted = await inject('POST', `/api/v1/projects/${project}/partners/${partner.slug}/accept`, partnerAdmin);
    expect(accepted.statusCode, accepted.body).toBe(200);

    const terms: OfferTermsInput = { template: 'members', uses: ['aggregate', 'rows'] };
    for (const side of ['health', 'stats'] as const) {
      const steward = await as(side === 'health' ? health.id : stats.id, 'data_steward');
      datasets[side] = (await publishTestDataset(node.app, steward.headers, orgs[side], { accessLevel: 'members' })).slug;
      contracts[side] = (
        await contractThrough(node, {
          steward,
          analyst,
          dataset: datasets[side],
          offer: { terms },
          request: { organisation: lead.slug, project },
        })
      ).contract;
    }
    // Three counts by département on the health data (3 rows each), one extract of 2 rows of the statistics.
    const count = { groupBy: ['code_dep'], aggregates: [{ fn: 'count' }] };
    for (let i = 0; i < 3; i++) await query(datasets.health, { contract: contracts.health, ...count });
    await query(datasets.stats, { contract: contracts.stats, columns: ['code_dep', 'valeur'], limit: 2 });
    await node.app.confiance.ledger.integrate();
  }, 60_000);
  afterAll(() => node?.close());

  it('counts each provider’s completed queries and delivered rows from the ledger', async () => {
    const view = await fairReturn();
    expect(view.project).toEqual({ id: project, title: 'Observatoire de test : hospitalisations et population' });
    const { rows } = await sql<{ contract: string; units: number }>`
      select public->>'contract' as contract, (public->>'units')::int as units from ledger_entries
      where type = 'query.completed' and public->>'contract' in (${contracts.health}, ${contracts.stats})`.execute(node.ctx.db);
    const rowsOf = (contract: string) => rows.filter((r) => r.contract === contract).reduce((s, r) => s + r.units, 0);
    expect(rowsOf(contracts.health)).toBe(9);
    expect(rowsOf(contracts.stats)).toBe(2);
    expect(view.contributions).toEqual([
      { provider: { slug: orgs.health, name: names.health }, datasets: [expect.any(String)], queries: 3, rows: 9, entries: 3 },
      { provider: { slug: orgs.stats, name: names.stats }, datasets: [expect.any(String)], queries: 1, rows: 2, entries: 1 },
    ]);
    expect(view.checkpoint.size).toBeGreaterThan(0);
    expect(view.revenues).toEqual([]);
  });

  it('splits a funding by queries served, to the cent, step by step', async () => {
    // 3 : 1 of 1 000,01 € — 750,0075 € and 250,0025 €; the odd cent goes to the larger remainder.
    const { revenue } = await addRevenue({
      label: 'Subvention régionale — appel à projets 2026',
      amount: 100_001,
      receivedOn: '2026-11-02',
      method: 'measured',
      measure: 'queries',
    });
    expect(revenue).toMatchObject({ amount: 100_001, receivedOn: '2026-11-02', method: 'measured', measure: 'queries', problem: null });
    expect(amounts(revenue)).toEqual({ [orgs.health]: 75_001, [orgs.stats]: 25_000 });
    expect(sum(revenue)).toBe(100_001);
    expect(revenue.split!.shares.map((s) => s.weight)).toEqual([3, 1]);
    const steps = revenue.split!.steps.map((s) => s.text);
    expect(steps[0]).toMatch(/^Utilisations relevées dans le journal : 4 entrées/);
    expect(steps.join('\n')).toContain('requêtes servies');
    expect(steps.at(-1)).toMatch(/^Résultat : Santé test 750,01.€, Statistique test 250,00.€ ; total 1.000,01.€\.$/);
  });

  it('splits a revenue by rows delivered, and keeps the split of earlier revenues', async () => {
    // 9 : 2 of 100 € — 81,818181… € and 18,181818… €.
    const { view, revenue } = await addRevenue({
      label: 'Vente d’une étude',
      amount: 10_000,
      receivedOn: '2026-11-20',
      method: 'measured',
      measure: 'rows',
    });
    expect(amounts(revenue)).toEqual({ [orgs.health]: 8182, [orgs.stats]: 1818 });
    expect(sum(revenue)).toBe(10_000);
    expect(revenue.split!.shares.map((s) => s.exact)).toEqual(['≈ 81,818181\u00a0€', '≈ 18,181818\u00a0€']);
    expect(view.revenues.map((r) => r.label)).toEqual(['Vente d’une étude', 'Subvention régionale — appel à projets 2026']);

    // Later queries count for later revenues, not for the money already split.
    await query(datasets.stats, { contract: contracts.stats, columns: ['code_dep', 'valeur'], limit: 2 });
    await node.app.confiance.ledger.integrate();
    const later = await fairReturn();
    expect(later.contributions[1]).toMatchObject({ queries: 2, rows: 4 });
    expect(amounts(later.revenues.find((r) => r.label === 'Vente d’une étude')!)).toEqual({ [orgs.health]: 8182, [orgs.stats]: 1818 });
  });

  it('splits by a key the partners agreed, which may name a partner', async () => {
    const { revenue } = await addRevenue({
      label: 'Prix de l’innovation ouverte',
      amount: 50_000,
      receivedOn: '2026-10-15',
      method: 'key',
      key: { [orgs.health]: '50', [orgs.stats]: '30', [orgs.partner]: '20' },
    });
    expect(revenue.measure).toBeNull();
    expect(amounts(revenue)).toEqual({ [orgs.health]: 25_000, [orgs.stats]: 15_000, [orgs.partner]: 10_000 });
    expect(revenue.split!.steps[1]!.text).toMatch(
      /^Clé convenue entre les partenaires : Santé test 50.%, Statistique test 30.%, org-\S+ 20.% ; total 100.%\.$/,
    );
  });

  it('refuses a key that does not total 100 % or names an unknown organisation, in French', async () => {
    const post = (key: Record<string, string>) =>
      inject('POST', `/api/v1/projects/${project}/revenues`, leadAdmin, {
        label: 'Clé fautive',
        amount: 1000,
        receivedOn: '2026-11-01',
        method: 'key',
        key,
      });
    const short = await post({ [orgs.health]: '60', [orgs.stats]: '30' });
    expectError(short, 400, 'validation_failed');
    expect(short.json<{ error: { message: string } }>().error.message).toContain('les parts convenues doivent totaliser 100');
    expect(short.json<{ error: { message: string } }>().error.message).toContain('elles totalisent 90');
    const stranger = await post({ [orgs.health]: '60', [orgs.outsider]: '40' });
    expectError(stranger, 400, 'validation_failed');
    expect(stranger.json<{ error: { message: string; details: { issues: { path: string }[] } } }>().error).toMatchObject({
      message: expect.stringContaining(`« ${orgs.outsider} » n’est ni un fournisseur des contrats du projet ni un partenaire`),
      details: { issues: [{ path: `key.${orgs.outsider}` }] },
    });
    const empty = await post({});
    expectError(empty, 400, 'validation_failed');
    const count = await node.ctx.db.selectFrom('project_revenues').select('id').where('label', '=', 'Clé fautive').execute();
    expect(count).toEqual([]);
  });

  it('refuses a measured split with no measured use, or in cells the log does not count', async () => {
    const cells = await inject('POST', `/api/v1/projects/${project}/revenues`, leadAdmin, {
      label: 'Par cellules',
      amount: 1000,
      receivedOn: '2026-11-01',
      method: 'measured',
      measure: 'cells',
    });
    expectError(cells, 400, 'validation_failed');
    expect(cells.json<{ error: { message: string } }>().error.message).toContain('cellules');

    const empty = await inject('POST', '/api/v1/projects', leadAdmin, {
      title: 'Projet sans contrat',
      purpose: 'dpv:ResearchAndDevelopment',
      leadOrganisation: orgs.lead,
    });
    const none = await inject('POST', `/api/v1/projects/${empty.json<{ id: string }>().id}/revenues`, leadAdmin, {
      label: 'Rien à mesurer',
      amount: 1000,
      receivedOn: '2026-11-01',
      method: 'measured',
      measure: 'queries',
    });
    expectError(none, 400, 'validation_failed');
    expect(none.json<{ error: { message: string } }>().error.message).toMatch(/aucun fournisseur/i);
  });

  it('lets the partners and the operator read it, and only the lead’s admin record a revenue', async () => {
    expect((await fairReturn(partnerAnalyst)).revenues).toHaveLength(3);
    expect((await fairReturn(operator)).revenues).toHaveLength(3);
    expect((await fairReturn(analyst)).contributions).toHaveLength(2);
    expectError(await inject('GET', `/api/v1/projects/${project}/fair-return`, outsiderAdmin), 403, 'forbidden');
    const input = { label: 'Tentative', amount: 1000, receivedOn: '2026-11-01', method: 'key', key: { [orgs.health]: '100' } };
    expectError(await inject('POST', `/api/v1/projects/${project}/revenues`, outsiderAdmin, input), 403, 'forbidden');
    expectError(await inject('POST', `/api/v1/projects/${project}/revenues`, analyst, input), 403, 'forbidden');
    expectError(await inject('POST', `/api/v1/projects/${project}/revenues`, partnerAnalyst, input), 403, 'forbidden');
  });

  it('records each revenue in the ledger, with its entry’s index on the row', async () => {
    const { rows } = await sql<{ tree_index: string | number; public: Record<string, unknown> }>`
      select tree_index, public from ledger_entries where type = 'project.revenue' and public->>'project' = ${project}
      order by tree_index`.execute(node.ctx.db);
    expect(rows.map((r) => r.public)).toEqual([
      expect.objectContaining({ amountCents: 100_001, method: 'measured', measure: 'queries' }),
      expect.objectContaining({ amountCents: 10_000, method: 'measured', measure: 'rows' }),
      expect.objectContaining({ amountCents: 50_000, method: 'key', measure: null }),
    ]);
    const stored = await node.ctx.db
      .selectFrom('project_revenues')
      .select(['id', 'ledger_index'])
      .where('project_id', '=', project)
      .orderBy('ledger_index')
      .execute();
    expect(stored.map((r) => [r.id, Number(r.ledger_index)])).toEqual(rows.map((r) => [r.public.revenue, Number(r.tree_index)]));
  });
});

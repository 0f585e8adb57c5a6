import { feeScheduleSchema, type OfferTermsInput } from '@confiance/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeStatement, recheckStatement, statementOf, updateSettings, type Statement } from '../src/modules/billing/index';
import { backends } from './backends';
import { contractThrough, makeOrganisation, makeUser, publishTestDataset, signInAs, type Caller, type TestNode, testNode } from './harness';

/**
 * Monthly statements (issue 9) computed only from the ledger's completion entries: real queries
 * under three priced contracts, the month's statement for the consumer and the provider, its lines
 * citing exactly those entries, and a re-check that passes and catches a tampered line.
 */

const thisMonth = () => new Date().toISOString().slice(0, 7);

describe.each(backends())('monthly statements from the ledger on %s', (backend) => {
  let node: TestNode;
  let steward: Caller;
  let analyst: Caller;
  let dataset: string;
  let provider: string;
  let consumer: string;
  const contracts = { perQuery: '', perRows: '', dp: '' };

  const query = async (payload: object, status = 200) => {
    const response = await node.app.inject({
      method: 'POST',
      url: `/api/v1/datasets/${dataset}/query?format=json`,
      headers: analyst.headers,
      payload,
    });
    expect(response.statusCode, response.body).toBe(status);
  };
  const contractFor = async (title: string, terms: OfferTermsInput) =>
    (await contractThrough(node, { steward, analyst, dataset, offer: { title, terms }, request: { organisation: consumer } })).contract;
  const completions = async () => {
    const { rows } = await sql<{ tree_index: string | number; type: string; contract: string; outcome: string | null }>`
      select tree_index, type, public->>'contract' as contract, details->>'outcome' as outcome from ledger_entries
      where type in ('query.completed', 'query.refused') and public->>'consumer' = ${consumer} order by tree_index`.execute(node.ctx.db);
    return rows.map((r) => ({ index: Number(r.tree_index), type: r.type, contract: r.contract, outcome: r.outcome }));
  };
  const lineOf = (statement: Statement, contract: string) => statement.lines.find((l) => l.contract === contract)!;

  beforeAll(async () => {
    node = await testNode(backend);
    const p = await makeOrganisation(node.ctx, { category: 'public_body' });
    const c = await makeOrganisation(node.ctx, { category: 'research' });
    provider = p.slug;
    consumer = c.slug;
    steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: p.id, role: 'data_steward' })).email);
    analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: c.id, role: 'analyst' })).email);
    dataset = (await publishTestDataset(node.app, steward.headers, provider, { accessLevel: 'members' })).slug;
    contracts.perQuery = await contractFor('Comptages à la requête', {
      template: 'members',
      uses: ['aggregate'],
      plan: { kind: 'per_query', price: 5 },
    });
    contracts.perRows = await contractFor('Lignes au volume', {
      template: 'members',
      uses: ['rows'],
      plan: { kind: 'per_units', unit: 'rows', price: 2000 },
    });
    contracts.dp = await contractFor('Comptages bruités payants', {
      template: 'dp_counts',
      uses: ['aggregate'],
      purposes: ['dpv:ResearchAndDevelopment'],
      privacy: { epsilon: '0.1', epsilonPerQuery: '0.1' },
      plan: { kind: 'per_query', price: 100 },
    });
    const count = { groupBy: ['code_dep'], aggregates: [{ fn: 'count' }] };
    for (let i = 0; i < 3; i++) await query({ contract: contracts.perQuery, ...count });
    await query({ contract: contracts.perRows, columns: ['code_dep', 'valeur'] });
    await query({ contract: contracts.perRows, columns: ['code_dep', 'valeur'], limit: 2 });
    await query({ contract: contracts.dp, ...count });
    // The budget is spent: this one is refused, and its completion entry says so.
    const refused = await node.app.inject({
      method: 'POST',
      url: `/api/v1/datasets/${dataset}/query?format=json`,
      headers: analyst.headers,
      payload: { contract: contracts.dp, ...count },
    });
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(400);
    // The association's fee, as the operator sets it: 5 % of each provider's net.
    const operator = await makeUser(node.ctx, { platformRoles: ['operator'] });
    await updateSettings(node.ctx, { userId: operator.id }, { fee: { percent: '5' } });
    await node.app.confiance.ledger.integrate();
  }, 60_000);
  afterAll(() => node.close());

  it('prices each contract’s queries and rows with its plan, citing exactly their completion entries', async () => {
    const statement = await computeStatement(node.ctx, { organisation: consumer, period: thisMonth(), role: 'consumer' });
    const logged = await completions();
    // The refused query (budget spent) was stopped before it started: it left no completion entry.
    const entries = logged.filter((e) => e.type === 'query.completed');
    expect(entries).toHaveLength(6);
    expect(statement.checkpoint.size).toBeGreaterThan(Math.max(...entries.map((e) => e.index)));
    expect(statement.checkpoint.root).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(statement.lines.flatMap((l) => l.entries).sort((a, b) => a - b)).toEqual(entries.map((e) => e.index));
    for (const line of statement.lines)
      expect(line.entries).toEqual(entries.filter((e) => e.contract === line.contract).map((e) => e.index));

    // 3 queries at 0,05 € (a research member: no category price, no discount in the plan).
    expect(lineOf(statement, contracts.perQuery)).toMatchObject({
      queries: 3,
      unbilledQueries: 0,
      units: 9,
      party: { category: 'research', member: true },
    });
    expect(lineOf(statement, contracts.perQuery).totals).toMatchObject({ net: 15, vat: 3, gross: 18 });
    // 3 + 2 rows at 20 € per 1 000 rows: 0,10 €.
    expect(lineOf(statement, contracts.perRows)).toMatchObject({ queries: 2, units: 5 });
    expect(lineOf(statement, contracts.perRows).totals).toMatchObject({ net: 10, vat: 2, gross: 12 });
    // One query delivered, one refused: only the first is charged, the refusal is not cited.
    expect(entries.filter((e) => e.contract === contracts.dp).map((e) => e.outcome)).toEqual(['completed']);
    expect(lineOf(statement, contracts.dp)).toMatchObject({
      queries: 1,
      unbilledQueries: 0,
      entries: [entries.find((e) => e.contract === contracts.dp)!.index],
    });
    expect(lineOf(statement, contracts.dp).totals.net).toBe(100);

    expect(statement.totals.net).toBe(statement.lines.reduce((s, l) => s + l.totals.net, 0));
    expect(statement.totals).toMatchObject({ net: 125, vat: 25, gross: 150 });
    // 5 % of 1,25 € = 0,0625 €, rounded to the cent.
    expect(statement.fees).toEqual([expect.objectContaining({ provider, base: 125, fee: 6 })]);
    expect(statement.feeTotal).toBe(6);
  });

  it('gives the provider the same lines, and nothing for another month', async () => {
    const asConsumer = await computeStatement(node.ctx, { organisation: consumer, period: thisMonth(), role: 'consumer' });
    const asProvider = await computeStatement(node.ctx, { organisation: provider, period: thisMonth(), role: 'provider' });
    expect(asProvider.lines).toEqual(asConsumer.lines);
    expect(asProvider.totals).toEqual(asConsumer.totals);
    expect((await computeStatement(node.ctx, { organisation: consumer, period: thisMonth(), role: 'provider' })).lines).toEqual([]);
    const empty = await computeStatement(node.ctx, { organisation: consumer, period: '2001-01', role: 'consumer' });
    expect(empty.lines).toEqual([]);
    expect(empty.totals).toMatchObject({ net: 0, vat: 0, gross: 0 });
    expect(empty.feeTotal).toBe(0);
  });

  it('re-checks against the ledger, and catches a tampered line or a left-out entry', async () => {
    const statement = await computeStatement(node.ctx, { organisation: consumer, period: thisMonth(), role: 'consumer' });
    expect(await recheckStatement(node.ctx, statement)).toMatchObject({ matches: true, differences: [] });

    const tampered: Statement = structuredClone(statement);
    const line = tampered.lines.find((l) => l.contract === contracts.perQuery)!;
    line.queries += 1;
    line.totals.net += 5;
    const caught = await recheckStatement(node.ctx, tampered);
    expect(caught.matches).toBe(false);
    expect(caught.differences.join('\n')).toContain(`Contrat ${contracts.perQuery} : queries 4 au relevé, 3 recalculé.`);
    expect(caught.differences.join('\n')).toContain('montant 20 c HT au relevé, 15 c HT recalculé');

    const elsewhere: Statement = structuredClone(statement);
    elsewhere.checkpoint.root = 'A'.repeat(43) + '=';
    const moved = await recheckStatement(node.ctx, elsewhere);
    expect(moved.matches).toBe(false);
    expect(moved.differences[0]).toMatch(/^Point de contrôle \d+ : racine A+= au relevé/);

    const shortened: Statement = structuredClone(statement);
    const dropped = shortened.lines[0]!.entries.pop()!;
    const missing = await recheckStatement(node.ctx, shortened);
    expect(missing.matches).toBe(false);
    expect(missing.differences).toContain(`Entrée ${dropped} : usage de la période non cité.`);
  });

  it('cites a refused or failed completion but charges nothing for it', () => {
    const use = {
      contract: contracts.perQuery,
      dataset,
      provider,
      consumer,
      offer: null,
      plan: null,
      partyType: 'research' as const,
      purpose: 'dpv:ResearchAndDevelopment',
      unit: 'rows' as const,
    };
    const at = (index: number, outcome: string | null, units: number) => ({
      index,
      type: 'query.completed' as const,
      time: `${thisMonth()}-02T00:00:00.000Z`,
      public: { ...use, query: `q${index}`, units },
      outcome,
    });
    const statement = statementOf(
      { organisation: consumer, period: thisMonth(), role: 'consumer' },
      { size: 10, root: '' },
      [at(1, 'completed', 3), at(2, 'failed', 0), at(3, 'refused', 0), at(4, null, 0)],
      new Map([
        [
          contracts.perQuery,
          { kind: 'per_query', price: 5, categoryPrices: {}, publicInterestPrice: null, memberDiscount: '0', vatRate: 'S-20' },
        ],
      ]),
      new Map([[consumer, { category: 'research', active: true }]]),
      { version: 0, schedule: feeScheduleSchema.parse({}) },
    );
    expect(statement.lines[0]).toMatchObject({ queries: 1, unbilledQueries: 3, units: 3, entries: [1, 2, 3, 4] });
    expect(statement.totals.net).toBe(5);
  });

  it('refuses a malformed period in French', async () => {
    await expect(computeStatement(node.ctx, { organisation: consumer, period: '2026-13', role: 'consumer' })).rejects.toThrow(/AAAA-MM/);
  });
});

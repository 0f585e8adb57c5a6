import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromUnits, MICRO, openBudget, PICO, readBudget, spendBudget, toUnits } from '../src/modules/access/budget';
import { backends } from './backends';
import { makeOrganisation, makeUser, publishTestDataset, signInAs, testNode, type TestNode } from './harness';

/**
 * Differential-privacy budgets: exact amounts, and no overspending when queries race for the last
 * of a budget — on PGlite and on PostgreSQL, where the spends really run side by side.
 */

describe('privacy amounts', () => {
  it.each([
    ['0.1', MICRO, 100_000n],
    ['1', MICRO, 1_000_000n],
    ['1.5', MICRO, 1_500_000n],
    ['0.000001', MICRO, 1n],
    ['1e-6', MICRO, 1n],
    ['2E1', MICRO, 20_000_000n],
    ['1e-9', PICO, 1000n],
    [0.1, MICRO, 100_000n],
    [3, MICRO, 3_000_000n],
  ] as const)('reads %s exactly', (text, scale, units) => {
    expect(toUnits(text, scale)).toBe(units);
    expect(toUnits(fromUnits(units, scale), scale)).toBe(units);
  });

  it.each([['-1'], ['abc'], ['0.0000001'], ['1e-7'], [''], ['1,5']])('refuses « %s » rather than rounding it', (text) => {
    expect(() => toUnits(text, MICRO)).toThrow(RangeError);
  });

  it('adds a tenth ten times to exactly one', () => {
    let total = 0n;
    for (let i = 0; i < 10; i++) total += toUnits('0.1', MICRO);
    expect(fromUnits(total, MICRO)).toBe('1');
  });
});

describe.each(backends())('privacy budgets on %s', (backend) => {
  let node: TestNode;
  const contracts: string[] = [];

  /** A contract through the real flow: the budget's row references it. */
  async function contract(): Promise<string> {
    const provider = await makeOrganisation(node.ctx, { category: 'public_body' });
    const consumer = await makeOrganisation(node.ctx, { category: 'research' });
    const steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: provider.id, role: 'data_steward' })).email);
    const analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: consumer.id, role: 'analyst' })).email);
    const dataset = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'members' })).slug;
    const offer = await node.app.inject({
      method: 'POST',
      url: `/api/v1/datasets/${dataset}/offers`,
      headers: steward.headers,
      payload: { title: 'Membres', agreement: 'automatic', terms: { template: 'members', uses: ['aggregate'] } },
    });
    const asked = await node.app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: analyst.headers,
      payload: {
        offer: offer.json<{ id: string }>().id,
        organisation: consumer.slug,
        purpose: 'dpv:AcademicResearch',
        durationMonths: 6,
        justification: 'Comptages sous confidentialité différentielle.',
      },
    });
    const id = asked.json<{ contract: string }>().contract;
    expect(id, asked.body).toBeTruthy();
    return id;
  }

  beforeAll(async () => {
    node = await testNode(backend);
    contracts.push(await contract(), await contract());
  });
  afterAll(() => node.close());

  it('opens a budget once: opening again keeps what was spent', async () => {
    const id = contracts[1]!;
    await openBudget(node.ctx.db, id, { epsilon: toUnits('1', MICRO), delta: 0n });
    expect((await spendBudget(node.ctx.db, id, { epsilon: toUnits('0.25', MICRO), delta: 0n })).ok).toBe(true);
    const again = await openBudget(node.ctx.db, id, { epsilon: toUnits('5', MICRO), delta: 0n });
    expect(again.total.epsilon).toBe(toUnits('1', MICRO));
    expect(again.remaining.epsilon).toBe(toUnits('0.75', MICRO));
  });

  it('never overspends when forty queries race for a budget of ten', async () => {
    const id = contracts[0]!;
    await openBudget(node.ctx.db, id, { epsilon: toUnits('1', MICRO), delta: toUnits('1e-6', PICO) });
    const cost = { epsilon: toUnits('0.1', MICRO), delta: toUnits('1e-7', PICO) };
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => spendBudget(node.ctx.db, id, cost)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(10);
    const state = (await readBudget(node.ctx.db, id))!;
    expect(state.spent).toEqual({ epsilon: toUnits('1', MICRO), delta: toUnits('1e-6', PICO) });
    expect(state.remaining).toEqual({ epsilon: 0n, delta: 0n });
    const refused = await spendBudget(node.ctx.db, id, { epsilon: 1n, delta: 0n });
    expect(refused).toMatchObject({ ok: false });
  });

  it('refuses a spend on δ alone when δ is used up, and costs nothing then', async () => {
    const id = contracts[1]!;
    const before = (await readBudget(node.ctx.db, id))!;
    const outcome = await spendBudget(node.ctx.db, id, { epsilon: 1n, delta: 1n });
    expect(outcome.ok).toBe(false);
    expect((await readBudget(node.ctx.db, id))!.spent).toEqual(before.spent);
  });

  it('has no budget for a contract that was never given one', async () => {
    expect(await spendBudget(node.ctx.db, '00000000-0000-4000-8000-000000000000', { epsilon: 1n, delta: 0n })).toEqual({
      ok: false,
      state: undefined,
    });
  });
});

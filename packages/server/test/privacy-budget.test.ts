import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromUnits, openBudget, readBudget, spendBudget } from '../src/modules/access/budget';
import { EPSILON_UNIT, parseDelta, parseEpsilon } from '../src/modules/access/dp';
import { backends } from './backends';
import { contractThrough, makeOrganisation, makeUser, publishTestDataset, signInAs, testNode, type TestNode } from './harness';

/**
 * Differential-privacy budgets: exact amounts, and no overspending when queries race for the last
 * of a budget — on PGlite and on PostgreSQL, where the spends really run side by side.
 */

describe('privacy amounts', () => {
  it.each([
    ['0.1', '0.1'],
    ['1', '1'],
    ['1.50', '1.5'],
    ['1e-6', '0.000001'],
  ])('reads ε %s exactly and writes it back as %s', (text, shown) => {
    expect(fromUnits(parseEpsilon(text), EPSILON_UNIT)).toBe(shown);
  });

  it('adds a tenth ten times to exactly one', () => {
    let total = 0n;
    for (let i = 0; i < 10; i++) total += parseEpsilon('0.1');
    expect(fromUnits(total, EPSILON_UNIT)).toBe('1');
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
    return (await contractThrough(node, { steward, analyst, dataset, request: { organisation: consumer.slug } })).contract;
  }

  beforeAll(async () => {
    node = await testNode(backend);
    contracts.push(await contract(), await contract());
  });
  afterAll(() => node.close());

  it('opens a budget once: opening again keeps what was spent', async () => {
    const id = contracts[1]!;
    await openBudget(node.ctx.db, id, { epsilonMicro: parseEpsilon('1'), deltaPico: 0n });
    expect((await spendBudget(node.ctx.db, id, { epsilonMicro: parseEpsilon('0.25'), deltaPico: 0n })).ok).toBe(true);
    const again = await openBudget(node.ctx.db, id, { epsilonMicro: parseEpsilon('5'), deltaPico: 0n });
    expect(again.total.epsilonMicro).toBe(parseEpsilon('1'));
    expect(again.remaining.epsilonMicro).toBe(parseEpsilon('0.75'));
  });

  it('never overspends when forty queries race for a budget of ten', async () => {
    const id = contracts[0]!;
    await openBudget(node.ctx.db, id, { epsilonMicro: parseEpsilon('1'), deltaPico: parseDelta('1e-6') });
    const cost = { epsilonMicro: parseEpsilon('0.1'), deltaPico: parseDelta('1e-7') };
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => spendBudget(node.ctx.db, id, cost)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(10);
    const state = (await readBudget(node.ctx.db, id))!;
    expect(state.spent).toEqual({ epsilonMicro: parseEpsilon('1'), deltaPico: parseDelta('1e-6') });
    expect(state.remaining).toEqual({ epsilonMicro: 0n, deltaPico: 0n });
    const refused = await spendBudget(node.ctx.db, id, { epsilonMicro: 1n, deltaPico: 0n });
    expect(refused).toMatchObject({ ok: false });
  });

  it('refuses a spend on δ alone when δ is used up, and costs nothing then', async () => {
    const id = contracts[1]!;
    const before = (await readBudget(node.ctx.db, id))!;
    const outcome = await spendBudget(node.ctx.db, id, { epsilonMicro: 1n, deltaPico: 1n });
    expect(outcome.ok).toBe(false);
    expect((await readBudget(node.ctx.db, id))!.spent).toEqual(before.spent);
  });

  it('has no budget for a contract that was never given one', async () => {
    expect(await spendBudget(node.ctx.db, '00000000-0000-4000-8000-000000000000', { epsilonMicro: 1n, deltaPico: 0n })).toEqual({
      ok: false,
      state: undefined,
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFact, recordFacts } from '../src/modules/ledger/index';
import { integrateBatch, lastIndex } from '../src/modules/ledger/integrate';
import { bytes, leafHash, StreamingTree } from '../src/modules/ledger/tree';
import { backends } from './backends';
import { testNode, type TestNode } from './harness';

/**
 * The batched appender and the integrator on both databases: `recordFacts` writes a batch in one
 * statement in the order given, with each entry's details and parties; integration in batches of
 * any size stores exactly the nodes and roots of the RFC 9162 tree built in one go.
 */

describe.each(backends())('ledger appends on %s', (backend) => {
  let node: TestNode;
  const db = () => node.ctx.db;
  const ledger = () => node.app.confiance.ledger;

  beforeAll(async () => {
    node = await testNode(backend);
  });
  afterAll(() => node.close());

  it('records a batch in the order given, each entry with its details and parties', async () => {
    const parties = ['a,b', 'quote " and \\ backslash', 'NULL', '{brace}'];
    await db()
      .transaction()
      .execute((trx) =>
        recordFacts(
          trx,
          Array.from({ length: 40 }, (_, i) => ({
            type: 'vote.decided' as const,
            public: { vote: `batch-${i}`, subject: 'Lot', outcome: 'adopted' as const },
            details: { by: `user-${i}` },
            parties: i === 7 ? [...parties, 'NULL'] : [`org-${i}`],
          })),
        ),
      );
    await db()
      .transaction()
      .execute((trx) => recordFacts(trx, []));
    expect(await ledger().integrate()).toBe(40);
    const rows = await db()
      .selectFrom('ledger_entries as e')
      .select(['e.tree_index', 'e.public', 'e.time', 'e.parties', 'e.details'])
      .orderBy('e.tree_index')
      .execute();
    expect(rows.map((r) => (r.public as { vote: string }).vote)).toEqual(Array.from({ length: 40 }, (_, i) => `batch-${i}`));
    expect(rows.map((r) => r.details)).toEqual(Array.from({ length: 40 }, (_, i) => ({ by: `user-${i}` })));
    expect(rows[7]!.parties).toEqual(parties);
    expect(rows[8]!.parties).toEqual(['org-8']);
    expect(new Set(rows.map((r) => r.time)).size).toBe(1);
    expect(await ledger().verify()).toEqual({ ok: true, size: 40 });
  });

  it('writes nothing of a batch holding a malformed fact', async () => {
    const bad = { type: 'vote.decided', public: { vote: 'x', subject: 'Lot', outcome: 'maybe' } } as unknown as Parameters<
      typeof recordFact
    >[1];
    await expect(
      db()
        .transaction()
        .execute((trx) => recordFacts(trx, [{ type: 'vote.decided', public: { vote: 'ok', subject: 'Lot', outcome: 'adopted' } }, bad])),
    ).rejects.toThrow(/invalid public part for vote\.decided/);
    const before = await lastIndex(db());
    // A fact whose transaction fails afterwards (the fact itself was not made) gives its index back.
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await recordFacts(trx, [{ type: 'vote.decided', public: { vote: 'rolled-back', subject: 'Lot', outcome: 'adopted' } }]);
          throw new Error('the fact failed');
        }),
    ).rejects.toThrow('the fact failed');
    // Nothing written, and the next fact takes the very next index: no gap.
    expect(await lastIndex(db())).toBe(before);
    await recordFact(db(), { type: 'vote.decided', public: { vote: 'next', subject: 'Lot', outcome: 'adopted' } });
    expect(await lastIndex(db())).toBe(before + 1);
  });

  it('stores the same nodes and roots whatever the integration batches', async () => {
    for (let i = 0; i < 700; i++) {
      await recordFact(db(), { type: 'vote.decided', public: { vote: `one-${i}`, subject: 'Arbre', outcome: 'rejected' } });
    }
    const { signer, origin } = ledger();
    // Odd sizes that start and end on every kind of boundary (left siblings stored earlier, whole
    // subtrees closed at once, a batch of a single leaf).
    for (const size of [1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 255, 256, 1000]) {
      await integrateBatch(db(), signer, origin, size);
    }
    const leaves = await db().selectFrom('ledger_entries').select(['tree_index', 'leaf']).orderBy('tree_index').execute();
    expect(leaves.map((l) => Number(l.tree_index))).toEqual(leaves.map((_, i) => i));
    const expected = new Map<string, string>();
    const roots = new Map<number, string>();
    const tree = new StreamingTree();
    for (const { leaf } of leaves) {
      tree.push(leafHash(bytes(leaf)), (level, index, hash) => expected.set(`${level}/${index}`, hash.toString('hex')));
      roots.set(tree.size, tree.root().toString('hex'));
    }
    const stored = await db().selectFrom('ledger_nodes').select(['level', 'idx', 'hash']).execute();
    expect(new Map(stored.map((n) => [`${n.level}/${Number(n.idx)}`, bytes(n.hash).toString('hex')]))).toEqual(expected);
    const checkpoints = await db().selectFrom('ledger_checkpoints').select(['size', 'root']).orderBy('size').execute();
    expect(checkpoints.map((c) => Number(c.size))).toEqual([40, 41, 42, 44, 47, 52, 60, 73, 94, 128, 183, 272, 416, 671, 741]);
    for (const c of checkpoints) expect(bytes(c.root).toString('hex'), `root at ${c.size}`).toBe(roots.get(Number(c.size)));
    expect(await ledger().verify()).toEqual({ ok: true, size: 741 });
  });
});

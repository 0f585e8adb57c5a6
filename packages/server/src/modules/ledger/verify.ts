import { createHash } from 'node:crypto';
import { canonicalJson, parseVerifierKey, verifyNote } from '@confiance/contract';
import type { Executor } from '../../platform/context';
import { bytes, checkpointBody } from './integrate';
import { nodeCrypto } from './crypto';
import type { NoteSigner } from './keys';
import { leafHash, StreamingTree } from './tree';

/**
 * The node checks its own log at start-up (and `/ready` reports the verdict): every stored entry
 * must re-encode to its leaf bytes, leaves must be contiguous, every stored node must be the hash
 * of its children, every checkpoint's root must be the root of that prefix and carry a valid
 * signature of this node's key, and every kept detail must match its commitment. Anything changed,
 * deleted or reordered directly in the database shows here.
 */

export type LedgerVerdict = { ok: true; size: number } | { ok: false; size: number; problem: string };

const PAGE = 5_000;

export async function verifyLedger(db: Executor, signer: NoteSigner, origin: string): Promise<LedgerVerdict> {
  const checkpoints = (await db.selectFrom('ledger_checkpoints').selectAll().orderBy('size').execute()).map((c) => ({
    size: Number(c.size),
    root: bytes(c.root),
    note: c.note,
  }));
  const latest = checkpoints[checkpoints.length - 1];
  const size = latest?.size ?? 0;
  const fail = (problem: string): LedgerVerdict => ({ ok: false, size, problem });

  const key = await parseVerifierKey(nodeCrypto.sha256, signer.verifierKey);
  const signedByUs = async (note: string, body: string) => {
    const opened = await verifyNote(nodeCrypto, note, [key]).catch(() => null);
    return opened?.body === body;
  };
  for (const c of checkpoints) {
    if (!(await signedByUs(c.note, checkpointBody(origin, c.size, c.root)))) {
      return fail(`le point de contrôle de taille ${c.size} n’est pas signé par la clé de ce nœud (ou son contenu a changé)`);
    }
  }

  const tree = new StreamingTree();
  const stored = new Map<string, Buffer>();
  let nextCheckpoint = 0;
  const checkRoot = (): string | null => {
    while (checkpoints[nextCheckpoint] && checkpoints[nextCheckpoint]!.size === tree.size) {
      if (!tree.root().equals(checkpoints[nextCheckpoint]!.root)) {
        return `la racine du point de contrôle de taille ${tree.size} ne correspond plus aux entrées`;
      }
      nextCheckpoint++;
    }
    return null;
  };
  const early = checkRoot();
  if (early) return fail(early);

  for (let from = 0; from < size; from += PAGE) {
    const entries = await db
      .selectFrom('ledger_entries as e')
      .select(['e.tree_index', 'e.type', 'e.time', 'e.public', 'e.commitment', 'e.leaf', 'e.salt', 'e.details'])
      .where('e.tree_index', '>=', from)
      .where('e.tree_index', '<', Math.min(from + PAGE, size))
      .orderBy('e.tree_index')
      .execute();
    const nodes = await db
      .selectFrom('ledger_nodes')
      .select(['level', 'idx', 'hash'])
      .where('level', '=', 0)
      .where('idx', '>=', from)
      .where('idx', '<', from + PAGE)
      .execute();
    for (const n of nodes) stored.set(String(n.idx), bytes(n.hash));
    for (const [offset, e] of entries.entries()) {
      const index = from + offset;
      if (Number(e.tree_index) !== index) return fail(`entrée ${index} absente ou déplacée`);
      const leaf = bytes(e.leaf);
      const expected = canonicalJson({ type: e.type, time: e.time, public: e.public, commitment: e.commitment });
      if (!leaf.equals(Buffer.from(expected, 'utf8')))
        return fail(`l’entrée ${index} a été modifiée (ses champs ne donnent plus sa feuille)`);
      if (e.salt !== null && e.details !== null) {
        const commitment = createHash('sha256').update(bytes(e.salt)).update(canonicalJson(e.details), 'utf8').digest('hex');
        if (commitment !== e.commitment) return fail(`les détails privés de l’entrée ${index} ne correspondent plus à leur engagement`);
      }
      const hash = leafHash(leaf);
      if (!stored.get(String(index))?.equals(hash)) return fail(`le hachage de la feuille ${index} stocké ne correspond pas`);
      stored.delete(String(index));
      tree.push(hash);
      const problem = checkRoot();
      if (problem) return fail(problem);
    }
    if (entries.length < Math.min(PAGE, size - from)) return fail(`entrées manquantes entre ${from} et ${Math.min(from + PAGE, size) - 1}`);
  }
  // Entries recorded since (not yet integrated) must still be a gapless run after the checkpoint.
  const stats = await db
    .selectFrom('ledger_entries')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('tree_index').as('last')])
    .executeTakeFirstOrThrow();
  const count = Number(stats.n);
  if (count < size || (count > 0 && Number(stats.last) !== count - 1)) {
    return fail(`la suite des entrées est rompue (${count} entrées, dernière position ${String(stats.last)})`);
  }
  const problem = await verifyInternalNodes(db, size);
  return problem ? fail(problem) : { ok: true, size };
}

/** Every stored node above the leaves must be the hash of its two children. */
async function verifyInternalNodes(db: Executor, size: number): Promise<string | null> {
  for (let level = 1; 2 ** level <= size; level++) {
    const count = Math.floor(size / 2 ** level);
    for (let from = 0; from < count; from += PAGE) {
      const [children, parents] = await Promise.all([
        db
          .selectFrom('ledger_nodes')
          .select(['idx', 'hash'])
          .where('level', '=', level - 1)
          .where('idx', '>=', 2 * from)
          .where('idx', '<', 2 * Math.min(from + PAGE, count))
          .orderBy('idx')
          .execute(),
        db
          .selectFrom('ledger_nodes')
          .select(['idx', 'hash'])
          .where('level', '=', level)
          .where('idx', '>=', from)
          .where('idx', '<', Math.min(from + PAGE, count))
          .orderBy('idx')
          .execute(),
      ]);
      const child = new Map(children.map((c) => [Number(c.idx), bytes(c.hash)]));
      if (parents.length !== Math.min(PAGE, count - from)) return `des nœuds du niveau ${level} manquent`;
      for (const p of parents) {
        const i = Number(p.idx);
        const left = child.get(2 * i);
        const right = child.get(2 * i + 1);
        if (!left || !right) return `des nœuds du niveau ${level - 1} manquent`;
        const expected = createHash('sha256')
          .update(Buffer.from([1]))
          .update(left)
          .update(right)
          .digest();
        if (!expected.equals(bytes(p.hash))) return `le nœud ${level}/${i} ne correspond pas à ses enfants`;
      }
    }
  }
  return null;
}

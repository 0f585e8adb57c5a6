import { createHash } from 'node:crypto';
import { canonicalJson, parseVerifierKey, verifyNote } from '@confiance/contract';
import { sql } from 'kysely';
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
    const to = Math.min(from + PAGE, size);
    const entries = await db
      .selectFrom('ledger_entries as e')
      .select(['e.tree_index', 'e.type', 'e.time', 'e.public', 'e.commitment', 'e.leaf', 'e.salt', 'e.details'])
      .where('e.tree_index', '>=', from)
      .where('e.tree_index', '<', to)
      .orderBy('e.tree_index')
      .execute();
    const stored = await nodesClosedBetween(db, from, to);
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
      // Every complete subtree this leaf closes, the leaf itself first, must be stored as computed.
      let mismatch: string | null = null;
      tree.push(leafHash(leaf), (level, i, hash) => {
        if (!mismatch && !stored.get(`${level}/${i}`)?.equals(hash)) {
          mismatch =
            level === 0
              ? `le hachage de la feuille ${i} stocké ne correspond pas`
              : `le nœud ${level}/${i} stocké ne correspond pas à ses enfants`;
        }
      });
      if (mismatch) return fail(mismatch);
      const problem = checkRoot();
      if (problem) return fail(problem);
    }
    if (entries.length < to - from) return fail(`entrées manquantes entre ${from} et ${to - 1}`);
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
  return { ok: true, size };
}

/**
 * The stored nodes the leaves [from, to) close: at each level, those whose last leaf is in the
 * range. Read once, in one query, and compared with what the leaves hash to: each stored node is
 * checked exactly once.
 */
async function nodesClosedBetween(db: Executor, from: number, to: number): Promise<Map<string, Buffer>> {
  const levels: number[] = [];
  const low: string[] = [];
  const high: string[] = [];
  for (let level = 0; 2 ** level <= to; level++) {
    const first = Math.ceil((from + 1) / 2 ** level) - 1;
    const last = Math.floor(to / 2 ** level) - 1;
    if (first > last) continue;
    levels.push(level);
    low.push(String(first));
    high.push(String(last));
  }
  const { rows } = await sql<{ level: number; idx: string | number; hash: Uint8Array }>`
    select n.level, n.idx, n.hash from ledger_nodes n
    join unnest(cast(${levels} as smallint[]), cast(${low} as bigint[]), cast(${high} as bigint[])) as r(level, low, high)
      on n.level = r.level and n.idx between r.low and r.high`.execute(db);
  return new Map(rows.map((n) => [`${n.level}/${Number(n.idx)}`, bytes(n.hash)]));
}

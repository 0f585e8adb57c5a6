import { sql } from 'kysely';
import type { Executor } from '../../platform/context';
import { bytes } from './tree';

/** Reads of the stored tree: complete-subtree hashes, entries, checkpoints. */

export async function readNodes(db: Executor, level: number, from: number, count: number): Promise<Buffer[]> {
  const rows = await db
    .selectFrom('ledger_nodes')
    .select(['idx', 'hash'])
    .where('level', '=', level)
    .where('idx', '>=', from)
    .where('idx', '<', from + count)
    .orderBy('idx')
    .execute();
  return rows.map((r) => bytes(r.hash));
}

/** A node reader for the prover: one query per proof, not one per hash. */
export async function nodeLookup(db: Executor, wanted: readonly { level: number; index: number }[]): Promise<Map<string, Buffer>> {
  return (await nodesAndRoot(db, wanted, null)).nodes;
}

/**
 * The stored nodes wanted and, in the same round trip, the signed root of the tree of `size` if
 * a checkpoint has that size: a proof then costs one query.
 */
export async function nodesAndRoot(
  db: Executor,
  wanted: readonly { level: number; index: number }[],
  size: number | null,
): Promise<{ nodes: Map<string, Buffer>; root: Buffer | undefined }> {
  if (wanted.length === 0 && size === null) return { nodes: new Map(), root: undefined };
  // Level -1 marks the checkpoint's root (tree levels start at 0).
  const rows = await sql<{ level: number; idx: string | number; hash: Uint8Array }>`
    select n.level, n.idx, n.hash from ledger_nodes n
    join (select unnest(cast(${wanted.map((w) => w.level)} as smallint[])) as level,
                 unnest(cast(${wanted.map((w) => String(w.index))} as bigint[])) as idx) w
      on n.level = w.level and n.idx = w.idx
    union all
    select -1, size, root from ledger_checkpoints where size = ${size}`.execute(db);
  const nodes = new Map<string, Buffer>();
  let root: Buffer | undefined;
  for (const r of rows.rows) {
    if (r.level === -1) root = bytes(r.hash);
    else nodes.set(`${r.level}/${Number(r.idx)}`, bytes(r.hash));
  }
  return { nodes, root };
}

export async function readLeaves(db: Executor, from: number, count: number): Promise<Buffer[]> {
  const rows = await db
    .selectFrom('ledger_entries')
    .select(['tree_index', 'leaf'])
    .where('tree_index', '>=', from)
    .where('tree_index', '<', from + count)
    .orderBy('tree_index')
    .execute();
  return rows.map((r) => bytes(r.leaf));
}

export async function checkpointAt(db: Executor, size: number) {
  const row = await db.selectFrom('ledger_checkpoints').selectAll().where('size', '=', size).executeTakeFirst();
  return row ? { size: Number(row.size), root: bytes(row.root), note: row.note, createdAt: row.created_at } : undefined;
}

export async function cosignaturesAt(db: Executor, size: number) {
  return db.selectFrom('ledger_cosignatures').select(['witness', 'time', 'line']).where('size', '=', size).orderBy('witness').execute();
}

/** Entries a signed checkpoint covers (newer ones have no proof yet). */
export function entryQuery(db: Executor) {
  return db
    .selectFrom('ledger_entries as e')
    .select(['e.tree_index', 'e.type', 'e.time', 'e.public', 'e.commitment', 'e.leaf', 'e.parties', 'e.salt', 'e.details'])
    .where('e.tree_index', '<', sql<number>`(select coalesce(max(size), 0) from ledger_checkpoints)`);
}
export type EntryRow = Awaited<ReturnType<ReturnType<typeof entryQuery>['executeTakeFirstOrThrow']>>;

import { formatCheckpoint, formatNote, formatSignatureLine, noteSigningInput, subtreeNodes } from '@confiance/contract';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database';
import type { Executor } from '../../platform/context';
import { nodeLookup as storedNodes } from './repository';
import type { NoteSigner } from './keys';
import { bytes, nodeHash, rootFromSubtrees } from './tree';

/**
 * Integration: the entries recorded since the last checkpoint have their leaf hashes and every
 * complete subtree they close stored, and a checkpoint of the new size is signed — all in one
 * transaction, under an advisory lock, so two nodes (or a crash half-way) can never leave a
 * half-built tree or a checkpoint without its nodes. `kill -9` at any point leaves the previous
 * state; the next run integrates the same entries again.
 */

/** Advisory lock key of the integrator (any constant unique to this use). */
const INTEGRATOR_LOCK = 0x636f6e66; // "conf"
const BATCH = 20_000;

export { bytes };

/** The checkpoint body (C2SP tlog-checkpoint): origin, size, base64 root, one per line. */
export function checkpointBody(origin: string, size: number, root: Uint8Array): string {
  return formatCheckpoint({ origin, size, root });
}

/** A signed note (C2SP signed-note): body, blank line, `— <name> <base64(key id ‖ signature)>`. */
export function signNote(body: string, signer: NoteSigner): string {
  const signature = signer.sign(noteSigningInput(body));
  return formatNote(body, [formatSignatureLine(signer.name, signer.keyId, signature)]);
}

/** Index of the last recorded entry (-1 when none): the sequence is the entries themselves. */
export async function lastIndex(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('ledger_entries')
    .select((eb) => eb.fn.max('tree_index').as('last'))
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? -1 : Number(row.last);
}

export async function latestCheckpoint(db: Executor) {
  const row = await db.selectFrom('ledger_checkpoints').selectAll().orderBy('size', 'desc').limit(1).executeTakeFirst();
  return row ? { size: Number(row.size), root: bytes(row.root), note: row.note, createdAt: row.created_at } : undefined;
}

/** Integrates up to one batch; returns the tree size after it. */
export async function integrateBatch(db: Db, signer: NoteSigner, origin: string, batch = BATCH): Promise<{ size: number; added: number }> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${INTEGRATOR_LOCK})`.execute(trx);
    const last = await latestCheckpoint(trx);
    const oldSize = last?.size ?? 0;
    // Entries are sequenced when recorded: those past the last checkpoint form a gapless run.
    // One statement stores their leaf hashes and returns them: the leaves never leave the database.
    const { rows: leaves } = await sql<{ idx: string | number; hash: Uint8Array }>`
      with pending as (
        select tree_index as idx, sha256(${LEAF_PREFIX} || leaf) as hash from ledger_entries
        where tree_index >= ${oldSize} and tree_index < ${oldSize + batch}),
      stored as (insert into ledger_nodes (level, idx, hash) select 0, idx, hash from pending)
      select idx, hash from pending order by idx`.execute(trx);
    leaves.forEach((leaf, i) => {
      if (Number(leaf.idx) !== oldSize + i) throw new Error(`ledger: entry ${oldSize + i} is missing from the sequence`);
    });
    if (leaves.length === 0 && last) return { size: oldSize, added: 0 };

    const newSize = oldSize + leaves.length;
    const closed = closedSubtrees(oldSize, newSize);
    // Stored nodes this batch needs: the left sibling of each level's first new node when that
    // sibling is older, and the new tree's complete subtrees that are older than the batch.
    const wanted = new Map<string, { level: number; index: number }>();
    for (const { level, from, to } of closed) {
      if (level > 0 && from < to && 2 * from < closed[level - 1]!.from) {
        wanted.set(`${level - 1}/${2 * from}`, { level: level - 1, index: 2 * from });
      }
    }
    // The complete subtrees the new tree is made of (binary decomposition of its size).
    const subtrees = subtreeNodes(0, newSize);
    for (const s of subtrees) if (s.index < closed[s.level]!.from) wanted.set(`${s.level}/${s.index}`, s);
    const old = await storedNodes(trx, [...wanted.values()]);

    // Level by level, every complete subtree the new leaves close.
    const levels: Buffer[][] = [leaves.map((l) => bytes(l.hash))];
    const node = (level: number, index: number): Buffer => {
      const fresh = levels[level]?.[index - closed[level]!.from];
      const hash = fresh ?? old.get(`${level}/${index}`);
      if (!hash) throw new Error(`ledger: missing node ${level}/${index}`);
      return hash;
    };
    const rows = { level: [] as number[], idx: [] as string[], hash: [] as string[] };
    for (let level = 1; level < closed.length; level++) {
      const { from, to } = closed[level]!;
      const hashes: Buffer[] = [];
      for (let i = from; i < to; i++) {
        const hash = nodeHash(node(level - 1, 2 * i), node(level - 1, 2 * i + 1));
        hashes.push(hash);
        rows.level.push(level);
        rows.idx.push(String(i));
        rows.hash.push(hash.toString('hex'));
      }
      levels.push(hashes);
    }
    const root = rootFromSubtrees(subtrees.map((s) => node(s.level, s.index)));

    if (rows.level.length > 0) {
      // Arrays rather than a multi-row VALUES: three parameters however many nodes.
      await sql`
        insert into ledger_nodes (level, idx, hash)
        select level, idx, decode(hash, 'hex')
        from unnest(cast(${rows.level} as smallint[]), cast(${rows.idx} as bigint[]), cast(${rows.hash} as text[])) as n(level, idx, hash)`.execute(
        trx,
      );
    }
    const note = signNote(checkpointBody(origin, newSize, root), signer);
    await trx.insertInto('ledger_checkpoints').values({ size: newSize, root, note }).execute();
    return { size: newSize, added: leaves.length };
  });
}

/** SHA-256(0x00 ‖ leaf) is the leaf hash (RFC 9162 §2.1.1): PostgreSQL computes it in place. */
const LEAF_PREFIX = sql`'\\x00'::bytea`;

/**
 * For each level, the indices [from, to) of the complete subtrees that exist at `newSize` but not
 * at `oldSize`, from the leaves (level 0) up to the highest level the new tree has.
 */
function closedSubtrees(oldSize: number, newSize: number): { level: number; from: number; to: number }[] {
  const out = [];
  for (let level = 0; 2 ** level <= newSize; level++) {
    out.push({ level, from: Math.floor(oldSize / 2 ** level), to: Math.floor(newSize / 2 ** level) });
  }
  return out;
}

/** Integrates everything pending (several batches if needed). */
export async function integrateAll(db: Db, signer: NoteSigner, origin: string): Promise<number> {
  for (;;) {
    const { size, added } = await integrateBatch(db, signer, origin);
    if (added < BATCH) return size;
  }
}

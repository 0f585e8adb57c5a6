import { formatCheckpoint, formatNote, formatSignatureLine, noteSigningInput } from '@confiance/contract';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database';
import type { Executor } from '../../platform/context';
import type { NoteSigner } from './keys';
import { completeSubtrees, leafHash, nodeHash, rootFromSubtrees } from './tree';

/**
 * Integration: pending entries get contiguous tree indices, every complete subtree they close is
 * stored, and a checkpoint of the new size is signed — all in one transaction, under an advisory
 * lock, so two nodes (or a crash half-way) can never leave a gap, a half-built tree or a
 * checkpoint without its nodes. `kill -9` at any point leaves the previous state; the next run
 * integrates the same entries again.
 */

/** Advisory lock key of the integrator (any constant unique to this use). */
const INTEGRATOR_LOCK = 0x636f6e66; // "conf"
const BATCH = 20_000;

export const bytes = (value: Uint8Array | Buffer): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(value));

/** The checkpoint body (C2SP tlog-checkpoint): origin, size, base64 root, one per line. */
export function checkpointBody(origin: string, size: number, root: Uint8Array): string {
  return formatCheckpoint({ origin, size, root });
}

/** A signed note (C2SP signed-note): body, blank line, `— <name> <base64(key id ‖ signature)>`. */
export function signNote(body: string, signer: NoteSigner): string {
  const signature = signer.sign(noteSigningInput(body));
  return formatNote(body, [formatSignatureLine(signer.name, signer.keyId.readUInt32BE(0), signature)]);
}

/** Reads stored complete-subtree hashes, with a cache for the nodes this batch makes. */
function nodeReader(db: Executor, fresh: Map<string, Buffer>) {
  return async (level: number, index: number): Promise<Buffer> => {
    const cached = fresh.get(`${level}/${index}`);
    if (cached) return cached;
    const row = await db.selectFrom('ledger_nodes').select('hash').where('level', '=', level).where('idx', '=', index).executeTakeFirst();
    if (!row) throw new Error(`ledger: missing node ${level}/${index}`);
    return bytes(row.hash);
  };
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
    const pending = await trx
      .selectFrom('ledger_entries')
      .select(['id', 'leaf'])
      .where('tree_index', 'is', null)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (pending.length === 0 && last) return { size: oldSize, added: 0 };

    const newSize = oldSize + pending.length;
    const fresh = new Map<string, Buffer>();
    const rows: { level: number; idx: number; hash: Buffer }[] = [];
    const put = (level: number, idx: number, hash: Buffer) => {
      fresh.set(`${level}/${idx}`, hash);
      rows.push({ level, idx, hash });
    };
    pending.forEach((p, i) => put(0, oldSize + i, leafHash(bytes(p.leaf))));
    const read = nodeReader(trx, fresh);
    // Complete subtrees closed by the new leaves, level by level: indices from the first one that
    // could not be complete before to the last one complete now.
    for (let level = 1; 2 ** level <= newSize; level++) {
      for (let i = Math.floor(oldSize / 2 ** level); i < Math.floor(newSize / 2 ** level); i++) {
        put(level, i, nodeHash(await read(level - 1, 2 * i), await read(level - 1, 2 * i + 1)));
      }
    }
    const root = rootFromSubtrees(await Promise.all(completeSubtrees(newSize).map((s) => read(s.level, s.index))));

    if (pending.length > 0) {
      await sql`
        update ledger_entries as e set tree_index = v.idx
        from (select unnest(cast(${pending.map((p) => String(p.id))} as bigint[])) as id,
                     unnest(cast(${pending.map((_, i) => String(oldSize + i))} as bigint[])) as idx) as v
        where e.id = v.id`.execute(trx);
      for (let i = 0; i < rows.length; i += 2000) {
        await trx
          .insertInto('ledger_nodes')
          .values(rows.slice(i, i + 2000))
          .execute();
      }
    }
    const note = signNote(checkpointBody(origin, newSize, root), signer);
    await trx.insertInto('ledger_checkpoints').values({ size: newSize, root, note }).execute();
    return { size: newSize, added: pending.length };
  });
}

/** Integrates everything pending (several batches if needed). */
export async function integrateAll(db: Db, signer: NoteSigner, origin: string): Promise<number> {
  for (;;) {
    const { size, added } = await integrateBatch(db, signer, origin);
    if (added < BATCH) return size;
  }
}

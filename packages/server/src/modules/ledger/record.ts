import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson, LEDGER_PUBLIC, type LedgerFact } from '@confiance/contract';
import type { Executor } from '../../platform/context';

/**
 * The one way a module records a fact: call it inside the transaction that makes the fact, so the
 * fact and its entry commit together or not at all. The entry gets its place in the tree a moment
 * later, when the integrator runs (a batch per checkpoint).
 *
 * Leaf bytes = JCS({ type, time, public, commitment }), where commitment = SHA-256(salt ‖ JCS(details)).
 */
export async function recordFact(db: Executor, fact: LedgerFact): Promise<void> {
  const parsed = LEDGER_PUBLIC[fact.type].safeParse(fact.public);
  // A malformed fact is a programming error in the recording module, never a user's mistake.
  if (!parsed.success) throw new Error(`ledger: invalid public part for ${fact.type}: ${parsed.error.message}`);
  const salt = randomBytes(32);
  const details = fact.details ?? {};
  const commitment = createHash('sha256').update(salt).update(canonicalJson(details), 'utf8').digest('hex');
  const time = new Date().toISOString();
  const leaf = Buffer.from(canonicalJson({ type: fact.type, time, public: parsed.data, commitment }), 'utf8');
  if (leaf.length > 0xffff) throw new Error(`ledger: ${fact.type} entry is ${leaf.length} bytes, over the 64 KiB of a tile bundle`);
  const { id } = await db
    .insertInto('ledger_entries')
    .values({
      type: fact.type,
      time,
      public: JSON.stringify(parsed.data),
      commitment,
      leaf,
      parties: [...new Set(fact.parties ?? [])],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('ledger_details')
    .values({ entry_id: id, salt, details: JSON.stringify(details) })
    .execute();
}

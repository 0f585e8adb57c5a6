import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson, LEDGER_PUBLIC, type LedgerFact } from '@confiance/contract';
import { sql } from 'kysely';
import type { Executor } from '../../platform/context';

/**
 * The one way a module records a fact: call it inside the transaction that makes the fact, so the
 * fact and its entry commit together or not at all. The entry gets its tree index there and then;
 * its hashes and the signed checkpoint that covers it follow when the integrator runs (in batches).
 * Record facts last in a transaction: the sequence lock is held from here to the commit.
 *
 * Leaf bytes = JCS({ type, time, public, commitment }), where commitment = SHA-256(salt ‖ JCS(details)).
 */
export async function recordFact(db: Executor, fact: LedgerFact): Promise<void> {
  await recordFacts(db, [fact]);
}

/**
 * Several facts of one transaction in one statement rather than one per fact: what a batched
 * appender uses. Their order in the tree is the order given.
 */
export async function recordFacts(db: Executor, facts: readonly LedgerFact[]): Promise<void> {
  if (facts.length === 0) return;
  const time = new Date().toISOString();
  // One draw from the CSPRNG for the whole batch: 32 fresh bytes per fact all the same.
  const salts = randomBytes(32 * facts.length);
  const entries = facts.map((fact, i) => entryOf(fact, time, salts.subarray(32 * i, 32 * i + 32)));
  const column = <T>(get: (e: (typeof entries)[number]) => T) => entries.map(get);
  // Columns as arrays (a fixed number of parameters, whatever the batch size, unlike a multi-row
  // VALUES), bytes as hex and JSON as text so that pg and PGlite pass them alike.
  // Sequencing: under a transaction-scoped advisory lock, held until this transaction ends, the
  // batch takes the indices after the last entry. Committed entries therefore always form a gapless
  // prefix, in commit order, and a rollback gives its indices back. The lock and the read of the
  // last index are two statements, so the read's snapshot sees the previous holder's commit.
  await sql`select pg_advisory_xact_lock(${SEQUENCE_LOCK})`.execute(db);
  await sql`
    with seq as (select coalesce(max(tree_index), -1) + 1 as first from ledger_entries),
    v as (
      select * from unnest(cast(${column((e) => e.type)} as text[]), cast(${column((e) => e.public)} as text[]),
                           cast(${column((e) => e.commitment)} as text[]), cast(${column((e) => e.leaf)} as text[]),
                           cast(${column((e) => e.parties)} as text[]), cast(${column((e) => e.salt)} as text[]),
                           cast(${column((e) => e.details)} as text[]))
        with ordinality as v(type, public, commitment, leaf, parties, salt, details, n))
    insert into ledger_entries (tree_index, type, time, public, commitment, leaf, parties, salt, details)
    select seq.first + v.n - 1, v.type, ${time}, cast(v.public as jsonb), v.commitment, decode(v.leaf, 'hex'),
           cast(v.parties as text[]), decode(v.salt, 'hex'), cast(v.details as jsonb)
    from v, seq`.execute(db);
}

/** Advisory lock key of the ledger's sequence (any constant unique to this use). */
const SEQUENCE_LOCK = 0x6c656467; // "ledg"

const arrayLiteral = (items: readonly string[]) => `{${items.map((item) => `"${item.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;

function entryOf(fact: LedgerFact, time: string, salt: Buffer) {
  const parsed = LEDGER_PUBLIC[fact.type].safeParse(fact.public);
  // A malformed fact is a programming error in the recording module, never a user's mistake.
  if (!parsed.success) throw new Error(`ledger: invalid public part for ${fact.type}: ${parsed.error.message}`);
  const details = canonicalJson(fact.details ?? {});
  const commitment = createHash('sha256').update(salt).update(details, 'utf8').digest('hex');
  const leaf = Buffer.from(canonicalJson({ type: fact.type, time, public: parsed.data, commitment }), 'utf8');
  if (leaf.length > 0xffff) throw new Error(`ledger: ${fact.type} entry is ${leaf.length} bytes, over the 64 KiB of a tile bundle`);
  return {
    type: fact.type,
    public: JSON.stringify(parsed.data),
    commitment,
    leaf: leaf.toString('hex'),
    parties: arrayLiteral([...new Set(fact.parties ?? [])]),
    salt: salt.toString('hex'),
    details,
  };
}

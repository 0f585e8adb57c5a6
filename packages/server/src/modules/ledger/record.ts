import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson, LEDGER_PUBLIC, type LedgerFact } from '@confiance/contract';
import { sql } from 'kysely';
import type { Executor } from '../../platform/context';

/**
 * The one way a module records a fact: call it inside the transaction that makes the fact, so the
 * fact and its entry commit together or not at all. The entry gets its place in the tree a moment
 * later, when the integrator runs (a batch per checkpoint).
 *
 * Leaf bytes = JCS({ type, time, public, commitment }), where commitment = SHA-256(salt ‖ JCS(details)).
 */
export async function recordFact(db: Executor, fact: LedgerFact): Promise<void> {
  await recordFacts(db, [fact]);
}

/**
 * Several facts of one transaction in one statement (entries and their details together) rather
 * than two per fact: what a batched appender uses. Their order in the tree is the order given.
 */
export async function recordFacts(db: Executor, facts: readonly LedgerFact[]): Promise<void> {
  if (facts.length === 0) return;
  const time = new Date().toISOString();
  // One draw from the CSPRNG for the whole batch: 32 fresh bytes per fact all the same.
  const salts = randomBytes(32 * facts.length);
  const entries = facts.map((fact, i) => entryOf(fact, time, salts.subarray(32 * i, 32 * i + 32)));
  const column = <T>(get: (e: (typeof entries)[number]) => T) => entries.map(get);
  // Columns as arrays (a fixed 8 parameters, whatever the batch size, unlike a multi-row VALUES),
  // bytes as hex and JSON as text so that pg and PGlite pass them alike. Details are matched to
  // their entry by commitment, which a fresh random salt makes unique, rather than trusting the
  // order of RETURNING.
  await sql`
    with v as (
      select * from unnest(cast(${column((e) => e.type)} as text[]), cast(${column((e) => e.public)} as text[]),
                           cast(${column((e) => e.commitment)} as text[]), cast(${column((e) => e.leaf)} as text[]),
                           cast(${column((e) => e.parties)} as text[]), cast(${column((e) => e.salt)} as text[]),
                           cast(${column((e) => e.details)} as text[]))
        with ordinality as v(type, public, commitment, leaf, parties, salt, details, n)),
    e as (
      insert into ledger_entries (type, time, public, commitment, leaf, parties)
      select type, ${time}, cast(public as jsonb), commitment, decode(leaf, 'hex'), cast(parties as text[])
      from v order by n
      returning id, commitment)
    insert into ledger_details (entry_id, salt, details)
    select e.id, decode(v.salt, 'hex'), cast(v.details as jsonb) from e join v on v.commitment = e.commitment`.execute(db);
}

/** A PostgreSQL array literal of strings, each quoted (so a comma, brace or "NULL" stays text). */
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

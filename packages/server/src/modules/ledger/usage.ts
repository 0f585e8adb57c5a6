import type { LedgerEntryType, LedgerPublic } from '@confiance/contract';
import { sql } from 'kysely';
import type { Executor } from '../../platform/context';
import { latestCheckpoint } from './integrate';
import { checkpointAt } from './repository';

/**
 * Reads of the metered uses (`query.completed`, `download`) for statements: only entries a signed
 * checkpoint covers, so every figure computed from them can be proved against that checkpoint.
 */

export const USAGE_ENTRY_TYPES = ['query.completed', 'download'] as const;
export type UsageEntryType = (typeof USAGE_ENTRY_TYPES)[number];

export interface UsageEntry {
  index: number;
  type: UsageEntryType;
  time: string;
  public: LedgerPublic<'query.completed'> | LedgerPublic<'download'>;
  /** `details.outcome` of a query (completed, refused, failed); null for a download or erased details. */
  outcome: string | null;
}

export interface CheckpointRef {
  size: number;
  /** Base64 of the root hash, as the checkpoint note prints it. */
  root: string;
}

/** The latest signed checkpoint, or null before the first one. */
export async function latestCheckpointRef(db: Executor): Promise<CheckpointRef | null> {
  const last = await latestCheckpoint(db);
  return last ? { size: last.size, root: last.root.toString('base64') } : null;
}

/** The signed checkpoint of this size, or null if the node signed none. */
export async function checkpointRefAt(db: Executor, size: number): Promise<CheckpointRef | null> {
  const at = await checkpointAt(db, size);
  return at ? { size: at.size, root: at.root.toString('base64') } : null;
}

const usageOf = (r: { tree_index: string | number; type: string; time: string; public: unknown; details: unknown }): UsageEntry => {
  const details = r.details as { outcome?: unknown } | null;
  return {
    index: Number(r.tree_index),
    type: r.type as UsageEntryType,
    time: r.time,
    public: r.public as UsageEntry['public'],
    outcome: typeof details?.outcome === 'string' ? details.outcome : null,
  };
};

/**
 * Metered uses where `organisation` (slug) is the consumer or the provider, recorded in
 * [from, to) (ISO times, compared as text: the ledger writes them all in the same UTC format),
 * below tree size `size`.
 */
export async function usageEntries(
  db: Executor,
  query: { organisation: string; role: 'consumer' | 'provider'; from: string; to: string; size: number },
): Promise<UsageEntry[]> {
  const rows = await db
    .selectFrom('ledger_entries')
    .select(['tree_index', 'type', 'time', 'public', 'details'])
    .where('type', 'in', [...USAGE_ENTRY_TYPES])
    .where('tree_index', '<', query.size)
    .where('time', '>=', query.from)
    .where('time', '<', query.to)
    .where(sql<string>`public->>${query.role}`, '=', query.organisation)
    .orderBy('tree_index')
    .execute();
  return rows.map(usageOf);
}

/**
 * Metered uses a statement counts alike — same contract, type, outcome, unit, and whether they
 * delivered units at all — with the indexes of their entries.
 */
export interface UsageGroup {
  type: UsageEntryType;
  /** As `UsageEntry.outcome`. */
  outcome: string | null;
  /**
   * The public fields of the group's first use: `contract` and `unit` are those of every use in it,
   * the others (dataset, parties, offer, party type) those of its first — what a statement reads.
   */
  public: Pick<UsageEntry['public'], 'contract' | 'dataset' | 'provider' | 'consumer' | 'offer' | 'partyType' | 'unit'>;
  /** Σ `public.units` of the group's uses. */
  units: number;
  /** The group's entries, in tree order. */
  indexes: number[];
}

/** One use as a group of one. */
export function usageGroupOf(e: UsageEntry): UsageGroup {
  const { contract, dataset, provider, consumer, offer, partyType, unit } = e.public;
  return {
    type: e.type,
    outcome: e.outcome,
    public: { contract, dataset, provider, consumer, offer, partyType, unit },
    units: e.public.units,
    indexes: [e.index],
  };
}

/**
 * The uses `usageEntries` reads, grouped in SQL: a month of a busy contract is millions of entries,
 * and reading each one's JSON into the node only to count it takes several times the aggregation
 * itself (bench/statements.ts). Each group still lists every one of its entries (as text, parsed
 * here), and the public part of its first entry is read back whole.
 */
export async function usageGroups(
  db: Executor,
  query: { organisation: string; role: 'consumer' | 'provider'; from: string; to: string; size: number },
): Promise<UsageGroup[]> {
  // A month of a busy provider is a million entries: grouping them sorts on disk under PostgreSQL's
  // default 4 MB of work memory. The statement's read gets more, for its own transaction only.
  if (!db.isTransaction) return db.transaction().execute((trx) => usageGroups(trx, query));
  await sql`set local work_mem = '64MB'`.execute(db);
  // The outcome is grouped on as JSON (one lookup per entry, not a type check and a second one)
  // and told apart from a non-string here, as `usageOf` does.
  const { rows } = await sql<{ type: UsageEntryType; outcome: unknown; units: string | number; indexes: string; public: unknown }>`
    with g as (
      select type, outcome, min(tree_index) as first, sum(units) as units, string_agg(cast(tree_index as text), ',') as indexes
      from (select tree_index, type, details->'outcome' as outcome, public->>'contract' as contract, public->>'unit' as unit,
                   cast(public->>'units' as bigint) as units
            from ledger_entries
            where type in (${sql.join([...USAGE_ENTRY_TYPES])}) and tree_index < ${query.size}
              and time >= ${query.from} and time < ${query.to} and public->>${query.role} = ${query.organisation}) e
      group by type, outcome, contract, unit, units > 0)
    select g.type, g.outcome, g.units, g.indexes, l.public from g join ledger_entries l on l.tree_index = g.first`.execute(db);
  return rows.map((r) => {
    const { contract, dataset, provider, consumer, offer, partyType, unit } = r.public as UsageEntry['public'];
    return {
      type: r.type,
      outcome: typeof r.outcome === 'string' ? r.outcome : null,
      public: { contract, dataset, provider, consumer, offer, partyType, unit },
      units: Number(r.units),
      indexes: ascending(indexesIn(r.indexes)),
    };
  });
}

/** The numbers of a comma-separated list of non-negative integers, without a string per number. */
function indexesIn(list: string): number[] {
  const out: number[] = [];
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list.charCodeAt(i);
    if (c === 44) {
      out.push(n);
      n = 0;
    } else n = n * 10 + c - 48;
  }
  if (list.length > 0) out.push(n);
  return out;
}

/** `indexes` in ascending order: usually already (a scan reads entries as they were appended), not after an erasure rewrote some. */
function ascending(indexes: number[]): number[] {
  for (let i = 1; i < indexes.length; i++) if (indexes[i]! < indexes[i - 1]!) return Array.from(Float64Array.from(indexes).sort());
  return indexes;
}

/** The metered uses at these indexes (others are left out: the caller compares what it gets). */
export async function usageEntriesAt(db: Executor, indexes: readonly number[], size: number): Promise<UsageEntry[]> {
  if (indexes.length === 0) return [];
  const rows = await db
    .selectFrom('ledger_entries')
    .select(['tree_index', 'type', 'time', 'public', 'details'])
    // One array parameter rather than one per index: a month of a busy contract cites more entries
    // than the 65 535 parameters a statement may have.
    .where(sql<boolean>`tree_index = any(cast(${`{${indexes.join(',')}}`} as bigint[]))`)
    .where('tree_index', '<', size)
    .where('type', 'in', [...USAGE_ENTRY_TYPES])
    .orderBy('tree_index')
    .execute();
  return rows.map(usageOf);
}

/** The metered uses under these contracts (ids), below tree size `size`, in tree order: a project's fair return. */
export async function contractUsageEntries(db: Executor, contracts: readonly string[], size: number): Promise<UsageEntry[]> {
  if (contracts.length === 0) return [];
  const rows = await db
    .selectFrom('ledger_entries')
    .select(['tree_index', 'type', 'time', 'public', 'details'])
    .where('type', 'in', [...USAGE_ENTRY_TYPES])
    .where('tree_index', '<', size)
    .where(sql<string>`public->>'contract'`, 'in', [...contracts])
    .orderBy('tree_index')
    .execute();
  return rows.map(usageOf);
}

/**
 * The tree index of the entry of this type whose public `field` names `value` (the fact's own id),
 * or null: what a module records next to its row after `recordFact`, in the same transaction.
 */
export async function factIndex(db: Executor, type: LedgerEntryType, field: string, value: string): Promise<number | null> {
  const row = await db
    .selectFrom('ledger_entries')
    .select('tree_index')
    .where('type', '=', type)
    .where(sql<string>`public->>${field}`, '=', value)
    .orderBy('tree_index', 'desc')
    .executeTakeFirst();
  return row ? Number(row.tree_index) : null;
}

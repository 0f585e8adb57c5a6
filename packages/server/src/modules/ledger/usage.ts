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

/** The metered uses at these indexes (others are left out: the caller compares what it gets). */
export async function usageEntriesAt(db: Executor, indexes: readonly number[], size: number): Promise<UsageEntry[]> {
  if (indexes.length === 0) return [];
  const rows = await db
    .selectFrom('ledger_entries')
    .select(['tree_index', 'type', 'time', 'public', 'details'])
    .where('tree_index', 'in', [...indexes])
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

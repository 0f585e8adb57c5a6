import { sql, type Kysely } from 'kysely';

/**
 * The ledger (RFC 9162 Merkle tree). Entries are written in the transaction of their fact with a
 * provisional `id`; the integrator gives them contiguous `tree_index` values in batches, stores the
 * hash of every complete subtree in `ledger_nodes` (level 0 = leaf hashes) and signs a checkpoint.
 * Private details live apart so that erasing them (details and salt) leaves the leaf intact.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ledger_entries (
      id bigserial primary key,
      tree_index bigint unique,
      type text not null,
      time text not null,
      public jsonb not null,
      commitment text not null check (commitment ~ '^[0-9a-f]{64}$'),
      leaf bytea not null,
      parties text[] not null default '{}'
    )`.execute(db);
  await sql`create index ledger_entries_pending on ledger_entries(id) where tree_index is null`.execute(db);
  await sql`create index ledger_entries_type on ledger_entries(type, tree_index)`.execute(db);
  await sql`
    create table ledger_details (
      entry_id bigint primary key references ledger_entries(id),
      salt bytea not null,
      details jsonb not null
    )`.execute(db);
  await sql`
    create table ledger_nodes (
      level smallint not null,
      idx bigint not null,
      hash bytea not null,
      primary key (level, idx)
    )`.execute(db);
  await sql`
    create table ledger_checkpoints (
      size bigint primary key,
      root bytea not null,
      note text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table ledger_cosignatures (
      size bigint not null references ledger_checkpoints(size),
      witness text not null,
      time bigint not null,
      line text not null,
      primary key (size, witness)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['ledger_cosignatures', 'ledger_checkpoints', 'ledger_nodes', 'ledger_details', 'ledger_entries']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}

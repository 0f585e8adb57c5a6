import { sql, type Kysely } from 'kysely';

/**
 * The ledger (RFC 9162 Merkle tree). Entries are sequenced — given their tree index — in the
 * transaction of their fact; the integrator then stores, in batches, the hash of every complete
 * subtree in `ledger_nodes` (level 0 = leaf hashes) and signs a checkpoint. Erasing private
 * details clears them and their salt and leaves the leaf intact.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ledger_entries (
      tree_index bigint primary key,
      type text not null,
      time text not null,
      public jsonb not null,
      commitment text not null check (commitment ~ '^[0-9a-f]{64}$'),
      leaf bytea not null,
      parties text[] not null default '{}',
      -- Private details and their salt; both null once erased (the leaf stays).
      salt bytea,
      details jsonb,
      check ((salt is null) = (details is null))
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
  for (const table of ['ledger_cosignatures', 'ledger_checkpoints', 'ledger_nodes', 'ledger_entries']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}

import { sql, type Kysely } from 'kysely';

/**
 * Queries computed on the data: one row per query, written when it starts (under the contract's
 * row lock, so that two racing queries cannot both take the last unit of a quota) and completed
 * with what was delivered. Refused attempts are kept too, for the security review; they count
 * against no quota.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table data_queries (
      id uuid primary key default gen_random_uuid(),
      dataset_id uuid not null references datasets(id),
      contract_id uuid references contracts(id),
      user_id uuid references users(id),
      organisation_id uuid references organisations(id),
      mode text not null check (mode in ('rows', 'aggregate', 'sql')),
      format text not null check (format in ('json', 'csv', 'parquet')),
      state text not null default 'running' check (state in ('running', 'completed', 'failed', 'refused')),
      refusal text,
      error text,
      delivered_rows bigint,
      cells_suppressed integer,
      started_at timestamptz not null default now(),
      completed_at timestamptz
    )`.execute(db);
  await sql`create index data_queries_contract on data_queries (contract_id, started_at) where contract_id is not null`.execute(db);
  await sql`create index data_queries_dataset on data_queries (dataset_id, started_at)`.execute(db);
}

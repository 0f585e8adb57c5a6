import { sql, type Kysely } from 'kysely';

/**
 * Pseudonymised joins (issue 8): a query over two contracted datasets counts against both
 * contracts' quotas and is listed under both; the second contract is kept beside the first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table data_queries add column join_contract_id uuid references contracts(id)`.execute(db);
  await sql`create index data_queries_join_contract on data_queries (join_contract_id, started_at) where join_contract_id is not null`.execute(
    db,
  );
}

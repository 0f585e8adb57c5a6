import { sql, type Kysely } from 'kysely';

/**
 * Cells released under a contract from aggregate-only data, for differencing protection: each is
 * the set of atoms (distinct combinations of the data's dimensions) it covers, run-length encoded
 * as text (`start,end,start,end…`), and its published value (null: masked). One history per
 * contract, table version and measure (`history_key`), numbered by `seq`; written in the same
 * transaction that checked them, under the contract's row lock. Nothing is ever removed: what was
 * released is what the consumer knows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table released_cells (
      contract_id uuid not null references contracts(id),
      history_key text not null,
      seq integer not null check (seq >= 0),
      atoms text not null,
      value double precision,
      query_id uuid not null references data_queries(id),
      released_at timestamptz not null default now(),
      primary key (contract_id, history_key, seq)
    )`.execute(db);
}

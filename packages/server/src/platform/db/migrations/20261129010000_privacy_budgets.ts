import { sql, type Kysely } from 'kysely';

/**
 * Differential-privacy budgets, one per contract: totals and what has been spent, in integer
 * micro-ε and pico-δ so that sums are exact (0.1 spent ten times is 1, not 0.9999999999999999).
 * A spend is one conditional UPDATE: two queries racing for the last of a budget cannot both get it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table privacy_budgets (
      contract_id uuid primary key references contracts(id),
      epsilon_total bigint not null check (epsilon_total > 0),
      epsilon_spent bigint not null default 0 check (epsilon_spent >= 0),
      delta_total bigint not null default 0 check (delta_total >= 0),
      delta_spent bigint not null default 0 check (delta_spent >= 0),
      updated_at timestamptz not null default now(),
      check (epsilon_spent <= epsilon_total),
      check (delta_spent <= delta_total)
    )`.execute(db);
}

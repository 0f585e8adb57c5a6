import { sql } from 'kysely';
import type { Executor } from '../../platform/context';
import type { PrivacyCost } from './dp';

/**
 * Differential-privacy budgets per contract (issue 8): ε (and δ for Gaussian noise) that each
 * query spends, never more than the contract's total. Amounts are exact integers — micro-ε and
 * pico-δ, parsed from decimal text by `dp.ts` (`parseEpsilon`, `parseDelta`), never through
 * floating point — so that budgets add up to the unit and "spent + cost ≤ total" means what it says.
 *
 * A spend is one conditional UPDATE whose WHERE clause carries the bound: the database decides,
 * row-locked, and two queries racing for the last of a budget cannot both get it (tested on
 * PGlite and PostgreSQL with concurrent spends). Basic sequential composition: costs add.
 */

export interface BudgetState {
  total: PrivacyCost;
  spent: PrivacyCost;
  remaining: PrivacyCost;
}

/** A unit count as decimal text (`1500000n`, EPSILON_UNIT → `1.5`): amounts are parsed by `dp.ts`. */
export function fromUnits(units: bigint, scale: bigint): string {
  const whole = units / scale;
  const fraction = (units % scale)
    .toString()
    .padStart(scale.toString().length - 1, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

const big = (v: string | number) => BigInt(v);

function stateOf(row: {
  epsilon_total: string | number;
  epsilon_spent: string | number;
  delta_total: string | number;
  delta_spent: string | number;
}): BudgetState {
  const total = { epsilonMicro: big(row.epsilon_total), deltaPico: big(row.delta_total) };
  const spent = { epsilonMicro: big(row.epsilon_spent), deltaPico: big(row.delta_spent) };
  return {
    total,
    spent,
    remaining: { epsilonMicro: total.epsilonMicro - spent.epsilonMicro, deltaPico: total.deltaPico - spent.deltaPico },
  };
}

/** Opens a contract's budget (idempotent: a budget once opened keeps what was spent). */
export async function openBudget(db: Executor, contractId: string, total: PrivacyCost): Promise<BudgetState> {
  if (total.epsilonMicro <= 0n) throw new RangeError('un budget ε est strictement positif');
  await db
    .insertInto('privacy_budgets')
    .values({ contract_id: contractId, epsilon_total: total.epsilonMicro.toString(), delta_total: total.deltaPico.toString() })
    .onConflict((oc) => oc.column('contract_id').doNothing())
    .execute();
  return (await readBudget(db, contractId))!;
}

export async function readBudget(db: Executor, contractId: string): Promise<BudgetState | undefined> {
  const row = await db.selectFrom('privacy_budgets').selectAll().where('contract_id', '=', contractId).executeTakeFirst();
  return row ? stateOf(row) : undefined;
}

export type SpendOutcome = { ok: true; state: BudgetState } | { ok: false; state: BudgetState | undefined };

/**
 * Spends `cost` from a contract's budget if it fits, in one statement. Call it inside the
 * transaction that records the query's start, so the spend and the query exist together or not.
 */
export async function spendBudget(db: Executor, contractId: string, cost: PrivacyCost): Promise<SpendOutcome> {
  if (cost.epsilonMicro < 0n || cost.deltaPico < 0n) throw new RangeError('un coût est positif');
  const e = cost.epsilonMicro.toString();
  const d = cost.deltaPico.toString();
  const row = await db
    .updateTable('privacy_budgets')
    .set({
      epsilon_spent: sql<string>`epsilon_spent + cast(${e} as bigint)`,
      delta_spent: sql<string>`delta_spent + cast(${d} as bigint)`,
      updated_at: new Date(),
    })
    .where('contract_id', '=', contractId)
    .where(sql<boolean>`epsilon_spent + cast(${e} as bigint) <= epsilon_total`)
    .where(sql<boolean>`delta_spent + cast(${d} as bigint) <= delta_total`)
    .returningAll()
    .executeTakeFirst();
  if (row) return { ok: true, state: stateOf(row) };
  return { ok: false, state: await readBudget(db, contractId) };
}

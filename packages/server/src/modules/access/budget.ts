import { sql } from 'kysely';
import type { Executor } from '../../platform/context';

/**
 * Differential-privacy budgets per contract (issue 8): ε (and δ for Gaussian noise) that each
 * query spends, never more than the contract's total. Amounts are exact integers — micro-ε and
 * pico-δ — parsed from decimal text, never through floating point, so that budgets add up to the
 * unit and a check "spent + cost ≤ total" means what it says.
 *
 * A spend is one conditional UPDATE whose WHERE clause carries the bound: the database decides,
 * row-locked, and two queries racing for the last of a budget cannot both get it (tested on
 * PGlite and PostgreSQL with concurrent spends). Basic sequential composition: costs add.
 */

export const MICRO = 1_000_000n;
export const PICO = 1_000_000_000_000n;

export interface PrivacyCost {
  /** micro-ε */
  epsilon: bigint;
  /** pico-δ */
  delta: bigint;
}

export interface BudgetState {
  total: PrivacyCost;
  spent: PrivacyCost;
  remaining: PrivacyCost;
}

/**
 * A non-negative decimal (`0.1`, `1`, `1e-6`) in units of 1/`scale`, exactly; a value finer than
 * the unit is refused rather than rounded (a budget must never be rounded in anyone's favour).
 */
export function toUnits(value: string | number, scale: bigint): bigint {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  const m = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new RangeError(`« ${text} » n’est pas un nombre décimal positif`);
  const digits = `${m[1]}${m[2] ?? ''}`;
  const exponent = Number(m[3] ?? 0) - (m[2]?.length ?? 0);
  let units = BigInt(digits) * scale;
  if (exponent >= 0) return units * 10n ** BigInt(exponent);
  const divisor = 10n ** BigInt(-exponent);
  if (units % divisor !== 0n) throw new RangeError(`« ${text} » est plus fin que l’unité de compte (1/${scale})`);
  units /= divisor;
  return units;
}

function numberText(value: number): string {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${value} n’est pas un nombre positif`);
  // Shortest round-trip text of the double: what the caller wrote, not its binary expansion.
  return String(value);
}

/** A unit count as decimal text (`1500000n`, MICRO → `1.5`). */
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
  const total = { epsilon: big(row.epsilon_total), delta: big(row.delta_total) };
  const spent = { epsilon: big(row.epsilon_spent), delta: big(row.delta_spent) };
  return { total, spent, remaining: { epsilon: total.epsilon - spent.epsilon, delta: total.delta - spent.delta } };
}

/** Opens a contract's budget (idempotent: a budget once opened keeps what was spent). */
export async function openBudget(db: Executor, contractId: string, total: PrivacyCost): Promise<BudgetState> {
  if (total.epsilon <= 0n) throw new RangeError('un budget ε est strictement positif');
  await db
    .insertInto('privacy_budgets')
    .values({ contract_id: contractId, epsilon_total: total.epsilon.toString(), delta_total: total.delta.toString() })
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
  if (cost.epsilon < 0n || cost.delta < 0n) throw new RangeError('un coût est positif');
  const e = cost.epsilon.toString();
  const d = cost.delta.toString();
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

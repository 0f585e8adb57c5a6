import type { GrantView, QueryAccess } from '@confiance/contract';
import { fromUnits, type BudgetState } from './budget';
import type { Compiled } from './compile';
import {
  countNoise,
  cryptoRandom,
  DELTA_UNIT,
  describe,
  EPSILON_UNIT,
  gaussianCountNoise,
  noiseBound95,
  parseDelta,
  parseEpsilon,
  sampleNoise,
  sumNoise,
  type Mechanism,
  type RandomSource,
} from './dp';

/**
 * Differential privacy applied to an aggregate result before it leaves (issue 8): every count and
 * clipped sum gets noise calibrated to its share of the ε one query spends. The cells of one
 * group-by are disjoint — a person is in one cell — so they share the same ε (parallel
 * composition); several measures in one query split it (sequential composition). Order and cut
 * come after the noise, so neither reveals a true value.
 */

type AggregateCompiled = Extract<Compiled, { mode: 'aggregate' }>;
type Privacy = NonNullable<GrantView['privacy']>;

export interface NoisyResult {
  rows: unknown[][];
  truncated: boolean;
  measures: { column: string; description: string; noise95: number }[];
}

let production: RandomSource | undefined;

/**
 * The noise of one count given its share of a query's ε (micro-units). Its δ is the same share of
 * the contract's δ as the ε share is of the contract's ε — what the budget charges: calibrating
 * to the whole δ while charging a share would let the real δ outrun the budget. A share that
 * rounds to no δ at all gets Laplace noise, which needs none.
 */
function countMechanism(privacy: Privacy, epsilonShare: bigint): Mechanism {
  const epsilon = fromUnits(epsilonShare, EPSILON_UNIT);
  if (privacy.mechanism !== 'discrete_gaussian' || privacy.delta === null) return countNoise(epsilon);
  const deltaShare = (parseDelta(privacy.delta) * epsilonShare) / parseEpsilon(privacy.epsilon);
  return deltaShare > 0n ? gaussianCountNoise(epsilon, fromUnits(deltaShare, DELTA_UNIT)) : countNoise(epsilon);
}

/** The mechanism of each measure, from the ε per query (micro-units) split between them. */
export function mechanismsOf(compiled: AggregateCompiled, privacy: Privacy, epsilonPerQuery: bigint): Mechanism[] {
  const share = epsilonPerQuery / BigInt(Math.max(1, compiled.aggregates.length));
  return compiled.aggregates.map((a) => {
    if (a.fn === 'sum') {
      const clip = privacy.clipping.find((c) => c.column === a.column)!;
      return sumNoise(fromUnits(share, EPSILON_UNIT), clip.lower, clip.upper);
    }
    return countMechanism(privacy, share);
  });
}

/**
 * The grant's budget as the access view shows it: the total the node enforces (the budget's row
 * once a query opened it, the grant's terms before), what is left, how many queries that still pays
 * for, and the 95 % bound of a one-count query's noise.
 */
export function accessPrivacy(privacy: Privacy, budget: BudgetState | undefined): NonNullable<QueryAccess['privacy']> {
  const total = budget?.total.epsilonMicro ?? parseEpsilon(privacy.epsilon);
  const left = budget ? budget.remaining.epsilonMicro : total;
  const perQuery = parseEpsilon(privacy.epsilonPerQuery);
  const clamped = left < 0n ? 0n : left;
  return {
    mechanism: privacy.mechanism,
    epsilon: fromUnits(total, EPSILON_UNIT),
    epsilonPerQuery: privacy.epsilonPerQuery,
    epsilonLeft: fromUnits(clamped, EPSILON_UNIT),
    delta: privacy.delta,
    queriesLeft: perQuery > 0n ? Number(clamped / perQuery) : 0,
    clipping: privacy.clipping,
    countNoise95: noiseBound95(countMechanism(privacy, perQuery)),
  };
}

export function noisyAggregate(
  compiled: AggregateCompiled,
  columns: readonly string[],
  rows: readonly unknown[][],
  mechanisms: readonly Mechanism[],
  random: RandomSource = (production ??= cryptoRandom()),
): NoisyResult {
  const keyIndex = compiled.groupBy.map((name) => columns.indexOf(name));
  const valueIndex = compiled.aggregates.map((a) => columns.indexOf(a.name));
  const built = rows.map((row) => [
    ...keyIndex.map((i) => row[i]),
    ...valueIndex.map((i, m) => {
      const exact = BigInt(Math.round(Number(row[i] ?? 0)));
      const noisy = exact + sampleNoise(mechanisms[m]!, random);
      // Post-processing keeps the guarantee: a count below zero is shown as zero.
      const value = compiled.aggregates[m]!.fn === 'count' && noisy < 0n ? 0n : noisy;
      return Number(value);
    }),
  ]);
  const names = [...compiled.groupBy, ...compiled.aggregates.map((a) => a.name)];
  if (compiled.orderBy.length > 0) {
    const order = compiled.orderBy.map((o) => ({ index: names.indexOf(o.column), sign: o.direction === 'desc' ? -1 : 1 }));
    built.sort((a, b) => {
      for (const { index, sign } of order) {
        const x = a[index] as string | number | null;
        const y = b[index] as string | number | null;
        if (x === y) continue;
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * sign;
      }
      return 0;
    });
  }
  return {
    rows: built.slice(0, compiled.limit),
    truncated: built.length > compiled.limit,
    measures: compiled.aggregates.map((a, m) => ({
      column: a.name,
      description: describe(mechanisms[m]!),
      noise95: noiseBound95(mechanisms[m]!),
    })),
  };
}

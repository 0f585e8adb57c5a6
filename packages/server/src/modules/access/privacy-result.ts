import type { GrantView } from '@confiance/contract';
import { fromUnits } from './budget';
import type { Compiled } from './compile';
import {
  countNoise,
  cryptoRandom,
  describe,
  EPSILON_UNIT,
  gaussianCountNoise,
  noiseBound95,
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

/** The mechanism of each measure, from the ε per query (micro-units) split between them. */
export function mechanismsOf(compiled: AggregateCompiled, privacy: Privacy, epsilonPerQuery: bigint): Mechanism[] {
  const share = fromUnits(epsilonPerQuery / BigInt(Math.max(1, compiled.aggregates.length)), EPSILON_UNIT);
  const deltaShare = privacy.delta === null ? null : privacy.delta;
  return compiled.aggregates.map((a) => {
    if (a.fn === 'sum') {
      const clip = privacy.clipping.find((c) => c.column === a.column)!;
      return sumNoise(share, clip.lower, clip.upper);
    }
    return privacy.mechanism === 'discrete_gaussian' && deltaShare !== null ? gaussianCountNoise(share, deltaShare) : countNoise(share);
  });
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

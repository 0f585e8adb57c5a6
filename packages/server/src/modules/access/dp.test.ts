import { describe, expect, it } from 'vitest';
import {
  type Mechanism,
  type RandomSource,
  DpError,
  composeBasic,
  countNoise,
  cryptoRandom,
  describe as describeMechanism,
  gaussianCountNoise,
  noiseBound95,
  parseDelta,
  parseEpsilon,
  rational,
  sampleBernoulliExp,
  sampleDiscreteGaussian,
  sampleDiscreteLaplace,
  sampleNoise,
  seededRandom,
  sumNoise,
  uniformBelow,
} from './dp';

// Every statistical check runs on a fixed seed, so it is a deterministic regression test; the
// tolerances are still ≥ 5 standard errors, so any other seed would pass too.
const N = 20_000;

function draws(n: number, draw: () => bigint): number[] {
  return Array.from({ length: n }, () => Number(draw()));
}

function moments(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

function histogram(xs: readonly number[]): (k: number) => number {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return (k) => counts.get(k) ?? 0;
}

/** Replays fixed words, and counts how many were read. */
function scripted(words: number[]): RandomSource & { read: number } {
  const source = {
    read: 0,
    nextUint32() {
      const word = words[source.read++];
      if (word === undefined) throw new Error('script exhausted');
      return word;
    },
  };
  return source;
}

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DpError);
    const { code, message } = error as DpError;
    return { code, message };
  }
  throw new Error('expected a refusal');
}

describe('random sources', () => {
  it('replays the same sequence from the same seed, and another from another seed', () => {
    const run = (seed: number) =>
      Array.from(
        { length: 50 },
        (
          (r) => () =>
            r.nextUint32()
        )(seededRandom(seed)),
      );
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
    const noise = (seed: number) =>
      draws(
        50,
        (
          (r) => () =>
            sampleNoise(gaussianCountNoise(1, 1e-6), r)
        )(seededRandom(seed)),
      );
    expect(noise(7)).toEqual(noise(7));
  });

  it('yields 32-bit words with both halves of the range from the seeded and the crypto source', () => {
    for (const source of [seededRandom(1), cryptoRandom(4)]) {
      // More words than the pool holds, so the crypto source refills it.
      const words = Array.from({ length: 1_000 }, () => source.nextUint32());
      expect(words.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)).toBe(true);
      expect(words.some((w) => w >= 2 ** 31)).toBe(true);
      expect(words.some((w) => w < 2 ** 31)).toBe(true);
      expect(new Set(words).size).toBeGreaterThan(990);
    }
  });
});

describe('uniformBelow', () => {
  it('rejects the top of the 32-bit range instead of folding it (no modulo bias)', () => {
    // For n = 3, 2³² mod 3 = 1: the single word 2³² − 1 must be redrawn, not mapped to 0.
    const source = scripted([2 ** 32 - 1, 5]);
    expect(uniformBelow(3n, source)).toBe(2n);
    expect(source.read).toBe(2);
  });

  it.each([
    { n: 3n, buckets: 3 },
    { n: 10n, buckets: 10 },
    { n: 2n ** 40n + 7n, buckets: 4 },
  ])('spreads draws below $n evenly', ({ n, buckets }) => {
    const random = seededRandom(11);
    const counts = new Array<number>(buckets).fill(0);
    let outside = 0;
    for (let i = 0; i < N; i++) {
      const x = uniformBelow(n, random);
      if (x < 0n || x >= n) outside++;
      else counts[Number((x * BigInt(buckets)) / n)]!++;
    }
    expect(outside).toBe(0);
    const expected = N / buckets;
    for (const c of counts) expect(Math.abs(c - expected)).toBeLessThan(5 * Math.sqrt(expected));
  });
});

describe('sampleBernoulliExp', () => {
  it.each([
    { gamma: rational(0), label: '0' },
    { gamma: rational(1, 3), label: '1/3' },
    { gamma: rational(1), label: '1' },
    { gamma: rational(5, 2), label: '5/2' },
    { gamma: rational(4), label: '4' },
  ])('is true with frequency exp(−$label)', ({ gamma }) => {
    const random = seededRandom(3);
    let hits = 0;
    for (let i = 0; i < N; i++) if (sampleBernoulliExp(gamma, random)) hits++;
    const p = Math.exp(-Number(gamma.num) / Number(gamma.den));
    expect(Math.abs(hits / N - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / N));
  });
});

describe('sampleDiscreteLaplace', () => {
  describe.each([
    { scale: rational(2), label: '2' },
    { scale: rational(10, 3), label: '10/3' },
    { scale: rational(1, 2), label: '1/2' },
  ])('with scale $label', ({ scale }) => {
    const t = Number(scale.num) / Number(scale.den);
    const p = Math.exp(-1 / t);
    const xs = draws(
      N,
      (
        (r) => () =>
          sampleDiscreteLaplace(scale, r)
      )(seededRandom(5)),
    );
    const count = histogram(xs);

    it('is centred, with variance 2p/(1 − p)² within 10 %', () => {
      const { mean, variance } = moments(xs);
      const expected = (2 * p) / (1 - p) ** 2;
      expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(expected / N));
      expect(Math.abs(variance / expected - 1)).toBeLessThan(0.1);
    });

    it('is symmetric: P(X = k) = P(X = −k)', () => {
      for (const k of [1, 2, 3]) {
        const [plus, minus] = [count(k), count(-k)];
        if (plus + minus < 50) continue;
        expect(Math.abs(plus - minus)).toBeLessThan(5 * Math.sqrt(plus + minus));
      }
    });

    it('has P(k + 1)/P(k) = e^{−1/t}, the ratio that makes it ε-DP', () => {
      let checked = 0;
      for (const k of [0, 1, 2, 3]) {
        // Fold the two sides for k ≥ 1, where P(|X| = k + 1)/P(|X| = k) is the same ratio.
        const here = k === 0 ? count(0) : count(k) + count(-k);
        const next = k === 0 ? (count(1) + count(-1)) / 2 : count(k + 1) + count(-k - 1);
        if (here < 200 || next < 200) continue;
        const ratio = next / here;
        const standardError = Math.sqrt(1 / here + 1 / next);
        expect(Math.abs(ratio / p - 1)).toBeLessThan(5 * standardError);
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(2);
    });

    it('keeps 95 % of its draws within the displayed bound, and not within one less', () => {
      const bound = noiseBound95({ kind: 'discrete_laplace', scale, sensitivity: 1n, epsilonMicro: 1n, deltaPico: 0n });
      const within = (k: number) => xs.filter((x) => Math.abs(x) <= k).length / N;
      expect(within(bound)).toBeGreaterThan(0.94);
      if (bound > 0) expect(within(bound - 1)).toBeLessThan(0.96);
    });
  });
});

describe('sampleDiscreteGaussian', () => {
  it.each([
    { sigma2: rational(1), label: '1' },
    { sigma2: rational(25, 4), label: '25/4' },
    { sigma2: rational(100), label: '100' },
  ])('is centred with variance σ² = $label within 10 %', ({ sigma2 }) => {
    const expected = Number(sigma2.num) / Number(sigma2.den);
    const xs = draws(
      N,
      (
        (r) => () =>
          sampleDiscreteGaussian(sigma2, r)
      )(seededRandom(9)),
    );
    const { mean, variance } = moments(xs);
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(expected / N));
    expect(Math.abs(variance / expected - 1)).toBeLessThan(0.1);
  });
});

describe('calibration', () => {
  it.each<{ name: string; mechanism: Mechanism; kind: Mechanism['kind']; scale: number; text: string }>([
    {
      name: 'a count at ε = 0,5',
      mechanism: countNoise(0.5),
      kind: 'discrete_laplace',
      scale: 2,
      text: 'bruit de Laplace discret, échelle 2,0 ; ε = 0,5',
    },
    {
      name: 'a sum clipped to [−100, 50] at ε = "0,25"',
      mechanism: sumNoise('0,25', -100, 50),
      kind: 'discrete_laplace',
      scale: 400,
      text: 'bruit de Laplace discret, échelle 400,0 ; ε = 0,25',
    },
    {
      name: 'a Gaussian count at ε = 1, δ = 10⁻⁶',
      mechanism: gaussianCountNoise(1, '1e-6'),
      kind: 'discrete_gaussian',
      scale: 5.349981,
      text: 'bruit gaussien discret, écart type 5,35 ; ε = 1 ; δ = 0,000001',
    },
  ])('calibrates $name', ({ mechanism, kind, scale, text }) => {
    expect(mechanism.kind).toBe(kind);
    expect(Number(mechanism.scale.num) / Number(mechanism.scale.den)).toBeCloseTo(scale, 6);
    expect(describeMechanism(mechanism)).toBe(text);
  });

  it('gives the Gaussian a σ no smaller than the zCDP conversion requires', () => {
    for (const [epsilon, delta] of [
      [1, 1e-6],
      [0.1, 1e-9],
      [5, 1e-5],
    ] as const) {
      const { scale } = gaussianCountNoise(epsilon, delta);
      const rho = 1 / (2 * (Number(scale.num) / Number(scale.den)) ** 2);
      // The ε actually guaranteed by ρ-zCDP must not exceed the ε asked for.
      expect(rho + 2 * Math.sqrt(rho * Math.log(1 / delta))).toBeLessThanOrEqual(epsilon);
    }
  });

  it('bounds 95 % of the Gaussian mechanism’s noise by the displayed bound', () => {
    const mechanism = gaussianCountNoise(1, 1e-6);
    const bound = noiseBound95(mechanism);
    const xs = draws(
      N,
      (
        (r) => () =>
          sampleNoise(mechanism, r)
      )(seededRandom(13)),
    );
    const within = (k: number) => xs.filter((x) => Math.abs(x) <= k).length / N;
    expect(within(bound)).toBeGreaterThan(0.94);
    expect(within(bound - 1)).toBeLessThan(0.96);
  });

  it.each([
    { name: 'ε = 0', run: () => countNoise(0), code: 'invalid_epsilon' },
    { name: 'ε < 0', run: () => countNoise(-0.5), code: 'invalid_epsilon' },
    { name: 'ε not a number', run: () => countNoise('beaucoup'), code: 'invalid_epsilon' },
    { name: 'ε = NaN', run: () => countNoise(Number.NaN), code: 'invalid_epsilon' },
    { name: 'ε with 7 decimals', run: () => countNoise('0.1234567'), code: 'invalid_epsilon' },
    { name: 'a sum without bounds', run: () => sumNoise(1, undefined, 10), code: 'missing_clipping_bounds' },
    { name: 'a sum with a null bound', run: () => sumNoise(1, 0, null), code: 'missing_clipping_bounds' },
    { name: 'a sum with lower > upper', run: () => sumNoise(1, 10, -10), code: 'invalid_clipping_bounds' },
    { name: 'a sum with fractional bounds', run: () => sumNoise(1, 0, 9.5), code: 'invalid_clipping_bounds' },
    { name: 'a sum clipped to [0, 0]', run: () => sumNoise(1, 0, 0), code: 'invalid_clipping_bounds' },
    { name: 'δ = 0', run: () => gaussianCountNoise(1, 0), code: 'invalid_delta' },
    { name: 'δ = 1', run: () => gaussianCountNoise(1, 1), code: 'invalid_delta' },
    { name: 'δ = 1,5', run: () => gaussianCountNoise(1, '1,5'), code: 'invalid_delta' },
    { name: 'δ < 0', run: () => gaussianCountNoise(1, -1e-6), code: 'invalid_delta' },
    { name: 'a Laplace scale of 0', run: () => sampleDiscreteLaplace(rational(0)), code: 'invalid_parameter' },
    { name: 'a Gaussian σ² of 0', run: () => sampleDiscreteGaussian(rational(0)), code: 'invalid_parameter' },
    { name: 'a negative γ', run: () => sampleBernoulliExp(rational(-1, 2)), code: 'invalid_parameter' },
  ])('refuses $name with a French message', ({ run, code }) => {
    const error = refusal(run);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/[ée]/);
  });

  it.each([
    { input: 0.1, micro: 100_000n },
    { input: '0,1', micro: 100_000n },
    { input: '2', micro: 2_000_000n },
    { input: '1e-6', micro: 1n },
    { input: 0.000001, micro: 1n },
  ])('reads ε = $input exactly', ({ input, micro }) => {
    expect(parseEpsilon(input)).toBe(micro);
  });

  it('reads δ to twelve decimals', () => {
    expect(parseDelta(1e-9)).toBe(1_000n);
    expect(parseDelta('0.000000000001')).toBe(1n);
  });
});

describe('composeBasic', () => {
  it('spends exactly ε = 1 for ten queries at ε = 0,1, where floating point drifts', () => {
    const costs = Array.from({ length: 10 }, () => countNoise(0.1));
    expect(composeBasic(costs)).toEqual({ epsilonMicro: 1_000_000n, deltaPico: 0n });
    expect(costs.reduce((sum) => sum + 0.1, 0)).not.toBe(1);
  });

  it('adds ε and δ across mechanisms, and nothing for no query', () => {
    expect(composeBasic([countNoise(0.3), gaussianCountNoise(0.2, 1e-6), gaussianCountNoise('0.5', '2e-6')])).toEqual({
      epsilonMicro: 1_000_000n,
      deltaPico: 3_000_000n,
    });
    expect(composeBasic([])).toEqual({ epsilonMicro: 0n, deltaPico: 0n });
  });
});

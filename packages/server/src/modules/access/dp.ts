/**
 * Differential privacy for aggregates computed under contract: the pure core (no I/O) that turns a
 * per-contract budget into calibrated noise for counts and sums, and accounts for what each query
 * spends. Wiring into the query path lives elsewhere.
 *
 * Every sample is drawn with integer and rational arithmetic only, following Canonne, Kamath &
 * Steinke 2020, "The Discrete Gaussian for Differential Privacy" (Algorithms 1–3). Why not
 * `-t·ln(U)` with a floating-point U: Mironov (CCS 2012) showed that the set of doubles such a
 * sampler can output depends on the true value, so a consumer who sees one noisy count can tell
 * "41 + noise" from "42 + noise" with certainty for many outputs — the budget would be a fiction.
 * Floating point is used only to *calibrate* (choose σ, rounded up) and to *display*, never to draw.
 *
 * Budgets are exact: ε in micro-units (10⁻⁶) and δ in pico-units (10⁻¹²) as bigints, so ten
 * queries at ε = 0,1 spend exactly 1 and a contract's budget never drifts through rounding.
 */
import { randomFillSync } from 'node:crypto';

// ---------------------------------------------------------------------------------------------
// Errors

export const DP_ERROR_CODES = [
  'invalid_epsilon',
  'invalid_delta',
  'missing_clipping_bounds',
  'invalid_clipping_bounds',
  'invalid_parameter',
] as const;
export type DpErrorCode = (typeof DP_ERROR_CODES)[number];

/** A refused privacy parameter. The French message is for the data steward and says what to change. */
export class DpError extends Error {
  override readonly name = 'DpError';
  constructor(
    readonly code: DpErrorCode,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Random source

/** Uniform 32-bit words; the only source of randomness the samplers use, so tests can inject a seed. */
export interface RandomSource {
  /** An integer uniform in [0, 2³²). */
  nextUint32(): number;
}

/**
 * The operating system's CSPRNG, read a pool at a time: one `randomFillSync` per 256 words instead of
 * one per word (a discrete Gaussian sample needs a handful of words). Production noise must come from
 * here — a predictable generator lets whoever guesses the state subtract the noise.
 */
export function cryptoRandom(poolWords = 256): RandomSource {
  if (!Number.isSafeInteger(poolWords) || poolWords < 1) {
    throw new DpError('invalid_parameter', 'La réserve d’aléa doit contenir au moins un mot de 32 bits.');
  }
  const pool = new Uint32Array(poolWords);
  let next = poolWords;
  return {
    nextUint32() {
      if (next === poolWords) {
        randomFillSync(pool);
        next = 0;
      }
      return pool[next++]!;
    },
  };
}

/**
 * xoshiro128** (Blackman & Vigna), its state filled by splitmix32 from the seed. For tests and
 * replayable simulations only: never for noise that is published.
 */
export function seededRandom(seed: number): RandomSource {
  let x = seed >>> 0;
  const splitmix32 = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let s0 = splitmix32();
  let s1 = splitmix32();
  let s2 = splitmix32();
  let s3 = splitmix32();
  // The all-zero state is a fixed point; splitmix32 cannot produce four zeros, but be explicit.
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const rotl = (v: number, k: number): number => (v << k) | (v >>> (32 - k));
  return {
    nextUint32() {
      const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      return result;
    },
  };
}

let sharedCrypto: RandomSource | undefined;
function defaultRandom(): RandomSource {
  return (sharedCrypto ??= cryptoRandom());
}

// ---------------------------------------------------------------------------------------------
// Exact rationals

/** num/den with den > 0, in lowest terms. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function rational(num: bigint | number, den: bigint | number = 1n): Rational {
  if (typeof num === 'number' && !Number.isSafeInteger(num)) throw new DpError('invalid_parameter', `Numérateur non entier : ${num}.`);
  if (typeof den === 'number' && !Number.isSafeInteger(den)) throw new DpError('invalid_parameter', `Dénominateur non entier : ${den}.`);
  let n = BigInt(num);
  let d = BigInt(den);
  if (d === 0n) throw new DpError('invalid_parameter', 'Dénominateur nul.');
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { num: n / g, den: d / g } : { num: n, den: d };
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  // Newton steps fix the floating-point seed, which is off for n beyond 2⁵³.
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

// ---------------------------------------------------------------------------------------------
// Exact samplers

const TWO_32 = 0x1_0000_0000;

/**
 * Uniform integer in [0, n). Rejection, never `x % n` alone: with n = 3, a plain modulo of a 32-bit
 * word makes 0 likelier than 2 — tiny, but a bias an auditor cannot wave away in a privacy proof.
 */
export function uniformBelow(n: bigint, random: RandomSource = defaultRandom()): bigint {
  if (n <= 0n) throw new DpError('invalid_parameter', `La borne d’un tirage uniforme doit être positive (reçu : ${n}).`);
  if (n <= BigInt(TWO_32)) {
    const m = Number(n);
    const limit = TWO_32 - (TWO_32 % m);
    for (;;) {
      const x = random.nextUint32();
      if (x < limit) return BigInt(x % m);
    }
  }
  const bits = n.toString(2).length;
  const words = Math.ceil(bits / 32);
  const mask = (1n << BigInt(bits)) - 1n;
  for (;;) {
    let x = 0n;
    for (let i = 0; i < words; i++) x = (x << 32n) | BigInt(random.nextUint32());
    x &= mask;
    if (x < n) return x;
  }
}

/**
 * Bernoulli(num/den) for 0 ≤ num/den ≤ 1, by comparing a uniform U ∈ [0,1), drawn 32 bits at a time,
 * with the base-2³² expansion of p: P(U < p) = p exactly, and one word decides with probability
 * 1 − 2⁻³², so this costs about one bigint division whatever the size of den.
 */
function bernoulli(num: bigint, den: bigint, random: RandomSource): boolean {
  if (num <= 0n) return false;
  if (num >= den) return true;
  let r = num;
  for (;;) {
    r <<= 32n;
    const digit = Number(r / den);
    r %= den;
    const u = random.nextUint32();
    if (u < digit) return true;
    if (u > digit) return false;
    // Equal so far and p has no more digits: U ≥ p.
    if (r === 0n) return false;
  }
}

/** CKS Algorithm 1 for γ ∈ [0, 1]: the parity of the first K with a failed Bernoulli(γ/K). */
function bernoulliExpUnit(num: bigint, den: bigint, random: RandomSource): boolean {
  let k = 1n;
  while (bernoulli(num, den * k, random)) k++;
  return k % 2n === 1n;
}

/** A draw that is true with probability exp(−γ), γ ≥ 0 rational (CKS Algorithm 1). */
export function sampleBernoulliExp(gamma: Rational, random: RandomSource = defaultRandom()): boolean {
  if (gamma.num < 0n || gamma.den <= 0n) throw new DpError('invalid_parameter', 'γ doit être un rationnel positif ou nul.');
  let num = gamma.num;
  const den = gamma.den;
  // exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)): Algorithm 1 is only exact for γ ≤ 1.
  while (num > den) {
    if (!bernoulliExpUnit(1n, 1n, random)) return false;
    num -= den;
  }
  return bernoulliExpUnit(num, den, random);
}

/**
 * Discrete Laplace with scale t = num/den: P(X = x) ∝ exp(−|x|/t) on ℤ (CKS Algorithm 2, with
 * t = num and s = den in the paper's notation). The output is an integer, so adding it to an
 * integer aggregate leaks nothing through the representation.
 */
export function sampleDiscreteLaplace(scale: Rational, random: RandomSource = defaultRandom()): bigint {
  if (scale.num <= 0n || scale.den <= 0n)
    throw new DpError('invalid_parameter', 'L’échelle du bruit de Laplace doit être strictement positive.');
  const t = scale.num;
  const s = scale.den;
  for (;;) {
    const u = uniformBelow(t, random);
    if (!sampleBernoulliExp({ num: u, den: t }, random)) continue;
    let v = 0n;
    while (bernoulliExpUnit(1n, 1n, random)) v++;
    const y = (u + t * v) / s;
    const negative = bernoulli(1n, 2n, random);
    // Without this rejection 0 would come out twice as often as the formula says.
    if (negative && y === 0n) continue;
    return negative ? -y : y;
  }
}

/** Discrete Gaussian: P(X = x) ∝ exp(−x²/2σ²) on ℤ, σ² = num/den (CKS Algorithm 3). */
export function sampleDiscreteGaussian(sigma2: Rational, random: RandomSource = defaultRandom()): bigint {
  const a = sigma2.num;
  const b = sigma2.den;
  if (a <= 0n || b <= 0n) throw new DpError('invalid_parameter', 'La variance du bruit gaussien doit être strictement positive.');
  // t = ⌊σ⌋ + 1, and ⌊√(a/b)⌋ = ⌊√⌊a/b⌋⌋.
  const t = isqrt(a / b) + 1n;
  const laplace = { num: t, den: 1n };
  for (;;) {
    const y = sampleDiscreteLaplace(laplace, random);
    const abs = y < 0n ? -y : y;
    // (|y| − σ²/t)² / (2σ²) = (|y|·b·t − a)² / (2·a·b·t²)
    const d = abs * b * t - a;
    if (sampleBernoulliExp({ num: d * d, den: 2n * a * b * t * t }, random)) return y;
  }
}

// ---------------------------------------------------------------------------------------------
// Parameters: exact decimals

export const EPSILON_UNIT = 1_000_000n;
export const DELTA_UNIT = 1_000_000_000_000n;
const EPSILON_DECIMALS = 6;
// δ must be well below 1/n (n rows) to mean anything, so micro-units would be too coarse for it.
const DELTA_DECIMALS = 12;

const DECIMAL = /^([+-]?)(\d+)(?:[.,](\d+))?(?:[eE]([+-]?\d{1,3}))?$/;

/**
 * A decimal (number, or string with `.` or `,`) as an exact multiple of 10^−decimals, or undefined
 * when it is not one. Numbers go through their shortest round-trip text, so 0.1 is exactly 1/10.
 */
function toFixedUnits(value: number | string, decimals: number): bigint | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  const match = DECIMAL.exec(typeof value === 'number' ? String(value) : value.trim());
  if (!match) return undefined;
  const [, sign, int, frac = '', exp = '0'] = match;
  const digits = BigInt(`${int}${frac}`);
  const shift = Number(exp) - frac.length + decimals;
  let units: bigint;
  if (shift >= 0) units = digits * 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    if (digits % divisor !== 0n) return undefined;
    units = digits / divisor;
  }
  return sign === '-' ? -units : units;
}

/** ε in micro-units; refuses ε ≤ 0 and more than six decimals. */
export function parseEpsilon(value: number | string): bigint {
  const units = toFixedUnits(value, EPSILON_DECIMALS);
  if (units === undefined || units <= 0n) {
    throw new DpError(
      'invalid_epsilon',
      `ε doit être un nombre strictement positif avec au plus ${EPSILON_DECIMALS} décimales (reçu : ${String(value)}) ; par exemple 0,5.`,
    );
  }
  return units;
}

/** δ in pico-units; refuses δ outside (0, 1) and more than twelve decimals. */
export function parseDelta(value: number | string): bigint {
  const units = toFixedUnits(value, DELTA_DECIMALS);
  if (units === undefined || units <= 0n || units >= DELTA_UNIT) {
    throw new DpError(
      'invalid_delta',
      `δ doit être strictement compris entre 0 et 1, avec au plus ${DELTA_DECIMALS} décimales (reçu : ${String(value)}) ; choisissez-le bien inférieur à 1/n, par exemple 0,000001.`,
    );
  }
  return units;
}

// ---------------------------------------------------------------------------------------------
// Mechanisms and calibration

/** What one noisy answer spends from a contract's budget. */
export interface PrivacyCost {
  /** ε × 10⁶ (EPSILON_UNIT). */
  readonly epsilonMicro: bigint;
  /** δ × 10¹² (DELTA_UNIT); 0 for pure ε-DP. */
  readonly deltaPico: bigint;
}

/**
 * A calibrated mechanism, plain data so it can be stored with the query in the ledger and shown to
 * the consumer. `scale` is the Laplace scale t (P ∝ e^{−|x|/t}) or the Gaussian's σ, exact.
 */
export interface Mechanism extends PrivacyCost {
  readonly kind: 'discrete_laplace' | 'discrete_gaussian';
  readonly scale: Rational;
  /** How much one row added or removed can move the aggregate (ℓ1 = ℓ2 for a scalar). */
  readonly sensitivity: bigint;
}

/**
 * A noisy count: discrete Laplace with scale 1/ε. Adding or removing one row moves a count by 1, and
 * P(x)/P(x+1) = e^{1/t} = e^ε, which is ε-DP.
 */
export function countNoise(epsilon: number | string): Mechanism {
  return laplace(parseEpsilon(epsilon), 1n);
}

type Bound = number | bigint | null | undefined;

/**
 * A noisy sum of values clipped to [lower, upper]. Without clipping one row can move a sum without
 * limit, and no finite noise hides it — hence the refusal. The sensitivity is max(|lower|, |upper|)
 * for add/remove-one-row neighbours (the contract's notion); replace-one would need upper − lower.
 *
 * Bounds are integers, and the caller must round each clipped value to an integer before summing:
 * integer noise added to a sum with a fractional part publishes that fractional part untouched,
 * which can single out the rows. Express the column in a finer unit (cents, grams) to keep precision.
 */
export function sumNoise(epsilon: number | string, lower: Bound, upper: Bound): Mechanism {
  const eps = parseEpsilon(epsilon);
  if (lower === undefined || lower === null || upper === undefined || upper === null) {
    throw new DpError(
      'missing_clipping_bounds',
      'Une somme bruitée exige des bornes d’écrêtage : indiquez une borne inférieure et une borne supérieure entières pour la colonne.',
    );
  }
  if ((typeof lower === 'number' && !Number.isSafeInteger(lower)) || (typeof upper === 'number' && !Number.isSafeInteger(upper))) {
    throw new DpError(
      'invalid_clipping_bounds',
      `Les bornes d’écrêtage doivent être des entiers (reçu : ${lower} et ${upper}) : exprimez la colonne dans une unité plus fine (centimes, grammes).`,
    );
  }
  const lo = BigInt(lower);
  const hi = BigInt(upper);
  if (lo > hi) {
    throw new DpError('invalid_clipping_bounds', `La borne inférieure (${lo}) dépasse la borne supérieure (${hi}) : inversez-les.`);
  }
  const abs = (v: bigint) => (v < 0n ? -v : v);
  const sensitivity = abs(lo) > abs(hi) ? abs(lo) : abs(hi);
  if (sensitivity === 0n) {
    throw new DpError('invalid_clipping_bounds', 'Les bornes d’écrêtage [0, 0] rendent toute somme nulle : élargissez-les.');
  }
  return laplace(eps, sensitivity);
}

function laplace(epsilonMicro: bigint, sensitivity: bigint): Mechanism {
  return Object.freeze({
    kind: 'discrete_laplace',
    scale: rational(sensitivity * EPSILON_UNIT, epsilonMicro),
    sensitivity,
    epsilonMicro,
    deltaPico: 0n,
  });
}

/**
 * A noisy count with the discrete Gaussian, for (ε, δ)-DP: lighter tails than Laplace, and the noise
 * of many queries adds up more gently under concentrated DP.
 *
 * Calibration: CKS Theorem 4 — the discrete Gaussian with variance parameter σ² is ρ-zCDP with
 * ρ = Δ²/(2σ²) — then Bun & Steinke 2016, Proposition 1.3: ρ-zCDP implies (ρ + 2√(ρ·ln(1/δ)), δ)-DP.
 * Solving for ρ gives ρ = (√(ln(1/δ) + ε) − √ln(1/δ))². Why not the "classic" σ = Δ√(2 ln(1,25/δ))/ε:
 * it is proven only for ε < 1 and for the *continuous* Gaussian; this route is proven for the
 * discrete one and every ε, and costs about 1 % more noise at ε = 1, δ = 10⁻⁶. The analytic
 * calibration (CKS Theorem 7, exact for the discrete Gaussian) is tighter and is future work.
 *
 * σ is rounded *up* to a micro-unit, so floating-point error can only add noise, never remove it.
 */
export function gaussianCountNoise(epsilon: number | string, delta: number | string): Mechanism {
  return gaussian(parseEpsilon(epsilon), parseDelta(delta), 1n);
}

function gaussian(epsilonMicro: bigint, deltaPico: bigint, sensitivity: bigint): Mechanism {
  const eps = Number(epsilonMicro) / Number(EPSILON_UNIT);
  const logInvDelta = Math.log(Number(DELTA_UNIT) / Number(deltaPico));
  const sqrtRho = Math.sqrt(logInvDelta + eps) - Math.sqrt(logInvDelta);
  const sigma = Number(sensitivity) / (Math.SQRT2 * sqrtRho);
  // A relative margin of 10⁻⁹ dwarfs the few ulps of error in log/sqrt above.
  const sigmaMicro = BigInt(Math.ceil(sigma * (1 + 1e-9) * Number(EPSILON_UNIT)));
  return Object.freeze({
    kind: 'discrete_gaussian',
    scale: rational(sigmaMicro, EPSILON_UNIT),
    sensitivity,
    epsilonMicro,
    deltaPico,
  });
}

/** One draw of the mechanism's noise, to add to the exact integer aggregate. */
export function sampleNoise(mechanism: Mechanism, random: RandomSource = defaultRandom()): bigint {
  switch (mechanism.kind) {
    case 'discrete_laplace':
      return sampleDiscreteLaplace(mechanism.scale, random);
    case 'discrete_gaussian': {
      const { num, den } = mechanism.scale;
      return sampleDiscreteGaussian(rational(num * num, den * den), random);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Display

const toNumber = (r: Rational): number => Number(r.num) / Number(r.den);

/**
 * The smallest k with P(|noise| ≤ k) ≥ 95 %, shown to the consumer as "±k" next to a noisy result.
 * Computed in floating point: it is for display, and never feeds the sampler.
 */
export function noiseBound95(mechanism: Mechanism): number {
  const scale = toNumber(mechanism.scale);
  switch (mechanism.kind) {
    case 'discrete_laplace': {
      // P(|X| > k) = 2·p^{k+1}/(1 + p) with p = e^{−1/t}.
      const p = Math.exp(-1 / scale);
      const tail = (k: number) => (2 * p ** (k + 1)) / (1 + p);
      let k = Math.max(0, Math.ceil(Math.log(0.025 * (1 + p)) / Math.log(p)) - 1);
      while (k > 0 && tail(k - 1) <= 0.05) k--;
      while (tail(k) > 0.05) k++;
      return k;
    }
    case 'discrete_gaussian': {
      const sigma = scale;
      // Beyond a few hundred, the discrete and continuous Gaussians agree to many digits.
      if (sigma > 1_000) return Math.ceil(1.959964 * sigma);
      const weight = (x: number) => Math.exp(-(x * x) / (2 * sigma * sigma));
      const last = Math.ceil(40 * sigma) + 1;
      let total = weight(0);
      for (let x = 1; x <= last; x++) total += 2 * weight(x);
      let inside = weight(0);
      let k = 0;
      while (inside / total < 0.95) {
        k++;
        inside += 2 * weight(k);
      }
      return k;
    }
  }
}

const frenchNumber = (value: number, minDigits: number, maxDigits: number): string =>
  new Intl.NumberFormat('fr-FR', { minimumFractionDigits: minDigits, maximumFractionDigits: maxDigits }).format(value);

/** The mechanism in the consumer's words, e.g. « bruit de Laplace discret, échelle 2,0 ; ε = 0,5 ». */
export function describe(mechanism: Mechanism): string {
  const epsilon = `ε = ${frenchNumber(Number(mechanism.epsilonMicro) / Number(EPSILON_UNIT), 0, EPSILON_DECIMALS)}`;
  const scale = frenchNumber(toNumber(mechanism.scale), 1, 2);
  switch (mechanism.kind) {
    case 'discrete_laplace':
      return `bruit de Laplace discret, échelle ${scale} ; ${epsilon}`;
    case 'discrete_gaussian': {
      const delta = `δ = ${frenchNumber(Number(mechanism.deltaPico) / Number(DELTA_UNIT), 0, DELTA_DECIMALS)}`;
      return `bruit gaussien discret, écart type ${scale} ; ${epsilon} ; ${delta}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Composition

/**
 * Basic sequential composition: answering queries with costs (εᵢ, δᵢ) on the same data is
 * (Σεᵢ, Σδᵢ)-DP, whatever the consumer does between them (Dwork & Roth, Theorem 3.16). The node
 * charges each contract's budget this way because it holds for any mix of mechanisms, needs no
 * assumption about how queries are chosen, and is exact in integer units — a consumer and an auditor
 * reach the same balance. It is pessimistic for many small queries: advanced composition, or
 * accounting in zCDP (ρ adds up, which suits the discrete Gaussian), would allow more queries for
 * the same guarantee and are future work.
 */
export function composeBasic(costs: Iterable<PrivacyCost>): PrivacyCost {
  let epsilonMicro = 0n;
  let deltaPico = 0n;
  for (const cost of costs) {
    epsilonMicro += cost.epsilonMicro;
    deltaPico += cost.deltaPico;
  }
  return { epsilonMicro, deltaPico };
}

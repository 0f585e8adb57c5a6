/**
 * `node --import tsx bench/policy.ts`: the policy evaluator as a ratio to a hand-written function.
 *
 * A typical offer — one permission with five constraints: purpose isA dpv:ResearchAndDevelopment,
 * cf:partyType isAnyOf [research, public_body], elapsedTime lteq P12M, dateTime lteq 2027-12-31,
 * spatial isAnyOf [FR] — is read once with `readPolicy`, outside the loop. Then, on the same
 * generated requests (purposes narrower, broader and unrelated in DPV, the four organisation
 * categories, durations from 3 to 24 months, instants on both sides of the end date, three
 * countries: about a third are permitted), `evaluatePolicy` (whose result explains every rule and
 * constraint in French when read; the outcome itself is decided without building the explanation)
 * against a plain JavaScript function making the same five checks: DPV
 * subsumption through `purposeSatisfies`, the ISO duration parsed and compared in seconds, the
 * instant parsed and compared, plus the action and target the evaluator matches too. Both sides
 * must reach the same decision on every request, or the bench stops.
 *
 * Rounds alternate the two sides so that a noisy neighbour hurts both alike. Latency is timed per
 * batch of BATCH consecutive decisions (a single hand-written decision is shorter than the clock's
 * own cost) and reported per decision. Target: ≤ 2× the hand-written function. A third line, for
 * context, writes every decision's explanation out (JSON), as the decision preview does.
 *
 * Environment: BENCH_POLICY_REQUESTS (default 4 096), BENCH_POLICY_ROUNDS (default 20).
 */
import { evaluatePolicy, purposeSatisfies, readPolicy, type EvaluationRequest } from '@confiance/contract';

const REQUESTS = Number(process.env.BENCH_POLICY_REQUESTS ?? 4_096);
const ROUNDS = Number(process.env.BENCH_POLICY_ROUNDS ?? 20);
const BATCH = 16;

const DATASET = 'https://confiance.bench/datasets/qualite-air-occitanie';
const POLICY = {
  '@context': ['http://www.w3.org/ns/odrl.jsonld', { cf: 'https://w3id.org/confiance/odrl#', dpv: 'https://w3id.org/dpv#' }],
  '@type': 'Offer',
  uid: 'https://confiance.bench/offers/recherche',
  profile: 'https://w3id.org/confiance/odrl',
  assigner: 'https://confiance.bench/organisations/atmo-occitanie',
  target: DATASET,
  permission: [
    {
      action: 'cf:queryAggregate',
      constraint: [
        { leftOperand: 'purpose', operator: 'isA', rightOperand: { '@id': 'dpv:ResearchAndDevelopment' } },
        { leftOperand: 'cf:partyType', operator: 'isAnyOf', rightOperand: ['research', 'public_body'] },
        { leftOperand: 'elapsedTime', operator: 'lteq', rightOperand: { '@value': 'P12M', '@type': 'xsd:duration' } },
        { leftOperand: 'dateTime', operator: 'lteq', rightOperand: { '@value': '2027-12-31', '@type': 'xsd:date' } },
        { leftOperand: 'spatial', operator: 'isAnyOf', rightOperand: ['FR'] },
      ],
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// The hand-written baseline: the same five checks, written for this one offer.

const YEAR_S = 31_556_952;
const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;
function seconds(iso: string): number {
  const m = DURATION.exec(iso);
  if (!m) return Number.NaN;
  return Number(m[1] ?? 0) * YEAR_S + (Number(m[2] ?? 0) * YEAR_S) / 12 + Number(m[3] ?? 0) * 604_800 + Number(m[4] ?? 0) * 86_400;
}
const MAX_ELAPSED = seconds('P12M');
const END = Date.parse('2027-12-31T00:00:00Z');

function handWritten(request: EvaluationRequest): boolean {
  const context = request.context!;
  const action = request.action === 'cf:queryAggregate' && request.target === DATASET;
  const purpose = purposeSatisfies(context.purpose as string, 'dpv:ResearchAndDevelopment');
  const party = context['cf:partyType'] === 'research' || context['cf:partyType'] === 'public_body';
  const elapsed = seconds(context.elapsedTime as string) <= MAX_ELAPSED;
  const date = Date.parse(request.state!.now!) <= END;
  const spatial = context.spatial === 'FR';
  return action && purpose && party && elapsed && date && spatial;
}

// ---------------------------------------------------------------------------------------------
// Requests

/** Deterministic, so that two runs decide on the same requests. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20261128);
/** Mostly values that pass, so that many requests go through all five checks and some are permitted. */
const pick = <T>(pass: readonly T[], fail: readonly T[], failRate: number): T => {
  const from = random() < failRate ? fail : pass;
  return from[Math.floor(random() * from.length)]!;
};

const requests: EvaluationRequest[] = Array.from({ length: REQUESTS }, () => ({
  action: 'cf:queryAggregate',
  target: DATASET,
  assignee: 'https://confiance.bench/organisations/universite-toulouse',
  context: {
    purpose: pick(
      [
        'dpv:AcademicResearch',
        'dpv:ScientificResearch',
        'dpv:ResearchAndDevelopment',
        'dpv:NonCommercialResearch',
        'dpv:CommercialResearch',
      ],
      ['dpv:Marketing', 'dpv:PublicBenefit', 'dpv:CommercialPurpose', 'dpv:Purpose'],
      0.2,
    ),
    'cf:partyType': pick(['research', 'public_body'], ['company', 'association'], 0.2),
    elapsedTime: pick(['P3M', 'P6M', 'P12M', 'P1Y'], ['P18M', 'P2Y'], 0.2),
    spatial: pick(['FR'], ['DE', 'IT'], 0.15),
  },
  state: { now: pick(['2026-03-15T09:30:00Z', '2027-06-01T14:00:00Z', '2027-12-31T00:00:00Z'], ['2028-01-02T08:00:00Z'], 0.15) },
}));

// ---------------------------------------------------------------------------------------------
// Run

const read = readPolicy(POLICY);
if (!read.ok) throw new Error(`bench policy does not read: ${JSON.stringify(read.issues)}`);
const policy = read.policy;
const evaluator = (request: EvaluationRequest) => evaluatePolicy(policy, request).outcome === 'permit';
/** The same decision with its explanation written out: every rule and constraint with its French reason. */
const explained = (request: EvaluationRequest) => {
  const decision = evaluatePolicy(policy, request);
  return JSON.stringify(decision).length > 0 && decision.outcome === 'permit';
};

let permitted = 0;
for (const request of requests) {
  const ours = evaluator(request);
  if (ours !== handWritten(request)) throw new Error(`the two sides disagree on ${JSON.stringify(request)}`);
  if (ours) permitted++;
}

/** One pass over every request in batches; returns the per-decision time of each batch (µs) and the total (ms). */
function pass(decide: (request: EvaluationRequest) => boolean, samples: number[]): number {
  let sink = 0;
  const start = performance.now();
  for (let i = 0; i < requests.length; i += BATCH) {
    const t = performance.now();
    const end = Math.min(i + BATCH, requests.length);
    for (let j = i; j < end; j++) if (decide(requests[j]!)) sink++;
    samples.push(((performance.now() - t) * 1000) / (end - i));
  }
  const total = performance.now() - start;
  if (sink !== permitted) throw new Error('a side changed its mind between passes');
  return total;
}

// Warm both up (JIT, the DPV index built on first use) before anything is kept.
for (let i = 0; i < 5; i++) {
  pass(evaluator, []);
  pass(handWritten, []);
  pass(explained, []);
}
const oursSamples: number[] = [];
const rawSamples: number[] = [];
const explainedSamples: number[] = [];
let oursMs = 0;
let rawMs = 0;
let explainedMs = 0;
for (let round = 0; round < ROUNDS; round++) {
  if (round % 2 === 0) {
    oursMs += pass(evaluator, oursSamples);
    rawMs += pass(handWritten, rawSamples);
  } else {
    rawMs += pass(handWritten, rawSamples);
    oursMs += pass(evaluator, oursSamples);
  }
  // Fewer rounds for the written-out explanation: it is context, not the target.
  if (round % 4 === 0) explainedMs += pass(explained, explainedSamples);
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const decisions = REQUESTS * ROUNDS;
const perSecond = (ms: number) => Math.round(decisions / (ms / 1000)).toLocaleString('fr-FR');
const us = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} µs`;

console.log(
  `\npolicy: a 5-constraint offer, ${REQUESTS.toLocaleString('fr-FR')} requests (${permitted.toLocaleString('fr-FR')} permitted, ${(REQUESTS - permitted).toLocaleString('fr-FR')} denied) × ${ROUNDS} rounds, latency per decision from batches of ${BATCH}`,
);
console.log(`${'side'.padEnd(58)} ${'decisions/s'.padStart(12)} ${'p50'.padStart(10)} ${'p99'.padStart(10)}`);
const line = (label: string, ms: number, samples: number[]) =>
  console.log(
    `${label.padEnd(58)} ${perSecond(ms).padStart(12)} ${us(quantile(samples, 0.5)).padStart(10)} ${us(quantile(samples, 0.99)).padStart(10)}`,
  );
line('hand-written function (the same five checks)', rawMs, rawSamples);
line('evaluatePolicy (the decision; reasons written on demand)', oursMs, oursSamples);
const explainedRounds = Math.ceil(ROUNDS / 4);
console.log(
  `${'evaluatePolicy + every French reason written out'.padEnd(58)} ${Math.round((REQUESTS * explainedRounds) / (explainedMs / 1000))
    .toLocaleString('fr-FR')
    .padStart(12)} ${us(quantile(explainedSamples, 0.5)).padStart(10)} ${us(quantile(explainedSamples, 0.99)).padStart(10)}`,
);
const ratio = oursMs / rawMs;
console.log(
  `ratio: ${ratio.toFixed(2)}× the hand-written function's time per decision (p50 ${(quantile(oursSamples, 0.5) / quantile(rawSamples, 0.5)).toFixed(2)}×, p99 ${(quantile(oursSamples, 0.99) / quantile(rawSamples, 0.99)).toFixed(2)}×); target ≤ 2×`,
);

/**
 * `node --import tsx bench/privacy.ts`: a differentially private count as a ratio to the same
 * count without noise, both measured in the same run on the same published Parquet file (issue 8).
 *
 * A node on PGlite publishes a generated table of ROWS rows (bench/lib.ts: dep, sexe, jour over
 * 100 days, hosp) through upload → ingest → publish; the research organisation holds two
 * contracts on it, both granting aggregates, neither with a quota:
 * - no noise: rows and aggregates, so no disclosure control either — the compiled SQL is the DP
 *   grant's, and what differs is only the noise and the budget spent;
 * - DP: aggregate-only with privacy terms (ε budget 20, ε 0.01 per query, discrete Laplace: the
 *   run never exhausts it), so every count is noised and each query spends ε in its start transaction.
 * (An aggregate-only grant without privacy terms always gets disclosure control, whose cost
 * bench/query.ts measures: it would not isolate the noise.)
 *
 * Two counts, each through `POST /api/v1/datasets/:slug/query` as the holder (session, scope from
 * the contract, compile, ledger, the cached sandbox): `count(*)` grouped by jour (100 cells) and a
 * plain `count(*)` (1 cell); and the same SQL on `read_parquet` in a plain DuckDB set up like the
 * sandbox, for reference. Each side is warmed up, then runs are interleaved (the order rotating)
 * and the median [interquartile range] kept. Headline: DP ÷ no noise, target ≤ 1.1×, as the ratio
 * of the medians and, steadier on a shared machine, the median of each run's own ratio. Then the two
 * parts the DP path adds, timed alone: the budget's statements (open + spend) and the noise for
 * the cells. The figures end with one JSON line on stdout.
 *
 * Environment: BENCH_QUERY_ROWS (default 10 000 000), BENCH_RUNS (default 15, at least 7).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openDatabase } from '../packages/server/src/platform/db/database';
import { sqlString } from '../packages/server/src/modules/catalog/index';
import { openBudget, readBudget, spendBudget } from '../packages/server/src/modules/access/budget';
import { countNoise, cryptoRandom, parseEpsilon, sampleNoise } from '../packages/server/src/modules/access/dp';
import { elapsed, generateHospitalisations, iqr, median, ms, quantile, rawConnection, startNode } from './lib';

const ROWS = Number(process.env.BENCH_QUERY_ROWS ?? 10_000_000);
const RUNS = Math.max(7, Number(process.env.BENCH_RUNS ?? 15));
const WARMUP = 2;
const THREADS = 2;
const MEMORY = '512MB';
const EPSILON = '20';
const EPSILON_PER_QUERY = '0.01';

type Result = { rows: unknown[][]; privacy: { epsilonSpent: string; epsilonLeft: string; measures: { noise95: number }[] } | null };

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-bench-privacy-'));
const database = await openDatabase({});
const raw = await DuckDBInstance.create(':memory:');
let connection: DuckDBConnection | undefined;
let opened: Awaited<ReturnType<typeof startNode>>['app'] | undefined;
try {
  // --- the table, the node, the dataset and two contracts ---------------------------------------
  const generated = path.join(dir, 'hospitalisations.parquet');
  const gen = await generateHospitalisations(raw, generated, ROWS);
  console.log(
    `\nprivacy: generated ${ROWS.toLocaleString('fr-FR')} rows as Parquet (${(gen.bytes / 2 ** 20).toFixed(1)} MiB) in ${(gen.ms / 1000).toFixed(1)} s`,
  );
  const node = await startNode({ dir, database, threads: THREADS, memory: MEMORY });
  const { app, ctx, analyst } = node;
  opened = app;
  const slug = await node.publish(generated);
  const base = { template: 'commercial', purposes: ['dpv:ResearchAndDevelopment'], maxQueries: null, queriesPerDay: null };
  const contracts = {
    plain: await node.contract(slug, 'Agrégats sans bruit', { ...base, uses: ['rows', 'aggregate'] }),
    dp: await node.contract(slug, 'Comptages sous confidentialité différentielle', {
      ...base,
      uses: ['aggregate'],
      privacy: { epsilon: EPSILON, epsilonPerQuery: EPSILON_PER_QUERY, mechanism: 'discrete_laplace', clipping: [] },
    }),
  };
  const { file } = await node.publishedTable(slug);
  connection = await rawConnection(raw, THREADS, MEMORY);
  const rawDb = connection;

  // --- the two counts, four ways ------------------------------------------------------------------
  const counts = {
    grouped: {
      label: 'count(*) by jour',
      spec: { groupBy: ['jour'], aggregates: [{ fn: 'count', as: 'n' }] },
      sql: `SELECT "jour", count(*) AS "n" FROM read_parquet(${sqlString(file)}) GROUP BY "jour" ORDER BY "jour"`,
    },
    total: {
      label: 'count(*)',
      spec: { aggregates: [{ fn: 'count', as: 'n' }] },
      sql: `SELECT count(*) AS "n" FROM read_parquet(${sqlString(file)})`,
    },
  };
  type Count = keyof typeof counts;
  const sides = ['raw', 'plain', 'dp'] as const;
  type Side = (typeof sides)[number];
  const normalise = (rows: unknown[][]) => rows.map((row) => row.map((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v)));
  const runRaw = async (count: Count) => normalise((await rawDb.runAndReadAll(counts[count].sql)).getRowsJson() as unknown[][]);
  const enforced = async (count: Count, contract: string): Promise<Result> => {
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/datasets/${slug}/query?format=json`,
      headers: analyst,
      payload: { ...counts[count].spec, contract },
    });
    if (response.statusCode !== 200) throw new Error(`query: ${response.statusCode} ${response.body}`);
    return response.json<Result>();
  };
  const work = (side: Side, count: Count): (() => Promise<unknown>) =>
    side === 'raw' ? () => runRaw(count) : () => enforced(count, contracts[side]);

  // The answers first: no noise equals raw DuckDB; DP has the same cells, noised, and spends ε.
  const check: Record<Count, { cells: number; noise95: number; changed: number }> = {} as never;
  for (const count of Object.keys(counts) as Count[]) {
    const truth = await runRaw(count);
    const plain = await enforced(count, contracts.plain);
    if (JSON.stringify(plain.rows) !== JSON.stringify(truth) || plain.privacy !== null)
      throw new Error(`${count}: the no-noise grant differs from raw DuckDB:\n${JSON.stringify(plain.rows)}\n${JSON.stringify(truth)}`);
    const dp = await enforced(count, contracts.dp);
    if (!dp.privacy || dp.privacy.epsilonSpent !== EPSILON_PER_QUERY || dp.rows.length !== truth.length)
      throw new Error(`${count}: the DP grant returned no noise, another ε or other cells: ${JSON.stringify(dp).slice(0, 500)}`);
    const changed = dp.rows.filter((row, i) => JSON.stringify(row) !== JSON.stringify(truth[i])).length;
    check[count] = { cells: truth.length, noise95: dp.privacy.measures[0]!.noise95, changed };
  }
  if (check.grouped.changed === 0) throw new Error('no grouped cell was noised');

  for (let i = 0; i < WARMUP; i++) for (const count of Object.keys(counts) as Count[]) for (const side of sides) await work(side, count)();
  const samples = Object.fromEntries(
    (Object.keys(counts) as Count[]).map((count) => [count, Object.fromEntries(sides.map((side) => [side, [] as number[]]))]),
  ) as Record<Count, Record<Side, number[]>>;
  for (let run = 0; run < RUNS; run++) {
    for (const count of Object.keys(counts) as Count[]) {
      // Rotate the order, so that none is always first after the others.
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(run + k) % sides.length]!;
        samples[count][side].push((await elapsed(work(side, count)))[0]);
      }
    }
  }
  const spent = (await readBudget(ctx.db, contracts.dp))!;
  const dpQueries = 2 + WARMUP * 2 + RUNS * 2;
  if (spent.spent.epsilonMicro !== BigInt(dpQueries) * parseEpsilon(EPSILON_PER_QUERY))
    throw new Error(`the DP grant spent ${spent.spent.epsilonMicro} micro-ε over ${dpQueries} queries`);

  // --- the two parts the DP path adds, alone -------------------------------------------------------
  // The budget's statements as start() runs them (open, idempotent; spend, conditional), on the
  // DP contract, one micro-ε each; and the noise for 100 cells at the grant's ε per query.
  const budgetSamples: number[] = [];
  const noiseSamples: number[] = [];
  const total = { epsilonMicro: parseEpsilon(EPSILON), deltaPico: 0n };
  const mechanism = countNoise(EPSILON_PER_QUERY);
  const random = cryptoRandom();
  for (let run = 0; run < WARMUP + RUNS * 3; run++) {
    const [budgetMs] = await elapsed(async () => {
      await openBudget(ctx.db, contracts.dp, total);
      if (!(await spendBudget(ctx.db, contracts.dp, { epsilonMicro: 1n, deltaPico: 0n })).ok) throw new Error('budget used up');
    });
    const [noiseMs] = await elapsed(async () => {
      for (let cell = 0; cell < check.grouped.cells; cell++) sampleNoise(mechanism, random);
    });
    if (run < WARMUP) continue;
    budgetSamples.push(budgetMs);
    noiseSamples.push(noiseMs);
  }
  opened = undefined;
  await app.close();

  // --- report ------------------------------------------------------------------------------------
  const m = Object.fromEntries(
    (Object.keys(counts) as Count[]).map((count) => [count, Object.fromEntries(sides.map((side) => [side, median(samples[count][side])]))]),
  ) as Record<Count, Record<Side, number>>;
  const budgetMs = median(budgetSamples);
  /** Each run's own DP ÷ no-noise ratio: the two ran next to each other, under the same load. */
  const paired = (count: Count) => samples[count].dp.map((dp, run) => dp / samples[count].plain[run]!);
  const noiseMs = median(noiseSamples);
  console.log(
    `\nprivacy: a DP count vs the same count without noise (${THREADS} threads, ${MEMORY}), PGlite node, median [interquartile range] of ${RUNS} interleaved runs after ${WARMUP} warm-ups; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`,
  );
  console.log(
    `DP grant: ε ${EPSILON} budget, ${EPSILON_PER_QUERY} per query, discrete Laplace (95 % of the noise within ±${check.grouped.noise95}); ${ROWS.toLocaleString('fr-FR')} rows`,
  );
  for (const count of Object.keys(counts) as Count[]) {
    const t = m[count];
    const line = (label: string, side: Side, ratio = '') =>
      console.log(`   ${label.padEnd(47)} ${ms(t[side]).padStart(10)} ${iqr(samples[count][side]).padStart(11)}${ratio}`);
    console.log(`${count === 'grouped' ? 1 : 2}. ${counts[count].label} (${check[count].cells} cell${check[count].cells > 1 ? 's' : ''})`);
    line('raw DuckDB on the published Parquet', 'raw');
    line('POST …/query, aggregate grant without noise', 'plain', `  →  ${(t.plain / t.raw).toFixed(2)}× raw`);
    line(
      'POST …/query, DP grant (noise + ε spent)',
      'dp',
      `  →  ${(t.dp / t.plain).toFixed(2)}× no noise (target ≤ 1.1×), ${(t.dp / t.raw).toFixed(2)}× raw`,
    );
    console.log(
      `   each run's DP ÷ no noise: median ${median(paired(count)).toFixed(2)}× [${quantile(paired(count), 0.25).toFixed(2)}–${quantile(paired(count), 0.75).toFixed(2)}]`,
    );
  }
  // What dominates: of the DP grouped count, the scan (raw DuckDB), the node's path common to both
  // grants (no noise − raw), and what DP adds (DP − no noise), of which its two parts timed alone.
  const scan = m.grouped.raw;
  const fixed = m.grouped.plain - m.grouped.raw;
  const added = m.grouped.dp - m.grouped.plain;
  const share = (v: number) => `${((100 * v) / m.grouped.dp).toFixed(0)} %`;
  console.log(
    `Of the DP grouped count (${ms(m.grouped.dp)}): the ${ROWS.toLocaleString('fr-FR')}-row scan in DuckDB ${ms(scan)} (${share(scan)}), the node's path common to both grants (session, scope, compile, ledger, sandbox) ${ms(fixed)} (${share(fixed)}), DP's own ${ms(added)} (${share(added)}) — its budget statements on PGlite ${ms(budgetMs)} ${iqr(budgetSamples, 1)} and the noise for ${check.grouped.cells} cells ${ms(noiseMs)} ${iqr(noiseSamples, 1)} timed alone: ${scan >= fixed ? 'the scan dominates' : 'the node’s fixed path dominates'}, and within DP ${budgetMs >= noiseMs ? 'the budget’s round trips, not the noise' : 'the noise, not the budget’s round trips'}.`,
  );
  const figures = (count: Count) => ({
    cells: check[count].cells,
    rawMs: +m[count].raw.toFixed(1),
    noNoiseMs: +m[count].plain.toFixed(1),
    dpMs: +m[count].dp.toFixed(1),
    dpIqrMs: [+quantile(samples[count].dp, 0.25).toFixed(1), +quantile(samples[count].dp, 0.75).toFixed(1)],
    noNoiseIqrMs: [+quantile(samples[count].plain, 0.25).toFixed(1), +quantile(samples[count].plain, 0.75).toFixed(1)],
    dpRatio: +(m[count].dp / m[count].plain).toFixed(3),
    dpRatioPaired: +median(paired(count)).toFixed(3),
    dpRatioPairedIqr: [+quantile(paired(count), 0.25).toFixed(3), +quantile(paired(count), 0.75).toFixed(3)],
    dpRawRatio: +(m[count].dp / m[count].raw).toFixed(3),
    target: 1.1,
  });
  console.log(
    JSON.stringify({
      bench: 'privacy',
      rows: ROWS,
      runs: RUNS,
      threads: THREADS,
      epsilonPerQuery: EPSILON_PER_QUERY,
      grouped: figures('grouped'),
      total: figures('total'),
      budgetMs: +budgetMs.toFixed(2),
      noiseMs: +noiseMs.toFixed(2),
    }),
  );
} finally {
  await opened?.close();
  connection?.closeSync();
  raw.closeSync();
  await database.close();
  await fs.rm(dir, { recursive: true, force: true });
}

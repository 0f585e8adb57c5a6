/**
 * `node --import tsx bench/join.ts`: a pseudonymised join through the node as a ratio to the same
 * join on the raw keys in a plain DuckDB, both measured in the same run on the same published
 * Parquet files (issue 8, target ≤ 1.5×).
 *
 * A node on PGlite; two providers each publish a generated table of ROWS rows through upload →
 * ingest → publish: a hospital's stays (patient_id `P000000042`, sexe, service) and a registry's
 * diagnoses (patient_id, diagnostic over 100 codes), the registry's rows shuffled. Every patient is
 * on both sides once (1:1, ROWS distinct keys). The research organisation's administrator creates
 * a project; its analyst holds a contract on each table for that project, both granting rows and
 * aggregates (so no disclosure control: the join's result must equal the raw one) with
 * `joinKeys: ['patient_id']`.
 *
 * The query: the joined patients counted by the registry's diagnostic (100 groups), through
 * `POST /api/v1/datasets/:slug/query` with `join` (session, both scopes, checkJoin, planJoin,
 * compile, quotas and ledger on both contracts, the cached sandbox reading the joined view):
 * - (b) the first call alone: it writes the two pseudonymised copies (HMAC-SHA-256 of every key
 *   under the pair's key) into `{dataDir}/pseudonyms/` and opens the sandbox — one figure;
 * - (a) every later call (copies and sandbox cached): the headline;
 * - (c) raw DuckDB: the same grouped count joining the two published Parquet files on the raw keys,
 *   in a plain instance set up like the sandbox — the reference;
 * - (e) raw DuckDB joining the node's two pseudonymised copies: what the wider keys cost alone;
 * - (d) the node's grouped count by diagnostic on the registry alone, and (f) the same in raw
 *   DuckDB: the node's own fixed overhead, without a join.
 * Each side is warmed up, then runs are interleaved (the order rotating) and the median
 * [interquartile range] kept. Headline (a)/(c), also as the median of each run's own ratio; and
 * (b)/(c). The figures end with one JSON line on stdout.
 *
 * Environment: BENCH_JOIN_ROWS (default 1 000 000), BENCH_RUNS (default 9, at least 7).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openDatabase } from '../packages/server/src/platform/db/database';
import { sqlString } from '../packages/server/src/modules/catalog/index';
import { admitOrganisation } from '../packages/server/src/modules/members/index';
import { elapsed, iqr, median, ms, quantile, rawConnection, startNode } from './lib';

const ROWS = Number(process.env.BENCH_JOIN_ROWS ?? 1_000_000);
const RUNS = Math.max(7, Number(process.env.BENCH_RUNS ?? 9));
const WARMUP = 2;
const THREADS = 2;
const MEMORY = '512MB';
const DIAGNOSTICS = 100;

type Result = { rows: unknown[][]; join?: { dataset: string } | null };

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-bench-join-'));
const database = await openDatabase({});
const raw = await DuckDBInstance.create(':memory:');
let connection: DuckDBConnection | undefined;
let opened: Awaited<ReturnType<typeof startNode>>['app'] | undefined;
try {
  // --- the two tables ------------------------------------------------------------------------------
  const staysFile = path.join(dir, 'sejours.parquet');
  const registryFile = path.join(dir, 'registre.parquet');
  {
    const gen = await raw.connect();
    try {
      const [genMs] = await elapsed(async () => {
        await gen.run(
          `COPY (SELECT printf('P%09d', i) AS patient_id,
                        CAST(hash(i, 1) % 3 AS INTEGER) AS sexe,
                        ['cardio', 'pneumo', 'urgences', 'pediatrie'][1 + CAST(hash(i, 2) % 4 AS INTEGER)] AS service
                 FROM range(${ROWS}) t(i)) TO ${sqlString(staysFile)} (FORMAT parquet)`,
        );
        await gen.run(
          `COPY (SELECT printf('P%09d', i) AS patient_id,
                        printf('D%02d', CAST(hash(i, 4) % ${DIAGNOSTICS} AS INTEGER)) AS diagnostic
                 FROM range(${ROWS}) t(i) ORDER BY hash(i, 5)) TO ${sqlString(registryFile)} (FORMAT parquet)`,
        );
      });
      const mib = ((await fs.stat(staysFile)).size + (await fs.stat(registryFile)).size) / 2 ** 20;
      console.log(
        `\njoin: generated 2 × ${ROWS.toLocaleString('fr-FR')} rows as Parquet (${mib.toFixed(1)} MiB) in ${(genMs / 1000).toFixed(1)} s`,
      );
    } finally {
      gen.closeSync();
    }
  }

  // --- the node, two providers, a project, two contracts -------------------------------------------
  const node = await startNode({ dir, database, threads: THREADS, memory: MEMORY });
  const { app, ctx, analyst } = node;
  opened = app;
  const registry = await admitOrganisation(ctx, {
    slug: 'registre-bench',
    legalName: 'Registre bench',
    shortName: 'Registre bench',
    category: 'public_body',
  });
  const registrySteward = await node.member(registry.id, 'data_steward');
  const [publishMs, [staysSlug, registrySlug]] = await elapsed(async () => [
    await node.publish(staysFile, { title: 'Séjours générés (bench)', description: 'Des séjours hospitaliers générés, par patient.' }),
    await node.publish(registryFile, {
      organisation: registry.slug,
      steward: registrySteward,
      title: 'Registre généré (bench)',
      description: 'Des diagnostics générés, par patient, pour mesurer les jointures pseudonymisées.',
    }),
  ]);
  console.log(`join: both uploaded, ingested and published in ${(publishMs / 1000).toFixed(1)} s`);
  const admin = await node.member(node.consumer.id, 'org_admin');
  const project = (
    await node.call(
      'POST',
      '/api/v1/projects',
      admin,
      { title: 'Parcours des patients (bench)', purpose: 'dpv:ResearchAndDevelopment', leadOrganisation: node.consumer.slug },
      201,
    )
  ).json<{ id: string }>().id;
  const terms = {
    template: 'commercial',
    purposes: ['dpv:ResearchAndDevelopment'],
    maxQueries: null,
    queriesPerDay: null,
    uses: ['rows', 'aggregate'],
    joinKeys: ['patient_id'],
  };
  const contracts = {
    stays: await node.contract(staysSlug, 'Séjours joignables', terms, { project }),
    registry: await node.contract(registrySlug, 'Registre joignable', terms, { project, steward: registrySteward }),
  };
  const stays = await node.publishedTable(staysSlug);
  const registre = await node.publishedTable(registrySlug);
  connection = await rawConnection(raw, THREADS, MEMORY);
  const rawDb = connection;

  // --- the queries ---------------------------------------------------------------------------------
  const right = `${registre.table.name}.diagnostic`;
  const joinSpec = {
    contract: contracts.stays,
    join: { dataset: registrySlug, contract: contracts.registry, on: [{ left: 'patient_id', right: 'patient_id' }] },
    groupBy: [right],
    aggregates: [{ fn: 'count', as: 'n' }],
  };
  const singleSpec = { contract: contracts.registry, groupBy: ['diagnostic'], aggregates: [{ fn: 'count', as: 'n' }] };
  const joinSql = (left: string, rightFile: string) =>
    `SELECT r."diagnostic", count(*) AS "n" FROM read_parquet(${sqlString(left)}) AS l JOIN read_parquet(${sqlString(rightFile)}) AS r ON l."patient_id" = r."patient_id" GROUP BY r."diagnostic" ORDER BY r."diagnostic"`;
  const rawJoinSql = joinSql(stays.file, registre.file);
  const rawSingleSql = `SELECT "diagnostic", count(*) AS "n" FROM read_parquet(${sqlString(registre.file)}) GROUP BY "diagnostic" ORDER BY "diagnostic"`;

  const normalise = (rows: unknown[][]) => rows.map((row) => row.map((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v)));
  const runRaw = async (sql: string) => normalise((await rawDb.runAndReadAll(sql)).getRowsJson() as unknown[][]);
  const enforced = async (slug: string, spec: object): Promise<Result> => {
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/datasets/${slug}/query?format=json`,
      headers: analyst,
      payload: spec,
    });
    if (response.statusCode !== 200) throw new Error(`query: ${response.statusCode} ${response.body}`);
    return response.json<Result>();
  };
  const same = (a: unknown[][], b: unknown[][], what: string) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${what} differ:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);
  };

  // The node's own path warmed first (a query on each table without a join), so that the first
  // join call pays for the join's first time, not for the process's.
  for (let i = 0; i < WARMUP; i++) {
    await enforced(registrySlug, singleSpec);
    await enforced(staysSlug, { contract: contracts.stays, groupBy: ['sexe'], aggregates: [{ fn: 'count', as: 'n' }] });
  }
  const pseudonymsDir = path.join(ctx.config.dataDir, 'pseudonyms');
  const before = await fs.readdir(pseudonymsDir).catch(() => []);
  if (before.length > 0) throw new Error(`pseudonymised copies already there: ${before.join(', ')}`);

  // (b) the first call, once.
  const [firstMs, first] = await elapsed(() => enforced(staysSlug, joinSpec));
  const truth = await runRaw(rawJoinSql);
  if (first.join?.dataset !== registrySlug) throw new Error(`not a join: ${JSON.stringify(first).slice(0, 300)}`);
  same(first.rows, truth, 'the node’s join and the raw-key join');
  const total = truth.reduce((sum, row) => sum + Number(row[1]), 0);
  if (truth.length !== DIAGNOSTICS || total !== ROWS) throw new Error(`the join has ${truth.length} groups and ${total} rows`);

  // The copies the first call wrote: which is which, by their columns.
  const copies = (await fs.readdir(pseudonymsDir)).filter((f) => f.endsWith('.parquet')).map((f) => path.join(pseudonymsDir, f));
  if (copies.length !== 2) throw new Error(`expected 2 pseudonymised copies, found ${copies.length}`);
  const hasDiagnostic = async (file: string) =>
    (await rawDb.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(file)}))`))
      .getRows()
      .some((r) => r[0] === 'diagnostic');
  const [leftCopy, rightCopy] = (await hasDiagnostic(copies[0]!)) ? [copies[1]!, copies[0]!] : [copies[0]!, copies[1]!];
  const copiesSql = joinSql(leftCopy, rightCopy);
  const copiesMiB = ((await fs.stat(leftCopy)).size + (await fs.stat(rightCopy)).size) / 2 ** 20;
  const publishedMiB = ((await fs.stat(stays.file)).size + (await fs.stat(registre.file)).size) / 2 ** 20;
  same(await runRaw(copiesSql), truth, 'the join of the pseudonymised copies and the raw-key join');
  same((await enforced(registrySlug, singleSpec)).rows, await runRaw(rawSingleSql), 'the node’s and raw DuckDB’s single-table counts');

  // --- interleaved runs ----------------------------------------------------------------------------
  const sides = ['join', 'rawJoin', 'copiesJoin', 'single', 'rawSingle'] as const;
  type Side = (typeof sides)[number];
  const work: Record<Side, () => Promise<unknown>> = {
    join: () => enforced(staysSlug, joinSpec),
    rawJoin: () => runRaw(rawJoinSql),
    copiesJoin: () => runRaw(copiesSql),
    single: () => enforced(registrySlug, singleSpec),
    rawSingle: () => runRaw(rawSingleSql),
  };
  for (let i = 0; i < WARMUP; i++) for (const side of sides) await work[side]();
  const samples = Object.fromEntries(sides.map((side) => [side, [] as number[]])) as Record<Side, number[]>;
  for (let run = 0; run < RUNS; run++) {
    // Rotate the order, so that none is always first after the others.
    for (let k = 0; k < sides.length; k++) {
      const side = sides[(run + k) % sides.length]!;
      samples[side].push((await elapsed(work[side]))[0]);
    }
  }
  const stillTwo = (await fs.readdir(pseudonymsDir)).filter((f) => f.endsWith('.parquet')).length;
  if (stillTwo !== 2) throw new Error(`the later calls wrote more copies: ${stillTwo}`);
  opened = undefined;
  await app.close();

  // --- report --------------------------------------------------------------------------------------
  const m = Object.fromEntries(sides.map((side) => [side, median(samples[side])])) as Record<Side, number>;
  /** Each run's own node ÷ raw ratio: the two ran next to each other, under the same load. */
  const paired = samples.join.map((t, run) => t / samples.rawJoin[run]!);
  console.log(
    `\njoin: a pseudonymised join through the node vs the same join on the raw keys (${THREADS} threads, ${MEMORY}), PGlite node, median [interquartile range] of ${RUNS} interleaved runs after ${WARMUP} warm-ups; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`,
  );
  console.log(
    `2 × ${ROWS.toLocaleString('fr-FR')} rows, 1:1 on patient_id (${ROWS.toLocaleString('fr-FR')} distinct keys), count(*) by the registry's diagnostic (${DIAGNOSTICS} groups); both contracts rows + aggregates with joinKeys [patient_id], one project (no disclosure control); published ${publishedMiB.toFixed(1)} MiB, pseudonymised copies ${copiesMiB.toFixed(1)} MiB`,
  );
  const line = (label: string, side: Side, ratio = '') =>
    console.log(`   ${label.padEnd(58)} ${ms(m[side]).padStart(10)} ${iqr(samples[side]).padStart(13)}${ratio}`);
  line('(c) raw DuckDB, join on the raw keys of the published files', 'rawJoin');
  line(
    '(a) POST …/query with join, copies cached',
    'join',
    `  →  ${(m.join / m.rawJoin).toFixed(2)}× raw (target ≤ 1.5×); each run's own ratio ${median(paired).toFixed(2)}× [${quantile(paired, 0.25).toFixed(2)}–${quantile(paired, 0.75).toFixed(2)}]`,
  );
  console.log(
    `   ${'(b) POST …/query with join, first call (writes the copies)'.padEnd(58)} ${ms(firstMs).padStart(10)} ${'(once)'.padStart(13)}  →  ${(firstMs / m.rawJoin).toFixed(2)}× raw`,
  );
  line('(e) raw DuckDB, join on the pseudonymised copies', 'copiesJoin', `  →  ${(m.copiesJoin / m.rawJoin).toFixed(2)}× raw`);
  line('(d) POST …/query without join, registry alone', 'single', `  →  ${(m.single / m.rawSingle).toFixed(2)}× raw`);
  line('(f) raw DuckDB, registry alone', 'rawSingle');
  // What dominates the cached join: DuckDB's join on the raw keys; then, of what (a) costs beyond
  // it, the stored pseudonyms (16-byte UUIDs) in DuckDB (e − c) and the node's path around the join (a − e),
  // beside its fixed overhead without a join (d − f); and of the first call, the copies (b − a).
  const excess = m.join - m.rawJoin;
  const keysCost = m.copiesJoin - m.rawJoin;
  const nodeCost = m.join - m.copiesJoin;
  const fixed = m.single - m.rawSingle;
  const share = (v: number) => `${((100 * v) / excess).toFixed(0)} %`;
  console.log(
    `What dominates: the join itself (c, ${ms(m.rawJoin)}); of the ${ms(excess)} beyond it, the pseudonyms' form — a 16-byte UUID (the HMAC's first 128 bits) against 10 characters of text, in DuckDB alone (e − c) — ${ms(keysCost)} (${share(keysCost)}), the node's path (a − e) ${ms(nodeCost)} (${share(nodeCost)}; without a join, d − f: ${ms(fixed)}): ${keysCost >= nodeCost ? 'the keys’ form dominates' : 'the node’s path dominates'}. The first call adds ${ms(firstMs - m.join)}, hashing and writing the two copies (2 × ${ROWS.toLocaleString('fr-FR')} HMAC-SHA-256) and opening the sandbox, once per pair of contracts and table version.`,
  );
  const range = (side: Side) => [+quantile(samples[side], 0.25).toFixed(1), +quantile(samples[side], 0.75).toFixed(1)];
  console.log(
    JSON.stringify({
      bench: 'join',
      rows: ROWS,
      runs: RUNS,
      threads: THREADS,
      groups: DIAGNOSTICS,
      joinMs: +m.join.toFixed(1),
      joinIqrMs: range('join'),
      firstMs: +firstMs.toFixed(1),
      rawJoinMs: +m.rawJoin.toFixed(1),
      rawJoinIqrMs: range('rawJoin'),
      copiesJoinMs: +m.copiesJoin.toFixed(1),
      copiesRatio: +(m.copiesJoin / m.rawJoin).toFixed(3),
      singleMs: +m.single.toFixed(1),
      rawSingleMs: +m.rawSingle.toFixed(1),
      ratio: +(m.join / m.rawJoin).toFixed(3),
      ratioPaired: +median(paired).toFixed(3),
      ratioPairedIqr: [+quantile(paired, 0.25).toFixed(3), +quantile(paired, 0.75).toFixed(3)],
      firstRatio: +(firstMs / m.rawJoin).toFixed(3),
      target: 1.5,
    }),
  );
} finally {
  await opened?.close();
  connection?.closeSync();
  raw.closeSync();
  await database.close();
  await fs.rm(dir, { recursive: true, force: true });
}

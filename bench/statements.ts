/**
 * `node --import tsx bench/statements.ts`: a monthly statement over ENTRIES metered ledger entries
 * as a ratio to the raw SQL aggregation of the same rows, both measured in the same run (issue 9).
 *
 * A node on PGlite (or on PostgreSQL with BENCH_DATABASE_URL, in a fresh database) publishes a small
 * generated table; the research organisation holds CONTRACTS contracts on it, each with a priced
 * plan (per query, per 1 000 rows), and runs one real query under each, so the ledger holds one
 * genuine `query.completed` entry per contract. Then ENTRIES more `query.completed` entries of the
 * current month are written by SQL, spread over the contracts in turn: valid entries (the leaf is
 * the JCS of { type, time, public, commitment } with the genuine entry's public part, a new query id
 * and units; commitment = SHA-256(salt ‖ JCS(details)); one in 49 failed with 0 rows, the others
 * completed with 0..999 rows), sequenced after the last entry as `recordFacts` does, and integrated
 * by the node's own integrator (leaf hashes, subtrees, a signed checkpoint), so the statement is
 * computed at a real signed checkpoint covering them all.
 *
 * Measured, interleaved (the order alternating) after a warm-up:
 * (a) `computeStatement` for the consumer over the month: the ledger read, the contracts' plans,
 *     the pricing, every line citing all its entries;
 * (b) raw SQL: one `select public->>'contract', count(*), sum(units) … group by` over the same rows
 *     with the same filters (usage types, below the checkpoint, the month, the consumer).
 * Before timing, the statement's lines must agree with the raw aggregation (entries per contract,
 * units) and cite every entry, and `recheckStatement` (the entries read back one by one) must
 * recompute the same statement. Headline: median (a) ÷ median (b), and the median of each run's own
 * ratio; target ≤ 2×. The figures end with one JSON line on stdout.
 *
 * Environment: BENCH_ENTRIES (default 1 000 000), BENCH_RUNS (default 9, at least 5),
 * BENCH_DATABASE_URL (PostgreSQL server; default: PGlite in memory), BENCH_KEEP=1 to keep that database.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { canonicalJson } from '@confiance/contract';
import { DuckDBInstance } from '@duckdb/node-api';
import { sql } from 'kysely';
import { openDatabase } from '../packages/server/src/platform/db/database';
import { computeStatement, recheckStatement } from '../packages/server/src/modules/billing/index';
import { elapsed, generateHospitalisations, iqr, median, ms, quantile, startNode } from './lib';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 9));
const WARMUP = 1;
const CHUNK = 100_000;
const serverUrl = process.env.BENCH_DATABASE_URL;

const PLANS = [
  { title: 'Comptages à la requête', plan: { kind: 'per_query', price: 5 } },
  { title: 'Lignes au volume', plan: { kind: 'per_units', unit: 'rows', price: 2000 } },
  { title: 'Comptages premium', plan: { kind: 'per_query', price: 100 } },
  { title: 'Lignes au volume, remise membre', plan: { kind: 'per_units', unit: 'rows', price: 500, memberDiscount: '10' } },
];

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const name = `confiance_bench_statements_${randomBytes(4).toString('hex')}`;
const admin = serverUrl ? await openDatabase({ databaseUrl: withDatabase(serverUrl, 'postgres'), poolSize: 1 }) : undefined;
if (admin) await sql.raw(`create database ${name}`).execute(admin.db);
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-bench-statements-'));
const database = await openDatabase(serverUrl ? { databaseUrl: withDatabase(serverUrl, name), poolSize: 2 } : {});
const duck = await DuckDBInstance.create(':memory:');
let opened: Awaited<ReturnType<typeof startNode>>['app'] | undefined;
try {
  // --- the node, a dataset, the contracts and one real query under each -------------------------
  const file = path.join(dir, 'hospitalisations.parquet');
  await generateHospitalisations(duck, file, 1_000);
  const node = await startNode({ dir, database, threads: 1, memory: '256MB' });
  const { app, ctx, analyst, consumer } = node;
  opened = app;
  const slug = await node.publish(file);
  const base = { template: 'commercial', purposes: ['dpv:ResearchAndDevelopment'], maxQueries: null, queriesPerDay: null };
  const contracts: string[] = [];
  for (const { title, plan } of PLANS) {
    const contract = await node.contract(slug, title, { ...base, uses: ['rows', 'aggregate'], plan });
    contracts.push(contract);
    await node.call('POST', `/api/v1/datasets/${slug}/query?format=json`, analyst, {
      contract,
      groupBy: ['dep'],
      aggregates: [{ fn: 'count' }],
    });
  }
  await app.confiance.ledger.integrate();

  // --- ENTRIES generated completions, sequenced and integrated -----------------------------------
  const { rows: genuine } = await sql<{ public: Record<string, unknown>; parties: string[] | string }>`
    select distinct on (public->>'contract') public, parties from ledger_entries
    where type = 'query.completed' and public->>'consumer' = ${consumer.slug} order by public->>'contract', tree_index`.execute(ctx.db);
  if (genuine.length !== contracts.length) throw new Error(`${genuine.length} genuine completions for ${contracts.length} contracts`);
  // The leaf of each contract's entries with placeholders for what changes per entry, in JCS order;
  // SQL fills them in (the placeholders are strings and a number no real value takes).
  const templates = genuine.map((g) =>
    canonicalJson({
      type: 'query.completed',
      time: '@time@',
      public: { ...g.public, query: '@query@', units: 987654321 },
      commitment: '@commitment@',
    }),
  );
  const publics = genuine.map((g) => JSON.stringify(g.public));
  // Every completion of the consumer names the same two parties: as an array literal for SQL.
  const party = genuine[0]!.parties;
  const parties = typeof party === 'string' ? party : `{${party.join(',')}}`;
  const period = new Date().toISOString().slice(0, 7);
  const monthStart = `${period}-01 00:00:00`;
  // Spread over the month's first 28 days, in tree order.
  const stepMs = Math.floor((28 * 86_400_000) / ENTRIES);
  const details = (outcome: string) => sql`'{"cellsSuppressed":null,"elapsedMs":' || (g % 900 + 20) || ',"outcome":"${sql.raw(outcome)}"}'`;
  let t = performance.now();
  for (let done = 0; done < ENTRIES; done += CHUNK) {
    const count = Math.min(CHUNK, ENTRIES - done);
    await sql`
      with seq as (select coalesce(max(tree_index), -1) + 1 as first from ledger_entries),
      tpl as (select * from unnest(cast(${publics} as text[]), cast(${templates} as text[])) with ordinality as t(public, leaf, k)),
      e as (
        select id, g, units, salt, details, encode(sha256(salt || convert_to(details, 'UTF8')), 'hex') as commitment,
               to_char(cast(${monthStart} as timestamp) + g * cast(${stepMs} as bigint) * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as time,
               'bench-' || g as query, g % cast(${contracts.length} as bigint) + 1 as k
        from (select seq.first + g - cast(${done + 1} as bigint) as id, g,
                     case when g % 49 = 0 then 0 else (g * 7919) % 1000 end as units,
                     sha256(int8send(seq.first + g)) as salt,
                     case when g % 49 = 0 then ${details('failed')} else ${details('completed')} end as details
              from seq, generate_series(cast(${done + 1} as bigint), cast(${done + count} as bigint)) g) s)
      insert into ledger_entries (tree_index, type, time, public, commitment, leaf, parties, salt, details)
      select e.id, 'query.completed', e.time,
             cast(tpl.public as jsonb) || jsonb_build_object('query', e.query, 'units', e.units),
             e.commitment,
             convert_to(replace(replace(replace(replace(tpl.leaf, '"@time@"', '"' || e.time || '"'), '"@query@"', '"' || e.query || '"'),
                                        '"units":987654321', '"units":' || e.units), '"@commitment@"', '"' || e.commitment || '"'), 'UTF8'),
             cast(${parties} as text[]), e.salt, cast(e.details as jsonb)
      from e join tpl on tpl.k = e.k`.execute(ctx.db);
  }
  const generatedMs = performance.now() - t;
  // Spot-check one generated entry against what recordFacts would have written.
  const { rows: sample } = await sql<{
    leaf: Buffer | Uint8Array;
    public: unknown;
    time: string;
    commitment: string;
    details: unknown;
    salt: Buffer | Uint8Array;
  }>`
    select leaf, public, time, commitment, details, salt from ledger_entries order by tree_index desc limit 1`.execute(ctx.db);
  const last = sample[0]!;
  const leaf = canonicalJson({ type: 'query.completed', time: last.time, public: last.public, commitment: last.commitment });
  const commitment = createHash('sha256').update(last.salt).update(canonicalJson(last.details), 'utf8').digest('hex');
  if (Buffer.from(last.leaf).toString('utf8') !== leaf || commitment !== last.commitment)
    throw new Error(`generated entry differs from recordFacts':\n${Buffer.from(last.leaf).toString('utf8')}\n${leaf}`);
  t = performance.now();
  const size = await app.confiance.ledger.integrate();
  const integratedMs = performance.now() - t;
  if (!serverUrl) await sql`checkpoint`.execute(ctx.db);
  await sql`vacuum analyze ledger_entries`.execute(ctx.db);
  console.log(
    `\nstatements: ${ENTRIES.toLocaleString('fr-FR')} completions generated in ${(generatedMs / 1000).toFixed(1)} s, integrated (tree size ${size.toLocaleString('fr-FR')}) in ${(integratedMs / 1000).toFixed(1)} s`,
  );

  // --- the two sides, checked against each other ------------------------------------------------
  const query = { organisation: consumer.slug, period, role: 'consumer' as const };
  const from = new Date(`${monthStart}Z`).toISOString();
  const to = new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 1)).toISOString();
  const statement = () => computeStatement(ctx, query);
  const raw = async () =>
    (
      await sql<{ contract: string; n: string | number; units: string | number }>`
        select public->>'contract' as contract, count(*) as n, sum((public->>'units')::bigint) as units
        from ledger_entries
        where type in ('query.completed', 'download') and tree_index < ${size} and time >= ${from} and time < ${to}
          and public->>'consumer' = ${consumer.slug}
        group by public->>'contract'`.execute(ctx.db)
    ).rows;

  const [firstMs, computed] = await elapsed(statement);
  const truth = await raw();
  if (computed.checkpoint.size !== size) throw new Error(`statement at checkpoint ${computed.checkpoint.size}, not ${size}`);
  const cited = computed.lines.reduce((n, l) => n + l.entries.length, 0);
  const total = truth.reduce((n, r) => n + Number(r.n), 0);
  if (total !== ENTRIES + contracts.length || cited !== total) throw new Error(`${cited} entries cited, ${total} in the month`);
  for (const r of truth) {
    const line = computed.lines.find((l) => l.contract === r.contract);
    if (
      !line ||
      line.entries.length !== Number(r.n) ||
      line.units !== Number(r.units) ||
      line.queries + line.unbilledQueries !== Number(r.n)
    )
      throw new Error(
        `line of ${r.contract} differs from raw SQL: ${JSON.stringify(r)} ${JSON.stringify({ ...line, entries: line?.entries.length })}`,
      );
    for (let i = 1; i < line.entries.length; i++)
      if (line.entries[i]! <= line.entries[i - 1]!) throw new Error('entries out of tree order');
  }
  // And the statement must be the one its re-check recomputes from the entries one by one.
  const [recheckMs, recheck] = await elapsed(() => recheckStatement(ctx, computed));
  if (!recheck.matches) throw new Error(`the statement's re-check differs: ${recheck.differences.slice(0, 5).join('\n')}`);

  const sides: Record<'statement' | 'raw', () => Promise<unknown>> = { statement, raw };
  type Side = keyof typeof sides;
  const samples: Record<Side, number[]> = { statement: [], raw: [] };
  for (let i = 0; i < WARMUP; i++) for (const side of Object.keys(sides) as Side[]) await sides[side]();
  for (let run = 0; run < RUNS; run++) {
    const order: Side[] = run % 2 === 0 ? ['statement', 'raw'] : ['raw', 'statement'];
    for (const side of order) samples[side].push((await elapsed(sides[side]))[0]);
  }
  opened = undefined;
  await app.close();

  // --- report -------------------------------------------------------------------------------------
  const m = { statement: median(samples.statement), raw: median(samples.raw) };
  const paired = samples.statement.map((s, run) => s / samples.raw[run]!);
  const backend = serverUrl ? 'PostgreSQL' : 'PGlite';
  console.log(
    `statements: the consumer's monthly statement vs raw SQL aggregation, ${backend}, median [interquartile range] of ${RUNS} interleaved runs after ${WARMUP} warm-up; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`,
  );
  console.log(
    `${total.toLocaleString('fr-FR')} completions over ${contracts.length} priced contracts (${computed.lines.map((l) => `${l.queries}+${l.unbilledQueries} unbilled`).join(', ')}), first computation ${ms(firstMs)}, its re-check from the entries one by one ${ms(recheckMs)} (matches)`,
  );
  console.log(`   raw SQL: count, sum(units) group by contract      ${ms(m.raw).padStart(10)} ${iqr(samples.raw).padStart(15)}`);
  console.log(
    `   computeStatement (consumer, ${period})           ${ms(m.statement).padStart(10)} ${iqr(samples.statement).padStart(15)}  →  ${(m.statement / m.raw).toFixed(2)}× raw (target ≤ 2×)`,
  );
  console.log(
    `   each run's statement ÷ raw: median ${median(paired).toFixed(2)}× [${quantile(paired, 0.25).toFixed(2)}–${quantile(paired, 0.75).toFixed(2)}]`,
  );
  console.log(
    JSON.stringify({
      bench: 'statements',
      backend,
      entries: total,
      contracts: contracts.length,
      runs: RUNS,
      statementMs: +m.statement.toFixed(1),
      statementIqrMs: [+quantile(samples.statement, 0.25).toFixed(1), +quantile(samples.statement, 0.75).toFixed(1)],
      rawMs: +m.raw.toFixed(1),
      rawIqrMs: [+quantile(samples.raw, 0.25).toFixed(1), +quantile(samples.raw, 0.75).toFixed(1)],
      ratio: +(m.statement / m.raw).toFixed(3),
      ratioPaired: +median(paired).toFixed(3),
      ratioPairedIqr: [+quantile(paired, 0.25).toFixed(3), +quantile(paired, 0.75).toFixed(3)],
      target: 2,
      firstMs: Math.round(firstMs),
      recheckMs: Math.round(recheckMs),
      generatedMs: Math.round(generatedMs),
      integratedMs: Math.round(integratedMs),
      loadAverage: +os.loadavg()[0]!.toFixed(2),
    }),
  );
} finally {
  await opened?.close();
  duck.closeSync();
  await database.close();
  await fs.rm(dir, { recursive: true, force: true });
  if (admin) {
    if (process.env.BENCH_KEEP) console.log(`kept database ${name} (BENCH_KEEP)`);
    else await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
    await admin.close();
  }
}

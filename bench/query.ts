/**
 * `node --import tsx bench/query.ts`: queries under contract as a ratio to raw DuckDB, both
 * measured in the same run on the same Parquet file.
 *
 * A node on PGlite (`CONFIANCE_QUERY_MAX_ROWS` 10 000 000) publishes a generated table of ROWS
 * rows (dep: the 13 Occitanie codes, sexe 0..2, jour over 100 days, hosp) uploaded as Parquet
 * through the ordinary upload → ingest → publish path; a research organisation holds two contracts
 * on it: one granting rows, SQL and aggregates (no `rowsPerResponse`, no quota), one aggregate-only
 * with disclosure control (≤ 7 masked, rounded to 5; dimensions dep, sexe, jour; hosp a count).
 * Every enforced query goes the whole way: `POST /api/v1/datasets/:slug/query` as the holder —
 * session, authorization, scope read from the contract, compile, quota under the contract's row
 * lock, `query.started` and `query.completed` in the ledger, the cached sandbox.
 *
 * 1. Filter + group-by (`sum(hosp)` by dep × sexe over two months and sexe ∈ {1, 2}) through
 *    `app.inject`, against the same SQL on `read_parquet` of the published file in a plain
 *    `@duckdb/node-api` instance set up like the sandbox (2 threads, 512MB, insertion order not
 *    preserved), rows read back. Headline: the rows grant (no disclosure control; its result must
 *    equal the raw one or the bench stops). Second line: the aggregate-only grant (disclosure
 *    control on every cell). Target ≤ 1.15× raw.
 * 2. CSV stream of STREAM_ROWS rows (`?format=csv`, rows grant) over a real socket (`app.listen`
 *    + `fetch` in this process, read to the end), against DuckDB's own
 *    `COPY (SELECT … LIMIT n) TO 'file.csv'` of the same rows. Throughput ratio (enforced MB/s ÷
 *    COPY MB/s); target ≥ 0.5×.
 *
 * Each side is warmed up, then runs are interleaved (the order alternating) and the median kept.
 * The figures end with one JSON line on stdout.
 *
 * Environment: BENCH_QUERY_ROWS (default 10 000 000), BENCH_STREAM_ROWS (default 1 000 000),
 * BENCH_RUNS (default 9).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openDatabase } from '../packages/server/src/platform/db/database';
import { sqlString } from '../packages/server/src/modules/catalog/index';
import { elapsed, generateHospitalisations, iqr, median, ms, rawConnection as openRaw, startNode } from './lib';

const execFileAsync = promisify(execFile);

const ROWS = Number(process.env.BENCH_QUERY_ROWS ?? 10_000_000);
const STREAM_ROWS = Number(process.env.BENCH_STREAM_ROWS ?? 1_000_000);
const RUNS = Math.max(7, Number(process.env.BENCH_RUNS ?? 9));
const WARMUP = 2;
const THREADS = 2;
const MEMORY = '512MB';

const FROM = '2020-04-01';
const TO = '2020-05-31';

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-bench-query-'));
const database = await openDatabase({});
const raw = await DuckDBInstance.create(':memory:');
let connection: DuckDBConnection | undefined;
let opened: Awaited<ReturnType<typeof startNode>>['app'] | undefined;
try {
  // --- the table -------------------------------------------------------------------------------
  const generated = path.join(dir, 'hospitalisations.parquet');
  {
    const { ms: genMs, bytes } = await generateHospitalisations(raw, generated, ROWS);
    console.log(
      `\nquery: generated ${ROWS.toLocaleString('fr-FR')} rows as Parquet (${(bytes / 2 ** 20).toFixed(1)} MiB) in ${(genMs / 1000).toFixed(1)} s`,
    );
  }

  // --- the node, its members, the dataset and two contracts ------------------------------------
  const node = await startNode({ dir, database, threads: THREADS, memory: MEMORY });
  const { app, ctx, analyst } = node;
  opened = app;

  const [publishMs, slug] = await elapsed(() => node.publish(generated));
  console.log(`query: uploaded, ingested and published as Parquet in ${(publishMs / 1000).toFixed(1)} s`);

  const contract = (title: string, terms: object) => node.contract(slug, title, terms);
  const base = { template: 'commercial', purposes: ['dpv:ResearchAndDevelopment'], maxQueries: null, queriesPerDay: null };
  const rowsContract = await contract('Lignes et agrégats', { ...base, uses: ['rows', 'sql', 'aggregate'] });
  const aggregateContract = await contract('Agrégats seulement', {
    ...base,
    uses: ['aggregate'],
    disclosure: { suppressAtOrBelow: 7, roundTo: 5, dimensions: ['dep', 'sexe', 'jour'], countColumns: ['hosp'], margins: [] },
  });

  const { table, file } = await node.publishedTable(slug);
  console.log(`query: published table « ${table.name} »: ${table.columns.map((c) => `${c.name} ${c.type}`).join(', ')}`);

  connection = await openRaw(raw, THREADS, MEMORY);
  const rawConnection = connection;

  // --- 1. filter + group-by ----------------------------------------------------------------------
  const spec = {
    groupBy: ['dep', 'sexe'],
    aggregates: [{ fn: 'sum', column: 'hosp', as: 'hosp' }],
    where: [
      { column: 'jour', op: 'between', value: [FROM, TO] },
      { column: 'sexe', op: 'in', value: [1, 2] },
    ],
  };
  const rawGroupSql = `SELECT "dep", "sexe", sum("hosp") AS "hosp" FROM read_parquet(${sqlString(file)})
    WHERE "jour" BETWEEN CAST('${FROM}' AS DATE) AND CAST('${TO}' AS DATE) AND "sexe" IN (1, 2)
    GROUP BY "dep", "sexe" ORDER BY "dep", "sexe"`;
  const rawGroup = async () => (await rawConnection.runAndReadAll(rawGroupSql)).getRowsJson();
  const enforcedGroup = async (contractId: string) => {
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/datasets/${slug}/query?format=json`,
      headers: analyst,
      payload: { ...spec, contract: contractId },
    });
    if (response.statusCode !== 200) throw new Error(`query: ${response.statusCode} ${response.body}`);
    return response.json<{ rows: unknown[][]; disclosure: { suppressed: number; rounded: number } | null; query: string }>();
  };

  // DuckDB's JSON form writes the HUGEINT sum as text; the node sends exact integers as numbers.
  const truth = JSON.stringify((await rawGroup()).map(([dep, sexe, hosp]) => [dep, Number(sexe), Number(hosp)]));
  const first = await enforcedGroup(rowsContract);
  if (JSON.stringify(first.rows) !== truth)
    throw new Error(`the rows grant's result differs from raw DuckDB:\n${JSON.stringify(first.rows)}\n${truth}`);
  const protectedOnce = await enforcedGroup(aggregateContract);
  if (protectedOnce.rows.length !== first.rows.length || protectedOnce.disclosure === null)
    throw new Error('the aggregate-only grant returned other cells, or no disclosure control');
  const logged = await ctx.db.selectFrom('ledger_entries').select('type').where('type', 'like', 'query.%').execute();
  if (logged.length < 4) throw new Error(`expected query.started and query.completed per query, found ${logged.length} entries`);

  for (let i = 0; i < WARMUP; i++) {
    await rawGroup();
    await enforcedGroup(rowsContract);
    await enforcedGroup(aggregateContract);
  }
  const samples = { raw: [] as number[], rows: [] as number[], aggregate: [] as number[] };
  const sides: [keyof typeof samples, () => Promise<unknown>][] = [
    ['raw', rawGroup],
    ['rows', () => enforcedGroup(rowsContract)],
    ['aggregate', () => enforcedGroup(aggregateContract)],
  ];
  for (let run = 0; run < RUNS; run++) {
    // Rotate the order, so that none is always first after the others.
    for (let k = 0; k < sides.length; k++) {
      const [name, work] = sides[(run + k) % sides.length]!;
      samples[name].push((await elapsed(work))[0]);
    }
  }
  const group = { raw: median(samples.raw), rows: median(samples.rows), aggregate: median(samples.aggregate) };

  // --- 2. CSV stream over a socket ----------------------------------------------------------------
  const base_url = await app.listen({ port: 0, host: '127.0.0.1' });
  const columns = ['dep', 'sexe', 'jour', 'hosp'];
  const rawCsv = path.join(dir, 'copy.csv');
  const rawCopy = async () => {
    await rawConnection.run(
      `COPY (SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM read_parquet(${sqlString(file)}) LIMIT ${STREAM_ROWS})
       TO ${sqlString(rawCsv)} (FORMAT csv, HEADER true, DELIMITER ',')`,
    );
    return (await fs.stat(rawCsv)).size;
  };
  const enforcedStream = async () => {
    const t = performance.now();
    const response = await fetch(`${base_url}/api/v1/datasets/${slug}/query?format=csv`, {
      method: 'POST',
      headers: { ...analyst, 'content-type': 'application/json' },
      body: JSON.stringify({ contract: rowsContract, columns, limit: STREAM_ROWS }),
    });
    if (response.status !== 200 || !response.body) throw new Error(`stream: ${response.status} ${await response.text()}`);
    const headersMs = performance.now() - t;
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    for await (const chunk of response.body) {
      chunks.push(chunk);
      bytes += chunk.byteLength;
    }
    return { bytes, chunks, headersMs };
  };
  const lines = (chunks: readonly Uint8Array[]) => {
    let n = 0;
    for (const chunk of chunks) {
      const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
    }
    return n;
  };
  {
    const check = await enforcedStream();
    if (lines(check.chunks) !== STREAM_ROWS + 1) throw new Error(`the stream carried ${lines(check.chunks) - 1} rows, not ${STREAM_ROWS}`);
  }
  // Timed with curl when there is one: a client in its own process, as a consumer's would be,
  // rather than a fetch sharing the node's event loop (and keeping every chunk in memory).
  const curl = await execFileAsync('curl', ['--version']).then(
    () => true,
    () => false,
  );
  const curlStream = async () => {
    const { stdout } = await execFileAsync('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{size_download} %{time_starttransfer}',
      '-X',
      'POST',
      ...Object.entries({ ...analyst, 'content-type': 'application/json' }).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
      '--data',
      JSON.stringify({ contract: rowsContract, columns, limit: STREAM_ROWS }),
      `${base_url}/api/v1/datasets/${slug}/query?format=csv`,
    ]);
    const [status, size, starttransfer] = stdout.trim().split(' ');
    if (status !== '200') throw new Error(`stream: HTTP ${status}`);
    return { bytes: Number(size), chunks: [], headersMs: Number(starttransfer) * 1000 };
  };
  const timedStream = curl ? curlStream : enforcedStream;
  for (let i = 0; i < WARMUP; i++) {
    await rawCopy();
    await timedStream();
  }
  const copySamples: { ms: number; bytes: number }[] = [];
  const streamSamples: { ms: number; bytes: number; headersMs: number }[] = [];
  for (let run = 0; run < RUNS; run++) {
    const copy = async () => {
      const [t, bytes] = await elapsed(rawCopy);
      copySamples.push({ ms: t, bytes });
    };
    const stream = async () => {
      const [t, { bytes, headersMs }] = await elapsed(timedStream);
      streamSamples.push({ ms: t, bytes, headersMs });
    };
    if (run % 2 === 0) {
      await copy();
      await stream();
    } else {
      await stream();
      await copy();
    }
  }
  const mbps = (s: { ms: number; bytes: number }) => s.bytes / 1e6 / (s.ms / 1000);
  const copyMbps = median(copySamples.map(mbps));
  const streamMbps = median(streamSamples.map(mbps));
  const copyMs = median(copySamples.map((s) => s.ms));
  const streamMs = median(streamSamples.map((s) => s.ms));
  const csvBytes = median(streamSamples.map((s) => s.bytes));
  const headersMs = median(streamSamples.map((s) => s.headersMs));

  // A stream's completion is recorded after its last byte: wait for it before closing, or its
  // ledger entry would meet a closed database (and the contract watch with it).
  for (let tries = 0; tries < 500; tries++) {
    const open = await ctx.db.selectFrom('data_queries').select('id').where('completed_at', 'is', null).execute();
    if (open.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  opened = undefined;
  await app.close();

  // --- report ------------------------------------------------------------------------------------
  const rowsRatio = group.rows / group.raw;
  const aggregateRatio = group.aggregate / group.raw;
  const streamRatio = streamMbps / copyMbps;
  console.log(
    `\nquery: contract-enforced queries vs raw DuckDB (${THREADS} threads, ${MEMORY}), PGlite node, median [interquartile range] of ${RUNS} interleaved runs after ${WARMUP} warm-ups; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`,
  );
  console.log(
    `1. sum(hosp) by dep × sexe, jour between ${FROM} and ${TO}, sexe in (1, 2), on ${ROWS.toLocaleString('fr-FR')} rows (${first.rows.length} cells)`,
  );
  console.log(`   raw DuckDB on the published Parquet            ${ms(group.raw).padStart(10)} ${iqr(samples.raw).padStart(11)}`);
  console.log(
    `   POST …/query, rows+aggregate grant (no SDC)    ${ms(group.rows).padStart(10)} ${iqr(samples.rows).padStart(11)}  →  ${rowsRatio.toFixed(2)}× raw (target ≤ 1.15×)`,
  );
  console.log(
    `   POST …/query, aggregate-only grant (SDC)       ${ms(group.aggregate).padStart(10)} ${iqr(samples.aggregate).padStart(11)}  →  ${aggregateRatio.toFixed(2)}× raw (${protectedOnce.disclosure.rounded} cells rounded, ${protectedOnce.disclosure.suppressed} masked)`,
  );
  console.log(`2. ${STREAM_ROWS.toLocaleString('fr-FR')} rows as CSV (${(csvBytes / 1e6).toFixed(1)} MB)`);
  console.log(
    `   DuckDB COPY … TO file.csv                      ${ms(copyMs).padStart(10)} ${iqr(copySamples.map((s) => s.ms)).padStart(11)}  ${copyMbps.toFixed(0).padStart(5)} MB/s`,
  );
  console.log(
    `   POST …/query?format=csv, read by ${curl ? 'curl ' : 'fetch'}       ${ms(streamMs).padStart(10)} ${iqr(streamSamples.map((s) => s.ms)).padStart(11)}  ${streamMbps.toFixed(0).padStart(5)} MB/s  →  ${streamRatio.toFixed(2)}× COPY's throughput (target ≥ 0.5×)`,
  );
  console.log(`     of which until the response's headers (scope, quota, ledger, sandbox, describe)  ${ms(headersMs)}`);
  console.log(
    JSON.stringify({
      bench: 'query',
      rows: ROWS,
      runs: RUNS,
      threads: THREADS,
      groupBy: {
        rawMs: +group.raw.toFixed(1),
        rowsGrantMs: +group.rows.toFixed(1),
        aggregateOnlyMs: +group.aggregate.toFixed(1),
        rowsGrantRatio: +rowsRatio.toFixed(3),
        aggregateOnlyRatio: +aggregateRatio.toFixed(3),
        target: 1.15,
      },
      csvStream: {
        rows: STREAM_ROWS,
        bytes: csvBytes,
        copyMs: +copyMs.toFixed(1),
        streamMs: +streamMs.toFixed(1),
        streamHeadersMs: +headersMs.toFixed(1),
        copyMBps: +copyMbps.toFixed(1),
        streamMBps: +streamMbps.toFixed(1),
        throughputRatio: +streamRatio.toFixed(3),
        target: 0.5,
      },
    }),
  );
} finally {
  await opened?.close();
  connection?.closeSync();
  raw.closeSync();
  await database.close();
  await fs.rm(dir, { recursive: true, force: true });
}

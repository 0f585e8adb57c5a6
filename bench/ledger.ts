/**
 * `node --import tsx bench/ledger.ts`: the ledger against raw baselines measured in the same run.
 *
 * 1. Durable appends on PostgreSQL: N `download` facts (the kind every access writes) recorded
 *    through `recordFacts` in transactions of BATCH facts and integrated (`integrateAll`: tree
 *    indices, every complete subtree, a signed checkpoint per 20 000 entries), sequencing and
 *    integration both counted; against a batched multi-row `INSERT` of the same rows (same columns,
 *    same bytes, details included, computed beforehand) into a plain table in transactions of the
 *    same size. Batches of the two sides alternate and integration runs after every 20 000 facts,
 *    so a noisy neighbour hurts both alike. Then N more facts with the integrator running alongside
 *    on its own connection, as a node runs it (wall clock until the last one is integrated), and
 *    `recordFact` one fact at a time on a tenth of N. Target ≥ 0.6× raw.
 * 2. Inclusion proofs at TREE entries: the log is grown to TREE entries with generated, valid
 *    `vote.decided` entries (written by SQL, integrated by the same `integrateAll`), then
 *    `inclusionProofFor` (one query: the nodes and the signed root) for random indices, against one raw
 *    primary-key lookup of a stored hash. Target p95 ≤ 1 ms.
 * 3. Verification: `verifyInclusion` from `@confiance/contract` (node:crypto SHA-256) on those
 *    proofs, against as many raw `createHash('sha256')` calls as the proofs have hashes (≈ log2 n).
 *
 * Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_ENTRIES (default 100 000), BENCH_BATCH (facts per transaction, default 1 000),
 * BENCH_TREE (default 1 000 000), BENCH_PROOFS (default 2 000), BENCH_KEEP=1 to keep the database.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { base64Decode, canonicalJson, verifyInclusion, type LedgerFact } from '@confiance/contract';
import { sql } from 'kysely';
import pg from 'pg';
import { migrate, openDatabase, type Db } from '../packages/server/src/platform/db/database';
import { recordFact, recordFacts } from '../packages/server/src/modules/ledger/index';
import { nodeCrypto } from '../packages/server/src/modules/ledger/crypto';
import { integrateAll, lastIndex, latestCheckpoint } from '../packages/server/src/modules/ledger/integrate';
import { signerFrom } from '../packages/server/src/modules/ledger/keys';
import { inclusionProofFor } from '../packages/server/src/modules/ledger/proofs';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1_000);
const TREE = Number(process.env.BENCH_TREE ?? 1_000_000);
const PROOFS = Number(process.env.BENCH_PROOFS ?? 2_000);
/** Facts between two integrations: one integration batch (20 000 entries). */
const ROUND = 20_000;
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ORIGIN = 'bench.confiance.test/ledger';

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Deterministic, so that two runs record the same facts. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20261128);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const DATASETS = [
  'qualite-air-occitanie',
  'hospitalisations-departement',
  'gtfs-tisseo',
  'comptages-velo-montpellier',
  'meteo-quotidienne',
];
const ORGS = ['atmo-occitanie', 'tisseo', 'montpellier-mediterranee-metropole', 'chu-toulouse', 'airbus', 'universite-toulouse'];
const PURPOSES = ['dpv:ResearchAndDevelopment', 'dpv:ServiceOptimisation', 'dpv:PublicBenefit'];
const orgIds = new Map(ORGS.map((o) => [o, randomUUID()]));
const users = Array.from({ length: 200 }, () => randomUUID());

/** A download as the access module will record it: billing fields public, who did it private. */
function download(i: number): LedgerFact {
  const provider = pick(ORGS);
  const consumer = pick(ORGS);
  return {
    type: 'download',
    public: {
      contract: `ctr-${1 + (i % 500)}`,
      dataset: pick(DATASETS),
      provider,
      consumer,
      offer: `offre-${1 + (i % 40)}`,
      plan: random() < 0.5 ? 'abonnement-mensuel' : null,
      partyType: 'company',
      purpose: pick(PURPOSES),
      units: Math.floor(random() * 1_000_000),
      unit: 'rows',
    },
    details: { by: pick(users), format: 'parquet', columns: ['date', 'code_insee', 'valeur'] },
    parties: [orgIds.get(provider)!, orgIds.get(consumer)!],
  };
}

/** The raw side's rows: the bytes `recordFacts` stores, computed beforehand (not timed). */
function rawRow(fact: LedgerFact, time: string) {
  const salt = randomBytes(32);
  const details = JSON.stringify(fact.details ?? {});
  const commitment = createHash('sha256')
    .update(salt)
    .update(canonicalJson(fact.details ?? {}), 'utf8')
    .digest('hex');
  const leaf = Buffer.from(canonicalJson({ type: fact.type, time, public: fact.public, commitment }), 'utf8');
  return [fact.type, time, JSON.stringify(fact.public), commitment, leaf, fact.parties ?? [], salt, details];
}

const RAW_COLUMNS = ['type', 'time', 'public', 'commitment', 'leaf', 'parties', 'salt', 'details'];
function rawInsert(rows: unknown[][]) {
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((v) => `$${values.push(v)}`).join(', ')})`);
  return { text: `insert into bench_raw (${RAW_COLUMNS.join(', ')}) values ${tuples.join(', ')}`, values };
}

const quantile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
const rate = (count: number, ms: number) => Math.round((count / ms) * 1000).toLocaleString('fr-FR');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Times `fn` over batches of facts, each in its own transaction. */
async function appendBatches(db: Db, facts: readonly LedgerFact[], fn: (trx: Db, batch: readonly LedgerFact[]) => Promise<void>) {
  let ms = 0;
  for (let from = 0; from < facts.length; from += BATCH) {
    const batch = facts.slice(from, from + BATCH);
    const t = performance.now();
    await db.transaction().execute((trx) => fn(trx, batch));
    ms += performance.now() - t;
  }
  return ms;
}

const name = `confiance_bench_ledger_${randomBytes(4).toString('hex')}`;
const admin = await openDatabase({ databaseUrl: withDatabase(serverUrl, 'postgres'), poolSize: 1 });
await sql.raw(`create database ${name}`).execute(admin.db);
const url = withDatabase(serverUrl, name);

try {
  const database = await openDatabase({ databaseUrl: url, poolSize: 1 });
  const { db } = database;
  await migrate(db);
  const signer = await signerFrom(ORIGIN, generateKeyPairSync('ed25519').privateKey);
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  await raw.query(`create table bench_raw (
    id bigserial primary key, type text not null, time text not null, public jsonb not null, commitment text not null,
    leaf bytea not null, parties text[] not null, salt bytea not null, details jsonb not null)`);
  const { rows: settings } = await raw.query<{ version: string; sync: string }>(
    `select version(), current_setting('synchronous_commit') as sync`,
  );

  // --- 1. Durable appends ----------------------------------------------------------------------
  // Warm-up on both sides (connections, plans, JIT of the JSON code), then emptied.
  const warm = Array.from({ length: BATCH }, (_, i) => download(i));
  await appendBatches(db, warm, (trx, batch) => recordFacts(trx, batch));
  await integrateAll(db, signer, ORIGIN);
  const warmRaw = rawInsert(warm.map((f) => rawRow(f, new Date().toISOString())));
  await raw.query(warmRaw.text, warmRaw.values);
  await raw.query('truncate bench_raw');

  // recordFact one at a time, on a tenth of N.
  const single = Array.from({ length: Math.max(BATCH, Math.floor(ENTRIES / 10)) }, (_, i) => download(i));
  const singleSequencing = await appendBatches(db, single, async (trx, batch) => {
    for (const fact of batch) await recordFact(trx, fact);
  });
  let t = performance.now();
  await integrateAll(db, signer, ORIGIN);
  const singleIntegration = performance.now() - t;

  // recordFacts, batch for batch with the raw INSERT, integrating after every ROUND transactions
  // (one integration batch), so that both sides spread over the same minutes.
  const facts = Array.from({ length: ENTRIES }, (_, i) => download(i));
  let oursSequencing = 0;
  let oursIntegration = 0;
  let rawMs = 0;
  const rawBatch = async (batch: readonly LedgerFact[]) => {
    const query = rawInsert(batch.map((f) => rawRow(f, new Date().toISOString())));
    const start = performance.now();
    await raw.query('begin');
    await raw.query(query.text, query.values);
    await raw.query('commit');
    rawMs += performance.now() - start;
  };
  for (let from = 0; from < facts.length; from += BATCH) {
    const batch = facts.slice(from, from + BATCH);
    t = performance.now();
    await db.transaction().execute((trx) => recordFacts(trx, batch));
    oursSequencing += performance.now() - t;
    await rawBatch(batch);
    if ((from + BATCH) % ROUND === 0 || from + BATCH >= facts.length) {
      t = performance.now();
      await integrateAll(db, signer, ORIGIN);
      oursIntegration += performance.now() - t;
    }
  }

  // The same appends with the integrator running alongside on its own connection, as a node runs
  // it: wall-clock time from the first append until the last entry is integrated. (No raw batches
  // here: they would share the machine with the integrator and flatter the ratio.)
  const background = await openDatabase({ databaseUrl: url, poolSize: 1 });
  const concurrentFacts = Array.from({ length: ENTRIES }, (_, i) => download(i));
  let appending = true;
  t = performance.now();
  const integrator = (async () => {
    for (;;) {
      const stillAppending = appending;
      const [last, latest] = await Promise.all([lastIndex(background.db), latestCheckpoint(background.db)]);
      if (last + 1 > (latest?.size ?? 0)) await integrateAll(background.db, signer, ORIGIN);
      else if (!stillAppending) return;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  // Handled here so that a failure waits for the `await` below (and the database still goes).
  integrator.catch(() => undefined);
  for (let from = 0; from < concurrentFacts.length; from += BATCH) {
    const batch = concurrentFacts.slice(from, from + BATCH);
    await db.transaction().execute((trx) => recordFacts(trx, batch));
  }
  appending = false;
  await integrator;
  const concurrentMs = performance.now() - t;
  await background.close();
  const sizeAfterAppends = (await latestCheckpoint(db))!.size;
  if (sizeAfterAppends !== BATCH + single.length + 2 * ENTRIES) throw new Error(`the log has ${sizeAfterAppends} entries`);
  const { rows: rawCount } = await raw.query<{ n: number }>('select count(*)::int as n from bench_raw');
  if (rawCount[0]!.n !== ENTRIES) throw new Error(`raw side has ${rawCount[0]!.n} rows, not ${ENTRIES}`);

  // --- 2. Inclusion proofs at TREE entries -----------------------------------------------------
  t = performance.now();
  const missing = TREE - sizeAfterAppends;
  for (let done = 0; done < missing; done += 100_000) {
    const count = Math.min(100_000, missing - done);
    // Valid entries: the leaf is the JCS of { type, time, public, commitment } (keys in JCS order),
    // commitment = SHA-256(salt ‖ JCS(details)), salt derived from the id so details can follow.
    // Sequenced as recordFacts does: the indices after the last entry.
    await sql`
      with seq as (select coalesce(max(tree_index), -1) + 1 as first from ledger_entries)
      insert into ledger_entries (tree_index, type, time, public, commitment, leaf, parties, salt, details)
      select id, 'vote.decided', '2026-11-28T00:00:00.000Z', jsonb_build_object('outcome', 'adopted', 'subject', 'Bench', 'vote', 'v' || id),
             c, convert_to('{"commitment":"' || c || '","public":{"outcome":"adopted","subject":"Bench","vote":"v' || id
                           || '"},"time":"2026-11-28T00:00:00.000Z","type":"vote.decided"}', 'UTF8'), '{}',
             sha256(int8send(id)), '{"by":"bench"}'
      from (select id, encode(sha256(sha256(int8send(id)) || convert_to('{"by":"bench"}', 'UTF8')), 'hex') as c
            from (select seq.first + g - 1 as id from seq, generate_series(1, ${count}) g) s) g`.execute(db);
  }
  const generated = performance.now() - t;
  t = performance.now();
  const treeSize = await integrateAll(db, signer, ORIGIN);
  const bigIntegration = performance.now() - t;
  await sql`vacuum analyze ledger_nodes`.execute(db);
  await sql`vacuum analyze ledger_entries`.execute(db);

  const indices = Array.from({ length: PROOFS }, () => Math.floor(random() * treeSize));
  const proofs: Awaited<ReturnType<typeof inclusionProofFor>>[] = [];
  const oursProof: number[] = [];
  const rawLookup: number[] = [];
  for (let run = -50; run < indices.length; run++) {
    const index = indices[Math.max(0, run)]!;
    t = performance.now();
    const proof = await inclusionProofFor(db, index, treeSize);
    if (run >= 0) oursProof.push(performance.now() - t);
    if (run >= 0) proofs.push(proof);
    t = performance.now();
    await raw.query('select hash from ledger_nodes where level = $1 and idx = $2', [0, index]);
    if (run >= 0) rawLookup.push(performance.now() - t);
  }
  oursProof.sort((a, b) => a - b);
  rawLookup.sort((a, b) => a - b);
  const { rows: plan } = await raw.query<{ 'QUERY PLAN': string }>(
    `explain select n.level, n.idx, n.hash from ledger_nodes n
     join (select unnest(cast($1 as smallint[])) as level, unnest(cast($2 as bigint[])) as idx) w
       on n.level = w.level and n.idx = w.idx`,
    [
      [0, 1, 2],
      ['1', '2', '3'],
    ],
  );

  // --- 3. Verification -------------------------------------------------------------------------
  const decoded = proofs.map((p) => ({
    index: p.index,
    leaf: base64Decode(p.leafHash),
    path: p.proof.map(base64Decode),
    root: base64Decode(p.root),
  }));
  const hashes = decoded.reduce((n, p) => n + p.path.length, 0);
  const node = Buffer.alloc(65, 1);
  const verifyRuns: number[] = [];
  const shaRuns: number[] = [];
  for (let run = -2; run < 10; run++) {
    t = performance.now();
    for (const p of decoded) await verifyInclusion(nodeCrypto.sha256, p.index, treeSize, p.leaf, p.path, p.root);
    if (run >= 0) verifyRuns.push(performance.now() - t);
    t = performance.now();
    for (const p of decoded) for (let k = 0; k < p.path.length; k++) createHash('sha256').update(node).digest();
    if (run >= 0) shaRuns.push(performance.now() - t);
  }
  verifyRuns.sort((a, b) => a - b);
  shaRuns.sort((a, b) => a - b);

  // --- Report ----------------------------------------------------------------------------------
  const oursMs = oursSequencing + oursIntegration;
  const rawRate = ENTRIES / rawMs;
  console.log(`\nledger: ${settings[0]!.version.split(' on ')[0]}, synchronous_commit ${settings[0]!.sync}, one connection each side`);
  const { rows: sizes } = await raw.query<{ leaf: number; row: number }>(
    'select avg(length(leaf))::int as leaf, avg(pg_column_size(bench_raw.*))::int as row from bench_raw',
  );
  console.log(
    `appends: ${ENTRIES.toLocaleString('fr-FR')} download facts in transactions of ${BATCH} (leaf ${sizes[0]!.leaf} bytes, raw row ${sizes[0]!.row} bytes)`,
  );
  console.log(
    `${'side'.padEnd(54)} ${'sequencing'.padStart(11)} ${'integration'.padStart(12)} ${'entries/s'.padStart(10)} ${'ratio'.padStart(7)}`,
  );
  const line = (label: string, seq: number, integ: number | null, count: number) =>
    console.log(
      `${label.padEnd(54)} ${seconds(seq).padStart(11)} ${(integ === null ? '—' : seconds(integ)).padStart(12)} ${rate(count, seq + (integ ?? 0)).padStart(10)} ${`${(count / (seq + (integ ?? 0)) / rawRate).toFixed(2)}×`.padStart(7)}`,
    );
  line('raw batched INSERT (plain table)', rawMs, null, ENTRIES);
  line('recordFacts, then integrateAll (one after the other)', oursSequencing, oursIntegration, ENTRIES);
  line('recordFacts, integrator alongside (wall clock)', concurrentMs, null, ENTRIES);
  line(
    `recordFact one by one + integrateAll (${single.length.toLocaleString('fr-FR')})`,
    singleSequencing,
    singleIntegration,
    single.length,
  );
  console.log(
    `target: ≥ 0.60× raw (one after the other ${(ENTRIES / oursMs / rawRate).toFixed(2)}×, integrator alongside ${(ENTRIES / concurrentMs / rawRate).toFixed(2)}×)`,
  );

  console.log(
    `\nproofs: tree of ${treeSize.toLocaleString('fr-FR')} entries (${(missing > 0 ? missing : 0).toLocaleString('fr-FR')} generated in ${seconds(generated)}, integrated in ${seconds(bigIntegration)}: ${rate(Math.max(missing, 0), bigIntegration)} entries/s), ${PROOFS} random indices`,
  );
  console.log(`${'side'.padEnd(54)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'ratio p50'.padStart(10)} ${'p95'.padStart(6)}`);
  const [o50, o95, r50, r95] = [quantile(oursProof, 0.5), quantile(oursProof, 0.95), quantile(rawLookup, 0.5), quantile(rawLookup, 0.95)];
  console.log(`${'raw: one primary-key lookup of a leaf hash'.padEnd(54)} ${r50.toFixed(3).padStart(8)} ${r95.toFixed(3).padStart(8)}`);
  console.log(
    `${'inclusionProofFor (one query: nodes + signed root)'.padEnd(54)} ${o50.toFixed(3).padStart(8)} ${o95.toFixed(3).padStart(8)} ${`${(o50 / r50).toFixed(2)}×`.padStart(10)} ${`${(o95 / r95).toFixed(2)}×`.padStart(6)}`,
  );
  console.log(`target: p95 ≤ 1 ms (${o95.toFixed(3)} ms)`);
  console.log(`node query plan: ${plan.map((p) => p['QUERY PLAN'].replace(/\s*\(cost=[^)]*\)/, '').trim()).join(' ')}`);

  const v50 = quantile(verifyRuns, 0.5);
  const s50 = quantile(shaRuns, 0.5);
  console.log(
    `\nverification: ${PROOFS} proofs, ${(hashes / PROOFS).toFixed(1)} hashes each (log2 n = ${Math.log2(treeSize).toFixed(1)}), median of 10 passes`,
  );
  console.log(`${'raw createHash(sha256) × proof length'.padEnd(54)} ${((s50 / PROOFS) * 1000).toFixed(1).padStart(8)} µs/proof`);
  console.log(
    `${'verifyInclusion (contract/tlog, node:crypto)'.padEnd(54)} ${((v50 / PROOFS) * 1000).toFixed(1).padStart(8)} µs/proof  ratio ${(v50 / s50).toFixed(2)}×`,
  );

  await raw.end();
  await database.close();
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept database ${name} (BENCH_KEEP)`);
  else await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
  await admin.close();
}

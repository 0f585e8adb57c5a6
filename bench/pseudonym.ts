/**
 * `node --import tsx bench/pseudonym.ts`: a join on keyed pseudonyms as a ratio to the same join on
 * the raw keys, in the same DuckDB, same run.
 *
 * Two in-memory tables of BENCH_ROWS rows (default 1 000 000) whose text keys (`V0000123456`, like a
 * vehicle or patient identifier) overlap by half. Times, interleaved, median of BENCH_RUNS (default
 * 3): (a) join on the raw keys; (b) join on `pseudonymSql` of each side, computed on the fly (what a
 * view would do: once per row per side); (c) the hashing alone, materialised into tables, then (d)
 * the join of those materialised pseudonyms. Target: (b)/(a) ≤ 1.5×.
 */
import { randomBytes } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { deriveContractKey, pseudonymSql } from '../packages/server/src/modules/access/pseudonym';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const key = deriveContractKey(randomBytes(32), 'bench');
const instance = await DuckDBInstance.create(':memory:');
const c = await instance.connect();
const half = Math.floor(ROWS / 2);
await c.run(`CREATE TABLE a AS SELECT printf('V%010d', i) AS k, i AS v FROM range(${ROWS}) t(i)`);
await c.run(`CREATE TABLE b AS SELECT printf('V%010d', i + ${half}) AS k, i AS w FROM range(${ROWS}) t(i)`);

const raw = `SELECT count(*) AS n, sum(v + w) AS s FROM a JOIN b ON a.k = b.k`;
const onTheFly = `SELECT count(*) AS n, sum(v + w) AS s
  FROM (SELECT ${pseudonymSql('k', key)} AS p, v FROM a) pa
  JOIN (SELECT ${pseudonymSql('k', key)} AS p, w FROM b) pb ON pa.p = pb.p`;
const materialise = [
  `CREATE OR REPLACE TABLE pa AS SELECT ${pseudonymSql('k', key)} AS p, v FROM a`,
  `CREATE OR REPLACE TABLE pb AS SELECT ${pseudonymSql('k', key)} AS p, w FROM b`,
];
const materialised = `SELECT count(*) AS n, sum(v + w) AS s FROM pa JOIN pb ON pa.p = pb.p`;

async function time(statements: string[]): Promise<{ ms: number; result: string }> {
  const start = performance.now();
  let result = '';
  for (const sql of statements) result = JSON.stringify((await c.runAndReadAll(sql)).getRowsJson());
  return { ms: performance.now() - start, result };
}

const samples: Record<'raw' | 'onTheFly' | 'hashing' | 'materialised', number[]> = { raw: [], onTheFly: [], hashing: [], materialised: [] };
const results = new Set<string>();
for (let run = 0; run < RUNS; run++) {
  const r = await time([raw]);
  const p = await time([onTheFly]);
  const h = await time(materialise);
  const m = await time([materialised]);
  samples.raw.push(r.ms);
  samples.onTheFly.push(p.ms);
  samples.hashing.push(h.ms);
  samples.materialised.push(m.ms);
  results.add(r.result).add(p.result).add(m.result);
}
if (results.size !== 1) throw new Error(`les jointures ne donnent pas le même résultat : ${[...results].join(' / ')}`);

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const base = median(samples.raw);
const line = (label: string, ms: number) => console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / base).toFixed(2)}×`);
console.log(`pseudonymes : jointure de 2 × ${ROWS.toLocaleString('fr-FR')} lignes, ${results.values().next().value} (médiane de ${RUNS})`);
line('(a) clés brutes', base);
line('(b) pseudonymes calculés à la volée', median(samples.onTheFly));
line('(c) calcul des pseudonymes seul (2 tables)', median(samples.hashing));
line('(d) jointure des pseudonymes matérialisés', median(samples.materialised));
c.closeSync();
instance.closeSync();

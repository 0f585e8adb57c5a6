/**
 * `node --import tsx bench/ingest.ts`: ingestion throughput as a ratio to DuckDB alone.
 *
 * Generates a 1M-row `;`-separated CSV like a French open-data export (INSEE codes with leading
 * zeros, French dates, decimal commas, accented labels), then times on the same file, in the same
 * run: (a) DuckDB's own `read_csv` (auto-detection) → `COPY … TO parquet`; (b) `ingestFile`, which
 * also checks the encoding, types every column over the whole file, and computes statistics.
 * Prints rows/s for each and the ratio (a)/(b) in speed terms; target ≥ 0.5×. Runs are
 * interleaved and the median kept, so a noisy neighbour hurts both sides alike.
 *
 * Environment: BENCH_ROWS (default 1 000 000), BENCH_RUNS (default 3), BENCH_ENCODING=windows-1252
 * to measure the transcoding path (DuckDB cannot read that encoding: its baseline then reads the
 * same rows in UTF-8, which is what a steward would otherwise have to produce by hand).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { ingestFile } from '../packages/server/src/modules/catalog/ingest/index';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ENCODING = process.env.BENCH_ENCODING ?? 'utf-8';

const DEPARTEMENTS = ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'];
const LABELS = ['Hérault', 'Pyrénées-Orientales', 'Ariège', 'Lozère', 'Tarn-et-Garonne', 'Cœur de ville', 'Prix en €'];

async function generate(file: string, encoding: string): Promise<void> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(encoding === 'utf-8' ? text : iconv.encode(text, encoding))) await once(out, 'drain');
  };
  await write('id;dep;jour;valeur;libelle;date_iso;nb\n');
  const day = 86_400_000;
  let lines: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const d = new Date(Date.UTC(2020, 0, 1) + (i % 1000) * day);
    const french = `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
    lines.push(
      `${i};${DEPARTEMENTS[i % 13]};${french};${i % 997},${i % 10};${LABELS[i % 7]} ${i % 100};${d.toISOString().slice(0, 10)};${i % 50}`,
    );
    if (lines.length === 10_000) {
      await write(`${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length) await write(`${lines.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
}

async function rawDuckDB(file: string, outDir: string): Promise<number> {
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`COPY (SELECT * FROM read_csv('${file}')) TO '${path.join(outDir, 'raw.parquet')}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
  return performance.now() - started;
}

async function confiance(file: string, outDir: string): Promise<number> {
  const started = performance.now();
  const result = await ingestFile({ path: file, originalName: 'bench.csv' }, { dir: path.join(outDir, `ingest-${started}`) });
  const elapsed = performance.now() - started;
  const table = result.tables[0]!;
  if (table.rowCount !== ROWS) throw new Error(`ingested ${table.rowCount} rows, expected ${ROWS}`);
  if (table.columns.find((c) => c.name === 'dep')?.type !== 'string') throw new Error('dep should stay text');
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-bench-ingest-'));
try {
  const utf8 = path.join(dir, 'bench-utf8.csv');
  await generate(utf8, 'utf-8');
  const file = ENCODING === 'utf-8' ? utf8 : path.join(dir, 'bench.csv');
  if (file !== utf8) await generate(file, ENCODING);
  const { size } = await fs.stat(file);
  const raw: number[] = [];
  const ours: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    raw.push(await rawDuckDB(utf8, dir));
    ours.push(await confiance(file, dir));
  }
  const rawMs = median(raw);
  const oursMs = median(ours);
  const rate = (ms: number) => Math.round(ROWS / (ms / 1000)).toLocaleString('fr-FR');
  console.log(`ingestion: ${ROWS.toLocaleString('fr-FR')} rows, ${(size / 2 ** 20).toFixed(1)} MiB, ${ENCODING}, median of ${RUNS} runs`);
  console.log(`  DuckDB read_csv → parquet: ${Math.round(rawMs)} ms (${rate(rawMs)} rows/s)`);
  console.log(`  ingestFile:                ${Math.round(oursMs)} ms (${rate(oursMs)} rows/s)`);
  console.log(`  ratio: ${(rawMs / oursMs).toFixed(2)}× DuckDB's speed (target ≥ 0.5×)`);
} finally {
  await fs.rm(dir, { recursive: true, force: true });
}

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestProgress, ingestFile } from '../src/modules/catalog/ingest/index';
import { listing, queryParquet, sqlPath, tempDir } from './ingest-helpers';

/**
 * A generated 200 000-row export the way a French spreadsheet writes it (Windows-1252, `;`,
 * decimal commas, French dates, INSEE codes) goes through in bounded memory: the file is streamed
 * in 1 MiB chunks on the JavaScript side and DuckDB streams it too, so neither holds it whole.
 */

const ROWS = 200_000;
const DEPARTEMENTS = ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'];
const LABELS = ['Hérault', 'Pyrénées-Orientales', 'Ariège', 'Cœur de ville', 'Prix en €', 'Lozère – Mende'];
/** Rows as wide as real exports (about 170 bytes), so that holding the file would show in the heap. */
const COMMENT = 'Relevé effectué par l’équipe de terrain ; données consolidées après contrôle qualité, révision n°';

let dir: string;
let file: string;
let size: number;

beforeAll(async () => {
  dir = await tempDir();
  file = path.join(dir, 'export-tableur.csv');
  const out = createWriteStream(file);
  out.write(iconv.encode('dep;libellé;jour;valeur;effectif;commentaire\r\n', 'windows-1252'));
  let lines: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((i % 12) + 1).padStart(2, '0');
    lines.push(
      `${DEPARTEMENTS[i % 13]};${LABELS[i % 6]} ${i % 1000};${day}/${month}/2023;${i % 1000},${i % 100};${i % 5000};"${COMMENT} ${i}"`,
    );
    if (lines.length === 10_000) {
      if (!out.write(iconv.encode(`${lines.join('\r\n')}\r\n`, 'windows-1252'))) await once(out, 'drain');
      lines = [];
    }
  }
  out.end();
  await once(out, 'finish');
  size = (await fs.stat(file)).size;
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('a 200 000-row Windows-1252 export', () => {
  it('is transcoded and converted in streaming, with every row and the right types', async () => {
    const out = path.join(dir, 'out');
    const phases = new Set<string>();
    let transcoded = 0;
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let peakRss = before.rss;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed);
      peakRss = Math.max(peakRss, now.rss);
    }, 5);
    const result = await ingestFile(
      { path: file, originalName: 'export-tableur.csv' },
      { dir: out },
      {
        onProgress: (p: IngestProgress) => {
          phases.add(p.phase);
          if (p.phase === 'transcoding') transcoded = Math.max(transcoded, p.bytesRead);
          peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        },
      },
    );
    clearInterval(sampler);

    expect(result.source).toMatchObject({ encoding: 'windows-1252', delimiter: ';', decimalComma: true, bom: false, bytes: size });
    const table = result.tables[0]!;
    expect(table.rowCount).toBe(ROWS);
    expect(table.quality).toEqual({ issues: [], issueCount: 0, rejectedRows: 0 });
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([
      ['dep', 'string'],
      ['libellé', 'string'],
      ['jour', 'date'],
      ['valeur', 'number'],
      ['effectif', 'integer'],
      ['commentaire', 'string'],
    ]);
    expect(table.columns[5]!.examples[0]).toBe(`${COMMENT} 0`);
    expect(table.columns[0]).toMatchObject({ min: '09', distinctCount: 13 });
    expect(table.columns[2]).toMatchObject({ min: '2023-01-01', max: '2023-12-28' });
    expect(table.columns[3]).toMatchObject({ min: 0, max: 999.99 });
    const labels = await queryParquet<{ l: string }>(
      `SELECT DISTINCT regexp_replace("libellé", ' [0-9]+$', '') AS l FROM ${sqlPath(table.parquetPath)} ORDER BY l`,
    );
    expect(labels.map((r) => r.l)).toEqual([...LABELS].sort());
    expect(await listing(out)).toEqual(['export_tableur.parquet']);

    // Streamed: the whole file went through the transcoder, reported as it went, while the
    // JavaScript heap never grew by more than a fraction of the file (it is read in 1 MiB chunks).
    // DuckDB's own memory (outside the heap) is capped by its memory limit (512 MB) whatever the
    // file size: measured at about 130 MB for a 9 MB file and 250 MB for a 55 MB one.
    expect(transcoded).toBe(size);
    expect([...phases]).toEqual(expect.arrayContaining(['scanning', 'transcoding', 'typing', 'writing', 'profiling', 'done']));
    expect(peakHeap - before.heapUsed).toBeLessThan(size / 2);
    expect(peakRss - before.rss).toBeLessThan(640 * 2 ** 20);
  });
});

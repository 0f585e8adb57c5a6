/**
 * `node --import tsx bench/search.ts`: catalog search latency as a ratio to raw full-text SQL.
 *
 * Builds a throw-away PostgreSQL database with 100 000 datasets whose titles, descriptions and
 * keywords are drawn from a Zipf distribution over French words found in the repository (the demo
 * data's SOURCES.md first, then organisation names, the portal's French strings, column names and
 * values of the demo files, commune and stop names, plus derived forms for a long tail), written
 * with `searchDocument` exactly as the repository writes them. Then, for realistic queries with and
 * without facets, times `searchDatasets` (page + total + all facet counts in one statement) against
 * the plain baseline through `pg` in the same run: the same filters, `search @@ websearch_to_tsquery`,
 * `order by ts_rank_cd … limit 20` and `count(*) over ()`, without facets. Runs are interleaved so
 * a noisy neighbour hurts both sides alike. Targets: p95 ≤ 50 ms and ≤ 1.5× the baseline's p95.
 *
 * Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_ROWS (default 100 000), BENCH_RUNS (timed runs per query and side, default 30),
 * BENCH_PG_OPTIONS (session settings for both sides, e.g. `-c jit=off`), BENCH_KEEP=1 to keep the
 * database afterwards (to EXPLAIN a query; drop it by hand).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import {
  CATALOG_DOMAINS,
  EU_DATA_THEMES,
  FILE_FORMATS,
  FREQUENCIES,
  datasetSearch,
  type AccessLevel,
  type DatasetSearch,
  type LicenceCode,
} from '@confiance/contract';
import { migrate, openDatabase } from '../packages/server/src/platform/db/database';
import { searchDatasets, searchDocument } from '../packages/server/src/modules/catalog/search';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const demo = path.resolve(import.meta.dirname, '../packages/server/demo');

function withDatabase(url: string, name: string, options?: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  if (options) u.searchParams.set('options', options);
  return u.toString();
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

/** Deterministic, so that two runs search the same catalog. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20261128);
const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

/** Draws items by rank with probability ∝ 1 / rank^s: a few very common, a long tail of rare ones. */
function zipf<T>(items: readonly T[], s = 1): () => T {
  const cdf = new Float64Array(items.length);
  let sum = 0;
  for (let r = 0; r < items.length; r++) cdf[r] = sum += 1 / (r + 1) ** s;
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}

async function read(file: string, maxBytes = 2_000_000): Promise<string> {
  const handle = await fs.open(file);
  try {
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

const geojsonNames = (text: string) => [...text.matchAll(/"nom":"([^"]+)"/g)].map((m) => m[1]!);

async function vocabulary() {
  const count = (counts: Map<string, number>, text: string) => {
    for (const [word] of text.matchAll(/\p{L}{2,}/gu)) {
      const w = word.toLowerCase();
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  };
  const byFrequency = (counts: Map<string, number>) =>
    [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([w]) => w);
  // Prose first, ranked by how often it uses each word: the demo metadata (the demo catalog and
  // SOURCES.md), the organisations, the portal's French strings. Its most frequent words are French stop words,
  // as in any text, and the demo's subjects (air, hospitalisations, GTFS…) land in the middle.
  const prose = new Map<string, number>();
  // The demo catalog's metadata (titles, descriptions, keywords): its string literals.
  const demoCatalog = await read(path.resolve(import.meta.dirname, '../packages/server/test/fixtures/dcat-ap/demo-catalog.ts'));
  for (const m of demoCatalog.matchAll(/'((?:[^'\\\n]|\\.)*)'|"([^"\n]*)"|`([^`]*)`/g)) count(prose, m[1] ?? m[2] ?? m[3] ?? '');
  count(prose, await read(path.join(demo, 'SOURCES.md')));
  count(prose, await read(path.join(demo, 'organisations-occitanie.csv')));
  count(prose, await read(path.resolve(import.meta.dirname, '../packages/web/src/i18n/fr.ts')));
  // Then the words of the demo files (column names, establishment names, addresses, stations,
  // stops), rarer than any prose word; commune names are the places.
  const data = new Map<string, number>();
  const places = new Set<string>();
  const dataDir = path.join(demo, 'data');
  for (const file of await fs.readdir(dataDir, { recursive: true })) {
    const full = path.join(dataDir, file);
    if (file.endsWith('.geojson')) {
      if (file.includes('communes') || file.includes('departements'))
        for (const n of geojsonNames(await read(full, 5_000_000))) places.add(n);
    } else if (/\.(csv|tsv|txt)$/.test(file) && !file.endsWith('MANIFEST.csv')) {
      const text = await read(full, 200_000);
      const header = text.slice(0, text.indexOf('\n'));
      count(data, header.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2'));
      count(data, text);
    }
  }
  const proseWords = byFrequency(prose);
  const seen = new Set(proseWords);
  const base = [...proseWords, ...byFrequency(data).filter((w) => !seen.has(w))];
  // A long tail of derived forms, rarer still.
  const known = new Set(base);
  const tail: string[] = [];
  const derive = (variant: string) => {
    if (!known.has(variant)) {
      known.add(variant);
      tail.push(variant);
    }
  };
  for (const suffix of ['s', 'e', 'ment', 'ation', 'ique', 'eur']) for (const w of base) if (w.length >= 4) derive(w + suffix);
  for (const prefix of ['re', 'pré', 'inter']) for (const w of base) if (w.length >= 5) derive(prefix + w);
  return { words: [...base, ...tail], proseCount: proseWords.length, baseCount: base.length, places: [...places] };
}

// ---------------------------------------------------------------------------------------------
// The catalog

const OCCITANIE = ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'];
const OTHER_DEPARTEMENTS = ['13', '33', '69', '75', '2A', '974'];

function weighted<T>(pairs: [T, number][]): () => T {
  const total = pairs.reduce((n, [, w]) => n + w, 0);
  return () => {
    let x = random() * total;
    for (const [value, w] of pairs) if ((x -= w) < 0) return value;
    return pairs[pairs.length - 1]![0];
  };
}

const distinct = <T>(draw: () => T, n: number): T[] => {
  const out = new Set<T>();
  for (let i = 0; i < n * 3 && out.size < n; i++) out.add(draw());
  return [...out];
};

async function generate(db: Awaited<ReturnType<typeof openDatabase>>['db']) {
  const started = performance.now();
  const { words, proseCount, baseCount, places } = await vocabulary();

  const word = zipf(words, 1.05);
  const place = zipf(places, 0.8);
  const sentence = (n: number) => Array.from({ length: n }, word).join(' ');

  const csv = (await read(path.join(demo, 'organisations-occitanie.csv'))).split('\n').slice(1).filter(Boolean);
  const organisations = csv.map((line) => {
    const [slug, legalName, shortName] = line.split(',');
    return { slug: slug!, legal_name: legalName!, short_name: shortName! };
  });
  const kinds = [
    'Commune de',
    'Communauté de communes de',
    'Syndicat mixte de',
    'Office de tourisme de',
    'Observatoire de',
    'Association de',
  ];
  for (let i = 0; organisations.length < 300; i++) {
    const name = `${kinds[i % kinds.length]} ${place()}`;
    organisations.push({ slug: `org-${i}`, legal_name: name, short_name: name });
  }
  const orgRows = await db
    .insertInto('organisations')
    .values(organisations.map((o) => ({ ...o, category: 'public_body' })))
    .returning(['id', 'short_name'])
    .execute();
  const publisher = zipf(orgRows, 0.9);

  const status = weighted<'published' | 'deprecated' | 'withdrawn'>([
    ['published', 92],
    ['deprecated', 5],
    ['withdrawn', 3],
  ]);
  const access = weighted<AccessLevel>([
    ['open', 70],
    ['members', 15],
    ['restricted', 10],
    ['aggregate_only', 5],
  ]);
  const licence = weighted<LicenceCode>([
    ['etalab-2.0', 50],
    ['odbl-1.0', 25],
    ['cc-by-4.0', 10],
    ['cc-by-nc-4.0', 5],
    ['proprietary', 10],
  ]);
  const theme = zipf(EU_DATA_THEMES, 0.7);
  const domain = zipf(CATALOG_DOMAINS, 0.7);
  const format = zipf(FILE_FORMATS, 1.2);
  const frequency = zipf(FREQUENCIES, 0.6);
  const departement = zipf([...OCCITANIE, ...OTHER_DEPARTEMENTS], 0.6);
  const now = Date.now();

  const BATCH = 500;
  for (let start = 0; start < ROWS; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, ROWS - start) }, (_, k) => {
      const i = start + k;
      const org = publisher();
      const title = sentence(between(3, 9));
      const description = sentence(between(20, 80));
      const keywords = distinct(() => sentence(between(1, 2)), between(1, 5));
      const areas = distinct(place, between(1, 3));
      const modified = new Date(now - random() * 5 * 365 * 86_400_000);
      const s = status();
      return {
        slug: `jeu-${i}`,
        organisation_id: org.id,
        status: s,
        access_level: access(),
        licence: licence(),
        title_fr: title.charAt(0).toUpperCase() + title.slice(1),
        description_fr: description,
        themes: distinct(theme, between(1, 2)),
        domains: distinct(domain, between(1, 2)),
        keywords,
        spatial: JSON.stringify(areas.map((name) => ({ level: 'commune', code: '34172', name, bbox: null }))),
        departements: distinct(departement, between(1, 3)),
        frequency: random() < 0.1 ? null : frequency(),
        formats: distinct(format, between(1, 2)),
        current_version: 1,
        modified,
        issued: modified,
        ...(s === 'withdrawn' ? { withdrawn_at: modified, withdrawal_reason: 'bench' } : {}),
        search: searchDocument({
          titleFr: title,
          titleEn: null,
          keywords,
          descriptionFr: description,
          publisherName: org.short_name,
          places: areas,
        }),
      };
    });
    await db.insertInto('datasets').values(batch).execute();
  }
  await sql`vacuum analyze datasets`.execute(db);
  await sql`vacuum analyze organisations`.execute(db);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `catalog: ${ROWS.toLocaleString('fr-FR')} datasets, ${orgRows.length} publishers, ${words.length.toLocaleString('fr-FR')} words (${proseCount.toLocaleString('fr-FR')} from prose, ${(baseCount - proseCount).toLocaleString('fr-FR')} from data files, the rest derived), ${places.length} places; generated in ${seconds} s`,
  );
}

// ---------------------------------------------------------------------------------------------
// The baseline: the textbook full-text query, same filters, no facets

function baseline(input: ReturnType<typeof datasetSearch.parse>): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (v: unknown) => `$${values.push(v)}`;
  const where = ["d.status <> 'withdrawn'"];
  let from = 'datasets d join organisations o on o.id = d.organisation_id';
  let order = 'd.modified desc';
  if (input.q) {
    from += `, websearch_to_tsquery('confiance_fr', ${param(input.q)}) q`;
    where.push('d.search @@ q');
    order = 'ts_rank_cd(d.search, q) desc, d.modified desc';
  }
  const arrays = { theme: 'themes', domain: 'domains', departement: 'departements', format: 'formats' } as const;
  for (const [facet, column] of Object.entries(arrays)) {
    const v = input[facet as keyof typeof arrays];
    if (v?.length) where.push(`d.${column} && ${param(v)}::text[]`);
  }
  const scalars = { licence: 'd.licence', accessLevel: 'd.access_level', frequency: 'd.frequency', publisher: 'o.slug' } as const;
  for (const [facet, column] of Object.entries(scalars)) {
    const v = input[facet as keyof typeof scalars];
    if (v?.length) where.push(`${column} = any(${param(v)}::text[])`);
  }
  return {
    text: `select d.id, d.slug, d.organisation_id, d.status, d.access_level, d.licence, d.title_fr, d.title_en, d.description_fr,
             d.themes, d.domains, d.keywords, d.departements, d.frequency, d.formats, d.current_version, d.issued, d.modified,
             o.slug as publisher_slug, o.short_name as publisher_name, count(*) over ()::int as total
           from ${from} where ${where.join(' and ')} order by ${order} limit ${param(input.pageSize)} offset ${param((input.page - 1) * input.pageSize)}`,
    values,
  };
}

// ---------------------------------------------------------------------------------------------

const quantile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
const ms = (v: number) => v.toFixed(1).padStart(6);

const name = `confiance_bench_search_${randomBytes(4).toString('hex')}`;
const admin = await openDatabase({ databaseUrl: withDatabase(serverUrl, 'postgres'), poolSize: 1 });
await sql.raw(`create database ${name}`).execute(admin.db);
const url = withDatabase(serverUrl, name, process.env.BENCH_PG_OPTIONS);

try {
  const database = await openDatabase({ databaseUrl: url, poolSize: 1 });
  await migrate(database.db);
  await generate(database.db);
  const { slug: bigPublisher } = await database.db
    .selectFrom('datasets as d')
    .innerJoin('organisations as o', 'o.id', 'd.organisation_id')
    .select('o.slug')
    .groupBy('o.slug')
    .orderBy(sql`count(*)`, 'desc')
    .executeTakeFirstOrThrow();

  const queries: [string, DatasetSearch][] = [
    ["qualité de l'air", { q: "qualité de l'air" }],
    ['hospitalisations Hérault', { q: 'hospitalisations Hérault' }],
    ['montpellier', { q: 'montpellier' }],
    ['horaires gtfs', { q: 'horaires gtfs' }],
    ['horaires "gtfs" (no prefix)', { q: 'horaires "gtfs"' }],
    ['population communes', { q: 'population communes' }],
    ['campings classés', { q: 'campings classés' }],
    ['hospit (typing)', { q: 'hospit' }],
    ['comptage vélo', { q: 'comptage vélo' }],
    ['données météo toulouse', { q: 'données météo toulouse' }],
    ['"santé publique" -covid', { q: '"santé publique" -covid' }],
    ['montpellier + theme', { q: 'montpellier', theme: ['TRAN'] }],
    ["qualité de l'air + dép. + format", { q: "qualité de l'air", departement: ['34'], format: ['CSV'] }],
    ['population + publisher + licence', { q: 'population', publisher: [bigPublisher], licence: ['etalab-2.0', 'odbl-1.0'] }],
    ['browse: theme + dép.', { theme: ['HEAL'], departement: ['31'] }],
    ['browse: everything', {}],
  ];

  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const rows: { label: string; total: number; baseTotal: number; ours: number[]; base: number[] }[] = [];
  for (const [label, input] of queries) {
    const parsed = datasetSearch.parse(input);
    const raw = baseline(parsed);
    const ours: number[] = [];
    const base: number[] = [];
    let total = 0;
    let baseTotal = 0;
    for (let run = -3; run < RUNS; run++) {
      let t = performance.now();
      total = (await searchDatasets(database.db, parsed)).total;
      if (run >= 0) ours.push(performance.now() - t);
      t = performance.now();
      const result = await pool.query<{ total: number }>(raw.text, raw.values);
      if (run >= 0) base.push(performance.now() - t);
      baseTotal = result.rows[0]?.total ?? 0;
    }
    rows.push({ label, total, baseTotal, ours: ours.sort((a, b) => a - b), base: base.sort((a, b) => a - b) });
  }

  const { rows: settings } = await pool.query<{ version: string; jit: string }>(`select version(), current_setting('jit') as jit`);
  console.log(
    `\nsearch: ${RUNS} timed runs per query and side, one connection each, ${settings[0]!.version.split(' on ')[0]}, jit ${settings[0]!.jit}`,
  );
  console.log(
    `${'query'.padEnd(34)} ${'matches'.padStart(8)} ${'(raw)'.padStart(8)} | Confiance p50    p95 |    raw p50    p95 | ratio p50  p95`,
  );
  const all = { ours: [] as number[], base: [] as number[] };
  let worstP95 = 0;
  let worstRatio = 0;
  for (const r of rows) {
    const [o50, o95, b50, b95] = [quantile(r.ours, 0.5), quantile(r.ours, 0.95), quantile(r.base, 0.5), quantile(r.base, 0.95)];
    all.ours.push(...r.ours);
    all.base.push(...r.base);
    worstP95 = Math.max(worstP95, o95);
    worstRatio = Math.max(worstRatio, o95 / b95);
    console.log(
      `${r.label.padEnd(34)} ${String(r.total).padStart(8)} ${String(r.baseTotal).padStart(8)} |      ${ms(o50)} ${ms(o95)} |     ${ms(b50)} ${ms(b95)} |   ${(o50 / b50).toFixed(2)}× ${(o95 / b95).toFixed(2)}×`,
    );
  }
  all.ours.sort((a, b) => a - b);
  all.base.sort((a, b) => a - b);
  const [o50, o95, b50, b95] = [quantile(all.ours, 0.5), quantile(all.ours, 0.95), quantile(all.base, 0.5), quantile(all.base, 0.95)];
  console.log(
    `${'all queries'.padEnd(52)} |      ${ms(o50)} ${ms(o95)} |     ${ms(b50)} ${ms(b95)} |   ${(o50 / b50).toFixed(2)}× ${(o95 / b95).toFixed(2)}×`,
  );
  console.log(
    `targets: p95 ≤ 50 ms (worst query ${worstP95.toFixed(1)} ms) and ≤ 1.5× the raw p95 (all queries ${(o95 / b95).toFixed(2)}×, worst query ${worstRatio.toFixed(2)}×)`,
  );
  console.log('matches: Confiance counts prefix matches of the last word too; (raw) is the baseline’s count.');

  await pool.end();
  await database.close();
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept database ${name} (BENCH_KEEP)`);
  else await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
  await admin.close();
}

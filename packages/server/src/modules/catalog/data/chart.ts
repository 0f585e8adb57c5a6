import { type CatalogColumn, type ResolvedColumn, resolveColumn } from './columns';
import { DataReaderError } from './errors';
import { type TableReader, withTableReader } from './reader';

/** About this many bins for numbers: enough to show a shape, few enough to label. */
const TARGET_BINS = 12;
/** Most frequent values shown; the rest are summed into one `(autres)` bucket. */
export const TOP_VALUES = 12;
export const OTHERS_LABEL = '(autres)';
const MAX_LABEL = 120;
/** Empty periods are shown as zeros up to this many buckets; beyond (a stray year 1 in the data), only periods with rows. */
const MAX_FILLED_PERIODS = 400;

export type ChartKind = 'histogram' | 'timeline' | 'top';

export interface ChartBucket {
  label: string;
  count: number;
}

export interface Chart {
  kind: ChartKind;
  /** Counts of non-empty cells (nulls, NaN and infinities are left out): they add up to the column's filled cells. */
  buckets: ChartBucket[];
}

export interface ChartInput {
  parquetPath: string;
  column: CatalogColumn;
}

/**
 * The distribution of one column, in the form that suits its type: numbers in about twelve bins
 * of equal, round width (`0 – 10` is [0, 10), the last bin also holds the maximum); dates and
 * datetimes counted per month, per year over more than five years, per day under two months;
 * times per hour; text and booleans as their twelve most frequent values. Labels are plain (dot
 * decimals, ISO periods): the portal formats them in French.
 */
export async function readChart({ parquetPath, column }: ChartInput): Promise<Chart> {
  return withTableReader(parquetPath, async (reader) => {
    const c = await resolveColumn(reader, column);
    switch (c.type) {
      case 'integer':
      case 'number':
        return { kind: 'histogram', buckets: await histogram(reader, c) };
      case 'time':
        return { kind: 'histogram', buckets: await hours(reader, c) };
      case 'date':
      case 'datetime':
        return { kind: 'timeline', buckets: await timeline(reader, c) };
      case 'string':
      case 'boolean':
        return { kind: 'top', buckets: await top(reader, c) };
      case 'geometry':
      case 'json':
      case 'binary':
        throw new DataReaderError(
          'chart_unavailable',
          `Pas de graphique pour ce type de colonne (« ${c.type} ») : choisissez une colonne de nombres, de dates ou de texte.`,
          { column: c.name },
        );
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Numbers

async function histogram(reader: TableReader, c: ResolvedColumn): Promise<ChartBucket[]> {
  const values = `(SELECT CAST(${c.ident} AS DOUBLE) AS v FROM ${reader.source}) WHERE isfinite(v)`;
  const [stats] = await reader.all(`SELECT count(v) AS n, min(v) AS lo, max(v) AS hi FROM ${values}`);
  const n = Number(stats?.n ?? 0);
  if (n === 0) return [];
  const lo = Number(stats!.lo);
  const hi = Number(stats!.hi);
  if (lo === hi) return [{ label: formatNumber(lo), count: n }];
  const { start, width, bins } = binning(lo, hi, c.type === 'integer');
  // start and width are finite numbers computed here, never text from a request.
  const index = `least(CAST(floor((v - ${sqlNumber(start)}) / ${sqlNumber(width)} + 1e-9) AS BIGINT), ${bins - 1})`;
  const rows = await reader.all(`SELECT ${index} AS b, count(*) AS n FROM ${values} GROUP BY b`);
  const counts = new Map(rows.map((r) => [Number(r.b), Number(r.n)]));
  return Array.from({ length: bins }, (_, i) => {
    const from = start + i * width;
    const label = c.type === 'integer' && width === 1 ? formatNumber(from) : `${formatNumber(from)} – ${formatNumber(from + width)}`;
    return { label, count: counts.get(i) ?? 0 };
  });
}

/**
 * The smallest round width (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10ⁿ; a whole number for integer
 * columns) that covers the range in at most about twelve bins, the first starting on a multiple
 * of the width: usually between eight and thirteen bins.
 */
export function binning(lo: number, hi: number, integer: boolean): { start: number; width: number; bins: number } {
  const raw = (hi - lo) / TARGET_BINS;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const steps = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].filter((s) => !integer || Number.isInteger(s * magnitude) || s * magnitude < 1);
  let width = (steps.find((s) => s * magnitude >= raw * (1 - 1e-12)) ?? 10) * magnitude;
  if (integer) width = Math.max(1, Math.round(width));
  width = Number(width.toPrecision(12));
  const start = Number((Math.floor(lo / width) * width).toPrecision(12));
  // The last bin is closed: a maximum on a boundary does not get a bin of its own.
  const bins = Math.max(1, Math.ceil((hi - start) / width - 1e-9) + (integer && width === 1 ? 1 : 0));
  return { start, width, bins };
}

function formatNumber(x: number): string {
  // 0.1 + 0.2 is 0.30000000000000004 in binary floating point: labels show the number meant.
  return String(Number(x.toPrecision(12)));
}

function sqlNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  return `CAST(${String(x)} AS DOUBLE)`;
}

// ---------------------------------------------------------------------------------------------
// Times of day

async function hours(reader: TableReader, c: ResolvedColumn): Promise<ChartBucket[]> {
  const rows = await reader.all(
    `SELECT hour(${c.ident}) AS h, count(*) AS n FROM ${reader.source} WHERE ${c.ident} IS NOT NULL GROUP BY h ORDER BY h`,
  );
  if (rows.length === 0) return [];
  const counts = new Map(rows.map((r) => [Number(r.h), Number(r.n)]));
  const first = Number(rows[0]!.h);
  const last = Number(rows.at(-1)!.h);
  const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return Array.from({ length: last - first + 1 }, (_, i) => ({
    label: `${hh(first + i)} – ${hh(first + i + 1)}`,
    count: counts.get(first + i) ?? 0,
  }));
}

// ---------------------------------------------------------------------------------------------
// Dates

type Period = 'year' | 'month' | 'day';

async function timeline(reader: TableReader, c: ResolvedColumn): Promise<ChartBucket[]> {
  // Datetimes with a zone are counted on their UTC date (the reader's time zone).
  const day = `CAST(${c.ident} AS DATE)`;
  const filled = `${reader.source} WHERE isfinite(${c.ident})`;
  const [stats] = await reader.all(
    `SELECT count(${c.ident}) AS n, year(min(${day})) AS y0, month(min(${day})) AS m0, day(min(${day})) AS d0,
       year(max(${day})) AS y1, month(max(${day})) AS m1, day(max(${day})) AS d1 FROM ${filled}`,
  );
  if (!stats || Number(stats.n) === 0) return [];
  const from = { y: Number(stats.y0), m: Number(stats.m0), d: Number(stats.d0) };
  const to = { y: Number(stats.y1), m: Number(stats.m1), d: Number(stats.d1) };
  const period = periodFor(from, to);
  const parts = { year: [`year(${day})`], month: [`year(${day})`, `month(${day})`], day: [`year(${day})`, `month(${day})`, `day(${day})`] }[
    period
  ];
  const rows = await reader.all(
    `SELECT ${parts.map((p, i) => `${p} AS p${i}`).join(', ')}, count(*) AS n FROM ${filled} GROUP BY ALL ORDER BY ALL`,
  );
  const labelOf = (r: Record<string, unknown>) =>
    periodLabel(period, { y: Number(r.p0), m: Number(r.p1 ?? 1), d: Number(r.p2 ?? 1) });
  const counts = new Map(rows.map((r) => [labelOf(r), Number(r.n)]));
  const all = periodsBetween(period, from, to);
  if (!all) return rows.map((r) => ({ label: labelOf(r), count: Number(r.n) }));
  return all.map((label) => ({ label, count: counts.get(label) ?? 0 }));
}

interface Ymd {
  y: number;
  m: number;
  d: number;
}

/** Per year over more than five years, per day under two months, per month otherwise. */
export function periodFor(from: Ymd, to: Ymd): Period {
  const later = (a: Ymd, b: Ymd) => a.y - b.y || a.m - b.m || a.d - b.d;
  if (later(to, { ...from, y: from.y + 5 }) > 0) return 'year';
  const twoMonths = from.m + 2 > 12 ? { y: from.y + 1, m: from.m - 10, d: from.d } : { ...from, m: from.m + 2 };
  if (later(to, twoMonths) < 0) return 'day';
  return 'month';
}

function periodLabel(period: Period, { y, m, d }: Ymd): string {
  const year = String(y).padStart(4, '0');
  const two = (n: number) => String(n).padStart(2, '0');
  if (period === 'year') return year;
  if (period === 'month') return `${year}-${two(m)}`;
  return `${year}-${two(m)}-${two(d)}`;
}

/** Every period from the first to the last, so that gaps show as zeros; null when too many. */
function periodsBetween(period: Period, from: Ymd, to: Ymd): string[] | null {
  const labels: string[] = [];
  const cursor = new Date(Date.UTC(2000, from.m - 1, period === 'day' ? from.d : 1));
  cursor.setUTCFullYear(from.y);
  const end = periodLabel(period, to);
  for (;;) {
    if (labels.length >= MAX_FILLED_PERIODS) return null;
    const label = periodLabel(period, { y: cursor.getUTCFullYear(), m: cursor.getUTCMonth() + 1, d: cursor.getUTCDate() });
    labels.push(label);
    if (label === end) return labels;
    if (period === 'year') cursor.setUTCFullYear(cursor.getUTCFullYear() + 1);
    else if (period === 'month') cursor.setUTCMonth(cursor.getUTCMonth() + 1);
    else cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Text and booleans

async function top(reader: TableReader, c: ResolvedColumn): Promise<ChartBucket[]> {
  const filled = `${reader.source} WHERE ${c.ident} IS NOT NULL`;
  const [total] = await reader.all(`SELECT count(*) AS n FROM ${filled}`);
  // Ties broken by value, so the same data always gives the same chart.
  const rows = await reader.all(
    `SELECT CAST(${c.ident} AS VARCHAR) AS v, count(*) AS n FROM ${filled} GROUP BY v ORDER BY n DESC, v LIMIT ${TOP_VALUES + 1}`,
  );
  const buckets = rows.slice(0, TOP_VALUES).map((r) => {
    const value = String(r.v);
    return { label: value.length > MAX_LABEL ? `${value.slice(0, MAX_LABEL)}…` : value, count: Number(r.n) };
  });
  if (rows.length > TOP_VALUES) {
    const shown = buckets.reduce((sum, b) => sum + b.count, 0);
    buckets.push({ label: OTHERS_LABEL, count: Number(total?.n ?? 0) - shown });
  }
  return buckets;
}

import { sqlString } from './duckdb';
import type { ColumnType } from './types';

/**
 * Column types for delimited text, decided over every value of the file (not a sample).
 *
 * One SQL expression sorts each value into a shape (integer, decimal with a comma, French date…)
 * and DuckDB counts the shapes per column in a single pass. Values are matched by full patterns
 * before anything is cast, so DuckDB's lenient casts cannot smuggle surprises in (`nan` is a
 * DOUBLE to DuckDB, `0x1F` a BIGINT, and `09` is 9 to any integer cast). The expression routes on
 * cheap tests (first character, presence of `/` or `:`) so that most values meet one pattern, and
 * dates are validated in the same pass, where the parse only ever runs on values shaped like one.
 */

/** Value shapes. Codes are stored in SQL; names are for code. */
export const SHAPES = {
  empty: 0,
  missing: 1,
  boolean: 2,
  integer: 3,
  leadingZeroInteger: 4,
  decimalPoint: 5,
  decimalComma: 6,
  leadingZeroDecimal: 7,
  isoDate: 8,
  frenchDate: 9,
  compactDate: 10,
  isoDatetime: 11,
  isoDatetimeZoned: 12,
  frenchDatetime: 13,
  other: 14,
} as const;
export type Shape = keyof typeof SHAPES;
const SHAPE_NAMES = Object.keys(SHAPES) as Shape[];

/**
 * Values that mean "no value" in French and international exports (`NA` from R, `-` for "not
 * applicable" in Atout France's register, `s` for INSEE's statistical secret…). In a typed column
 * they become empty cells, each reported; they never make the column text.
 */
export const MISSING_MARKERS = [
  'na',
  'n/a',
  'n.a.',
  'nan',
  'null',
  'none',
  'nd',
  'n.d.',
  'nc',
  'n.c.',
  '-',
  '--',
  '.',
  '?',
  's',
  'x',
  'inconnu',
];

/**
 * `compact-date`: `YYYYMMDD` is a date in this column (GTFS `date`, `start_date`, `end_date`).
 * Never guessed otherwise: eight digits are far more often a number or a code.
 */
export type TypeHint = 'compact-date';

const INTEGER = '[+-]?[0-9]{1,18}';
/** At most 15 integer digits: beyond that a DOUBLE loses digits, and such values are identifiers anyway. */
const DECIMAL_POINT = '[+-]?([0-9]{1,15}(\\.[0-9]+)?|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?';
const DECIMAL_COMMA = '[+-]?([0-9]{1,15}(,[0-9]+)?|,[0-9]+)([eE][+-]?[0-9]{1,3})?';
const ISO_DATE = '[0-9]{4}-[0-9]{2}-[0-9]{2}';
const FRENCH_DATE = '[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}';
const COMPACT_DATE = '[0-9]{8}';
const ISO_DATETIME = '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?';
const ZONE = '(Z|[+-][0-9]{2}(:?[0-9]{2})?)';
const FRENCH_DATETIME = '[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}[ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?';
const FRENCH_DATETIME_FORMATS = ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%YT%H:%M:%S', '%d/%m/%YT%H:%M'];

const full = (v: string, pattern: string) => `regexp_full_match(${v}, '${pattern}')`;
/** `09`, `-007`, `01,5`: a leading zero means a code, which a number would lose. */
const leadingZero = (v: string) =>
  `(${v}[1] = '0' AND ${v}[2] BETWEEN '0' AND '9' OR ${v}[1] IN ('+', '-') AND ${v}[2] = '0' AND ${v}[3] BETWEEN '0' AND '9')`;
const frenchDatetime = (v: string) => `coalesce(${FRENCH_DATETIME_FORMATS.map((f) => `try_strptime(${v}, '${f}')`).join(', ')})`;

function classifyTrimmed(v: string, compactWhen?: string): string {
  const s = SHAPES;
  const numeric = `CASE WHEN ${full(v, INTEGER)} THEN CASE WHEN ${leadingZero(v)} THEN ${s.leadingZeroInteger} ELSE ${s.integer} END
      WHEN ${full(v, DECIMAL_POINT)} THEN CASE WHEN ${leadingZero(v)} THEN ${s.leadingZeroDecimal} ELSE ${s.decimalPoint} END
      WHEN ${full(v, DECIMAL_COMMA)} THEN CASE WHEN ${leadingZero(v)} THEN ${s.leadingZeroDecimal} ELSE ${s.decimalComma} END
      ELSE ${s.other} END`;
  const compact =
    compactWhen !== undefined
      ? `WHEN ${compactWhen} AND length(${v}) = 8 AND ${full(v, COMPACT_DATE)} THEN CASE WHEN try_strptime(${v}, '%Y%m%d') IS NOT NULL THEN ${s.compactDate} ELSE ${s.other} END`
      : '';
  const digitFirst = `CASE
      WHEN contains(${v}, '/') THEN CASE
        WHEN ${full(v, FRENCH_DATE)} THEN CASE WHEN try_strptime(${v}, '%d/%m/%Y') IS NOT NULL THEN ${s.frenchDate} ELSE ${s.other} END
        WHEN ${full(v, FRENCH_DATETIME)} THEN CASE WHEN ${frenchDatetime(v)} IS NOT NULL THEN ${s.frenchDatetime} ELSE ${s.other} END
        ELSE ${s.other} END
      WHEN contains(${v}, ':') THEN CASE
        WHEN ${full(v, ISO_DATETIME)} THEN CASE WHEN TRY_CAST(${v} AS TIMESTAMP) IS NOT NULL THEN ${s.isoDatetime} ELSE ${s.other} END
        WHEN ${full(v, ISO_DATETIME + ZONE)} THEN CASE WHEN TRY_CAST(${v} AS TIMESTAMPTZ) IS NOT NULL THEN ${s.isoDatetimeZoned} ELSE ${s.other} END
        ELSE ${s.other} END
      WHEN length(${v}) = 10 AND ${v}[5] = '-' THEN CASE
        WHEN ${full(v, ISO_DATE)} AND TRY_CAST(${v} AS DATE) IS NOT NULL THEN ${s.isoDate} ELSE ${s.other} END
      ${compact}
      ELSE ${numeric} END`;
  return `CASE
      WHEN ${v} IS NULL OR ${v} = '' THEN ${s.empty}
      WHEN ord(${v}) BETWEEN 48 AND 57 THEN ${digitFirst}
      WHEN ${v} IN ('-', '--', '.') THEN ${s.missing}
      WHEN ord(${v}) IN (43, 44, 45, 46) THEN ${numeric}
      WHEN length(${v}) <= 8 AND lower(${v}) IN (${MISSING_MARKERS.map(sqlString).join(', ')}) THEN ${s.missing}
      WHEN length(${v}) <= 5 AND lower(${v}) IN ('true', 'false', 'vrai', 'faux') THEN ${s.boolean}
      ELSE ${s.other} END`;
}

/** SQL true for a missing-value marker (`NA`, `-`…), spaces around it or not. */
export const isMissingSql = (v: string) =>
  `(length(trim(${v})) <= 8 AND lower(trim(${v})) IN (${MISSING_MARKERS.map(sqlString).join(', ')}))`;

/** Whether a value has spaces around it (`" 12,5"`): it is then classified, and later cast, trimmed. */
export const isPadded = (v: string) => `(ord(${v}) = 32 OR suffix(${v}, ' '))`;

/**
 * The shape code of `v` (raw text, possibly NULL). `compactDateWhen`: SQL condition under which
 * `YYYYMMDD` is a date (the columns hinted `compact-date`).
 */
export function classifySql(v: string, compactDateWhen?: string): string {
  return `CASE WHEN ${isPadded(v)} THEN ${classifyTrimmed(`trim(${v})`, compactDateWhen)} ELSE ${classifyTrimmed(v, compactDateWhen)} END`;
}

export type ShapeCounts = Record<Shape, number> & { padded: number };

export function emptyShapeCounts(): ShapeCounts {
  const counts = { padded: 0 } as ShapeCounts;
  for (const name of SHAPE_NAMES) counts[name] = 0;
  return counts;
}

export function shapeName(code: number): Shape {
  return SHAPE_NAMES[code] ?? 'other';
}

/**
 * Besides missing-value markers, a typed column may hold a few odd values (a typo, a stray unit):
 * at most MAX_ODD_VALUES distinct ones, in at most MAX_ODD_SHARE of the values. They are then
 * left empty and reported. Anything more and the column is text: a code list with a few letters
 * (`2A`, `2B`), a route named `A` among numbered routes, an age band `inf` must not lose them.
 */
export const MAX_ODD_SHARE = 0.001;
export const MAX_ODD_VALUES = 3;

/** Below this share of values read by some type, a text column is text whatever its later rows say. */
const CLEARLY_TEXT_SHARE = 0.9;

type Candidate = 'boolean' | 'integer' | 'number' | 'date' | 'datetime';
const CANDIDATES: readonly Candidate[] = ['boolean', 'integer', 'number', 'date', 'datetime'];

/** The shapes each type reads. */
const READS: Record<Candidate, readonly Shape[]> = {
  boolean: ['boolean'],
  integer: ['integer'],
  number: ['integer', 'decimalPoint', 'decimalComma'],
  date: ['isoDate', 'frenchDate', 'compactDate'],
  datetime: ['isoDate', 'frenchDate', 'compactDate', 'isoDatetime', 'isoDatetimeZoned', 'frenchDatetime'],
};

export interface TypeChoice {
  type: 'string' | Candidate;
  /** The shapes this type reads; every other non-empty value becomes an empty cell (reported). */
  reads: readonly Shape[];
  /** Values read, out of `values` (non-empty values that are not missing-value markers). */
  read: number;
  values: number;
}

/**
 * The most specific type that reads every value but missing-value markers; failing that, the type
 * that reads the most values if it misses at most MAX_ODD_SHARE of them (the caller then checks
 * there are few distinct odd values, and reports them); failing that, text. Codes (a leading zero
 * somewhere, or an identifier-like name) may only be dates or text.
 */
export function chooseType(counts: ShapeCounts, options: { identifier: boolean; hint?: TypeHint }): TypeChoice {
  const nonEmpty = SHAPE_NAMES.reduce((sum, name) => (name === 'empty' ? sum : sum + counts[name]), 0);
  const values = nonEmpty - counts.missing;
  const text: TypeChoice = { type: 'string', reads: [], read: values, values };
  if (values <= 0) return text;
  const codeLike = options.identifier || counts.leadingZeroInteger + counts.leadingZeroDecimal > 0;
  const allowed =
    options.hint === 'compact-date' ? (['date'] as const) : CANDIDATES.filter((t) => !codeLike || t === 'date' || t === 'datetime');
  const reads = (t: Candidate) => READS[t].reduce((sum, shape) => sum + counts[shape], 0);
  let pick = allowed.find((t) => reads(t) === values);
  if (!pick) {
    const best = allowed.reduce<Candidate | undefined>((b, t) => (b === undefined || reads(t) > reads(b) ? t : b), undefined);
    if (best && reads(best) > 0 && values - reads(best) <= values * MAX_ODD_SHARE) pick = best;
  }
  if (!pick) return text;
  // A datetime column whose values are all plain dates is a date column.
  if (pick === 'datetime' && reads('date') === reads('datetime')) pick = 'date';
  return { type: pick, reads: READS[pick], read: reads(pick), values };
}

/**
 * The cast of one column from its raw text `v`, written for the shapes actually present so that
 * the common case is a single native cast per value (the patterns already ran in the counting
 * pass). Values known not to fit (missing-value markers, the listed odd values) are excluded
 * explicitly, since DuckDB's casts would accept some of them (`nan`, `0x1F`).
 */
export function castSql(choice: TypeChoice, v: string, counts: ShapeCounts, oddValues: readonly string[]): string {
  if (choice.type === 'string') return `NULLIF(${v}, '')`;
  const t = counts.padded > 0 ? `trim(${v})` : v;
  const present = (shape: Shape) => choice.reads.includes(shape) && counts[shape] > 0;
  let cast: string;
  switch (choice.type) {
    case 'boolean':
      cast = `CASE lower(${t}) WHEN 'true' THEN true WHEN 'vrai' THEN true WHEN 'false' THEN false WHEN 'faux' THEN false END`;
      break;
    case 'integer':
      cast = `TRY_CAST(${t} AS BIGINT)`;
      break;
    case 'number':
      cast = `TRY_CAST(${present('decimalComma') ? `replace(${t}, ',', '.')` : t} AS DOUBLE)`;
      break;
    case 'date':
    case 'datetime': {
      const target = choice.type === 'date' ? 'DATE' : present('isoDatetimeZoned') ? 'TIMESTAMPTZ' : 'TIMESTAMP';
      const branches: Array<[string, string]> = [];
      if (present('frenchDatetime')) branches.push([`contains(${t}, '/') AND contains(${t}, ':')`, frenchDatetime(t)]);
      if (present('frenchDate')) branches.push([`contains(${t}, '/')`, `try_strptime(${t}, '%d/%m/%Y')`]);
      if (present('compactDate')) branches.push([`length(${t}) = 8`, `try_strptime(${t}, '%Y%m%d')`]);
      const iso = present('isoDate') || present('isoDatetime') || present('isoDatetimeZoned');
      const fallback = iso ? `TRY_CAST(${t} AS ${target})` : 'NULL';
      cast = branches.length
        ? `CAST(CASE ${branches.map(([when, then]) => `WHEN ${when} THEN ${then}`).join(' ')} ELSE ${fallback} END AS ${target})`
        : fallback;
      break;
    }
  }
  const excluded = [
    ...(counts.missing > 0 ? [isMissingSql(v)] : []),
    ...(oddValues.length ? [`trim(${v}) IN (${oddValues.map(sqlString).join(', ')})`] : []),
  ];
  return excluded.length ? `CASE WHEN ${excluded.join(' OR ')} THEN NULL ELSE ${cast} END` : cast;
}

/**
 * Whether the counts of a sample (the first rows) settle the column for the whole file when every
 * later value turns out to have a shape the sample showed: no odd values (their report needs every
 * value counted) and, for text, no type that nearly fits. Missing-value markers and mixed date
 * formats are fine: the caller counts those exactly in a second, narrower pass.
 */
export function settledBySample(counts: ShapeCounts, choice: TypeChoice, options: { identifier: boolean; hint?: TypeHint }): boolean {
  if (choice.read < choice.values) return false;
  if (choice.type !== 'string') return true;
  if (choice.values === 0) return false;
  const codeLike = options.identifier || counts.leadingZeroInteger + counts.leadingZeroDecimal > 0;
  const candidates =
    options.hint === 'compact-date' ? (['date'] as const) : CANDIDATES.filter((t) => !codeLike || t === 'date' || t === 'datetime');
  const best = Math.max(0, ...candidates.map((t) => READS[t].reduce((sum, shape) => sum + counts[shape], 0)));
  return best < choice.values * CLEARLY_TEXT_SHARE;
}

/** The message `checkedCastSql` raises when a value does not fit: `<prefix><column index>`. */
export const CHECK_FAILED = 'confiance-type-check:';

/**
 * The cast of a column settled by a sample, for the single pass over the whole file: each shape
 * the sample showed has its own strict guard (a full pattern; leading zeros excluded), and any
 * value that fits none stops the pass with CHECK_FAILED, so that the caller falls back to counting
 * every value. Equivalent to what the full count would have chosen, at the cost of one native
 * cast and one pattern per value.
 */
export function checkedCastSql(choice: TypeChoice, v: string, counts: ShapeCounts, index: number): string {
  if (choice.type === 'string') return `NULLIF(${v}, '')`;
  const fail = `error('${CHECK_FAILED}${index}')`;
  const seen = (shape: Shape) => counts[shape] > 0;
  const branches: Array<[string, string]> = [];
  const checked = (cast: string) => `coalesce(${cast}, ${fail})`;
  switch (choice.type) {
    case 'boolean':
      branches.push([`lower(trim(${v})) IN ('true', 'vrai')`, 'true'], [`lower(trim(${v})) IN ('false', 'faux')`, 'false']);
      break;
    case 'integer':
      branches.push([full(v, ' *[+-]?(0|[1-9][0-9]{0,17}) *'), `CAST(${v} AS BIGINT)`]);
      break;
    case 'number': {
      const separators = `${seen('decimalPoint') ? '.' : ''}${seen('decimalComma') ? ',' : ''}`;
      const fraction = separators ? `([${separators}][0-9]+)?` : '';
      const bare = separators ? `|[${separators}][0-9]+` : '';
      branches.push([
        full(v, ` *[+-]?((0|[1-9][0-9]{0,14})${fraction}${bare})([eE][+-]?[0-9]{1,3})? *`),
        `CAST(${seen('decimalComma') ? `replace(${v}, ',', '.')` : v} AS DOUBLE)`,
      ]);
      break;
    }
    case 'date':
    case 'datetime': {
      const target = choice.type === 'date' ? 'DATE' : seen('isoDatetimeZoned') ? 'TIMESTAMPTZ' : 'TIMESTAMP';
      if (seen('isoDate')) branches.push([full(v, ISO_DATE), checked(`TRY_CAST(${v} AS ${target})`)]);
      if (seen('isoDatetime')) branches.push([full(v, ISO_DATETIME), checked(`TRY_CAST(${v} AS ${target})`)]);
      if (seen('isoDatetimeZoned')) branches.push([full(v, ISO_DATETIME + ZONE), checked(`TRY_CAST(${v} AS ${target})`)]);
      if (seen('frenchDate')) branches.push([full(v, FRENCH_DATE), checked(`CAST(try_strptime(${v}, '%d/%m/%Y') AS ${target})`)]);
      if (seen('frenchDatetime')) branches.push([full(v, FRENCH_DATETIME), checked(`CAST(${frenchDatetime(v)} AS ${target})`)]);
      if (seen('compactDate')) branches.push([full(v, COMPACT_DATE), checked(`CAST(try_strptime(${v}, '%Y%m%d') AS ${target})`)]);
      break;
    }
  }
  // Markers only where the sample showed some: elsewhere a marker is news, and news means counting.
  if (counts.missing > 0) branches.unshift([isMissingSql(v), 'NULL']);
  return `CASE WHEN ${v} IS NULL OR ${v} = '' THEN NULL ${branches.map(([when, then]) => `WHEN ${when} THEN ${then}`).join(' ')} ELSE ${fail} END`;
}

/** SQL true for the values of shape code column `k` that a choice does not read (odd values). */
export function isOddSql(k: string, choice: TypeChoice): string {
  return `${k} NOT IN (${[SHAPES.empty, SHAPES.missing, ...choice.reads.map((s) => SHAPES[s])].join(', ')})`;
}

/** SQL true for a (trimmed) value in the less frequent date format of a column, `minority` from minorityDateFormat. */
export function isMinorityDateSql(v: string, minority: { shapes: Shape[] }): string {
  return full(v, minority.shapes.includes('frenchDate') ? FRENCH_DATE_LIKE : ISO_DATE_LIKE);
}

const ISO_DATE_LIKE = `${ISO_DATE}([ T].*)?`;
const FRENCH_DATE_LIKE = `${FRENCH_DATE}([ T].*)?`;

/** The less frequent format of a date column that mixes ISO and French dates, to point the steward at it. */
export function minorityDateFormat(counts: ShapeCounts): { shapes: Shape[]; label: string; majority: string; count: number } | null {
  const iso = counts.isoDate + counts.isoDatetime + counts.isoDatetimeZoned;
  const french = counts.frenchDate + counts.frenchDatetime;
  if (iso === 0 || french === 0) return null;
  return french <= iso
    ? { shapes: ['frenchDate', 'frenchDatetime'], label: 'JJ/MM/AAAA', majority: 'AAAA-MM-JJ', count: french }
    : { shapes: ['isoDate', 'isoDatetime', 'isoDatetimeZoned'], label: 'AAAA-MM-JJ', majority: 'JJ/MM/AAAA', count: iso };
}

export const TYPE_LABELS: Record<ColumnType, string> = {
  string: 'du texte',
  integer: 'un nombre entier',
  number: 'un nombre',
  boolean: 'un booléen (vrai/faux)',
  date: 'une date',
  datetime: 'une date et heure',
  time: 'une heure',
  geometry: 'une géométrie',
  json: 'du JSON',
  binary: 'des données binaires',
};

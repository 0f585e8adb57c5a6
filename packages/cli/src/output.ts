/** Everything the CLI prints goes through here: aligned tables and labels for people, JSON for scripts. */

export function print(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Text exactly as given (a signed note, whose every byte counts), without an added newline. */
export function printRaw(text: string): void {
  process.stdout.write(text);
}

/** Bytes exactly as received (a PDF piped to another program). */
export function printBytes(data: Uint8Array): void {
  process.stdout.write(data);
}

/** Notes and warnings go to stderr so that stdout stays parseable (`--json`, pipes). */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Width as a terminal shows it: accented letters count once (assumes NFC text, as the API sends). */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

/** An aligned table with a header row, two spaces between columns, no trailing blanks. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => oneLine(c.value(row))));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i]!))));
  const line = (values: string[]) =>
    values
      .map((v, i) => pad(v, widths[i]!, columns[i]!.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n');
}

/** Label/value pairs, labels aligned; pairs whose value is empty are left out. */
export function details(pairs: readonly (readonly [string, string | null | undefined])[]): string {
  const shown = pairs.filter((p): p is readonly [string, string] => p[1] !== null && p[1] !== undefined && p[1] !== '');
  const size = Math.max(0, ...shown.map(([label]) => width(label)));
  return shown.map(([label, value]) => `${pad(label, size, 'left')}  ${oneLine(value)}`).join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' });
const day = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long' });

export const NONE = '—';

/** `28/11/2026 16:09`, or a dash when there is no date. */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : NONE;
}

/** `28 novembre 2026`, or a dash when there is no date. */
export function formatDay(iso: string | null | undefined): string {
  return iso ? day.format(new Date(iso)) : NONE;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${new Intl.NumberFormat('fr-FR').format(count)} ${count > 1 ? pluralForm : singular}`;
}

const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const BYTE_UNITS = ['o', 'ko', 'Mo', 'Go', 'To'];

/** `512 o`, `1,2 Mo` (powers of 1000, as French file managers show sizes). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${decimal.format(unit === 0 ? value : Math.floor(value * 10) / 10)} ${BYTE_UNITS[unit]}`;
}

/** `12 345`, with the narrow no-break space French uses between thousands. */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat('fr-FR').format(value);
}

import { IngestError } from './errors';

/**
 * The shape of a delimited text file, decided from its first megabyte: which delimiter, whether
 * fields are quoted, and the header. DuckDB is then told all of it explicitly rather than left to
 * sniff, so the result never depends on a sample's luck (its sniffer can take a `;` file with
 * decimal commas for a `,` file, or a header of text for data when every column is text).
 */

export const DELIMITERS = [';', ',', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** More columns than this is not a table anyone can review; a header of 100 000 fields is an attack or an accident. */
export const MAX_COLUMNS = 2000;

/** Column names longer than this are cut: they end up in URLs, SQL and table headers. */
const MAX_NAME_LENGTH = 200;

export interface Dialect {
  delimiter: Delimiter;
  /** `"` or none: tab-separated files usually do not quote, and a stray `"` then is just a character. */
  quote: '"' | null;
  header: string[];
}

/**
 * Splits text into records the way DuckDB will (RFC 4180: `"` opens a quoted field only at its
 * start, `""` is a literal quote inside one; `\n`, `\r\n` or `\r` end a record outside quotes).
 * Stops after `maxRecords`; `complete` says whether the last record ended before the text did.
 */
export function parseRecords(
  text: string,
  delimiter: string,
  quote: string | null,
  maxRecords: number,
): { records: string[][]; lastComplete: boolean; sawQuotedField: boolean } {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let atFieldStart = true;
  let sawQuotedField = false;
  let i = 0;
  for (; i < text.length && records.length < maxRecords; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === quote) {
        if (text[i + 1] === quote) {
          field += c;
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (atFieldStart && c === quote) {
      quoted = true;
      sawQuotedField = true;
      atFieldStart = false;
    } else if (c === delimiter) {
      record.push(field);
      field = '';
      atFieldStart = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      atFieldStart = true;
    } else {
      field += c;
      atFieldStart = false;
    }
  }
  const pending = field !== '' || record.length > 0 || quoted;
  if (pending && records.length < maxRecords) {
    record.push(field);
    records.push(record);
    return { records, lastComplete: false, sawQuotedField };
  }
  return { records, lastComplete: true, sawQuotedField };
}

/**
 * Picks the delimiter whose header has at least two fields and whose following records most often
 * have the same number of fields as the header; ties go to more fields, then to the order of
 * DELIMITERS (`;` first: French exports use it because `,` is the decimal separator).
 *
 * `wholeFile` says whether `sample` is the entire file (else its last record may be cut short).
 */
export function detectDialect(sample: string, wholeFile: boolean, forced?: Delimiter): Dialect {
  const candidates = forced ? [forced] : DELIMITERS;
  let best: { delimiter: Delimiter; score: number; fields: number; sawQuotedField: boolean; header: string[] } | undefined;
  for (const delimiter of candidates) {
    const { records, lastComplete, sawQuotedField } = parseRecords(sample, delimiter, '"', 200);
    const header = records[0];
    if (!header) continue;
    if (records.length === 1 && !lastComplete && !wholeFile) headerTooLong(sample, candidates);
    const body = records.slice(1, lastComplete || wholeFile ? undefined : -1);
    const fields = header.length;
    const score = fields < 2 ? 0 : body.length === 0 ? 1 : body.filter((r) => r.length === fields).length / body.length;
    if (!best || score > best.score || (score === best.score && fields > best.fields))
      best = { delimiter, score, fields, sawQuotedField, header };
  }
  if (!best)
    throw new IngestError(
      'empty_file',
      'Le fichier est vide : il ne contient ni en-tête ni données. Choisissez le bon fichier et réessayez.',
    );
  // One column: any delimiter reads it the same.
  const delimiter = best.score === 0 && !forced ? ',' : best.delimiter;
  const header = best.score === 0 && !forced ? parseRecords(sample, delimiter, '"', 1).records[0]! : best.header;
  if (header.length > MAX_COLUMNS) tooManyColumns(header.length);
  const quote = delimiter === '\t' && !best.sawQuotedField ? null : '"';
  return { delimiter, quote, header: quote ? header : parseRecords(sample, delimiter, null, 1).records[0]! };
}

function tooManyColumns(count: number | string): never {
  throw new IngestError(
    'too_many_columns',
    `L’en-tête compte ${typeof count === 'number' ? count.toLocaleString('fr-FR') : count} colonnes, au-delà de la limite de ${MAX_COLUMNS.toLocaleString('fr-FR')}. Un tableau aussi large ne peut pas être relu ni publié : découpez-le en plusieurs fichiers ou passez-le en format long (une ligne par mesure), puis réessayez.`,
    { line: 1 },
  );
}

function headerTooLong(sample: string, candidates: readonly Delimiter[]): never {
  const most = Math.max(...candidates.map((d) => sample.split(d).length));
  if (most > MAX_COLUMNS) tooManyColumns(`plus de ${most.toLocaleString('fr-FR')}`);
  throw new IngestError(
    'header_too_long',
    'La première ligne ne se termine pas dans le premier mégaoctet du fichier : ce n’est pas un en-tête de tableau. Vérifiez que le fichier est bien un CSV avec une ligne d’en-tête, puis réessayez.',
    { line: 1 },
  );
}

export interface ColumnRename {
  index: number;
  from: string;
  to: string;
  reason: 'empty' | 'duplicate' | 'too_long';
}

/**
 * Makes column names usable: trimmed, never empty (`colonne_3`), never repeated (`nom`, `nom_2`).
 * Repeats are compared without case, as SQL identifiers are. Every change is returned so the
 * quality report can say which columns were renamed.
 */
export function normalizeColumnNames(
  raw: readonly string[],
  reserved: readonly string[] = [],
): { names: string[]; renames: ColumnRename[] } {
  const taken = new Set(reserved.map((n) => n.toLowerCase()));
  const names: string[] = [];
  const renames: ColumnRename[] = [];
  raw.forEach((original, index) => {
    let name = original.replace(/^\uFEFF/, '').trim();
    let reason: ColumnRename['reason'] | undefined;
    if (name === '') {
      name = `colonne_${index + 1}`;
      reason = 'empty';
    } else if (name.length > MAX_NAME_LENGTH) {
      name = name.slice(0, MAX_NAME_LENGTH);
      reason = 'too_long';
    }
    if (taken.has(name.toLowerCase())) {
      let n = 2;
      while (taken.has(`${name}_${n}`.toLowerCase())) n++;
      name = `${name}_${n}`;
      reason ??= 'duplicate';
    }
    taken.add(name.toLowerCase());
    names.push(name);
    if (reason) renames.push({ index, from: original, to: name, reason });
  });
  return { names, renames };
}

/**
 * Words that mark a column as a code or an identifier (INSEE codes, postcodes, GTFS `*_id`…):
 * such a column stays text even when every value is made of digits, because its values are
 * labels, not quantities (DESIGN.md: INSEE codes are zero-padded text, never numbers), and a
 * later file with `2A004` or `09` must not change its type.
 */
const IDENTIFIER_WORDS = new Set([
  'id',
  'code',
  'insee',
  'codgeo',
  'siren',
  'siret',
  'dep',
  'reg',
  'com',
  'cp',
  'uai',
  'finess',
  'rna',
  'naf',
]);

export function isIdentifierName(name: string): boolean {
  const words = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.some((w) => IDENTIFIER_WORDS.has(w) || /^cod[a-z]/.test(w));
}

/** `spf_covid_hospit_incid_dep_occitanie`: the file name without extension, as a lower-case ASCII identifier. */
export function tableNameFrom(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  const slug = base
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 100);
  return /^[a-z]/.test(slug) ? slug : `t_${slug || 'donnees'}`;
}

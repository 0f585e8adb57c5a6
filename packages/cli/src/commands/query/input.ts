import { MAX_IN_VALUES, type AggregateInput, type FilterInput, type QueryInput } from '@confiance/contract';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../../errors';

const NAME = '([^\\s=<>!~|]+)';
const WORD_OPERATORS: [RegExp, (match: string[]) => FilterInput][] = [
  [new RegExp(`^${NAME}\\s+is\\s+not\\s+null$`, 'i'), ([, column]) => ({ column: column!, op: 'not_null' })],
  [new RegExp(`^${NAME}\\s+is\\s+null$`, 'i'), ([, column]) => ({ column: column!, op: 'is_null' })],
  [new RegExp(`^${NAME}\\s+not\\s+in\\s+(.+)$`, 'i'), ([, column, list]) => ({ column: column!, op: 'not_in', value: values(list!) })],
  [new RegExp(`^${NAME}\\s+in\\s+(.+)$`, 'i'), ([, column, list]) => ({ column: column!, op: 'in', value: values(list!) })],
  [
    new RegExp(`^${NAME}\\s+between\\s+(.+?)\\s+and\\s+(.+)$`, 'i'),
    ([, column, low, high]) => ({ column: column!, op: 'between', value: [low!.trim(), high!.trim()] }),
  ],
];

/** Longest first, so that `<=` is not read as `<` followed by a value starting with `=`. */
const SYMBOL_OPERATORS = [
  ['!=', 'neq'],
  ['<=', 'lte'],
  ['>=', 'gte'],
  ['<', 'lt'],
  ['>', 'gt'],
  ['~', 'contains'],
  ['=', 'eq'],
] as const;

export const WHERE_HELP =
  'col=v, col!=v, col<v, col<=v, col>v, col>=v, col~texte (contient), col in a|b|c, col not in a|b, col between a and b, col is null';

function values(list: string): string[] {
  const items = list.split('|').map((v) => v.trim());
  if (items.some((v) => v === '')) throw new InvalidArgumentError('valeur vide dans la liste (séparez les valeurs par |).');
  if (items.length > MAX_IN_VALUES) throw new InvalidArgumentError(`au plus ${MAX_IN_VALUES} valeurs dans une liste.`);
  return items;
}

/**
 * `--where` as people type it, into the API's filter. Values are always sent as text: the node
 * casts text to the column's type (a date, a number), whereas a value the CLI turned into a number
 * would lose what matters in codes — « 09 » for the Ariège would become 9 and match nothing.
 */
export function parseWhere(text: string): FilterInput {
  const clause = text.trim();
  for (const [pattern, build] of WORD_OPERATORS) {
    const match = pattern.exec(clause);
    if (match) return build([...match]);
  }
  let best: { at: number; symbol: string; op: FilterInput['op'] } | undefined;
  for (const [symbol, op] of SYMBOL_OPERATORS) {
    const at = clause.indexOf(symbol);
    // The operator is the first symbol in the text; at the same place the longer one wins (`<=`).
    if (at >= 0 && (best === undefined || at < best.at)) best = { at, symbol, op };
  }
  if (!best) throw new InvalidArgumentError(`filtre attendu sous la forme ${WHERE_HELP}.`);
  const column = clause.slice(0, best.at).trim();
  const value = clause.slice(best.at + best.symbol.length).trim();
  if (column === '') throw new InvalidArgumentError('nom de colonne manquant avant l’opérateur.');
  return { column, op: best.op, value };
}

/** `--order-by col` or `col:desc` (or `:asc`), repeatable. */
export function parseOrder(text: string): { column: string; direction: 'asc' | 'desc' } {
  const match = /^(.+?)(?::(asc|desc))?$/i.exec(text.trim());
  const column = match?.[1]?.trim();
  if (!column) throw new InvalidArgumentError('colonne attendue, suivie au besoin de :desc (par exemple hosp:desc).');
  return { column, direction: (match?.[2]?.toLowerCase() as 'asc' | 'desc' | undefined) ?? 'asc' };
}

/** `--on dep=DEP`: this dataset's key, then the joined one's. */
export function parseJoinKeys(text: string): { left: string; right: string } {
  const match = /^([^=]+)=([^=]+)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError('clé=clé attendu : la clé de ce jeu, puis celle du jeu croisé (par exemple dep=DEP).');
  return { left: match[1]!.trim(), right: match[2]!.trim() };
}

export interface QueryFlags {
  table?: string;
  contract?: string;
  /** A pseudonymised join: the other dataset, its contract and table, and the key pairs. */
  join?: string;
  joinContract?: string;
  joinTable?: string;
  on?: { left: string; right: string }[];
  columns?: string[];
  groupBy?: string[];
  count?: boolean;
  sum?: string[];
  avg?: string[];
  min?: string[];
  max?: string[];
  countDistinct?: string[];
  where?: FilterInput[];
  orderBy?: { column: string; direction: 'asc' | 'desc' }[];
  limit?: number;
  sql?: string;
}

/**
 * The query body the API takes. Aggregates come in a fixed order (count, sum, avg, min, max,
 * count_distinct), each named `fn_column` by the node; an SQL text travels alone.
 */
export function queryBody(flags: QueryFlags): QueryInput {
  const common = {
    ...(flags.table ? { table: flags.table } : {}),
    ...(flags.contract ? { contract: flags.contract } : {}),
  };
  if (flags.sql !== undefined) return { ...common, sql: flags.sql };
  if (flags.join === undefined && (flags.on?.length || flags.joinContract || flags.joinTable))
    throw new UsageError('--on, --join-contract et --join-table accompagnent --join JEU.');
  if (flags.join !== undefined && !flags.on?.length)
    throw new UsageError('--join demande au moins une paire de clés : --on clé=clé (par exemple --on dep=DEP).');
  const join =
    flags.join !== undefined
      ? {
          join: {
            dataset: flags.join,
            ...(flags.joinContract ? { contract: flags.joinContract } : {}),
            ...(flags.joinTable ? { table: flags.joinTable } : {}),
            on: flags.on!,
          },
        }
      : {};
  const aggregates: AggregateInput[] = [
    ...(flags.count ? [{ fn: 'count' as const }] : []),
    ...(flags.sum ?? []).map((column) => ({ fn: 'sum' as const, column })),
    ...(flags.avg ?? []).map((column) => ({ fn: 'avg' as const, column })),
    ...(flags.min ?? []).map((column) => ({ fn: 'min' as const, column })),
    ...(flags.max ?? []).map((column) => ({ fn: 'max' as const, column })),
    ...(flags.countDistinct ?? []).map((column) => ({ fn: 'count_distinct' as const, column })),
  ];
  return {
    ...common,
    ...join,
    columns: flags.columns ?? [],
    groupBy: flags.groupBy ?? [],
    aggregates,
    where: flags.where ?? [],
    orderBy: flags.orderBy ?? [],
    ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
  };
}

/** Flags that shape a structured query: none may come with `--sql`. */
export function structuredFlags(flags: QueryFlags): string[] {
  const used: [string, boolean][] = [
    ['--columns', (flags.columns?.length ?? 0) > 0],
    ['--group-by', (flags.groupBy?.length ?? 0) > 0],
    ['--count', flags.count === true],
    ['--sum', (flags.sum?.length ?? 0) > 0],
    ['--avg', (flags.avg?.length ?? 0) > 0],
    ['--min', (flags.min?.length ?? 0) > 0],
    ['--max', (flags.max?.length ?? 0) > 0],
    ['--count-distinct', (flags.countDistinct?.length ?? 0) > 0],
    ['--where', (flags.where?.length ?? 0) > 0],
    ['--order-by', (flags.orderBy?.length ?? 0) > 0],
    ['--limit', flags.limit !== undefined],
    ['--join', flags.join !== undefined],
  ];
  return used.filter(([, on]) => on).map(([flag]) => flag);
}

/** A repeatable option whose each value may itself list several, comma-separated: `--group-by dep --group-by sexe` or `--group-by dep,sexe`. */
export function accumulate<T>(parse: (value: string) => T) {
  return (value: string, previous: T[] | undefined): T[] => [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')
      .map(parse),
  ];
}

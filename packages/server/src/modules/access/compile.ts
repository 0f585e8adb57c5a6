import type { AggregateInput, Disclosure, FilterInput, QuerySpec } from '@confiance/contract';
import { sqlIdent, sqlString } from '../catalog/index';

/**
 * Structured queries compiled to SQL over the sandbox's view, with the grant's rules checked on
 * the way: only visible columns exist, aggregate-only grants group and filter on dimensions only
 * and never return a row. Pure: names are checked against the view's columns and quoted, values
 * become literals — nothing the caller sends reaches SQL as text.
 */

export class QueryRefusal extends Error {
  override readonly name = 'QueryRefusal';
  constructor(
    /** Which rule refused it: logged, and sent as `details.refusal`. */
    readonly refusal: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ViewColumn {
  name: string;
  /** DuckDB's type (VARCHAR, BIGINT, DATE…). */
  sqlType: string;
}

export interface CompileScope {
  /** The view restricted SQL and compiled queries read. */
  relation: string;
  /** Columns of the view, i.e. the granted ones. */
  columns: readonly ViewColumn[];
  /** Rows may be returned (rows or SQL granted, open or own data). */
  rows: boolean;
  aggregateOnly: boolean;
  disclosure: Disclosure | null;
  /** Differential privacy: counts and clipped sums only, noised after the query (issue 8). */
  privacy?: { clipping: readonly { column: string; lower: number; upper: number }[] } | null;
  /** Most rows (or cells) one response carries. */
  rowLimit: number;
}

export type AggregateKind = 'rows' | 'count' | 'other';

export interface CompiledAggregate {
  name: string;
  fn: AggregateInput['fn'];
  column: string | null;
  /**
   * How disclosure control treats it: `rows` is the cell's number of rows, `count` a sum of a
   * column holding counts of people (protected as a count), `other` is published only where the
   * cell's rows are (averages, sums of other measures, distinct counts).
   */
  kind: AggregateKind;
}

export type Compiled =
  | { mode: 'rows'; sql: string; columns: string[]; limit: number }
  | {
      mode: 'aggregate';
      sql: string;
      groupBy: string[];
      aggregates: CompiledAggregate[];
      /** Aggregate-only: the hidden number of rows per cell (`__n`) and, for business data, units. */
      protectedColumns: { rows: string; units: string | null; largest: Record<string, string> } | null;
      /** Order and limit applied after protection (aggregate-only) or in SQL. */
      orderBy: { column: string; direction: 'asc' | 'desc' }[];
      limit: number;
      /** Groups at most before the query is refused (aggregate-only protects the whole table). */
      maxCells: number;
      /**
       * Aggregate-only: the view, its dimensions and the WHERE condition (null: none), from which
       * differencing protection (releases.ts) numbers the atoms each cell covers.
       */
      source: { relation: string; dimensions: string[]; filter: string | null } | null;
    };

/** Hidden columns the protection needs; never shown. */
export const ROWS_COLUMN = '__n';
const UNITS_COLUMN = '__units';
/** Aggregate-only results are protected whole (margins need every cell): bounded here. */
export const MAX_PROTECTED_CELLS = 50_000;

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;

export function dimensionsOf(scope: Pick<CompileScope, 'columns' | 'disclosure'>): string[] {
  const d = scope.disclosure;
  if (!d) return scope.columns.map((c) => c.name);
  if (d.dimensions.length > 0) return d.dimensions.filter((name) => scope.columns.some((c) => c.name === name));
  const hidden = new Set([...d.countColumns, ...(d.unitColumn ? [d.unitColumn] : [])]);
  return scope.columns.filter((c) => !hidden.has(c.name)).map((c) => c.name);
}

export function compileQuery(spec: QuerySpec, scope: CompileScope): Compiled {
  const column = (name: string, what: string): ViewColumn => {
    const found = scope.columns.find((c) => c.name === name);
    if (!found)
      throw new QueryRefusal(
        'unknown_column',
        `${what} : la colonne « ${shorten(name)} » n’existe pas ou n’est pas accordée par votre contrat. Colonnes accessibles : ${scope.columns.map((c) => c.name).join(', ')}.`,
      );
    return found;
  };
  const dimensions = new Set(scope.aggregateOnly ? dimensionsOf(scope) : scope.columns.map((c) => c.name));
  const dimension = (name: string, what: string) => {
    column(name, what);
    if (!dimensions.has(name))
      throw new QueryRefusal(
        'not_a_dimension',
        `${what} : « ${shorten(name)} » n’est pas une dimension. En accès agrégé, on ne regroupe et ne filtre que sur : ${[...dimensions].join(', ')}.`,
      );
  };

  for (const filter of spec.where) (scope.aggregateOnly ? dimension : column)(filter.column, 'Filtre');
  // Data holding its own totals (SPF's sexe = 0 beside 1 and 2): an aggregate that neither groups
  // nor filters on such a column would add the totals to what they total — every figure doubled,
  // and a 4 published as 8 past the small-count rule. It reads the total rows instead.
  const grouping = spec.aggregates.length > 0 || spec.groupBy.length > 0;
  const totals: FilterInput[] = grouping
    ? (scope.disclosure?.margins ?? [])
        .filter((m) => scope.columns.some((c) => c.name === m.column))
        .filter((m) => !spec.groupBy.includes(m.column) && !spec.where.some((f) => f.column === m.column))
        .map((m) => ({ column: m.column, op: 'eq' as const, value: m.value }))
    : [];
  const filters = [...spec.where, ...totals];
  const filter = filters.length > 0 ? filters.map((f) => filterSql(f, column(f.column, 'Filtre'))).join(' AND ') : null;
  const where = filter === null ? '' : ` WHERE ${filter}`;
  const from = ` FROM ${sqlIdent(scope.relation)}`;

  const grouped = spec.aggregates.length > 0 || spec.groupBy.length > 0;
  if (!grouped) {
    if (scope.aggregateOnly || !scope.rows)
      throw new QueryRefusal(
        'aggregate_only',
        'Votre accès est agrégé seulement : aucune ligne ne sort. Choisissez des regroupements et des agrégats (nombre, somme, moyenne).',
      );
    const selected = spec.columns.length > 0 ? spec.columns : scope.columns.map((c) => c.name);
    for (const name of selected) column(name, 'Colonne');
    const limit = Math.min(spec.limit ?? scope.rowLimit, scope.rowLimit);
    const order = orderSql(spec.orderBy, selected);
    return {
      mode: 'rows',
      sql: `SELECT ${selected.map(sqlIdent).join(', ')}${from}${where}${order} LIMIT ${limit + 1}`,
      columns: selected,
      limit,
    };
  }

  const groupBy = [...new Set([...spec.groupBy, ...spec.columns])];
  for (const name of groupBy) (scope.aggregateOnly ? dimension : column)(name, 'Regroupement');
  const d = scope.aggregateOnly ? scope.disclosure : null;
  const counts = new Set(d?.countColumns ?? []);
  const names = new Set<string>(groupBy);
  const aggregates: CompiledAggregate[] = (spec.aggregates.length > 0 ? spec.aggregates : [{ fn: 'count' as const }]).map((a) => {
    const measured = a.column === undefined ? null : column(a.column, 'Agrégat');
    if (a.fn !== 'count' && !measured) throw new QueryRefusal('invalid', `L’agrégat « ${a.fn} » demande une colonne.`);
    if ((a.fn === 'sum' || a.fn === 'avg') && measured && !NUMERIC.test(measured.sqlType))
      throw new QueryRefusal(
        'invalid',
        `« ${a.fn} » demande une colonne numérique : « ${measured.name} » est de type ${measured.sqlType}.`,
      );
    if (d && (a.fn === 'min' || a.fn === 'max'))
      throw new QueryRefusal(
        'aggregate_only',
        `« ${a.fn} » n’est pas permis en accès agrégé : le minimum ou le maximum d’une case est la valeur d’une seule ligne.`,
      );
    if (d && a.fn === 'count_distinct' && measured && !dimensions.has(measured.name))
      throw new QueryRefusal('not_a_dimension', `Le nombre de valeurs distinctes ne se calcule que sur une dimension en accès agrégé.`);
    if (d?.unitColumn && (d.minUnits !== null || d.dominance !== null) && a.fn !== 'count' && a.fn !== 'sum')
      throw new QueryRefusal(
        'aggregate_only',
        `Données d’entreprises : seuls le nombre et la somme sont permis, pour que les règles du secret statistique (unités, part dominante) s’appliquent.`,
      );
    if (scope.privacy) {
      if (!(a.fn === 'count' && !measured) && a.fn !== 'sum')
        throw new QueryRefusal(
          'privacy_function',
          `Sous confidentialité différentielle, seuls le nombre de lignes et les sommes bornées sont permis (pas « ${a.fn} »).`,
        );
      if (a.fn === 'sum' && !scope.privacy.clipping.some((c) => c.column === measured!.name))
        throw new QueryRefusal(
          'privacy_no_bounds',
          `La somme de « ${measured!.name} » n’a pas de bornes dans le contrat : sans elles, une somme bruitée ne protège pas les valeurs extrêmes, elle est refusée.`,
        );
    }
    const name = a.as ?? (measured ? `${a.fn}_${measured.name}` : 'nombre');
    if (names.has(name) || name.startsWith('__'))
      throw new QueryRefusal('invalid', `Deux résultats s’appellent « ${shorten(name)} » : nommez l’agrégat autrement (champ « as »).`);
    names.add(name);
    const kind: AggregateKind =
      a.fn === 'count' && !measured ? 'rows' : a.fn === 'sum' && measured && counts.has(measured.name) ? 'count' : 'other';
    return { name, fn: a.fn, column: measured?.name ?? null, kind };
  });

  const keys = groupBy.map(sqlIdent);
  const keyList = keys.join(', ');
  const group = keys.length > 0 ? ` GROUP BY ${keyList}` : '';
  const unitRules = d?.unitColumn && (d.minUnits !== null || d.dominance !== null) ? d.unitColumn : null;
  if (unitRules) column(unitRules, 'Colonne d’unité');
  const expression = (a: CompiledAggregate, source: 'rows' | 'units') => {
    const col = a.column === null ? null : sqlIdent(a.column);
    if (source === 'units') {
      // Per-unit partial aggregates first (see below): the cell's value sums them.
      return a.fn === 'count' ? `sum(${ROWS_COLUMN})` : `sum(${sqlIdent(`__u_${a.name}`)})`;
    }
    const clip = scope.privacy?.clipping.find((c) => c.column === a.column);
    // Each row contributes at most the bound: values clipped, then whole (integer noise on a
    // fractional sum would leave the fraction bare).
    if (a.fn === 'sum' && clip && col) return `sum(CAST(round(least(greatest(${col}, ${clip.lower}), ${clip.upper})) AS BIGINT))`;
    switch (a.fn) {
      case 'count':
        return col ? `count(${col})` : 'count(*)';
      case 'count_distinct':
        return `count(DISTINCT ${col})`;
      case 'sum':
      case 'avg':
      case 'min':
      case 'max':
        return `${a.fn}(${col})`;
    }
  };

  let sql: string;
  let protectedColumns: Extract<Compiled, { mode: 'aggregate' }>['protectedColumns'] = null;
  if (unitRules) {
    // Business data: aggregate per unit first, so each cell knows its units and its largest one.
    const unit = sqlIdent(unitRules);
    const partial = aggregates
      .filter((a) => a.fn === 'sum')
      .map((a) => `sum(${sqlIdent(a.column!)}) AS ${sqlIdent(`__u_${a.name}`)}`)
      .join(', ');
    const inner = `SELECT ${keys.length > 0 ? `${keyList}, ` : ''}${unit}, count(*) AS ${ROWS_COLUMN}${partial ? `, ${partial}` : ''}${from}${where} GROUP BY ${[...keys, unit].join(', ')}`;
    const largest: Record<string, string> = {};
    const outer = aggregates.map((a) => `${expression(a, 'units')} AS ${sqlIdent(a.name)}`);
    for (const a of aggregates.filter((x) => x.fn === 'sum')) {
      const max = `__max_${a.name}`;
      largest[a.name] = max;
      outer.push(`max(${sqlIdent(`__u_${a.name}`)}) AS ${sqlIdent(max)}`);
    }
    sql = `SELECT ${keys.length > 0 ? `${keyList}, ` : ''}${outer.join(', ')}, sum(${ROWS_COLUMN}) AS ${ROWS_COLUMN}, count(*) AS ${UNITS_COLUMN} FROM (${inner})${group}`;
    protectedColumns = { rows: ROWS_COLUMN, units: UNITS_COLUMN, largest };
  } else {
    const selected = aggregates.map((a) => `${expression(a, 'rows')} AS ${sqlIdent(a.name)}`);
    if (d) selected.push(`count(*) AS ${ROWS_COLUMN}`);
    sql = `SELECT ${keys.length > 0 ? `${keyList}, ` : ''}${selected.join(', ')}${from}${where}${group}`;
    if (d) protectedColumns = { rows: ROWS_COLUMN, units: null, largest: {} };
  }

  const outputs = [...groupBy, ...aggregates.map((a) => a.name)];
  for (const o of spec.orderBy) {
    if (!outputs.includes(o.column))
      throw new QueryRefusal('invalid', `Tri : « ${shorten(o.column)} » n’est pas une colonne du résultat (${outputs.join(', ')}).`);
  }
  const limit = Math.min(spec.limit ?? scope.rowLimit, scope.rowLimit);
  if (d || scope.privacy) {
    // Protected whole, ordered by key (a stable input for the protection); sorted and cut after,
    // so that neither the order nor the cut reveals anything about a masked value.
    const order = keys.length > 0 ? ` ORDER BY ${keyList}` : '';
    return {
      mode: 'aggregate',
      sql: `${sql}${order} LIMIT ${MAX_PROTECTED_CELLS + 1}`,
      groupBy,
      aggregates,
      protectedColumns,
      orderBy: spec.orderBy,
      limit,
      maxCells: MAX_PROTECTED_CELLS,
      source: d ? { relation: scope.relation, dimensions: [...dimensions], filter } : null,
    };
  }
  const order = orderSql(spec.orderBy, outputs) || (keys.length > 0 ? ` ORDER BY ${keyList}` : '');
  return {
    mode: 'aggregate',
    sql: `${sql}${order} LIMIT ${limit + 1}`,
    groupBy,
    aggregates,
    protectedColumns: null,
    orderBy: [],
    limit,
    maxCells: limit,
    source: null,
  };
}

function orderSql(orderBy: QuerySpec['orderBy'], outputs: readonly string[]): string {
  if (orderBy.length === 0) return '';
  for (const o of orderBy) {
    if (!outputs.includes(o.column))
      throw new QueryRefusal('invalid', `Tri : « ${shorten(o.column)} » n’est pas une colonne du résultat (${outputs.join(', ')}).`);
  }
  return ` ORDER BY ${orderBy.map((o) => `${sqlIdent(o.column)} ${o.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`).join(', ')}`;
}

type Scalar = string | number | boolean;

/** A value as an SQL literal of the column's type: text is quoted, numbers must be finite. */
function literal(value: Scalar, column: ViewColumn): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new QueryRefusal('invalid', `Filtre sur « ${column.name} » : nombre invalide.`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // Text compared with a typed column is cast by DuckDB (a date column accepts '2020-04-15');
  // the cast to the column's type makes a malformed value an error rather than a silent mismatch.
  return NUMERIC.test(column.sqlType) || /^(DATE|TIMESTAMP.*|TIME|BOOLEAN)$/.test(column.sqlType)
    ? `CAST(${sqlString(value)} AS ${column.sqlType})`
    : sqlString(value);
}

function filterSql(filter: FilterInput, column: ViewColumn): string {
  const col = sqlIdent(column.name);
  const value = filter.value;
  const one = (): Scalar => {
    if (value === undefined || Array.isArray(value))
      throw new QueryRefusal('invalid', `Filtre « ${filter.op} » sur « ${column.name} » : une valeur est attendue.`);
    return value;
  };
  const list = (): Scalar[] => {
    if (!Array.isArray(value) || value.length === 0)
      throw new QueryRefusal('invalid', `Filtre « ${filter.op} » sur « ${column.name} » : une liste de valeurs est attendue.`);
    return value;
  };
  const ops = { eq: '=', neq: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;
  switch (filter.op) {
    case 'eq':
    case 'neq':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return `${col} ${ops[filter.op]} ${literal(one(), column)}`;
    case 'in':
    case 'not_in':
      return `${col} ${filter.op === 'in' ? 'IN' : 'NOT IN'} (${list()
        .map((v) => literal(v, column))
        .join(', ')})`;
    case 'between': {
      const bounds = list();
      if (bounds.length !== 2) throw new QueryRefusal('invalid', `Filtre « between » sur « ${column.name} » : deux bornes sont attendues.`);
      return `${col} BETWEEN ${literal(bounds[0]!, column)} AND ${literal(bounds[1]!, column)}`;
    }
    case 'is_null':
      return `${col} IS NULL`;
    case 'not_null':
      return `${col} IS NOT NULL`;
    case 'contains':
      return `contains(lower(CAST(${col} AS VARCHAR)), lower(${sqlString(String(one()))}))`;
  }
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

import { createHash } from 'node:crypto';
import type { Context } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import { sqlIdent, sqlString } from '../catalog/index';
import type { Compiled, CompiledAggregate } from './compile';
import { checkRelease, DIFFERENCING_DEFAULTS, ReleaseHistory, type AtomSet, type CheckResult, type ReleasedCell } from './differencing';
import { withSandbox, type SandboxRelation } from './sandbox';
import type { QueryScope } from './scope';

/**
 * Differencing protection wired into aggregate-only queries (differencing.ts has the model). Before
 * a protected result leaves the node:
 *
 * 1. DuckDB, in the query's own sandbox, numbers the view's atoms — the distinct combinations of
 *    its dimensions, by `row_number()` over every dimension, so the numbering is the same on every
 *    query of the same table version and grant — with each atom's true value of every protected
 *    count measure, and gives each result row's atom set (the atoms its WHERE and group key select)
 *    as runs. Margin codes (sexe = 0) are totals of the other values: for a count column, a total
 *    row covers the atoms it totals, so "the département's total, then its men" is a nested pair;
 *    for the number of rows, a total row is a row like any other. A table version's atom values are
 *    read once and kept (a few dozen universes per node); each query then costs one statement more.
 * 2. One transaction locks the contract's row, loads its earlier cells for each measure, runs
 *    `checkRelease` and records the new cells: of two complementary queries racing, the second
 *    sees the first's cells. A refusal records nothing.
 *
 * What an attacker could do otherwise: `sum(hosp) where jour <= D` minus `where jour <= D − 1` is
 * one day's count in one département, every cell of both safe on its own.
 *
 * Limits: one history per contract, table version, grant view and measure. A new version of the
 * table, or an amendment changing the dimensions, starts a new history: a consumer could subtract a
 * result on the new version from one on the old where their rows agree. Releases under the same
 * consumer's other contracts are not joined either. Sums other
 * than of count columns, averages and distinct counts are not modelled (disclosure.ts publishes
 * them only where the row count is). A cell that counts some people twice unevenly (a total row
 * and rows it totals, in one filter) is refused: it is no set of atoms.
 */

/** The refusal this module raises: the query is marked refused (no quota) rather than failed. */
export class DifferencingRefusal extends AppError {
  constructor(message: string) {
    super('query_refused', message, { refusal: 'differencing' });
  }
}

/** The refusal rule of an error, when it is this module's. */
export function refusalOf(error: unknown): string | undefined {
  return error instanceof DifferencingRefusal ? 'differencing' : undefined;
}

/** What a query is released under: its scope and the table it reads (key and checksum name its version). */
export interface ReleaseRequest {
  scope: QueryScope;
  table: { key: string; sha256: string };
}

interface Measure {
  /** Named in the refusal. */
  name: string;
  /** Index of the value in a result row. */
  column: number;
  /** SQL of the atom's true value over the view's summary (`summaryOf`). */
  expression: string;
  /** The count column it sums, or null for the number of rows. */
  counted: string | null;
  /** Totals (margin codes) cover the atoms they total: true for sums of count columns. */
  margins: boolean;
  historyKey: string;
}

interface Universe {
  /** Prefix sums of each measure's atom values, by measure's index in `measures`. */
  prefix: Float64Array[];
  /** Each result row's atom set, or a reason to refuse the row's cell. */
  cells: (AtomSet | { uneven: true })[];
}

const MAX_INSERT = 1000;

/** Refuses (throws `DifferencingRefusal`) a result that, with the contract's earlier ones, isolates a small group. */
export async function guardRelease(
  ctx: Context,
  request: ReleaseRequest,
  compiled: Compiled | null,
  relations: readonly SandboxRelation[],
  /** The result as it leaves: group key values, then the aggregates in order; masked = null. */
  rows: readonly unknown[][],
  /** The query's `data_queries` id. */
  query: string,
): Promise<void> {
  const { scope, table } = request;
  const d = scope.disclosure;
  const contract = scope.grant?.grant.contract;
  // Noise is the protection under differential privacy; without a contract there is no history.
  if (!contract || !d || scope.privacy || compiled?.mode !== 'aggregate' || !compiled.protectedColumns || !compiled.source) return;
  const source = compiled.source;
  const relation = relations.find((r) => r.name === source.relation);
  if (!relation) throw new Error(`differencing: no relation ${source.relation} in the sandbox`);
  const margins = new Map(d.margins.filter((m) => source.dimensions.includes(m.column)).map((m) => [m.column, m.value]));
  const identity = (withMargins: boolean) =>
    createHash('sha256')
      .update(JSON.stringify([table.key, table.sha256, { ...relation, file: null }, source.dimensions, withMargins ? [...margins] : []]))
      .digest('hex')
      .slice(0, 32);
  const measures = measuresOf(compiled.groupBy.length, compiled.aggregates, margins.size > 0, identity);
  if (measures.length === 0) return;

  // Atoms and cells in DuckDB, before the lock: the lock is held for the check only.
  const universes = new Map<boolean, { universe: Universe; measures: Measure[] }>();
  const counted = [...new Set([...d.countColumns, ...measures.flatMap((m) => (m.counted ? [m.counted] : []))])]
    .filter((c) => !source.dimensions.includes(c))
    .sort();
  await withSandbox(relations, { memory: ctx.config.query.memory, threads: ctx.config.query.threads }, async (sandbox) => {
    const timeout = ctx.config.query.timeoutMs;
    const summary = await summaryOf(sandbox, source.relation, source.dimensions, counted, timeout);
    for (const withMargins of [false, true]) {
      const own = measures.filter((m) => m.margins === withMargins);
      if (own.length === 0) continue;
      const atomsSql = atomsCte(summary, source.dimensions, withMargins ? margins : new Map(), own);
      const cacheKey = own.map((m) => m.historyKey).join(' ');
      let prefix = valueCache.get(cacheKey);
      if (!prefix) {
        const values = await sandbox.rows(
          `${atomsSql} SELECT ${own.map((_, i) => `list(__m${i} ORDER BY __atom)`).join(', ')} FROM __atoms`,
          timeout,
        );
        prefix = prefixesOf(values.rows[0] ?? []);
        remember(cacheKey, prefix);
      }
      const cells = await sandbox.rows(
        cellsSql(atomsSql, { ...source, relation: summary }, compiled.groupBy, withMargins ? margins : new Map()),
        timeout,
      );
      universes.set(withMargins, { universe: universeOf(prefix, cells.rows, compiled.groupBy.length, rows), measures: own });
    }
  });

  const candidates = new Map<string, { measure: Measure; cells: ReleasedCell[]; counts: (atoms: AtomSet) => number }>();
  for (const { universe, measures: own } of universes.values()) {
    own.forEach((measure, m) => {
      const cells: ReleasedCell[] = rows.map((row, r) => {
        const atoms = universe.cells[r]!;
        if (!Array.isArray(atoms))
          throw new DifferencingRefusal(
            `Requête refusée pour protéger le secret statistique : la case n° ${r + 1} compte certaines personnes plusieurs fois (elle réunit une ligne de total, ${[...margins].map(([c, v]) => `${c} = ${v}`).join(', ')}, et des lignes qu’elle totalise). Filtrez soit sur le total, soit sur le détail.`,
          );
        const value = row[measure.column];
        return { atoms, value: value === null || value === undefined ? null : Number(value) };
      });
      const prefix = universe.prefix[m]!;
      const counts = (atoms: AtomSet) => {
        let n = 0;
        for (let i = 0; i < atoms.length; i += 2) n += prefix[atoms[i + 1]!]! - prefix[atoms[i]!]!;
        return n;
      };
      candidates.set(measure.historyKey, { measure, cells, counts });
    });
  }

  const policy = { threshold: d.suppressAtOrBelow ?? DIFFERENCING_DEFAULTS.threshold };
  const refused = await ctx.db.transaction().execute(async (trx) => {
    // The contract's row lock serialises its releases: a check and its record are one step.
    await trx.selectFrom('contracts').select('id').where('id', '=', contract).forUpdate().executeTakeFirst();
    const stored = await trx
      .selectFrom('released_cells')
      .select(['history_key', 'atoms', 'value', 'released_at'])
      .where('contract_id', '=', contract)
      .where('history_key', 'in', [...candidates.keys()])
      .orderBy('history_key')
      .orderBy('seq')
      .execute();
    const earlier = new Map<string, ReleasedCell[]>();
    for (const row of stored) {
      let list = earlier.get(row.history_key);
      if (!list) earlier.set(row.history_key, (list = []));
      list.push({ atoms: parseAtoms(row.atoms), value: row.value === null ? null : Number(row.value), release: { at: row.released_at } });
    }
    const records: { history_key: string; seq: number; atoms: string; value: number | null }[] = [];
    for (const [key, { measure, cells, counts }] of candidates) {
      const history = new ReleaseHistory(earlier.get(key) ?? []);
      const result = checkRelease(history, cells, counts, policy);
      if (!result.ok) return { measure, result };
      // A cell released again as it was tells nothing new: the history keeps it once.
      const known = new Set(history.cells.map(cellKey));
      let seq = history.size;
      for (const cell of cells) {
        if (known.has(cellKey(cell))) continue;
        known.add(cellKey(cell));
        records.push({ history_key: key, seq: seq++, atoms: cell.atoms.join(','), value: cell.value });
      }
    }
    for (let i = 0; i < records.length; i += MAX_INSERT)
      await trx
        .insertInto('released_cells')
        .values(records.slice(i, i + MAX_INSERT).map((r) => ({ ...r, contract_id: contract, query_id: query })))
        .execute();
    return null;
  });
  if (refused) {
    const result = refused.result as Extract<CheckResult, { ok: false }>;
    // The conflicts hold true counts: for the node's audit, never for the consumer.
    ctx.log.warn(
      { query, contract, measure: refused.measure.name, conflicts: result.conflicts, stats: result.stats },
      'differencing refusal',
    );
    throw new DifferencingRefusal(
      `Requête refusée pour protéger le secret statistique (mesure « ${refused.measure.name} ») : ${result.reason}. Les résultats successifs d’un même contrat se combinent : élargissez les regroupements ou les filtres plutôt que de les décaler. Cette requête n’est pas décomptée de votre quota.`,
    );
  }
}

function measuresOf(
  keyCount: number,
  aggregates: readonly CompiledAggregate[],
  hasMargins: boolean,
  identity: (withMargins: boolean) => string,
): Measure[] {
  const byKey = new Map<string, Measure>();
  aggregates.forEach((a, i) => {
    if (a.kind !== 'rows' && a.kind !== 'count') return;
    const rows = a.kind === 'rows';
    const margins = !rows && hasMargins;
    const id = rows ? 'count(*)' : `sum(${a.column!})`;
    const historyKey = `${id}|${identity(margins)}`;
    // The same measure twice under two names is one history and one check.
    if (byKey.has(historyKey)) return;
    byKey.set(historyKey, {
      name: a.name,
      column: keyCount + i,
      expression: `sum(${sqlIdent(rows ? ROWS : summed(a.column!))})`,
      counted: rows ? null : a.column!,
      margins,
      historyKey,
    });
  });
  return [...byKey.values()];
}

/** The summary's column holding a view's number of rows, and those holding each count column's sum. */
const ROWS = '__rows';
const summed = (column: string) => `__sum_${column}`;

/** Summaries made in each sandbox, by what they summarise: made once while the sandbox lives. */
const summaries = new WeakMap<object, Map<string, Promise<string>>>();

/**
 * The view summarised by its dimensions — one row per combination, with its number of rows and the
 * sum of each count column — as a table of the sandbox, made on the first query that needs it. Every
 * later atom and cell computation reads this small table instead of scanning the data again: the
 * atoms are its rows, and a query's filter, on dimensions only, selects the same combinations from
 * it as from the rows. Nothing in it is outside the view: the consumer's SQL cannot name it anyway
 * (the checker knows the granted relations only).
 */
function summaryOf(
  sandbox: { rows(sql: string, timeoutMs: number): Promise<unknown> },
  relation: string,
  dims: readonly string[],
  counted: readonly string[],
  timeoutMs: number,
): Promise<string> {
  let made = summaries.get(sandbox);
  if (!made) summaries.set(sandbox, (made = new Map()));
  const key = JSON.stringify([relation, dims, counted]);
  let table = made.get(key);
  if (!table) {
    const name = `__summary_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
    const list = dims.map(sqlIdent).join(', ');
    const values = [`count(*) AS ${sqlIdent(ROWS)}`, ...counted.map((c) => `sum(${sqlIdent(c)}) AS ${sqlIdent(summed(c))}`)].join(', ');
    const byDims = list ? ` GROUP BY ${list}` : '';
    table = sandbox
      .rows(
        `CREATE TABLE IF NOT EXISTS ${sqlIdent(name)} AS SELECT ${list ? `${list}, ` : ''}${values} FROM ${sqlIdent(relation)}${byDims}`,
        timeoutMs,
      )
      .then(() => name);
    const current = made;
    table.catch(() => current.delete(key));
    made.set(key, table);
  }
  return table;
}

const orderOf = (dims: readonly string[]) => dims.map((c) => `${sqlIdent(c)} NULLS FIRST`).join(', ');

/** Whether a row (alias `s`) is a total along some margin column. */
function isTotal(alias: string, margins: ReadonlyMap<string, string>): string {
  return (
    [...margins].map(([c, v]) => `coalesce(CAST(${alias}.${sqlIdent(c)} AS VARCHAR) = ${sqlString(v)}, false)`).join(' OR ') || 'false'
  );
}

/** Whether combination `s` covers atom `a`: equal dimensions, or a total along that dimension. */
function covers(s: string, a: string, dims: readonly string[], margins: ReadonlyMap<string, string>): string {
  if (dims.length === 0) return 'true';
  return dims
    .map((c) => {
      const same = `${s}.${sqlIdent(c)} IS NOT DISTINCT FROM ${a}.${sqlIdent(c)}`;
      const code = margins.get(c);
      return code === undefined ? same : `(coalesce(CAST(${s}.${sqlIdent(c)} AS VARCHAR) = ${sqlString(code)}, false) OR ${same})`;
    })
    .join(' AND ');
}

/**
 * `WITH … __atoms`: the numbered atoms with each measure's true value (never negative). With
 * margins, totals are not atoms, except a total with no row under it (nothing else holds its count).
 */
function atomsCte(relation: string, dims: readonly string[], margins: ReadonlyMap<string, string>, measures: readonly Measure[]): string {
  const list = dims.map(sqlIdent).join(', ');
  const values = measures.map((m, i) => `CAST(greatest(coalesce(${m.expression}, 0), 0) AS DOUBLE) AS __m${i}`).join(', ');
  const base = `SELECT ${list ? `${list}, ` : ''}${values} FROM ${sqlIdent(relation)}${list ? ` GROUP BY ${list}` : ''}`;
  const numbered = (from: string) =>
    `SELECT *, CAST(row_number() OVER (${dims.length > 0 ? `ORDER BY ${orderOf(dims)}` : ''}) - 1 AS INTEGER) AS __atom FROM (${from})`;
  // Materialised: the cells' query reads the atoms twice, and DuckDB would compute them twice.
  if (margins.size === 0) return `WITH __atoms AS MATERIALIZED (${numbered(base)})`;
  return `WITH __base AS MATERIALIZED (${base}),
__detail AS MATERIALIZED (SELECT * FROM __base b WHERE NOT (${isTotal('b', margins)})),
__orphan AS (SELECT * FROM __base b WHERE (${isTotal('b', margins)}) AND NOT EXISTS (SELECT 1 FROM __detail a WHERE ${covers('b', 'a', dims, margins)})),
__atoms AS MATERIALIZED (${numbered('SELECT * FROM __detail UNION ALL SELECT * FROM __orphan')})`;
}

/** Per group key: the runs of the atoms its rows cover, and how many times the least and most covered atom is counted. */
function cellsSql(
  atomsSql: string,
  source: NonNullable<Extract<Compiled, { mode: 'aggregate' }>['source']>,
  groupBy: readonly string[],
  margins: ReadonlyMap<string, string>,
): string {
  const dims = source.dimensions;
  const keys = groupBy.map(sqlIdent);
  const lead = keys.length > 0 ? `${keys.join(', ')}, ` : '';
  const selected = `SELECT DISTINCT ${dims.length > 0 ? dims.map(sqlIdent).join(', ') : '1 AS __one'} FROM ${sqlIdent(source.relation)}${source.filter === null ? '' : ` WHERE ${source.filter}`}`;
  return `${atomsSql},
__selected AS (${selected}),
__covered AS (SELECT ${keys.map((k) => `s.${k}`).join(', ')}${keys.length > 0 ? ', ' : ''}a.__atom FROM __selected s JOIN __atoms a ON ${covers('s', 'a', dims, margins)}),
__times AS (SELECT ${lead}__atom, count(*) AS __k FROM __covered GROUP BY ${lead}__atom),
__islands AS (SELECT *, __atom - row_number() OVER (${keys.length > 0 ? `PARTITION BY ${keys.join(', ')} ` : ''}ORDER BY __atom) AS __island FROM __times),
__runs AS (SELECT ${lead}min(__atom) AS __s, max(__atom) + 1 AS __e, min(__k) AS __kmin, max(__k) AS __kmax FROM __islands GROUP BY ${lead}__island)
SELECT ${lead}list(__s ORDER BY __s) AS __starts, list(__e ORDER BY __s) AS __ends, min(__kmin) AS __kmin, max(__kmax) AS __kmax FROM __runs${keys.length > 0 ? ` GROUP BY ${keys.join(', ')}` : ''}`;
}

/**
 * Atom values by universe (its measures' history keys): a table version's atoms never change, so
 * each universe is read once while it stays among the most recent.
 */
const valueCache = new Map<string, Float64Array[]>();
const VALUE_CACHE_ENTRIES = 32;
/** Atoms beyond which a universe's values are read again on every query rather than kept. */
const VALUE_CACHE_ATOMS = 1_000_000;

function remember(key: string, prefix: Float64Array[]): void {
  if ((prefix[0]?.length ?? 0) > VALUE_CACHE_ATOMS) return;
  valueCache.set(key, prefix);
  for (const oldest of valueCache.keys()) {
    if (valueCache.size <= VALUE_CACHE_ENTRIES) break;
    valueCache.delete(oldest);
  }
}

function prefixesOf(values: readonly unknown[]): Float64Array[] {
  return values.map((list) => {
    const v = (list as number[] | null) ?? [];
    const p = new Float64Array(v.length + 1);
    for (let i = 0; i < v.length; i++) p[i + 1] = p[i]! + Number(v[i]);
    return p;
  });
}

function universeOf(prefix: Float64Array[], cells: readonly unknown[][], keyCount: number, rows: readonly unknown[][]): Universe {
  const byKey = new Map<string, AtomSet | { uneven: true }>();
  for (const row of cells) {
    const starts = (row[keyCount] as number[] | null) ?? [];
    const ends = (row[keyCount + 1] as number[] | null) ?? [];
    const uneven = starts.length > 0 && Number(row[keyCount + 2]) !== Number(row[keyCount + 3]);
    byKey.set(JSON.stringify(row.slice(0, keyCount)), uneven ? { uneven: true } : mergeRuns(starts, ends));
  }
  return {
    prefix,
    cells: rows.map((row) => {
      const found = byKey.get(JSON.stringify(row.slice(0, keyCount)));
      // A released row always comes from selected rows; one without would be a bug, not a pass.
      if (!found) throw new Error('differencing: a result row matches no atom');
      return found;
    }),
  };
}

/** Islands are maximal: runs never touch, so the encoding is already normalised. */
function mergeRuns(starts: readonly number[], ends: readonly number[]): AtomSet {
  const runs: number[] = [];
  starts.forEach((s, i) => runs.push(Number(s), Number(ends[i])));
  return runs;
}

function parseAtoms(text: string): AtomSet {
  return text === '' ? [] : text.split(',').map(Number);
}

const cellKey = (cell: ReleasedCell) => `${cell.value === null ? 'masked' : 'published'}:${cell.atoms.join(',')}`;

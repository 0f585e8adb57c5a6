/**
 * Statistical disclosure control for aggregate results, as trusted research environments practise it:
 * primary suppression (small counts; for business data, too few units or one dominant unit), rounding
 * of what is published, and secondary suppression so that no masked cell can be recovered from the
 * totals published in the same result. Pure: no I/O.
 */

export interface SdcPolicy {
  /** Cells whose count is ≤ this are suppressed (OpenSAFELY: 7); a negative value turns the rule off. */
  suppressAtOrBelow: number;
  /** Remaining counts are rounded to the nearest multiple (OpenSAFELY: 5); 1 = no rounding. */
  roundTo: number;
  /** Business data (INSEE): no cell from fewer than this many units (3); null = rule off. */
  minUnits: number | null;
  /** Business data (INSEE): no unit above this share of a cell's total (0.85); null = rule off. */
  dominance: number | null;
}

export const OPENSAFELY: SdcPolicy = Object.freeze({ suppressAtOrBelow: 7, roundTo: 5, minUnits: null, dominance: null });

/** Counts of enterprises are not confidential in themselves: the unit rules protect them. */
export const INSEE_BUSINESS: SdcPolicy = Object.freeze({ suppressAtOrBelow: -1, roundTo: 1, minUnits: 3, dominance: 0.85 });

export type KeyValue = string | number | null;

/** One result cell: its group key values, its count of people/units, optional measures (sums) and, for business data, the largest contributor's value and the number of units. */
export interface Cell {
  key: readonly KeyValue[];
  count: number;
  measures?: Record<string, number>;
  /** Number of units (enterprises) behind the cell; `count` when absent. */
  units?: number;
  /** Value of the largest contributor, compared with each measure (or with `count` when there is none). */
  largestContribution?: number;
}

export type CellFate = 'published' | 'rounded' | 'suppressed_primary' | 'suppressed_secondary';

export interface ProtectedCell {
  key: readonly KeyValue[];
  count: number | null;
  measures: Record<string, number | null>;
  fate: CellFate;
  /** Why, in French, for the note shown beside the cell. */
  reason: string;
}

export interface ProtectOptions {
  /** Per dimension, the key value that marks a total (e.g. `0` for SPF's `sexe`); undefined = no total along it. */
  margins?: readonly (KeyValue | undefined)[];
}

export interface ProtectedTable {
  cells: ProtectedCell[];
  suppressed: number;
  rounded: number;
}

export const SECONDARY_REASON = 'masqué pour qu’une case masquée ne puisse pas être retrouvée par différence';

const percent = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

/** A line of the table along one dimension: cells sharing every other key value. */
interface Line {
  members: number[];
  /** Index of the cell holding the line's total, or -1 when it is not in the result. */
  margin: number;
}

function rank(value: KeyValue): number {
  return value === null ? 0 : typeof value === 'number' ? 1 : 2;
}

function compareValues(a: KeyValue, b: KeyValue): number {
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return 0;
}

/** Key order, independent of the order the engine returned the rows in, breaks every tie. */
export function compareKeys(a: readonly KeyValue[], b: readonly KeyValue[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValues(a[i] ?? null, b[i] ?? null);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function primaryReason(cell: Cell, policy: SdcPolicy): string | null {
  if (cell.count <= policy.suppressAtOrBelow) return `effectif ≤ ${policy.suppressAtOrBelow} : masqué`;
  const units = cell.units ?? cell.count;
  // An empty cell describes no enterprise; only cells built from one or two units are disclosive.
  if (policy.minUnits !== null && units > 0 && units < policy.minUnits) return `moins de ${policy.minUnits} entreprises`;
  if (policy.dominance !== null && cell.largestContribution !== undefined) {
    const totals = cell.measures && Object.keys(cell.measures).length > 0 ? Object.values(cell.measures) : [cell.count];
    // Checked against every measure: with several, we do not know which one the contribution is of.
    if (totals.some((total) => total > 0 && cell.largestContribution! > policy.dominance! * total)) {
      return `une entreprise dépasse ${percent.format(policy.dominance * 100)} % du total`;
    }
  }
  return null;
}

function roundCount(count: number, step: number): number {
  return Math.floor(count / step + 0.5) * step;
}

function validate(cells: readonly Cell[], dimensions: number, policy: SdcPolicy, margins: readonly unknown[]): void {
  if (!Number.isInteger(dimensions) || dimensions < 0) throw new RangeError(`dimensions must be a non-negative integer, got ${dimensions}`);
  if (!Number.isInteger(policy.roundTo) || policy.roundTo < 1)
    throw new RangeError(`roundTo must be a positive integer, got ${policy.roundTo}`);
  if (margins.length > dimensions) throw new RangeError(`${margins.length} margins given for ${dimensions} dimensions`);
  const seen = new Set<string>();
  for (const cell of cells) {
    if (cell.key.length !== dimensions) throw new RangeError(`key ${JSON.stringify(cell.key)} has not ${dimensions} values`);
    if (!Number.isFinite(cell.count) || cell.count < 0) throw new RangeError(`count of ${JSON.stringify(cell.key)} is not a count`);
    const id = JSON.stringify(cell.key);
    // Two cells with one key would make every line sum ambiguous, and the protection unsound.
    if (seen.has(id)) throw new RangeError(`key ${id} appears twice`);
    seen.add(id);
  }
}

function buildLines(sorted: readonly Cell[], dimensions: number, margins: readonly (KeyValue | undefined)[]): Line[] {
  const lines: Line[] = [];
  for (let d = 0; d < dimensions; d++) {
    const marginValue = margins[d];
    if (marginValue === undefined) continue;
    // Without any total along this dimension in the result, its lines have no known sum.
    if (!sorted.some((cell) => cell.key[d] === marginValue)) continue;
    const byRest = new Map<string, Line>();
    sorted.forEach((cell, index) => {
      const id = JSON.stringify(cell.key.filter((_, i) => i !== d));
      let line = byRest.get(id);
      if (!line) {
        line = { members: [], margin: -1 };
        byRest.set(id, line);
        lines.push(line);
      }
      line.members.push(index);
      if (cell.key[d] === marginValue) line.margin = index;
    });
  }
  return lines;
}

const EPSILON = 1e-9;

/**
 * Suppressed cells that the published totals pin to one value, found by reducing the system
 * `margin − Σ interior = 0` (one equation per line whose total is in the result) over the suppressed
 * cells to row echelon form: a cell is pinned when its pivot row involves no free unknown. Two
 * suppressed cells per line are not enough in general: a cell bridging two otherwise separate groups
 * of suppressed cells is still determined.
 */
function pinnedCells(lines: readonly Line[], suppressed: ReadonlySet<number>): number[] {
  const unknowns = [...suppressed].sort((a, b) => a - b);
  const column = new Map(unknowns.map((cell, i) => [cell, i]));
  const rows: number[][] = [];
  for (const line of lines) {
    if (line.margin < 0 || !line.members.some((m) => suppressed.has(m))) continue;
    const row = new Array<number>(unknowns.length).fill(0);
    for (const member of line.members) {
      const j = column.get(member);
      if (j !== undefined) row[j] = member === line.margin ? 1 : -1;
    }
    rows.push(row);
  }
  const pivots: [row: number, col: number][] = [];
  let r = 0;
  for (let c = 0; c < unknowns.length && r < rows.length; c++) {
    let best = r;
    for (let i = r + 1; i < rows.length; i++) if (Math.abs(rows[i]![c]!) > Math.abs(rows[best]![c]!)) best = i;
    if (Math.abs(rows[best]![c]!) < EPSILON) continue;
    [rows[r], rows[best]] = [rows[best]!, rows[r]!];
    const pivotRow = rows[r]!;
    const pivot = pivotRow[c]!;
    for (let k = 0; k < pivotRow.length; k++) pivotRow[k] = pivotRow[k]! / pivot;
    for (let i = 0; i < rows.length; i++) {
      const other = rows[i]!;
      const factor = other[c]!;
      if (i === r || Math.abs(factor) < EPSILON) continue;
      for (let k = 0; k < other.length; k++) other[k] = other[k]! - factor * pivotRow[k]!;
    }
    pivots.push([r, c]);
    r++;
  }
  const pivotColumns = new Set(pivots.map(([, c]) => c));
  const pinned: number[] = [];
  for (const [row, col] of pivots) {
    const values = rows[row]!;
    if (values.every((v, k) => pivotColumns.has(k) || Math.abs(v) < EPSILON)) pinned.push(unknowns[col]!);
  }
  return pinned.sort((a, b) => a - b);
}

/**
 * Protect a table of cells grouped by `dimensions` (the key positions). `margins` says, per dimension, which key value marks a total row (e.g. SPF's `sexe = 0`), so totals present in the same result are treated as margins.
 */
export function protect(cells: readonly Cell[], dimensions: number, policy: SdcPolicy, options: ProtectOptions = {}): ProtectedTable {
  const margins = options.margins ?? [];
  validate(cells, dimensions, policy, margins);

  const order = cells.map((_, i) => i).sort((a, b) => compareKeys(cells[a]!.key, cells[b]!.key));
  const sorted = order.map((i) => cells[i]!);
  const reasons = new Map<number, string>();
  const secondary = new Set<number>();
  const suppressed = new Set<number>();
  sorted.forEach((cell, index) => {
    const reason = primaryReason(cell, policy);
    if (reason === null) return;
    reasons.set(index, reason);
    suppressed.add(index);
  });

  const lines = buildLines(sorted, dimensions, margins);
  // Sorted by (count, key): the first published cell of a list is the cheapest one to give up.
  const cheapest = (candidates: Iterable<number>): number | undefined => {
    let best: number | undefined;
    for (const c of candidates) {
      if (suppressed.has(c)) continue;
      if (best === undefined || sorted[c]!.count < sorted[best]!.count || (sorted[c]!.count === sorted[best]!.count && c < best)) best = c;
    }
    return best;
  };
  const suppressSecondary = (index: number) => {
    suppressed.add(index);
    secondary.add(index);
  };

  // Fixed point: a secondary suppression can leave a single masked cell in a crossing line.
  for (;;) {
    let changed = false;
    for (const line of lines) {
      if (line.members.filter((m) => suppressed.has(m)).length !== 1) continue;
      const next = cheapest(line.members);
      if (next === undefined) continue;
      suppressSecondary(next);
      changed = true;
    }
    if (changed) continue;
    const pinned = pinnedCells(lines, suppressed);
    for (const cell of pinned) {
      const next = cheapest(lines.filter((line) => line.margin >= 0 && line.members.includes(cell)).flatMap((line) => line.members));
      if (next === undefined) continue;
      suppressSecondary(next);
      changed = true;
      break;
    }
    if (!changed) break;
  }

  const out = new Array<ProtectedCell>(cells.length);
  let rounded = 0;
  sorted.forEach((cell, index) => {
    const names = Object.keys(cell.measures ?? {});
    let result: ProtectedCell;
    if (suppressed.has(index)) {
      const fate: CellFate = secondary.has(index) ? 'suppressed_secondary' : 'suppressed_primary';
      result = {
        key: cell.key,
        count: null,
        measures: Object.fromEntries(names.map((name) => [name, null])),
        fate,
        reason: fate === 'suppressed_secondary' ? SECONDARY_REASON : reasons.get(index)!,
      };
    } else {
      const measures: Record<string, number | null> = { ...cell.measures };
      if (policy.roundTo > 1) {
        rounded++;
        result = {
          key: cell.key,
          count: roundCount(cell.count, policy.roundTo),
          measures,
          fate: 'rounded',
          reason: `arrondi à ${policy.roundTo} près`,
        };
      } else {
        result = { key: cell.key, count: cell.count, measures, fate: 'published', reason: 'publié tel quel' };
      }
    }
    out[order[index]!] = result;
  });
  return { cells: out, suppressed: suppressed.size, rounded };
}

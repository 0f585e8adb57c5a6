import type { Disclosure, NoteFate } from '@confiance/contract';
import type { Compiled } from './compile';
import { protect, type Cell, type CellFate, type KeyValue, type ProtectedTable, type SdcPolicy } from './disclosure';

/**
 * Disclosure control applied to an aggregate result before it leaves: each count of people is its
 * own protected table (masked when small, rounded, with secondary suppression along the margins
 * in the result); every other measure is published only where the cell's number of rows is.
 */

export interface ProtectedResult {
  rows: unknown[][];
  notes: { row: number; column: string; fate: NoteFate; reason: string }[];
  suppressed: number;
  rounded: number;
  /** More cells than the response carries (after protection, so the cut reveals nothing). */
  truncated: boolean;
}

type AggregateCompiled = Extract<Compiled, { mode: 'aggregate' }>;

function keyValue(value: unknown): KeyValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}

function numberOf(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

export function sdcPolicyOf(d: Disclosure): SdcPolicy {
  const units = d.unitColumn !== null;
  return {
    suppressAtOrBelow: d.suppressAtOrBelow ?? -1,
    roundTo: d.roundTo,
    minUnits: units ? d.minUnits : null,
    dominance: units ? d.dominance : null,
  };
}

export function protectAggregate(
  compiled: AggregateCompiled,
  columns: readonly string[],
  rows: readonly unknown[][],
  d: Disclosure,
): ProtectedResult {
  const hidden = compiled.protectedColumns!;
  const at = (name: string) => columns.indexOf(name);
  const keyIndex = compiled.groupBy.map(at);
  const rowsIndex = at(hidden.rows);
  const unitsIndex = hidden.units ? at(hidden.units) : -1;
  const policy = sdcPolicyOf(d);
  const keys = rows.map((row) => keyIndex.map((i) => keyValue(row[i])));
  // A margin code applies when its column is grouped by, typed like that column's values.
  const margins = compiled.groupBy.map((name, position) => {
    const code = d.margins.find((m) => m.column === name)?.value;
    if (code === undefined) return undefined;
    return keys.some((k) => typeof k[position] === 'number') ? Number(code) : code;
  });
  const table = (count: (row: readonly unknown[]) => number, measure?: string): ProtectedTable => {
    const cells: Cell[] = rows.map((row, r) => {
      const cell: Cell = { key: keys[r]!, count: Math.max(0, count(row)) };
      if (unitsIndex >= 0) cell.units = numberOf(row[unitsIndex]);
      if (measure !== undefined) {
        const largest = hidden.largest[measure];
        if (largest !== undefined) {
          cell.measures = { [measure]: numberOf(row[at(measure)]) };
          cell.largestContribution = numberOf(row[at(largest)]);
        }
      }
      return cell;
    });
    return protect(cells, compiled.groupBy.length, policy, { margins });
  };

  const rowsTable = table((row) => numberOf(row[rowsIndex]));
  type Fate = { fate: CellFate; reason: string };
  const fates = new Map<string, Fate[]>(); // aggregate name → fate per row
  const values = new Map<string, (number | null)[]>();
  for (const a of compiled.aggregates) {
    const index = at(a.name);
    if (a.kind === 'rows' || a.kind === 'count') {
      const t = a.kind === 'rows' ? rowsTable : table((row) => numberOf(row[index]), a.name);
      fates.set(a.name, t.cells);
      values.set(
        a.name,
        t.cells.map((c) => c.count),
      );
    } else if (hidden.largest[a.name] !== undefined) {
      // Business data: a sum with its units and its largest unit, checked by INSEE's rules.
      const t = table((row) => numberOf(row[rowsIndex]), a.name);
      fates.set(a.name, t.cells);
      values.set(
        a.name,
        t.cells.map((c, r) => (c.count === null ? null : numberOf(rows[r]![index]))),
      );
    } else {
      // Averages, distinct counts, sums of other measures: shown where the cell's rows may be.
      fates.set(
        a.name,
        rowsTable.cells.map((c) => (c.fate === 'rounded' ? { fate: 'published' as const, reason: c.reason } : c)),
      );
      values.set(
        a.name,
        rowsTable.cells.map((c, r) => (c.count === null ? null : (rows[r]![index] as number | null))),
      );
    }
  }

  let suppressed = 0;
  let rounded = 0;
  const built = rows.map((row, r) => {
    const notes: { column: string; fate: NoteFate; reason: string }[] = [];
    const out: unknown[] = keyIndex.map((i) => row[i]);
    for (const a of compiled.aggregates) {
      const fate = fates.get(a.name)![r]!;
      out.push(values.get(a.name)![r]);
      if (fate.fate === 'published') continue;
      if (fate.fate === 'rounded') rounded++;
      else suppressed++;
      notes.push({ column: a.name, fate: fate.fate, reason: fate.reason });
    }
    return { out, notes };
  });

  const names = [...compiled.groupBy, ...compiled.aggregates.map((a) => a.name)];
  if (compiled.orderBy.length > 0) {
    const order = compiled.orderBy.map((o) => ({ index: names.indexOf(o.column), sign: o.direction === 'desc' ? -1 : 1 }));
    built.sort((a, b) => {
      for (const { index, sign } of order) {
        const x = a.out[index];
        const y = b.out[index];
        if (x === y) continue;
        // Masked values last, whatever the direction: their place must not hint at their size.
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return (x < y ? -1 : 1) * sign;
      }
      return 0;
    });
  }
  const kept = built.slice(0, compiled.limit);
  return {
    rows: kept.map((b) => b.out),
    notes: kept.flatMap((b, row) => b.notes.map((n) => ({ row, ...n }))),
    suppressed,
    rounded,
    truncated: built.length > compiled.limit,
  };
}

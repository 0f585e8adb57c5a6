import { disclosureInput, type QuerySpec } from '@confiance/contract';
import { describe, expect, it } from 'vitest';
import { ROWS_COLUMN, compileQuery, type CompileScope } from './compile';
import { protectAggregate } from './protect-result';

/**
 * `protectAggregate` on results shaped as the compiled aggregate-only SQL returns them: counts of
 * people protected (≤ 7 masked, others rounded to 5), other measures shown only where the cell's
 * rows are, order and limit applied to the protected values.
 */

const DISCLOSURE = disclosureInput.parse({ dimensions: ['dep'], countColumns: ['hosp'] });
const SCOPE: CompileScope = {
  relation: 'hospit',
  columns: [
    { name: 'dep', sqlType: 'VARCHAR' },
    { name: 'hosp', sqlType: 'BIGINT' },
    { name: 'duree', sqlType: 'DOUBLE' },
  ],
  rows: false,
  aggregateOnly: true,
  disclosure: DISCLOSURE,
  rowLimit: 100,
};

const AGGREGATES: QuerySpec['aggregates'] = [
  { fn: 'count', as: 'nombre' },
  { fn: 'sum', column: 'hosp', as: 'hosp' },
  { fn: 'avg', column: 'duree', as: 'duree' },
  { fn: 'sum', column: 'duree', as: 'jours' },
];
/** The SQL's columns, in its order: keys, aggregates, then the hidden row count. */
const COLUMNS = ['dep', 'nombre', 'hosp', 'duree', 'jours', ROWS_COLUMN];
// Cells whose rows (nombre = __n) are ≤ 7 are masked, whatever their other measures.
const ROWS: unknown[][] = [
  ['09', 3, 40, 4.25, 12.75, 3],
  ['31', 52, 311, 6.5, 338.0, 52],
  ['34', 23, 6, 5.125, 117.875, 23],
  ['48', 2, 90, 9.5, 19.0, 2],
  ['66', 41, 77, 3.3, 135.3, 41],
];

function protectWith(order: QuerySpec['orderBy'], limit?: number) {
  const compiled = compileQuery(
    { columns: [], groupBy: ['dep'], aggregates: AGGREGATES, where: [], orderBy: order, ...(limit ? { limit } : {}) },
    SCOPE,
  );
  if (compiled.mode !== 'aggregate') throw new Error('expected an aggregate');
  return protectAggregate(compiled, COLUMNS, ROWS, DISCLOSURE);
}

describe('protectAggregate', () => {
  it.each(['asc', 'desc'] as const)('orders by the protected values with masked ones last, in %s order', (direction) => {
    const result = protectWith([{ column: 'nombre', direction }]);
    expect(result.rows.map((r) => r[1])).toEqual(direction === 'asc' ? [25, 40, 50, null, null] : [50, 40, 25, null, null]);
    // Masked cells keep their key order among themselves: their place says nothing of their size.
    expect(result.rows.slice(3).map((r) => r[0])).toEqual(['09', '48']);
    // Notes follow their rows to their new place.
    for (const note of result.notes.filter((n) => n.column === 'nombre'))
      expect(note.fate === 'rounded').toBe(result.rows[note.row]![1] !== null);
  });

  it('cuts to the limit after protection, and says the result was cut', () => {
    const cut = protectWith([{ column: 'nombre', direction: 'asc' }], 2);
    // Cut before protection, the smallest raw counts (3 and 2, masked) would have been kept.
    expect(cut.rows.map((r) => r[0])).toEqual(['34', '66']);
    expect(cut.truncated).toBe(true);
    expect(cut.notes.every((n) => n.row < 2)).toBe(true);
    // Counts are those of the whole result, before the cut.
    expect(cut.suppressed).toBe(protectWith([]).suppressed);

    const whole = protectWith([{ column: 'nombre', direction: 'asc' }], 5);
    expect(whole.rows).toHaveLength(5);
    expect(whole.truncated).toBe(false);
  });

  it('masks other measures where the row count is masked, and never rounds them', () => {
    const result = protectWith([]);
    const byDep = new Map(result.rows.map((r) => [r[0], r]));
    const noteOf = (dep: string, column: string) =>
      result.notes.find((n) => n.row === result.rows.indexOf(byDep.get(dep)!) && n.column === column);
    // 09 and 48 have 3 and 2 rows: their average and their sum of durations are masked too.
    for (const dep of ['09', '48']) {
      expect(byDep.get(dep)!.slice(1)).toEqual([null, dep === '09' ? 40 : 90, null, null]);
      expect(noteOf(dep, 'duree')?.fate).toBe('suppressed_primary');
      expect(noteOf(dep, 'jours')?.fate).toBe('suppressed_primary');
    }
    // Elsewhere they are exact, and carry no "rounded" note.
    expect(byDep.get('34')!.slice(3)).toEqual([5.125, 117.875]);
    expect(byDep.get('66')!.slice(3)).toEqual([3.3, 135.3]);
    expect(result.notes.filter((n) => n.column === 'duree' || n.column === 'jours').every((n) => n.fate !== 'rounded')).toBe(true);
  });

  it('protects a count column as a count of its own, apart from the rows', () => {
    const result = protectWith([]);
    const hosp = Object.fromEntries(result.rows.map((r) => [r[0], r[2]]));
    // 34 has 23 rows but only 6 people: masked. 09 has 3 rows but 40 people: published, rounded.
    expect(hosp).toEqual({ '09': 40, '31': 310, '34': null, '48': 90, '66': 75 });
  });
});

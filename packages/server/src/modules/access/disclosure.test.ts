import { describe, expect, it } from 'vitest';
import {
  type Cell,
  type KeyValue,
  type ProtectedCell,
  type SdcPolicy,
  INSEE_BUSINESS,
  OPENSAFELY,
  SECONDARY_REASON,
  compareKeys,
  protect,
} from './disclosure';

/** mulberry32: a seeded generator, so every failing table can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EXACT: SdcPolicy = { ...OPENSAFELY, roundTo: 1 };
const TOTAL_DEP = 'France';
const DEPS = ['01', '09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66'];

/** Département × sexe with SPF's margins: `sexe = 0` is both sexes, and a France row sums the départements. */
function spfTable(random: () => number, deps: readonly string[], minimum = 0): Cell[] {
  const count = () => minimum + Math.floor(random() < 0.4 ? random() * 9 : random() * 60);
  const interior = new Map<string, number>();
  for (const dep of deps) for (const sexe of [1, 2]) interior.set(`${dep}|${sexe}`, count());
  const cells: Cell[] = [];
  const at = (dep: string, sexe: number) => interior.get(`${dep}|${sexe}`)!;
  for (const dep of deps) {
    cells.push({ key: [dep, 0], count: at(dep, 1) + at(dep, 2), measures: { hosp: (at(dep, 1) + at(dep, 2)) * 3 } });
    for (const sexe of [1, 2]) cells.push({ key: [dep, sexe], count: at(dep, sexe), measures: { hosp: at(dep, sexe) * 3 } });
  }
  for (const sexe of [0, 1, 2]) {
    const total = deps.reduce((sum, dep) => sum + (sexe === 0 ? at(dep, 1) + at(dep, 2) : at(dep, sexe)), 0);
    cells.push({ key: [TOTAL_DEP, sexe], count: total, measures: { hosp: total * 3 } });
  }
  return cells;
}

/** R × C interior cells with both margins and the grand total. */
function gridTable(random: () => number, rows: number, cols: number, minimum: number): Cell[] {
  const x = Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => minimum + Math.floor(random() < 0.5 ? random() * 9 : random() * 40)),
  );
  const cells: Cell[] = [];
  const rowSum = (r: number) => x[r]!.reduce((a, b) => a + b, 0);
  const colSum = (c: number) => x.reduce((a, row) => a + row[c]!, 0);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) cells.push({ key: [r + 1, c + 1], count: x[r]![c]! });
    cells.push({ key: [r + 1, 0], count: rowSum(r) });
  }
  for (let c = 0; c < cols; c++) cells.push({ key: [0, c + 1], count: colSum(c) });
  cells.push({ key: [0, 0], count: x.flat().reduce((a, b) => a + b, 0) });
  return cells;
}

interface Equation {
  margin: number;
  interior: number[];
}

/** Every published relation: along each dimension, the margin cell equals the sum of its line. */
function equations(cells: readonly Cell[], margins: readonly KeyValue[]): Equation[] {
  const out: Equation[] = [];
  const id = (key: readonly KeyValue[]) => JSON.stringify(key);
  const index = new Map(cells.map((cell, i) => [id(cell.key), i]));
  margins.forEach((marginValue, d) => {
    cells.forEach((cell, i) => {
      if (cell.key[d] !== marginValue) return;
      const rest = (key: readonly KeyValue[]) => id(key.filter((_, k) => k !== d));
      const interior = cells.flatMap((other, j) => (j !== i && rest(other.key) === rest(cell.key) ? [j] : []));
      expect(index.get(id(cell.key))).toBe(i);
      out.push({ margin: i, interior });
    });
  });
  return out;
}

function suppressedIndexes(result: readonly ProtectedCell[]): Set<number> {
  return new Set(result.flatMap((cell, i) => (cell.count === null ? [i] : [])));
}

/**
 * A witness that the cell cannot be derived: another non-negative assignment of the suppressed
 * cells, differing on it, that satisfies every published equation. Found from the null space of the
 * equations restricted to the suppressed cells (Gauss–Jordan, written here independently).
 */
function otherCompletion(cells: readonly Cell[], eqs: readonly Equation[], hidden: ReadonlySet<number>, target: number): number[] | null {
  const unknowns = [...hidden];
  const col = new Map(unknowns.map((u, i) => [u, i]));
  const m = eqs.map((eq) => {
    const row = new Array<number>(unknowns.length).fill(0);
    if (col.has(eq.margin)) row[col.get(eq.margin)!] = 1;
    for (const j of eq.interior) if (col.has(j)) row[col.get(j)!] = -1;
    return row;
  });
  const pivotOf = new Map<number, number>();
  let r = 0;
  for (let c = 0; c < unknowns.length; c++) {
    const p = m.findIndex((row, i) => i >= r && Math.abs(row[c]!) > 1e-9);
    if (p < 0) continue;
    [m[r], m[p]] = [m[p]!, m[r]!];
    const pr = m[r]!;
    const pv = pr[c]!;
    for (let k = 0; k < pr.length; k++) pr[k] = pr[k]! / pv;
    m.forEach((row, i) => {
      if (i === r) return;
      const f = row[c]!;
      for (let k = 0; k < row.length; k++) row[k] = row[k]! - f * pr[k]!;
    });
    pivotOf.set(c, r++);
  }
  const t = col.get(target)!;
  for (let free = 0; free < unknowns.length; free++) {
    if (pivotOf.has(free)) continue;
    const v = new Array<number>(unknowns.length).fill(0);
    v[free] = 1;
    for (const [c, row] of pivotOf) v[c] = -m[row]![free]!;
    if (Math.abs(v[t]!) < 1e-9) continue;
    const scale = 0.5 / Math.max(...v.map(Math.abs));
    return cells.map((cell, i) => (col.has(i) ? cell.count + scale * v[col.get(i)!]! : cell.count));
  }
  return null;
}

function expectNoDerivableCell(cells: readonly Cell[], margins: readonly KeyValue[], result: readonly ProtectedCell[]): void {
  const eqs = equations(cells, margins);
  const hidden = suppressedIndexes(result);
  for (const eq of eqs) {
    const inLine = [eq.margin, ...eq.interior].filter((i) => hidden.has(i)).length;
    expect(inLine === 0 || inLine >= 2, `line of ${JSON.stringify(cells[eq.margin]!.key)} has one masked cell`).toBe(true);
  }
  for (const target of hidden) {
    const y = otherCompletion(cells, eqs, hidden, target);
    expect(y, `cell ${JSON.stringify(cells[target]!.key)} is pinned by the margins`).not.toBeNull();
    expect(Math.abs(y![target]! - cells[target]!.count)).toBeGreaterThan(1e-6);
    expect(y!.every((v) => v >= 0)).toBe(true);
    for (const eq of eqs) expect(Math.abs(y![eq.margin]! - eq.interior.reduce((s, j) => s + y![j]!, 0))).toBeLessThan(1e-6);
    // Published cells are untouched: only suppressed cells may differ.
    y!.forEach((v, i) => {
      if (!hidden.has(i)) expect(v).toBe(cells[i]!.count);
    });
  }
}

describe('OpenSAFELY rules', () => {
  it.each([
    [0, null, 'suppressed_primary', 'effectif ≤ 7 : masqué'],
    [1, null, 'suppressed_primary', 'effectif ≤ 7 : masqué'],
    [7, null, 'suppressed_primary', 'effectif ≤ 7 : masqué'],
    [8, 10, 'rounded', 'arrondi à 5 près'],
    [10, 10, 'rounded', 'arrondi à 5 près'],
    [12, 10, 'rounded', 'arrondi à 5 près'],
    [13, 15, 'rounded', 'arrondi à 5 près'],
    [1234, 1235, 'rounded', 'arrondi à 5 près'],
  ] as const)('a count of %i gives %s (%s)', (count, shown, fate, reason) => {
    const { cells } = protect([{ key: ['31'], count, measures: { hosp: 40 } }], 1, OPENSAFELY);
    expect(cells[0]).toEqual({ key: ['31'], count: shown, measures: { hosp: shown === null ? null : 40 }, fate, reason });
  });

  it('publishes counts as they are when rounding is off', () => {
    const { cells, rounded } = protect([{ key: ['31'], count: 12 }], 1, EXACT);
    expect(cells[0]).toMatchObject({ count: 12, fate: 'published', reason: 'publié tel quel' });
    expect(rounded).toBe(0);
  });

  it('suppresses nothing when every count is large', () => {
    const random = rng(7);
    const cells = spfTable(random, DEPS, 8);
    const result = protect(cells, 2, OPENSAFELY, { margins: [TOTAL_DEP, 0] });
    expect(result.suppressed).toBe(0);
    expect(result.rounded).toBe(cells.length);
    expect(result.cells.every((cell) => cell.fate === 'rounded')).toBe(true);
  });
});

describe('INSEE business rules', () => {
  it.each([
    ['two enterprises', { units: 2, count: 2, measures: { ca: 500 } }, 'suppressed_primary', 'moins de 3 entreprises'],
    ['one enterprise, counted by `count`', { count: 1, measures: { ca: 500 } }, 'suppressed_primary', 'moins de 3 entreprises'],
    [
      'one enterprise above 85 %',
      { units: 10, count: 10, measures: { ca: 1000 }, largestContribution: 851 },
      'suppressed_primary',
      'une entreprise dépasse 85 % du total',
    ],
    [
      'the largest at exactly 85 %',
      { units: 10, count: 10, measures: { ca: 1000 }, largestContribution: 850 },
      'published',
      'publié tel quel',
    ],
    ['three enterprises', { units: 3, count: 3, measures: { ca: 900 }, largestContribution: 400 }, 'published', 'publié tel quel'],
    ['no enterprise at all', { units: 0, count: 0, measures: { ca: 0 } }, 'published', 'publié tel quel'],
    [
      'dominance measured on the count when there is no measure',
      { units: 5, count: 100, largestContribution: 90 },
      'suppressed_primary',
      'une entreprise dépasse 85 % du total',
    ],
  ] as [string, Omit<Cell, 'key'>, string, string][])('%s', (_, cell, fate, reason) => {
    const { cells } = protect([{ key: ['4711F'], ...cell }], 1, INSEE_BUSINESS);
    expect(cells[0]).toMatchObject({ fate, reason });
    if (fate === 'suppressed_primary')
      expect(cells[0]!.measures).toEqual(Object.fromEntries(Object.keys(cell.measures ?? {}).map((k) => [k, null])));
    else expect(cells[0]!.count).toBe(cell.count);
  });

  it('takes its thresholds from the policy', () => {
    const policy: SdcPolicy = { ...INSEE_BUSINESS, minUnits: 5, dominance: 0.6 };
    expect(protect([{ key: ['a'], count: 4 }], 1, policy).cells[0]!.reason).toBe('moins de 5 entreprises');
    expect(protect([{ key: ['a'], count: 9, measures: { ca: 100 }, largestContribution: 61 }], 1, policy).cells[0]!.reason).toBe(
      'une entreprise dépasse 60 % du total',
    );
  });
});

describe('secondary suppression', () => {
  describe('when a one-dimension table carries its total', () => {
    const cells: Cell[] = [
      { key: ['Ariège'], count: 5 },
      { key: ['Aude'], count: 30 },
      { key: ['Gers'], count: 20 },
      { key: ['total'], count: 55 },
    ];

    it('masks the next-smallest cell so the small one cannot be found by difference', () => {
      const result = protect(cells, 1, EXACT, { margins: ['total'] });
      expect(result.cells.map((c) => [c.key[0], c.fate])).toEqual([
        ['Ariège', 'suppressed_primary'],
        ['Aude', 'published'],
        ['Gers', 'suppressed_secondary'],
        ['total', 'published'],
      ]);
      expect(result.cells[2]!.reason).toBe(SECONDARY_REASON);
      expect(result.suppressed).toBe(2);
    });

    it('does nothing more without a total in the result', () => {
      const result = protect(cells.slice(0, 3), 1, EXACT, { margins: ['total'] });
      expect(result.cells.map((c) => c.fate)).toEqual(['suppressed_primary', 'published', 'published']);
    });

    it('masks the total when it is the only other cell of its line', () => {
      const result = protect(
        [
          { key: ['Ariège'], count: 5 },
          { key: ['total'], count: 5 },
        ],
        1,
        EXACT,
        { margins: ['total'] },
      );
      expect(result.cells.map((c) => c.fate)).toEqual(['suppressed_primary', 'suppressed_primary']);
      const big = protect(
        [
          { key: ['Ariège'], count: 5 },
          { key: ['total'], count: 50 },
        ],
        1,
        EXACT,
        { margins: ['total'] },
      );
      expect(big.cells.map((c) => c.fate)).toEqual(['suppressed_primary', 'suppressed_secondary']);
    });
  });

  it('breaks ties by key order, whatever order the rows came in', () => {
    const cells: Cell[] = [
      { key: ['c'], count: 20 },
      { key: ['b'], count: 20 },
      { key: ['a'], count: 3 },
      { key: ['t'], count: 43 },
    ];
    const fates = (input: Cell[]) =>
      protect(input, 1, EXACT, { margins: ['t'] })
        .cells.map((c) => `${String(c.key[0])}:${c.fate}`)
        .sort();
    expect(fates(cells)).toEqual(['a:suppressed_primary', 'b:suppressed_secondary', 'c:published', 't:published']);
    expect(fates([...cells].reverse())).toEqual(fates(cells));
  });

  describe('on the SPF département × sexe shape (sexe = 0 and France are totals)', () => {
    it('masks a small département by sex with a partner in its row and its column', () => {
      const cells = spfTable(rng(1), DEPS, 20);
      const small = cells.findIndex((c) => c.key[0] === '09' && c.key[1] === 2);
      const delta = 4 - cells[small]!.count;
      // Keep the margins consistent with the new value.
      const adjust = (dep: string, sexe: number) => {
        const i = cells.findIndex((c) => c.key[0] === dep && c.key[1] === sexe);
        cells[i] = { ...cells[i]!, count: cells[i]!.count + delta };
      };
      adjust('09', 2);
      adjust('09', 0);
      adjust(TOTAL_DEP, 2);
      adjust(TOTAL_DEP, 0);
      const result = protect(cells, 2, OPENSAFELY, { margins: [TOTAL_DEP, 0] });
      expect(result.cells[small]).toMatchObject({ count: null, fate: 'suppressed_primary', measures: { hosp: null } });
      expect(result.suppressed).toBe(4);
      expect(result.cells.filter((c) => c.fate === 'suppressed_secondary')).toHaveLength(3);
      expectNoDerivableCell(cells, [TOTAL_DEP, 0], result.cells);
    });

    it.each(Array.from({ length: 60 }, (_, seed) => seed))('leaves no derivable cell in random table %i', (seed) => {
      const random = rng(seed);
      const deps = DEPS.slice(0, 3 + Math.floor(random() * 10));
      const cells = spfTable(random, deps, 1);
      const result = protect(cells, 2, OPENSAFELY, { margins: [TOTAL_DEP, 0] });
      expectNoDerivableCell(cells, [TOTAL_DEP, 0], result.cells);
      expect(result.cells.filter((c) => c.fate === 'suppressed_primary').map((c) => cells.find((x) => x.key === c.key)!.count)).toSatisfy(
        (counts: number[]) => counts.every((n) => n <= 7),
      );
    });

    it('never leaves a single masked cell in a line, even with zeros', () => {
      for (let seed = 100; seed < 300; seed++) {
        const cells = spfTable(rng(seed), DEPS, 0);
        const result = protect(cells, 2, OPENSAFELY, { margins: [TOTAL_DEP, 0] });
        const hidden = suppressedIndexes(result.cells);
        for (const eq of equations(cells, [TOTAL_DEP, 0])) {
          const n = [eq.margin, ...eq.interior].filter((i) => hidden.has(i)).length;
          expect(n === 0 || n >= 2, `seed ${seed}`).toBe(true);
        }
      }
    });
  });

  it.each(Array.from({ length: 150 }, (_, seed) => seed))(
    'admits two completions for every masked cell of a 3 × 3 table with margins (seed %i)',
    (seed) => {
      const cells = gridTable(rng(1000 + seed), 3, 3, 1);
      const result = protect(cells, 2, EXACT, { margins: [0, 0] });
      expectNoDerivableCell(cells, [0, 0], result.cells);
    },
  );

  it.each([
    [4, 5],
    [5, 4],
    [6, 6],
  ])('admits two completions in random %i × %i tables', (rows, cols) => {
    for (let seed = 0; seed < 40; seed++) {
      const cells = gridTable(rng(rows * 100 + cols * 10 + seed), rows, cols, 1);
      expectNoDerivableCell(cells, [0, 0], protect(cells, 2, EXACT, { margins: [0, 0] }).cells);
    }
  });

  it('masks a cell that two separate masked blocks would otherwise pin (a bridge)', () => {
    // Two 2 × 2 blocks of masked cells joined by one cell: every line holds 0 or ≥ 2 masked cells,
    // yet the joining cell is determined. The linear check must catch it.
    const cells = gridTable(rng(5), 4, 4, 30);
    const set = (r: number, c: number, v: number) => {
      const i = cells.findIndex((x) => x.key[0] === r && x.key[1] === c);
      cells[i] = { ...cells[i]!, count: v };
    };
    for (const [r, c] of [
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
      [3, 3],
      [3, 4],
      [4, 3],
      [4, 4],
      [1, 3],
    ] as const)
      set(r, c, 2);
    // Recompute the margins for the new interior.
    const interior = (r: number, c: number) => cells.find((x) => x.key[0] === r && x.key[1] === c)!.count;
    for (let r = 1; r <= 4; r++)
      set(
        r,
        0,
        [1, 2, 3, 4].reduce((s, c) => s + interior(r, c), 0),
      );
    for (let c = 1; c <= 4; c++)
      set(
        0,
        c,
        [1, 2, 3, 4].reduce((s, r) => s + interior(r, c), 0),
      );
    set(
      0,
      0,
      [1, 2, 3, 4].reduce((s, r) => s + interior(r, 0), 0),
    );
    expectNoDerivableCell(cells, [0, 0], protect(cells, 2, EXACT, { margins: [0, 0] }).cells);
  });
});

describe('stability', () => {
  it('is deterministic and idempotent: protecting the published table again masks the same cells', () => {
    for (let seed = 0; seed < 30; seed++) {
      const cells = spfTable(rng(seed), DEPS, 0);
      const once = protect(cells, 2, OPENSAFELY, { margins: [TOTAL_DEP, 0] });
      expect(protect(cells, 2, OPENSAFELY, { margins: [TOTAL_DEP, 0] })).toEqual(once);
      const again = protect(
        once.cells.map((c) => ({ key: c.key, count: c.count ?? 0 })),
        2,
        OPENSAFELY,
        { margins: [TOTAL_DEP, 0] },
      );
      expect(suppressedIndexes(again.cells)).toEqual(suppressedIndexes(once.cells));
      expect(again.cells.map((c) => c.count)).toEqual(once.cells.map((c) => c.count));
    }
  });

  it('gives the same fates whatever order the rows came in', () => {
    const cells = spfTable(rng(42), DEPS, 0);
    const random = rng(9);
    const shuffled = cells
      .map((cell) => ({ cell, at: random() }))
      .sort((a, b) => a.at - b.at)
      .map(({ cell }) => cell);
    const byKey = (table: ProtectedCell[]) => [...table].sort((a, b) => compareKeys(a.key, b.key)).map((c) => c.fate);
    expect(byKey(protect(shuffled, 2, OPENSAFELY, { margins: [TOTAL_DEP, 0] }).cells)).toEqual(
      byKey(protect(cells, 2, OPENSAFELY, { margins: [TOTAL_DEP, 0] }).cells),
    );
  });

  it('speaks French in every reason', () => {
    const cells = spfTable(rng(3), DEPS, 0);
    const reasons = new Set(protect(cells, 2, OPENSAFELY, { margins: [TOTAL_DEP, 0] }).cells.map((c) => c.reason));
    expect([...reasons].sort()).toEqual(['arrondi à 5 près', 'effectif ≤ 7 : masqué', SECONDARY_REASON].sort());
  });
});

describe('refusals', () => {
  it.each([
    ['a key of the wrong length', [{ key: ['31'], count: 3 }], 2],
    [
      'a key given twice',
      [
        { key: ['31', 1], count: 3 },
        { key: ['31', 1], count: 9 },
      ],
      2,
    ],
    ['a negative count', [{ key: ['31', 1], count: -1 }], 2],
  ] as const)('refuses %s', (_, cells, dimensions) => {
    expect(() => protect(cells, dimensions, OPENSAFELY)).toThrow(RangeError);
  });

  it('refuses a rounding step below 1', () => {
    expect(() => protect([], 1, { ...OPENSAFELY, roundTo: 0 })).toThrow(RangeError);
  });
});

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { disclosureInput, type QuerySpec } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PROTECTED_CELLS, QueryRefusal, ROWS_COLUMN, compileQuery, dimensionsOf, type CompileScope, type Compiled } from './compile';

/**
 * What `compileQuery` refuses and why, then what it compiles — checked by running the SQL on a
 * real DuckDB table shaped like the sandbox's view, rather than by reading the SQL text.
 */

// A relation and a column whose names need quoting: both reach SQL only as quoted identifiers.
const RELATION = 'hospit "2020"';
const ODD = 'a"b';

const COLUMNS = [
  { name: 'dep', sqlType: 'VARCHAR' },
  { name: 'sexe', sqlType: 'BIGINT' },
  { name: 'jour', sqlType: 'DATE' },
  { name: 'hosp', sqlType: 'BIGINT' },
  { name: 'libelle', sqlType: 'VARCHAR' },
  { name: ODD, sqlType: 'VARCHAR' },
  { name: 'siren', sqlType: 'VARCHAR' },
  { name: 'ca', sqlType: 'DOUBLE' },
];

// dep, sexe, jour, hosp, libelle, a"b, siren, ca
const ROWS: [string, number, string, number, string | null, string, string, number][] = [
  ['09', 1, '2020-04-01', 3, 'Ariège', 'x', '111', 10],
  ['09', 2, '2020-04-02', 4, "l'Hospitalet", 'y', '111', 20],
  ['31', 1, '2020-04-01', 40, 'Haute-Garonne', 'x', '222', 5],
  ['31', 2, '2020-04-15', 35, 'Toulouse "centre"', 'z', '333', 50],
  ['31', 1, '2020-05-01', 30, null, 'x', '333', 45],
  ['34', 1, '2020-04-20', 12, 'taux 50%', `l'été "x"`, '444', 7],
  ['34', 2, '2020-06-30', 9, 'taux 500', 'y', '444', 8],
  ['48', 1, '2020-04-03', 2, 'Lozère', 'x', '555', 1],
];

const rowsScope: CompileScope = {
  relation: RELATION,
  columns: COLUMNS,
  rows: true,
  aggregateOnly: false,
  disclosure: null,
  rowLimit: 100,
};
const aggregateScope: CompileScope = {
  ...rowsScope,
  rows: false,
  aggregateOnly: true,
  disclosure: disclosureInput.parse({ dimensions: ['dep', 'sexe', 'jour', 'libelle'], countColumns: ['hosp'] }),
};
/** Business data under INSEE's rules: a unit column, at least 3 units, no unit above 85 %. */
const businessScope: CompileScope = {
  ...aggregateScope,
  disclosure: disclosureInput.parse({
    suppressAtOrBelow: null,
    roundTo: 1,
    unitColumn: 'siren',
    minUnits: 3,
    dominance: 0.85,
    dimensions: ['dep', 'sexe'],
  }),
};

/** A structured query with the schema's defaults, so that a test names only what it is about. */
const q = (spec: Partial<QuerySpec>): QuerySpec => ({ columns: [], groupBy: [], aggregates: [], where: [], orderBy: [], ...spec });

function refusalOf(spec: QuerySpec, scope: CompileScope): QueryRefusal {
  try {
    compileQuery(spec, scope);
  } catch (error) {
    if (error instanceof QueryRefusal) return error;
    throw error;
  }
  throw new Error(`compiled instead of refusing: ${JSON.stringify(spec)}`);
}

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(
    `CREATE TABLE "hospit ""2020""" (dep VARCHAR, sexe BIGINT, jour DATE, hosp BIGINT, libelle VARCHAR, "a""b" VARCHAR, siren VARCHAR, ca DOUBLE)`,
  );
  const literal = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`);
  await connection.run(`INSERT INTO "hospit ""2020""" VALUES ${ROWS.map((r) => `(${r.map(literal).join(', ')})`).join(', ')}`);
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

/** Runs compiled SQL; rows as objects, integers as numbers. */
async function run(compiled: Compiled): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(compiled.sql);
  const names = reader.columnNames();
  return reader
    .getRowsJson()
    .map((row) =>
      Object.fromEntries(row.map((v, i) => [names[i]!, typeof v === 'string' && /^-?\d+$/.test(v) && names[i] !== 'dep' ? Number(v) : v])),
    );
}

describe('compileQuery refuses', () => {
  const cases: [string, CompileScope, QuerySpec, string][] = [
    ['an unknown column to return', rowsScope, q({ columns: ['dep', 'age'] }), 'unknown_column'],
    ['a filter on an unknown column', rowsScope, q({ where: [{ column: 'age', op: 'eq', value: 3 }] }), 'unknown_column'],
    ['a group-by on an unknown column', rowsScope, q({ groupBy: ['age'] }), 'unknown_column'],
    ['an aggregate of an unknown column', rowsScope, q({ aggregates: [{ fn: 'sum', column: 'age' }] }), 'unknown_column'],
    ['a column outside the grant, even in aggregate-only', aggregateScope, q({ groupBy: ['age'] }), 'unknown_column'],
    [
      'a group-by on a count column in aggregate-only',
      aggregateScope,
      q({ groupBy: ['hosp'], aggregates: [{ fn: 'count' }] }),
      'not_a_dimension',
    ],
    [
      'a filter on a count column in aggregate-only',
      aggregateScope,
      q({ groupBy: ['dep'], where: [{ column: 'hosp', op: 'lt', value: 3 }] }),
      'not_a_dimension',
    ],
    [
      'a filter on a column that is not a listed dimension in aggregate-only',
      aggregateScope,
      q({ groupBy: ['dep'], where: [{ column: ODD, op: 'eq', value: 'x' }] }),
      'not_a_dimension',
    ],
    [
      'a distinct count of a non-dimension in aggregate-only',
      aggregateScope,
      q({ groupBy: ['dep'], aggregates: [{ fn: 'count_distinct', column: 'hosp' }] }),
      'not_a_dimension',
    ],
    ['min in aggregate-only', aggregateScope, q({ groupBy: ['dep'], aggregates: [{ fn: 'min', column: 'hosp' }] }), 'aggregate_only'],
    ['max in aggregate-only', aggregateScope, q({ groupBy: ['dep'], aggregates: [{ fn: 'max', column: 'hosp' }] }), 'aggregate_only'],
    ['rows in aggregate-only', aggregateScope, q({ columns: ['dep'] }), 'aggregate_only'],
    ['rows in aggregate-only, even with no column named', aggregateScope, q({}), 'aggregate_only'],
    ['rows where the scope returns none', { ...rowsScope, rows: false }, q({ columns: ['dep'] }), 'aggregate_only'],
    [
      'an average on business data (only counts and sums keep the unit rules meaningful)',
      businessScope,
      q({ groupBy: ['dep'], aggregates: [{ fn: 'avg', column: 'ca' }] }),
      'aggregate_only',
    ],
    ['a sum of a text column', rowsScope, q({ aggregates: [{ fn: 'sum', column: 'libelle' }] }), 'invalid'],
    ['an average of a date column', rowsScope, q({ aggregates: [{ fn: 'avg', column: 'jour' }] }), 'invalid'],
    ['a sum without a column', rowsScope, q({ aggregates: [{ fn: 'sum' }] }), 'invalid'],
    [
      'two aggregates with the same name',
      rowsScope,
      q({
        aggregates: [
          { fn: 'sum', column: 'hosp', as: 'n' },
          { fn: 'count', as: 'n' },
        ],
      }),
      'invalid',
    ],
    ['an aggregate named like a grouped column', rowsScope, q({ groupBy: ['dep'], aggregates: [{ fn: 'count', as: 'dep' }] }), 'invalid'],
    [
      'an aggregate named like a hidden column',
      aggregateScope,
      q({ groupBy: ['dep'], aggregates: [{ fn: 'count', as: ROWS_COLUMN }] }),
      'invalid',
    ],
    [
      'an order on a column not returned (rows)',
      rowsScope,
      q({ columns: ['dep'], orderBy: [{ column: 'hosp', direction: 'asc' }] }),
      'invalid',
    ],
    [
      'an order on a column not in the result (aggregate)',
      rowsScope,
      q({ groupBy: ['dep'], aggregates: [{ fn: 'count' }], orderBy: [{ column: 'hosp', direction: 'desc' }] }),
      'invalid',
    ],
    [
      'an order on a column not in the result (aggregate-only)',
      aggregateScope,
      q({ groupBy: ['dep'], orderBy: [{ column: 'sexe', direction: 'asc' }] }),
      'invalid',
    ],
    ['`in` with a single value', rowsScope, q({ where: [{ column: 'dep', op: 'in', value: '09' }] }), 'invalid'],
    ['`in` with an empty list', rowsScope, q({ where: [{ column: 'dep', op: 'in', value: [] }] }), 'invalid'],
    ['`not_in` without a value', rowsScope, q({ where: [{ column: 'dep', op: 'not_in' }] }), 'invalid'],
    ['`between` with one bound', rowsScope, q({ where: [{ column: 'hosp', op: 'between', value: [3] }] }), 'invalid'],
    ['`between` with three bounds', rowsScope, q({ where: [{ column: 'hosp', op: 'between', value: [1, 2, 3] }] }), 'invalid'],
    ['`between` with a scalar', rowsScope, q({ where: [{ column: 'hosp', op: 'between', value: 3 }] }), 'invalid'],
    ['`eq` without a value', rowsScope, q({ where: [{ column: 'hosp', op: 'eq' }] }), 'invalid'],
    ['`eq` with a list', rowsScope, q({ where: [{ column: 'hosp', op: 'eq', value: [1, 2] }] }), 'invalid'],
    ['a number that is not finite', rowsScope, q({ where: [{ column: 'hosp', op: 'gt', value: Number.POSITIVE_INFINITY }] }), 'invalid'],
  ];

  it.each(cases)('%s', (_, scope, spec, refusal) => {
    const error = refusalOf(spec, scope);
    expect(error.refusal).toBe(refusal);
    // The message tells the caller what to do: never empty, never a stack.
    expect(error.message.length).toBeGreaterThan(20);
  });

  it('names the unknown column and lists the granted ones', () => {
    const error = refusalOf(q({ columns: ['age'] }), { ...rowsScope, columns: COLUMNS.slice(0, 2) });
    expect(error.message).toContain('« age »');
    expect(error.message).toContain('dep, sexe');
  });
});

describe('compileQuery compiles', () => {
  it('quotes odd relation and column names, in the select list, filters and group-by', async () => {
    const rows = await run(compileQuery(q({ columns: [ODD, 'dep'], where: [{ column: ODD, op: 'eq', value: 'x' }] }), rowsScope));
    expect(rows.map((r) => r.dep)).toEqual(['09', '31', '31', '48']);
    expect(Object.keys(rows[0]!)).toEqual([ODD, 'dep']);

    const grouped = await run(compileQuery(q({ groupBy: [ODD], aggregates: [{ fn: 'count', as: 'n' }] }), rowsScope));
    expect(grouped).toEqual([
      { [ODD]: `l'été "x"`, n: 1 },
      { [ODD]: 'x', n: 4 },
      { [ODD]: 'y', n: 2 },
      { [ODD]: 'z', n: 1 },
    ]);
  });

  it('turns values into literals: quotes match themselves and an injection matches nothing', async () => {
    const libelles = async (value: string, op: 'eq' | 'contains' = 'eq') =>
      (await run(compileQuery(q({ columns: ['libelle'], where: [{ column: 'libelle', op, value }] }), rowsScope))).map((r) => r.libelle);
    expect(await libelles("l'Hospitalet")).toEqual(["l'Hospitalet"]);
    expect(await libelles('Toulouse "centre"')).toEqual(['Toulouse "centre"']);
    expect(await libelles(`x' OR '1'='1`)).toEqual([]);
    expect(await libelles(`x') OR true --`, 'contains')).toEqual([]);
    // `contains` is a substring test, not a LIKE pattern: `%` is a character like any other.
    expect(await libelles('50%', 'contains')).toEqual(['taux 50%']);
    expect(await libelles('HOSPITALET', 'contains')).toEqual(["l'Hospitalet"]);
  });

  it('casts text to the column’s type, so that a malformed value is an error rather than no rows', async () => {
    const between = compileQuery(
      q({ columns: ['dep'], where: [{ column: 'jour', op: 'between', value: ['2020-04-01', '2020-04-02'] }] }),
      rowsScope,
    );
    expect((await run(between)).map((r) => r.dep)).toEqual(['09', '09', '31']);
    const asText = compileQuery(q({ columns: ['dep'], where: [{ column: 'sexe', op: 'eq', value: '2' }] }), rowsScope);
    expect(await run(asText)).toHaveLength(3);
    const malformed = compileQuery(q({ columns: ['dep'], where: [{ column: 'jour', op: 'eq', value: '15/04/2020' }] }), rowsScope);
    await expect(run(malformed)).rejects.toThrow(/Conversion Error/);
  });

  it.each([
    ['in', ['09', '48'], 3],
    ['not_in', ['09', '48'], 5],
    ['is_null', undefined, 1],
    ['not_null', undefined, 7],
  ] as const)('filters with `%s`', async (op, value, expected) => {
    const column = op === 'is_null' || op === 'not_null' ? 'libelle' : 'dep';
    const spec = q({ columns: ['dep'], where: [{ column, op, ...(value ? { value: [...value] } : {}) }] });
    expect(await run(compileQuery(spec, rowsScope))).toHaveLength(expected);
  });

  it('asks for one row more than the response may carry, whatever limit is asked', async () => {
    const scope = { ...rowsScope, rowLimit: 3 };
    const above = compileQuery(q({ columns: ['dep'], limit: 1000 }), scope);
    expect(above).toMatchObject({ mode: 'rows', limit: 3 });
    expect(await run(above)).toHaveLength(4);
    const below = compileQuery(q({ columns: ['dep'], limit: 2 }), scope);
    expect(below.limit).toBe(2);
    expect(await run(below)).toHaveLength(3);
    const none = compileQuery(q({ columns: ['dep'] }), scope);
    expect(none.limit).toBe(3);
    expect(await run(none)).toHaveLength(4);
    const grouped = compileQuery(q({ groupBy: ['libelle'], limit: 50 }), scope);
    expect(grouped.limit).toBe(3);
    expect(await run(grouped)).toHaveLength(4);
  });

  it('orders rows as asked, with nulls last in both directions', async () => {
    const order = async (direction: 'asc' | 'desc') =>
      (await run(compileQuery(q({ columns: ['libelle'], orderBy: [{ column: 'libelle', direction }] }), rowsScope))).map((r) => r.libelle);
    expect((await order('asc')).at(-1)).toBeNull();
    expect((await order('desc')).at(-1)).toBeNull();
    expect((await order('asc')).slice(0, 2)).toEqual(['Ariège', 'Haute-Garonne']);
  });

  it('names aggregates by default and counts rows when none is asked', async () => {
    const compiled = compileQuery(
      q({
        groupBy: ['dep'],
        aggregates: [
          { fn: 'sum', column: 'hosp' },
          { fn: 'avg', column: 'ca' },
        ],
      }),
      rowsScope,
    );
    expect(compiled).toMatchObject({ mode: 'aggregate', protectedColumns: null });
    expect((await run(compiled))[0]).toEqual({ dep: '09', sum_hosp: 7, avg_ca: 15 });
    expect(await run(compileQuery(q({ groupBy: ['sexe'] }), rowsScope))).toEqual([
      { sexe: 1, nombre: 5 },
      { sexe: 2, nombre: 3 },
    ]);
  });

  describe('in aggregate-only', () => {
    it('adds the hidden row count and returns every cell, ordered by key, whatever the limit', async () => {
      const compiled = compileQuery(
        q({
          groupBy: ['dep'],
          aggregates: [{ fn: 'sum', column: 'hosp', as: 'hosp' }],
          orderBy: [{ column: 'hosp', direction: 'desc' }],
          limit: 2,
        }),
        { ...aggregateScope, rowLimit: 3 },
      );
      if (compiled.mode !== 'aggregate') throw new Error('expected an aggregate');
      expect(compiled.protectedColumns).toEqual({ rows: ROWS_COLUMN, units: null, largest: {} });
      expect(compiled.aggregates).toEqual([{ name: 'hosp', fn: 'sum', column: 'hosp', kind: 'count' }]);
      // Sorted and cut only after protection, so that neither reveals a masked value.
      expect(compiled).toMatchObject({ limit: 2, orderBy: [{ column: 'hosp', direction: 'desc' }], maxCells: MAX_PROTECTED_CELLS });
      expect(await run(compiled)).toEqual([
        { dep: '09', hosp: 7, [ROWS_COLUMN]: 2 },
        { dep: '31', hosp: 105, [ROWS_COLUMN]: 3 },
        { dep: '34', hosp: 21, [ROWS_COLUMN]: 2 },
        { dep: '48', hosp: 2, [ROWS_COLUMN]: 1 },
      ]);
    });

    it('tells a count of rows, a sum of a count column and other measures apart', () => {
      const compiled = compileQuery(
        q({
          groupBy: ['dep'],
          aggregates: [{ fn: 'count' }, { fn: 'sum', column: 'hosp' }, { fn: 'sum', column: 'ca' }, { fn: 'avg', column: 'hosp' }],
        }),
        aggregateScope,
      );
      if (compiled.mode !== 'aggregate') throw new Error('expected an aggregate');
      expect(compiled.aggregates.map((a) => [a.name, a.kind])).toEqual([
        ['nombre', 'rows'],
        ['sum_hosp', 'count'],
        ['sum_ca', 'other'],
        ['avg_hosp', 'other'],
      ]);
    });

    it('takes every column but counts and the unit column as dimensions when none are listed', () => {
      const d = disclosureInput.parse({ countColumns: ['hosp'], unitColumn: 'siren' });
      expect(dimensionsOf({ columns: COLUMNS, disclosure: d })).toEqual(['dep', 'sexe', 'jour', 'libelle', ODD, 'ca']);
      expect(dimensionsOf({ columns: COLUMNS.slice(0, 2), disclosure: aggregateScope.disclosure })).toEqual(['dep', 'sexe']);
    });

    it('aggregates per unit first under INSEE’s rules: units, rows and the largest unit per cell', async () => {
      const compiled = compileQuery(
        q({ groupBy: ['dep'], aggregates: [{ fn: 'sum', column: 'ca', as: 'ca' }, { fn: 'count' }] }),
        businessScope,
      );
      if (compiled.mode !== 'aggregate') throw new Error('expected an aggregate');
      expect(compiled.protectedColumns).toEqual({ rows: ROWS_COLUMN, units: '__units', largest: { ca: '__max_ca' } });
      expect(await run(compiled)).toEqual([
        // 09: one unit (111) with two rows.
        { dep: '09', ca: 30, nombre: 2, __max_ca: 30, [ROWS_COLUMN]: 2, __units: 1 },
        // 31: units 222 (5) and 333 (50 + 45 = 95): the largest is a unit's total, not a row.
        { dep: '31', ca: 100, nombre: 3, __max_ca: 95, [ROWS_COLUMN]: 3, __units: 2 },
        { dep: '34', ca: 15, nombre: 2, __max_ca: 15, [ROWS_COLUMN]: 2, __units: 1 },
        { dep: '48', ca: 1, nombre: 1, __max_ca: 1, [ROWS_COLUMN]: 1, __units: 1 },
      ]);
    });

    it('applies filters before the per-unit step', async () => {
      const compiled = compileQuery(
        q({ groupBy: ['sexe'], aggregates: [{ fn: 'sum', column: 'ca', as: 'ca' }], where: [{ column: 'dep', op: 'eq', value: '31' }] }),
        businessScope,
      );
      expect(await run(compiled)).toEqual([
        { sexe: 1, ca: 50, __max_ca: 45, [ROWS_COLUMN]: 2, __units: 2 },
        { sexe: 2, ca: 50, __max_ca: 50, [ROWS_COLUMN]: 1, __units: 1 },
      ]);
    });

    it.each([
      [
        'neither groups nor filters on the total column: reads the total rows only',
        { groupBy: ['dep'] },
        [
          { dep: '09', hosp: 3 },
          { dep: '31', hosp: 70 },
          { dep: '34', hosp: 12 },
          { dep: '48', hosp: 2 },
        ],
      ],
      [
        'groups by it: every value, the totals as their own group',
        { groupBy: ['sexe'] },
        [
          { sexe: 1, hosp: 87 },
          { sexe: 2, hosp: 48 },
        ],
      ],
      [
        'filters on it: as asked',
        { groupBy: ['dep'], where: [{ column: 'sexe', op: 'eq', value: 2 }] },
        [
          { dep: '09', hosp: 4 },
          { dep: '31', hosp: 35 },
          { dep: '34', hosp: 9 },
        ],
      ],
    ] as [string, Partial<QuerySpec>, Record<string, unknown>[]][])(
      'on data holding its own totals (sexe = 1 marks them here), a sum that %s',
      async (_, shape, expected) => {
        const withTotals: CompileScope = {
          ...aggregateScope,
          disclosure: disclosureInput.parse({
            dimensions: ['dep', 'sexe', 'jour'],
            countColumns: ['hosp'],
            margins: [{ column: 'sexe', value: '1' }],
          }),
        };
        const compiled = compileQuery(q({ ...shape, aggregates: [{ fn: 'sum', column: 'hosp', as: 'hosp' }] }), withTotals);
        const rows = (await run(compiled)).map(({ [ROWS_COLUMN]: _, ...rest }) => rest);
        expect(rows).toEqual(expected);
      },
    );
  });
});

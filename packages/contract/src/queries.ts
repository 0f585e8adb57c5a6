import { z } from 'zod';
import { DATA_USES, disclosureInput, NOISE_MECHANISMS } from './policy/offer';

/**
 * Queries under contract ("traiter sans exporter"): the consumer computes where the data lives and
 * receives only what the contract allows. A query is either *structured* (columns, filters,
 * group-by, aggregates — what the portal's builder and `confiance query` send) or a *restricted SQL*
 * text (one read-only SELECT over the relation the grant names), never both.
 */

export const AGGREGATE_FUNCTIONS = ['count', 'sum', 'avg', 'min', 'max', 'count_distinct'] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

export const FILTER_OPERATORS = [
  'eq',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'not_in',
  'between',
  'is_null',
  'not_null',
  'contains',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export const RESULT_FORMATS = ['json', 'csv', 'parquet'] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];

/** Most values one `in` filter may list: a longer list is an attack on the planner, not a question. */
export const MAX_IN_VALUES = 1000;
/** Longest restricted SQL text accepted. */
export const MAX_SQL_LENGTH = 20_000;

const columnName = z.string().trim().min(1, 'nom de colonne vide').max(200);
const scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);

export const filterInput = z
  .object({
    column: columnName,
    op: z.enum(FILTER_OPERATORS),
    /** A scalar; a list for `in`/`not_in`; two values for `between`; nothing for `is_null`/`not_null`. */
    value: z.union([scalar, z.array(scalar).max(MAX_IN_VALUES, `au plus ${MAX_IN_VALUES} valeurs dans une liste`)]).optional(),
  })
  .strict();
export type FilterInput = z.infer<typeof filterInput>;

export const aggregateInput = z
  .object({
    fn: z.enum(AGGREGATE_FUNCTIONS),
    /** The measured column; omitted for `count` (rows). */
    column: columnName.optional(),
    /** Output name; default `fn_column` (e.g. `sum_hosp`). */
    as: z
      .string()
      .trim()
      .regex(/^[\p{L}_][\p{L}\p{N}_]{0,62}$/u, 'un nom de résultat : lettres, chiffres et _')
      .optional(),
  })
  .strict();
export type AggregateInput = z.infer<typeof aggregateInput>;

export const orderInput = z
  .object({
    /** An output column: a selected or grouped column, or an aggregate's name. */
    column: z.string().trim().min(1).max(200),
    direction: z.enum(['asc', 'desc']).default('asc'),
  })
  .strict();

/**
 * A pseudonymised join (issue 8): the query's table joined to a table of another dataset the
 * caller holds under a contract of the same project (or of the same organisation), on columns both
 * contracts declare as join keys. Inside the engine the keys are keyed hashes (HMAC with a key
 * derived for the pair of contracts, never shown); they never appear in results. The other side's
 * columns are named `<its table>.<column>` in the query.
 */
export const joinInput = z
  .object({
    dataset: z.string().trim().min(1).max(200),
    table: z.string().trim().min(1).max(200).optional(),
    /** The other dataset's contract, when the caller holds several on it. */
    contract: z.uuid().optional(),
    /** Pairs of key columns: this table's, then the other's. */
    on: z
      .array(z.object({ left: columnName, right: columnName }).strict())
      .min(1, 'au moins une paire de clés de jointure')
      .max(4, 'au plus 4 paires de clés'),
  })
  .strict();
export type JoinInput = z.infer<typeof joinInput>;

export const queryInput = z
  .object({
    /** The table of a multi-table dataset (a GTFS feed); default: the first. */
    table: z.string().trim().min(1).max(200).optional(),
    /** The contract to use when the caller holds several on the dataset. */
    contract: z.uuid().optional(),
    /** Columns returned as they are (rows), or grouped by when there are aggregates. */
    columns: z.array(columnName).max(200).default([]),
    groupBy: z.array(columnName).max(8, 'au plus 8 regroupements').default([]),
    aggregates: z.array(aggregateInput).max(20, 'au plus 20 agrégats').default([]),
    where: z.array(filterInput).max(50, 'au plus 50 filtres').default([]),
    orderBy: z.array(orderInput).max(8).default([]),
    limit: z.number().int().min(1).max(10_000_000).optional(),
    /** Join with another contracted dataset on pseudonymised keys; structured queries only. */
    join: joinInput.optional(),
    /** Restricted SQL: one read-only SELECT over the relation the grant names. Excludes the fields above. */
    sql: z.string().min(1).max(MAX_SQL_LENGTH, `au plus ${MAX_SQL_LENGTH} caractères de SQL`).optional(),
  })
  .strict();
export type QueryInput = z.input<typeof queryInput>;
export type QuerySpec = z.output<typeof queryInput>;

export const resultFormatQuery = z.object({ format: z.enum(RESULT_FORMATS).default('json') }).strict();

/** How a cell's value was protected, when it was. */
export const CELL_FATES = ['rounded', 'suppressed_primary', 'suppressed_secondary'] as const;
export type NoteFate = (typeof CELL_FATES)[number];

export const queryModeSchema = z.enum(['rows', 'aggregate', 'sql']);
export type QueryMode = z.infer<typeof queryModeSchema>;

export const resultColumnSchema = z.object({
  name: z.string(),
  /** DuckDB's type (VARCHAR, BIGINT, DOUBLE, DATE…). */
  type: z.string(),
  role: z.enum(['dimension', 'measure', 'value']),
});

export const queryResultSchema = z.object({
  query: z.uuid(),
  dataset: z.string(),
  table: z.string(),
  contract: z.uuid().nullable(),
  mode: queryModeSchema,
  columns: z.array(resultColumnSchema),
  /** Values by column; a masked cell is null (see `notes`). */
  rows: z.array(z.array(z.unknown())),
  /** Every cell disclosure control rounded or masked, with its French reason. */
  notes: z.array(z.object({ row: z.number().int(), column: z.string(), fate: z.enum(CELL_FATES), reason: z.string() })),
  /** The disclosure control applied, or null (rows of data the caller may see). */
  disclosure: disclosureInput.extend({ suppressed: z.number().int(), rounded: z.number().int() }).nullable(),
  /** Differential privacy applied (issue 8): each measure's noise, and the budget spent and left. */
  privacy: z
    .object({
      measures: z.array(z.object({ column: z.string(), description: z.string(), noise95: z.number() })),
      epsilonSpent: z.string(),
      epsilonLeft: z.string(),
    })
    .nullable()
    .default(null),
  /** The pseudonymised join the result comes from (issue 8), or null. */
  join: z.object({ dataset: z.string(), table: z.string(), contract: z.uuid() }).nullable().default(null),
  /** More rows matched than one response may carry. */
  truncated: z.boolean(),
  rowLimit: z.number().int(),
  elapsedMs: z.number(),
});
export type QueryResult = z.infer<typeof queryResultSchema>;

/** Why a caller may run queries on a dataset, and within which bounds: what the builder shows. */
export const queryAccessSchema = z.object({
  dataset: z.string(),
  /** False: `reason` says why and, when there is one, how to obtain access (an offer). */
  allowed: z.boolean(),
  reason: z.string().nullable(),
  basis: z.enum(['open', 'own', 'contract']).nullable(),
  contract: z.uuid().nullable(),
  /** Other contracts the caller may choose between. */
  contracts: z.array(z.uuid()),
  uses: z.array(z.enum(DATA_USES)),
  aggregateOnly: z.boolean(),
  sql: z.boolean(),
  tables: z.array(
    z.object({
      name: z.string(),
      /** The relation name restricted SQL selects from. */
      relation: z.string(),
      columns: z.array(
        z.object({
          name: z.string(),
          type: z.string(),
          /** Aggregate-only: `dimension` may be grouped and filtered, `count` is a count of people or units. */
          role: z.enum(['dimension', 'count', 'measure', 'value']),
        }),
      ),
    }),
  ),
  /** Rows only of these départements; empty: all. */
  departements: z.array(z.string()),
  functions: z.array(z.enum(AGGREGATE_FUNCTIONS)),
  disclosure: disclosureInput.nullable(),
  rowLimit: z.number().int(),
  quota: z.object({
    used: z.number().int(),
    max: z.number().int().nullable(),
    today: z.number().int(),
    perDay: z.number().int().nullable(),
  }),
  validUntil: z.string().nullable(),
  /** Differential privacy of the grant (issue 8): the budget, what is left, the noise one query gets. */
  privacy: z
    .object({
      mechanism: z.enum(NOISE_MECHANISMS),
      epsilon: z.string(),
      epsilonPerQuery: z.string(),
      epsilonLeft: z.string(),
      delta: z.string().nullable(),
      /** Queries the budget still pays for at the per-query ε. */
      queriesLeft: z.number().int(),
      /** Measures a noisy sum may take, with their clipping bounds; counts need none. */
      clipping: z.array(z.object({ column: z.string(), lower: z.number(), upper: z.number() })),
      /** 95 % of a count's noise lies within ± this, when the query has one measure. */
      countNoise95: z.number(),
    })
    .nullable()
    .default(null),
  /** Datasets this one may be joined with under pseudonymised keys, and on which keys. */
  joins: z
    .array(
      z.object({
        dataset: z.string(),
        title: z.string(),
        provider: z.string(),
        contract: z.uuid(),
        /** This dataset's key columns and the other's, as both contracts declare them. */
        leftKeys: z.array(z.string()),
        rightKeys: z.array(z.string()),
        /** The other contract makes the join aggregate-only (either side does). */
        aggregateOnly: z.boolean(),
        /** The other dataset's tables with a key column, its columns as its own access view shows them, keys left out. */
        tables: z.array(
          z.object({
            name: z.string(),
            columns: z.array(z.object({ name: z.string(), type: z.string(), role: z.enum(['dimension', 'count', 'measure', 'value']) })),
          }),
        ),
      }),
    )
    .default([]),
});
export type QueryAccess = z.infer<typeof queryAccessSchema>;

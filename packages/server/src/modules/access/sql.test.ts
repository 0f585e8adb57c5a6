import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { MAX_IN_VALUES, MAX_SQL_LENGTH } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_CONTRACT_RELATION, SQL_ESCAPES } from '../../../test/fixtures/sql-escapes';
import { type SqlParser, type SqlRelation, SQL_REFUSALS, checkSql, openSqlParser } from './sql';

const RELATION = 'spf_covid_hospit_dep_sexe_occitanie_2020_03_18_2020_06_30';
const COLUMNS = ['dep', 'sexe', 'jour', 'hosp', 'rea', 'rad', 'dc'];
const GRANT: SqlRelation[] = [{ name: RELATION, columns: COLUMNS }];
const R = RELATION;

/** Questions an analyst asks of the hospitalisation counts, as they would write them. */
const LEGITIMATE: { name: string; sql: string }[] = [
  {
    name: 'group by with aggregates',
    sql: `SELECT dep, sum(hosp) AS hosp, max(rea) FROM ${R} WHERE sexe = 0 GROUP BY dep ORDER BY hosp DESC`,
  },
  {
    name: 'HAVING, LIMIT and OFFSET',
    sql: `SELECT dep, count(*) AS n FROM ${R} GROUP BY ALL HAVING count(*) > 1 ORDER BY n DESC, dep LIMIT 5 OFFSET 1`,
  },
  {
    name: 'a CTE',
    sql: `WITH daily AS (SELECT jour, sum(hosp) AS hosp FROM ${R} WHERE sexe = 0 GROUP BY jour) SELECT max(hosp) FROM daily`,
  },
  {
    name: 'chained CTEs',
    sql: `WITH a AS (SELECT dep, hosp FROM ${R}), b AS (SELECT dep, avg(hosp) AS m FROM a GROUP BY dep) SELECT * FROM b WHERE m > (SELECT avg(m) FROM b)`,
  },
  {
    name: 'window functions',
    sql: `SELECT dep, jour, hosp - lag(hosp) OVER (PARTITION BY dep ORDER BY jour) AS delta, row_number() OVER w AS rn, sum(dc) OVER (PARTITION BY dep ORDER BY jour ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) FROM ${R} WINDOW w AS (PARTITION BY dep ORDER BY jour)`,
  },
  { name: 'QUALIFY', sql: `SELECT dep, jour, hosp FROM ${R} QUALIFY rank() OVER (PARTITION BY dep ORDER BY hosp DESC) = 1` },
  {
    name: 'UNION, EXCEPT and INTERSECT',
    sql: `SELECT dep FROM ${R} WHERE hosp > 10 UNION SELECT dep FROM ${R} WHERE dc > 1 EXCEPT SELECT dep FROM ${R} WHERE dep = '48' INTERSECT SELECT dep FROM ${R}`,
  },
  {
    name: 'CASE',
    sql: `SELECT CASE sexe WHEN 1 THEN 'hommes' WHEN 2 THEN 'femmes' ELSE 'ensemble' END AS sexe, sum(hosp) FROM ${R} GROUP BY 1`,
  },
  {
    name: 'a subquery in WHERE',
    sql: `SELECT * FROM ${R} WHERE dep IN (SELECT dep FROM ${R} WHERE dc > 5) AND hosp >= (SELECT avg(hosp) FROM ${R})`,
  },
  {
    name: 'a correlated EXISTS',
    sql: `SELECT DISTINCT dep FROM ${R} a WHERE EXISTS (SELECT 1 FROM ${R} b WHERE b.dep = a.dep AND b.rea > a.rea)`,
  },
  {
    name: 'date functions',
    sql: `SELECT date_trunc('week', jour) AS semaine, strftime(jour, '%d/%m/%Y'), EXTRACT(month FROM jour), date_diff('day', DATE '2020-03-18', jour), jour + INTERVAL 7 DAY FROM ${R} WHERE jour BETWEEN DATE '2020-04-01' AND DATE '2020-04-30'`,
  },
  {
    name: 'ILIKE, LIKE and regular expressions',
    sql: `SELECT * FROM ${R} WHERE dep ILIKE '3%' OR dep NOT LIKE '0_' OR regexp_matches(dep, '^(09|11)$')`,
  },
  {
    name: 'text functions',
    sql: `SELECT lpad(dep, 3, '0') || '-' || upper(coalesce(nullif(dep, ''), 'inconnu')), concat_ws('/', dep, sexe), length(dep) FROM ${R}`,
  },
  {
    name: 'statistics',
    sql: `SELECT dep, median(hosp), quantile_cont(hosp, 0.9), stddev_samp(rea), count(DISTINCT jour), string_agg(DISTINCT CAST(sexe AS VARCHAR), ',' ORDER BY 1) FROM ${R} GROUP BY dep`,
  },
  { name: 'ROLLUP', sql: `SELECT dep, sexe, sum(hosp), GROUPING(dep) FROM ${R} GROUP BY ROLLUP (dep, sexe)` },
  {
    name: 'a self-join',
    sql: `SELECT a.dep, a.jour, a.hosp, b.hosp AS veille FROM ${R} AS a LEFT JOIN ${R} AS b ON a.dep = b.dep AND b.jour = a.jour - 1`,
  },
  { name: 'FROM first', sql: `FROM ${R} SELECT dep, hosp WHERE sexe = 0` },
  { name: 'the relation quoted, in capitals', sql: `SELECT count(*) FROM "${R.toUpperCase()}"` },
  { name: 'a sample of the relation', sql: `SELECT avg(hosp) FROM ${R} USING SAMPLE 50 PERCENT (bernoulli, 7)` },
  { name: 'lists and structs of values', sql: `SELECT [hosp, rea][1], {'d': dep}.d, list_sum([hosp, rea, dc]) FROM ${R}` },
  { name: 'no relation at all', sql: `SELECT 1 + 1 AS deux, 'c''est' AS texte` },
  {
    name: 'a CTE named like another contract’s table',
    sql: `WITH ${OTHER_CONTRACT_RELATION} AS (SELECT dep FROM ${R}) SELECT * FROM ${OTHER_CONTRACT_RELATION}`,
  },
  {
    name: `an IN list of ${MAX_IN_VALUES} values`,
    sql: `SELECT * FROM ${R} WHERE hosp IN (${Array.from({ length: MAX_IN_VALUES - 1 }, (_, i) => i).join(', ')})`,
  },
];

let parser: SqlParser;
let instance: DuckDBInstance;
let data: DuckDBConnection;

beforeAll(async () => {
  parser = await openSqlParser();
  // Where accepted renderings are run: a table shaped like the engine's view of the grant.
  instance = await DuckDBInstance.create(':memory:');
  data = await instance.connect();
  await data.run(`CREATE TABLE ${RELATION} (dep VARCHAR, sexe INTEGER, jour DATE, hosp INTEGER, rea INTEGER, rad INTEGER, dc INTEGER)`);
  await data.run(
    `INSERT INTO ${RELATION} VALUES ('31', 0, DATE '2020-04-01', 120, 30, 10, 4), ('31', 1, DATE '2020-04-01', 70, 20, 5, 3), ('34', 0, DATE '2020-04-02', 90, 25, 8, 2)`,
  );
});

afterAll(() => {
  parser.close();
  data.closeSync();
  instance.closeSync();
});

describe('escape attempts', () => {
  it('are many and each is named once', () => {
    expect(SQL_ESCAPES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(SQL_ESCAPES.map((e) => e.name)).size).toBe(SQL_ESCAPES.length);
  });

  it.each(SQL_ESCAPES)('refuses $name ($refusal)', async ({ sql, refusal, mentions }) => {
    const check = await checkSql(sql(RELATION), GRANT, parser);
    expect(check).toMatchObject({ ok: false, refusal });
    if (check.ok) return;
    expect(check.message).toMatch(/^[A-ZÀ-Ý]/);
    // French, whatever DuckDB's own message was.
    expect(check.message).toMatch(/(^|\s)(la|le|les|des|une|pas|est|sont|au|par|ne|n’est)\s/i);
    if (mentions) expect(check.message).toContain(mentions);
  });

  it('uses every refusal code', () => {
    expect(new Set(SQL_ESCAPES.map((e) => e.refusal))).toEqual(new Set(SQL_REFUSALS));
  });
});

describe('legitimate queries', () => {
  it.each(LEGITIMATE)('accepts $name, and its rendering runs', async ({ sql }) => {
    const check = await checkSql(sql, GRANT, parser);
    expect(check).toMatchObject({ ok: true });
    if (!check.ok) return;
    await expect(data.runAndReadAll(check.sql)).resolves.toBeDefined();
  });
});

describe('what reaches the engine', () => {
  it('is DuckDB’s rendering of the tree, without the comments or the quoting of the text', async () => {
    const check = await checkSql(`SELECT "dep" /* ; DROP VIEW x */ FROM ${R} -- ' ; ATTACH\nWHERE dep = $$31$$`, GRANT, parser);
    expect(check).toEqual({ ok: true, sql: `SELECT dep FROM ${R} WHERE (dep = '31')` });
  });

  it('keeps integers beyond 2⁵³ exactly', async () => {
    const check = await checkSql(`SELECT 9007199254740993 AS a, -9223372036854775807 AS b, 18446744073709551615 AS c`, GRANT, parser);
    expect(check.ok && check.sql).toBe('SELECT 9007199254740993 AS a, -9223372036854775807 AS b, 18446744073709551615 AS c');
  });

  it('keeps decimals and doubles as written', async () => {
    const check = await checkSql(`SELECT 2.50 AS a, 1e300 AS b, 0.1 AS c`, GRANT, parser);
    expect(check).toEqual({ ok: true, sql: 'SELECT 2.50 AS a, 1e+300 AS b, 0.1 AS c' });
  });

  it('refuses what DuckDB cannot read back (a double out of range)', async () => {
    expect(await checkSql(`SELECT 1e400 AS a`, GRANT, parser)).toMatchObject({ ok: false, refusal: 'not_allowed' });
  });

  it('keeps strings that look like numbers or JSON as strings', async () => {
    const tricky = `x"}],"y":123456789012345678901,"z":"\\`;
    const check = await checkSql(`SELECT '${tricky}' AS s, '12345678901234567890' AS n`, GRANT, parser);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    const rows = (await data.runAndReadAll(check.sql)).getRowObjectsJS();
    expect(rows).toEqual([{ s: tricky, n: '12345678901234567890' }]);
  });
});

describe('limits', () => {
  it.each([
    { name: 'text at the length limit', sql: `SELECT 1 /*${'x'.repeat(MAX_SQL_LENGTH - 13)}*/`, ok: true },
    { name: 'text one character over', sql: `SELECT 1 /*${'x'.repeat(MAX_SQL_LENGTH - 12)}*/`, ok: false },
    {
      name: `an IN list of ${MAX_IN_VALUES} values`,
      sql: `SELECT 1 WHERE 1 IN (${Array.from({ length: MAX_IN_VALUES }, (_, i) => i).join(',')})`,
      ok: false,
    },
    { name: '40 nested parentheses', sql: `SELECT ${'abs('.repeat(40)}1${')'.repeat(40)}`, ok: true },
    { name: '2 000 chained additions', sql: `SELECT 1${' + 1'.repeat(2000)}`, ok: false },
  ])('$name: accepted = $ok', async ({ sql, ok }) => {
    const check = await checkSql(sql, GRANT, parser);
    expect(check.ok).toBe(ok);
    if (!check.ok) expect(check.refusal).toBe('too_complex');
  });
});

describe('the parser', () => {
  it('reports syntax errors with their position, in French', async () => {
    const check = await checkSql(`SELECT dep FROM ${R} WHERE`, GRANT, parser);
    expect(check).toMatchObject({ ok: false, refusal: 'syntax' });
    expect(!check.ok && check.message).toMatch(/^La requête SQL n’a pas pu être analysée \(caractère \d+\)/);
  });

  it.each([
    { name: 'empty text', sql: '' },
    { name: 'only a semicolon', sql: ';' },
    { name: 'only a comment', sql: '-- rien' },
  ])('refuses $name as syntax', async ({ sql }) => {
    expect(await checkSql(sql, GRANT, parser)).toMatchObject({ ok: false, refusal: 'syntax' });
  });

  it('answers concurrent checks each with its own result', async () => {
    const texts = Array.from({ length: 30 }, (_, i) => (i % 2 ? `SELECT ${i} AS n FROM ${R}` : `SELECT * FROM read_csv('/tmp/${i}')`));
    const checks = await Promise.all(texts.map((t) => checkSql(t, GRANT, parser)));
    checks.forEach((check, i) =>
      expect(check).toEqual(
        i % 2 ? { ok: true, sql: `SELECT ${i} AS n FROM ${R}` } : expect.objectContaining({ refusal: 'table_function' }),
      ),
    );
  });

  it('refuses a relation that is not granted even when another grant has it', async () => {
    const other: SqlRelation[] = [{ name: OTHER_CONTRACT_RELATION, columns: ['siret'] }];
    expect(await checkSql(`SELECT * FROM ${R}`, other, parser)).toMatchObject({ ok: false, refusal: 'unknown_relation' });
    expect(await checkSql(`SELECT * FROM ${OTHER_CONTRACT_RELATION}`, other, parser)).toMatchObject({ ok: true });
  });
});

import { randomUUID } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { MAX_IN_VALUES, MAX_SQL_LENGTH } from '@confiance/contract';

/**
 * The restricted SQL dialect consumers may send: one read-only SELECT over the views of their grant.
 *
 * The sandbox that runs the query is locked, but one folder in it stays writable (the result spool)
 * and its relations are the files of other datasets' versions too: the lock bounds the damage, this
 * checker is the barrier. The text is parsed by DuckDB itself (what we check is what DuckDB will
 * understand, not what a home-made grammar thinks it said), the tree is walked against allow-lists
 * — any node kind, operator or function not listed is refused, so a DuckDB upgrade that adds syntax
 * adds refusals, not holes — and what reaches the engine is DuckDB's own rendering of the checked
 * tree, never the user's text: comments, quoting and Unicode tricks have nothing left to hide in.
 */

export interface SqlRelation {
  /** The view's name as the engine creates it: the granted table's name. */
  name: string;
  columns: readonly string[];
}

export const SQL_REFUSALS = [
  'syntax',
  'not_select',
  'multiple_statements',
  'unknown_relation',
  'table_function',
  'function_not_allowed',
  'recursive',
  'too_complex',
  'not_allowed',
] as const;
export type SqlRefusal = (typeof SQL_REFUSALS)[number];

export type SqlCheck = { ok: true; sql: string } | { ok: false; refusal: SqlRefusal; message: string };

export interface SqlParser {
  /** DuckDB's `json_serialize_sql` of `text`, parsed. */
  parse(text: string): Promise<unknown>;
  /** DuckDB's `json_deserialize_sql` of a tree in `parse`'s format. */
  render(tree: unknown): Promise<string>;
  close(): void;
}

/** Most tree nodes (expressions, query nodes, table references, modifiers) in one query. */
export const MAX_SQL_NODES = 5000;
/** Deepest nesting of nodes: legitimate analytics stay far below; deeper is a parser or planner attack. */
export const MAX_SQL_DEPTH = 64;
/** A parser instance needs little: it never reads data. */
const PARSER_MEMORY_LIMIT = '64MB';

/**
 * Opens a DuckDB that only parses and renders. It is locked like every DuckDB in Confiance, more
 * tightly still: no readable path at all, no extension loading. It never runs the user's text —
 * the text is a bound parameter of `json_serialize_sql` — but DuckDB's parser is C++ fed with
 * hostile input, and a bug there must find nothing to reach.
 */
export async function openSqlParser(): Promise<SqlParser> {
  const instance = await DuckDBInstance.create(':memory:');
  let connection: DuckDBConnection;
  let serialize: DuckDBPreparedStatement;
  let deserialize: DuckDBPreparedStatement;
  try {
    connection = await instance.connect();
    for (const statement of [
      `SET memory_limit = '${PARSER_MEMORY_LIMIT}'`,
      `SET threads = 1`,
      `SET temp_directory = ''`,
      `SET enable_progress_bar = false`,
      `SET enable_external_access = false`,
      `SET autoinstall_known_extensions = false`,
      `SET autoload_known_extensions = false`,
      `SET lock_configuration = true`,
    ])
      await connection.run(statement);
    // The cast gives the parameter a type at preparation; the text itself is only ever bound.
    serialize = await connection.prepare('SELECT json_serialize_sql($1::VARCHAR) AS tree');
    deserialize = await connection.prepare('SELECT json_deserialize_sql($1::VARCHAR) AS sql');
  } catch (error) {
    instance.closeSync();
    throw error;
  }

  // One connection, one statement at a time: prepared statements are not safe to share between
  // concurrent runs, and parsing takes well under a millisecond.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const scalar = async (statement: DuckDBPreparedStatement, value: string): Promise<string> =>
    exclusive(async () => {
      statement.bindVarchar(1, value);
      const rows = (await statement.runAndReadAll()).getRows();
      const result = rows[0]?.[0];
      if (typeof result !== 'string') throw new Error('DuckDB returned no text');
      return result;
    });

  // DuckDB's JSON numbers do not survive a trip through JavaScript numbers: 64-bit integers are
  // rounded (every FROM-less SELECT carries an unknown location, 2⁶⁴ − 1) and `50.0` comes back as
  // `50`, which DuckDB then refuses where it expects a double. Numbers travel as tagged strings
  // instead, so a rendered tree holds exactly what was parsed. The tag is unguessable, so no string
  // constant of the query can pass for one.
  const tag = `num-${randomUUID()}:`;
  const untag = new RegExp(`"${tag}(-?(?:Infinity|NaN|[-+.0-9eE]+))"`, 'g');
  return {
    parse: async (text) => JSON.parse(tagNumbers(await scalar(serialize, text), tag)) as unknown,
    render: (tree) => scalar(deserialize, JSON.stringify(tree).replace(untag, '$1')),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Checks `text` against the dialect and the relations the grant exposes. On success `sql` is what
 * the engine must run (DuckDB's rendering of the checked tree); on refusal `message` is French and
 * names what was refused.
 */
export async function checkSql(text: string, relations: readonly SqlRelation[], parser: SqlParser): Promise<SqlCheck> {
  try {
    if (text.length > MAX_SQL_LENGTH)
      throw new Refusal('too_complex', `La requête dépasse ${MAX_SQL_LENGTH} caractères : raccourcissez-la.`);
    const statement = singleStatement(await parser.parse(text), text);
    const granted = new Set(relations.map((r) => r.name.toLowerCase()));
    new Walker(granted).statement(statement);

    const checked = { error: false, statements: [statement] };
    let sql: string;
    try {
      sql = await parser.render(checked);
    } catch {
      // DuckDB cannot read back all it writes (a double out of range is written `Infinity`).
      throw unrewritable();
    }
    // The engine runs the rendering alone and inside its own statements (`COPY (…) TO …`). DuckDB's
    // renderer is not written as a security boundary: if it ever printed something that reads back
    // differently (a string or an identifier quoted wrongly), the engine would run a query nobody
    // checked. So the rendering must read back, alone and in parentheses, as exactly the checked tree.
    for (const form of [sql, `(${sql})`]) {
      const reread = await parser.parse(form);
      if (!isRecord(reread) || reread.error !== false || !sameTree(reread.statements, checked.statements)) throw unrewritable();
    }
    return { ok: true, sql };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, refusal: error.refusal, message: error.message };
    throw error;
  }
}

/** A JSON number, or the infinities DuckDB writes for doubles out of range (`1e400`), which JSON has not. */
const JSON_NUMBER = /-?(?:Infinity|NaN|[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)/y;

/** `json` with each number JavaScript would not write back the same turned into the string `"<tag><number>"`. */
function tagNumbers(json: string, tag: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < json.length;) {
    const c = json[i]!;
    if (c === '"') {
      // Skip the string, escapes included: digits inside strings are text, not numbers.
      for (i++; i < json.length && json[i] !== '"'; i++) if (json[i] === '\\') i++;
      i++;
    } else if (c === '-' || c === 'I' || c === 'N' || (c >= '0' && c <= '9')) {
      JSON_NUMBER.lastIndex = i;
      const token = JSON_NUMBER.exec(json)?.[0] ?? c;
      const number = Number(token);
      if (!Number.isFinite(number) || String(number) !== token) {
        out += `${json.slice(copied, i)}"${tag}${token}"`;
        copied = i + token.length;
      }
      i += token.length;
    } else {
      i++;
    }
  }
  return out + json.slice(copied);
}

class Refusal extends Error {
  override readonly name = 'Refusal';
  constructor(
    readonly refusal: SqlRefusal,
    message: string,
  ) {
    super(message);
  }
}

type Node = Record<string, unknown>;

function isRecord(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function singleStatement(parsed: unknown, text: string): Node {
  if (!isRecord(parsed)) throw new Error('json_serialize_sql returned no object');
  if (parsed.error !== false) {
    const detail = typeof parsed.error_message === 'string' ? parsed.error_message : '';
    // The only non-syntax failure: json_serialize_sql serializes SELECT statements and nothing else,
    // so SET, PRAGMA, COPY, ATTACH, INSERT, CREATE, INSTALL… all end here.
    if (detail.includes('Only SELECT statements')) {
      // DuckDB refuses the whole text without saying how many statements it held.
      const count = countStatements(text);
      if (count > 1) throw multipleStatements(count);
      throw new Refusal('not_select', 'Seules les requêtes SELECT sont permises : pas de modification, de configuration ni de commande.');
    }
    if (detail.includes('expression depth'))
      throw new Refusal('too_complex', `La requête est trop imbriquée (au plus ${MAX_SQL_DEPTH} niveaux).`);
    const position = typeof parsed.position === 'string' ? ` (caractère ${Number(parsed.position) + 1})` : '';
    throw new Refusal('syntax', `La requête SQL n’a pas pu être analysée${position} : ${detail || 'erreur de syntaxe'}.`);
  }
  const statements = Array.isArray(parsed.statements) ? parsed.statements : [];
  if (statements.length === 0) throw new Refusal('syntax', 'La requête est vide : écrivez une requête SELECT.');
  if (statements.length !== 1) throw multipleStatements(statements.length);
  const statement: unknown = statements[0];
  if (!isRecord(statement)) throw new Error('json_serialize_sql returned a statement that is no object');
  return statement;
}

function unrewritable(): Refusal {
  return new Refusal(
    'not_allowed',
    'Cette requête ne se laisse pas réécrire à l’identique pour être exécutée : simplifiez-la (valeurs numériques ordinaires, identifiants et chaînes sans caractères inhabituels).',
  );
}

function multipleStatements(count: number): Refusal {
  return new Refusal('multiple_statements', `Une seule requête est permise par envoi : le texte en contient ${count}, séparées par « ; ».`);
}

/**
 * Statements in `text`, counted by its semicolons outside strings, quoted names and comments. It
 * only words a refusal DuckDB has already made (any statement but SELECT fails to serialize), so
 * a text that fools it is refused all the same.
 */
function countStatements(text: string): number {
  let count = 0;
  let content = false;
  let i = 0;
  const skipTo = (end: string, from: number) => {
    const at = text.indexOf(end, from);
    return at < 0 ? text.length : at + end.length;
  };
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      i = skipTo('\n', i + 2);
    } else if (c === '/' && next === '*') {
      // Block comments nest, as in PostgreSQL.
      let depth = 1;
      for (i += 2; i < text.length && depth > 0; i++) {
        if (text.startsWith('/*', i)) {
          depth++;
          i++;
        } else if (text.startsWith('*/', i)) {
          depth--;
          i++;
        }
      }
    } else if (c === ';') {
      if (content) count++;
      content = false;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      content = true;
      if (c === "'" || c === '"') {
        // '' and "" escape themselves; E'…' strings also escape with a backslash.
        const backslash = c === "'" && /[eE]/.test(text[i - 1] ?? '');
        for (i++; i < text.length; i++) {
          if (backslash && text[i] === '\\') i++;
          else if (text[i] === c) {
            if (text[i + 1] === c) i++;
            else break;
          }
        }
        i++;
      } else if (c === '$') {
        DOLLAR_TAG.lastIndex = i;
        const tag = DOLLAR_TAG.exec(text)?.[0];
        i = tag ? skipTo(tag, i + tag.length) : i + 1;
      } else {
        i++;
      }
    }
  }
  return count + (content ? 1 : 0);
}

const DOLLAR_TAG = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y;

/** Two trees are the same when they differ only by where their nodes were in the text. */
function sameTree(a: unknown, b: unknown): boolean {
  const strip = (value: unknown) => JSON.stringify(value, (key, v: unknown) => (key === 'query_location' ? undefined : v));
  return strip(a) === strip(b);
}

/**
 * Query nodes, as DuckDB names them. RECURSIVE_CTE_NODE is not among them: a recursive CTE is the
 * one way plain SELECT syntax loops, so it is refused as such (a counter that never stops fills
 * memory before any time limit fires).
 */
const QUERY_NODES = new Set(['SELECT_NODE', 'SET_OPERATION_NODE']);

/** Table references that read nothing but what the checker sees (BASE_TABLE is checked by name). */
const PLAIN_TABLE_REFS = new Set(['JOIN', 'SUBQUERY', 'EMPTY']);

/** Nodes that only arrange their children: result modifiers and ORDER BY terms. */
const ARRANGING_NODES = new Set([
  'ORDER_MODIFIER',
  'LIMIT_MODIFIER',
  'LIMIT_PERCENT_MODIFIER',
  'DISTINCT_MODIFIER',
  'ORDER_DEFAULT',
  'ASCENDING',
  'DESCENDING',
]);

/** Expression classes with no power of their own: their children are checked like any node. */
const PLAIN_EXPRESSIONS = new Set([
  'COLUMN_REF',
  'CONSTANT',
  'COMPARISON',
  'CONJUNCTION',
  'CASE',
  'CAST',
  'BETWEEN',
  'SUBQUERY',
  'STAR',
  'COLLATE',
  'POSITIONAL_REFERENCE',
]);

/** OPERATOR expressions (their `type`): logic, NULL tests, IN lists, list and struct access. */
const OPERATORS = new Set([
  'OPERATOR_NOT',
  'OPERATOR_IS_NULL',
  'OPERATOR_IS_NOT_NULL',
  'OPERATOR_COALESCE',
  'OPERATOR_TRY',
  'COMPARE_IN',
  'COMPARE_NOT_IN',
  'ARRAY_EXTRACT',
  'ARRAY_SLICE',
  'ARRAY_CONSTRUCTOR',
  'STRUCT_EXTRACT',
  'GROUPING_FUNCTION',
]);

/**
 * Functions DuckDB's own parser writes with the `main` schema (`[1, 2]` is `main.list_value`,
 * `EXTRACT(year FROM d)` is `main.date_part`…). Any other qualified name is refused: a schema or
 * catalog reaches functions outside this list's view (`system.main.…`, `pg_catalog.…`), and
 * DuckDB reads `x.f()` as a method call whose meaning depends on what `x` turns out to be.
 */
const PARSER_QUALIFIED = new Set([
  'list_value',
  'struct_pack',
  'row',
  'map',
  'date_part',
  'position',
  'substring',
  'trim',
  'timezone',
  'like_escape',
  'not_like_escape',
  'ilike_escape',
  'not_ilike_escape',
]);

/**
 * Functions a consumer may call: operators, arithmetic, text, dates, conditionals, lists and structs
 * of values, aggregates and window functions — everything computes on the values of the rows in
 * hand. Left out on purpose: whatever reads files, settings, the catalog, variables, sequences or
 * the session (read_*, glob, current_setting, getenv, getvariable, nextval, duckdb_*, pragma_*,
 * query, json_execute_serialized_sql, json_(de)serialize_sql, stats, current_query…), whatever
 * waits or logs (sleep_ms, pg_sleep, write_log), whatever builds unbounded lists from nothing
 * (range, generate_series, repeat), functions taking lambdas (refused as lambdas anyway), and the
 * internals (__internal_*, finalize, combine, make_type, cast_to_type…).
 */
const ALLOWED_FUNCTIONS = new Set(
  [
    // Operators, as DuckDB names the functions behind them.
    '+ - * / // % ** ^ @ !__postfix & | ~ << >> || ~~ !~~ ~~* !~~* ~~~ ^@ ->> @> <@ && <-> <=> add subtract multiply divide',
    'fdiv fmod mod xor',
    // Mathematics.
    'abs acos acosh asin asinh atan atan2 atanh bit_count cbrt ceil ceiling cos cosh cot degrees even exp factorial floor',
    'gamma gcd greatest_common_divisor isfinite isinf isnan lcm least_common_multiple lgamma ln log log10 log2 nextafter pi',
    'pow power radians round round_even roundbankers sign signbit sin sinh sqrt tan tanh trunc',
    // Conditionals.
    'coalesce ifnull nvl nullif greatest least',
    // Text.
    'ascii bit_length char_length character_length chr concat concat_ws contains damerau_levenshtein ends_with format',
    'hamming ilike_escape instr jaccard jaro_similarity jaro_winkler_similarity lcase left left_grapheme len length',
    'length_grapheme levenshtein like_escape lower lpad ltrim md5 mismatches nfc_normalize not_ilike_escape not_like_escape',
    'octet_length ord position prefix printf regexp_escape regexp_extract regexp_extract_all regexp_full_match',
    'regexp_matches regexp_replace regexp_split_to_array replace reverse right right_grapheme rpad rtrim split split_part',
    'starts_with str_split str_split_regex string_split string_split_regex string_to_array strip_accents strlen strpos',
    'substr substring substring_grapheme suffix translate trim ucase unicode upper',
    // Dates and times.
    'age century date_add date_diff date_part date_sub date_trunc datediff datepart datesub datetrunc day dayname',
    'dayofmonth dayofweek dayofyear days_in_month decade epoch epoch_ms epoch_ns epoch_us era hour isodow isoyear julian',
    'last_day make_date make_time make_timestamp make_timestamp_ms make_timestamp_ns make_timestamptz microsecond',
    'millennium millisecond minute month monthname nanosecond normalized_interval quarter second strftime strptime',
    'time_bucket timezone timezone_hour timezone_minute to_centuries to_days to_decades to_hours to_microseconds',
    'to_millennia to_milliseconds to_minutes to_months to_quarters to_seconds to_timestamp to_weeks to_years try_strptime',
    'week weekday weekofyear year yearweek now today get_current_time get_current_timestamp transaction_timestamp',
    // Lists, structs and maps of values.
    'array_cat array_concat array_contains array_distinct array_extract array_has array_has_all array_has_any array_indexof',
    'array_intersect array_length array_position array_reverse_sort array_slice array_sort array_to_string array_unique',
    'array_value cardinality element_at flatten list_avg list_cat list_concat list_contains list_count list_distinct',
    'list_element list_extract list_has list_has_all list_has_any list_indexof list_intersect list_max list_median list_min',
    'list_pack list_position list_reverse_sort list_slice list_sort list_sum list_unique list_value map map_entries',
    'map_extract map_from_entries map_keys map_values row struct_extract struct_pack unnest',
    // JSON values (not files).
    'json_array_length json_extract json_extract_string json_keys json_type json_valid json_value to_json',
    // Other.
    'typeof',
    // Aggregates.
    'any_value approx_count_distinct approx_quantile approx_top_k arbitrary arg_max arg_min argmax argmin array_agg avg',
    'bit_and bit_or bit_xor bool_and bool_or corr count count_if count_star countif covar_pop covar_samp entropy favg first',
    'fsum geomean geometric_mean group_concat histogram kahan_sum kurtosis kurtosis_pop last list listagg mad max max_by',
    'mean median min min_by mode product quantile quantile_cont quantile_disc regr_avgx regr_avgy regr_count regr_intercept',
    'regr_r2 regr_slope regr_sxx regr_sxy regr_syy reservoir_quantile sem skewness stddev stddev_pop stddev_samp string_agg',
    'sum sumkahan var_pop var_samp variance wavg weighted_avg',
    // Window functions.
    'row_number rank dense_rank rank_dense percent_rank cume_dist ntile lag lead first_value last_value nth_value',
  ].flatMap((names) => names.split(' ')),
);

/** CTE names visible at a point of the query, innermost WITH first. */
interface Scope {
  readonly names: ReadonlySet<string>;
  readonly parent: Scope | null;
}

function inScope(scope: Scope | null, name: string): boolean {
  for (let s = scope; s; s = s.parent) if (s.names.has(name)) return true;
  return false;
}

/**
 * Walks every value of the tree. Each object carrying a `class` (an expression) or a `type` (a
 * query node, a table reference, a modifier, a type description) is judged against the lists
 * above; plain containers (a constant's value, a CTE entry, sample options) are walked through, so
 * no field is skipped because it was not foreseen.
 */
class Walker {
  private nodes = 0;

  constructor(private readonly granted: ReadonlySet<string>) {}

  statement(statement: Node): void {
    const node = statement.node;
    if (!isRecord(node)) throw new Refusal('not_select', 'Seules les requêtes SELECT sont permises.');
    this.value(statement, null, 0);
  }

  private value(value: unknown, scope: Scope | null, depth: number): void {
    if (Array.isArray(value)) {
      // IN lists, VALUES rows, select lists, CASE branches…: the planner's cost grows with them.
      if (value.length > MAX_IN_VALUES)
        throw new Refusal('too_complex', `Une liste de la requête compte ${value.length} éléments : au plus ${MAX_IN_VALUES} sont permis.`);
      for (const item of value) this.value(item, scope, depth);
      return;
    }
    if (!isRecord(value)) return;
    if (typeof value.class === 'string') return this.expression(value, scope, this.enter(depth));
    if (typeof value.type === 'string') return this.typed(value, value.type, scope, this.enter(depth));
    this.children(value, scope, depth);
  }

  private enter(depth: number): number {
    if (++this.nodes > MAX_SQL_NODES)
      throw new Refusal('too_complex', `La requête est trop longue : au plus ${MAX_SQL_NODES} éléments (colonnes, valeurs, opérations).`);
    if (depth + 1 > MAX_SQL_DEPTH) throw new Refusal('too_complex', `La requête est trop imbriquée : au plus ${MAX_SQL_DEPTH} niveaux.`);
    return depth + 1;
  }

  private children(node: Node, scope: Scope | null, depth: number, skip?: string): void {
    for (const [key, child] of Object.entries(node)) if (key !== skip) this.value(child, scope, depth);
  }

  private typed(node: Node, type: string, scope: Scope | null, depth: number): void {
    if (QUERY_NODES.has(type)) return this.query(node, scope, depth);
    if (type === 'RECURSIVE_CTE_NODE')
      throw new Refusal('recursive', 'Les requêtes récursives (WITH RECURSIVE) ne sont pas permises : elles peuvent boucler sans fin.');
    if (type === 'BASE_TABLE') return this.baseTable(node, scope, depth);
    if (type === 'TABLE_FUNCTION') {
      const fn = isRecord(node.function) ? node.function.function_name : undefined;
      throw new Refusal(
        'table_function',
        `La fonction « ${typeof fn === 'string' ? fn : '?'} » n’est pas permise dans FROM : seules les relations accordées par le contrat sont lisibles.`,
      );
    }
    if (PLAIN_TABLE_REFS.has(type) || ARRANGING_NODES.has(type) || type.endsWith('_TYPE_INFO')) return this.children(node, scope, depth);
    if (type === 'PIVOT')
      throw new Refusal('not_allowed', 'PIVOT et UNPIVOT ne sont pas permis : écrivez l’agrégation avec GROUP BY et CASE.');
    // Harmless, but DuckDB renders VALUES in a form that does not read back as the same tree.
    if (type === 'EXPRESSION_LIST')
      throw new Refusal('not_allowed', 'Les listes VALUES ne sont pas permises dans FROM : utilisez IN (…) ou CASE.');
    if (type === 'SHOW_REF')
      throw new Refusal(
        'not_allowed',
        'DESCRIBE, SHOW et SUMMARIZE ne sont pas permis : les colonnes accordées sont décrites par le contrat.',
      );
    throw new Refusal('not_allowed', `Cette construction SQL (${type}) n’est pas permise.`);
  }

  private query(node: Node, outer: Scope | null, depth: number): void {
    // A CTE sees the CTEs written before it, and the query after WITH sees them all. Resolving names
    // by their real scope matters: a name outside its CTE's scope is read by DuckDB as a table or a
    // file (`"/etc/passwd"`), so a CTE named like a file must not vouch for that name elsewhere.
    let scope = outer;
    const cteMap = isRecord(node.cte_map) ? node.cte_map.map : undefined;
    if (Array.isArray(cteMap)) {
      if (cteMap.length > MAX_IN_VALUES) throw new Refusal('too_complex', `La requête définit trop de CTE (au plus ${MAX_IN_VALUES}).`);
      for (const entry of cteMap) {
        if (!isRecord(entry) || typeof entry.key !== 'string') throw new Refusal('not_allowed', 'Cette clause WITH n’est pas permise.');
        const cte = entry.value;
        if (isRecord(cte) && Array.isArray(cte.key_targets) && cte.key_targets.length > 0)
          throw new Refusal('recursive', 'Les requêtes récursives (WITH RECURSIVE … USING KEY) ne sont pas permises.');
        this.value(cte, scope, depth);
        scope = { names: new Set([entry.key.toLowerCase()]), parent: scope };
      }
    } else if (node.cte_map !== undefined) {
      throw new Refusal('not_allowed', 'Cette clause WITH n’est pas permise.');
    }
    this.children(node, scope, depth, 'cte_map');
  }

  private baseTable(node: Node, scope: Scope | null, depth: number): void {
    const name = typeof node.table_name === 'string' ? node.table_name : '';
    const schema = typeof node.schema_name === 'string' ? node.schema_name : '?';
    const catalog = typeof node.catalog_name === 'string' ? node.catalog_name : '?';
    const shown = [catalog, schema, name].filter(Boolean).join('.');
    // A name DuckDB does not find in its catalog is tried as a file ("/etc/passwd", 'x.parquet'),
    // and a qualified one reaches other schemas (system.main.duckdb_tables, information_schema,
    // pg_catalog): only bare names of granted views or of CTEs in scope get through.
    const known = schema === '' && catalog === '' && (inScope(scope, name.toLowerCase()) || this.granted.has(name.toLowerCase()));
    if (!known)
      throw new Refusal(
        'unknown_relation',
        `La relation « ${shown} » n’est pas accordée par le contrat : seules ses tables sont lisibles, par leur nom seul, sans schéma.`,
      );
    if (node.at_clause !== null && node.at_clause !== undefined)
      throw new Refusal('not_allowed', `La lecture d’une version passée de « ${name} » (AT …) n’est pas permise.`);
    this.children(node, scope, depth);
  }

  private expression(node: Node, scope: Scope | null, depth: number): void {
    const kind = node.class as string;
    if (PLAIN_EXPRESSIONS.has(kind)) return this.children(node, scope, depth);
    if (kind === 'OPERATOR') {
      if (typeof node.type === 'string' && OPERATORS.has(node.type)) return this.children(node, scope, depth);
      throw new Refusal('not_allowed', `L’opérateur ${String(node.type)} n’est pas permis.`);
    }
    if (kind === 'FUNCTION' || kind === 'WINDOW') {
      this.function(node);
      return this.children(node, scope, depth);
    }
    if (kind === 'PARAMETER')
      throw new Refusal('not_allowed', 'Les paramètres ($1, ?, $nom) ne sont pas permis : écrivez les valeurs dans la requête.');
    if (kind === 'LAMBDA')
      throw new Refusal(
        'not_allowed',
        'Les fonctions lambda (x -> …) ne sont pas permises ; pour un champ JSON, utilisez ->> ou json_extract.',
      );
    throw new Refusal('not_allowed', `Cette expression (${kind}) n’est pas permise.`);
  }

  private function(node: Node): void {
    if (Array.isArray(node.children) && node.children.some((child) => isRecord(child) && child.class === 'LAMBDA'))
      throw new Refusal(
        'not_allowed',
        'Les fonctions lambda (x -> …) ne sont pas permises ; pour un champ JSON, utilisez ->> ou json_extract.',
      );
    const name = typeof node.function_name === 'string' ? node.function_name.toLowerCase() : '';
    const schema = typeof node.schema === 'string' ? node.schema : '?';
    const catalog = typeof node.catalog === 'string' ? node.catalog : '?';
    const qualified = catalog !== '' || (schema !== '' && !(schema === 'main' && PARSER_QUALIFIED.has(name)));
    if (qualified)
      throw new Refusal(
        'function_not_allowed',
        `La fonction « ${[catalog, schema, name].filter(Boolean).join('.')} » n’est pas permise : appelez les fonctions par leur nom seul, sans schéma (lower(x) plutôt que x.lower()).`,
      );
    if (!ALLOWED_FUNCTIONS.has(name))
      throw new Refusal(
        'function_not_allowed',
        `La fonction « ${name} » n’est pas permise : seules les fonctions de calcul, de texte, de date et d’agrégation le sont ; seules les relations accordées par le contrat sont lisibles.`,
      );
    // An exported aggregate state is an internal binary value, of no use to an analysis.
    if (node.export_state === true) throw new Refusal('not_allowed', 'EXPORT_STATE n’est pas permis.');
  }
}

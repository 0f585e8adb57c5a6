import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { z } from 'zod';
import { FACETS, type Facet, type datasetSearch } from '@confiance/contract';
import type { Executor } from '../../platform/context';
import type { DatasetsTable } from '../../platform/db/schema';

/**
 * Catalog search: French full text (the `confiance_fr` configuration: french stemmer behind
 * unaccent, see the catalog migration) with facets, answered in one SQL statement.
 */

export interface SearchDocumentFields {
  titleFr: string;
  titleEn: string | null;
  keywords: string[];
  descriptionFr: string;
  publisherName: string;
  /** Names of the spatial areas (« Hérault », « Montpellier »). */
  places: string[];
}

/**
 * The tsvector stored in `datasets.search`, for `.values({ search })` / `.set({ search })`: titles
 * weigh A, keywords, publisher and places B, the description C. Each part is its own tsvector so
 * that a phrase never runs from one field into the next.
 */
export function searchDocument(fields: SearchDocumentFields): RawBuilder<unknown> {
  const part = (text: string, weight: 'A' | 'B' | 'C') => sql`setweight(to_tsvector('confiance_fr', ${text}::text), ${sql.lit(weight)})`;
  return sql`(${sql.join(
    [
      part(fields.titleFr, 'A'),
      part(fields.titleEn ?? '', 'A'),
      ...fields.keywords.map((k) => part(k, 'B')),
      part(fields.publisherName, 'B'),
      ...fields.places.map((p) => part(p, 'B')),
      part(fields.descriptionFr, 'C'),
    ],
    sql` || `,
  )})`;
}

export type SearchQuery = z.output<typeof datasetSearch>;
type Sort = NonNullable<SearchQuery['sort']>;

/** What a result page needs to present a dataset summary. */
export type SearchRow = Pick<
  Selectable<DatasetsTable>,
  | 'id'
  | 'slug'
  | 'organisation_id'
  | 'status'
  | 'access_level'
  | 'licence'
  | 'title_fr'
  | 'title_en'
  | 'description_fr'
  | 'themes'
  | 'domains'
  | 'keywords'
  | 'departements'
  | 'frequency'
  | 'formats'
  | 'current_version'
  | 'issued'
  | 'modified'
> & { publisher_slug: string; publisher_name: string };

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchResult {
  rows: SearchRow[];
  total: number;
  facets: Record<Facet, FacetCount[]>;
}

/**
 * How each facet filters a row, and how its values are counted over rows named `m`. Values are OR'ed
 * within a facet (`&&` is array overlap), facets AND'ed with each other.
 */
const FACET_SQL: Record<
  Facet,
  { filter: (values: string[], row: string) => RawBuilder<boolean>; count: (from: RawBuilder<unknown>) => RawBuilder<unknown> }
> = {
  theme: arrayFacet('theme', 'themes'),
  domain: arrayFacet('domain', 'domains'),
  departement: arrayFacet('departement', 'departements'),
  format: arrayFacet('format', 'formats'),
  licence: scalarFacet('licence', 'licence'),
  accessLevel: scalarFacet('accessLevel', 'access_level'),
  frequency: scalarFacet('frequency', 'frequency'),
  publisher: {
    filter: (slugs, row) =>
      sql<boolean>`${sql.ref(`${row}.organisation_id`)} in (select id from organisations where slug = any(${slugs}::text[]))`,
    // Counted per organisation id first: only the few distinct ids need their slug.
    count: (from) => sql`
        select 'publisher' as facet, o.slug as value, c.n as count
        from (select m.organisation_id, count(*)::int as n from ${from} group by m.organisation_id) c
        join organisations o on o.id = c.organisation_id`,
  },
};

function arrayFacet(facet: Facet, column: 'themes' | 'domains' | 'departements' | 'formats') {
  const ref = sql.ref(`m.${column}`);
  return {
    filter: (values: string[], row: string) => sql<boolean>`${sql.ref(`${row}.${column}`)} && ${values}::text[]`,
    count: (from: RawBuilder<unknown>) =>
      // unnest in the select list (one ProjectSet node) costs half a lateral join with a function scan.
      sql`select ${sql.lit(facet)} as facet, v as value, count(*)::int as count from (select unnest(${ref}) as v from ${from}) u group by v`,
  };
}

function scalarFacet(facet: Facet, column: 'licence' | 'access_level' | 'frequency') {
  const ref = sql.ref(`m.${column}`);
  return {
    filter: (values: string[], row: string) => sql<boolean>`${sql.ref(`${row}.${column}`)} = any(${values}::text[])`,
    count: (from: RawBuilder<unknown>) =>
      sql`select ${sql.lit(facet)} as facet, ${ref} as value, count(*)::int as count from ${from} where ${ref} is not null group by ${ref}`,
  };
}

/**
 * The last word of a plain query (no quotes, no `or`, no `-`negation), searched as a prefix while
 * the user types: « qualité de l'air montp » finds Montpellier. Four letters at least: shorter
 * words are mostly complete ones (« air », « eau », « bus »), and a prefix that short would reach
 * a large part of the catalog (GIN collects every lexeme under a prefix, which costs in proportion).
 * Only letters and digits are returned, so the word cannot carry tsquery operators.
 */
export function prefixWord(q: string): { head: string; word: string } | null {
  if (/["]/.test(q) || /(^|\s)or(\s|$)/i.test(q)) return null;
  const match = /(^|[\s'’])([\p{L}\p{N}]{4,})$/u.exec(q);
  if (!match) return null;
  return { head: q.slice(0, q.length - match[2]!.length), word: match[2]! };
}

/**
 * Matches every document: no tsvector holds a lexeme with a space in it. Used when the query has
 * no lexeme at all (only stop words or punctuation): a plain `@@` would then match nothing.
 */
const MATCH_ALL = sql`$$!'match all'$$::tsquery`;

/**
 * The tsquery CTE. `typed` is the query as typed (websearch syntax: words AND'ed, "phrases",
 * `or`, `-word`); `tq` is what rows must match: `typed`, or, for a plain query, the same with its
 * last word as a prefix, or everything. websearch_to_tsquery never raises on user input, whatever
 * its punctuation.
 *
 * The fallback lives inside the tsquery rather than in an `or` (which loses the GIN index) or a
 * `union` branch: the planner then sees one `@@` whose tsquery it evaluates up front and estimates
 * the matches from statistics, where a fallback branch was priced as a full scan on every query
 * (on a server with JIT, that alone compiled the statement: +60 ms on a 30-row answer).
 */
function tsqueries(q: string): { cte: RawBuilder<unknown>; prefix: boolean } {
  const typed = sql`websearch_to_tsquery('confiance_fr', ${q}::text)`;
  const prefix = prefixWord(q);
  if (!prefix)
    return {
      cte: sql`select typed, case when numnode(typed) = 0 then ${MATCH_ALL} else typed end as tq from (select ${typed} as typed) t`,
      prefix: false,
    };
  // A stop word as last word (« pour ») stems to nothing: then the query is used as it is.
  const last = sql`to_tsquery('confiance_fr', ${prefix.word}::text || ':*')`;
  return {
    cte: sql`
      select typed, case
          when numnode(typed) = 0 then ${MATCH_ALL}
          when numnode(last) = 0 then typed
          else websearch_to_tsquery('confiance_fr', ${prefix.head}::text) && last end as tq
      from (select ${typed} as typed, ${last} as last) t`,
    prefix: true,
  };
}

/** What filtering, counting and sorting need: the page's rows are read in full only at the end. */
const matchedColumns = (sort: Sort) =>
  sql`d.id, d.organisation_id, d.themes, d.domains, d.departements, d.formats, d.licence, d.access_level, d.frequency, d.modified${
    sort === 'title' ? sql`, d.title_fr` : sql``
  }`;

/**
 * Searches the catalog: one page of datasets, the total, and the facet counts, in one statement.
 *
 * Facet counts follow the usual shop rule: each facet is counted with every filter applied except
 * its own, so that the values one could add to a facet keep their counts. Selected values are
 * always listed (count 0 when the other filters leave none) so that they can be unselected.
 */
export async function searchDatasets(db: Executor, query: SearchQuery): Promise<SearchResult> {
  // PostgreSQL refuses NUL in text, and no control character means anything in a search.
  const q = query.q?.replace(/\p{Cc}/gu, ' ').trim() || undefined;
  const sort = query.sort ?? (q ? 'relevance' : 'date');
  const columns = matchedColumns(sort);
  const visible = query.includeWithdrawn === 'true' ? sql`true` : sql`d.status <> 'withdrawn'`;

  const selected = FACETS.flatMap((facet) => {
    const values = query[facet];
    return values && values.length > 0 ? [{ facet, values: [...new Set(values)] }] : [];
  });
  /** Every selected facet's filter but `except`'s, on the row named `row`. */
  const filters = (row: string, except?: Facet) => {
    const list = selected.filter((s) => s.facet !== except).map((s) => FACET_SQL[s.facet].filter(s.values, row));
    return list.length > 0 ? sql`${sql.join(list, sql` and `)}` : null;
  };
  const all = filters('m');

  const ctes: RawBuilder<unknown>[] = [];
  if (q) {
    const { cte, prefix } = tsqueries(q);
    ctes.push(sql`q as (${cte})`);
    // Rows that match rank by cover density (weights A > B > C); prefix-only matches (« tram » in
    // « tramway ») come after exact ones. Ranking costs more than matching: only the rows that
    // pass every filter are ranked (the others are there for the facet counts).
    const ranked = (expression: RawBuilder<unknown>) => {
      if (sort !== 'relevance') return sql`null::real`;
      const inFilters = filters('d');
      return inFilters ? sql`case when ${inFilters} then ${expression} end` : expression;
    };
    ctes.push(sql`matched as materialized (
      select ${columns}, ${ranked(sql`ts_rank_cd(d.search, q.tq)`)} as rank, ${prefix ? ranked(sql`d.search @@ q.typed`) : sql`true`} as exact
      from datasets d cross join q where ${visible} and d.search @@ q.tq)`);
  } else {
    ctes.push(sql`matched as materialized (select ${columns}, null::real as rank, true as exact from datasets d where ${visible})`);
  }
  if (all) ctes.push(sql`filtered as materialized (select * from matched m where ${all})`);
  const filtered = all ? sql`filtered` : sql`matched`;

  const facetCounts = FACETS.map((facet) => {
    // A facet with no filter of its own is counted over the filtered rows.
    const own = selected.some((s) => s.facet === facet);
    const others = filters('m', facet);
    const from = !own ? sql`${filtered} m` : others ? sql`(select * from matched m where ${others}) m` : sql`matched m`;
    return FACET_SQL[facet].count(from);
  });
  ctes.push(sql`facet_counts as (${sql.join(facetCounts, sql` union all `)})`);

  const order = (m: string) => {
    const col = (name: string) => sql.ref(`${m}.${name}`);
    switch (sort) {
      case 'relevance':
        return sql`${col('exact')} desc, ${col('rank')} desc, ${col('modified')} desc, ${col('id')}`;
      case 'date':
        return sql`${col('modified')} desc, ${col('id')}`;
      case 'title':
        // French reading order: « Écocompteurs » sorts with the E's, not after « Z ».
        return sql`lower(unaccent(${col('title_fr')})), ${col('id')}`;
    }
  };
  ctes.push(
    sql`page as (select * from ${filtered} m order by ${order('m')} limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize})`,
  );

  const result = await sql<{ items: JsonRow[] | null; total: number; facets: Record<string, FacetCount[]> | null }>`
    with ${sql.join(ctes)}
    select
      (select count(*)::int from ${filtered}) as total,
      (select json_agg(json_build_object(
          'id', d.id, 'slug', d.slug, 'organisation_id', d.organisation_id, 'status', d.status,
          'access_level', d.access_level, 'licence', d.licence, 'title_fr', d.title_fr, 'title_en', d.title_en,
          'description_fr', d.description_fr, 'themes', d.themes, 'domains', d.domains, 'keywords', d.keywords,
          'departements', d.departements, 'frequency', d.frequency, 'formats', d.formats,
          'current_version', d.current_version, 'issued', d.issued, 'modified', d.modified,
          'publisher_slug', o.slug, 'publisher_name', o.short_name) order by ${order('p')})
        from page p
        join datasets d on d.id = p.id
        join organisations o on o.id = d.organisation_id) as items,
      (select json_object_agg(facet, counts) from (
        select facet, json_agg(json_build_object('value', value, 'count', count) order by count desc, value) as counts
        from facet_counts group by facet) f) as facets`.execute(db);

  const row = result.rows[0]!;
  const facets = Object.fromEntries(
    FACETS.map((facet) => {
      const counts = row.facets?.[facet] ?? [];
      const missing = (query[facet] ?? []).filter((v) => !counts.some((c) => c.value === v));
      return [facet, [...counts, ...[...new Set(missing)].map((value) => ({ value, count: 0 }))]];
    }),
  ) as Record<Facet, FacetCount[]>;
  return {
    rows: (row.items ?? []).map((r) => ({ ...r, issued: new Date(r.issued), modified: new Date(r.modified) })),
    total: row.total,
    facets,
  };
}

/** Timestamps come back as text inside JSON. */
type JsonRow = Omit<SearchRow, 'issued' | 'modified'> & { issued: string; modified: string };

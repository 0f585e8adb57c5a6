import { sql } from 'kysely';
import type { Executor } from '../../platform/context';
import { isUuid } from '../../platform/crypto';

/** The needs board, the news and the directory's network view: SQL only, plain rows out. */

function needQuery(db: Executor) {
  return db
    .selectFrom('needs as n')
    .innerJoin('organisations as o', 'o.id', 'n.organisation_id')
    .leftJoin('projects as p', 'p.id', 'n.project_id')
    .select([
      'n.id',
      'n.organisation_id',
      'o.slug as organisation_slug',
      'o.short_name as organisation_name',
      'n.author_id',
      'n.title',
      'n.description',
      'n.domain',
      'n.territory',
      'n.purpose',
      sql<string | null>`to_char(n.wanted_by, 'YYYY-MM-DD')`.as('wanted_by'),
      'n.status',
      'n.project_id',
      'p.title as project_title',
      'n.closed_at',
      'n.created_at',
      sql<number>`(select count(*)::int from need_answers a where a.need_id = n.id)`.as('answer_count'),
    ]);
}
export type NeedRow = Awaited<ReturnType<ReturnType<typeof needQuery>['executeTakeFirstOrThrow']>>;

export interface NeedFilter {
  status?: string | undefined;
  domain?: string | undefined;
  organisationId?: string | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Newest first; the total rides along as a window count. */
export async function listNeeds(db: Executor, filter: NeedFilter): Promise<{ rows: NeedRow[]; total: number }> {
  let query = needQuery(db);
  if (filter.status) query = query.where('n.status', '=', filter.status as NeedRow['status']);
  if (filter.domain) query = query.where('n.domain', '=', filter.domain);
  if (filter.organisationId) query = query.where('n.organisation_id', '=', filter.organisationId);
  if (filter.q) {
    query = query.where(
      sql<boolean>`unaccent(lower(n.title || ' ' || n.description || ' ' || o.short_name)) like unaccent(lower(${likePattern(filter.q)}))`,
    );
  }
  const rows = await query
    .select(sql<number>`count(*) over ()::int`.as('total_count'))
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { rows, total: rows[0]?.total_count ?? 0 };
}

export function findNeed(db: Executor, id: string): Promise<NeedRow | undefined> {
  if (!isUuid(id)) return Promise.resolve(undefined);
  return needQuery(db).where('n.id', '=', id).executeTakeFirst();
}

/** Locks the need until the transaction ends: answers and status changes happen one after the other. */
export async function lockNeed(db: Executor, id: string): Promise<void> {
  await db.selectFrom('needs').select('id').where('id', '=', id).forUpdate().execute();
}

export function listAnswers(db: Executor, needId: string) {
  return db
    .selectFrom('need_answers as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .innerJoin('users as u', 'u.id', 'a.author_id')
    .leftJoin('datasets as d', 'd.id', 'a.dataset_id')
    .select([
      'a.id',
      'a.need_id',
      'a.organisation_id',
      'o.slug as organisation_slug',
      'o.short_name as organisation_name',
      'a.kind',
      'a.dataset_id',
      'd.slug as dataset_slug',
      'd.title_fr as dataset_title',
      sql<string | null>`to_char(a.expected_at, 'YYYY-MM-DD')`.as('expected_at'),
      'a.message',
      'u.display_name as author_name',
      'a.created_at',
    ])
    .where('a.need_id', '=', needId)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
}
export type NeedAnswerRow = Awaited<ReturnType<typeof listAnswers>>[number];

// --- news ------------------------------------------------------------------------------------------

function newsQuery(db: Executor) {
  return db
    .selectFrom('news_posts as p')
    .leftJoin('organisations as o', 'o.id', 'p.organisation_id')
    .innerJoin('users as u', 'u.id', 'p.author_id')
    .select([
      'p.id',
      'p.organisation_id',
      'o.slug as organisation_slug',
      'o.short_name as organisation_name',
      'p.author_id',
      'u.display_name as author_name',
      'p.title',
      'p.body',
      'p.published_at',
      'p.updated_at',
    ]);
}
export type NewsRow = Awaited<ReturnType<ReturnType<typeof newsQuery>['executeTakeFirstOrThrow']>>;

/**
 * Published posts, newest first. `authorOf`: organisations whose scheduled posts the caller may
 * already see (its own, as their editor); the operator sees every scheduled post.
 */
export async function listNews(
  db: Executor,
  filter: { organisationId?: string | undefined; limit: number; offset: number },
  scheduled: { all: boolean; organisations: readonly string[] },
): Promise<{ rows: NewsRow[]; total: number }> {
  let query = newsQuery(db);
  if (filter.organisationId) query = query.where('p.organisation_id', '=', filter.organisationId);
  if (!scheduled.all) {
    const own = [...scheduled.organisations];
    query = query.where((eb) =>
      eb.or([eb('p.published_at', '<=', sql<Date>`now()`), ...(own.length > 0 ? [eb('p.organisation_id', 'in', own)] : [])]),
    );
  }
  const rows = await query
    .select(sql<number>`count(*) over ()::int`.as('total_count'))
    .orderBy('p.published_at', 'desc')
    .orderBy('p.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { rows, total: rows[0]?.total_count ?? 0 };
}

export function findNews(db: Executor, id: string): Promise<NewsRow | undefined> {
  if (!isUuid(id)) return Promise.resolve(undefined);
  return newsQuery(db).where('p.id', '=', id).executeTakeFirst();
}

// --- the directory ---------------------------------------------------------------------------------

/** An active contract, today: what « uses » counts. */
const activeContract = sql<boolean>`k.state = 'active' and k.valid_from <= now() and k.valid_until > now()`;

/**
 * Shares, uses and open needs of organisations, in one grouped read: three aggregates joined to
 * the organisations, whatever their number (the directory shows a page of them at once).
 */
export async function networkCounts(
  db: Executor,
  /** Slugs or ids; null: every active organisation. */
  organisations: readonly string[] | null,
): Promise<{ organisation_id: string; slug: string; shares: number; uses: number; needs: number }[]> {
  if (organisations && organisations.length === 0) return [];
  const ids = organisations?.filter(isUuid) ?? [];
  const slugs = organisations?.filter((o) => !isUuid(o)) ?? [];
  let query = db
    .selectFrom('organisations as o')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('datasets')
          .select(['organisation_id', sql<number>`count(*)::int`.as('n')])
          .where('status', '=', 'published')
          .groupBy('organisation_id')
          .as('s'),
      (join) => join.onRef('s.organisation_id', '=', 'o.id'),
    )
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('contracts as k')
          .select(['k.consumer_id', sql<number>`count(distinct k.dataset_id)::int`.as('n')])
          .where(activeContract)
          .groupBy('k.consumer_id')
          .as('u'),
      (join) => join.onRef('u.consumer_id', '=', 'o.id'),
    )
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('needs')
          .select(['organisation_id', sql<number>`count(*)::int`.as('n')])
          .where('status', 'in', ['open', 'answered'])
          .groupBy('organisation_id')
          .as('b'),
      (join) => join.onRef('b.organisation_id', '=', 'o.id'),
    )
    .select([
      'o.id as organisation_id',
      'o.slug',
      sql<number>`coalesce(s.n, 0)`.as('shares'),
      sql<number>`coalesce(u.n, 0)`.as('uses'),
      sql<number>`coalesce(b.n, 0)`.as('needs'),
    ])
    .where('o.status', '=', 'active');
  if (organisations) {
    query = query.where((eb) =>
      eb.or([...(ids.length > 0 ? [eb('o.id', 'in', ids)] : []), ...(slugs.length > 0 ? [eb('o.slug', 'in', slugs)] : [])]),
    );
  }
  return query.orderBy('o.slug').execute();
}

export function sharedDatasets(db: Executor, organisationId: string) {
  return db
    .selectFrom('datasets')
    .select(['id', 'slug', 'title_fr as title', 'access_level'])
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'published')
    .orderBy('title_fr')
    .execute();
}

export function usedDatasets(db: Executor, organisationId: string) {
  return db
    .selectFrom('contracts as k')
    .innerJoin('datasets as d', 'd.id', 'k.dataset_id')
    .innerJoin('organisations as o', 'o.id', 'k.provider_id')
    .select(['d.slug', 'd.title_fr as title', 'o.id as provider_id', 'o.slug as provider_slug', 'o.short_name as provider_name'])
    .distinct()
    .where('k.consumer_id', '=', organisationId)
    .where(activeContract)
    .orderBy('d.title_fr')
    .execute();
}

export function openNeedsOf(db: Executor, organisationId: string) {
  return db
    .selectFrom('needs')
    .select(['id', 'title', 'domain', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .where('status', 'in', ['open', 'answered'])
    .orderBy('created_at', 'desc')
    .execute();
}

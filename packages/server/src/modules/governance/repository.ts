import { sql } from 'kysely';
import type { Executor } from '../../platform/context';

/** Governance's SQL: commissions, their members and records, votes, ballots and gates. */

export type CommissionRow = Awaited<ReturnType<typeof findCommission>> & {};
export type VoteRow = NonNullable<Awaited<ReturnType<typeof findVote>>>;

const commissionColumns = ['c.id', 'c.slug', 'c.kind', 'c.name', 'c.description'] as const;

export async function listCommissions(db: Executor) {
  return db
    .selectFrom('commissions as c')
    .select([
      ...commissionColumns,
      (eb) =>
        eb
          .selectFrom('commission_members as m')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('m.commission_id', '=', 'c.id')
          .as('members_count'),
      (eb) =>
        eb
          .selectFrom('votes as v')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('v.commission_id', '=', 'c.id')
          .where('v.status', '=', 'open')
          .as('open_votes'),
    ])
    .orderBy('c.position')
    .execute();
}

export async function findCommission(db: Executor, slug: string) {
  return db.selectFrom('commissions as c').select(commissionColumns).where('c.slug', '=', slug).executeTakeFirst();
}

export async function findCommissionById(db: Executor, id: string) {
  return db.selectFrom('commissions as c').select(commissionColumns).where('c.id', '=', id).executeTakeFirstOrThrow();
}

/** The commission's active members: who is told when a vote opens and closes. */
export async function activeMemberIds(db: Executor, commissionId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('commission_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('u.id')
    .where('m.commission_id', '=', commissionId)
    .where('u.status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}

/** The user's role in the commission, or null. */
export async function roleIn(db: Executor, commissionId: string, userId: string | null): Promise<'chair' | 'member' | null> {
  if (!userId) return null;
  const row = await db
    .selectFrom('commission_members')
    .select('role')
    .where('commission_id', '=', commissionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

export async function rolesOf(db: Executor, userId: string | null): Promise<Map<string, 'chair' | 'member'>> {
  if (!userId) return new Map();
  const rows = await db.selectFrom('commission_members').select(['commission_id', 'role']).where('user_id', '=', userId).execute();
  return new Map(rows.map((r) => [r.commission_id, r.role]));
}

export async function commissionMembers(db: Executor, commissionId: string) {
  return db
    .selectFrom('commission_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select([
      'm.user_id',
      'm.role',
      'm.added_at',
      'u.display_name',
      // One organisation to show beside the name (the first joined), if any.
      (eb) =>
        eb
          .selectFrom('memberships as ms')
          .innerJoin('organisations as o', 'o.id', 'ms.organisation_id')
          .select(sql<string>`o.slug || '|' || o.short_name`.as('org'))
          .whereRef('ms.user_id', '=', 'm.user_id')
          .orderBy('ms.created_at')
          .limit(1)
          .as('organisation'),
    ])
    .where('m.commission_id', '=', commissionId)
    .orderBy(sql`case when m.role = 'chair' then 0 else 1 end`)
    .orderBy('u.display_name')
    .execute();
}

export async function countMembers(db: Executor, commissionId: string): Promise<number> {
  const row = await db
    .selectFrom('commission_members')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('commission_id', '=', commissionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function agendaOf(db: Executor, commissionId: string) {
  return db
    .selectFrom('commission_agenda')
    .select(['id', 'date', 'title', 'notes'])
    .where('commission_id', '=', commissionId)
    .orderBy('date', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

export async function documentsOf(db: Executor, commissionId: string) {
  return db
    .selectFrom('commission_documents')
    .select(['id', 'title', 'body', 'url', 'sha256', 'created_at'])
    .where('commission_id', '=', commissionId)
    .orderBy('created_at', 'desc')
    .execute();
}

const voteColumns = [
  'v.id',
  'v.commission_id',
  'c.slug as commission_slug',
  'c.name as commission_name',
  'v.question',
  'v.description',
  'v.quorum_percent',
  'v.majority',
  'v.opens_at',
  'v.closes_at',
  'v.status',
  'v.outcome',
  'v.pour',
  'v.contre',
  'v.abstention',
  'v.eligible',
  'v.action_kind',
  'v.action_payload',
  'v.action_actor',
  'v.action_status',
  'v.action_error',
  'v.closed_at',
  'v.ledger_index',
  'v.created_at',
] as const;

export async function findVote(db: Executor, id: string) {
  return db
    .selectFrom('votes as v')
    .innerJoin('commissions as c', 'c.id', 'v.commission_id')
    .select(voteColumns)
    .where('v.id', '=', id)
    .executeTakeFirst();
}

export async function listVotes(
  db: Executor,
  filter: { commissionId?: string; status?: 'open' | 'closed'; gate?: string; limit?: number },
) {
  let q = db.selectFrom('votes as v').innerJoin('commissions as c', 'c.id', 'v.commission_id').select(voteColumns);
  if (filter.commissionId) q = q.where('v.commission_id', '=', filter.commissionId);
  if (filter.status) q = q.where('v.status', '=', filter.status);
  if (filter.gate) q = q.where('v.action_kind', '=', filter.gate as 'charter_version');
  return q
    .orderBy(sql`case when v.status = 'open' then 0 else 1 end`)
    .orderBy('v.created_at', 'desc')
    .limit(filter.limit ?? 200)
    .execute();
}

export async function ballotCounts(db: Executor, voteId: string) {
  const rows = await db
    .selectFrom('ballots')
    .select(['choice', sql<number>`count(*)::int`.as('n')])
    .where('vote_id', '=', voteId)
    .groupBy('choice')
    .execute();
  const counts = { pour: 0, contre: 0, abstention: 0 };
  for (const r of rows) counts[r.choice] = Number(r.n);
  return counts;
}

export async function ballotsOf(db: Executor, voteId: string) {
  return db
    .selectFrom('ballots as b')
    .innerJoin('users as u', 'u.id', 'b.user_id')
    .select(['b.user_id', 'u.display_name', 'b.choice'])
    .where('b.vote_id', '=', voteId)
    .orderBy('u.display_name')
    .execute();
}

export async function listGates(db: Executor) {
  return db
    .selectFrom('governance_gates as g')
    .innerJoin('commissions as c', 'c.id', 'g.commission_id')
    .select(['g.action', 'g.enabled', 'g.quorum_percent', 'g.majority', 'g.duration_days', 'g.commission_id', 'c.slug', 'c.name'])
    .orderBy('g.action')
    .execute();
}

export async function findGate(db: Executor, action: 'charter_version' | 'fee_change' | 'ethics_review') {
  return db
    .selectFrom('governance_gates as g')
    .innerJoin('commissions as c', 'c.id', 'g.commission_id')
    .select(['g.action', 'g.enabled', 'g.quorum_percent', 'g.majority', 'g.duration_days', 'g.commission_id', 'c.slug', 'c.name'])
    .where('g.action', '=', action)
    .executeTakeFirstOrThrow();
}

/** The ledger's sequence lock is the caller's until its commit: the last entry is the one it recorded. */
export async function lastLedgerIndex(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('ledger_entries')
    .select(sql<string>`max(tree_index)`.as('i'))
    .executeTakeFirstOrThrow();
  return Number(row.i);
}

import { can, tally, type CommissionView, type GateView, type Principal, type VoteSummary, type VoteView } from '@confiance/contract';
import type { Executor } from '../../platform/context';
import { gateExecutor } from './gates';
import {
  agendaOf,
  ballotCounts,
  ballotsOf,
  commissionMembers,
  countMembers,
  documentsOf,
  listGates,
  listVotes,
  roleIn,
  type VoteRow,
} from './repository';

const userIdOf = (p: Principal) => (p.kind === 'user' ? p.userId : null);
const iso = (d: Date | string) => new Date(d).toISOString();
const day = (d: Date | string) =>
  typeof d === 'string'
    ? d.slice(0, 10)
    : `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export function presentVoteSummary(row: VoteRow): VoteSummary {
  return {
    id: row.id,
    commission: { slug: row.commission_slug, name: row.commission_name },
    question: row.question,
    status: row.status,
    outcome: row.outcome,
    closesAt: iso(row.closes_at),
    gate: row.action_kind,
  };
}

export async function presentVote(db: Executor, row: VoteRow, principal: Principal): Promise<VoteView> {
  const role = await roleIn(db, row.commission_id, userIdOf(principal));
  const resource = { commissionRole: role };
  const closed = row.status === 'closed';
  // A closed vote keeps the counts it was decided on (members may have changed since).
  const t = closed
    ? tally({ pour: row.pour ?? 0, contre: row.contre ?? 0, abstention: row.abstention ?? 0 }, row.eligible ?? 0, row.quorum_percent)
    : tally(await ballotCounts(db, row.id), await countMembers(db, row.commission_id), row.quorum_percent);
  const ballots = await ballotsOf(db, row.id);
  const me = userIdOf(principal);
  const executor = row.action_kind ? gateExecutor(row.action_kind) : undefined;
  const open = !closed && new Date(row.closes_at).getTime() > Date.now() && new Date(row.opens_at).getTime() <= Date.now();
  return {
    ...presentVoteSummary(row),
    description: row.description,
    quorumPercent: row.quorum_percent,
    majority: row.majority,
    opensAt: iso(row.opens_at),
    closedAt: row.closed_at ? iso(row.closed_at) : null,
    tally: t,
    action:
      row.action_kind && row.action_status
        ? {
            kind: row.action_kind,
            summary: executor ? executor.describe(row.action_payload) : [],
            status: row.action_status,
            error: row.action_error,
            payload: row.action_payload,
          }
        : null,
    myChoice: ballots.find((b) => b.user_id === me)?.choice ?? null,
    ballots: can(principal, 'list', 'Ballot', resource) ? ballots.map((b) => ({ name: b.display_name, choice: b.choice })) : null,
    ledgerIndex: row.ledger_index === null ? null : Number(row.ledger_index),
    abilities: {
      cast: open && can(principal, 'create', 'Ballot', resource) && !ballots.some((b) => b.user_id === me),
      close: !closed && can(principal, 'update', 'Vote', resource),
    },
  };
}

export async function presentCommission(
  db: Executor,
  commission: { id: string; slug: string; kind: CommissionView['kind']; name: string; description: string },
  principal: Principal,
): Promise<CommissionView> {
  const role = await roleIn(db, commission.id, userIdOf(principal));
  const [members, agenda, documents, votes] = await Promise.all([
    commissionMembers(db, commission.id),
    agendaOf(db, commission.id),
    documentsOf(db, commission.id),
    listVotes(db, { commissionId: commission.id, limit: 100 }),
  ]);
  const resource = { commissionRole: role };
  return {
    slug: commission.slug,
    kind: commission.kind,
    name: commission.name,
    description: commission.description,
    membersCount: members.length,
    openVotes: votes.filter((v) => v.status === 'open').length,
    myRole: role,
    members: members.map((m) => {
      const [slug, name] = m.organisation ? m.organisation.split('|') : [];
      return {
        userId: m.user_id,
        name: m.display_name,
        organisation: slug && name ? { slug, name } : null,
        role: m.role,
        since: iso(m.added_at),
      };
    }),
    agenda: agenda.map((a) => ({ id: a.id, date: day(a.date), title: a.title, notes: a.notes })),
    documents: documents.map((d) => ({ id: d.id, title: d.title, text: d.body, url: d.url, sha256: d.sha256, addedAt: iso(d.created_at) })),
    votes: votes.map(presentVoteSummary),
    abilities: {
      manage: can(principal, 'update', 'Commission', resource),
      chair: can(principal, 'create', 'CommissionRecord', resource),
      openVote: can(principal, 'create', 'Vote', resource),
    },
  };
}

export async function presentGates(db: Executor): Promise<{ items: GateView[] }> {
  const rows = await listGates(db);
  return {
    items: rows.map((g) => ({
      action: g.action,
      enabled: g.enabled,
      commission: { slug: g.slug, name: g.name },
      quorumPercent: g.quorum_percent,
      majority: g.majority,
      durationDays: g.duration_days,
    })),
  };
}

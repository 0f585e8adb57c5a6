import { outcomeOf, tally, voteInput, type GatedAction, type VoteInput } from '@confiance/contract';
import type { Context, Executor } from '../../../platform/context';
import { AppError, validationFailed } from '../../../platform/http/errors';
import { recordFact } from '../../ledger/index';
import { notify } from '../../mailing/index';
import { gateExecutor } from '../gates';
import { activeMemberIds, ballotCounts, countMembers, findGate, findVote, lastLedgerIndex, type VoteRow } from '../repository';

export interface Actor {
  userId: string;
}

interface Opening {
  commission: { id: string; slug: string };
  question: string;
  description: string;
  quorumPercent: number;
  majority: 'simple' | 'two_thirds' | 'unanimity';
  opensAt: Date;
  closesAt: Date;
  action: { kind: GatedAction; payload: unknown; actor: string } | null;
}

async function insertVote(trx: Executor, actor: Actor, o: Opening): Promise<string> {
  const row = await trx
    .insertInto('votes')
    .values({
      commission_id: o.commission.id,
      question: o.question,
      description: o.description,
      quorum_percent: o.quorumPercent,
      majority: o.majority,
      opens_at: o.opensAt,
      closes_at: o.closesAt,
      action_kind: o.action?.kind ?? null,
      action_payload: o.action ? JSON.stringify(o.action.payload) : null,
      action_actor: o.action?.actor ?? null,
      action_status: o.action ? 'pending' : null,
      opened_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const closes = o.closesAt.toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
  await notify(
    trx,
    await activeMemberIds(trx, o.commission.id),
    'vote.opened',
    `Vote ouvert jusqu’au ${closes} : ${o.question}`.slice(0, 300),
    `/votes/${row.id}`,
  );
  await recordFact(trx, {
    type: 'vote.opened',
    public: {
      vote: row.id,
      subject: o.question.slice(0, 300),
      commission: o.commission.slug,
      majority: o.majority,
      quorumPercent: o.quorumPercent,
      closesAt: o.closesAt.toISOString(),
      gate: o.action?.kind ?? null,
    },
    details: { by: actor.userId },
    parties: [],
  });
  return row.id;
}

/** A chair (or the operator) puts a question to the commission. */
export async function openVote(
  ctx: Context,
  actor: Actor,
  commission: { id: string; slug: string },
  raw: VoteInput,
  now = new Date(),
): Promise<string> {
  const parsed = voteInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Vote invalide');
  const input = parsed.data;
  const opensAt = input.opensAt ? new Date(input.opensAt) : now;
  const closesAt = new Date(input.closesAt);
  if (closesAt.getTime() <= Math.max(opensAt.getTime(), now.getTime())) {
    throw new AppError('validation_failed', 'La clôture du vote doit être postérieure à son ouverture et à maintenant.', {
      issues: [{ path: ['closesAt'], message: 'clôture trop tôt' }],
    });
  }
  return ctx.db.transaction().execute((trx) =>
    insertVote(trx, actor, {
      commission,
      question: input.question,
      description: input.description,
      quorumPercent: input.quorumPercent,
      majority: input.majority,
      opensAt,
      closesAt,
      action: null,
    }),
  );
}

/**
 * What a module calls before a gated action: null when the gate is off (act now); otherwise the
 * proposal is checked, a vote is opened in the gate's commission carrying it, and its id returned
 * (the caller answers 202 with the vote).
 */
export async function requireVote(ctx: Context, action: GatedAction, actor: Actor, payload: unknown): Promise<string | null> {
  const gate = await findGate(ctx.db, action);
  if (!gate.enabled) return null;
  const executor = gateExecutor(action);
  if (!executor) throw new Error(`governance: no executor registered for ${action}`);
  const prepared = await executor.prepare(ctx.db, payload);
  const now = new Date();
  return ctx.db.transaction().execute((trx) =>
    insertVote(trx, actor, {
      commission: { id: gate.commission_id, slug: gate.slug },
      question: executor.question(prepared),
      description: '',
      quorumPercent: gate.quorum_percent,
      majority: gate.majority,
      opensAt: now,
      closesAt: new Date(now.getTime() + gate.duration_days * 86_400_000),
      action: { kind: action, payload: prepared, actor: actor.userId },
    }),
  );
}

const OUTCOME_WORDS: Record<ReturnType<typeof outcomeOf>, string> = {
  adopted: 'adopté',
  rejected: 'rejeté',
  no_quorum: 'quorum non atteint',
};

const isDue = (vote: VoteRow, now: Date) => vote.status === 'open' && new Date(vote.closes_at).getTime() <= now.getTime();

/** A member votes, once. */
export async function castBallot(ctx: Context, actor: Actor, voteId: string, choice: 'pour' | 'contre' | 'abstention'): Promise<void> {
  const vote = await findVote(ctx.db, voteId);
  if (!vote) throw new AppError('not_found', 'Vote introuvable.');
  const now = new Date();
  if (isDue(vote, now)) await closeVote(ctx, voteId, null);
  if (vote.status === 'closed' || isDue(vote, now)) throw new AppError('conflict', 'Ce vote est clos : il ne reçoit plus de bulletins.');
  if (new Date(vote.opens_at).getTime() > now.getTime()) {
    throw new AppError(
      'conflict',
      `Ce vote n’est pas encore ouvert (ouverture le ${new Date(vote.opens_at).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })}).`,
    );
  }
  // The primary key (vote, user) refuses a second ballot, even from two requests at once.
  const inserted = await ctx.db
    .insertInto('ballots')
    .values({ vote_id: voteId, user_id: actor.userId, choice })
    .onConflict((oc) => oc.columns(['vote_id', 'user_id']).doNothing())
    .returning('vote_id')
    .executeTakeFirst();
  if (!inserted) throw new AppError('conflict', 'Vous avez déjà voté : un bulletin par membre.');
}

/**
 * Decides a vote: counts, quorum and majority, records `vote.decided`; an adopted gated action
 * runs in the same transaction (its own ledger fact names the vote). If that action is refused
 * (say, a newer charter version came into force meanwhile) the vote stays decided and the
 * action is marked failed with the reason. `closer` null: closed automatically at its time.
 * Returns false when the vote was already closed.
 */
export async function closeVote(ctx: Context, voteId: string, closer: string | null): Promise<boolean> {
  try {
    return await decide(ctx, voteId, closer, true);
  } catch (error) {
    if (!(error instanceof ActionFailed)) throw error;
    await decide(ctx, voteId, closer, false, error.cause.message);
    return true;
  }
}

class ActionFailed extends Error {
  constructor(override readonly cause: AppError) {
    super(cause.message);
  }
}

async function decide(ctx: Context, voteId: string, closer: string | null, runAction: boolean, failure?: string): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    // The row lock makes two closers (the chair and the periodic check) decide it once.
    const locked = await trx.selectFrom('votes').select(['status']).where('id', '=', voteId).forUpdate().executeTakeFirst();
    if (!locked) throw new AppError('not_found', 'Vote introuvable.');
    if (locked.status === 'closed') return false;
    const vote = (await findVote(trx, voteId))!;
    const counts = await ballotCounts(trx, voteId);
    const t = tally(counts, await countMembers(trx, vote.commission_id), vote.quorum_percent);
    const outcome = outcomeOf(t, vote.majority);
    let actionStatus: 'executed' | 'rejected' | 'failed' | null = null;
    if (vote.action_kind) {
      if (outcome !== 'adopted') actionStatus = 'rejected';
      else if (!runAction) actionStatus = 'failed';
      else {
        const executor = gateExecutor(vote.action_kind);
        if (!executor) throw new Error(`governance: no executor registered for ${vote.action_kind}`);
        try {
          await executor.execute(trx, { userId: vote.action_actor ?? closer ?? '', vote: voteId }, vote.action_payload);
        } catch (error) {
          if (error instanceof AppError) throw new ActionFailed(error);
          throw error;
        }
        actionStatus = 'executed';
      }
    }
    await trx
      .updateTable('votes')
      .set({
        status: 'closed',
        outcome,
        pour: t.pour,
        contre: t.contre,
        abstention: t.abstention,
        eligible: t.eligible,
        closed_by: closer,
        closed_at: new Date(),
        ...(actionStatus ? { action_status: actionStatus, action_error: failure ?? null } : {}),
      })
      .where('id', '=', voteId)
      .execute();
    // The members, and whoever proposed the gated action, learn the outcome.
    const members = await activeMemberIds(trx, vote.commission_id);
    await notify(
      trx,
      vote.action_actor ? [...members, vote.action_actor] : members,
      'vote.decided',
      `Vote clos — ${OUTCOME_WORDS[outcome]} : ${vote.question}`.slice(0, 300),
      `/votes/${voteId}`,
    );
    await recordFact(trx, {
      type: 'vote.decided',
      public: {
        vote: voteId,
        subject: vote.question.slice(0, 300),
        outcome,
        commission: vote.commission_slug,
        majority: vote.majority,
        quorumPercent: vote.quorum_percent,
        pour: t.pour,
        contre: t.contre,
        abstention: t.abstention,
        eligible: t.eligible,
        quorumMet: t.quorumMet,
        gate: vote.action_kind,
      },
      details: closer ? { by: closer } : { by: 'automatique' },
      parties: [],
    });
    await trx
      .updateTable('votes')
      .set({ ledger_index: await lastLedgerIndex(trx) })
      .where('id', '=', voteId)
      .execute();
    return true;
  });
}

/** Closes every open vote whose time has come; what the periodic check and the reads call. */
export async function closeDueVotes(ctx: Context, now = new Date()): Promise<number> {
  const due = await ctx.db
    .selectFrom('votes')
    .select('id')
    .where('status', '=', 'open')
    .where('closes_at', '<=', now)
    .orderBy('closes_at')
    .execute();
  let closed = 0;
  for (const { id } of due) if (await closeVote(ctx, id, null)) closed += 1;
  return closed;
}

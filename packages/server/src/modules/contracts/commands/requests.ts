import {
  FIVE_SAFES,
  isPurpose,
  purposeLabel,
  purposeSatisfies,
  purposeTerm,
  requestInput,
  reviewDecisionInput,
  type DataUse,
  type RequestInput,
  type ReviewDecisionInput,
} from '@confiance/contract';
import type { z } from 'zod';
import type { Context, Executor } from '../../../platform/context';
import { AppError, validationFailed } from '../../../platform/http/errors';
import { recordFacts } from '../../ledger/index';
import { findOrganisation } from '../../members/index';
import { findOffer, previewDecision, type OfferRow } from '../../policies/index';
import { ethicsMembers, notify, staffOf } from '../../mailing/index';
import { findProject, findRequest, projectOrganisations, type RequestRow } from '../repository';
import { assertRequestMove } from '../states';
import { signContract, type Actor, type ContractsDeps } from './contracts';

const PROVIDER_STAFF = ['org_admin', 'data_steward'] as const;

function offerUnavailable(offer: OfferRow): AppError | null {
  if (offer.dataset_status === 'withdrawn')
    return new AppError('dataset_withdrawn', 'Ce jeu de données est retiré : plus aucune nouvelle demande.');
  if (offer.status === 'retired') return new AppError('offer_retired', 'Cette offre est retirée : choisissez-en une autre.');
  return null;
}

async function offerPolicyOf(ctx: Context, request: Pick<RequestRow, 'offer_id' | 'offer_version'>): Promise<Record<string, unknown>> {
  const row = await ctx.db
    .selectFrom('offer_versions')
    .select('policy')
    .where('offer_id', '=', request.offer_id)
    .where('version', '=', request.offer_version)
    .executeTakeFirstOrThrow();
  return row.policy as Record<string, unknown>;
}

/**
 * A consumer asks for data under an offer. The evaluator decides first (a refusal is a 409 with
 * the decision, nothing written); then, by the offer's agreement mode: a contract at once, the
 * provider's approval, or the ethics commission's review first. Requesting is the consumer's
 * acceptance of the offer's terms, recorded as such.
 */
export async function createRequest(ctx: Context, deps: ContractsDeps, actor: Actor, raw: RequestInput): Promise<RequestRow> {
  const parsed = requestInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Demande invalide');
  const input = parsed.data;
  if (!isPurpose(input.purpose)) {
    throw new AppError('validation_failed', `Finalité inconnue « ${input.purpose} » : choisissez une finalité DPV.`, {
      issues: [{ path: 'purpose', message: 'finalité DPV inconnue' }],
    });
  }
  const purpose = `dpv:${purposeTerm(input.purpose)!}`;
  const offer = await findOffer(ctx.db, input.offer);
  if (!offer) throw new AppError('not_found', 'Offre introuvable.');
  const unavailable = offerUnavailable(offer);
  if (unavailable) throw unavailable;
  const consumer = (await findOrganisation(ctx.db, input.organisation))!;
  if (consumer.id === offer.organisation_id) {
    throw new AppError('conflict', 'Votre organisation fournit ce jeu de données : elle n’a pas à le demander.');
  }
  let partners = [consumer.id];
  if (input.project) {
    const project = await findProject(ctx.db, input.project);
    if (!project)
      throw new AppError('validation_failed', 'Projet introuvable.', { issues: [{ path: 'project', message: 'projet introuvable' }] });
    if (project.status === 'closed') {
      throw new AppError('validation_failed', `Le projet « ${project.title} » est clos : il ne reçoit plus de demandes.`, {
        issues: [{ path: 'project', message: 'projet clos' }],
      });
    }
    partners = await projectOrganisations(ctx.db, project.id);
    if (!partners.includes(consumer.id)) {
      throw new AppError('forbidden', 'Votre organisation ne participe pas à ce projet.');
    }
    if (!purposeSatisfies(purpose, project.purpose)) {
      throw new AppError('validation_failed', `La finalité doit entrer dans celle du projet (« ${purposeLabel(project.purpose)} »).`, {
        issues: [{ path: 'purpose', message: `hors de la finalité du projet : ${purposeLabel(project.purpose)}` }],
      });
    }
  }
  // The people who will use the data: members of the organisation (or of the project's partners).
  const emails = input.users.length > 0 ? input.users.map((e) => e.toLowerCase()) : null;
  const people = emails
    ? await ctx.db
        .selectFrom('users as u')
        .innerJoin('memberships as m', 'm.user_id', 'u.id')
        .select(['u.id', 'u.email'])
        .where('u.email', 'in', emails)
        .where('m.organisation_id', 'in', partners)
        .where('u.status', '=', 'active')
        .execute()
    : [{ id: actor.userId, email: '' }];
  if (emails) {
    const found = new Set(people.map((p) => p.email.toLowerCase()));
    const missing = emails.map((e, i) => [e, i] as const).filter(([e]) => !found.has(e));
    if (missing.length > 0) {
      throw new AppError(
        'validation_failed',
        `Ces personnes ne sont pas membres de l’organisation ou du projet : ${missing.map(([e]) => e).join(', ')}.`,
        {
          issues: missing.map(([e, i]) => ({ path: `users.${i}`, message: `${e} n’est pas membre de l’organisation ou du projet` })),
        },
      );
    }
  }
  const use: DataUse = input.use ?? (offer.uses[0] as DataUse);
  if (!offer.uses.includes(use)) {
    throw new AppError('validation_failed', `Cette offre ne permet pas l’usage « ${use} ».`, {
      issues: [{ path: 'use', message: `usages permis : ${offer.uses.join(', ')}` }],
    });
  }
  const decision = await previewDecision(ctx, offer, consumer, {
    organisation: consumer.id,
    purpose,
    durationMonths: input.durationMonths,
    use,
    project: input.project,
  });
  if (decision.outcome === 'deny') {
    throw new AppError('conflict', decision.summary, { decision: JSON.parse(JSON.stringify(decision)) as unknown });
  }
  const stage =
    offer.agreement === 'ethics_review' ? 'ethics_review' : offer.agreement === 'provider_approval' ? 'provider_review' : 'agreed';
  const id = crypto.randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('access_requests')
      .values({
        id,
        offer_id: offer.id,
        offer_version: offer.version,
        dataset_id: offer.dataset_id,
        provider_id: offer.organisation_id,
        consumer_id: consumer.id,
        project_id: input.project,
        purpose,
        duration_months: input.durationMonths,
        use,
        justification: input.justification,
        users: [...new Set(people.map((p) => p.id))],
        state: stage === 'agreed' ? 'FINALIZED' : 'REQUESTED',
        stage,
        decision: JSON.stringify(decision),
        requested_by: actor.userId,
        ...(stage === 'agreed' ? { decided_at: new Date() } : {}),
      })
      .execute();
    if (stage === 'ethics_review') await trx.insertInto('ethics_reviews').values({ request_id: id }).execute();
    const request = (await findRequest(trx, id))!;
    const parties = [consumer.id, offer.organisation_id];
    await recordFacts(trx, [
      {
        type: 'request.created',
        public: {
          request: id,
          dataset: offer.dataset_slug,
          provider: offer.provider_slug,
          consumer: consumer.slug,
          offer: offer.id,
          purpose,
        },
        details: { by: actor.userId, justification: input.justification },
        parties,
      },
      ...(stage === 'agreed'
        ? [
            {
              type: 'request.decided' as const,
              public: {
                request: id,
                dataset: offer.dataset_slug,
                provider: offer.provider_slug,
                consumer: consumer.slug,
                decision: 'approved' as const,
                purpose,
              },
              details: { by: `offer:${offer.id}:automatic` },
              parties,
            },
          ]
        : []),
    ]);
    if (stage === 'agreed') {
      await signContract(trx, ctx, deps, request, await offerPolicyOf({ ...ctx, db: trx }, request), {
        providerBy: null,
        conditions: null,
      });
    } else {
      await notify(
        trx,
        await staffOf(trx, offer.organisation_id, PROVIDER_STAFF),
        'request.received',
        `Nouvelle demande de ${consumer.short_name} : ${offer.dataset_title}`,
        `/demandes/${id}`,
      );
      if (stage === 'ethics_review') {
        await notify(
          trx,
          await ethicsMembers(trx),
          'review.needed',
          `Examen éthique demandé : ${offer.dataset_title} (${consumer.short_name})`,
          `/ethique`,
        );
      }
    }
  });
  return (await findRequest(ctx.db, id))!;
}

/** The provider agrees: the contract is signed in the same transaction. */
export async function approveRequest(
  ctx: Context,
  deps: ContractsDeps,
  actor: Actor,
  request: RequestRow,
  reason: string | null,
): Promise<RequestRow> {
  assertRequestMove(request.stage, 'approve');
  if (request.requested_by === actor.userId) throw new AppError('forbidden', 'Vous ne pouvez pas approuver votre propre demande.');
  const offer = (await findOffer(ctx.db, request.offer_id))!;
  const unavailable = offerUnavailable(offer);
  if (unavailable) throw unavailable;
  const review = await ctx.db
    .selectFrom('ethics_reviews')
    .select(['decision', 'conditions'])
    .where('request_id', '=', request.id)
    .executeTakeFirst();
  await ctx.db.transaction().execute(async (trx) => {
    // Only from the stage it was read in: of two approvals racing, one finds nothing to update
    // (and `contracts.request_id` is unique besides).
    const moved = await trx
      .updateTable('access_requests')
      .set({ stage: 'agreed', state: 'FINALIZED', decided_by: actor.userId, decided_at: new Date(), reason, updated_at: new Date() })
      .where('id', '=', request.id)
      .where('stage', '=', 'provider_review')
      .returning('id')
      .executeTakeFirst();
    if (!moved) throw new AppError('conflict', 'Cette demande vient d’être traitée : rechargez-la.');
    await recordFacts(trx, [
      {
        type: 'request.decided',
        public: {
          request: request.id,
          dataset: request.dataset_slug,
          provider: request.provider_slug,
          consumer: request.consumer_slug,
          decision: 'approved',
          purpose: request.purpose,
        },
        details: { by: actor.userId, ...(reason ? { reason } : {}) },
        parties: [request.consumer_id, request.provider_id],
      },
    ]);
    const fresh = (await findRequest(trx, request.id))!;
    await signContract(trx, ctx, deps, fresh, await offerPolicyOf({ ...ctx, db: trx }, fresh), {
      providerBy: actor.userId,
      conditions: review?.decision === 'conditions' ? review.conditions : null,
    });
  });
  return (await findRequest(ctx.db, request.id))!;
}

export async function rejectRequest(ctx: Context, actor: Actor, request: RequestRow, reason: string): Promise<RequestRow> {
  assertRequestMove(request.stage, 'reject');
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('access_requests')
      .set({ stage: 'refused', state: 'TERMINATED', decided_by: actor.userId, decided_at: new Date(), reason, updated_at: new Date() })
      .where('id', '=', request.id)
      .where('stage', '=', request.stage)
      .returning('id')
      .executeTakeFirst();
    if (!moved) throw new AppError('conflict', 'Cette demande vient d’être traitée : rechargez-la.');
    await recordFacts(trx, [
      {
        type: 'request.decided',
        public: {
          request: request.id,
          dataset: request.dataset_slug,
          provider: request.provider_slug,
          consumer: request.consumer_slug,
          decision: 'refused',
          purpose: request.purpose,
        },
        details: { by: actor.userId, reason },
        parties: [request.consumer_id, request.provider_id],
      },
    ]);
    await notify(trx, [request.requested_by], 'request.decided', `Demande refusée : ${request.dataset_title}`, `/demandes/${request.id}`);
  });
  return (await findRequest(ctx.db, request.id))!;
}

export async function withdrawRequest(ctx: Context, actor: Actor, request: RequestRow, reason: string): Promise<RequestRow> {
  assertRequestMove(request.stage, 'withdraw');
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('access_requests')
      .set({ stage: 'withdrawn', state: 'TERMINATED', reason, updated_at: new Date() })
      .where('id', '=', request.id)
      .where('stage', '=', request.stage)
      .returning('id')
      .executeTakeFirst();
    if (!moved) throw new AppError('conflict', 'Cette demande vient d’être traitée : rechargez-la.');
    await trx
      .updateTable('ethics_reviews')
      .set({ state: 'decided' })
      .where('request_id', '=', request.id)
      .where('state', '=', 'pending')
      .execute();
    await recordFacts(trx, [
      {
        type: 'request.withdrawn',
        public: { request: request.id, dataset: request.dataset_slug, provider: request.provider_slug, consumer: request.consumer_slug },
        details: { by: actor.userId, reason },
        parties: [request.consumer_id, request.provider_id],
      },
    ]);
    await notify(
      trx,
      await staffOf(trx, request.provider_id, PROVIDER_STAFF),
      'request.decided',
      `Demande retirée par ${request.consumer_name} : ${request.dataset_title}`,
      `/demandes/${request.id}`,
    );
  });
  return (await findRequest(ctx.db, request.id))!;
}

/**
 * The ethics commission's review (Five Safes). Approval, with or without conditions, hands the
 * request to the provider; rejection ends it. The checklist, conditions and reasons are kept
 * with the request; the ledger entry carries the decision and, in its details, the whole review.
 */
export async function reviewRequest(ctx: Context, actor: Actor, request: RequestRow, raw: ReviewDecisionInput): Promise<RequestRow> {
  const input = checkReview(actor, request, raw);
  await ctx.db.transaction().execute((trx) => reviewRequestIn(trx, actor, request, input));
  return (await findRequest(ctx.db, request.id))!;
}

/** The review's own checks, before it is decided or put to the commission's vote. */
export function checkReview(actor: Actor, request: RequestRow, raw: unknown): z.output<typeof reviewDecisionInput> {
  const parsed = reviewDecisionInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Avis invalide');
  const input = parsed.data;
  if (input.decision === 'conditions' && !input.conditions) {
    throw new AppError('validation_failed', 'Précisez les conditions de l’approbation.', {
      issues: [{ path: 'conditions', message: 'requis pour une approbation avec conditions' }],
    });
  }
  if (input.decision === 'rejected' && !input.reasons) {
    throw new AppError('validation_failed', 'Donnez les raisons du rejet : le demandeur les lira.', {
      issues: [{ path: 'reasons', message: 'requis pour un rejet' }],
    });
  }
  assertRequestMove(request.stage, 'review');
  if (request.requested_by === actor.userId) throw new AppError('forbidden', 'Vous ne pouvez pas examiner votre propre demande.');
  return input;
}

/**
 * The decision, in the caller's transaction: a reviewer's own, or the ethics commission's vote
 * adopting the decision a reviewer escalated to it (`actor.vote`, named in the ledger).
 */
export async function reviewRequestIn(
  trx: Executor,
  actor: Actor & { vote?: string },
  request: RequestRow,
  input: z.output<typeof reviewDecisionInput>,
): Promise<void> {
  const rejected = input.decision === 'rejected';
  const moved = await trx
    .updateTable('access_requests')
    .set({
      stage: rejected ? 'refused' : 'provider_review',
      state: rejected ? 'TERMINATED' : 'REQUESTED',
      ...(rejected ? { reason: input.reasons, decided_by: actor.userId, decided_at: new Date() } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', request.id)
    .where('stage', '=', 'ethics_review')
    .returning('id')
    .executeTakeFirst();
  if (!moved) throw new AppError('conflict', 'Cette demande vient d’être examinée : rechargez-la.');
  await trx
    .updateTable('ethics_reviews')
    .set({
      state: 'decided',
      decision: input.decision,
      checklist: JSON.stringify(input.checklist),
      conditions: input.conditions,
      reasons: input.reasons,
      reviewer_id: actor.userId,
      decided_at: new Date(),
    })
    .where('request_id', '=', request.id)
    .execute();
  await recordFacts(trx, [
    {
      type: 'ethics.decided',
      public: {
        request: request.id,
        dataset: request.dataset_slug,
        decision: rejected ? 'refused' : input.decision === 'conditions' ? 'conditions' : 'approved',
        ...(actor.vote ? { vote: actor.vote } : {}),
      },
      details: {
        by: actor.userId,
        checklist: Object.fromEntries(FIVE_SAFES.map((s) => [s, input.checklist[s]])),
        conditions: input.conditions,
        reasons: input.reasons,
      },
      parties: [request.consumer_id, request.provider_id],
    },
  ]);
  await notify(
    trx,
    [request.requested_by],
    'review.decided',
    `Avis de la commission d’éthique : ${request.dataset_title}`,
    `/demandes/${request.id}`,
  );
  if (!rejected) {
    await notify(
      trx,
      await staffOf(trx, request.provider_id, PROVIDER_STAFF),
      'request.received',
      `Demande approuvée par la commission d’éthique, à décider : ${request.dataset_title}`,
      `/demandes/${request.id}`,
    );
  }
}

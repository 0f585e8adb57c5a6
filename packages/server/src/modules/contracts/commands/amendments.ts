import { amendmentInput, catalogUris, type amendmentDecisionInput } from '@confiance/contract';
import type { z } from 'zod';
import type { Context } from '../../../platform/context';
import { AppError, validationFailed } from '../../../platform/http/errors';
import { recordFacts } from '../../ledger/index';
import { buildAgreement, grantOf, readAgreement } from '../agreement';
import { notify } from '../../mailing/index';
import { findContract, type ContractRow } from '../repository';
import { contractMove } from '../states';
import { addMonths, concerned, usageOf, type Actor, type ContractsDeps } from './contracts';

/**
 * Amendments: one party proposes a new duration and/or the offer's current terms; the other
 * accepts (a new version of the agreement, signed again, both acceptances recorded) or refuses.
 * One open proposal at a time (a partial unique index).
 */
export async function proposeAmendment(
  ctx: Context,
  actor: Actor,
  contract: ContractRow,
  organisationId: string,
  raw: z.input<typeof amendmentInput>,
): Promise<ContractRow> {
  const parsed = amendmentInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Avenant invalide');
  contractMove(contract.state, 'amend');
  const input = parsed.data;
  const open = await ctx.db
    .selectFrom('contract_amendments')
    .select('id')
    .where('contract_id', '=', contract.id)
    .where('state', '=', 'proposed')
    .executeTakeFirst();
  if (open) throw new AppError('conflict', 'Un avenant attend déjà la réponse de l’autre partie.');
  const id = crypto.randomUUID();
  const by = organisationId === contract.provider_id ? contract.provider_slug : contract.consumer_slug;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('contract_amendments')
      .values({
        id,
        contract_id: contract.id,
        proposed_by: organisationId,
        duration_months: input.durationMonths,
        latest_offer: input.latestOffer,
        reason: input.reason,
        created_by: actor.userId,
      })
      .execute();
    await trx
      .insertInto('contract_events')
      .values({
        contract_id: contract.id,
        kind: 'amendment_proposed',
        version: contract.version,
        organisation_id: organisationId,
        user_id: actor.userId,
        reason: input.reason,
      })
      .execute();
    await recordFacts(trx, [
      {
        type: 'contract.amendment',
        public: { contract: contract.id, amendment: id, by, state: 'proposed' },
        details: { by: actor.userId, reason: input.reason, durationMonths: input.durationMonths, latestOffer: input.latestOffer },
        parties: [contract.consumer_id, contract.provider_id],
      },
    ]);
    await notify(
      trx,
      (await concerned(trx, contract)).filter((u) => u !== actor.userId),
      'contract.amendment',
      `Avenant proposé : ${contract.dataset_title}`,
      `/contrats/${contract.id}`,
    );
  });
  return (await findContract(ctx.db, contract.id))!;
}

export async function decideAmendment(
  ctx: Context,
  deps: ContractsDeps,
  actor: Actor,
  contract: ContractRow,
  organisationId: string,
  amendmentId: string,
  input: z.output<typeof amendmentDecisionInput>,
): Promise<ContractRow> {
  const amendment = await ctx.db
    .selectFrom('contract_amendments')
    .selectAll()
    .where('id', '=', amendmentId)
    .where('contract_id', '=', contract.id)
    .executeTakeFirst();
  if (!amendment) throw new AppError('not_found', 'Avenant introuvable.');
  if (amendment.state !== 'proposed') throw new AppError('conflict', 'Cet avenant a déjà reçu une réponse.');
  if (amendment.proposed_by === organisationId) throw new AppError('forbidden', 'L’avenant doit être accepté par l’autre partie.');
  const by = organisationId === contract.provider_id ? contract.provider_slug : contract.consumer_slug;
  const parties = [contract.consumer_id, contract.provider_id];
  if (!input.accept) {
    await ctx.db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('contract_amendments')
        .set({ state: 'rejected', decided_at: new Date() })
        .where('id', '=', amendment.id)
        .where('state', '=', 'proposed')
        .returning('id')
        .executeTakeFirst();
      if (!moved) throw new AppError('conflict', 'Cet avenant a déjà reçu une réponse.');
      await trx
        .insertInto('contract_events')
        .values({
          contract_id: contract.id,
          kind: 'amendment_rejected',
          version: contract.version,
          organisation_id: organisationId,
          user_id: actor.userId,
          reason: input.reason,
        })
        .execute();
      await recordFacts(trx, [
        {
          type: 'contract.amendment',
          public: { contract: contract.id, amendment: amendment.id, by, state: 'rejected' },
          details: { by: actor.userId, reason: input.reason },
          parties,
        },
      ]);
      await notify(
        trx,
        (await concerned(trx, contract)).filter((u) => u !== actor.userId),
        'contract.amendment',
        `Avenant refusé : ${contract.dataset_title}`,
        `/contrats/${contract.id}`,
      );
    });
    return (await findContract(ctx.db, contract.id))!;
  }
  contractMove(contract.state, 'amend');
  const offer = await ctx.db
    .selectFrom('offers')
    .select(['version', 'policy', 'status'])
    .where('id', '=', contract.offer_id)
    .executeTakeFirstOrThrow();
  if (amendment.latest_offer && offer.status === 'retired')
    throw new AppError('offer_retired', 'L’offre est retirée : ses conditions actuelles ne peuvent plus être reprises.');
  const offerVersion = amendment.latest_offer ? offer.version : contract.offer_version;
  const policy = (
    await ctx.db
      .selectFrom('offer_versions')
      .select('policy')
      .where('offer_id', '=', contract.offer_id)
      .where('version', '=', offerVersion)
      .executeTakeFirstOrThrow()
  ).policy as Record<string, unknown>;
  const validUntil = amendment.duration_months ? addMonths(contract.valid_from, amendment.duration_months) : contract.valid_until;
  const previous = contract.agreement as { uid: string; assignee: string };
  const agreement = buildAgreement(policy, {
    uid: previous.uid,
    assignee: previous.assignee,
    purpose: contract.purpose,
    validFrom: contract.valid_from,
    validUntil,
    conditions: contract.conditions,
  });
  const grant = grantOf(readAgreement(agreement), {
    id: contract.id,
    dataset: catalogUris.dataset(ctx.config.baseUrl, contract.dataset_slug),
    validFrom: contract.valid_from,
    validUntil,
    users: contract.users,
  });
  const jws = await deps.signer.sign(agreement);
  const version = contract.version + 1;
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('contract_amendments')
      .set({ state: 'accepted', decided_at: new Date() })
      .where('id', '=', amendment.id)
      .where('state', '=', 'proposed')
      .returning('id')
      .executeTakeFirst();
    if (!moved) throw new AppError('conflict', 'Cet avenant a déjà reçu une réponse.');
    const updated = await trx
      .updateTable('contracts')
      .set({
        version,
        agreement: JSON.stringify(agreement),
        jws,
        valid_until: validUntil,
        offer_version: offerVersion,
        granted_uses: grant.uses,
        expiry_notified: false,
        updated_at: new Date(),
      })
      .where('id', '=', contract.id)
      .where('version', '=', contract.version)
      .where('state', 'in', ['active', 'suspended'])
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new AppError('conflict', 'Ce contrat vient de changer : rechargez-le et recommencez.');
    await trx
      .insertInto('contract_versions')
      .values({ contract_id: contract.id, version, agreement: JSON.stringify(agreement), jws, valid_until: validUntil })
      .execute();
    await trx
      .insertInto('contract_events')
      .values({
        contract_id: contract.id,
        kind: 'amended',
        version,
        organisation_id: organisationId,
        user_id: actor.userId,
        reason: input.reason,
      })
      .execute();
    const proposer = amendment.proposed_by === contract.provider_id ? 'provider' : 'consumer';
    await recordFacts(trx, [
      {
        type: 'contract.accepted',
        public: {
          contract: contract.id,
          version,
          party: proposer === 'provider' ? contract.provider_slug : contract.consumer_slug,
          role: proposer,
        },
        details: { by: amendment.created_by ?? 'unknown' },
        parties,
      },
      {
        type: 'contract.accepted',
        public: { contract: contract.id, version, party: by, role: proposer === 'provider' ? 'consumer' : 'provider' },
        details: { by: actor.userId },
        parties,
      },
      { type: 'contract.amended', public: usageOf(contract), details: { by: actor.userId, version, amendment: amendment.id }, parties },
    ]);
    await notify(
      trx,
      (await concerned(trx, contract)).filter((u) => u !== actor.userId),
      'contract.amendment',
      `Avenant accepté : ${contract.dataset_title} (version ${version})`,
      `/contrats/${contract.id}`,
    );
  });
  return (await findContract(ctx.db, contract.id))!;
}

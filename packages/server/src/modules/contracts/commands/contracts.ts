import { canonicalJson, catalogUris, type LedgerFact } from '@confiance/contract';
import type { Context, Executor } from '../../../platform/context';
import { sha256Hex } from '../../../platform/crypto';
import { AppError } from '../../../platform/http/errors';
import { recordFacts } from '../../ledger/index';
import { buildAgreement, grantOf, readAgreement } from '../agreement';
import { notify, staffOf } from '../../mailing/index';
import { findContract, projectOrganisations, type ContractRow, type RequestRow } from '../repository';
import type { ContractSigner } from '../signing';
import { contractMove, type ContractAction } from '../states';

export interface Actor {
  userId: string;
}

export interface ContractsDeps {
  signer: ContractSigner;
}

const MONTH_MS = 30.436875 * 24 * 3600 * 1000;
export const addMonths = (from: Date, months: number) => new Date(from.getTime() + Math.round(months * MONTH_MS));

type Usage = Extract<LedgerFact, { type: 'contract.signed' }>['public'];

export function usageOf(c: {
  id: string;
  dataset_slug: string;
  provider_slug: string;
  consumer_slug: string;
  offer_id: string;
  consumer_category: string;
  purpose: string;
}): Usage {
  return {
    contract: c.id,
    dataset: c.dataset_slug,
    provider: c.provider_slug,
    consumer: c.consumer_slug,
    offer: c.offer_id,
    plan: null,
    partyType: c.consumer_category as Usage['partyType'],
    purpose: c.purpose,
  };
}

/** Everyone a contract's change concerns: the provider's staff, the consumer's admins and users. */
export async function concerned(
  db: Executor,
  c: { provider_id: string; consumer_id: string; users: readonly string[] },
): Promise<string[]> {
  return [
    ...(await staffOf(db, c.provider_id, ['org_admin', 'data_steward'])),
    ...(await staffOf(db, c.consumer_id, ['org_admin'])),
    ...c.users,
  ];
}

/**
 * The contract for an agreed request, in the transaction that agreed it: the ODRL Agreement
 * signed as a JWS with the node's contract key, each party's acceptance and the signature as
 * their own ledger entries. The consumer accepted the offer's terms by requesting; the provider
 * by approving (or in advance, by publishing an automatic offer).
 */
export async function signContract(
  trx: Executor,
  ctx: Context,
  deps: ContractsDeps,
  request: RequestRow,
  offerPolicy: Record<string, unknown>,
  acceptance: { providerBy: string | null; conditions: string | null },
): Promise<string> {
  const id = crypto.randomUUID();
  const baseUrl = ctx.config.baseUrl;
  const validFrom = new Date();
  const validUntil = addMonths(validFrom, request.duration_months);
  const agreement = buildAgreement(offerPolicy, {
    uid: catalogUris.contract(baseUrl, id),
    assignee: request.project_id
      ? catalogUris.project(baseUrl, request.project_id)
      : catalogUris.organisation(baseUrl, request.consumer_slug),
    purpose: request.purpose,
    validFrom,
    validUntil,
    conditions: acceptance.conditions,
  });
  const grant = grantOf(readAgreement(agreement), {
    id,
    dataset: catalogUris.dataset(baseUrl, request.dataset_slug),
    validFrom,
    validUntil,
    users: request.users,
  });
  const jws = await deps.signer.sign(agreement);
  await trx
    .insertInto('contracts')
    .values({
      id,
      request_id: request.id,
      offer_id: request.offer_id,
      offer_version: request.offer_version,
      dataset_id: request.dataset_id,
      provider_id: request.provider_id,
      consumer_id: request.consumer_id,
      project_id: request.project_id,
      purpose: request.purpose,
      use: request.use,
      users: request.users,
      granted_uses: grant.uses,
      agreement: JSON.stringify(agreement),
      jws,
      conditions: acceptance.conditions,
      valid_from: validFrom,
      valid_until: validUntil,
    })
    .execute();
  await trx
    .insertInto('contract_versions')
    .values({ contract_id: id, version: 1, agreement: JSON.stringify(agreement), jws, valid_until: validUntil })
    .execute();
  await trx
    .insertInto('contract_events')
    .values([
      { contract_id: id, kind: 'accepted', version: 1, organisation_id: request.consumer_id, user_id: request.requested_by },
      { contract_id: id, kind: 'accepted', version: 1, organisation_id: request.provider_id, user_id: acceptance.providerBy },
      { contract_id: id, kind: 'signed', version: 1, organisation_id: null, user_id: null },
    ])
    .execute();
  const parties = [request.consumer_id, request.provider_id];
  await recordFacts(trx, [
    {
      type: 'contract.accepted',
      public: { contract: id, version: 1, party: request.consumer_slug, role: 'consumer' },
      details: { by: request.requested_by },
      parties,
    },
    {
      type: 'contract.accepted',
      public: { contract: id, version: 1, party: request.provider_slug, role: 'provider' },
      details: { by: acceptance.providerBy ?? `offer:${request.offer_id}:automatic` },
      parties,
    },
    {
      type: 'contract.signed',
      public: usageOf({ ...request, id }),
      details: { jwsSha256: sha256Hex(jws), agreementSha256: sha256Hex(canonicalJson(agreement)), kid: deps.signer.kid },
      parties,
    },
  ]);
  await notify(
    trx,
    [...(await concerned(trx, request)), request.requested_by],
    'contract.signed',
    `Contrat signé : ${request.dataset_title} (${request.consumer_name})`,
    `/contrats/${id}`,
  );
  return id;
}

type StateAction = Exclude<ContractAction, 'amend'>;
const EVENT: Record<
  StateAction,
  {
    fact: 'contract.suspended' | 'contract.resumed' | 'contract.terminated' | 'contract.expired';
    kind: 'suspended' | 'resumed' | 'terminated' | 'expired';
    notice: string;
  }
> = {
  suspend: { fact: 'contract.suspended', kind: 'suspended', notice: 'Contrat suspendu' },
  resume: { fact: 'contract.resumed', kind: 'resumed', notice: 'Contrat repris' },
  terminate: { fact: 'contract.terminated', kind: 'terminated', notice: 'Contrat résilié' },
  expire: { fact: 'contract.expired', kind: 'expired', notice: 'Contrat expiré' },
};

/**
 * Suspend, resume, terminate or expire. The row changes only from the state it was read in, so
 * two parties acting at once cannot both succeed; the change, its history line, its ledger entry
 * and its notifications commit together — and the grant query sees it on the very next request.
 */
export async function changeContractState(
  ctx: Context,
  actor: Actor | null,
  contract: ContractRow,
  action: StateAction,
  by: { organisationId: string | null; reason: string | null },
): Promise<ContractRow> {
  const next = contractMove(contract.state, action);
  const event = EVENT[action];
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('contracts')
      .set({
        state: next,
        updated_at: new Date(),
        ...(action === 'terminate' ? { termination_reason: by.reason, terminated_by: by.organisationId } : {}),
      })
      .where('id', '=', contract.id)
      .where('state', '=', contract.state)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new AppError('conflict', 'Ce contrat vient de changer d’état : rechargez-le et recommencez.');
    await trx
      .insertInto('contract_events')
      .values({
        contract_id: contract.id,
        kind: event.kind,
        version: contract.version,
        organisation_id: by.organisationId,
        user_id: actor?.userId ?? null,
        reason: by.reason,
      })
      .execute();
    await recordFacts(trx, [
      {
        type: event.fact,
        public: usageOf(contract),
        details: { by: actor?.userId ?? 'node', ...(by.reason ? { reason: by.reason } : {}) },
        parties: [contract.consumer_id, contract.provider_id],
      },
    ]);
    await notify(
      trx,
      (await concerned(trx, contract)).filter((u) => u !== actor?.userId),
      `contract.${event.kind}`,
      `${event.notice} : ${contract.dataset_title} (${contract.consumer_name})`,
      `/contrats/${contract.id}`,
    );
  });
  return (await findContract(ctx.db, contract.id))!;
}

/** Contracts past their end: expired, recorded, their parties told; a warning 7 days ahead. */
export async function sweepContracts(ctx: Context): Promise<number> {
  const now = new Date();
  const due = await ctx.db
    .selectFrom('contracts')
    .select('id')
    .where('state', 'in', ['active', 'suspended'])
    .where('valid_until', '<=', now)
    .execute();
  for (const { id } of due) {
    const contract = await findContract(ctx.db, id);
    if (!contract || (contract.state !== 'active' && contract.state !== 'suspended')) continue;
    try {
      await changeContractState(ctx, null, contract, 'expire', { organisationId: null, reason: null });
    } catch (error) {
      // Another node (or the other party) changed it first: nothing left to do here.
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    }
  }
  const soon = new Date(now.getTime() + 7 * 24 * 3600 * 1000);
  const expiring = await ctx.db
    .selectFrom('contracts')
    .selectAll()
    .where('state', '=', 'active')
    .where('expiry_notified', '=', false)
    .where('valid_until', '<=', soon)
    .execute();
  for (const c of expiring) {
    await ctx.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('contracts')
        .set({ expiry_notified: true })
        .where('id', '=', c.id)
        .where('expiry_notified', '=', false)
        .returning('id')
        .executeTakeFirst();
      if (!claimed) return;
      await notify(
        trx,
        await concerned(trx, c),
        'contract.expiring',
        `Un contrat arrive à échéance le ${c.valid_until.toLocaleDateString('fr-FR')}`,
        `/contrats/${c.id}`,
      );
    });
  }
  return due.length;
}

/** Which side of the contract the caller's organisations are on, if any (project partners: the consumer's). */
export function sideOf(
  contract: Pick<ContractRow, 'provider_id' | 'consumer_id'>,
  organisationIds: readonly string[],
  projectPartners: readonly string[],
): 'provider' | 'consumer' | null {
  if (organisationIds.includes(contract.provider_id)) return 'provider';
  if (organisationIds.includes(contract.consumer_id) || projectPartners.some((o) => organisationIds.includes(o))) return 'consumer';
  return null;
}

export async function partyOf(
  db: Executor,
  contract: ContractRow,
  organisationIds: readonly string[],
): Promise<'provider' | 'consumer' | null> {
  const direct = sideOf(contract, organisationIds, []);
  if (direct || !contract.project_id) return direct;
  return sideOf(contract, organisationIds, await projectOrganisations(db, contract.project_id));
}

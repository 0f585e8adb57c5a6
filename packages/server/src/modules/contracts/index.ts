import type { FastifyInstance } from 'fastify';
import type { Context } from '../../platform/context';
import { registerGrantProvider } from '../catalog/index';
import { sweepContracts, type ContractsDeps } from './commands/contracts';
import { catalogUris, partialUse, type GrantView, type Principal } from '@confiance/contract';
import type { Executor } from '../../platform/context';
import { grantOf, planOfAgreement, readAgreement } from './agreement';
import { usageOf } from './commands/contracts';
import { activeContracts } from './repository';
import { contractsRoutes } from './routes';
import { registerEscalatedReviews } from './escalation';
import { loadContractSigner } from './signing';

/**
 * Access requests, ethics reviews, contracts and their lifecycle (for a project or not), in-app
 * notifications. The catalog asks this module, on every data request, what the caller's active
 * contracts grant (`registerGrantProvider`): revocation holds on the next request.
 */
export { createRequest, approveRequest, rejectRequest, withdrawRequest, reviewRequest } from './commands/requests';
export { changeContractState, sweepContracts } from './commands/contracts';
export { findContract } from './repository';
/** Projects moved to their own module (issue 10); re-exported for the modules that read them here. */
export { createProject, findProject, projectContracts, projectOrganisations, projectPartners, type ProjectRow } from '../projects/index';

export type ContractUsage = ReturnType<typeof usageOf>;

/** The price plan each contract's signed agreement carries (free when it has none), by contract id. */
export async function contractPlans(db: Executor, ids: readonly string[]): Promise<Map<string, GrantView['plan']>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('contracts')
    .select(['id', 'agreement'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, planOfAgreement(readAgreement(r.agreement))]));
}

/** An active contract of the caller on a dataset: what it grants, and the facts its uses are logged with. */
export interface ActiveGrant {
  grant: GrantView;
  usage: ContractUsage;
  providerId: string;
  consumerId: string;
  /** The project's partners see the project's uses too. */
  projectId: string | null;
  dataset: { id: string; slug: string; title: string };
  providerName: string;
}

/**
 * Grants by contract version: an agreement version never changes, so it is read (parsed and
 * evaluated) once, not on every query. The row itself — state, validity, people — is still read
 * from the database each time; everything it holds is part of the key.
 */
const grants = new Map<string, GrantView>();
const MAX_CACHED_GRANTS = 1000;

function cachedGrant(row: Awaited<ReturnType<typeof activeContracts>>[number], baseUrl: string): GrantView {
  const key = JSON.stringify([row.id, row.version, row.valid_from.getTime(), row.valid_until.getTime(), row.users, baseUrl]);
  let grant = grants.get(key);
  if (!grant) {
    grant = grantOf(readAgreement(row.agreement), {
      id: row.id,
      dataset: catalogUris.dataset(baseUrl, row.dataset_slug),
      validFrom: row.valid_from,
      validUntil: row.valid_until,
      users: row.users,
    });
    if (grants.size >= MAX_CACHED_GRANTS) grants.delete(grants.keys().next().value!);
    grants.set(key, grant);
  }
  return grant;
}

/**
 * The caller's active contracts on a dataset (null: on every dataset), oldest first, each with its
 * grant read from the agreement.
 */
export async function activeGrants(db: Executor, baseUrl: string, datasetId: string | null, principal: Principal): Promise<ActiveGrant[]> {
  if (principal.kind !== 'user') return [];
  const rows = await activeContracts(
    db,
    datasetId,
    principal.userId,
    principal.memberships.map((m) => m.organisationId),
  );
  return rows.map((row) => ({
    grant: cachedGrant(row, baseUrl),
    usage: usageOf(row),
    providerId: row.provider_id,
    consumerId: row.consumer_id,
    projectId: row.project_id,
    dataset: { id: row.dataset_id, slug: row.dataset_slug, title: row.dataset_title },
    providerName: row.provider_name,
  }));
}

/**
 * The uses the catalog's rules see. A grant narrowed to some columns or départements cannot be
 * honoured by a whole-file preview or download: those uses are marked partial, which the rules do
 * not accept, and the consumer reads through queries, where the narrowing is compiled in.
 */
export function catalogUses(grants: readonly ActiveGrant[]): string[] {
  return [
    ...new Set(
      grants.flatMap(({ grant }) =>
        grant.columns.length > 0 || grant.departements.length > 0
          ? grant.uses.map((u) => (u === 'aggregate' ? u : partialUse(u)))
          : grant.uses,
      ),
    ),
  ];
}

export interface Contracts extends ContractsDeps {
  /** Expire what is due and warn what is due soon, now. */
  sweep(): Promise<number>;
  /** Sweep once a minute until stopped. */
  start(intervalMs?: number): void;
  stop(): void;
}

export async function registerContracts(app: FastifyInstance, ctx: Context): Promise<Contracts> {
  registerEscalatedReviews();
  const signer = await loadContractSigner(ctx.config.contracts.keyFile);
  registerGrantProvider(async (db, datasetId, principal) => catalogUses(await activeGrants(db, ctx.config.baseUrl, datasetId, principal)));
  let timer: NodeJS.Timeout | undefined;
  const contracts: Contracts = {
    signer,
    sweep: () => sweepContracts(ctx),
    start(intervalMs = 60_000) {
      const tick = () => {
        sweepContracts(ctx)
          .catch((error: unknown) => ctx.log.error({ err: error }, 'contract sweep failed'))
          .finally(() => {
            if (timer) timer = setTimeout(tick, intervalMs).unref();
          });
      };
      timer = setTimeout(tick, intervalMs).unref();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
  contractsRoutes(app, ctx, contracts);
  app.addHook('onClose', () => contracts.stop());
  return contracts;
}

import type { FastifyInstance } from 'fastify';
import type { Context } from '../../platform/context';
import { registerGrantProvider } from '../catalog/index';
import { sweepContracts, type ContractsDeps } from './commands/contracts';
import { activeGrantUses } from './repository';
import { contractsRoutes } from './routes';
import { loadContractSigner } from './signing';

/**
 * Access requests, ethics reviews, contracts and their lifecycle, minimal projects, in-app
 * notifications. The catalog asks this module, on every data request, what the caller's active
 * contracts grant (`registerGrantProvider`): revocation holds on the next request.
 */
export { createRequest, approveRequest, rejectRequest, withdrawRequest, reviewRequest } from './commands/requests';
export { changeContractState, sweepContracts } from './commands/contracts';
export { createProject } from './commands/projects';

export interface Contracts extends ContractsDeps {
  /** Expire what is due and warn what is due soon, now. */
  sweep(): Promise<number>;
  /** Sweep once a minute until stopped. */
  start(intervalMs?: number): void;
  stop(): void;
}

export async function registerContracts(app: FastifyInstance, ctx: Context): Promise<Contracts> {
  const signer = await loadContractSigner(ctx.config.contracts.keyFile);
  registerGrantProvider((db, datasetId, principal) =>
    principal.kind === 'user'
      ? activeGrantUses(
          db,
          datasetId,
          principal.userId,
          principal.memberships.map((m) => m.organisationId),
        )
      : Promise.resolve([]),
  );
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

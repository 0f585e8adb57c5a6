import type { FastifyInstance } from 'fastify';
import type { Context } from '../../platform/context';
import { closeDueVotes } from './commands/votes';
import { governanceRoutes } from './routes';

/**
 * Governance (issue 10): the association's commissions (members, agenda, documents), their votes
 * with quorum and majority rules, and gates — actions the operator puts behind a commission's
 * vote. A module that owns a gated action registers its executor (`registerGateExecutor`) and
 * calls `requireVote` before acting; the adopted vote's closing transaction runs the action.
 */
export { registerGateExecutor, type GateExecutor } from './gates';
export { requireVote, openVote, castBallot, closeVote, closeDueVotes } from './commands/votes';
export { appointMember, addAgendaItem, addDocument, updateCommission, updateGates } from './commands/commissions';
export { findCommission, findVote } from './repository';
export { presentVote } from './presenter';

export interface Governance {
  /** Decides the votes whose closing time has passed. */
  closeDue(): Promise<number>;
  /** Checks every minute until stopped (reads also decide a due vote, so this only keeps the record timely). */
  start(intervalMs?: number): void;
  stop(): void;
}

export function registerGovernance(app: FastifyInstance, ctx: Context): Governance {
  governanceRoutes(app, ctx);
  let timer: NodeJS.Timeout | undefined;
  const governance: Governance = {
    closeDue: () => closeDueVotes(ctx),
    start(intervalMs = 60_000) {
      const tick = () => {
        closeDueVotes(ctx)
          .then((n) => {
            if (n > 0) ctx.log.info({ closed: n }, 'votes decided at their closing time');
          })
          .catch((error: unknown) => ctx.log.error({ err: error }, 'closing due votes failed'))
          .finally(() => {
            if (timer) timer = setTimeout(tick, intervalMs).unref();
          });
      };
      timer = setTimeout(tick, 5_000).unref();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
  app.addHook('onClose', () => governance.stop());
  return governance;
}

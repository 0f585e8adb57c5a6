import type { FastifyInstance } from 'fastify';
import type { Context } from '../../platform/context';
import { integrateAll, lastIndex, latestCheckpoint } from './integrate';
import { loadOrCreateSigner, type NoteSigner } from './keys';
import { ledgerRoutes } from './routes';
import { verifyLedger, type LedgerVerdict } from './verify';

/**
 * The ledger: an append-only Merkle tree (RFC 9162) of every fact, with signed checkpoints,
 * tiles, proofs and witnesses. Other modules record facts through `recordFact` inside their own
 * transactions; this module imports none of them.
 */
export { recordFact, recordFacts } from './record';
export type { LedgerVerdict } from './verify';
export {
  checkpointRefAt,
  contractUsageEntries,
  factIndex,
  latestCheckpointRef,
  usageEntries,
  usageEntriesAt,
  usageGroupOf,
  usageGroups,
  USAGE_ENTRY_TYPES,
} from './usage';
export type { CheckpointRef, UsageEntry, UsageEntryType, UsageGroup } from './usage';

export interface Ledger {
  signer: NoteSigner;
  origin: string;
  /** Integrates everything pending now (tests, the end of the seed); returns the tree size. */
  integrate(): Promise<number>;
  /** Checks the whole stored log against its checkpoints and key. */
  verify(): Promise<LedgerVerdict>;
  /** Starts integrating in the background, a batch every `intervalMs` while entries are pending. */
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

export async function registerLedger(app: FastifyInstance, ctx: Context): Promise<Ledger> {
  const origin = ctx.config.ledger.origin;
  const signer = await loadOrCreateSigner(ctx.config.ledger.keyFile, origin);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // One integration at a time in this process (the advisory lock covers other processes).
  let running: Promise<number> = Promise.resolve(0);
  const integrate = () => {
    running = running.catch(() => 0).then(() => integrateAll(ctx.db, signer, origin));
    return running;
  };
  const ledger: Ledger = {
    signer,
    origin,
    integrate,
    verify: () => verifyLedger(ctx.db, signer, origin),
    start(intervalMs = 250) {
      stopped = false;
      const tick = async () => {
        try {
          const [last, latest] = await Promise.all([lastIndex(ctx.db), latestCheckpoint(ctx.db)]);
          const pending = last + 1 > (latest?.size ?? -1);
          if (pending) await integrate();
        } catch (error) {
          ctx.log.error({ err: error }, 'ledger integration failed');
        } finally {
          if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
        }
      };
      timer = setTimeout(() => void tick(), intervalMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await running.catch(() => 0);
    },
  };
  ledgerRoutes(app, ctx, ledger);
  app.addHook('onClose', () => ledger.stop());
  return ledger;
}

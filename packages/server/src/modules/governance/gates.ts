import type { GatedAction } from '@confiance/contract';
import type { Executor } from '../../platform/context';

/**
 * Actions the operator can put behind a commission's vote. Governance knows none of them: the
 * module that owns an action (policies, billing…) registers its executor at start-up, and calls
 * `requireVote` before acting. So governance imports no module, and none imports it back but
 * through this one registry.
 */
export interface GateExecutor {
  /**
   * Checks a proposal before a vote is opened on it (throws the same AppError the action would)
   * and returns the payload to keep with the vote.
   */
  prepare(db: Executor, payload: unknown): Promise<unknown>;
  /** The vote's question, in French. */
  question(payload: unknown): string;
  /** The proposal in French sentences, for the vote's page. */
  describe(payload: unknown): string[];
  /**
   * Carries the action out in the vote's closing transaction (its ledger fact names the vote).
   * An AppError leaves the vote decided and the action marked failed, with the message.
   */
  execute(trx: Executor, actor: { userId: string; vote: string }, payload: unknown): Promise<void>;
}

const executors = new Map<GatedAction, GateExecutor>();

export function registerGateExecutor(action: GatedAction, executor: GateExecutor): void {
  executors.set(action, executor);
}

export function gateExecutor(action: GatedAction): GateExecutor | undefined {
  return executors.get(action);
}

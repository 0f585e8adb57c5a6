import type { FastifyInstance } from 'fastify';
import type { Context } from '../../platform/context';
import { fairReturnRoutes } from './fair-return-routes';
import { issueMonthlyStatements, type IssuedStatements } from './monthly';
import { billingRoutes } from './routes';

/**
 * Billing (issue 9): the operator's settings (`settings.ts`), estimates (`estimates.ts`), monthly
 * statements computed from the ledger's metered uses (`statements.ts`, `summary.ts`), invoices and
 * credit notes from them with gap-free numbering per seller (`invoices.ts`) as EN 16931 CII XML and
 * PDF (`einvoice/`), a project's fair return (`fair-return.ts`), and each closed month's statements
 * pinned in the ledger (`monthly.ts`).
 */
export { computeStatement, recheckStatement, statementOf, periodBounds } from './statements';
export type { FeeSettings, Recheck, Statement, StatementFee, StatementLine, StatementQuery, StatementRole } from './statements';
export { currentSettings, settingsAt, updateSettings, DEFAULT_SETTINGS } from './settings';
import { checkSettings, describeSettings, updateSettingsIn } from './settings';
import { registerGateExecutor } from '../governance/index';
export { issueInvoice, issueCreditNote, findInvoice, associationOf } from './invoices';
export { estimateForContract, estimateForOffer, queriesThisMonth } from './estimates';
export { fairReturn, recordRevenue } from './fair-return';

export { issueMonthlyStatements, statementDigest, previousMonth } from './monthly';
export type { IssuedStatements } from './monthly';

export interface Billing {
  /** Issues last month's statements of record if a checkpoint covers them and they are not issued yet. */
  issueMonthly(): Promise<IssuedStatements>;
  /** Checks once an hour until stopped. */
  start(intervalMs?: number): void;
  stop(): void;
}

export function registerBilling(app: FastifyInstance, ctx: Context): Billing {
  billingRoutes(app, ctx);
  fairReturnRoutes(app, ctx);
  // A fee change the operator proposes waits, when gated, for the economic model commission's vote.
  registerGateExecutor('fee_change', {
    prepare: async (_db, payload) => checkSettings(payload),
    question: (payload) => `Adopter les nouveaux réglages de facturation (commission de ${checkSettings(payload).fee.percent} %) ?`,
    describe: (payload) => describeSettings(checkSettings(payload)),
    execute: async (trx, actor, payload) => {
      await updateSettingsIn(trx, actor, payload);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const billing: Billing = {
    issueMonthly: () => issueMonthlyStatements(ctx),
    start(intervalMs = 3_600_000) {
      const tick = () => {
        issueMonthlyStatements(ctx)
          .then((r) => {
            if (r.issued > 0) ctx.log.info({ period: r.period, issued: r.issued }, 'monthly statements issued');
          })
          .catch((error: unknown) => ctx.log.error({ err: error }, 'monthly statements failed'))
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
  app.addHook('onClose', () => billing.stop());
  return billing;
}

import type { FastifyInstance } from 'fastify';
import type { Context } from '../../platform/context';
import { fairReturnRoutes } from './fair-return-routes';
import { billingRoutes } from './routes';

/**
 * Billing (issue 9): the operator's settings (`settings.ts`), estimates (`estimates.ts`), monthly
 * statements computed from the ledger's metered uses (`statements.ts`, `summary.ts`), invoices and
 * credit notes from them with gap-free numbering per seller (`invoices.ts`) as EN 16931 CII XML and
 * PDF (`einvoice/`), and a project's fair return (`fair-return.ts`).
 */
export { computeStatement, recheckStatement, statementOf, periodBounds } from './statements';
export type { FeeSettings, Recheck, Statement, StatementFee, StatementLine, StatementQuery, StatementRole } from './statements';
export { currentSettings, settingsAt, updateSettings, DEFAULT_SETTINGS } from './settings';
export { issueInvoice, issueCreditNote, findInvoice, associationOf } from './invoices';
export { estimateForContract, estimateForOffer, queriesThisMonth } from './estimates';
export { fairReturn, recordRevenue } from './fair-return';

export function registerBilling(app: FastifyInstance, ctx: Context): void {
  billingRoutes(app, ctx);
  fairReturnRoutes(app, ctx);
}

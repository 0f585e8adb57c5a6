/**
 * Billing (issue 9): statements computed from the ledger's metered uses (`statements.ts`) and the
 * EN 16931 e-invoice model (`einvoice/`). No routes yet.
 */
export { computeStatement, recheckStatement, statementOf, periodBounds, DEFAULT_FEE_SCHEDULE } from './statements';
export type { Recheck, Statement, StatementFee, StatementLine, StatementQuery, StatementRole } from './statements';
export { fairReturn, recordRevenue } from './fair-return';

import { canonicalJson } from '@confiance/contract';
import { sql } from 'kysely';
import type { Context } from '../../platform/context';
import { sha256Hex } from '../../platform/crypto';
import { latestCheckpointRef, recordFacts, USAGE_ENTRY_TYPES } from '../ledger/index';
import { computeStatement, periodBounds, type Statement, type StatementRole } from './statements';
import { lastMonths } from './summary';

/**
 * Each month's statements, pinned in the ledger once the month is over: for every organisation
 * that used or provided data that month, its statement as consumer and as provider is computed
 * (as anyone can, on demand) and a `statement.issued` entry records its total, the checkpoint it
 * was computed at and the SHA-256 of the statement's canonical JSON — so a statement shown later
 * can be compared with the one of record, and recomputed from the log alone.
 *
 * A month is issued only when a signed checkpoint covers every use logged in it, and once: the
 * ledger itself says which statements were issued (under an advisory lock, so two nodes' sweeps
 * on one database do not both issue).
 */

/** Advisory lock key of the monthly issue. */
const MONTHLY_LOCK = 0x73746d74; // "stmt"

/**
 * SHA-256 of the statement's canonical JSON without its checkpoint (recorded beside it): a closed
 * month's statement computed at any later checkpoint has the same digest, as long as neither the
 * log nor the agreements changed.
 */
export function statementDigest(statement: Statement): string {
  const { checkpoint: _checkpoint, ...rest } = statement;
  return sha256Hex(canonicalJson(rest));
}

/** The month before `now` (UTC), YYYY-MM. */
export const previousMonth = (now = new Date()) => lastMonths(2, now)[0]!;

export interface IssuedStatements {
  period: string;
  /** Statements recorded by this run. */
  issued: number;
  /** Why nothing was issued, when nothing was. */
  waiting: string | null;
}

/** Issues the statements of `period` (default: last month) that are not in the ledger yet. */
export async function issueMonthlyStatements(ctx: Context, period = previousMonth(), now = new Date()): Promise<IssuedStatements> {
  const { from, to } = periodBounds(period);
  if (new Date(to) > now) return { period, issued: 0, waiting: `La période ${period} n'est pas terminée.` };
  const checkpoint = await latestCheckpointRef(ctx.db);
  const types = sql.join(USAGE_ENTRY_TYPES.map((t) => sql`${t}`));
  const { rows } = await sql<{ organisation: string; role: StatementRole; last: string | number }>`
    select public->>'consumer' as organisation, 'consumer' as role, max(tree_index) as last from ledger_entries
      where type in (${types}) and time >= ${from} and time < ${to} group by 1
    union all
    select public->>'provider', 'provider', max(tree_index) from ledger_entries
      where type in (${types}) and time >= ${from} and time < ${to} group by 1`.execute(ctx.db);
  if (rows.length === 0) return { period, issued: 0, waiting: null };
  const last = Math.max(...rows.map((r) => Number(r.last)));
  if (!checkpoint || checkpoint.size <= last)
    return { period, issued: 0, waiting: `Le dernier point de contrôle signé ne couvre pas encore tous les usages de ${period}.` };

  return ctx.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MONTHLY_LOCK})`.execute(trx);
    const { rows: done } = await sql<{ organisation: string; role: string }>`
      select public->>'organisation' as organisation, public->>'role' as role from ledger_entries
      where type = 'statement.issued' and public->>'period' = ${period}`.execute(trx);
    const issued = new Set(done.map((d) => `${d.role}:${d.organisation}`));
    const facts = [];
    for (const row of rows.sort((a, b) => `${a.role}:${a.organisation}`.localeCompare(`${b.role}:${b.organisation}`))) {
      if (issued.has(`${row.role}:${row.organisation}`)) continue;
      const statement = await computeStatement({ ...ctx, db: trx }, { organisation: row.organisation, period, role: row.role });
      facts.push({
        type: 'statement.issued' as const,
        public: {
          organisation: row.organisation,
          role: row.role,
          period,
          amountCents: statement.totals.gross,
          feeCents: statement.feeTotal,
          checkpoint: statement.checkpoint.size,
          entries: statement.lines.reduce((n, l) => n + l.entries.length, 0),
          sha256: statementDigest(statement),
        },
        parties: [],
      });
    }
    await recordFacts(trx, facts);
    return { period, issued: facts.length, waiting: null };
  });
}

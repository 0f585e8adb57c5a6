import type { BillingSummaryView } from '@confiance/contract';
import { sql } from 'kysely';
import type { Context } from '../../platform/context';
import { latestCheckpointRef, USAGE_ENTRY_TYPES } from '../ledger/index';
import { computeStatement } from './statements';

/**
 * Month by month, for the charts: an organisation's earnings (its statements as provider, and the
 * association's fee on them) and spending (as consumer); without an organisation, the whole node
 * (every provider's statement: what members earned and the association's fee income). Each month's
 * figures are those of the statements, so a chart and a statement never disagree.
 */

/** The last `count` UTC months, oldest first, as YYYY-MM. */
export function lastMonths(count: number, now = new Date()): string[] {
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

export async function billingSummary(ctx: Context, organisation: string | null, count: number): Promise<BillingSummaryView> {
  const months = lastMonths(count);
  const checkpoint = (await latestCheckpointRef(ctx.db)) ?? { size: 0, root: '' };
  const first = `${months[0]!}-01T00:00:00.000Z`;
  // Which (month, provider, consumer) pairs have uses at all: statements only for those.
  const { rows } = await sql<{ month: string; provider: string; consumer: string }>`
    select distinct substr(time, 1, 7) as month, public->>'provider' as provider, public->>'consumer' as consumer
    from ledger_entries
    where type in (${sql.join(USAGE_ENTRY_TYPES.map((t) => sql`${t}`))}) and tree_index < ${checkpoint.size} and time >= ${first}`.execute(
    ctx.db,
  );
  const result: BillingSummaryView['months'] = [];
  for (const period of months) {
    const here = rows.filter((r) => r.month === period);
    const row = { period, earned: 0, spent: 0, fee: 0, queries: 0 };
    const providers = [...new Set(here.filter((r) => organisation === null || r.provider === organisation).map((r) => r.provider))];
    for (const provider of providers) {
      const statement = await computeStatement(ctx, { organisation: provider, period, role: 'provider' });
      row.earned += statement.totals.net;
      row.fee += statement.feeTotal;
      if (organisation === null) row.queries += statement.lines.reduce((sum, l) => sum + l.queries, 0);
    }
    if (organisation !== null && here.some((r) => r.consumer === organisation)) {
      const statement = await computeStatement(ctx, { organisation, period, role: 'consumer' });
      row.spent = statement.totals.net;
      row.queries = statement.lines.reduce((sum, l) => sum + l.queries, 0);
    }
    if (organisation === null) row.spent = row.earned;
    result.push(row);
  }
  return { organisation, months: result, checkpoint };
}

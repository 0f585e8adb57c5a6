import type { TransparencyReport } from '@confiance/contract';
import { sql } from 'kysely';
import type { Executor } from '../../platform/context';

/**
 * The public transparency report, computed from the entries a checkpoint covers (so every figure
 * can be checked against that checkpoint): facts by type, accesses per dataset, purpose and month,
 * contracts by their latest state, ethics decisions, charter signatures per version, open offers
 * by how they are agreed, datasets published per month.
 */
const ACCESS_TYPES = ['query.completed', 'download'];
const CONTRACT_TYPES = ['contract.signed', 'contract.amended', 'contract.suspended', 'contract.terminated', 'contract.expired'];

export async function transparencyReport(
  db: Executor,
  origin: string,
  checkpoint: { size: number; root: Buffer },
): Promise<TransparencyReport> {
  const covered = (alias = 'e') => sql.raw(`${alias}.tree_index < ${Number(checkpoint.size)}`);
  const count = async (select: ReturnType<typeof sql>, where: ReturnType<typeof sql>) =>
    (
      await sql<{ key: string; count: number }>`
        select ${select} as key, count(*)::int as count from ledger_entries e
        where ${covered()} and ${where} group by 1 order by 2 desc, 1`.execute(db)
    ).rows.map((r) => ({ key: String(r.key), count: Number(r.count) }));
  const inTypes = (types: string[]) => sql`e.type in (${sql.join(types)})`;

  const [byType, byDataset, byPurpose, byMonth, datasetsByMonth, ethics, contracts, signatures, offers, decisions] = await Promise.all([
    count(sql`e.type`, sql`true`),
    count(sql`e.public->>'dataset'`, inTypes(ACCESS_TYPES)),
    count(sql`e.public->>'purpose'`, inTypes(ACCESS_TYPES)),
    count(sql`substr(e.time, 1, 7)`, inTypes(ACCESS_TYPES)),
    count(sql`substr(e.time, 1, 7)`, sql`e.type = 'dataset.published'`),
    count(sql`e.public->>'decision'`, sql`e.type = 'ethics.decided'`),
    // A contract's state is its latest contract fact.
    sql<{ key: string; count: number }>`
      select replace(type, 'contract.', '') as key, count(*)::int as count from (
        select distinct on (e.public->>'contract') e.type from ledger_entries e
        where ${covered()} and ${inTypes(CONTRACT_TYPES)}
        order by e.public->>'contract', e.tree_index desc) latest
      group by 1 order by 2 desc, 1`
      .execute(db)
      .then((r) => r.rows.map((x) => ({ key: x.key, count: Number(x.count) }))),
    count(sql`e.public->>'version'`, sql`e.type = 'charter.signed'`),
    // Offers open today: each offer's latest fact, unless it retired the offer.
    sql<{ key: string; count: number }>`
      select agreement as key, count(*)::int as count from (
        select distinct on (e.public->>'offer') e.public->>'agreement' as agreement, e.public->>'change' as change
        from ledger_entries e
        where ${covered()} and e.type = 'offer.changed'
        order by e.public->>'offer', e.tree_index desc) latest
      where change <> 'retired'
      group by 1 order by 2 desc, 1`
      .execute(db)
      .then((r) => r.rows.map((x) => ({ key: x.key, count: Number(x.count) }))),
    // Commissions' decisions (votes recorded before commissions existed have no commission).
    sql<{ commission: string; outcome: string; count: number }>`
      select coalesce(e.public->>'commission', '') as commission, e.public->>'outcome' as outcome, count(*)::int as count
      from ledger_entries e where ${covered()} and e.type = 'vote.decided'
      group by 1, 2 order by 1, 2`
      .execute(db)
      .then((r) => r.rows.map((x) => ({ commission: x.commission, outcome: x.outcome, count: Number(x.count) }))),
  ]);
  const byMonthSorted = [...byMonth].sort((a, b) => a.key.localeCompare(b.key));
  return {
    checkpoint: { origin, size: checkpoint.size, root: checkpoint.root.toString('base64') },
    generatedAt: new Date().toISOString(),
    entriesByType: byType.map((r) => ({ type: r.key, count: r.count })),
    accessesByDataset: byDataset.map((r) => ({ dataset: r.key, count: r.count })),
    accessesByPurpose: byPurpose.map((r) => ({ purpose: r.key, count: r.count })),
    accessesByMonth: byMonthSorted.map((r) => ({ month: r.key, count: r.count })),
    contractsByState: contracts.map((r) => ({ state: r.key, count: r.count })),
    ethicsDecisions: ethics.map((r) => ({ decision: r.key, count: r.count })),
    charterSignatures: signatures.map((r) => ({ version: r.key, count: r.count })),
    offersByAgreement: offers.map((r) => ({ agreement: r.key, count: r.count })),
    decisionsByCommission: decisions,
    datasetsByMonth: [...datasetsByMonth].sort((a, b) => a.key.localeCompare(b.key)).map((r) => ({ month: r.key, count: r.count })),
  };
}

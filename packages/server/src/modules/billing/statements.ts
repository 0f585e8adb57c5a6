import {
  computeFee,
  earnedCredits,
  estimate,
  ORGANISATION_CATEGORIES,
  sumCents,
  totalsOf,
  type Cents,
  type CreditRules,
  type FeeSchedule,
  type OrganisationCategory,
  type Party,
  type Plan,
  type PricedLine,
  type Totals,
} from '@confiance/contract';
import type { Context } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import { contractPlans } from '../contracts/index';
import {
  checkpointRefAt,
  latestCheckpointRef,
  usageEntries,
  usageEntriesAt,
  usageGroupOf,
  usageGroups,
  type CheckpointRef,
  type UsageEntry,
  type UsageGroup,
} from '../ledger/index';
import { organisationsBySlug } from './repository';
import { currentSettings, settingsAt } from './settings';

/**
 * Monthly statements computed only from the ledger's metered uses (`query.completed`, `download`)
 * covered by a signed checkpoint, priced with each contract's signed plan: every line cites its
 * entries, so anyone entitled to them can recompute the statement (`recheckStatement`).
 */

/** The fee a statement applies: the operator settings' version and its schedule. */
export interface FeeSettings {
  version: number;
  schedule: FeeSchedule;
  /** Contribution credits, when the operator uses them. */
  credits?: CreditRules | null;
}

/** Credits a provider earned by the month's billed uses of its data (give to get). */
export interface StatementCredits {
  provider: string;
  queries: number;
  units: number;
  credits: number;
  explanation: string;
}

export type StatementRole = 'consumer' | 'provider';

export interface StatementLine {
  contract: string;
  dataset: string;
  provider: string;
  consumer: string;
  offer: string | null;
  /** The price each use was charged at depends on this (from the entries' `partyType`). */
  party: Party;
  plan: Plan;
  /** Queries that delivered (details.outcome completed): the ones a per-query plan charges. */
  queries: number;
  /** Refused or failed queries: cited, charged nothing. */
  unbilledQueries: number;
  downloads: number;
  /** Rows delivered by the billed queries and downloads. */
  units: number;
  /** Every metered entry of the contract in the period, billed or not, in tree order. */
  entries: number[];
  priced: PricedLine[];
  totals: Totals;
}

export interface StatementFee {
  provider: string;
  base: Cents;
  rate: string;
  fee: Cents;
  explanation: string;
}

export interface Statement {
  organisation: string;
  role: StatementRole;
  /** UTC month, YYYY-MM. */
  period: string;
  /** The statement was computed at this checkpoint: entries at or past `size` are left for later. */
  checkpoint: CheckpointRef;
  /** The operator settings' version whose fee applied (0: the node's default, no fee). */
  settingsVersion: number;
  lines: StatementLine[];
  /** Σ of the lines (net, VAT by rate, gross). */
  totals: Totals;
  /** The association's fee on each provider's net (taken out of the provider's earnings, not added to the consumer's bill). */
  fees: StatementFee[];
  feeTotal: Cents;
  /** Contribution credits earned by each provider of the statement (empty when credits are not in use). */
  credits: StatementCredits[];
  /** French remarks (placeholders and limits of the computation). */
  notes: string[];
}

export interface StatementQuery {
  organisation: string;
  period: string;
  role: StatementRole;
}

const NOTES = ["Le tarif d'intérêt public n'est pas appliqué : aucune règle ne dit encore quelles finalités DPV sont d'intérêt public."];

/** First instant of the month and of the next, as the ledger writes times (ISO, UTC). */
export function periodBounds(period: string): { from: string; to: string } {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12)
    throw new AppError('validation_failed', `Période attendue au format AAAA-MM (par exemple 2026-11) : « ${period} ».`);
  const year = Number(match[1]);
  return { from: new Date(Date.UTC(year, month - 1, 1)).toISOString(), to: new Date(Date.UTC(year, month, 1)).toISOString() };
}

const isCategory = (value: string): value is OrganisationCategory => (ORGANISATION_CATEGORIES as readonly string[]).includes(value);

/**
 * Queries the group says delivered; with erased details, ones that delivered rows (never bill what
 * cannot be shown: a group's uses either all delivered units or none did).
 */
const billed = (g: UsageGroup) => g.type === 'download' || g.outcome === 'completed' || (g.outcome === null && g.units > 0);
const countOf = (groups: readonly UsageGroup[]) => groups.reduce((n, g) => n + g.indexes.length, 0);

/** The groups' entries, in tree order. */
function entriesOf(groups: readonly UsageGroup[]): number[] {
  if (groups.length === 1) return groups[0]!.indexes;
  const all = groups.flatMap((g) => g.indexes);
  for (let i = 1; i < all.length; i++) if (all[i]! < all[i - 1]!) return Array.from(Float64Array.from(all).sort());
  return all;
}

/**
 * The pure part: the statement of these entries (one by one, or grouped as `usageGroups` reads
 * them), priced with these plans. Same input, same statement.
 */
export function statementOf(
  query: StatementQuery,
  checkpoint: CheckpointRef,
  entries: readonly (UsageEntry | UsageGroup)[],
  plans: ReadonlyMap<string, Plan>,
  organisations: ReadonlyMap<string, { category: string; active: boolean }>,
  fee: FeeSettings,
): Statement {
  const byContract = new Map<string, UsageGroup[]>();
  for (const e of entries) {
    const group = 'index' in e ? usageGroupOf(e) : e;
    const groups = byContract.get(group.public.contract);
    if (groups) groups.push(group);
    else byContract.set(group.public.contract, [group]);
  }
  const lines: StatementLine[] = [];
  for (const [contract, uses] of [...byContract].sort(([a], [b]) => a.localeCompare(b))) {
    // The contract's first entry in tree order says who the parties were.
    const first = uses.reduce((a, b) => (b.indexes[0]! < a.indexes[0]! ? b : a));
    const plan = plans.get(contract);
    if (!plan) throw new Error(`statement: contract ${contract} of ledger entry ${first.indexes[0]} is unknown`);
    const party: Party = {
      category: first.public.partyType,
      member: organisations.get(first.public.consumer)?.active ?? false,
      // No rule yet says which DPV purposes are of public interest (DPV has it as a legal basis).
      publicInterest: false,
    };
    const charged = uses.filter(billed);
    const queries = countOf(charged.filter((g) => g.type === 'query.completed'));
    const downloads = countOf(charged.filter((g) => g.type === 'download'));
    const units = charged.filter((g) => g.public.unit === 'rows').reduce((sum, g) => sum + g.units, 0);
    const usage = { queries, units, months: plan.kind === 'subscription' && charged.length > 0 ? 1 : 0 };
    const priced = estimate(plan, usage, party);
    lines.push({
      contract,
      dataset: first.public.dataset,
      provider: first.public.provider,
      consumer: first.public.consumer,
      offer: first.public.offer,
      party,
      plan,
      queries,
      unbilledQueries: countOf(uses.filter((g) => g.type === 'query.completed')) - queries,
      downloads,
      units,
      entries: entriesOf(uses),
      priced: priced.lines,
      totals: priced.totals,
    });
  }
  const fees = [...new Set(lines.map((l) => l.provider))].sort().map((provider): StatementFee => {
    const base = sumCents(lines.filter((l) => l.provider === provider).map((l) => l.totals.net));
    const category = organisations.get(provider)?.category ?? '';
    const computed = computeFee(fee.schedule, base, isCategory(category) ? category : 'company');
    return { provider, base, rate: `${computed.rate / 100}`, fee: computed.fee, explanation: computed.explanation };
  });
  return {
    ...query,
    checkpoint,
    settingsVersion: fee.version,
    lines,
    totals: totalsOf(lines.flatMap((l) => l.priced)),
    fees,
    feeTotal: sumCents(fees.map((f) => f.fee)),
    credits: creditsOf(lines, fee.credits ?? null),
    notes: NOTES,
  };
}

/** Credits are earned on a period's whole use per provider (rounded down once, not per query). */
function creditsOf(lines: readonly StatementLine[], rules: CreditRules | null): StatementCredits[] {
  if (!rules) return [];
  return [...new Set(lines.map((l) => l.provider))].sort().map((provider) => {
    const own = lines.filter((l) => l.provider === provider);
    const queries = own.reduce((n, l) => n + l.queries, 0);
    const units = own.reduce((n, l) => n + l.units, 0);
    const earned = earnedCredits(rules, { queries, units });
    return { provider, queries, units, credits: earned.credits, explanation: earned.explanation };
  });
}

async function pricingOf(ctx: Context, entries: readonly (UsageEntry | UsageGroup)[]) {
  const contracts = [...new Set(entries.map((e) => e.public.contract))];
  const slugs = [...new Set(entries.flatMap((e) => [e.public.consumer, e.public.provider]))];
  // One after the other: `ctx.db` may be a transaction (the monthly issue), one connection.
  const plans = await contractPlans(ctx.db, contracts);
  const organisations = await organisationsBySlug(ctx.db, slugs);
  return { plans, organisations };
}

/** The organisation's statement for a month, as consumer or provider, at the latest checkpoint. */
export async function computeStatement(ctx: Context, query: StatementQuery): Promise<Statement> {
  const { from, to } = periodBounds(query.period);
  const checkpoint = await latestCheckpointRef(ctx.db);
  const settings = await currentSettings(ctx.db);
  const at = checkpoint ?? { size: 0, root: '' };
  const entries = await usageGroups(ctx.db, { ...query, from, to, size: at.size });
  const { plans, organisations } = await pricingOf(ctx, entries);
  return statementOf(query, at, entries, plans, organisations, {
    version: settings.version,
    schedule: settings.settings.fee,
    credits: settings.settings.credits,
  });
}

export interface Recheck {
  matches: boolean;
  /** Where the statement differs from the recomputation, in French. */
  differences: string[];
  recomputed: Statement;
}

/**
 * Recomputes a statement from the entries it cites (read back by index, below its checkpoint) and
 * the contracts' agreements, and says where it differs. Entries of the period it should have cited
 * but did not are differences too: a statement cannot leave a use out any more than add one.
 */
export async function recheckStatement(ctx: Context, statement: Statement): Promise<Recheck> {
  const { from, to } = periodBounds(statement.period);
  const differences: string[] = [];
  const signed = statement.checkpoint.size === 0 ? { size: 0, root: '' } : await checkpointRefAt(ctx.db, statement.checkpoint.size);
  if (signed?.root !== statement.checkpoint.root)
    differences.push(
      `Point de contrôle ${statement.checkpoint.size} : racine ${statement.checkpoint.root} au relevé, ${signed?.root ?? 'aucune'} signée.`,
    );
  const cited = statement.lines.flatMap((l) => l.entries);
  const read = await usageEntriesAt(ctx.db, cited, statement.checkpoint.size);
  const found = new Set(read.map((e) => e.index));
  for (const index of cited)
    if (!found.has(index))
      differences.push(`Entrée ${index} : absente du journal avant le point de contrôle ${statement.checkpoint.size} ou d'un autre type.`);
  const own = read.filter((e) => {
    const ok = e.public[statement.role] === statement.organisation && e.time >= from && e.time < to;
    if (!ok) differences.push(`Entrée ${e.index} : ne concerne pas ${statement.organisation} (${statement.role}) sur ${statement.period}.`);
    return ok;
  });
  const all = await usageEntries(ctx.db, { ...statement, from, to, size: statement.checkpoint.size });
  const citedSet = new Set(cited);
  for (const e of all) if (!citedSet.has(e.index)) differences.push(`Entrée ${e.index} : usage de la période non cité.`);
  const settings = await settingsAt(ctx.db, statement.settingsVersion);
  if (!settings) differences.push(`Réglages de facturation ${statement.settingsVersion} : version inconnue.`);
  const applied = (settings ?? (await currentSettings(ctx.db))).settings;
  const { plans, organisations } = await pricingOf(ctx, own);
  const recomputed = statementOf(statement, statement.checkpoint, own, plans, organisations, {
    version: statement.settingsVersion,
    schedule: applied.fee,
    credits: applied.credits,
  });
  const byContract = new Map(recomputed.lines.map((l) => [l.contract, l]));
  for (const line of statement.lines) {
    const again = byContract.get(line.contract);
    if (!again) {
      differences.push(`Contrat ${line.contract} : aucune entrée ne le justifie.`);
      continue;
    }
    for (const field of ['queries', 'unbilledQueries', 'downloads', 'units'] as const)
      if (line[field] !== again[field])
        differences.push(`Contrat ${line.contract} : ${field} ${line[field]} au relevé, ${again[field]} recalculé.`);
    if (JSON.stringify(line.entries) !== JSON.stringify(again.entries))
      differences.push(`Contrat ${line.contract} : entrées citées dans le désordre ou en double.`);
    if (JSON.stringify(line.priced) !== JSON.stringify(again.priced) || JSON.stringify(line.totals) !== JSON.stringify(again.totals))
      differences.push(`Contrat ${line.contract} : montant ${line.totals.net} c HT au relevé, ${again.totals.net} c HT recalculé.`);
    byContract.delete(line.contract);
  }
  for (const contract of byContract.keys()) differences.push(`Contrat ${contract} : absent du relevé.`);
  if (JSON.stringify(statement.totals) !== JSON.stringify(recomputed.totals))
    differences.push(`Totaux : ${statement.totals.gross} c TTC au relevé, ${recomputed.totals.gross} c TTC recalculé.`);
  if (JSON.stringify(statement.fees) !== JSON.stringify(recomputed.fees) || statement.feeTotal !== recomputed.feeTotal)
    differences.push(`Commission : ${statement.feeTotal} c au relevé, ${recomputed.feeTotal} c recalculé.`);
  if (JSON.stringify(statement.credits ?? []) !== JSON.stringify(recomputed.credits))
    differences.push('Crédits de contribution : le relevé diffère du recalcul.');
  return { matches: differences.length === 0, differences: [...new Set(differences)], recomputed };
}

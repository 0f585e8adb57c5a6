import { describePlan, estimate, planOf, readPolicy, type EstimateView, type Plan, type Usage } from '@confiance/contract';
import { sql } from 'kysely';
import type { Executor } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import { contractPlans } from '../contracts/index';
import { findOrganisation } from '../members/index';

/**
 * What a use would cost before it happens: under a contract (the query builder asks before each
 * query) or under an offer for an organisation (the request wizard, before signing). The same
 * arithmetic as the statement (`estimate` of the billing core), so both agree to the cent.
 */

/** First instant of the current UTC month (the statements' months are UTC). */
export const monthStart = (now = new Date()) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

/** Queries the contract ran to completion this month (they are what a subscription includes). */
export async function queriesThisMonth(db: Executor, contractId: string, now = new Date()): Promise<number> {
  const row = await db
    .selectFrom('data_queries')
    .select(sql<string>`count(*)`.as('n'))
    .where((eb) => eb.or([eb('contract_id', '=', contractId), eb('join_contract_id', '=', contractId)]))
    .where('state', '=', 'completed')
    .where('started_at', '>=', monthStart(now))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function partyOf(db: Executor, organisationId: string) {
  const o = await findOrganisation(db, organisationId);
  if (!o) throw new AppError('not_found', 'Organisation introuvable.');
  const category = (['public_body', 'research', 'company', 'association'] as const).find((c) => c === o.category) ?? 'company';
  // Public interest: no rule yet says which DPV purposes are of public interest (as in statements).
  return { category, member: o.status === 'active', publicInterest: false };
}

function view(plan: Plan, usage: Usage, party: Awaited<ReturnType<typeof partyOf>>, month: EstimateView['month']): EstimateView {
  const priced = estimate(plan, usage, party);
  return {
    plan,
    planSummary: describePlan(plan).summary,
    party,
    tariff: priced.tariff,
    usage,
    lines: priced.lines,
    totals: priced.totals,
    notes: priced.notes,
    month,
  };
}

/**
 * Under a contract: the price of `usage` now. A subscription counts this month's queries first, so
 * the estimate says whether the next ones are included, extra, or refused.
 */
export async function estimateForContract(
  db: Executor,
  contract: { id: string; consumer_id: string },
  usage: Usage,
): Promise<EstimateView> {
  const plan = (await contractPlans(db, [contract.id])).get(contract.id) ?? { kind: 'free' as const };
  const party = await partyOf(db, contract.consumer_id);
  if (plan.kind !== 'subscription') return view(plan, usage, party, null);
  const queries = await queriesThisMonth(db, contract.id);
  const period = monthStart().toISOString().slice(0, 7);
  const withMonth = { ...usage, queries: queries + usage.queries, months: Math.max(usage.months, 1) };
  const result = view(plan, withMonth, party, { period, queries, included: plan.includedQueries });
  if (plan.includedQueries !== null && plan.extraQueryPrice === null && queries + usage.queries > plan.includedQueries)
    result.notes.push(
      `Forfait du mois épuisé (${plan.includedQueries} requêtes incluses, ${queries} déjà faites) : ce contrat ne permet pas de requête au-delà.`,
    );
  return result;
}

/** Under an offer, for an organisation that has not signed yet. */
export async function estimateForOffer(
  db: Executor,
  offer: { policy: unknown },
  organisationId: string,
  usage: Usage,
): Promise<EstimateView> {
  const read = readPolicy(offer.policy);
  const plan = read.ok ? planOf(read.policy).plan : ({ kind: 'free' } as const);
  const party = await partyOf(db, organisationId);
  return view(plan, plan.kind === 'subscription' ? { ...usage, months: Math.max(usage.months, 1) } : usage, party, null);
}

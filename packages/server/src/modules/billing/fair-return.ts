import {
  BASIS_POINTS_PER_UNIT,
  BillingError,
  fairShare,
  formatPercent,
  revenueInput,
  tryParsePercent,
  type ContributionMeasure,
  type FairReturnView,
  type FairShare,
  type RevenueInput,
} from '@confiance/contract';
import type { Context, Executor } from '../../platform/context';
import { AppError, validationFailed } from '../../platform/http/errors';
import { findProject, projectContracts, projectPartners, type ProjectRow } from '../contracts/index';
import { contractUsageEntries, factIndex, latestCheckpointRef, recordFact, type CheckpointRef, type UsageEntry } from '../ledger/index';

/**
 * Fair return ("juste retour", issue 9): what a project earned or was granted is split between the
 * providers whose data it combined, by a key the partners agreed or by their measured
 * contribution. The measure comes only from the ledger's completed uses under the project's
 * contracts, below the latest signed checkpoint, so every partner can recount it from the entries.
 */

interface Organisation {
  id: string;
  slug: string;
  name: string;
}

export interface Contribution {
  provider: Organisation;
  /** Titles of the provider's datasets the project holds contracts on. */
  datasets: string[];
  /** Completed queries (a joined query counts for each provider whose data it read). */
  queries: number;
  /** Rows delivered by those queries and by downloads. */
  rows: number;
  /** Completed entries counted. */
  entries: number;
}

interface ProjectWorld {
  project: ProjectRow;
  /** Lead then partners. */
  parties: Organisation[];
  /** One per provider of the project's contracts, with no use yet too. */
  providers: { provider: Organisation; datasets: string[]; contracts: string[] }[];
  checkpoint: CheckpointRef;
  entries: UsageEntry[];
}

/** A use that delivered: a download, or a query whose details say completed (erased details: one that delivered rows). */
const completed = (e: UsageEntry) => e.type === 'download' || e.outcome === 'completed' || (e.outcome === null && e.public.units > 0);

async function projectWorld(db: Executor, projectId: string): Promise<ProjectWorld> {
  const project = await findProject(db, projectId);
  if (!project) throw new AppError('not_found', 'Projet introuvable.');
  const [partners, contracts, latest] = await Promise.all([
    projectPartners(db, [projectId]),
    projectContracts(db, projectId),
    latestCheckpointRef(db),
  ]);
  const checkpoint = latest ?? { size: 0, root: '' };
  const parties: Organisation[] = [
    { id: project.lead_organisation_id, slug: project.lead_slug, name: project.lead_name },
    ...partners.map((p) => ({ id: p.id, slug: p.slug, name: p.short_name })),
  ];
  const providers = new Map<string, ProjectWorld['providers'][number]>();
  for (const c of contracts) {
    const known = providers.get(c.provider_id) ?? {
      provider: { id: c.provider_id, slug: c.provider_slug, name: c.provider_name },
      datasets: [],
      contracts: [],
    };
    if (!known.datasets.includes(c.dataset_title)) known.datasets.push(c.dataset_title);
    known.contracts.push(c.id);
    providers.set(c.provider_id, known);
  }
  const entries = await contractUsageEntries(
    db,
    contracts.map((c) => c.id),
    checkpoint.size,
  );
  return { project, parties, providers: [...providers.values()], checkpoint, entries };
}

/** Each provider's completed uses among `entries` (providers in the order of their first contract). */
function contributionsOf(world: ProjectWorld, entries: readonly UsageEntry[]): Contribution[] {
  return world.providers.map(({ provider, datasets, contracts }) => {
    const own = entries.filter((e) => contracts.includes(e.public.contract) && completed(e));
    return {
      provider,
      datasets: [...datasets].sort((a, b) => a.localeCompare(b, 'fr')),
      queries: own.filter((e) => e.type === 'query.completed').length,
      rows: own.filter((e) => e.public.unit === 'rows').reduce((sum, e) => sum + e.public.units, 0),
      entries: own.length,
    };
  });
}

/** The log counts queries and rows; cells are not measured (0). */
const measured = (c: Contribution, measure: ContributionMeasure) => (measure === 'cells' ? 0 : c[measure]);

const MEASURE_FR: Record<ContributionMeasure, string> = { rows: 'lignes livrées', cells: 'cellules livrées', queries: 'requêtes servies' };

/** Why a measured split cannot be computed from these contributions, or null. */
function measuredProblem(contributions: readonly Contribution[], measure: ContributionMeasure): string | null {
  // The ledger's completion entries count rows, not cells: a cell count would be a guess.
  if (measure === 'cells')
    return 'Le journal ne relève pas encore les cellules livrées : choisissez une répartition par requêtes ou par lignes.';
  if (contributions.length === 0) return 'Aucun contrat du projet : aucun fournisseur ne contribue encore.';
  if (contributions.every((c) => measured(c, measure) === 0))
    return `Aucune utilisation mesurée (${MEASURE_FR[measure]}) dans le journal au dernier point de contrôle : rien ne permet encore de répartir selon la contribution.`;
  return null;
}

type RevenueRow = {
  id: string;
  label: string;
  amount: number;
  received_on: string;
  method: 'key' | 'measured';
  measure: ContributionMeasure | null;
  key: Record<string, string> | null;
  ledger_index: number | null;
};

function splitOf(world: ProjectWorld, revenue: RevenueRow): { split: FairShare | null; problem: string | null } {
  try {
    if (revenue.method === 'key') {
      // Providers first, then the lead and partners (jsonb keeps no key order).
      const known = [...world.providers.map((p) => p.provider), ...world.parties];
      const rank = (slug: string) => {
        const i = known.findIndex((o) => o.slug === slug);
        return i < 0 ? known.length : i;
      };
      const contributors = Object.entries(revenue.key ?? {})
        .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
        .map(([slug, percent]) => ({ id: slug, name: known.find((o) => o.slug === slug)?.name ?? slug, percent }));
      return { split: fairShare({ method: 'key', total: revenue.amount, contributors }), problem: null };
    }
    const measure = revenue.measure ?? 'queries';
    // The uses that came before the revenue was recorded: once its entry is under a checkpoint,
    // later queries do not move the split of money already received.
    const bound = revenue.ledger_index ?? Number.POSITIVE_INFINITY;
    const entries = world.entries.filter((e) => e.index < bound);
    const contributions = contributionsOf(world, entries);
    const problem = measuredProblem(contributions, measure);
    if (problem) return { split: null, problem };
    const split = fairShare({
      method: 'measured',
      total: revenue.amount,
      measure,
      contributors: contributions.map((c) => ({ id: c.provider.slug, name: c.provider.name, measured: measured(c, measure) })),
    });
    const last = entries.at(-1)?.index;
    const counted = entries.filter(completed).length;
    const source = {
      text:
        `Utilisations relevées dans le journal : ${counted} entrée${counted > 1 ? 's' : ''} d’utilisation achevée${counted > 1 ? 's' : ''} sous les contrats du projet, ` +
        `couvertes par le point de contrôle signé de taille ${world.checkpoint.size}` +
        (revenue.ledger_index === null ? '.' : ` et antérieures à l’enregistrement du financement (entrée ${revenue.ledger_index}).`),
      values: { checkpoint: world.checkpoint.size, ...(last === undefined ? {} : { lastEntry: last }) },
    };
    return { split: { ...split, steps: [source, ...split.steps] }, problem: null };
  } catch (error) {
    if (error instanceof BillingError) return { split: null, problem: error.message };
    throw error;
  }
}

async function revenuesOf(db: Executor, projectId: string): Promise<RevenueRow[]> {
  const rows = await db
    .selectFrom('project_revenues')
    .select(['id', 'label', 'amount', 'method', 'measure', 'key', 'ledger_index'])
    .select((eb) => eb.fn<string>('to_char', [eb.ref('received_on'), eb.val('YYYY-MM-DD')]).as('received_on'))
    .where('project_id', '=', projectId)
    .orderBy('received_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    ...r,
    amount: Number(r.amount),
    ledger_index: r.ledger_index === null ? null : Number(r.ledger_index),
  }));
}

function present(world: ProjectWorld, revenues: readonly RevenueRow[]): FairReturnView {
  return {
    project: { id: world.project.id, title: world.project.title },
    contributions: contributionsOf(world, world.entries).map((c) => ({
      provider: { slug: c.provider.slug, name: c.provider.name },
      datasets: c.datasets,
      queries: c.queries,
      rows: c.rows,
      entries: c.entries,
    })),
    revenues: revenues.map((r) => {
      const { split, problem } = splitOf(world, r);
      return {
        id: r.id,
        label: r.label,
        amount: r.amount,
        receivedOn: r.received_on,
        method: r.method,
        measure: r.measure,
        split: split && { method: split.method, total: split.total, shares: split.shares, steps: split.steps },
        problem,
      };
    }),
    checkpoint: world.checkpoint,
  };
}

/** The project's contributions and each revenue's split, at the latest signed checkpoint. */
export async function fairReturn(ctx: Pick<Context, 'db'>, projectId: string): Promise<FairReturnView> {
  const world = await projectWorld(ctx.db, projectId);
  return present(world, await revenuesOf(ctx.db, projectId));
}

type Issue = { path: string; message: string };
const refused = (message: string, issues: Issue[]) => new AppError('validation_failed', message, { issues });

/** The agreed key's problems: organisations that are neither contributors nor partners, bad percents, a total other than 100 %. */
function keyIssues(world: ProjectWorld, key: Record<string, string> | undefined): Issue[] {
  const entries = Object.entries(key ?? {});
  if (entries.length === 0) return [{ path: 'key', message: 'clé de répartition attendue : une part en pourcentage par contributeur' }];
  const known = new Set([...world.providers.map((p) => p.provider.slug), ...world.parties.map((o) => o.slug)]);
  const issues: Issue[] = [];
  let total = 0;
  for (const [slug, percent] of entries) {
    if (!known.has(slug))
      issues.push({ path: `key.${slug}`, message: `« ${slug} » n’est ni un fournisseur des contrats du projet ni un partenaire` });
    const bp = tryParsePercent(percent);
    if (bp === null)
      issues.push({ path: `key.${slug}`, message: `part de « ${slug} » : pourcentage entre 0 et 100 attendu, pas « ${percent} »` });
    else total += bp;
  }
  if (issues.length === 0 && total !== BASIS_POINTS_PER_UNIT)
    issues.push({
      path: 'key',
      message: `les parts convenues doivent totaliser ${formatPercent(BASIS_POINTS_PER_UNIT)} ; elles totalisent ${formatPercent(total)}`,
    });
  return issues;
}

/**
 * Records what a project earned or was granted, with the way it is to be split, and its ledger
 * entry, in one transaction. Refused (validation_failed, in French) when the split could not be
 * computed: a key that does not name the project's contributors or partners or does not total
 * 100 %, or a measured split with no measured use yet.
 */
export async function recordRevenue(
  ctx: Context,
  actor: { userId: string },
  projectId: string,
  raw: RevenueInput,
): Promise<FairReturnView> {
  const parsed = revenueInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Financement invalide');
  const input = parsed.data;
  const world = await projectWorld(ctx.db, projectId);
  if (input.method === 'key') {
    const issues = keyIssues(world, input.key);
    if (issues.length > 0) throw refused(`Clé de répartition refusée : ${issues.map((i) => i.message).join(' ; ')}.`, issues);
  } else {
    if (!input.measure)
      throw refused('Mesure attendue pour une répartition selon la contribution : queries (requêtes) ou rows (lignes).', [
        { path: 'measure', message: 'mesure attendue : queries (requêtes) ou rows (lignes)' },
      ]);
    const problem = measuredProblem(contributionsOf(world, world.entries), input.measure);
    if (problem) throw refused(problem, [{ path: 'measure', message: problem }]);
  }
  const id = crypto.randomUUID();
  const key = input.method === 'key' ? input.key! : null;
  const measure = input.method === 'measured' ? input.measure! : null;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('project_revenues')
      .values({
        id,
        project_id: projectId,
        label: input.label,
        amount: input.amount,
        received_on: input.receivedOn,
        method: input.method,
        measure,
        key: JSON.stringify(key),
        created_by: actor.userId,
      })
      .execute();
    await recordFact(trx, {
      type: 'project.revenue',
      public: { project: projectId, revenue: id, amountCents: input.amount, method: input.method, measure },
      details: { label: input.label, receivedOn: input.receivedOn, ...(key ? { key } : {}) },
      parties: world.parties.map((o) => o.id),
    });
    // The entry's index bounds the uses the measured split counts (see splitOf).
    const index = await factIndex(trx, 'project.revenue', 'revenue', id);
    await trx.updateTable('project_revenues').set({ ledger_index: index }).where('id', '=', id).execute();
  });
  return present(world, await revenuesOf(ctx.db, projectId));
}

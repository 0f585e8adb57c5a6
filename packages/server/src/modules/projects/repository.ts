import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../platform/context';
import type { ProjectsTable } from '../../platform/db/schema';

export type ProjectRow = Selectable<ProjectsTable> & { lead_slug: string; lead_name: string };

function projectQuery(db: Executor) {
  return db
    .selectFrom('projects as j')
    .innerJoin('organisations as o', 'o.id', 'j.lead_organisation_id')
    .selectAll('j')
    .select(['o.slug as lead_slug', 'o.short_name as lead_name']);
}

export async function findProject(db: Executor, id: string): Promise<ProjectRow | undefined> {
  return projectQuery(db).where('j.id', '=', id).executeTakeFirst();
}

export interface ProjectFilters {
  status?: ProjectRow['status'] | undefined;
  domain?: string | undefined;
  /** Organisation id: lead or accepted partner. */
  organisationId?: string | undefined;
  q?: string | undefined;
}

export async function listProjects(db: Executor, filters: ProjectFilters = {}): Promise<ProjectRow[]> {
  let q = projectQuery(db);
  if (filters.status) q = q.where('j.status', '=', filters.status);
  if (filters.domain) q = q.where(sql<boolean>`${filters.domain} = any(j.domains)`);
  if (filters.organisationId) {
    const org = filters.organisationId;
    q = q.where((eb) =>
      eb.or([
        eb('j.lead_organisation_id', '=', org),
        eb('j.id', 'in', eb.selectFrom('project_partners').select('project_id').where('organisation_id', '=', org)),
      ]),
    );
  }
  if (filters.q) {
    const like = `%${filters.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['j.title']), 'like', like),
        eb(eb.fn('lower', [eb.fn.coalesce('j.objective', sql.lit(''))]), 'like', like),
        eb(eb.fn('lower', [eb.fn.coalesce('j.description', sql.lit(''))]), 'like', like),
      ]),
    );
  }
  return q.orderBy('j.created_at', 'desc').limit(500).execute();
}

/** Accepted partners of these projects (the parties besides the lead), with their role. */
export async function projectPartners(db: Executor, projectIds: readonly string[]) {
  if (projectIds.length === 0) return [];
  return db
    .selectFrom('project_partners as pp')
    .innerJoin('organisations as o', 'o.id', 'pp.organisation_id')
    .select(['pp.project_id', 'o.id', 'o.slug', 'o.short_name', 'pp.role'])
    .where('pp.project_id', 'in', [...projectIds])
    .orderBy('pp.joined_at')
    .orderBy('o.short_name')
    .execute();
}

/** Invitations (pending and declined) of these projects. */
export async function projectInvitations(db: Executor, projectIds: readonly string[]) {
  if (projectIds.length === 0) return [];
  return db
    .selectFrom('project_invitations as pi')
    .innerJoin('organisations as o', 'o.id', 'pi.organisation_id')
    .select(['pi.project_id', 'o.id', 'o.slug', 'o.short_name', 'pi.role', 'pi.state'])
    .where('pi.project_id', 'in', [...projectIds])
    .orderBy('pi.invited_at')
    .execute();
}

/** Organisations party to a project: its lead and its accepted partners. */
export async function projectOrganisations(db: Executor, projectId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select lead_organisation_id as id from projects where id = ${projectId}
    union select organisation_id as id from project_partners where project_id = ${projectId}`.execute(db);
  return rows.rows.map((r) => r.id);
}

/**
 * The contracts assigned to a project, whatever their state (a terminated contract's uses still
 * count), with their provider and dataset: who contributed data to it.
 */
export async function projectContracts(db: Executor, projectId: string) {
  return db
    .selectFrom('contracts as k')
    .innerJoin('organisations as p', 'p.id', 'k.provider_id')
    .innerJoin('datasets as d', 'd.id', 'k.dataset_id')
    .select([
      'k.id',
      'k.provider_id',
      'p.slug as provider_slug',
      'p.short_name as provider_name',
      'd.slug as dataset_slug',
      'd.title_fr as dataset_title',
    ])
    .where('k.project_id', '=', projectId)
    .orderBy('k.created_at')
    .execute();
}

export async function projectLists(db: Executor, projectId: string) {
  const [milestones, funding, deliverables] = await Promise.all([
    db.selectFrom('project_milestones').selectAll().where('project_id', '=', projectId).orderBy('position').execute(),
    db.selectFrom('project_funding').selectAll().where('project_id', '=', projectId).orderBy('position').execute(),
    db
      .selectFrom('project_deliverables as v')
      .leftJoin('datasets as d', 'd.id', 'v.dataset_id')
      .selectAll('v')
      .select(['d.slug as dataset_slug', 'd.title_fr as dataset_title'])
      .where('v.project_id', '=', projectId)
      .orderBy('v.position')
      .execute(),
  ]);
  return { milestones, funding, deliverables };
}

/** The project's data flows: requests made for it, its contracts, the queries completed under them. */
export async function projectFlows(db: Executor, projectId: string) {
  const [requests, contracts, queries] = await Promise.all([
    db
      .selectFrom('access_requests as r')
      .innerJoin('datasets as d', 'd.id', 'r.dataset_id')
      .innerJoin('organisations as p', 'p.id', 'r.provider_id')
      .innerJoin('organisations as c', 'c.id', 'r.consumer_id')
      .select([
        'r.id',
        'r.stage',
        'r.created_at',
        'r.dataset_id',
        'd.slug as dataset_slug',
        'd.title_fr as dataset_title',
        'p.id as provider_id',
        'p.slug as provider_slug',
        'p.short_name as provider_name',
        'c.id as consumer_id',
        'c.slug as consumer_slug',
        'c.short_name as consumer_name',
      ])
      .where('r.project_id', '=', projectId)
      .orderBy('r.created_at', 'desc')
      .execute(),
    db
      .selectFrom('contracts as k')
      .innerJoin('datasets as d', 'd.id', 'k.dataset_id')
      .innerJoin('organisations as p', 'p.id', 'k.provider_id')
      .innerJoin('organisations as c', 'c.id', 'k.consumer_id')
      .select([
        'k.id',
        'k.state',
        'k.valid_until',
        'k.dataset_id',
        'd.slug as dataset_slug',
        'd.title_fr as dataset_title',
        'p.id as provider_id',
        'p.slug as provider_slug',
        'p.short_name as provider_name',
        'c.id as consumer_id',
        'c.slug as consumer_slug',
        'c.short_name as consumer_name',
      ])
      .where('k.project_id', '=', projectId)
      .orderBy('k.created_at', 'desc')
      .execute(),
    db
      .selectFrom('data_queries as q')
      .innerJoin('contracts as k', 'k.id', 'q.contract_id')
      .select((eb) => ['q.contract_id', eb.fn.countAll<string | number>().as('n'), eb.fn.max('q.completed_at').as('last_at')])
      .where('k.project_id', '=', projectId)
      .where('q.state', '=', 'completed')
      .groupBy('q.contract_id')
      .execute(),
  ]);
  const recent = await db
    .selectFrom('data_queries as q')
    .innerJoin('contracts as k', 'k.id', 'q.contract_id')
    .innerJoin('datasets as d', 'd.id', 'q.dataset_id')
    .leftJoin('organisations as o', 'o.id', 'q.organisation_id')
    .select([
      'q.id',
      'q.contract_id',
      'q.mode',
      'q.delivered_rows',
      'q.completed_at',
      'q.started_at',
      'd.slug as dataset_slug',
      'd.title_fr as dataset_title',
      'o.id as organisation_id',
      'o.slug as organisation_slug',
      'o.short_name as organisation_name',
    ])
    .where('k.project_id', '=', projectId)
    .where('q.state', '=', 'completed')
    .orderBy('q.completed_at', 'desc')
    .limit(10)
    .execute();
  const byContract = queries.map((q) => ({ contractId: q.contract_id!, count: Number(q.n), lastAt: q.last_at as Date | null }));
  return {
    requests,
    contracts,
    queries: byContract.reduce((sum, q) => sum + q.count, 0),
    byContract,
    recent,
  };
}

/** Datasets attached to a project explicitly, with their publisher and who attached them. */
export async function projectDatasets(db: Executor, projectId: string) {
  return db
    .selectFrom('project_datasets as pd')
    .innerJoin('datasets as d', 'd.id', 'pd.dataset_id')
    .innerJoin('organisations as p', 'p.id', 'd.organisation_id')
    .leftJoin('organisations as o', 'o.id', 'pd.organisation_id')
    .select([
      'pd.dataset_id',
      'pd.note',
      'pd.attached_at',
      'd.slug as dataset_slug',
      'd.title_fr as dataset_title',
      'd.access_level',
      'p.short_name as provider_name',
      'o.id as organisation_id',
      'o.slug as organisation_slug',
      'o.short_name as organisation_name',
    ])
    .where('pd.project_id', '=', projectId)
    .orderBy('pd.attached_at')
    .execute();
}

/** Access level and publisher of datasets, by id. */
export async function datasetsInfo(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('datasets as d')
    .innerJoin('organisations as p', 'p.id', 'd.organisation_id')
    .select(['d.id', 'd.slug', 'd.title_fr', 'd.access_level', 'p.short_name as provider_name'])
    .where('d.id', 'in', [...ids])
    .execute();
}

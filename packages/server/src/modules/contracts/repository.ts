import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../platform/context';
import type { AccessRequestsTable, ContractsTable, EthicsReviewsTable } from '../../platform/db/schema';
export { findProject, projectContracts, projectOrganisations, projectPartners, type ProjectRow } from '../projects/index';

export type RequestRow = Selectable<AccessRequestsTable> & {
  offer_title: string;
  offer_agreement: 'automatic' | 'provider_approval' | 'ethics_review';
  dataset_slug: string;
  dataset_title: string;
  access_level: string;
  provider_slug: string;
  provider_name: string;
  consumer_slug: string;
  consumer_name: string;
  consumer_category: string;
  project_title: string | null;
  requester_name: string;
  contract_id: string | null;
};

export type ReviewRow = Selectable<EthicsReviewsTable> & { reviewer_name: string | null };

export type ContractRow = Selectable<ContractsTable> & {
  offer_title: string;
  dataset_slug: string;
  dataset_title: string;
  provider_slug: string;
  provider_name: string;
  consumer_slug: string;
  consumer_name: string;
  consumer_category: string;
  project_title: string | null;
};

function requestQuery(db: Executor) {
  return db
    .selectFrom('access_requests as r')
    .innerJoin('offers as f', 'f.id', 'r.offer_id')
    .innerJoin('datasets as d', 'd.id', 'r.dataset_id')
    .innerJoin('organisations as p', 'p.id', 'r.provider_id')
    .innerJoin('organisations as c', 'c.id', 'r.consumer_id')
    .innerJoin('users as u', 'u.id', 'r.requested_by')
    .leftJoin('projects as j', 'j.id', 'r.project_id')
    .leftJoin('contracts as k', 'k.request_id', 'r.id')
    .selectAll('r')
    .select([
      'f.title as offer_title',
      'f.agreement as offer_agreement',
      'd.slug as dataset_slug',
      'd.title_fr as dataset_title',
      'd.access_level',
      'p.slug as provider_slug',
      'p.short_name as provider_name',
      'c.slug as consumer_slug',
      'c.short_name as consumer_name',
      'c.category as consumer_category',
      'j.title as project_title',
      'u.display_name as requester_name',
      'k.id as contract_id',
    ]);
}

export async function findRequest(db: Executor, id: string): Promise<RequestRow | undefined> {
  return (await requestQuery(db).where('r.id', '=', id).executeTakeFirst()) as RequestRow | undefined;
}

/** Requests made by (`mine`) or addressed to (`inbox`) these organisations, newest first. */
export async function listRequests(
  db: Executor,
  box: 'mine' | 'inbox',
  organisationIds: readonly string[],
  stage?: string,
): Promise<RequestRow[]> {
  if (organisationIds.length === 0) return [];
  let q = requestQuery(db).where(box === 'mine' ? 'r.consumer_id' : 'r.provider_id', 'in', [...organisationIds]);
  if (stage) q = q.where('r.stage', '=', stage as RequestRow['stage']);
  return (await q.orderBy('r.created_at', 'desc').limit(500).execute()) as RequestRow[];
}

export async function listReviewRequests(db: Executor, state: 'pending' | 'decided'): Promise<RequestRow[]> {
  return (await requestQuery(db)
    .innerJoin('ethics_reviews as e', 'e.request_id', 'r.id')
    .where('e.state', '=', state)
    .orderBy('r.created_at', state === 'pending' ? 'asc' : 'desc')
    .limit(500)
    .execute()) as RequestRow[];
}

export async function findReview(db: Executor, requestId: string): Promise<ReviewRow | undefined> {
  return db
    .selectFrom('ethics_reviews as e')
    .leftJoin('users as u', 'u.id', 'e.reviewer_id')
    .selectAll('e')
    .select('u.display_name as reviewer_name')
    .where('e.request_id', '=', requestId)
    .executeTakeFirst();
}

export async function usersById(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'email'])
    .where('id', 'in', [...ids])
    .execute();
}

function contractQuery(db: Executor) {
  return db
    .selectFrom('contracts as k')
    .innerJoin('offers as f', 'f.id', 'k.offer_id')
    .innerJoin('datasets as d', 'd.id', 'k.dataset_id')
    .innerJoin('organisations as p', 'p.id', 'k.provider_id')
    .innerJoin('organisations as c', 'c.id', 'k.consumer_id')
    .leftJoin('projects as j', 'j.id', 'k.project_id')
    .selectAll('k')
    .select([
      'f.title as offer_title',
      'd.slug as dataset_slug',
      'd.title_fr as dataset_title',
      'p.slug as provider_slug',
      'p.short_name as provider_name',
      'c.slug as consumer_slug',
      'c.short_name as consumer_name',
      'c.category as consumer_category',
      'j.title as project_title',
    ]);
}

export async function findContract(db: Executor, id: string): Promise<ContractRow | undefined> {
  return (await contractQuery(db).where('k.id', '=', id).executeTakeFirst()) as ContractRow | undefined;
}

export async function listContracts(db: Executor, organisationIds: readonly string[] | 'all'): Promise<ContractRow[]> {
  let q = contractQuery(db);
  if (organisationIds !== 'all') {
    if (organisationIds.length === 0) return [];
    const ids = [...organisationIds];
    q = q.where((eb) =>
      eb.or([
        eb('k.provider_id', 'in', ids),
        eb('k.consumer_id', 'in', ids),
        eb('k.project_id', 'in', eb.selectFrom('project_partners').select('project_id').where('organisation_id', 'in', ids)),
      ]),
    );
  }
  return (await q.orderBy('k.created_at', 'desc').limit(500).execute()) as ContractRow[];
}

/**
 * A user's active contracts on a dataset: in force, inside their validity window, naming the
 * user, whose consumer (or project partner) the user still belongs to. Read on every data request,
 * never cached: a suspension, termination or expiry holds on the next one.
 */
export async function activeContracts(
  db: Executor,
  /** null: on every dataset. */
  datasetId: string | null,
  userId: string,
  organisationIds: readonly string[],
): Promise<ContractRow[]> {
  if (organisationIds.length === 0) return [];
  const ids = [...organisationIds];
  const now = new Date();
  return (await contractQuery(db)
    .$if(datasetId !== null, (q) => q.where('k.dataset_id', '=', datasetId!))
    .where('k.state', '=', 'active')
    .where('k.valid_from', '<=', now)
    .where('k.valid_until', '>', now)
    .where(sql<boolean>`${userId}::uuid = any(k.users)`)
    .where((eb) =>
      eb.or([
        eb('k.consumer_id', 'in', ids),
        eb('k.project_id', 'in', eb.selectFrom('project_partners').select('project_id').where('organisation_id', 'in', ids)),
      ]),
    )
    .orderBy('k.created_at')
    .execute()) as ContractRow[];
}

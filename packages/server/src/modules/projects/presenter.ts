import { purposeLabel, type DOMAINS, type ProjectDatasetView, type ProjectDetailView, type ProjectView } from '@confiance/contract';
import type { Executor } from '../../platform/context';
import {
  datasetsInfo,
  projectDatasets,
  projectFlows,
  projectInvitations,
  projectLists,
  projectPartners,
  type ProjectRow,
} from './repository';

type Partner = Awaited<ReturnType<typeof projectPartners>>[number];
type Invitation = Awaited<ReturnType<typeof projectInvitations>>[number];

const member = (p: Partner | Invitation) => ({ id: p.id, slug: p.slug, name: p.short_name, role: p.role });

export function presentProject(row: ProjectRow, partners: readonly Partner[], invitations: readonly Invitation[]): ProjectView {
  return {
    id: row.id,
    title: row.title,
    purpose: row.purpose,
    purposeLabel: purposeLabel(row.purpose),
    objective: row.objective,
    description: row.description,
    status: row.status,
    lead: { id: row.lead_organisation_id, slug: row.lead_slug, name: row.lead_name },
    partners: partners.map(member),
    invited: invitations.filter((i) => i.state === 'invited').map(member),
    domains: row.domains as (typeof DOMAINS)[number][],
    territory: row.territory,
    createdAt: row.created_at.toISOString(),
  };
}

/** Projects with their partners and pending invitations, two queries for the lot. */
export async function presentProjects(db: Executor, rows: readonly ProjectRow[]): Promise<ProjectView[]> {
  const ids = rows.map((r) => r.id);
  const [partners, invitations] = await Promise.all([projectPartners(db, ids), projectInvitations(db, ids)]);
  return rows.map((r) =>
    presentProject(
      r,
      partners.filter((p) => p.project_id === r.id),
      invitations.filter((i) => i.project_id === r.id),
    ),
  );
}

const org = (id: string, slug: string, name: string) => ({ id, slug, name });

type Flows = Awaited<ReturnType<typeof projectFlows>>;

/**
 * Every dataset the project uses, and how: attached ones first (in the order they were attached),
 * then those of its contracts and requests. Open data is used as it is; other data under a
 * contract, or requested, or attached while nobody has asked for it yet.
 */
export async function presentProjectDatasets(db: Executor, projectId: string, known?: Flows): Promise<ProjectDatasetView[]> {
  const [flows, attached] = await Promise.all([known ?? projectFlows(db, projectId), projectDatasets(db, projectId)]);
  const ids = [
    ...new Set([
      ...attached.map((a) => a.dataset_id),
      ...flows.contracts.map((k) => k.dataset_id),
      ...flows.requests.map((r) => r.dataset_id),
    ]),
  ];
  const info = new Map((await datasetsInfo(db, ids)).map((d) => [d.id, d]));
  const counts = new Map(flows.byContract.map((q) => [q.contractId, q.count]));
  return ids.flatMap((id) => {
    const d = info.get(id);
    if (!d) return [];
    const a = attached.find((x) => x.dataset_id === id);
    const contracts = flows.contracts.filter((k) => k.dataset_id === id);
    // A request that became a contract is shown as its contract.
    const requests = flows.requests.filter((r) => r.dataset_id === id && r.stage !== 'agreed');
    const uses: ProjectDatasetView['uses'] = [
      ...contracts.map((k) => ({ kind: 'contract' as const, id: k.id, state: k.state, consumer: k.consumer_name })),
      ...requests.map((r) => ({ kind: 'request' as const, id: r.id, state: r.stage, consumer: r.consumer_name })),
    ];
    if (d.access_level === 'open') uses.unshift({ kind: 'open', id: null, state: null, consumer: null });
    else if (uses.length === 0) uses.push({ kind: 'attached', id: null, state: null, consumer: null });
    return [
      {
        slug: d.slug,
        title: d.title_fr,
        provider: d.provider_name,
        accessLevel: d.access_level,
        attached: a
          ? {
              organisation: a.organisation_id ? org(a.organisation_id, a.organisation_slug!, a.organisation_name!) : null,
              note: a.note,
              at: a.attached_at.toISOString(),
            }
          : null,
        uses,
        queries: contracts.reduce((sum, k) => sum + (counts.get(k.id) ?? 0), 0),
      },
    ];
  });
}

/** The full view: lists and data flows. */
export async function presentProjectDetail(db: Executor, row: ProjectRow): Promise<ProjectDetailView> {
  const [partners, invitations, lists, flows] = await Promise.all([
    projectPartners(db, [row.id]),
    projectInvitations(db, [row.id]),
    projectLists(db, row.id),
    projectFlows(db, row.id),
  ]);
  const datasets = await presentProjectDatasets(db, row.id, flows);
  const contractOf = new Map(flows.contracts.map((k) => [k.id, k]));
  return {
    ...presentProject(row, partners, invitations),
    declined: invitations.filter((i) => i.state === 'declined').map(member),
    milestones: lists.milestones.map((m) => ({ title: m.title, dueOn: m.due_on, done: m.done })),
    funding: lists.funding.map((f) => ({
      call: f.call,
      funder: f.funder,
      amount: f.amount === null ? null : Number(f.amount),
      status: f.status,
      submittedOn: f.submitted_on,
      decidedOn: f.decided_on,
    })),
    deliverables: lists.deliverables.map((d) => ({
      title: d.title,
      kind: d.kind,
      link: d.link,
      dataset: d.dataset_slug ? { slug: d.dataset_slug, title: d.dataset_title ?? d.dataset_slug } : null,
      dueOn: d.due_on,
      deliveredOn: d.delivered_on,
    })),
    flows: {
      requests: flows.requests.map((r) => ({
        id: r.id,
        dataset: { slug: r.dataset_slug, title: r.dataset_title },
        provider: org(r.provider_id, r.provider_slug, r.provider_name),
        consumer: org(r.consumer_id, r.consumer_slug, r.consumer_name),
        stage: r.stage,
        createdAt: r.created_at.toISOString(),
      })),
      contracts: flows.contracts.map((k) => ({
        id: k.id,
        dataset: { slug: k.dataset_slug, title: k.dataset_title },
        provider: org(k.provider_id, k.provider_slug, k.provider_name),
        consumer: org(k.consumer_id, k.consumer_slug, k.consumer_name),
        state: k.state,
        validUntil: k.valid_until.toISOString(),
      })),
      queries: flows.queries,
      queriesByContract: flows.byContract.flatMap((q) => {
        const k = contractOf.get(q.contractId);
        return k
          ? [
              {
                contract: k.id,
                dataset: { slug: k.dataset_slug, title: k.dataset_title },
                consumer: org(k.consumer_id, k.consumer_slug, k.consumer_name),
                count: q.count,
                lastAt: q.lastAt ? new Date(q.lastAt).toISOString() : null,
              },
            ]
          : [];
      }),
      recentQueries: flows.recent.map((q) => ({
        id: q.id,
        dataset: { slug: q.dataset_slug, title: q.dataset_title },
        contract: q.contract_id!,
        organisation: q.organisation_id ? org(q.organisation_id, q.organisation_slug!, q.organisation_name!) : null,
        mode: q.mode,
        rows: q.delivered_rows === null ? null : Number(q.delivered_rows),
        at: (q.completed_at ?? q.started_at).toISOString(),
      })),
      datasets,
    },
  };
}

import { purposeLabel, type DOMAINS, type ProjectDetailView, type ProjectView } from '@confiance/contract';
import type { Executor } from '../../platform/context';
import { projectFlows, projectInvitations, projectLists, projectPartners, type ProjectRow } from './repository';

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

/** The full view: lists and data flows. */
export async function presentProjectDetail(db: Executor, row: ProjectRow): Promise<ProjectDetailView> {
  const [partners, invitations, lists, flows] = await Promise.all([
    projectPartners(db, [row.id]),
    projectInvitations(db, [row.id]),
    projectLists(db, row.id),
    projectFlows(db, row.id),
  ]);
  const datasets = new Map<string, { slug: string; title: string; provider: string }>();
  for (const f of [...flows.contracts, ...flows.requests])
    if (!datasets.has(f.dataset_slug))
      datasets.set(f.dataset_slug, { slug: f.dataset_slug, title: f.dataset_title, provider: f.provider_name });
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
      datasets: [...datasets.values()],
    },
  };
}

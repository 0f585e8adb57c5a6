import { z } from 'zod';
import { OCCITANIE_DEPARTEMENTS } from './catalog';
import { DOMAINS } from './members';

/**
 * Projects: a lead organisation and its partners (each with a role) working towards an objective
 * on a territory, with milestones, funding applications and deliverables. Partners are invited and
 * become parties (to the project's contracts, its fair return) only once their admin accepts.
 * Requests and contracts made for a project are its data flows.
 */

const orgRef = z.object({ id: z.uuid(), slug: z.string(), name: z.string() });

/** idea → setup → running → closed (idée → montage → en cours → clos). */
export const PROJECT_STATUSES = ['idea', 'setup', 'running', 'closed'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const PROJECT_STATUS_LABELS: Record<ProjectStatus, string> = {
  idea: 'idée',
  setup: 'montage',
  running: 'en cours',
  closed: 'clos',
};
/** The moves a project's status may make: forward one step, back to setup while not running, closed from anywhere, reopened. */
export const PROJECT_TRANSITIONS: Record<ProjectStatus, readonly ProjectStatus[]> = {
  idea: ['setup', 'closed'],
  setup: ['idea', 'running', 'closed'],
  running: ['closed'],
  closed: ['running'],
};

export const PROJECT_ROLES = ['lead', 'data_provider', 'data_user', 'partner'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];
export const PROJECT_ROLE_LABELS: Record<ProjectRole, string> = {
  lead: 'Chef de file',
  data_provider: 'Fournisseur de données',
  data_user: 'Utilisateur de données',
  partner: 'Partenaire',
};
/** Roles a partner can be invited with (a project has one lead, its creator's organisation). */
export const PARTNER_ROLES = ['data_provider', 'data_user', 'partner'] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];

export const FUNDING_STATUSES = ['draft', 'submitted', 'granted', 'refused'] as const;
export type FundingStatus = (typeof FUNDING_STATUSES)[number];
export const FUNDING_STATUS_LABELS: Record<FundingStatus, string> = {
  draft: 'brouillon',
  submitted: 'déposé',
  granted: 'accordé',
  refused: 'refusé',
};

export const DELIVERABLE_KINDS = ['report', 'dataset', 'dashboard', 'software', 'other'] as const;
export type DeliverableKind = (typeof DELIVERABLE_KINDS)[number];
export const DELIVERABLE_KIND_LABELS: Record<DeliverableKind, string> = {
  report: 'rapport',
  dataset: 'jeu de données',
  dashboard: 'tableau de bord',
  software: 'logiciel',
  other: 'autre',
};

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date attendue au format AAAA-MM-JJ')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'date inexistante');
const optionalDay = z.preprocess((v) => (v === '' ? null : v), day.nullable()).default(null);

const departement = z
  .string()
  .refine(
    (c) => c in OCCITANIE_DEPARTEMENTS,
    'code de département d’Occitanie attendu (09, 11, 12, 30, 31, 32, 34, 46, 48, 65, 66, 81, 82)',
  );
const territory = z
  .array(departement)
  .max(13)
  .transform((codes) => [...new Set(codes)].sort());
const domains = z
  .array(z.enum(DOMAINS))
  .max(DOMAINS.length)
  .transform((list) => [...new Set(list)]);

export const milestoneInput = z
  .object({
    title: z.string().trim().min(2).max(200),
    dueOn: optionalDay,
    done: z.boolean().default(false),
  })
  .strict();
export const fundingInput = z
  .object({
    /** The call for projects (appel à projets). */
    call: z.string().trim().min(2).max(200),
    funder: z.string().trim().min(2).max(200),
    /** Whole euros. */
    amount: z.number().int().min(0).max(1_000_000_000).nullable().default(null),
    status: z.enum(FUNDING_STATUSES).default('draft'),
    submittedOn: optionalDay,
    decidedOn: optionalDay,
  })
  .strict();
export const deliverableInput = z
  .object({
    title: z.string().trim().min(2).max(200),
    kind: z.enum(DELIVERABLE_KINDS).default('report'),
    link: z.preprocess((v) => (v === '' ? null : v), z.url().max(2000).nullable()).default(null),
    /** A dataset of the catalog (slug). */
    dataset: z.preprocess((v) => (v === '' ? null : v), z.string().min(1).max(200).nullable()).default(null),
    dueOn: optionalDay,
    deliveredOn: optionalDay,
  })
  .strict();
export type MilestoneInput = z.input<typeof milestoneInput>;
export type FundingInput = z.input<typeof fundingInput>;
export type DeliverableInput = z.input<typeof deliverableInput>;

const partnerRef = z.union([
  z.string().min(1).max(100),
  z.object({ organisation: z.string().min(1).max(100), role: z.enum(PARTNER_ROLES).default('partner') }).strict(),
]);

export const projectInput = z
  .object({
    title: z.string().trim().min(3).max(200),
    /** DPV purpose of the project: requests made for it must fit within it. */
    purpose: z.string().trim().min(1).max(200),
    /** What the project sets out to achieve. */
    objective: z.string().trim().max(2000).nullable().default(null),
    description: z.string().trim().max(5000).nullable().default(null),
    /** The lead organisation (slug or id): the caller must be its org admin. */
    leadOrganisation: z.string().min(1).max(100),
    /** Organisations invited as partners (slugs or ids, optionally with a role): parties once their admin accepts. */
    partners: z.array(partnerRef).max(50).default([]),
    domains: domains.default([]),
    /** Occitanie département codes. */
    territory: territory.default([]),
    status: z.enum(['idea', 'setup', 'running']).default('idea'),
    milestones: z.array(milestoneInput).max(100).default([]),
    funding: z.array(fundingInput).max(50).default([]),
    deliverables: z.array(deliverableInput).max(100).default([]),
  })
  .strict();
export type ProjectInput = z.input<typeof projectInput>;

/** A change: only the fields given. Lists (milestones, funding, deliverables) replace the whole list. */
export const projectPatch = z
  .object({
    title: z.string().trim().min(3).max(200),
    purpose: z.string().trim().min(1).max(200),
    objective: z.string().trim().max(2000).nullable(),
    description: z.string().trim().max(5000).nullable(),
    domains,
    territory,
    status: z.enum(PROJECT_STATUSES),
    milestones: z.array(milestoneInput).max(100),
    funding: z.array(fundingInput).max(50),
    deliverables: z.array(deliverableInput).max(100),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'rien à modifier');
export type ProjectPatch = z.input<typeof projectPatch>;

export const partnerInviteInput = z
  .object({
    organisation: z.string().min(1).max(100),
    role: z.enum(PARTNER_ROLES).default('partner'),
  })
  .strict();
export type PartnerInviteInput = z.input<typeof partnerInviteInput>;

export const projectListQuery = z
  .object({
    status: z.enum(PROJECT_STATUSES).optional(),
    domain: z.enum(DOMAINS).optional(),
    /** An organisation (slug) leading the project or partner of it. */
    organisation: z.string().min(1).max(100).optional(),
    /** Words in the title, objective or description. */
    q: z.string().trim().max(200).optional(),
  })
  .strict();
export type ProjectListQuery = z.input<typeof projectListQuery>;

const member = orgRef.extend({ role: z.enum(PROJECT_ROLES) });

export const projectSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  purpose: z.string(),
  purposeLabel: z.string(),
  objective: z.string().nullable(),
  description: z.string().nullable(),
  status: z.enum(PROJECT_STATUSES),
  lead: orgRef,
  /** Accepted partners: parties to the project. */
  partners: z.array(member),
  /** Invited organisations that have not answered yet. */
  invited: z.array(member),
  domains: z.array(z.enum(DOMAINS)),
  territory: z.array(z.string()),
  createdAt: z.string(),
});
export type ProjectView = z.infer<typeof projectSchema>;
export const projectList = z.object({ items: z.array(projectSchema), total: z.number().int() });

const datasetRef = z.object({ slug: z.string(), title: z.string() });

/** How a project uses a dataset: open data (no contract needed), under a contract, requested, or attached awaiting a request. */
export const PROJECT_DATASET_USES = ['open', 'contract', 'request', 'attached'] as const;
export type ProjectDatasetUse = (typeof PROJECT_DATASET_USES)[number];

/** Attaching a dataset of the catalog to a project (a party's admin or steward). */
export const projectDatasetInput = z
  .object({
    /** The dataset's slug. */
    dataset: z.string().trim().min(1).max(200),
    /** What the project uses it for. */
    note: z.preprocess((v) => (v === '' ? null : v), z.string().trim().max(500).nullable()).default(null),
  })
  .strict();
export type ProjectDatasetInput = z.input<typeof projectDatasetInput>;

export const projectDatasetSchema = datasetRef.extend({
  /** The publisher's name. */
  provider: z.string(),
  accessLevel: z.enum(['open', 'members', 'restricted', 'aggregate_only']),
  /** Set when a party attached it explicitly. */
  attached: z
    .object({
      organisation: orgRef.nullable(),
      note: z.string().nullable(),
      at: z.string(),
    })
    .nullable(),
  uses: z.array(
    z.object({
      kind: z.enum(PROJECT_DATASET_USES),
      /** The contract (kind `contract`) or request (kind `request`). */
      id: z.uuid().nullable(),
      /** The contract's state or the request's stage. */
      state: z.string().nullable(),
      consumer: z.string().nullable(),
    }),
  ),
  /** Queries completed on it under the project's contracts. */
  queries: z.number().int(),
});
export type ProjectDatasetView = z.infer<typeof projectDatasetSchema>;
export const projectDatasetList = z.object({ items: z.array(projectDatasetSchema) });

export const projectDetailSchema = projectSchema.extend({
  /** Invitations declined (kept so the lead sees the answer). */
  declined: z.array(member),
  milestones: z.array(z.object({ title: z.string(), dueOn: z.string().nullable(), done: z.boolean() })),
  funding: z.array(
    z.object({
      call: z.string(),
      funder: z.string(),
      amount: z.number().nullable(),
      status: z.enum(FUNDING_STATUSES),
      submittedOn: z.string().nullable(),
      decidedOn: z.string().nullable(),
    }),
  ),
  deliverables: z.array(
    z.object({
      title: z.string(),
      kind: z.enum(DELIVERABLE_KINDS),
      link: z.string().nullable(),
      dataset: datasetRef.nullable(),
      dueOn: z.string().nullable(),
      deliveredOn: z.string().nullable(),
    }),
  ),
  /** What data the project moves: requests made for it, contracts in force, queries run under them. */
  flows: z.object({
    requests: z.array(
      z.object({
        id: z.uuid(),
        dataset: datasetRef,
        provider: orgRef,
        consumer: orgRef,
        stage: z.string(),
        createdAt: z.string(),
      }),
    ),
    contracts: z.array(
      z.object({
        id: z.uuid(),
        dataset: datasetRef,
        provider: orgRef,
        consumer: orgRef,
        state: z.string(),
        validUntil: z.string(),
      }),
    ),
    /** Queries completed under the project's contracts (the node's query log, `query.completed` in the ledger). */
    queries: z.number().int(),
    /** The same, per contract, with the last one's date. */
    queriesByContract: z.array(
      z.object({
        contract: z.uuid(),
        dataset: datasetRef,
        consumer: orgRef,
        count: z.number().int(),
        lastAt: z.string().nullable(),
      }),
    ),
    /** The last queries completed under its contracts (at most 10). */
    recentQueries: z.array(
      z.object({
        id: z.uuid(),
        dataset: datasetRef,
        contract: z.uuid(),
        organisation: orgRef.nullable(),
        mode: z.string(),
        rows: z.number().int().nullable(),
        at: z.string(),
      }),
    ),
    /** Every dataset the project uses: attached to it, requested or under contract for it; and how. */
    datasets: z.array(projectDatasetSchema),
  }),
});
export type ProjectDetailView = z.infer<typeof projectDetailSchema>;

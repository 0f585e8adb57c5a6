import { z } from 'zod';
import { planSchema } from './billing/plans';
import { ORGANISATION_CATEGORIES } from './members';
import { DATA_USES, AGREEMENT_MODES, NOISE_MECHANISMS, disclosureInput } from './policy/offer';
import { decisionSchema } from './policies';

/**
 * Access requests, ethics reviews, contracts, minimal projects and notifications: how a consumer
 * obtains data from a provider and how the agreement lives and ends.
 *
 * States follow the Dataspace Protocol: a request and its agreement use the *negotiation* states
 * (REQUESTED → AGREED → VERIFIED → FINALIZED, or TERMINATED), the use of a contract the
 * *transfer* states (STARTED ⇄ SUSPENDED → COMPLETED or TERMINATED).
 */

const orgRef = z.object({ id: z.uuid(), slug: z.string(), name: z.string() });
const userRef = z.object({ id: z.uuid(), displayName: z.string(), email: z.string() });

// Projects: see ./projects.ts

// ---------------------------------------------------------------------------------------------
// Requests

/** DSP negotiation states. */
export const NEGOTIATION_STATES = ['REQUESTED', 'AGREED', 'VERIFIED', 'FINALIZED', 'TERMINATED'] as const;
export type NegotiationState = (typeof NEGOTIATION_STATES)[number];

/** Where a request stands, in words people use. */
export const REQUEST_STAGES = ['provider_review', 'ethics_review', 'agreed', 'refused', 'withdrawn'] as const;
export type RequestStage = (typeof REQUEST_STAGES)[number];

export const requestInput = z
  .object({
    offer: z.uuid(),
    /** The requesting organisation (slug or id): the caller must belong to it. */
    organisation: z.string().min(1).max(100),
    /** A project (id) the organisation leads or is a partner of; the contract is then assigned to it. */
    project: z.uuid().nullable().default(null),
    /** DPV purpose, e.g. "dpv:AcademicResearch". */
    purpose: z.string().trim().min(1).max(200),
    durationMonths: z.number().int().min(1).max(120),
    /** The data use the request is for; defaults to the offer's first. */
    use: z.enum(DATA_USES).optional(),
    /** Why the data is needed, for the provider and the ethics commission. */
    justification: z.string().trim().min(10).max(5000),
    /** E-mails of the people who will use the data (members of the organisation or of the project's partners); default: the requester. */
    users: z.array(z.email()).max(100).default([]),
  })
  .strict();
export type RequestInput = z.input<typeof requestInput>;

export const FIVE_SAFES = ['project', 'people', 'setting', 'data', 'outputs'] as const;
export type FiveSafe = (typeof FIVE_SAFES)[number];

export const REVIEW_DECISIONS = ['approved', 'conditions', 'rejected'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const reviewSchema = z.object({
  id: z.uuid(),
  state: z.enum(['pending', 'decided']),
  decision: z.enum(REVIEW_DECISIONS).nullable(),
  /** Each of the Five Safes: judged safe or not, with the reviewer's note. */
  checklist: z.record(z.enum(FIVE_SAFES), z.object({ safe: z.boolean(), note: z.string() })).nullable(),
  conditions: z.string().nullable(),
  reasons: z.string().nullable(),
  reviewer: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ReviewView = z.infer<typeof reviewSchema>;

export const requestSchema = z.object({
  id: z.uuid(),
  state: z.enum(NEGOTIATION_STATES),
  stage: z.enum(REQUEST_STAGES),
  offer: z.object({ id: z.uuid(), title: z.string(), version: z.number().int(), agreement: z.enum(AGREEMENT_MODES) }),
  dataset: z.object({ id: z.uuid(), slug: z.string(), title: z.string(), accessLevel: z.string() }),
  provider: orgRef,
  consumer: orgRef.extend({ category: z.enum(ORGANISATION_CATEGORIES) }),
  project: z.object({ id: z.uuid(), title: z.string() }).nullable(),
  purpose: z.string(),
  purposeLabel: z.string(),
  durationMonths: z.number().int(),
  use: z.enum(DATA_USES),
  justification: z.string(),
  users: z.array(userRef),
  requestedBy: z.string(),
  /** The evaluator's decision when the request was made, constraint by constraint. */
  decision: decisionSchema,
  review: reviewSchema.nullable(),
  /** The provider's or the commission's reason when refused; the requester's when withdrawn. */
  reason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  contract: z.uuid().nullable(),
  createdAt: z.string(),
  /** What the caller may do now. */
  can: z.object({ approve: z.boolean(), reject: z.boolean(), withdraw: z.boolean(), review: z.boolean() }),
});
export type RequestView = z.infer<typeof requestSchema>;
export const requestList = z.object({ items: z.array(requestSchema), total: z.number().int() });

export const requestListQuery = z
  .object({
    /** `mine`: requests of my organisations; `inbox`: requests to my organisations as provider. */
    box: z.enum(['mine', 'inbox']).default('mine'),
    stage: z.enum(REQUEST_STAGES).optional(),
  })
  .strict();

export const requestDecisionInput = z.object({ reason: z.string().trim().min(3).max(2000).nullable().default(null) }).strict();
export const requestRejectInput = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();

export const reviewDecisionInput = z
  .object({
    decision: z.enum(REVIEW_DECISIONS),
    checklist: z.object(
      Object.fromEntries(
        FIVE_SAFES.map((s) => [s, z.object({ safe: z.boolean(), note: z.string().trim().min(3).max(2000) }).strict()]),
      ) as Record<FiveSafe, z.ZodObject<{ safe: z.ZodBoolean; note: z.ZodString }>>,
    ),
    /** Required when approving with conditions: what the requester must respect. */
    conditions: z.string().trim().min(3).max(5000).nullable().default(null),
    /** Required when rejecting; shown to the requester. */
    reasons: z.string().trim().min(3).max(5000).nullable().default(null),
    /**
     * Refer this proposed decision to the ethics commission's vote instead of deciding alone
     * (when the operator put escalated reviews behind a vote): the answer is 202 with the vote.
     */
    escalate: z.boolean().default(false),
  })
  .strict();
export type ReviewDecisionInput = z.input<typeof reviewDecisionInput>;

// ---------------------------------------------------------------------------------------------
// Contracts

/** DSP transfer states of a contract's use, and the words for them. */
export const CONTRACT_STATES = ['active', 'suspended', 'terminated', 'expired'] as const;
export type ContractState = (typeof CONTRACT_STATES)[number];
export const CONTRACT_TRANSFER_STATE: Record<ContractState, 'STARTED' | 'SUSPENDED' | 'TERMINATED' | 'COMPLETED'> = {
  active: 'STARTED',
  suspended: 'SUSPENDED',
  terminated: 'TERMINATED',
  expired: 'COMPLETED',
};

/** What an active contract lets the access module do: compiled from the agreement. */
export const grantSchema = z.object({
  contract: z.uuid(),
  dataset: z.string(),
  uses: z.array(z.enum(DATA_USES)),
  /** Columns the consumer sees; empty: all. */
  columns: z.array(z.string()),
  /** Rows: only these départements; empty: all. */
  departements: z.array(z.string()),
  aggregateOnly: z.boolean(),
  /** Queries allowed over the contract's life; null: no quota. */
  maxQueries: z.number().int().nullable(),
  /** Queries allowed per day (UTC); null: no daily quota. */
  queriesPerDay: z.number().int().nullable(),
  /** Rows or result cells at most in one response; null: the node's ceiling. */
  rowsPerResponse: z.number().int().nullable(),
  /** Disclosure control applied to aggregate results (aggregate-only grants always have one). */
  disclosure: disclosureInput.nullable(),
  /** Differential privacy of counts and sums (issue 8); null: none. */
  privacy: z
    .object({
      epsilon: z.string(),
      epsilonPerQuery: z.string(),
      delta: z.string().nullable(),
      mechanism: z.enum(NOISE_MECHANISMS),
      clipping: z.array(z.object({ column: z.string(), lower: z.number(), upper: z.number() })),
    })
    .nullable(),
  /** Columns that may be joined, pseudonymised, with another dataset the contract grants. */
  joinKeys: z.array(z.string()),
  /** The price plan the agreement carries (issue 9); free for agreements made without one. */
  plan: planSchema.default({ kind: 'free' }),
  validFrom: z.string(),
  validUntil: z.string(),
  /** The people who may use it. */
  users: z.array(z.uuid()),
});
export type GrantView = z.infer<typeof grantSchema>;

export const contractEventSchema = z.object({
  at: z.string(),
  kind: z.enum([
    'signed',
    'accepted',
    'suspended',
    'resumed',
    'terminated',
    'expired',
    'amendment_proposed',
    'amended',
    'amendment_rejected',
  ]),
  organisation: z.string().nullable(),
  by: z.string().nullable(),
  reason: z.string().nullable(),
  version: z.number().int(),
});

export const amendmentSchema = z.object({
  id: z.uuid(),
  state: z.enum(['proposed', 'accepted', 'rejected']),
  proposedBy: orgRef,
  durationMonths: z.number().int().nullable(),
  /** Move to the offer's current version (its latest terms). */
  latestOffer: z.boolean(),
  reason: z.string(),
  createdAt: z.string(),
});

export const contractSchema = z.object({
  id: z.uuid(),
  /** The agreement's IRI: the ODRL Agreement's uid. */
  uri: z.string(),
  state: z.enum(CONTRACT_STATES),
  transferState: z.enum(['STARTED', 'SUSPENDED', 'TERMINATED', 'COMPLETED']),
  version: z.number().int(),
  request: z.uuid(),
  offer: z.object({ id: z.uuid(), title: z.string(), version: z.number().int() }),
  dataset: z.object({ id: z.uuid(), slug: z.string(), title: z.string() }),
  provider: orgRef,
  consumer: orgRef,
  project: z.object({ id: z.uuid(), title: z.string() }).nullable(),
  purpose: z.string(),
  purposeLabel: z.string(),
  validFrom: z.string(),
  validUntil: z.string(),
  /** The ODRL 2.2 Agreement (compact JSON-LD). */
  agreement: z.record(z.string(), z.unknown()),
  /** The agreement signed by the node's contract key (JWS compact, EdDSA). */
  jws: z.string(),
  /** The agreement in French, one line per rule. */
  rules: z.array(z.object({ kind: z.string(), actionLabel: z.string(), constraints: z.array(z.string()), duties: z.array(z.string()) })),
  conditions: z.string().nullable(),
  grant: grantSchema,
  events: z.array(contractEventSchema),
  pendingAmendment: amendmentSchema.nullable(),
  terminationReason: z.string().nullable(),
  createdAt: z.string(),
  can: z.object({ suspend: z.boolean(), resume: z.boolean(), terminate: z.boolean(), amend: z.boolean(), acceptAmendment: z.boolean() }),
});
export type ContractView = z.infer<typeof contractSchema>;
export const contractList = z.object({
  items: z.array(contractSchema.omit({ agreement: true, jws: true, events: true })),
  total: z.number().int(),
});

export const contractReasonInput = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();
export const amendmentInput = z
  .object({
    durationMonths: z.number().int().min(1).max(120).nullable().default(null),
    latestOffer: z.boolean().default(false),
    reason: z.string().trim().min(3).max(2000),
  })
  .strict()
  .refine((a) => a.durationMonths !== null || a.latestOffer, {
    message: 'proposez une nouvelle durée ou les conditions actuelles de l’offre',
    path: ['durationMonths'],
  });
export const amendmentDecisionInput = z
  .object({ accept: z.boolean(), reason: z.string().trim().max(2000).nullable().default(null) })
  .strict();

/** The node's contract key, to verify agreements' JWS (Ed25519 public key as a JWK). */
export const contractKeySchema = z.object({ kid: z.string(), alg: z.literal('EdDSA'), jwk: z.record(z.string(), z.unknown()) });

// ---------------------------------------------------------------------------------------------
// Notifications (in-app)

export const NOTIFICATION_KINDS = [
  'request.received',
  'request.decided',
  'review.needed',
  'review.decided',
  'contract.signed',
  'contract.suspended',
  'contract.resumed',
  'contract.terminated',
  'contract.expiring',
  'contract.expired',
  'contract.amendment',
  // Events (network module).
  'event.cancelled',
  // Projects (projects module): an organisation invited as partner; the lead told of the answer.
  'project.invited',
  'project.answered',
  'project.removed',
  // The needs board (network module).
  'need.answered',
  'need.project',
  // Commissions (governance module): a vote opened to the members, its outcome.
  'vote.opened',
  'vote.decided',
] as const;
export const notificationSchema = z.object({
  id: z.uuid(),
  kind: z.enum(NOTIFICATION_KINDS),
  /** French sentence. */
  title: z.string(),
  /** Portal path to open. */
  link: z.string(),
  read: z.boolean(),
  createdAt: z.string(),
});
export const notificationList = z.object({ items: z.array(notificationSchema), total: z.number().int(), unread: z.number().int() });

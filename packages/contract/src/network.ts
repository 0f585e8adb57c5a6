import { z } from 'zod';
import { listOf } from './common';
import { DOMAINS } from './members';
import { OCCITANIE_DEPARTEMENT_CODES } from './catalog';

/**
 * The network between members: the needs board (« besoins ») where a member says what data it
 * lacks and providers answer, the news posts (« actualités »), and what each organisation shares,
 * uses and needs, shown in the directory.
 */

const orgRef = z.object({ id: z.uuid(), slug: z.string(), name: z.string() });

export const NEED_STATUSES = ['open', 'answered', 'project', 'closed'] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

/** How a provider answers a need: a dataset it already publishes, a plan to publish, or a reasoned no. */
export const NEED_ANSWER_KINDS = ['dataset', 'plan', 'refusal'] as const;
export type NeedAnswerKind = (typeof NEED_ANSWER_KINDS)[number];

/** The whole region, or some of its départements. */
export const TERRITORY_REGION = 'Occitanie';
const territoryItem = z
  .string()
  .trim()
  .refine((v) => v === TERRITORY_REGION || OCCITANIE_DEPARTEMENT_CODES.includes(v), {
    message:
      'territoire attendu : « Occitanie » ou un code de département d’Occitanie (09, 11, 12, 30, 31, 32, 34, 46, 48, 65, 66, 81, 82)',
  });

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date attendue au format AAAA-MM-JJ');

export const needInput = z
  .object({
    /** The organisation in need (slug or id): the caller must belong to it. */
    organisation: z.string().min(1).max(100),
    title: z.string().trim().min(5, 'titre trop court : 5 caractères au moins').max(200),
    description: z.string().trim().min(20, 'décrivez le besoin en 20 caractères au moins').max(5000),
    domain: z.enum(DOMAINS),
    territory: z.array(territoryItem).min(1, 'indiquez au moins un territoire').max(14).default([TERRITORY_REGION]),
    /** DPV purpose, as in requests, e.g. "dpv:AcademicResearch". */
    purpose: z.string().trim().min(1).max(200),
    wantedBy: isoDay.nullable().default(null),
  })
  .strict();
export type NeedInput = z.input<typeof needInput>;

export const needAnswerInput = z
  .object({
    /** The answering organisation (slug or id): the caller must be its steward or admin. */
    organisation: z.string().min(1).max(100),
    kind: z.enum(NEED_ANSWER_KINDS),
    /** For `dataset`: the catalog dataset (slug or id) that meets the need. */
    dataset: z.string().min(1).max(200).nullable().default(null),
    /** For `plan`: when the data should be published. */
    expectedAt: isoDay.nullable().default(null),
    /** A word for the author; for `refusal`, the reason (required). */
    message: z.string().trim().max(5000).default(''),
  })
  .strict();
export type NeedAnswerInput = z.input<typeof needAnswerInput>;

/** A refusal must say why: the author learns what would make the data possible. */
export const REFUSAL_MIN_LENGTH = 20;

export const needAnswerSchema = z.object({
  id: z.uuid(),
  organisation: orgRef,
  kind: z.enum(NEED_ANSWER_KINDS),
  dataset: z.object({ id: z.uuid(), slug: z.string(), title: z.string() }).nullable(),
  expectedAt: z.string().nullable(),
  message: z.string(),
  by: z.string(),
  createdAt: z.string(),
});
export type NeedAnswerView = z.infer<typeof needAnswerSchema>;

export const needSchema = z.object({
  id: z.uuid(),
  organisation: orgRef,
  title: z.string(),
  description: z.string(),
  domain: z.enum(DOMAINS),
  territory: z.array(z.string()),
  purpose: z.string(),
  purposeLabel: z.string(),
  wantedBy: z.string().nullable(),
  status: z.enum(NEED_STATUSES),
  project: z.object({ id: z.uuid(), title: z.string() }).nullable(),
  answerCount: z.number().int(),
  /** Present on a single need; lists leave them out. */
  answers: z.array(needAnswerSchema).optional(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  /** What the caller may do now (anonymous: nothing). */
  can: z.object({ answer: z.boolean(), close: z.boolean(), toProject: z.boolean() }),
});
export type NeedView = z.infer<typeof needSchema>;
export const needList = listOf(needSchema);

export const needListQuery = z
  .object({
    status: z.enum(NEED_STATUSES).optional(),
    domain: z.enum(DOMAINS).optional(),
    /** Slug or id of the organisation in need. */
    organisation: z.string().min(1).max(100).optional(),
    q: z.string().trim().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const needCloseInput = z.object({ reason: z.string().trim().max(2000).default('') }).strict();

export const needToProjectInput = z
  .object({
    /** Defaults to the need's title. */
    title: z.string().trim().min(3).max(200).optional(),
    /** Invite the organisations that answered with a dataset or a plan as partners (default true). */
    inviteAnswerers: z.boolean().default(true),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// News

export const newsInput = z
  .object({
    /** The publishing organisation (slug or id); null: the association itself (operator only). */
    organisation: z.string().min(1).max(100).nullable().default(null),
    title: z.string().trim().min(5, 'titre trop court : 5 caractères au moins').max(200),
    /** Markdown. */
    body: z.string().trim().min(20, 'texte trop court : 20 caractères au moins').max(20000),
    /** Defaults to now; a date in the future schedules the post. */
    publishedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type NewsInput = z.input<typeof newsInput>;

export const newsUpdate = newsInput.omit({ organisation: true }).partial().strict();

export const newsSchema = z.object({
  id: z.uuid(),
  organisation: orgRef.nullable(),
  title: z.string(),
  body: z.string(),
  author: z.string(),
  publishedAt: z.string(),
  updatedAt: z.string(),
  can: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export type NewsView = z.infer<typeof newsSchema>;
export const newsList = listOf(newsSchema);

export const newsListQuery = z
  .object({
    organisation: z.string().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// The directory: what an organisation shares, uses and needs

export const networkCountsSchema = z.object({ shares: z.number().int(), uses: z.number().int(), needs: z.number().int() });
export type NetworkCounts = z.infer<typeof networkCountsSchema>;

export const networkProfileSchema = z.object({
  organisation: orgRef,
  counts: networkCountsSchema,
  /** Its published datasets. */
  shares: z.array(z.object({ id: z.uuid(), slug: z.string(), title: z.string(), accessLevel: z.string() })),
  /** Datasets it holds active contracts on: members of the association see which; the public only the count. */
  uses: z.array(z.object({ slug: z.string(), title: z.string(), provider: orgRef })).nullable(),
  /** Its open needs. */
  needs: z.array(z.object({ id: z.uuid(), title: z.string(), domain: z.enum(DOMAINS), createdAt: z.string() })),
});
export type NetworkProfile = z.infer<typeof networkProfileSchema>;

export const networkDirectoryQuery = z
  .object({
    /** Slugs or ids, comma-separated; all active organisations when absent. */
    organisations: z.string().max(5000).optional(),
  })
  .strict();
export const networkDirectorySchema = z.object({
  items: z.array(z.object({ organisationId: z.uuid(), slug: z.string(), counts: networkCountsSchema })),
  total: z.number().int(),
});

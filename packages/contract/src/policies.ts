import { z } from 'zod';
import { planSchema } from './billing/plans';
import { ORGANISATION_CATEGORIES } from './members';
import { AGREEMENT_MODES, DATA_USES, OFFER_TEMPLATES, charterRulesSchema, offerTermsInput, type DatasetFacts } from './policy/offer';

/**
 * The policies API: the ethics charter (versions, signatures), offers on datasets and the decision
 * preview. The pure model and evaluator live in `policy/`; these are the shapes exchanged.
 */

// ---------------------------------------------------------------------------------------------
// Charter

export const charterVersionLabel = z.string().regex(/^\d+\.\d+$/, 'numéro de version « majeure.mineure », par exemple "1.0"');

export const charterPublishInput = z
  .object({
    version: charterVersionLabel,
    title: z.object({ fr: z.string().trim().min(3).max(200), en: z.string().trim().min(3).max(200) }).strict(),
    /** Markdown, French and English. */
    body: z.object({ fr: z.string().trim().min(20).max(100_000), en: z.string().trim().min(20).max(100_000) }).strict(),
    rules: charterRulesSchema,
  })
  .strict();
export type CharterPublishInput = z.input<typeof charterPublishInput>;

export const charterVersionSchema = z.object({
  /** The version label, also its id in lists. */
  id: z.string(),
  version: z.string(),
  title: z.object({ fr: z.string(), en: z.string() }),
  body: z.object({ fr: z.string(), en: z.string() }),
  rules: charterRulesSchema,
  /** SHA-256 of the canonical JSON of {version, title, body, rules}: what the ledger entry carries. */
  sha256: z.string(),
  publishedAt: z.string(),
  current: z.boolean(),
  /** Organisations that signed this version. */
  signatureCount: z.number().int(),
});
export type CharterVersionView = z.infer<typeof charterVersionSchema>;

export const charterVersionList = z.object({
  items: z.array(charterVersionSchema.omit({ body: true })),
  total: z.number().int(),
});

export const charterSignatureSchema = z.object({
  /** The organisation's id. */
  id: z.uuid(),
  organisation: z.object({ id: z.uuid(), slug: z.string(), name: z.string(), category: z.enum(ORGANISATION_CATEGORIES) }),
  /** Last version the organisation signed, if any. */
  signedVersion: z.string().nullable(),
  signedAt: z.string().nullable(),
  /** Signed the current version. */
  current: z.boolean(),
  /** Whether the caller may sign for this organisation (org admin). */
  canSign: z.boolean(),
});
export type CharterSignatureView = z.infer<typeof charterSignatureSchema>;
export const charterSignatureList = z.object({
  items: z.array(charterSignatureSchema),
  total: z.number().int(),
  currentVersion: z.string().nullable(),
});

export const charterSignInput = z
  .object({
    /** The version the admin read: signing fails with `charter_outdated` if it is no longer current. */
    version: charterVersionLabel,
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Offers

export const OFFER_STATUSES = ['active', 'retired'] as const;

/** Create or replace an offer: from a template form (`terms`) or as ODRL JSON-LD (`policy`), not both. */
export const offerInput = z
  .object({
    title: z.string().trim().min(3).max(120),
    description: z.string().trim().max(2000).nullable().default(null),
    agreement: z.enum(AGREEMENT_MODES),
    terms: offerTermsInput.optional(),
    /** Expert mode: the ODRL 2.2 Offer as compact JSON-LD (its uid, target and assigner are the node's). */
    policy: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((o) => (o.terms === undefined) !== (o.policy === undefined), {
    message: 'donnez soit le formulaire du modèle (terms), soit la politique ODRL (policy)',
    path: ['terms'],
  });
export type OfferInput = z.input<typeof offerInput>;

export const offerUpdateInput = z
  .object({
    title: z.string().trim().min(3).max(120).optional(),
    description: z.string().trim().max(2000).nullable().optional(),
    agreement: z.enum(AGREEMENT_MODES).optional(),
    terms: offerTermsInput.optional(),
    policy: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((o) => o.terms === undefined || o.policy === undefined, {
    message: 'donnez soit le formulaire du modèle (terms), soit la politique ODRL (policy)',
    path: ['terms'],
  });
export type OfferUpdateInput = z.input<typeof offerUpdateInput>;

export const offerRetireInput = z.object({ reason: z.string().trim().min(3).max(1000) }).strict();

/** One rule of an offer, in French, for cards and the contract preview. */
export const offerRuleSummarySchema = z.object({
  kind: z.enum(['permission', 'prohibition', 'obligation']),
  action: z.string(),
  actionLabel: z.string(),
  constraints: z.array(z.string()),
  duties: z.array(z.string()),
});

export const offerSchema = z.object({
  id: z.uuid(),
  /** The offer's IRI: the ODRL policy's uid. */
  uri: z.string(),
  dataset: z.object({ id: z.uuid(), slug: z.string(), title: z.string(), accessLevel: z.string(), licence: z.string() }),
  provider: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
  title: z.string(),
  description: z.string().nullable(),
  agreement: z.enum(AGREEMENT_MODES),
  /** The template form it was built from; null once an expert edited the JSON-LD. */
  template: z.enum(OFFER_TEMPLATES).nullable(),
  terms: offerTermsInput.nullable(),
  uses: z.array(z.enum(DATA_USES)),
  /** The price plan (issue 9), read from the policy's `compensate` duty: free when it has none. */
  plan: planSchema.default({ kind: 'free' }),
  /** The plan in French: « 0,50 € HT par requête », then its category prices, discount and VAT. */
  price: z.object({ summary: z.string(), details: z.array(z.string()) }),
  /** The ODRL 2.2 Offer (compact JSON-LD with its @context). */
  policy: z.record(z.string(), z.unknown()),
  rules: z.array(offerRuleSummarySchema),
  status: z.enum(OFFER_STATUSES),
  retiredReason: z.string().nullable(),
  /** Incremented on every change; contracts keep the version they agreed to. */
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Whether the caller may change or retire it. */
  canManage: z.boolean(),
});
export type OfferView = z.infer<typeof offerSchema>;
export const offerList = z.object({ items: z.array(offerSchema), total: z.number().int() });

// ---------------------------------------------------------------------------------------------
// Decision preview

export const decisionPreviewInput = z
  .object({
    /** The organisation the data would be for (slug or id). */
    organisation: z.string().min(1).max(100),
    /** DPV purpose, e.g. "dpv:AcademicResearch". */
    purpose: z.string().trim().min(1).max(200),
    durationMonths: z.number().int().min(1).max(120),
    /** What the consumer wants to do; defaults to the offer's first use. */
    use: z.enum(DATA_USES).optional(),
    project: z.string().trim().min(1).max(100).nullable().default(null),
  })
  .strict();
export type DecisionPreviewInput = z.input<typeof decisionPreviewInput>;

const satisfaction = z.enum(['satisfied', 'not_satisfied', 'not_applicable']);
export interface ConstraintResultView {
  path: string;
  label: string;
  state: z.infer<typeof satisfaction>;
  deferred: boolean;
  reason: string;
  children?: ConstraintResultView[];
}
export const constraintResultSchema: z.ZodType<ConstraintResultView> = z.lazy(() =>
  z.object({
    path: z.string(),
    label: z.string(),
    state: satisfaction,
    deferred: z.boolean(),
    reason: z.string(),
    children: z.array(constraintResultSchema).optional(),
  }),
);
const matchSchema = z.object({ state: satisfaction, reason: z.string() });

export const decisionSchema = z.object({
  outcome: z.enum(['permit', 'deny']),
  conditional: z.boolean(),
  summary: z.string(),
  /** The agreement that would follow a permit: automatic, provider approval or ethics review. */
  agreement: z.enum(AGREEMENT_MODES),
  charter: z.object({
    required: z.boolean(),
    signed: z.boolean(),
    version: z.string().nullable(),
    state: satisfaction,
    reason: z.string(),
  }),
  rules: z.array(
    z.object({
      kind: z.string(),
      path: z.string(),
      action: z.string(),
      actionLabel: z.string(),
      state: z.enum(['active', 'inactive']),
      reason: z.string(),
      target: matchSchema,
      assignee: matchSchema,
      actionMatch: matchSchema,
      constraints: z.array(constraintResultSchema),
      duties: z.array(z.object({ path: z.string(), action: z.string(), label: z.string(), state: z.string(), reason: z.string() })),
    }),
  ),
});
export type DecisionView = z.infer<typeof decisionSchema>;

/** A structural view of a dataset, enough to derive the facts offers are checked against. */
interface DatasetLike {
  accessLevel: DatasetFacts['accessLevel'];
  licence: DatasetFacts['licence'];
  version: { tables: ReadonlyArray<{ name: string; columns: ReadonlyArray<{ name: string; personal: boolean; sensitive: boolean }> }> };
}

/**
 * The facts an offer is checked against, from a dataset view: the server, the offer editor and
 * the CLI derive them the same way. Columns are named `table.column`, and also bare when the
 * dataset has a single table. Personal or health data is what the steward flagged, column by
 * column (personal, or sensitive: RGPD art. 9): a dataset *about* health, such as air quality,
 * is not data about people's health.
 */
export function datasetFacts(dataset: DatasetLike): DatasetFacts {
  const tables = dataset.version.tables;
  const columns = tables.flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`));
  if (tables.length === 1) columns.push(...tables[0]!.columns.map((c) => c.name));
  const flagged = tables.some((t) => t.columns.some((c) => c.personal || c.sensitive));
  return {
    accessLevel: dataset.accessLevel,
    licence: dataset.licence,
    personalData: flagged,
    columns,
  };
}

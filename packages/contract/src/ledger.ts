import { z } from 'zod';

/**
 * The ledger: every fact of the data space as an entry of an append-only Merkle tree (RFC 9162),
 * with signed checkpoints anyone can verify (C2SP tlog-checkpoint, tlog-tiles, tlog-cosignature).
 *
 * An entry's leaf bytes are the canonical JSON (RFC 8785) of `{ type, time, public, commitment }`.
 * `public` never carries personal data: organisations and datasets by slug, counts, codes.
 * Private details (who did it, notes, reasons) are committed by
 * `commitment = hex(SHA-256(salt ‖ JCS(details)))` with a 32-byte random salt stored beside them;
 * erasing deletes both and the leaf stays verifiable.
 *
 * Billing reads access facts: they carry the offer, the plan, the party type and the units.
 */

const slug = z.string().min(1).max(100);
const orgSlug = slug;
const datasetSlug = slug;
const id = z.string().min(1).max(100);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const partyType = z.enum(['public_body', 'company', 'research', 'association']);

/** Fields billing needs on every use of data. */
const usage = {
  contract: id,
  dataset: datasetSlug,
  provider: orgSlug,
  consumer: orgSlug,
  offer: id.nullable(),
  plan: z.string().max(60).nullable(),
  partyType,
  /** DPV purpose code the use was declared for. */
  purpose: z.string().max(200),
};

/** Public part of each fact, by entry type. */
export const LEDGER_PUBLIC = {
  'member.admitted': z.object({ organisation: orgSlug, category: partyType }).strict(),
  'member.removed': z.object({ organisation: orgSlug }).strict(),
  'member.excluded': z.object({ organisation: orgSlug, decision: id.nullable() }).strict(),
  /** Which user is personal: only in the details. */
  'user.deactivated': z.object({ organisation: orgSlug.nullable() }).strict(),
  /** `vote`: the commission's vote that adopted it, when the operator put charter versions behind a vote. */
  'charter.published': z.object({ version: z.string().max(40), sha256: sha256Hex, vote: id.optional() }).strict(),
  'charter.signed': z.object({ organisation: orgSlug, version: z.string().max(40) }).strict(),
  'dataset.published': z
    .object({
      dataset: datasetSlug,
      publisher: orgSlug,
      version: z.number().int().min(1),
      accessLevel: z.enum(['open', 'members', 'restricted', 'aggregate_only']),
      licence: z.string().max(40),
      /** SHA-256 of the file as uploaded. */
      sha256: sha256Hex,
    })
    .strict(),
  'dataset.versioned': z
    .object({
      dataset: datasetSlug,
      publisher: orgSlug,
      version: z.number().int().min(2),
      sha256: sha256Hex,
      schemaChanges: z.number().int().min(0),
    })
    .strict(),
  'dataset.deprecated': z.object({ dataset: datasetSlug, publisher: orgSlug }).strict(),
  'dataset.withdrawn': z.object({ dataset: datasetSlug, publisher: orgSlug }).strict(),
  'offer.changed': z
    .object({
      dataset: datasetSlug,
      provider: orgSlug,
      offer: id,
      change: z.enum(['created', 'updated', 'retired']),
      version: z.number().int().min(1),
      agreement: z.enum(['automatic', 'provider_approval', 'ethics_review']),
      /** SHA-256 of the offer's canonical ODRL policy (RFC 8785): the terms anyone can re-check. */
      policySha256: sha256Hex,
      plan: z.string().max(60).nullable(),
    })
    .strict(),
  'request.decided': z
    .object({
      request: id,
      dataset: datasetSlug,
      provider: orgSlug,
      consumer: orgSlug,
      decision: z.enum(['approved', 'refused']),
      purpose: z.string().max(200),
    })
    .strict(),
  'request.created': z
    .object({ request: id, dataset: datasetSlug, provider: orgSlug, consumer: orgSlug, offer: id, purpose: z.string().max(200) })
    .strict(),
  'request.withdrawn': z.object({ request: id, dataset: datasetSlug, provider: orgSlug, consumer: orgSlug }).strict(),
  /** `vote`: the ethics commission's vote, when a reviewer escalated the review to it. */
  'ethics.decided': z
    .object({ request: id, dataset: datasetSlug, decision: z.enum(['approved', 'refused', 'conditions']), vote: id.optional() })
    .strict(),
  /** One party's acceptance of an agreement version, by an authorised person (named in the details). */
  'contract.accepted': z
    .object({ contract: id, version: z.number().int().min(1), party: orgSlug, role: z.enum(['provider', 'consumer']) })
    .strict(),
  'contract.signed': z.object({ ...usage }).strict(),
  'contract.amended': z.object({ ...usage }).strict(),
  'contract.suspended': z.object({ ...usage }).strict(),
  'contract.resumed': z.object({ ...usage }).strict(),
  'contract.amendment': z.object({ contract: id, amendment: id, by: orgSlug, state: z.enum(['proposed', 'rejected']) }).strict(),
  'contract.terminated': z.object({ ...usage }).strict(),
  'contract.expired': z.object({ ...usage }).strict(),
  'query.started': z.object({ ...usage, query: id }).strict(),
  /** A query the contract's rules refused (the rule in the details): nothing was computed or delivered. */
  'query.refused': z.object({ ...usage, query: id }).strict(),
  'query.completed': z.object({ ...usage, query: id, units: z.number().int().min(0), unit: z.enum(['rows', 'bytes', 'queries']) }).strict(),
  download: z.object({ ...usage, units: z.number().int().min(0), unit: z.enum(['rows', 'bytes', 'queries']) }).strict(),
  /**
   * A closed month's statement of record: its gross total and the association's fee, the checkpoint
   * it was computed at, how many entries it cites, and the SHA-256 of its canonical JSON (without
   * the checkpoint) to compare a statement recomputed later with.
   */
  'statement.issued': z
    .object({
      organisation: orgSlug,
      role: z.enum(['consumer', 'provider']),
      period: z.string().regex(/^\d{4}-\d{2}$/),
      amountCents: z.number().int(),
      feeCents: z.number().int(),
      checkpoint: z.number().int().min(0),
      entries: z.number().int().min(0),
      sha256: sha256Hex,
    })
    .strict(),
  /**
   * An invoice or credit note the node issued: `organisation` is the seller (a provider, invoiced
   * under the association's billing mandate, or the association itself), `invoice` its number in
   * the seller's unbroken sequence, `amountCents` the gross (negative for a credit note), and
   * `xmlSha256` the digest of the CII XML anyone holding it can compare.
   */
  'invoice.issued': z
    .object({
      organisation: orgSlug,
      buyer: orgSlug,
      invoice: id,
      kind: z.enum(['invoice', 'credit_note']),
      purpose: z.enum(['usage', 'fee']),
      underMandate: z.boolean(),
      period: z.string().regex(/^\d{4}-\d{2}$/),
      amountCents: z.number().int(),
      xmlSha256: sha256Hex,
      /** A credit note: the number of the invoice it cancels. */
      corrects: id.nullable(),
    })
    .strict(),
  /** A new version of the operator's billing settings (fee, credits, terms): SHA-256 of their canonical JSON. */
  'billing.settings': z
    .object({ version: z.number().int().min(1), sha256: sha256Hex, feePercent: z.string().max(20), vote: id.optional() })
    .strict(),
  /** A project recorded revenue or funding to split between its contributors (fair return). */
  'project.revenue': z
    .object({
      project: id,
      revenue: id,
      amountCents: z.number().int().min(1),
      method: z.enum(['key', 'measured']),
      measure: z.enum(['rows', 'cells', 'queries']).nullable(),
    })
    .strict(),
  /**
   * A commission's vote was decided: counts and whether the quorum was met, the action it gated
   * (if any). Who voted what is never recorded, not even in the details.
   */
  'vote.decided': z
    .object({
      vote: id,
      subject: z.string().max(300),
      outcome: z.enum(['adopted', 'rejected', 'no_quorum']),
      commission: orgSlug.optional(),
      majority: z.enum(['simple', 'two_thirds', 'unanimity']).optional(),
      quorumPercent: z.number().int().min(0).max(100).optional(),
      pour: z.number().int().min(0).optional(),
      contre: z.number().int().min(0).optional(),
      abstention: z.number().int().min(0).optional(),
      eligible: z.number().int().min(0).optional(),
      quorumMet: z.boolean().optional(),
      gate: z.enum(['charter_version', 'fee_change', 'ethics_review']).nullable().optional(),
    })
    .strict(),
  /** A vote was opened in a commission (its rules; the gated action's kind, if any). */
  'vote.opened': z
    .object({
      vote: id,
      subject: z.string().max(300),
      commission: orgSlug,
      majority: z.enum(['simple', 'two_thirds', 'unanimity']),
      quorumPercent: z.number().int().min(0).max(100),
      closesAt: z.string().max(40),
      gate: z.enum(['charter_version', 'fee_change', 'ethics_review']).nullable(),
    })
    .strict(),
  /** The details of entry `entry` were erased (its leaf is unchanged and still verifies). */
  'details.erased': z.object({ entry: z.number().int().min(0), reason: z.enum(['rgpd', 'legal', 'error']) }).strict(),
} as const;

export type LedgerEntryType = keyof typeof LEDGER_PUBLIC;
export const LEDGER_ENTRY_TYPES = Object.keys(LEDGER_PUBLIC) as LedgerEntryType[];
export type LedgerPublic<T extends LedgerEntryType> = z.infer<(typeof LEDGER_PUBLIC)[T]>;

/** Private details: free-form but JSON, validated by the recording module. Often `{ by: userId }`. */
export const ledgerDetailsSchema = z.record(z.string(), z.unknown());
export type LedgerDetails = z.infer<typeof ledgerDetailsSchema>;

/** A fact to record, as modules hand it to the ledger. */
export type LedgerFact = {
  [T in LedgerEntryType]: {
    type: T;
    public: LedgerPublic<T>;
    details?: LedgerDetails;
    /** Ids of the organisations entitled to the details besides the operator (provider, consumer…). */
    parties?: string[];
  };
}[LedgerEntryType];

// ---------------------------------------------------------------------------------------------
// API shapes

/** Base64 (standard, padded) of raw bytes, as C2SP formats and Go print them. */
const b64 = z.string();

export const checkpointSchema = z.object({
  origin: z.string(),
  size: z.number().int(),
  /** Base64 root hash. */
  root: b64,
  /** The signed note, as served at /ledger/checkpoint (with witnesses' cosignatures). */
  note: z.string(),
  /** Note verifier key of the node: `<name>+<hex key id>+<base64 key>`. */
  verifierKey: z.string(),
  /** Witnesses that cosigned this checkpoint, with the verifier key the node trusts them by (to check their lines in the note). */
  cosignatures: z.array(z.object({ witness: z.string(), time: z.number().int(), verifierKey: z.string().nullable() })),
  createdAt: z.string(),
});
export type CheckpointView = z.infer<typeof checkpointSchema>;

export const ledgerEntrySchema = z.object({
  index: z.number().int(),
  type: z.enum(LEDGER_ENTRY_TYPES as [LedgerEntryType, ...LedgerEntryType[]]),
  time: z.string(),
  public: z.record(z.string(), z.unknown()),
  commitment: z.string(),
  /** Base64 of the leaf bytes (JCS of type, time, public, commitment). */
  leaf: b64,
  /** Base64 of SHA-256(0x00 ‖ leaf). */
  leafHash: b64,
  /** Present when the caller is entitled and the details were not erased. */
  details: z.record(z.string(), z.unknown()).nullable(),
  /** Base64 salt, with the details (so the caller can check the commitment). */
  salt: b64.nullable(),
  erased: z.boolean(),
});
export type LedgerEntryView = z.infer<typeof ledgerEntrySchema>;

export const ledgerEntryList = z.object({ items: z.array(ledgerEntrySchema), total: z.number().int() });

export const ledgerEntryQuery = z
  .object({
    type: z.enum(LEDGER_ENTRY_TYPES as [LedgerEntryType, ...LedgerEntryType[]]).optional(),
    dataset: z.string().max(100).optional(),
    organisation: z.string().max(100).optional(),
    /** Newest first; `before` pages back from an index. */
    before: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const inclusionProofSchema = z.object({
  index: z.number().int(),
  treeSize: z.number().int(),
  leafHash: b64,
  /** Base64 hashes, from the leaf up. */
  proof: z.array(b64),
  /** Base64 root of the tree of `treeSize`. */
  root: b64,
});
export type InclusionProofView = z.infer<typeof inclusionProofSchema>;

export const consistencyProofSchema = z.object({
  size1: z.number().int(),
  size2: z.number().int(),
  root1: b64,
  root2: b64,
  proof: z.array(b64),
});
export type ConsistencyProofView = z.infer<typeof consistencyProofSchema>;

export const proofQuery = z.object({ treeSize: z.coerce.number().int().min(1).optional() }).strict();
export const consistencyQuery = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1).optional() }).strict();

/** A witness hands its cosignature line (C2SP tlog-cosignature) for a checkpoint it verified. */
export const cosignatureInput = z
  .object({
    /** The witness's verifier key (`<name>+<hex id>+<base64 0x04‖key>`), registered by the operator. */
    witnessKey: z.string().min(10).max(300),
    /** The checkpoint body it signed (origin, size, root lines). */
    checkpoint: z.string().min(10).max(2000),
    /** The signature line, starting with "— ". */
    signature: z.string().min(10).max(500),
  })
  .strict();

export type CosignatureInput = z.infer<typeof cosignatureInput>;

export const eraseInput = z.object({ reason: z.enum(['rgpd', 'legal', 'error']) }).strict();

export const transparencyReportSchema = z.object({
  /** Every figure is computed at this checkpoint. */
  checkpoint: z.object({ origin: z.string(), size: z.number().int(), root: b64 }),
  generatedAt: z.string(),
  entriesByType: z.array(z.object({ type: z.string(), count: z.number().int() })),
  accessesByDataset: z.array(z.object({ dataset: z.string(), count: z.number().int() })),
  accessesByPurpose: z.array(z.object({ purpose: z.string(), count: z.number().int() })),
  accessesByMonth: z.array(z.object({ month: z.string(), count: z.number().int() })),
  contractsByState: z.array(z.object({ state: z.string(), count: z.number().int() })),
  ethicsDecisions: z.array(z.object({ decision: z.string(), count: z.number().int() })),
  /** Organisations that signed each charter version. */
  charterSignatures: z.array(z.object({ version: z.string(), count: z.number().int() })),
  /** Offers open at the checkpoint, by agreement mode (automatic, provider approval, ethics review). */
  offersByAgreement: z.array(z.object({ agreement: z.string(), count: z.number().int() })),
  datasetsByMonth: z.array(z.object({ month: z.string(), count: z.number().int() })),
  /** Commissions' decided votes, by commission (slug) and outcome. */
  decisionsByCommission: z.array(z.object({ commission: z.string(), outcome: z.string(), count: z.number().int() })),
});
export type TransparencyReport = z.infer<typeof transparencyReportSchema>;

import { z } from 'zod';
import { creditRulesSchema } from './credits';
import { usageSchema } from './estimate';
import { CONTRIBUTION_MEASURES } from './fair-share';
import { feeScheduleSchema } from './fee';
import { ORGANISATION_CATEGORIES } from '../members';
import { planSchema } from './plans';

/**
 * The billing API's requests and responses (node, portal and CLI): operator settings, estimates,
 * statements, invoices and a project's fair return. Amounts are integer cents everywhere.
 */

const cents = z.number().int();
const orgRef = z.object({ slug: z.string(), name: z.string() });
export const periodSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'période attendue au format AAAA-MM (par exemple 2026-11)');

// --- shapes shared by estimates, statements and invoices ----------------------------------------

export const vatBreakdownRowSchema = z.object({
  category: z.string(),
  percent: z.string(),
  basisPoints: z.number().int(),
  vatRate: z.string(),
  label: z.string(),
  base: cents,
  vat: cents,
  exemptionReason: z.string().nullable(),
  exemptionCode: z.string().nullable(),
});

export const totalsSchema = z.object({ net: cents, vat: cents, gross: cents, breakdown: z.array(vatBreakdownRowSchema) });

export const pricedLineSchema = z.object({
  kind: z.enum(['queries', 'units', 'subscription', 'extra_queries']),
  label: z.string(),
  quantity: z.number(),
  unitCode: z.enum(['C62', 'MON']),
  unitLabel: z.string(),
  unitPrice: cents,
  baseQuantity: z.number().int(),
  grossAmount: cents,
  discount: z.object({ percent: z.string(), amount: cents, reason: z.string() }).nullable(),
  amount: cents,
  vatRate: z.string(),
  vatCategory: z.string(),
  vatPercent: z.string(),
});

const partyView = z.object({ category: z.enum(ORGANISATION_CATEGORIES), member: z.boolean(), publicInterest: z.boolean() });

// --- operator settings ---------------------------------------------------------------------------

/** What the operator sets: the association's fee, the credits' rules, payment terms, the mandate. */
export const billingSettingsInput = z
  .object({
    fee: feeScheduleSchema,
    /** Contribution credits (give to get); null: not in use. */
    credits: creditRulesSchema.nullable().default(null),
    /** Days between an invoice's date and its due date. */
    paymentTermsDays: z
      .number({ error: 'délai de paiement : un nombre de jours' })
      .int('délai de paiement : un nombre entier de jours')
      .min(0, 'délai de paiement : au moins 0 jour')
      .max(60, 'délai de paiement : au plus 60 jours (article L441-10 du code de commerce)')
      .default(30),
    /** Reference of the billing mandate the providers gave the association (printed on their invoices). */
    mandateReference: z.string().trim().min(1, 'référence du mandat de facturation attendue').max(100).default('Mandat de facturation'),
  })
  .strict();
export type BillingSettingsInput = z.input<typeof billingSettingsInput>;

export const billingSettingsSchema = z.object({
  version: z.number().int(),
  fee: feeScheduleSchema,
  credits: creditRulesSchema.nullable(),
  paymentTermsDays: z.number().int(),
  mandateReference: z.string(),
  /** The association that issues invoices (its own, and its members' under mandate); null if none is set. */
  association: orgRef.nullable(),
  /** French sentences: the fee, the dues, the credits. */
  summary: z.array(z.string()),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  /** The ledger entry that recorded this version. */
  ledgerIndex: z.number().int().nullable(),
});
export type BillingSettingsView = z.infer<typeof billingSettingsSchema>;

// --- estimates -----------------------------------------------------------------------------------

/**
 * What a use would cost: under a contract (before a query), or under an offer for an organisation
 * (before a request is signed). Exactly one of `contract` and `offer`.
 */
export const estimateInput = z
  .object({
    contract: z.uuid('identifiant de contrat invalide').optional(),
    offer: z.uuid("identifiant d'offre invalide").optional(),
    /** The consumer organisation (slug), for an offer: its category and membership set the price. */
    organisation: z.string().min(1).max(100).optional(),
    usage: usageSchema.default({ queries: 1, units: 0, months: 0 }),
  })
  .strict()
  .refine((i) => (i.contract === undefined) !== (i.offer === undefined), {
    message: 'indiquez soit un contrat, soit une offre',
    path: ['contract'],
  });
export type EstimateInput = z.input<typeof estimateInput>;

export const estimateSchema = z.object({
  plan: planSchema,
  /** « 0,50 € HT par requête ». */
  planSummary: z.string(),
  party: partyView,
  tariff: z.object({ price: cents, tariff: z.enum(['base', 'category', 'public_interest']), reason: z.string() }).nullable(),
  usage: z.object({ queries: z.number().int(), units: z.number().int(), months: z.number().int() }),
  lines: z.array(pricedLineSchema),
  totals: totalsSchema,
  notes: z.array(z.string()),
  /** For a contract under a subscription: queries already run this month and included in it. */
  month: z.object({ period: z.string(), queries: z.number().int(), included: z.number().int().nullable() }).nullable(),
});
export type EstimateView = z.infer<typeof estimateSchema>;

// --- statements ----------------------------------------------------------------------------------

export const STATEMENT_ROLES = ['consumer', 'provider'] as const;

export const statementQuery = z
  .object({
    organisation: z.string().min(1).max(100),
    period: periodSchema,
    role: z.enum(STATEMENT_ROLES, { error: 'rôle attendu : consumer (consommateur) ou provider (fournisseur)' }).default('consumer'),
  })
  .strict();

export const statementLineSchema = z.object({
  contract: z.string(),
  dataset: z.string(),
  provider: z.string(),
  consumer: z.string(),
  offer: z.string().nullable(),
  party: partyView,
  plan: planSchema,
  queries: z.number().int(),
  unbilledQueries: z.number().int(),
  downloads: z.number().int(),
  units: z.number().int(),
  entries: z.array(z.number().int()),
  priced: z.array(pricedLineSchema),
  totals: totalsSchema,
});

export const statementSchema = z.object({
  organisation: z.string(),
  role: z.enum(STATEMENT_ROLES),
  period: periodSchema,
  checkpoint: z.object({ size: z.number().int(), root: z.string() }),
  /** The operator settings' version whose fee applied. */
  settingsVersion: z.number().int(),
  lines: z.array(statementLineSchema),
  totals: totalsSchema,
  fees: z.array(z.object({ provider: z.string(), base: cents, rate: z.string(), fee: cents, explanation: z.string() })),
  feeTotal: cents,
  /** Contribution credits each provider earned by these uses (empty when the operator does not use credits). */
  credits: z
    .array(
      z.object({
        provider: z.string(),
        queries: z.number().int(),
        units: z.number().int(),
        credits: z.number().int(),
        explanation: z.string(),
      }),
    )
    .default([]),
  notes: z.array(z.string()),
});
export type StatementView = z.infer<typeof statementSchema>;

export const recheckSchema = z.object({ matches: z.boolean(), differences: z.array(z.string()) });

/** Month by month, for the charts: what the organisation earned (provider) or spent (consumer). */
export const billingSummaryQuery = z
  .object({
    organisation: z.string().min(1).max(100).optional(),
    months: z.coerce.number().int().min(1).max(36).default(12),
  })
  .strict();

export const billingSummarySchema = z.object({
  /** null: the whole node (the operator's view). */
  organisation: z.string().nullable(),
  months: z.array(
    z.object({
      period: z.string(),
      /** Net earned as provider (before the fee). */
      earned: cents,
      /** Net spent as consumer. */
      spent: cents,
      /** The association's fee on what was earned (whole node: all fee income). */
      fee: cents,
      queries: z.number().int(),
    }),
  ),
  checkpoint: z.object({ size: z.number().int(), root: z.string() }),
});
export type BillingSummaryView = z.infer<typeof billingSummarySchema>;

// --- invoices ------------------------------------------------------------------------------------

/** `usage`: a provider's invoice to a consumer (issued under mandate); `fee`: the association's fee to a provider. */
export const INVOICE_PURPOSES = ['usage', 'fee'] as const;
export type InvoicePurpose = (typeof INVOICE_PURPOSES)[number];

export const invoiceIssueInput = z
  .object({
    purpose: z.enum(INVOICE_PURPOSES, { error: 'objet attendu : usage (usage des données) ou fee (commission)' }).default('usage'),
    /** usage: the provider (seller); fee: the provider the fee is invoiced to. */
    provider: z.string().min(1).max(100),
    /** usage only: the consumer invoiced. */
    consumer: z.string().min(1).max(100).optional(),
    period: periodSchema,
    /** A public buyer's engagement (purchase order) number, for Chorus Pro (BT-13). */
    engagementNumber: z.string().trim().min(1).max(50).optional(),
  })
  .strict()
  .refine((i) => i.purpose === 'fee' || i.consumer !== undefined, { message: 'consommateur à facturer attendu', path: ['consumer'] });
export type InvoiceIssueInput = z.input<typeof invoiceIssueInput>;

export const creditNoteInput = z
  .object({ reason: z.string().trim().min(3, 'motif de l’avoir attendu (3 caractères au moins)').max(500) })
  .strict();

export const invoiceSummarySchema = z.object({
  id: z.uuid(),
  /** « FAC-AIRBUS-2026-000001 ». */
  number: z.string(),
  kind: z.enum(['invoice', 'credit_note']),
  purpose: z.enum(INVOICE_PURPOSES),
  seller: orgRef,
  buyer: orgRef,
  /** Issued by the association in the seller's name (billing mandate). */
  underMandate: z.boolean(),
  period: z.string(),
  issueDate: z.string(),
  dueDate: z.string(),
  net: cents,
  vat: cents,
  gross: cents,
  /** A credit note: the invoice it cancels. */
  corrects: z.object({ id: z.uuid(), number: z.string() }).nullable(),
  /** An invoice: the credit note that cancelled it. */
  creditedBy: z.object({ id: z.uuid(), number: z.string() }).nullable(),
  ledgerIndex: z.number().int().nullable(),
});
export type InvoiceSummary = z.infer<typeof invoiceSummarySchema>;

export const invoiceListQuery = z
  .object({
    organisation: z.string().min(1).max(100).optional(),
    period: periodSchema.optional(),
  })
  .strict();
export const invoiceList = z.object({ items: z.array(invoiceSummarySchema), total: z.number().int() });

export const invoiceSchema = invoiceSummarySchema.extend({
  lines: z.array(
    z.object({
      name: z.string(),
      description: z.string().nullable(),
      quantity: z.string(),
      unitPrice: z.string(),
      net: cents,
      vatCategory: z.string(),
      vatPercent: z.string(),
    }),
  ),
  vatBreakdown: z.array(
    z.object({ category: z.string(), percent: z.string(), base: cents, vat: cents, exemptionReason: z.string().nullable() }),
  ),
  notes: z.array(z.string()),
  /** The ledger entries the invoice's lines were computed from. */
  entries: z.array(z.number().int()),
  /** The statement's checkpoint. */
  checkpoint: z.object({ size: z.number().int(), root: z.string() }),
  /** SHA-256 of the CII XML, as recorded in the ledger. */
  xmlSha256: z.string(),
  creditReason: z.string().nullable(),
});
export type InvoiceView = z.infer<typeof invoiceSchema>;

// --- fair return ---------------------------------------------------------------------------------

export const revenueInput = z
  .object({
    label: z.string().trim().min(3, 'intitulé attendu (3 caractères au moins)').max(200),
    /** Cents. */
    amount: z.number({ error: 'montant en centimes attendu' }).int('montant en centimes entiers').min(1, 'montant : au moins 1 centime'),
    receivedOn: z.iso.date('date de réception attendue (AAAA-MM-JJ)'),
    method: z.enum(['key', 'measured'], { error: 'méthode attendue : key (clé convenue) ou measured (contribution mesurée)' }),
    measure: z.enum(CONTRIBUTION_MEASURES).optional(),
    /** method key: percent by organisation slug, e.g. { "cnes": "60", "meteo-france": "40" }. */
    key: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type RevenueInput = z.input<typeof revenueInput>;

const fairShareView = z.object({
  method: z.enum(['key', 'measured']),
  total: cents,
  shares: z.array(z.object({ id: z.string(), name: z.string(), weight: z.number(), exact: z.string(), amount: cents })),
  steps: z.array(z.object({ text: z.string(), values: z.record(z.string(), z.union([z.string(), z.number()])) })),
});

export const fairReturnSchema = z.object({
  project: z.object({ id: z.uuid(), title: z.string() }),
  /** Each contributor's measured use in the project's contracts, from the log. */
  contributions: z.array(
    z.object({
      provider: orgRef,
      datasets: z.array(z.string()),
      queries: z.number().int(),
      rows: z.number().int(),
      entries: z.number().int(),
    }),
  ),
  revenues: z.array(
    z.object({
      id: z.uuid(),
      label: z.string(),
      amount: cents,
      receivedOn: z.string(),
      method: z.enum(['key', 'measured']),
      measure: z.enum(CONTRIBUTION_MEASURES).nullable(),
      split: fairShareView.nullable(),
      /** Why the split cannot be computed yet (no measured use…), in French. */
      problem: z.string().nullable(),
    }),
  ),
  checkpoint: z.object({ size: z.number().int(), root: z.string() }),
});
export type FairReturnView = z.infer<typeof fairReturnSchema>;

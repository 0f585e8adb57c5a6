import { vatRateOf, type InvoicePurpose, type PricedLine } from '@confiance/contract';
import { sql } from 'kysely';
import type { Context, Executor } from '../../platform/context';
import { sha256Hex } from '../../platform/crypto';
import { AppError } from '../../platform/http/errors';
import { recordFact } from '../ledger/index';
import { findOrganisation } from '../members/index';
import {
  buildInvoice,
  InvoiceModelError,
  toCii,
  type Buyer,
  type Invoice,
  type InvoiceInput,
  type InvoiceLineInput,
  type Issuer,
  type Seller,
  type VatTreatment,
} from './einvoice/index';
import { computeStatement, periodBounds, type Statement } from './statements';
import { currentSettings } from './settings';

/**
 * Invoices from statements. A provider's invoice to a consumer is issued by the association in
 * the provider's name and numbering sequence under the billing mandate; the association's fee is
 * invoiced to the provider in the association's own name and sequence. Each invoice is computed
 * from the statement of its month (so it cites the statement's ledger entries and checkpoint),
 * numbered without gaps, stored with its CII XML and recorded in the ledger (`invoice.issued`) in
 * one transaction. Never edited nor deleted: a credit note (its own number) cancels one.
 */

type Organisation = NonNullable<Awaited<ReturnType<typeof findOrganisation>>>;

export interface InvoiceRow {
  id: string;
  seller_id: string;
  buyer_id: string;
  seq: number;
  number: string;
  kind: 'invoice' | 'credit_note';
  purpose: InvoicePurpose;
  under_mandate: boolean;
  period: string;
  issue_date: Date | string;
  due_date: Date | string;
  net: string | number;
  vat: string | number;
  gross: string | number;
  corrects_id: string | null;
  credit_reason: string | null;
  credited: boolean;
  document: unknown;
  entries: number[];
  checkpoint_size: string | number;
  checkpoint_root: string;
  settings_version: number;
  xml: string;
  xml_sha256: string;
  issued_by: string | null;
  created_at: Date;
  ledger_index: string | number | null;
}

const refused = (message: string, reason: string, details: Record<string, unknown> = {}) =>
  new AppError('invoice_refused', message, { reason, ...details });

/** The organisation the node's operator runs: it issues every invoice (its own, and under mandate). */
export async function associationOf(ctx: Context): Promise<Organisation | null> {
  const slug = ctx.config.catalogPublisher;
  return slug ? ((await findOrganisation(ctx.db, slug)) ?? null) : null;
}

async function organisationNamed(db: Executor, slug: string, role: string): Promise<Organisation> {
  const organisation = await findOrganisation(db, slug);
  if (!organisation) throw new AppError('not_found', `Organisation ${role} introuvable : « ${slug} ».`);
  return organisation;
}

/** What an invoice must say of a party (CGI art. 242 nonies A); what is missing is named. */
function billingIdentity(o: Organisation, role: string, seller = false) {
  const missing = [
    ...(o.siren ? [] : ['SIREN']),
    // EN 16931 BR-S-02 / BR-E-02: the seller's VAT identifier on every taxed or exempt line.
    ...(seller && !o.vat_number ? ['numéro de TVA intracommunautaire'] : []),
    ...(o.address ? [] : ['adresse']),
    ...(o.postcode ? [] : ['code postal']),
    ...(o.city ? [] : ['ville']),
  ];
  if (missing.length > 0)
    throw refused(
      `Fiche de ${o.short_name} (${role}) incomplète pour facturer : ${missing.join(', ')} manquant(s).`,
      'identity_incomplete',
      {
        organisation: o.slug,
        missing,
      },
    );
  return {
    name: o.legal_name,
    ...(o.short_name !== o.legal_name ? { tradingName: o.short_name } : {}),
    siren: o.siren!,
    ...(o.siret ? { siret: o.siret } : {}),
    ...(o.vat_number ? { vatId: o.vat_number } : {}),
    address: { line1: o.address!, postcode: o.postcode!, city: o.city!, countryCode: 'FR' },
  };
}

function buyerOf(o: Organisation, engagementNumber: string | undefined): Buyer {
  const identity = billingIdentity(o, 'acheteur');
  if (o.category !== 'public_body') return identity;
  return {
    ...identity,
    publicBody: {
      ...(o.chorus_service_code ? { serviceCode: o.chorus_service_code } : {}),
      ...(engagementNumber ? { engagementNumber } : {}),
    },
  };
}

function vatOf(code: string): VatTreatment {
  const rate = vatRateOf(code);
  if (rate.category === 'S') return { category: 'S', rateBp: Math.round(Number(rate.percent) * 100) };
  if (rate.category === 'E')
    return {
      category: 'E',
      exemptionReason: rate.exemptionReason ?? 'Exonération de TVA',
      ...(rate.exemptionCode ? { exemptionCode: rate.exemptionCode } : {}),
    };
  throw refused(
    `Taux de TVA « ${rate.label} » (catégorie ${rate.category}) : les factures du nœud ne prennent en charge que les catégories S et E.`,
    'vat_category',
  );
}

/** 1 cent = 10 000 micro-euros (the model's unit prices). */
const micros = (cents: number) => cents * 10_000;

/** The invoice lines of one statement line's priced lines; a member discount is its own negative line. */
function usageLines(
  dataset: string,
  contract: string,
  priced: readonly PricedLine[],
  period: { start: string; end: string },
): InvoiceLineInput[] {
  return priced.flatMap((p) => {
    const line: InvoiceLineInput = {
      name: `${p.label} — ${dataset}`,
      description: `Contrat ${contract}`,
      quantity: String(p.quantity),
      unitCode: p.unitCode,
      unitPriceMicros: micros(p.unitPrice),
      ...(p.baseQuantity !== 1 ? { priceBaseQuantity: String(p.baseQuantity) } : {}),
      vat: vatOf(p.vatRate),
      period,
    };
    if (!p.discount || p.discount.amount === 0) return [line];
    // EN 16931 line allowances are not in the model: the discount is a line of quantity −1
    // (BR-27 keeps prices positive), so each line's net is exactly the statement's.
    const discount: InvoiceLineInput = {
      name: `${p.discount.reason} — ${dataset}`,
      description: `Remise de ${p.discount.percent} % sur « ${p.label} »`,
      quantity: '-1',
      unitCode: 'C62',
      unitPriceMicros: micros(p.discount.amount),
      vat: vatOf(p.vatRate),
      period,
    };
    return [line, discount];
  });
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (date: string, days: number) => isoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));

/** « FAC-AIRBUS-2026-000012 »: at most 35 characters of A-Z 0-9 - (BR-FR-01/02). */
function invoiceNumber(kind: 'invoice' | 'credit_note', seller: string, year: string, seq: number): string {
  const code = seller
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 14)
    .replace(/-+$/, '');
  return `${kind === 'invoice' ? 'FAC' : 'AVO'}-${code}-${year}-${String(seq).padStart(6, '0')}`;
}

export interface IssueInput {
  purpose: InvoicePurpose;
  provider: string;
  consumer?: string | undefined;
  period: string;
  engagementNumber?: string | undefined;
}

interface Draft {
  purpose: InvoicePurpose;
  seller: Organisation;
  buyer: Organisation;
  underMandate: boolean;
  period: string;
  statement: Statement;
  entries: number[];
  input: Omit<InvoiceInput, 'number' | 'issueDate' | 'dueDate' | 'typeCode'>;
}

/** Computes what an invoice would hold; refuses (422) when there is nothing to invoice. */
async function draftInvoice(ctx: Context, input: IssueInput): Promise<Draft> {
  const { from, to } = periodBounds(input.period);
  const period = { start: from.slice(0, 10), end: addDays(to.slice(0, 10), -1) };
  const [association, settings, provider] = await Promise.all([
    associationOf(ctx),
    currentSettings(ctx.db),
    organisationNamed(ctx.db, input.provider, 'fournisseur'),
  ]);
  if (!association)
    throw refused("Aucune association n'est configurée pour émettre les factures (CONFIANCE_CATALOG_PUBLISHER).", 'no_association');
  const statement = await computeStatement(ctx, { organisation: provider.slug, period: input.period, role: 'provider' });
  const associationIdentity = billingIdentity(association, 'association', input.purpose === 'fee');
  const paymentTerms = `Paiement à ${settings.settings.paymentTermsDays} jours à réception, par virement.`;

  if (input.purpose === 'fee') {
    const fee = statement.fees.find((f) => f.provider === provider.slug);
    if (!fee || fee.fee === 0)
      throw refused(`Aucune commission à facturer à ${provider.short_name} pour ${input.period}.`, 'nothing_to_invoice');
    const seller: Seller = associationIdentity;
    return {
      purpose: 'fee',
      seller: association,
      buyer: provider,
      underMandate: false,
      period: input.period,
      statement,
      entries: statement.lines.flatMap((l) => l.entries),
      input: {
        seller,
        buyer: buyerOf(provider, input.engagementNumber),
        issuer: { kind: 'seller' },
        period,
        paymentTerms,
        lines: [
          {
            name: `Commission de l'association — ${input.period}`,
            description: fee.explanation,
            quantity: '1',
            unitCode: 'C62',
            unitPriceMicros: micros(fee.fee),
            vat: vatOf(settings.settings.fee.vatRate),
            period,
          },
        ],
        notes: [
          { subjectCode: 'AAI', content: `Relevé ${input.period} calculé au point de contrôle ${statement.checkpoint.size} du registre.` },
        ],
      },
    };
  }

  const consumer = await organisationNamed(ctx.db, input.consumer!, 'consommateur');
  const lines = statement.lines.filter((l) => l.consumer === consumer.slug);
  const net = lines.reduce((sum, l) => sum + l.totals.net, 0);
  if (lines.length === 0 || net === 0)
    throw refused(
      `Aucun usage facturable de ${consumer.short_name} chez ${provider.short_name} pour ${input.period}.`,
      'nothing_to_invoice',
    );
  const seller: Seller = billingIdentity(provider, 'fournisseur', true);
  const underMandate = provider.id !== association.id;
  const issuer: Issuer = underMandate
    ? {
        kind: 'mandatary',
        name: association.legal_name,
        siren: associationIdentity.siren,
        mandateReference: settings.settings.mandateReference,
      }
    : { kind: 'seller' };
  const entries = lines.flatMap((l) => l.entries);
  return {
    purpose: 'usage',
    seller: provider,
    buyer: consumer,
    underMandate,
    period: input.period,
    statement,
    entries,
    input: {
      seller,
      buyer: buyerOf(consumer, input.engagementNumber),
      issuer,
      ...(lines.length === 1 ? { contractReference: lines[0]!.contract } : {}),
      period,
      paymentTerms,
      lines: lines.flatMap((l) => usageLines(l.dataset, l.contract, l.priced, period)),
      notes: [
        {
          subjectCode: 'AAI',
          content:
            `Usages relevés au registre de confiance (point de contrôle ${statement.checkpoint.size}) : ${entries.length} entrée(s), n° ${entries.join(', ')}.`.slice(
              0,
              1000,
            ),
        },
      ],
    },
  };
}

function built(input: InvoiceInput): Invoice {
  try {
    return buildInvoice(input);
  } catch (error) {
    if (error instanceof InvoiceModelError) throw refused(error.message, 'invoice_model');
    throw error;
  }
}

/** Takes the seller's next number; the row lock serialises one seller's issues until the commit. */
async function nextNumber(trx: Executor, sellerId: string): Promise<number> {
  await trx
    .insertInto('invoice_sequences')
    .values({ seller_id: sellerId })
    .onConflict((oc) => oc.column('seller_id').doNothing())
    .execute();
  const row = await trx
    .updateTable('invoice_sequences')
    .set({ last_number: sql`last_number + 1` })
    .where('seller_id', '=', sellerId)
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

async function store(
  ctx: Context,
  actor: { userId: string },
  draft: Draft,
  make: (number: string, issueDate: string) => InvoiceInput,
  kind: 'invoice' | 'credit_note',
  corrects: { id: string; number: string } | null,
  creditReason: string | null,
): Promise<string> {
  const settings = await currentSettings(ctx.db);
  const issueDate = isoDate(new Date());
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const seq = await nextNumber(trx, draft.seller.id);
      const number = invoiceNumber(kind, draft.seller.slug, issueDate.slice(0, 4), seq);
      const invoice = built(make(number, issueDate));
      const xml = toCii(invoice);
      const xmlSha256 = sha256Hex(xml);
      const sign = kind === 'credit_note' ? -1 : 1;
      const row = await trx
        .insertInto('invoices')
        .values({
          seller_id: draft.seller.id,
          buyer_id: draft.buyer.id,
          seq,
          number,
          kind,
          purpose: draft.purpose,
          under_mandate: draft.underMandate,
          period: draft.period,
          issue_date: invoice.issueDate,
          due_date: invoice.dueDate,
          net: invoice.totals.taxBasisTotalCents,
          vat: invoice.totals.taxTotalCents,
          gross: invoice.totals.grandTotalCents,
          corrects_id: corrects?.id ?? null,
          credit_reason: creditReason,
          document: JSON.stringify(invoice),
          entries: JSON.stringify(draft.entries),
          checkpoint_size: draft.statement.checkpoint.size,
          checkpoint_root: draft.statement.checkpoint.root,
          settings_version: draft.statement.settingsVersion ?? settings.version,
          xml,
          xml_sha256: xmlSha256,
          issued_by: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (corrects) await trx.updateTable('invoices').set({ credited: true }).where('id', '=', corrects.id).execute();
      await recordFact(trx, {
        type: 'invoice.issued',
        public: {
          organisation: draft.seller.slug,
          buyer: draft.buyer.slug,
          invoice: number,
          kind,
          purpose: draft.purpose,
          underMandate: draft.underMandate,
          period: draft.period,
          amountCents: sign * invoice.totals.grandTotalCents,
          xmlSha256,
          corrects: corrects?.number ?? null,
        },
        details: { by: actor.userId, ...(creditReason ? { reason: creditReason } : {}) },
        parties: [draft.seller.id, draft.buyer.id],
      });
      const entry = await trx
        .selectFrom('ledger_entries')
        .select(sql<string>`max(tree_index)`.as('i'))
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('invoices')
        .set({ ledger_index: Number(entry.i) })
        .where('id', '=', row.id)
        .execute();
      return row.id;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError(
        'conflict',
        kind === 'invoice'
          ? `Une facture de ${draft.seller.short_name} à ${draft.buyer.short_name} pour ${draft.period} existe déjà : émettez d'abord un avoir pour la remplacer.`
          : 'Cette facture a déjà un avoir.',
      );
    throw error;
  }
}

async function liveInvoice(db: Executor, draft: Pick<Draft, 'seller' | 'buyer' | 'period' | 'purpose'>) {
  return db
    .selectFrom('invoices')
    .select(['id', 'number'])
    .where('seller_id', '=', draft.seller.id)
    .where('buyer_id', '=', draft.buyer.id)
    .where('period', '=', draft.period)
    .where('purpose', '=', draft.purpose)
    .where('kind', '=', 'invoice')
    .where('credited', '=', false)
    .executeTakeFirst();
}

/** Issues the month's invoice: usage (provider → consumer, under mandate) or fee (association → provider). */
export async function issueInvoice(ctx: Context, actor: { userId: string }, input: IssueInput): Promise<string> {
  const draft = await draftInvoice(ctx, input);
  const existing = await liveInvoice(ctx.db, draft);
  if (existing)
    throw new AppError(
      'conflict',
      `La facture ${existing.number} couvre déjà ${draft.period} de ${draft.seller.short_name} à ${draft.buyer.short_name} : émettez d'abord un avoir pour la remplacer.`,
      { invoice: existing.id },
    );
  const settings = await currentSettings(ctx.db);
  return store(
    ctx,
    actor,
    draft,
    (number, issueDate) => ({
      ...draft.input,
      number,
      typeCode: '380',
      issueDate,
      dueDate: addDays(issueDate, settings.settings.paymentTermsDays),
    }),
    'invoice',
    null,
    null,
  );
}

/** Cancels an invoice with a credit note of the same lines; the invoice itself is never changed. */
export async function issueCreditNote(ctx: Context, actor: { userId: string }, invoiceId: string, reason: string): Promise<string> {
  const original = await findInvoice(ctx.db, invoiceId);
  if (!original) throw new AppError('not_found', 'Facture introuvable.');
  if (original.kind !== 'invoice') throw new AppError('conflict', 'Un avoir ne se corrige pas par un autre avoir.');
  if (original.credited) throw new AppError('conflict', `La facture ${original.number} a déjà été annulée par un avoir.`);
  const document = original.document as Invoice;
  const [seller, buyer] = await Promise.all([findOrganisation(ctx.db, original.seller_id), findOrganisation(ctx.db, original.buyer_id)]);
  const draft: Draft = {
    purpose: original.purpose,
    seller: seller!,
    buyer: buyer!,
    underMandate: original.under_mandate,
    period: original.period,
    statement: {
      checkpoint: { size: Number(original.checkpoint_size), root: original.checkpoint_root },
      settingsVersion: original.settings_version,
    } as Statement,
    entries: original.entries,
    input: {
      seller: document.seller,
      buyer: document.buyer,
      issuer: document.issuer,
      ...(document.contractReference ? { contractReference: document.contractReference } : {}),
      ...(document.period ? { period: document.period } : {}),
      paymentTerms: document.paymentTerms,
      lines: document.lines.map(({ netCents: _net, ...line }) => line),
      notes: [{ subjectCode: 'AAI', content: `Avoir annulant la facture ${original.number} : ${reason}` }],
    },
  };
  return store(
    ctx,
    actor,
    draft,
    (number, issueDate) => ({
      ...draft.input,
      number,
      typeCode: '381',
      issueDate,
      dueDate: issueDate,
      precedingInvoice: { number: original.number, issueDate: document.issueDate },
    }),
    'credit_note',
    { id: original.id, number: original.number },
    reason,
  );
}

export function findInvoice(db: Executor, id: string): Promise<InvoiceRow | undefined> {
  return db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst() as Promise<InvoiceRow | undefined>;
}

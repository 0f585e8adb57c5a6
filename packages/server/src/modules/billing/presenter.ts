import type { InvoiceSummary, InvoiceView } from '@confiance/contract';
import type { Executor } from '../../platform/context';
import type { Invoice } from './einvoice/index';
import type { InvoiceRow } from './invoices';

/** An invoice row with what its presentation needs: both parties and the other document of the pair. */
export type ListedInvoice = InvoiceRow & {
  seller_slug: string;
  seller_name: string;
  buyer_slug: string;
  buyer_name: string;
  corrects_number: string | null;
  credited_by_id: string | null;
  credited_by_number: string | null;
};

export async function listInvoices(
  db: Executor,
  filter: { id?: string; organisations?: readonly string[] | null; period?: string | null },
): Promise<ListedInvoice[]> {
  let query = db
    .selectFrom('invoices as i')
    .innerJoin('organisations as s', 's.id', 'i.seller_id')
    .innerJoin('organisations as b', 'b.id', 'i.buyer_id')
    .leftJoin('invoices as c', 'c.id', 'i.corrects_id')
    .leftJoin('invoices as n', 'n.corrects_id', 'i.id')
    .selectAll('i')
    .select([
      's.slug as seller_slug',
      's.short_name as seller_name',
      'b.slug as buyer_slug',
      'b.short_name as buyer_name',
      'c.number as corrects_number',
      'n.id as credited_by_id',
      'n.number as credited_by_number',
    ]);
  if (filter.id) query = query.where('i.id', '=', filter.id);
  if (filter.organisations) {
    const ids = filter.organisations;
    if (ids.length === 0) return [];
    query = query.where((eb) => eb.or([eb('i.seller_id', 'in', [...ids]), eb('i.buyer_id', 'in', [...ids])]));
  }
  if (filter.period) query = query.where('i.period', '=', filter.period);
  return (await query.orderBy('i.created_at', 'desc').orderBy('i.number', 'desc').execute()) as ListedInvoice[];
}

const day = (value: Date | string) => (typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10));
const nullableNumber = (value: string | number | null) => (value === null ? null : Number(value));

export function presentInvoiceSummary(row: ListedInvoice): InvoiceSummary {
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    purpose: row.purpose,
    seller: { slug: row.seller_slug, name: row.seller_name },
    buyer: { slug: row.buyer_slug, name: row.buyer_name },
    underMandate: row.under_mandate,
    period: row.period,
    issueDate: day(row.issue_date),
    dueDate: day(row.due_date),
    net: Number(row.net),
    vat: Number(row.vat),
    gross: Number(row.gross),
    corrects: row.corrects_id && row.corrects_number ? { id: row.corrects_id, number: row.corrects_number } : null,
    creditedBy: row.credited_by_id && row.credited_by_number ? { id: row.credited_by_id, number: row.credited_by_number } : null,
    ledgerIndex: nullableNumber(row.ledger_index),
  };
}

/** Decimal text of micro-euros (« 0.5 », « 12.345678 »). */
const microsText = (micros: number) => {
  const whole = Math.trunc(micros / 1_000_000);
  const fraction = String(Math.abs(micros % 1_000_000))
    .padStart(6, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
};

export function presentInvoice(row: ListedInvoice): InvoiceView {
  const document = row.document as Invoice;
  return {
    ...presentInvoiceSummary(row),
    lines: document.lines.map((l) => ({
      name: l.name,
      description: l.description ?? null,
      quantity: l.quantity,
      unitPrice: microsText(l.unitPriceMicros),
      net: l.netCents,
      vatCategory: l.vat.category,
      vatPercent: l.vat.category === 'S' ? String(l.vat.rateBp / 100) : '0',
    })),
    vatBreakdown: document.vatBreakdown.map((v) => ({
      category: v.category,
      percent: String(v.rateBp / 100),
      base: v.basisCents,
      vat: v.taxCents,
      exemptionReason: v.exemptionReason ?? null,
    })),
    notes: document.notes.map((n) => n.content),
    entries: row.entries,
    checkpoint: { size: Number(row.checkpoint_size), root: row.checkpoint_root },
    xmlSha256: row.xml_sha256,
    creditReason: row.credit_reason,
  };
}

const csvCell = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[";\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const euros = (cents: number) => (cents / 100).toFixed(2).replace('.', ',');

/**
 * The accounting export: one row per invoice or credit note, `;`-separated with decimal commas
 * (what French spreadsheets and accounting tools read); a credit note's amounts are negative.
 */
export function invoicesCsv(rows: readonly ListedInvoice[]): string {
  const header = [
    'numero',
    'type',
    'objet',
    'date',
    'echeance',
    'periode',
    'vendeur',
    'acheteur',
    'sous_mandat',
    'montant_ht',
    'tva',
    'montant_ttc',
    'facture_corrigee',
    'entree_registre',
  ];
  const lines = [...rows]
    .sort((a, b) => a.number.localeCompare(b.number))
    .map((row) => {
      const v = presentInvoiceSummary(row);
      const sign = v.kind === 'credit_note' ? -1 : 1;
      return [
        v.number,
        v.kind === 'invoice' ? 'facture' : 'avoir',
        v.purpose === 'usage' ? 'usage' : 'commission',
        v.issueDate,
        v.dueDate,
        v.period,
        v.seller.slug,
        v.buyer.slug,
        v.underMandate ? 'oui' : 'non',
        euros(sign * v.net),
        euros(sign * v.vat),
        euros(sign * v.gross),
        v.corrects?.number ?? null,
        v.ledgerIndex,
      ]
        .map(csvCell)
        .join(';');
    });
  return `\ufeff${[header.join(';'), ...lines].join('\r\n')}\r\n`;
}

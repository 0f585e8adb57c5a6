import { formatEuros, type InvoiceSummary } from '@confiance/contract';
import { connect } from '../../api';
import { plural, print, printJson, table } from '../../output';
import { frenchDate, getInvoice, printInvoice } from './billing';

const KIND_LABELS = { invoice: 'facture', credit_note: 'avoir' } as const;
const PURPOSE_LABELS = { usage: 'usage', fee: 'commission' } as const;

/** The invoices and credit notes of the caller's organisations (all of them for the operator), newest first. */
export async function billingInvoicesList(options: { organisation?: string; period?: string; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const list = await client.billing.invoices({
    ...(options.organisation !== undefined ? { organisation: options.organisation } : {}),
    ...(options.period !== undefined ? { period: options.period } : {}),
  });
  if (options.json) {
    printJson(list);
    return;
  }
  if (list.items.length === 0) {
    print('Aucune facture : « confiance billing invoices issue --provider P --consumer C --period AAAA-MM » en émet une.');
    return;
  }
  print(
    table(list.items, [
      { header: 'ID', value: (i) => i.id },
      { header: 'Numéro', value: (i) => i.number },
      { header: 'Type', value: (i) => `${KIND_LABELS[i.kind]} (${PURPOSE_LABELS[i.purpose]})` },
      { header: 'Vendeur', value: (i) => i.seller.slug },
      { header: 'Acheteur', value: (i) => i.buyer.slug },
      { header: 'Période', value: (i) => i.period },
      { header: 'Émise le', value: (i) => frenchDate(i.issueDate) },
      { header: 'HT', value: (i) => formatEuros(i.net), align: 'right' },
      { header: 'TTC', value: (i) => formatEuros(i.gross), align: 'right' },
      { header: 'État', value: state },
    ]),
  );
  print(`\n${plural(list.total, 'document')}.`);
}

function state(invoice: InvoiceSummary): string {
  if (invoice.creditedBy) return `annulée (${invoice.creditedBy.number})`;
  if (invoice.corrects) return `annule ${invoice.corrects.number}`;
  return 'en vigueur';
}

export async function billingInvoicesShow(id: string, options: { json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const invoice = await getInvoice(client, id);
  if (options.json) printJson(invoice);
  else printInvoice(invoice);
}

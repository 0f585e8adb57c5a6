import { connect } from '../../api';
import { print, printJson } from '../../output';
import { invoiceHint, printInvoice } from './billing';

/** Cancels an invoice by a credit note of the same amounts; the month can then be invoiced again. */
export async function billingInvoicesCreditNote(id: string, options: { reason: string; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  let creditNote;
  try {
    creditNote = await client.billing.creditNote(id, { reason: options.reason });
  } catch (error) {
    throw invoiceHint(error, 'credit');
  }
  if (options.json) {
    printJson(creditNote);
    return;
  }
  print(`Avoir ${creditNote.number} émis : il annule la facture ${creditNote.corrects?.number ?? id}.\n`);
  printInvoice(creditNote);
}

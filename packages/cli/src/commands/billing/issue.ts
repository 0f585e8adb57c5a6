import { ApiError, type Client } from '@confiance/contract';
import { connect } from '../../api';
import { UsageError } from '../../errors';
import { note, print, printJson } from '../../output';
import { invoiceHint, periodLabel, printInvoice } from './billing';

export interface BillingIssueOptions {
  provider: string;
  consumer?: string;
  period: string;
  fee?: boolean;
  engagement?: string;
  json?: boolean;
}

/**
 * Issues the month's invoice from its statement: a provider's invoice to a consumer (issued by the
 * association under the provider's mandate), or with --fee the association's fee invoice to a
 * provider. The node refuses a second live invoice for the same parties and month.
 */
export async function billingInvoicesIssue(options: BillingIssueOptions): Promise<void> {
  if (options.fee && options.consumer !== undefined)
    throw new UsageError('--fee facture la commission de l’association au fournisseur : pas de --consumer avec --fee.');
  if (!options.fee && options.consumer === undefined)
    throw new UsageError('Indiquez le preneur facturé (--consumer SLUG), ou --fee pour la commission de l’association.');
  if (options.fee && options.engagement !== undefined)
    throw new UsageError('--engagement (numéro d’engagement d’un acheteur public) ne s’applique qu’à une facture d’usage.');
  const { client } = await connect({ requireAuth: true });
  let invoice;
  try {
    invoice = await client.billing.issue(
      options.fee
        ? { purpose: 'fee', provider: options.provider, period: options.period }
        : {
            purpose: 'usage',
            provider: options.provider,
            consumer: options.consumer,
            period: options.period,
            ...(options.engagement !== undefined ? { engagementNumber: options.engagement } : {}),
          },
    );
  } catch (error) {
    throw await withLiveInvoice(client, options, invoiceHint(error, 'issue'));
  }
  if (options.json) {
    printJson(invoice);
    return;
  }
  print(`Facture ${invoice.number} émise pour ${periodLabel(invoice.period)}.\n`);
  printInvoice(invoice);
  note(`\nPDF et Factur-X : confiance billing invoices download ${invoice.id}`);
}

/** On a conflict, the exact command that cancels the invoice already issued for the month. */
async function withLiveInvoice(client: Client, options: BillingIssueOptions, error: unknown): Promise<unknown> {
  if (!(error instanceof ApiError) || error.code !== 'conflict') return error;
  const buyer = options.fee ? options.provider : options.consumer;
  const live = await client.billing.invoices({ organisation: options.provider, period: options.period }).then(
    (list) =>
      list.items.find(
        (i) => i.kind === 'invoice' && i.purpose === (options.fee ? 'fee' : 'usage') && i.buyer.slug === buyer && i.creditedBy === null,
      ),
    () => undefined,
  );
  if (!live) return error;
  const message = `${error.message.replace(/\s*$/, '')} Ici : confiance billing invoices credit-note ${live.id} --reason …`;
  return new ApiError(error.status, error.code, message, error.details, error.requestId);
}

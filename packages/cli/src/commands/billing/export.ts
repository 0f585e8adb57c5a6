import { connect } from '../../api';
import { formatBytes, note, print, printJson, printRaw } from '../../output';
import { fetchFile, writeDownload } from './billing';

export interface BillingExportOptions {
  organisation?: string;
  period?: string;
  output?: string;
  force?: boolean;
  json?: boolean;
}

/** The invoices and credit notes as CSV, one row each, for the accounts: on standard output, or in a file with --output. */
export async function billingExport(options: BillingExportOptions): Promise<void> {
  const api = await connect({ requireAuth: true });
  const address = api.client.billing.exportUrl({
    ...(options.organisation !== undefined ? { organisation: options.organisation } : {}),
    ...(options.period !== undefined ? { period: options.period } : {}),
  });
  const { data, suggested } = await fetchFile(api, address, 'text/csv');
  if (options.output === undefined) {
    if (options.json) printJson({ csv: data.toString('utf8') });
    else printRaw(data.toString('utf8'));
    return;
  }
  const file = await writeDownload(data, options.output, suggested ?? 'factures.csv', options.force);
  if (options.json) printJson({ file, bytes: data.length });
  else {
    print(`Enregistré : ${file} (${formatBytes(data.length)}).`);
    note('Une ligne par facture ou avoir : numéro, type, dates, vendeur, acheteur, HT, TVA, TTC, entrée du registre.');
  }
}

import { createHash } from 'node:crypto';
import { connect } from '../../api';
import { CliError } from '../../errors';
import { formatBytes, print, printJson } from '../../output';
import { fetchFile, getInvoice, invoiceHint, writeDownload } from './billing';

export interface BillingDownloadOptions {
  /** A file or folder, or `true` (the flag alone): the name the node suggests. */
  pdf?: string | boolean;
  xml?: string | boolean;
  force?: boolean;
  json?: boolean;
}

/**
 * An invoice's PDF and its CII XML (Factur-X EN 16931), written to files named after the invoice
 * number unless told otherwise. Without --pdf or --xml, both are written in the current folder.
 * The XML's SHA-256 is checked against the one the invoice records in the ledger.
 */
export async function billingInvoicesDownload(id: string, options: BillingDownloadOptions): Promise<void> {
  const api = await connect({ requireAuth: true });
  const invoice = await getInvoice(api.client, id);
  const both = !options.pdf && !options.xml;
  const written: { kind: 'pdf' | 'xml'; file: string; bytes: number; sha256: string }[] = [];
  const save = async (kind: 'pdf' | 'xml', flag: string | boolean | undefined) => {
    const target = typeof flag === 'string' ? flag : undefined;
    const address = kind === 'pdf' ? api.client.billing.pdfUrl(invoice.id) : api.client.billing.xmlUrl(invoice.id);
    let file;
    try {
      file = await fetchFile(api, address, kind === 'pdf' ? 'application/pdf' : 'application/xml');
    } catch (error) {
      throw invoiceHint(error, 'read');
    }
    const sha256 = createHash('sha256').update(file.data).digest('hex');
    if (kind === 'pdf' && file.data.subarray(0, 5).toString('latin1') !== '%PDF-')
      throw new CliError(
        `Le nœud n’a pas renvoyé de PDF pour la facture ${invoice.number} (reçu : ${file.contentType ?? 'type inconnu'}).`,
        {
          code: 'not_a_pdf',
        },
      );
    if (kind === 'xml' && sha256 !== invoice.xmlSha256)
      throw new CliError(
        `Le XML reçu (SHA-256 ${sha256}) n’est pas celui que la facture ${invoice.number} enregistre au registre (${invoice.xmlSha256}) : ne l’utilisez pas, signalez-le à l’opérateur.`,
        { code: 'digest_mismatch' },
      );
    const saved = await writeDownload(file.data, target, file.suggested ?? `${invoice.number}.${kind}`, options.force);
    written.push({ kind, file: saved, bytes: file.data.length, sha256 });
  };
  if (both || options.pdf) await save('pdf', options.pdf);
  if (both || options.xml) await save('xml', options.xml);
  if (options.json) printJson({ invoice: invoice.id, number: invoice.number, files: written });
  else for (const w of written) print(`Enregistré : ${w.file} (${formatBytes(w.bytes)}).`);
}

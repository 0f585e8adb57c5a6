import fs from 'node:fs/promises';
import path from 'node:path';
import {
  ApiError,
  formatEuros,
  FRENCH_VAT_RATES,
  formatPercent,
  parsePercent,
  type Client,
  type EstimateView,
  type InvoiceView,
} from '@confiance/contract';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../../errors';
import { details, formatNumber, print, table } from '../../output';
import { apiError, fileName } from '../datasets/download';
import { exists } from '../ledger/files';

/** What the billing verbs share: options, the French rendering of priced lines and totals, files written. */

export type Totals = EstimateView['totals'];
export type PricedLine = EstimateView['lines'][number];

/** Exit code of `statements --recheck` when the statement and the ledger disagree. */
export const EXIT_DIFFERENCES = 3;

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Option parser for `--period 2026-11`. */
export function period(value: string): string {
  const text = value.trim();
  if (!PERIOD.test(text)) throw new InvalidArgumentError('mois au format AAAA-MM attendu, par exemple 2026-11.');
  return text;
}

/** The month being billed now, in the node's calendar (UTC), as a default `--period`. */
export function currentPeriod(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

/** `novembre 2026`, for sentences; the code itself for anything that is not a period. */
export function periodLabel(value: string): string {
  const match = PERIOD.exec(value);
  if (!match) return value;
  return new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)),
  );
}

export const org = (o: { slug: string; name: string }) => `${o.name} (${o.slug})`;

/** « 20 % », from the API's canonical percent text (« 5.5 »). */
export function percent(text: string): string {
  try {
    return formatPercent(parsePercent(text));
  } catch {
    return `${text} %`;
  }
}

/** The priced lines of an estimate or a statement's line, as a table. */
export function pricedTable(lines: readonly PricedLine[]): string {
  return table(lines, [
    { header: 'Ligne', value: (l) => l.label },
    { header: 'Quantité', value: (l) => `${formatNumber(l.quantity)} ${unitName(l)}`, align: 'right' },
    {
      header: 'Prix unitaire HT',
      value: (l) => (l.baseQuantity > 1 ? `${formatEuros(l.unitPrice)} les ${formatNumber(l.baseQuantity)}` : formatEuros(l.unitPrice)),
      align: 'right',
    },
    {
      header: 'Remise',
      value: (l) => (l.discount ? `-${formatEuros(l.discount.amount)} (${percent(l.discount.percent)})` : ''),
      align: 'right',
    },
    { header: 'Montant HT', value: (l) => formatEuros(l.amount), align: 'right' },
    { header: 'TVA', value: (l) => percent(l.vatPercent), align: 'right' },
  ]);
}

/** The line's unit as its quantity wants it: « 1 requête », « 10 requêtes », « 2 mois ». */
function unitName(line: PricedLine): string {
  return line.quantity > 1 && !line.unitLabel.endsWith('s') ? `${line.unitLabel}s` : line.unitLabel;
}

/** Total HT, one line per VAT rate, total TTC. */
export function printTotals(totals: Totals, indent = ''): void {
  const rows: [string, string][] = [['Total HT', formatEuros(totals.net)]];
  for (const row of totals.breakdown)
    rows.push([
      `${row.label} sur ${formatEuros(row.base)}`,
      row.exemptionReason ? `${formatEuros(row.vat)} — ${row.exemptionReason}` : formatEuros(row.vat),
    ]);
  if (totals.breakdown.length !== 1) rows.push(['TVA', formatEuros(totals.vat)]);
  rows.push(['Total TTC', formatEuros(totals.gross)]);
  for (const line of details(rows).split('\n')) print(`${indent}${line}`);
}

export function printNotes(notes: readonly string[]): void {
  if (notes.length === 0) return;
  print('\nÀ savoir :');
  for (const n of notes) print(`  - ${n}`);
}

/** An invoice's lines, VAT and totals, for `invoices show` and after `issue` or `credit-note`. */
export function printInvoice(invoice: InvoiceView): void {
  const kind = invoice.kind === 'credit_note' ? 'Avoir' : invoice.purpose === 'fee' ? 'Facture de commission' : 'Facture';
  print(
    details([
      [kind, invoice.number],
      ['Identifiant', invoice.id],
      ['Vendeur', `${org(invoice.seller)}${invoice.underMandate ? ', facture émise par l’association sous mandat' : ''}`],
      ['Acheteur', org(invoice.buyer)],
      ['Période', periodLabel(invoice.period)],
      ['Émise le', frenchDate(invoice.issueDate)],
      ['Échéance', frenchDate(invoice.dueDate)],
      ['Corrige', invoice.corrects ? invoice.corrects.number : null],
      ['Annulée par', invoice.creditedBy ? `l’avoir ${invoice.creditedBy.number}` : null],
      ['Motif de l’avoir', invoice.creditReason],
      ['Registre', invoice.ledgerIndex === null ? null : `entrée ${invoice.ledgerIndex}`],
    ]),
  );
  print();
  print(
    table(invoice.lines, [
      { header: 'Désignation', value: (l) => (l.description ? `${l.name} — ${l.description}` : l.name) },
      { header: 'Quantité', value: (l) => decimal(l.quantity, 0), align: 'right' },
      { header: 'Prix unitaire HT', value: (l) => `${decimal(l.unitPrice, 2)}\u00a0€`, align: 'right' },
      { header: 'Montant HT', value: (l) => formatEuros(l.net), align: 'right' },
      { header: 'TVA', value: (l) => percent(l.vatPercent), align: 'right' },
    ]),
  );
  print();
  const rows: [string, string][] = [['Total HT', formatEuros(invoice.net)]];
  for (const row of invoice.vatBreakdown)
    rows.push([
      `TVA ${percent(row.percent)} sur ${formatEuros(row.base)}`,
      row.exemptionReason ? `${formatEuros(row.vat)} — ${row.exemptionReason}` : formatEuros(row.vat),
    ]);
  rows.push(['Total TTC', formatEuros(invoice.gross)]);
  print(details(rows));
  printNotes(invoice.notes);
  print(
    `\nCalculée sur ${formatNumber(invoice.entries.length)} entrée${invoice.entries.length > 1 ? 's' : ''} du registre, ` +
      `point de contrôle ${invoice.checkpoint.size} (racine ${invoice.checkpoint.root}) ; XML SHA-256 ${invoice.xmlSha256}.`,
  );
}

/** A decimal as the API writes it (« 0.5 ») in French, with at least `places` decimals (« 0,50 »). */
export function decimal(text: string, places: number): string {
  const [whole = text, fraction = ''] = text.split('.');
  const digits = fraction.padEnd(places, '0');
  return digits ? `${whole},${digits}` : whole;
}

/** « TVA 20 % (taux normal) » for S-20; the code itself when the node uses a rate of its own. */
export function vatLabel(code: string): string {
  return Object.hasOwn(FRENCH_VAT_RATES, code) ? `${FRENCH_VAT_RATES[code]!.label} (${code})` : code;
}

/** `2026-11-29` → `29/11/2026` (a calendar day: no time zone shift). */
export function frenchDate(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : day;
}

/**
 * Adds what to do next to the node's refusal: `read` a missing or hidden invoice, `issue` an
 * invoice the month already has, or a credit note (`credit`).
 */
export function invoiceHint(error: unknown, step: 'read' | 'issue' | 'credit'): unknown {
  if (!(error instanceof ApiError)) return error;
  const issuers =
    'Un administrateur du fournisseur émet ses factures et leurs avoirs ; l’opérateur, la commission de l’association et toute facture sous mandat.';
  const hints: Record<typeof step, Partial<Record<string, string>>> = {
    read: { not_found: '« confiance billing invoices list » liste celles de vos organisations (colonne ID).' },
    issue: { forbidden: issuers },
    credit: { forbidden: issuers, not_found: '« confiance billing invoices list » liste celles de vos organisations (colonne ID).' },
  };
  const more = hints[step][error.code];
  return more
    ? new ApiError(error.status, error.code, `${error.message.replace(/\s*$/, '')} ${more}`, error.details, error.requestId)
    : error;
}

/** An invoice argument: refused before anything is sent when it is not an id. */
export async function getInvoice(client: Client, id: string): Promise<InvoiceView> {
  try {
    return await client.billing.invoice(id);
  } catch (error) {
    throw invoiceHint(error, 'read');
  }
}

/** A file the node serves (PDF, XML, CSV), with the name it suggests; the node's error otherwise. */
export async function fetchFile(
  api: { url: string; client: Client },
  address: string | URL,
  accept: string,
): Promise<{ data: Buffer; suggested: string | undefined; contentType: string | null }> {
  let response: Response;
  try {
    response = await fetch(address, { headers: { ...api.client.authHeaders('GET'), accept } });
  } catch (error) {
    throw new ApiError(0, 'network_error', `Serveur injoignable (${api.url}) : ${(error as Error).message}`);
  }
  if (!response.ok) throw await apiError(response);
  return {
    data: Buffer.from(await response.arrayBuffer()),
    suggested: fileName(response.headers.get('content-disposition')),
    contentType: response.headers.get('content-type'),
  };
}

/**
 * Writes `data` to `target` (a folder: `suggested` inside it), refusing to replace a file without
 * --force. Written beside the target and renamed once complete: an interrupted write never looks finished.
 */
export async function writeDownload(
  data: Uint8Array,
  target: string | undefined,
  suggested: string,
  force: boolean | undefined,
): Promise<string> {
  let file = path.resolve(target ?? suggested);
  if (target !== undefined && (await isDirectory(file))) file = path.join(file, suggested);
  if (!force && (await exists(file)))
    throw new UsageError(`${file} existe déjà : ajoutez --force pour le remplacer, ou choisissez un autre nom.`);
  const partial = `${file}.part`;
  try {
    await fs.writeFile(partial, data);
    await fs.rename(partial, file);
  } catch (error) {
    await fs.rm(partial, { force: true });
    throw error;
  }
  return file;
}

async function isDirectory(file: string): Promise<boolean> {
  return fs.stat(file).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

import { formatEuros, formatInteger, formatPercent } from '@confiance/contract';
import { PDFDocument, type PDFPage, rgb, StandardFonts, type PDFFont, type RGB } from 'pdf-lib';
import {
  ACCENT,
  BODY,
  clip,
  drawFooters,
  FOOTER,
  formatSiren,
  frenchDate,
  Layout,
  LEADING,
  MARGIN_BOTTOM,
  MARGIN_X,
  MUTED,
  NBSP,
  PAGE_WIDTH,
  type Piece,
  sanitizerFor,
  wrap,
} from '../../../platform/pdf';
import { mandateNote, type Buyer, type Invoice, type InvoiceLine, type Period, type Seller } from './model';

/**
 * The invoice (or credit note) as the buyer reads, prints and files it: a French A4 PDF drawn
 * from the same `Invoice` model as the CII XML, with what French law asks an invoice to show
 * (CGI art. 242 nonies A, code de commerce L441-9 and L441-10): number, dates, both parties with
 * their SIREN, SIRET and VAT numbers, the billing-mandate mention, the lines, the VAT per rate,
 * the totals, the payment terms and the late-payment notes.
 *
 * It is not a Factur-X PDF/A-3: that format embeds the XML in a PDF/A-3 file with an ICC colour
 * profile and XMP metadata, which only a conformance checker (veraPDF) can vouch for, and the
 * node has neither. The CII XML (`toCii`) is delivered alongside this PDF, not inside it, and is
 * the invoice that counts — the footer of every page says so.
 *
 * The same invoice always gives the same bytes: the PDF's dates are the issue date, not the time
 * it was drawn, so a copy drawn again from the archive is the one that was sent.
 */

export const XML_NOTICE = 'Facture électronique : le fichier XML CII (EN 16931, profil Factur-X EN16931) accompagne ce PDF et fait foi.';

const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
const TABLE = 9;
const TABLE_HEAD = 8.5;
const CELL_GAP = 6;
const ROW_PAD = 3;
/** Dates, references and payment details. */
const SMALL = { size: 9 };
const RULE = rgb(0.78, 0.8, 0.84);
const BAND = rgb(0.93, 0.95, 0.98);

type Fonts = Layout['fonts'];
type Sanitize = (raw: string) => string;

/**
 * `title` says what the invoice is for (« Frais de service — novembre 2026 »): it is printed
 * under the number and added to the PDF's title, which otherwise names the seller.
 */
export async function invoicePdf(invoice: Invoice, options: { title?: string } = {}): Promise<Uint8Array> {
  const kind = invoice.typeCode === '381' ? 'Avoir' : 'Facture';
  const pdf = await PDFDocument.create();
  const fonts: Fonts = {
    regular: await pdf.embedFont(StandardFonts.Helvetica),
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
    italic: await pdf.embedFont(StandardFonts.HelveticaOblique),
  };
  const text = sanitizerFor(fonts.regular);
  const heading = `${kind} n° ${invoice.number}`;

  // Noon UTC is the issue day in Paris, summer or winter.
  const issued = new Date(`${invoice.issueDate}T12:00:00Z`);
  pdf.setTitle(options.title ? `${heading} — ${options.title}` : `${heading} — ${invoice.seller.name}`, { showInWindowTitleBar: true });
  pdf.setAuthor(invoice.seller.name);
  pdf.setSubject(`${heading} du ${frenchDate(invoice.issueDate)}, de ${invoice.seller.name} à ${invoice.buyer.name}`);
  pdf.setKeywords([invoice.number, 'EN 16931', 'Factur-X EN16931', 'CII']);
  pdf.setCreator('Confiance');
  pdf.setProducer('Confiance (pdf-lib)');
  pdf.setLanguage('fr-FR');
  pdf.setCreationDate(issued);
  pdf.setModificationDate(issued);

  const { regular } = fonts;
  const pageLabelWidth = regular.widthOfTextAtSize('Page 9999/9999', FOOTER) + 12;
  const idWidth = CONTENT_WIDTH - pageLabelWidth;
  // A seller's absurdly long name may not push the footer into the text: it is whole in the body.
  const footerIdLines = clip(
    wrap(text(`${heading} du ${frenchDate(invoice.issueDate)} — ${invoice.seller.name}`), regular, FOOTER, idWidth),
    2,
    regular,
    FOOTER,
    idWidth,
  );
  const footerNoticeLines = wrap(text(XML_NOTICE), regular, FOOTER, CONTENT_WIDTH);
  const footerHeight = (footerIdLines.length + footerNoticeLines.length) * FOOTER * LEADING + 10;

  const out = new Layout(pdf, text, fonts, MARGIN_BOTTOM + footerHeight + 8);
  header(out, invoice, heading, options.title);
  mandateBox(out, text, invoice);
  parties(out, text, invoice);
  out.heading(kind === 'Avoir' ? 'Détail de l’avoir' : 'Détail de la facture');
  linesTable(out, text, invoice.lines);
  out.heading('Récapitulatif de la TVA');
  vatTable(out, text, invoice);
  totals(out, text, invoice);
  payment(out, invoice);
  otherNotes(out, invoice);

  drawFooters(pdf, regular, [...footerIdLines, ...footerNoticeLines], footerHeight);

  return pdf.save();
}

function header(out: Layout, invoice: Invoice, heading: string, title: string | undefined): void {
  const { bold } = out.fonts;
  out.paragraph(heading, { font: bold, size: 19, color: ACCENT, after: 4 });
  if (title) out.paragraph(title, { font: bold, size: 12.5, after: 4 });
  const preceding = invoice.precedingInvoice;
  if (preceding) {
    const cited = `la facture n° ${preceding.number} du ${frenchDate(preceding.issueDate)}`;
    out.paragraph(invoice.typeCode === '381' ? `Avoir sur ${cited}` : `Facture rectificative de ${cited}`, { font: bold, after: 4 });
  }
  out.field('Date d’émission : ', frenchDate(invoice.issueDate), SMALL);
  out.field('Date d’échéance : ', frenchDate(invoice.dueDate), SMALL);
  if (invoice.period) out.field('Période de facturation : ', period(invoice.period), SMALL);
  if (invoice.deliveryDate) out.field('Date de réalisation de la prestation : ', frenchDate(invoice.deliveryDate), SMALL);
  if (invoice.contractReference) out.field('Contrat : ', invoice.contractReference, SMALL);
  // A public buyer's service code and engagement number take these places in the XML (cii.ts);
  // they are printed in the buyer's block.
  if (invoice.buyerReference && !invoice.buyer.publicBody?.serviceCode) out.field('Référence acheteur : ', invoice.buyerReference, SMALL);
  if (invoice.purchaseOrderReference && !invoice.buyer.publicBody?.engagementNumber) {
    out.field('Bon de commande : ', invoice.purchaseOrderReference, SMALL);
  }
  out.rule();
}

/** Under a billing mandate, who issued the invoice for whom, framed above everything else. */
function mandateBox(out: Layout, text: Sanitize, invoice: Invoice): void {
  if (invoice.issuer.kind !== 'mandatary') return;
  const pad = 7;
  const lines = wrap(text(mandateNote(invoice.issuer, invoice.seller)), out.fonts.bold, BODY, CONTENT_WIDTH - 2 * pad);
  out.skip(4);
  out.keep(lines.length * BODY * LEADING + 2 * pad);
  let top: { page: PDFPage; y: number } | undefined;
  out.decorate((page, y) => (top = { page, y }));
  out.skip(pad);
  for (const line of lines) out.pieces([{ text: line, x: MARGIN_X + pad, font: out.fonts.bold, color: ACCENT }], BODY);
  out.skip(pad);
  out.decorate((page, y) => {
    // A mention longer than a page has no frame rather than one cut in two.
    if (top?.page !== page) return;
    page.drawRectangle({ x: MARGIN_X, y, width: CONTENT_WIDTH, height: top.y - y, borderColor: ACCENT, borderWidth: 1 });
  });
  out.skip(6);
}

interface CellLine {
  raw: string;
  font?: keyof Fonts;
  color?: RGB;
}

function parties(out: Layout, text: Sanitize, invoice: Invoice): void {
  const gap = 18;
  const width = (CONTENT_WIDTH - gap) / 2;
  const size = 9;
  const column = (lines: CellLine[]) => lines.flatMap((l) => wrapLine(out.fonts, text, l, size, width));
  const left = column(partyLines('Vendeur', invoice.seller));
  const right = column(partyLines('Acheteur', invoice.buyer));
  const count = Math.max(left.length, right.length);
  out.skip(6);
  out.keep(count * size * LEADING);
  for (let i = 0; i < count; i++) {
    const pieces: Piece[] = [];
    const l = left[i];
    const r = right[i];
    if (l) pieces.push({ ...l, x: MARGIN_X });
    if (r) pieces.push({ ...r, x: MARGIN_X + width + gap });
    out.pieces(pieces, size);
  }
}

function partyLines(role: string, p: Seller | Buyer): CellLine[] {
  const lines: CellLine[] = [
    { raw: role, font: 'bold', color: ACCENT },
    { raw: p.name, font: 'bold' },
  ];
  if (p.tradingName) lines.push({ raw: `Nom commercial : ${p.tradingName}` });
  for (const l of [p.address.line1, p.address.line2, p.address.line3]) if (l) lines.push({ raw: l });
  lines.push({ raw: `${p.address.postcode} ${p.address.city}` });
  if (p.address.countryCode !== 'FR') lines.push({ raw: countryName(p.address.countryCode) });
  if (p.siren) lines.push({ raw: `SIREN : ${formatSiren(p.siren)}` });
  if (p.siret) lines.push({ raw: `SIRET : ${formatSiret(p.siret)}` });
  if (p.vatId) lines.push({ raw: `N° TVA intracommunautaire : ${p.vatId}` });
  if ('legalInfo' in p && p.legalInfo) lines.push({ raw: p.legalInfo, color: MUTED });
  if ('publicBody' in p && p.publicBody) {
    if (p.publicBody.serviceCode) lines.push({ raw: `Code service (Chorus Pro) : ${p.publicBody.serviceCode}` });
    if (p.publicBody.engagementNumber) lines.push({ raw: `N° d’engagement : ${p.publicBody.engagementNumber}` });
  }
  const c = p.contact;
  const contact = [c?.name, c?.phone, c?.email].filter(Boolean).join(', ');
  if (contact) lines.push({ raw: `Contact : ${contact}`, color: MUTED });
  return lines;
}

interface Column {
  title: string;
  /** 0: what the other columns leave. */
  width: number;
  align: 'left' | 'right';
}

function linesTable(out: Layout, text: Sanitize, lines: InvoiceLine[]): void {
  const columns: Column[] = [
    { title: 'Désignation', width: 0, align: 'left' },
    { title: 'Quantité', width: 60, align: 'right' },
    { title: 'Prix unitaire HT', width: 84, align: 'right' },
    { title: 'TVA', width: 40, align: 'right' },
    { title: 'Montant HT', width: 78, align: 'right' },
  ];
  const rows = lines.map((line): CellLine[][] => {
    const designation: CellLine[] = [{ raw: line.name }];
    if (line.description) designation.push({ raw: line.description, color: MUTED });
    if (line.note) designation.push({ raw: line.note, font: 'italic', color: MUTED });
    if (line.period) designation.push({ raw: `Période : ${period(line.period)}`, color: MUTED });
    const price: CellLine[] = [{ raw: formatMicros(line.unitPriceMicros) }];
    const base = line.priceBaseQuantity;
    if (base !== undefined && formatDecimal(base) !== '1') price.push({ raw: `pour ${quantity(base, line.unitCode)}`, color: MUTED });
    return [
      designation,
      [{ raw: quantity(line.quantity, line.unitCode) }],
      price,
      [{ raw: line.vat.category === 'S' ? formatPercent(line.vat.rateBp) : 'Exonéré' }],
      [{ raw: formatEuros(line.netCents) }],
    ];
  });
  table(out, text, columns, rows);
}

function vatTable(out: Layout, text: Sanitize, invoice: Invoice): void {
  const columns: Column[] = [
    { title: 'Catégorie', width: 0, align: 'left' },
    { title: 'Base HT', width: 84, align: 'right' },
    { title: 'Taux', width: 40, align: 'right' },
    { title: 'Montant de TVA', width: 78, align: 'right' },
  ];
  const rows = invoice.vatBreakdown.map((v): CellLine[][] => {
    const category: CellLine[] =
      v.category === 'S'
        ? [{ raw: `TVA à ${formatPercent(v.rateBp)}` }]
        : [
            { raw: 'Exonération de TVA' },
            { raw: `Motif : ${v.exemptionReason ?? ''}${v.exemptionCode ? ` (${v.exemptionCode})` : ''}`, color: MUTED },
          ];
    return [category, [{ raw: formatEuros(v.basisCents) }], [{ raw: formatPercent(v.rateBp) }], [{ raw: formatEuros(v.taxCents) }]];
  });
  table(out, text, columns, rows);
}

/**
 * A table whose cells wrap in their column. A row stays on one page when it can; the column
 * titles are drawn again at the top of every page the table runs onto.
 */
function table(out: Layout, text: Sanitize, columns: Column[], rows: CellLine[][][]): void {
  const fixed = columns.reduce((sum, c) => sum + c.width, 0) + CELL_GAP * (columns.length - 1);
  let x = MARGIN_X;
  const placed = columns.map((c) => {
    const width = c.width === 0 ? CONTENT_WIDTH - fixed : c.width;
    const at = { ...c, x, width };
    x += width + CELL_GAP;
    return at;
  });
  const drawRow = (cells: { text: string; font: PDFFont; color?: RGB }[][], size: number, onBreak: () => void) => {
    const count = Math.max(...cells.map((c) => c.length));
    for (let i = 0; i < count; i++) {
      if (!out.fits(size * LEADING)) {
        out.newPage();
        onBreak();
      }
      const pieces: Piece[] = [];
      cells.forEach((cell, c) => {
        const line = cell[i];
        const col = placed[c];
        if (!line || !col) return;
        const offset = col.align === 'right' ? col.width - line.font.widthOfTextAtSize(line.text, size) : 0;
        pieces.push({ ...line, x: col.x + offset });
      });
      out.pieces(pieces, size);
    }
  };
  const titles = placed.map((c) => wrapLine(out.fonts, text, { raw: c.title, font: 'bold', color: ACCENT }, TABLE_HEAD, c.width));
  const titlesHeight = Math.max(...titles.map((t) => t.length)) * TABLE_HEAD * LEADING + 2 * ROW_PAD;
  const head = () => {
    out.decorate((page, y) =>
      page.drawRectangle({ x: MARGIN_X, y: y - titlesHeight, width: CONTENT_WIDTH, height: titlesHeight, color: BAND }),
    );
    out.skip(ROW_PAD);
    drawRow(titles, TABLE_HEAD, () => undefined);
    out.skip(ROW_PAD);
  };
  const wrapped = rows.map((row) => row.map((cell, c) => cell.flatMap((l) => wrapLine(out.fonts, text, l, TABLE, placed[c]?.width ?? 0))));
  const height = (cells: unknown[][]) => Math.max(...cells.map((c) => c.length)) * TABLE * LEADING + 2 * ROW_PAD;

  out.skip(2);
  out.keep(titlesHeight + (wrapped[0] ? height(wrapped[0]) : 0));
  head();
  for (const cells of wrapped) {
    if (out.keep(height(cells))) head();
    out.skip(ROW_PAD);
    drawRow(cells, TABLE, head);
    out.skip(ROW_PAD);
    out.decorate((page, y) =>
      page.drawLine({ start: { x: MARGIN_X, y }, end: { x: MARGIN_X + CONTENT_WIDTH, y }, thickness: 0.5, color: RULE }),
    );
  }
}

function totals(out: Layout, text: Sanitize, invoice: Invoice): void {
  const t = invoice.totals;
  const { regular, bold } = out.fonts;
  const rows: { label: string; cents: number; font: PDFFont; size: number; color?: RGB }[] = [
    { label: 'Total HT', cents: t.taxBasisTotalCents, font: regular, size: BODY },
    { label: 'Total TVA', cents: t.taxTotalCents, font: regular, size: BODY },
    { label: 'Total TTC', cents: t.grandTotalCents, font: bold, size: BODY },
  ];
  if (t.paidCents !== 0) rows.push({ label: 'Déjà réglé', cents: t.paidCents, font: regular, size: BODY });
  const due = invoice.typeCode === '381' ? 'Net à déduire ou à rembourser' : 'Net à payer';
  rows.push({ label: due, cents: t.duePayableCents, font: bold, size: 11.5, color: ACCENT });

  const left = PAGE_WIDTH - MARGIN_X - 260;
  const right = PAGE_WIDTH - MARGIN_X;
  // The label wraps beside its amount, the amount on the label's first line.
  const laid = rows.map((row) => {
    const amount = text(formatEuros(row.cents));
    const amountWidth = row.font.widthOfTextAtSize(amount, row.size);
    return { ...row, amount, amountWidth, labels: wrap(text(row.label), row.font, row.size, right - left - amountWidth - CELL_GAP) };
  });
  out.skip(8);
  out.keep(laid.reduce((h, r) => h + r.labels.length * r.size * LEADING, 0) + 4);
  laid.forEach((row, i) => {
    if (i === laid.length - 1) {
      out.skip(4);
      out.decorate((page, y) => page.drawLine({ start: { x: left, y }, end: { x: right, y }, thickness: 0.75, color: ACCENT }));
    }
    row.labels.forEach((label, l) => {
      const style = { font: row.font, ...(row.color ? { color: row.color } : {}) };
      const pieces: Piece[] = [{ text: label, x: left, ...style }];
      if (l === 0) pieces.push({ text: row.amount, x: right - row.amountWidth, ...style });
      out.pieces(pieces, row.size);
    });
  });
}

/** The note subjects printed with the payment terms: penalties, recovery indemnity, discount. */
const PAYMENT_NOTES = new Set(['PMD', 'PMT', 'AAB']);

function payment(out: Layout, invoice: Invoice): void {
  out.heading('Conditions de paiement');
  out.paragraph(invoice.paymentTerms, SMALL);
  out.field('Échéance : ', frenchDate(invoice.dueDate), SMALL);
  const account = invoice.payeeAccount;
  if (account) {
    const parts = [
      `IBAN ${account.iban}`,
      account.bic && `BIC ${account.bic}`,
      account.accountName && `titulaire : ${account.accountName}`,
    ];
    out.field('Virement SEPA : ', parts.filter(Boolean).join(' — '), SMALL);
    out.field('Référence à rappeler : ', invoice.number, SMALL);
  }
  for (const note of invoice.notes) {
    if (note.subjectCode && PAYMENT_NOTES.has(note.subjectCode)) out.paragraph(note.content, { size: 8.5, before: 2 });
  }
}

/** Every note not printed already: the mandate mention is in its frame, the legal ones with the payment. */
function otherNotes(out: Layout, invoice: Invoice): void {
  const mandate = invoice.issuer.kind === 'mandatary' ? mandateNote(invoice.issuer, invoice.seller) : null;
  const notes = invoice.notes.filter(
    (n) => !(n.subjectCode && PAYMENT_NOTES.has(n.subjectCode)) && !(n.subjectCode === 'REG' && n.content === mandate),
  );
  if (notes.length === 0) return;
  out.heading('Informations complémentaires');
  for (const note of notes) out.bullet(note.content, 0);
}

function wrapLine(
  fonts: Fonts,
  text: Sanitize,
  line: CellLine,
  size: number,
  width: number,
): { text: string; font: PDFFont; color?: RGB }[] {
  const font = fonts[line.font ?? 'regular'];
  return wrap(text(line.raw), font, size, width).map((t) => ({ text: t, font, ...(line.color ? { color: line.color } : {}) }));
}

function period(p: Period): string {
  return `du ${frenchDate(p.start)} au ${frenchDate(p.end)}`;
}

function formatSiret(siret: string): string {
  return /^\d{14}$/.test(siret) ? siret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, `$1${NBSP}$2${NBSP}$3${NBSP}$4`) : siret;
}

/** A model quantity ("1234567.5000", at most 4 decimals) in French: "1 234 567,5". */
export function formatDecimal(value: string): string {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace(/^[-+]/, '').split('.');
  const decimals = fraction.replace(/0+$/, '');
  return `${negative ? '-' : ''}${formatInteger(BigInt(whole))}${decimals ? `,${decimals}` : ''}`;
}

/**
 * A unit price in micro-euros with as many decimals as it has, from two to six: 350000 → "0,35 €",
 * 33333333 → "33,333333 €". The grouping and the € are `formatEuros`'s.
 */
export function formatMicros(micros: number): string {
  const cents = Math.trunc(micros / 10_000);
  const extra = String(Math.abs(micros % 10_000))
    .padStart(4, '0')
    .replace(/0+$/, '');
  const euros = formatEuros(cents);
  return extra === '' ? euros : euros.replace(/(,\d\d)(\s*€)$/u, `$1${extra}$2`);
}

/** UN/ECE Recommendation 20 codes the node uses, singular and plural; « unité » (C62) is left unsaid. */
const UNITS: Record<string, [string, string]> = {
  C62: ['', ''],
  H87: ['pièce', 'pièces'],
  E48: ['unité de service', 'unités de service'],
  MIN: ['minute', 'minutes'],
  HUR: ['heure', 'heures'],
  DAY: ['jour', 'jours'],
  WEE: ['semaine', 'semaines'],
  MON: ['mois', 'mois'],
  QAN: ['trimestre', 'trimestres'],
  ANN: ['an', 'ans'],
  E34: ['Go', 'Go'],
};

function quantity(value: string, unitCode: string): string {
  const number = formatDecimal(value);
  const unit = UNITS[unitCode];
  // In French the plural starts at 2: « 1,5 jour », « 2 jours ».
  const label = unit ? (Math.abs(Number(value)) >= 2 ? unit[1] : unit[0]) : unitCode;
  return label === '' ? number : `${number} ${label}`;
}

function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(['fr'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

import { PageSizes, PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';

/**
 * The agreement as the parties read, print and file it: a French A4 PDF drawn with the standard
 * Helvetica fonts (nothing to embed, nothing fetched). Those fonts only encode WinAnsi
 * (Windows-1252); French needs nothing beyond it (é è à ç œ « » ’ …), and any other character a
 * member typed (Greek, emoji, mathematical signs) is replaced by a near equivalent or `?` rather
 * than failing the whole document.
 *
 * The JWS digest is printed on every page: the PDF itself is not signed, so a reader checks a
 * printout against the published signed agreement by comparing that digest.
 */

export interface AgreementDocument {
  /** The agreement IRI. */
  uid: string;
  version: number;
  /** French: « en vigueur », « suspendu », « résilié », « expiré ». */
  state: string;
  provider: AgreementParty;
  consumer: AgreementParty;
  project: { title: string; partners: string[] } | null;
  dataset: { title: string; uri: string };
  offer: { title: string; version: number };
  purposeLabel: string;
  /** ISO 8601. */
  validFrom: string;
  /** ISO 8601. */
  validUntil: string;
  rules: AgreementRule[];
  /** Set by the ethics commission. */
  conditions: string | null;
  acceptances: { party: string; by: string; at: string }[];
  /** SHA-256 hex of the JWS, printed so a reader can compare. */
  jwsDigest: string;
  /** History, in French. */
  events: { at: string; label: string }[];
}

export interface AgreementParty {
  name: string;
  legalName: string;
  siren: string | null;
  address: string | null;
}

export interface AgreementRule {
  kind: 'permission' | 'prohibition' | 'obligation';
  actionLabel: string;
  constraints: string[];
  duties: string[];
}

export const AGREEMENT_TITLE = 'Contrat d’accès aux données';

/** Dates are those of the node's jurisdiction, whatever the server's TZ. */
const TIME_ZONE = 'Europe/Paris';
const NBSP = '\u00a0';

const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A4;
const MARGIN_X = 56;
const MARGIN_TOP = 60;
const MARGIN_BOTTOM = 40;
const BODY = 10;
const LEADING = 1.4;
const FOOTER = 7.5;
const INK = rgb(0.1, 0.1, 0.12);
const ACCENT = rgb(0.07, 0.22, 0.45);
const MUTED = rgb(0.35, 0.35, 0.4);

export async function agreementPdf(doc: AgreementDocument, options: { generatedAt?: Date } = {}): Promise<Uint8Array> {
  const generatedAt = options.generatedAt ?? new Date();
  const pdf = await PDFDocument.create();
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const italic = await pdf.embedFont(StandardFonts.HelveticaOblique);
  const text = sanitizerFor(regular);

  // Metadata strings are stored as UTF-16 by pdf-lib: no WinAnsi limit there.
  pdf.setTitle(`${AGREEMENT_TITLE} — ${doc.dataset.title}`, { showInWindowTitleBar: true });
  pdf.setAuthor(`${doc.provider.legalName} ; ${doc.consumer.legalName}`);
  pdf.setSubject(`${doc.purposeLabel} — ${doc.uid}, version ${doc.version}`);
  pdf.setKeywords([doc.uid, doc.dataset.uri, `SHA-256 JWS ${doc.jwsDigest}`]);
  pdf.setCreator('Confiance');
  pdf.setProducer('Confiance (pdf-lib)');
  pdf.setLanguage('fr-FR');
  pdf.setCreationDate(generatedAt);
  pdf.setModificationDate(generatedAt);

  const footerWidth = PAGE_WIDTH - 2 * MARGIN_X;
  const pageLabelWidth = regular.widthOfTextAtSize('Page 9999/9999', FOOTER) + 12;
  // An absurdly long IRI may not push the footer into the text: three lines at most, the whole IRI
  // is in the body anyway.
  const footerIdLines = clip(
    wrap(text(`Contrat ${doc.uid} — version ${doc.version}`), regular, FOOTER, footerWidth - pageLabelWidth),
    3,
    regular,
    FOOTER,
    footerWidth - pageLabelWidth,
  );
  const footerDigestLines = wrap(text(`Empreinte SHA-256 du JWS : ${doc.jwsDigest}`), regular, FOOTER, footerWidth);
  const footerLines = footerIdLines.length + footerDigestLines.length;
  const footerHeight = footerLines * FOOTER * LEADING + 10;

  const out = new Layout(pdf, text, { regular, bold, italic }, MARGIN_BOTTOM + footerHeight + 8);

  out.paragraph(AGREEMENT_TITLE, { font: bold, size: 19, color: ACCENT, after: 4 });
  out.paragraph(doc.dataset.title, { font: bold, size: 12.5, after: 4 });
  out.paragraph(`Version ${doc.version} — état : ${quote(doc.state)} — document édité le ${frenchDateTime(generatedAt.toISOString())}`, {
    size: 9,
    color: MUTED,
  });
  out.field('Identifiant : ', doc.uid, { size: 9, color: MUTED });
  out.rule();

  out.heading('Parties');
  party(out, 'Fournisseur des données', doc.provider);
  party(out, 'Bénéficiaire', doc.consumer);
  if (doc.project) {
    const partners = doc.project.partners.length > 0 ? `, avec les partenaires : ${doc.project.partners.join(', ')}` : '';
    out.paragraph(
      `Le bénéficiaire agit pour le projet ${quote(doc.project.title)}${partners}. Les personnes habilitées de chacun ` +
        'peuvent utiliser les données, dans la seule finalité du projet.',
      { before: 4 },
    );
  }

  out.heading('Objet');
  out.field('Jeu de données : ', doc.dataset.title);
  out.field('Référence : ', doc.dataset.uri, { size: 9, color: MUTED });
  out.field('Offre : ', `${doc.offer.title} (version ${doc.offer.version})`);

  out.heading('Finalité');
  out.paragraph(doc.purposeLabel);

  out.heading('Durée');
  out.paragraph(`Du ${frenchDate(doc.validFrom)} au ${frenchDate(doc.validUntil)}, sauf suspension ou résiliation anticipée.`);

  const sections: [AgreementRule['kind'], string, string][] = [
    ['permission', 'Ce qui est permis', 'Aucune permission.'],
    ['prohibition', 'Ce qui est interdit', 'Aucune interdiction particulière.'],
    ['obligation', 'Obligations', 'Aucune obligation particulière.'],
  ];
  for (const [kind, title, none] of sections) {
    out.heading(title);
    const rules = doc.rules.filter((r) => r.kind === kind);
    if (rules.length === 0) out.paragraph(none, { font: italic, color: MUTED });
    for (const r of rules) {
      out.bullet(r.actionLabel, 0, { font: bold });
      for (const c of r.constraints) out.bullet(c, 1);
      for (const d of r.duties) out.bullet(`à charge de : ${d}`, 1);
    }
  }

  if (doc.conditions !== null && doc.conditions.trim() !== '') {
    out.heading('Conditions de la commission d’éthique');
    out.paragraph(doc.conditions.trim());
  }

  out.heading('Acceptations');
  if (doc.acceptances.length === 0) out.paragraph('Aucune acceptation enregistrée.', { font: italic, color: MUTED });
  for (const a of doc.acceptances) out.bullet(`${a.party} : accepté par ${a.by} le ${frenchDateTime(a.at)}`, 0);

  out.heading('Historique');
  if (doc.events.length === 0) out.paragraph('Aucun évènement.', { font: italic, color: MUTED });
  for (const e of doc.events) out.bullet(`${frenchDateTime(e.at)} — ${e.label}`, 0);

  out.heading('Signature électronique');
  out.paragraph(
    'Cet accord est signé par la clé de contrat du nœud (JWS, algorithme EdDSA). L’empreinte SHA-256 du JWS, ' +
      'rappelée en pied de chaque page, permet de vérifier que ce document correspond à l’accord signé publié :',
  );
  out.paragraph(doc.jwsDigest, { font: regular, size: 9.5, before: 2 });

  const pages = pdf.getPages();
  pages.forEach((page, i) => {
    let y = MARGIN_BOTTOM + footerHeight - 4;
    page.drawLine({
      start: { x: MARGIN_X, y: y + 4 },
      end: { x: PAGE_WIDTH - MARGIN_X, y: y + 4 },
      thickness: 0.5,
      color: MUTED,
    });
    y -= FOOTER * LEADING;
    const label = `Page ${i + 1}/${pages.length}`;
    page.drawText(label, {
      x: PAGE_WIDTH - MARGIN_X - regular.widthOfTextAtSize(label, FOOTER),
      y,
      size: FOOTER,
      font: regular,
      color: MUTED,
    });
    for (const line of [...footerIdLines, ...footerDigestLines]) {
      page.drawText(line, { x: MARGIN_X, y, size: FOOTER, font: regular, color: MUTED });
      y -= FOOTER * LEADING;
    }
  });

  return pdf.save();
}

function party(out: Layout, role: string, p: AgreementParty): void {
  out.paragraph(role, { size: 9, color: MUTED, before: 4 });
  out.paragraph(p.name && p.name !== p.legalName ? `${p.legalName} (${p.name})` : p.legalName, { font: out.fonts.bold });
  out.field('SIREN : ', p.siren ? formatSiren(p.siren) : 'non renseigné');
  if (p.address) out.field('Adresse : ', p.address);
}

interface Style {
  font?: PDFFont;
  size?: number;
  color?: RGB;
  /** Space before, in points. */
  before?: number;
  /** Space after, in points. */
  after?: number;
}

/** A cursor down the pages: wraps text to the width and starts a new page when the next line would not fit. */
class Layout {
  private page!: PDFPage;
  private y = 0;
  private readonly width = PAGE_WIDTH - 2 * MARGIN_X;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly text: (raw: string) => string,
    readonly fonts: { regular: PDFFont; bold: PDFFont; italic: PDFFont },
    private readonly bottom: number,
  ) {
    this.newPage();
  }

  private newPage(): void {
    this.page = this.pdf.addPage(PageSizes.A4);
    this.y = PAGE_HEIGHT - MARGIN_TOP;
  }

  /** Starts a new page when `height` more would run into the footer. */
  private room(height: number): void {
    if (this.y - height < this.bottom) this.newPage();
  }

  /** One line of text, after `lead` (a label, a bullet) drawn at the start of the same line. */
  private line(text: string, x: number, font: PDFFont, size: number, color: RGB, lead?: { text: string; x: number; font: PDFFont }): void {
    this.room(size * LEADING);
    this.y -= size * LEADING;
    const y = this.y + size * 0.3;
    if (lead) this.page.drawText(lead.text, { x: lead.x, y, size, font: lead.font, color });
    if (text !== '') this.page.drawText(text, { x, y, size, font, color });
  }

  private lineHeight(size = BODY): number {
    return size * LEADING;
  }

  heading(title: string): void {
    const size = 12;
    // A heading never ends a page: it needs its own line and two of what follows.
    this.room(10 + this.lineHeight(size) + 2 * this.lineHeight());
    if (this.y < PAGE_HEIGHT - MARGIN_TOP) this.y -= 10;
    this.line(this.text(title), MARGIN_X, this.fonts.bold, size, ACCENT);
    this.y -= 2;
  }

  paragraph(raw: string, style: Style = {}): void {
    const font = style.font ?? this.fonts.regular;
    const size = style.size ?? BODY;
    this.y -= style.before ?? 0;
    for (const l of wrap(this.text(raw), font, size, this.width)) {
      this.line(l, MARGIN_X, font, size, style.color ?? INK);
    }
    this.y -= style.after ?? 0;
  }

  /** A bold label followed by its value on the same line, the value wrapping under the label. */
  field(label: string, value: string, style: Style = {}): void {
    const size = style.size ?? BODY;
    const color = style.color ?? INK;
    const labelText = this.text(label);
    const labelWidth = this.fonts.bold.widthOfTextAtSize(labelText, size);
    const lines = wrap(this.text(value), this.fonts.regular, size, this.width, this.width - labelWidth);
    lines.forEach((l, i) => {
      const lead = i === 0 ? { text: labelText, x: MARGIN_X, font: this.fonts.bold } : undefined;
      this.line(l, MARGIN_X + (i === 0 ? labelWidth : 0), this.fonts.regular, size, color, lead);
    });
  }

  /** A list item with a hanging indent: • at level 0, – at level 1. */
  bullet(raw: string, level: 0 | 1, style: Style = {}): void {
    const font = style.font ?? this.fonts.regular;
    const size = style.size ?? BODY;
    const mark = level === 0 ? '•' : '–';
    const markX = MARGIN_X + 4 + level * 14;
    const textX = markX + 11;
    const lines = wrap(this.text(raw), font, size, MARGIN_X + this.width - textX);
    lines.forEach((l, i) => {
      this.line(l, textX, font, size, style.color ?? INK, i === 0 ? { text: mark, x: markX, font: this.fonts.regular } : undefined);
    });
    this.y -= 1.5;
  }

  rule(): void {
    this.y -= 6;
    this.page.drawLine({
      start: { x: MARGIN_X, y: this.y },
      end: { x: PAGE_WIDTH - MARGIN_X, y: this.y },
      thickness: 0.75,
      color: ACCENT,
    });
    this.y -= 4;
  }
}

/**
 * Splits text into lines no wider than `width` (the first one `firstWidth`): at ordinary spaces
 * (a no-break space keeps « guillemets » with their word), at the newlines of the text, and
 * inside a word longer than a line (an IRI, a digest), after a `/`, `#`, `-`… when there is one.
 */
function wrap(text: string, font: PDFFont, size: number, width: number, firstWidth = width): string[] {
  const lines: string[] = [];
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= (lines.length === 0 ? firstWidth : width);
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (word === '') continue;
      const candidate = line === '' ? word : `${line} ${word}`;
      if (fits(candidate)) {
        line = candidate;
        continue;
      }
      // A word that fits a line of its own goes to the next line; a longer one fills this line first.
      let head = line === '' ? '' : `${line} `;
      if (head !== '' && font.widthOfTextAtSize(word, size) <= width) {
        lines.push(line);
        head = '';
      }
      let rest = word;
      while (!fits(head + rest)) {
        const cut = breakPoint(rest, (s) => fits(head + s));
        if (cut === 0 && head !== '') {
          lines.push(head.trimEnd());
        } else {
          lines.push(head + rest.slice(0, Math.max(cut, 1)));
          rest = rest.slice(Math.max(cut, 1));
        }
        head = '';
      }
      line = head + rest;
    }
    lines.push(line);
  }
  return lines;
}

/** How many characters of `word` to put on this line (0 if not even one fits). */
function breakPoint(word: string, fits: (s: string) => boolean): number {
  let n = 0;
  while (n < word.length && fits(word.slice(0, n + 1))) n++;
  if (n === 0) return 0;
  const soft = Math.max(...['/', '#', '-', '_', '.', '?', '&', '=', ':'].map((c) => word.lastIndexOf(c, n - 1)));
  return soft >= n / 2 ? soft + 1 : n;
}

/** At most `max` lines, the last one ending with … when some were dropped. */
function clip(lines: string[], max: number, font: PDFFont, size: number, width: number): string[] {
  if (lines.length <= max) return lines;
  let last = lines[max - 1] ?? '';
  while (last.length > 0 && font.widthOfTextAtSize(`${last}…`, size) > width) last = last.slice(0, -1);
  return [...lines.slice(0, max - 1), `${last}…`];
}

const SUBSTITUTES: Record<string, string> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '–',
  '\u2015': '—',
  '\u2212': '-',
  '\u2032': '’',
  '\u2033': '"',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2194': '<->',
  '\u21d2': '=>',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2248': '~',
  '\u2116': 'No',
  '\u0142': 'l',
  '\u0141': 'L',
  '\u0111': 'd',
  '\u0110': 'D',
  '\u0131': 'i',
  '\u202f': NBSP,
  '\u2007': NBSP,
  '\u2060': '',
  '\u00ad': '',
};

/**
 * What Helvetica with WinAnsi can draw. Without it, one character from a member's input (a Greek
 * letter in a dataset title, an emoji in a reason) would make `drawText` throw and nobody could
 * print the contract.
 */
function sanitizerFor(font: PDFFont): (raw: string) => string {
  const drawable = new Set(font.getCharacterSet());
  const canDraw = (s: string) => [...s].every((c) => drawable.has(c.codePointAt(0) ?? 0));
  return (raw) => {
    let out = '';
    const text = raw
      .replace(/\r\n?/g, '\n')
      .replace(/\t/g, ' ')
      .normalize('NFC')
      // Zero-width joiners, variation selectors, BOM: invisible, so dropped (an emoji sequence then
      // becomes one `?` per pictograph, not a run of them).
      .replace(/[\u200b-\u200d\ufe00-\ufe0f\ufeff]/g, '');
    for (const char of text) {
      const cp = char.codePointAt(0) ?? 0;
      if (Object.hasOwn(SUBSTITUTES, char)) out += SUBSTITUTES[char];
      else if (char === '\n' || drawable.has(cp)) out += char;
      else if (/[\u2000-\u200a\u205f\u3000]/.test(char)) out += ' ';
      // Controls, bidi marks, stray combining accents: nothing to draw.
      else if (/\p{Cc}|\p{Cf}|\p{M}/u.test(char)) continue;
      else {
        // ő → o, ﬁ → fi, ² stays ²: the compatibility decomposition without its accents.
        const plain = char.normalize('NFKD').replace(/\p{M}/gu, '');
        out += plain !== '' && canDraw(plain) ? plain : '?';
      }
    }
    return out;
  };
}

function quote(text: string): string {
  return `«${NBSP}${text}${NBSP}»`;
}

function formatSiren(siren: string): string {
  const digits = siren.replace(/\s/g, '');
  return /^\d{9}$/.test(digits) ? digits.replace(/^(\d{3})(\d{3})(\d{3})$/, `$1${NBSP}$2${NBSP}$3`) : siren;
}

const longDate = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: TIME_ZONE });
const timeOfDay = new Intl.DateTimeFormat('fr-FR', { timeStyle: 'short', timeZone: TIME_ZONE });

/** « 1er mars 2025 »: the long French form, with the ordinal French uses for the first day. */
export function frenchDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return longDate
    .formatToParts(date)
    .map((p) => (p.type === 'day' && p.value === '1' ? '1er' : p.value))
    .join('');
}

/** « 1er mars 2025 à 11:05 » (Paris time). */
export function frenchDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${frenchDate(iso)} à ${timeOfDay.format(date)}`;
}

import { PageSizes, type PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';

/**
 * What the node's PDFs share (the agreement, the invoice): A4 pages drawn with the standard
 * Helvetica fonts (nothing to embed, nothing fetched), a cursor that wraps text and breaks pages,
 * the WinAnsi sanitiser those fonts need, and French dates. Those fonts only encode WinAnsi
 * (Windows-1252); French needs nothing beyond it (é è à ç œ « » ’ …), and any other character a
 * member typed (Greek, emoji, mathematical signs) is replaced by a near equivalent or `?` rather
 * than failing the whole document.
 */

/** Dates are those of the node's jurisdiction, whatever the server's TZ. */
export const TIME_ZONE = 'Europe/Paris';
export const NBSP = '\u00a0';

export const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A4;
export const MARGIN_X = 56;
export const MARGIN_TOP = 60;
export const MARGIN_BOTTOM = 40;
export const BODY = 10;
export const LEADING = 1.4;
export const FOOTER = 7.5;
export const INK = rgb(0.1, 0.1, 0.12);
export const ACCENT = rgb(0.07, 0.22, 0.45);
export const MUTED = rgb(0.35, 0.35, 0.4);

export interface Style {
  font?: PDFFont;
  size?: number;
  color?: RGB;
  /** Space before, in points. */
  before?: number;
  /** Space after, in points. */
  after?: number;
}

/** A cursor down the pages: wraps text to the width and starts a new page when the next line would not fit. */
/** A run of text drawn at `x` by `Layout.pieces`. */
export interface Piece {
  text: string;
  x: number;
  font?: PDFFont;
  color?: RGB;
}

export class Layout {
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

  newPage(): void {
    this.page = this.pdf.addPage(PageSizes.A4);
    this.y = PAGE_HEIGHT - MARGIN_TOP;
  }

  /** Starts a new page when `height` more would run into the footer. */
  private room(height: number): void {
    if (this.y - height < this.bottom) this.newPage();
  }

  /** Whether `height` more fits above the footer of this page. */
  fits(height: number): boolean {
    return this.y - height >= this.bottom;
  }

  /**
   * Keeps a block of `height` on one page: starts a new page when it does not fit on this one but
   * would on an empty one (a block taller than a page starts where it is and breaks between its
   * lines). Returns whether it started a page.
   */
  keep(height: number): boolean {
    if (this.fits(height) || height > PAGE_HEIGHT - MARGIN_TOP - this.bottom) return false;
    this.newPage();
    return true;
  }

  /**
   * One line of already sanitised pieces on the same baseline — the cells of a table row, a label
   * and its amount — on a new page when it does not fit on this one.
   */
  pieces(pieces: Piece[], size = BODY): void {
    this.room(size * LEADING);
    this.y -= size * LEADING;
    const y = this.y + size * 0.3;
    for (const p of pieces) {
      if (p.text !== '') this.page.drawText(p.text, { x: p.x, y, size, font: p.font ?? this.fonts.regular, color: p.color ?? INK });
    }
  }

  /** Moves the cursor `points` down (the next line breaks the page if it must). */
  skip(points: number): void {
    this.y -= points;
  }

  /** Draws at the cursor without moving it: a rule under a table row, a frame around a block. */
  decorate(draw: (page: PDFPage, y: number) => void): void {
    draw(this.page, this.y);
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
export function wrap(text: string, font: PDFFont, size: number, width: number, firstWidth = width): string[] {
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
export function clip(lines: string[], max: number, font: PDFFont, size: number, width: number): string[] {
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
export function sanitizerFor(font: PDFFont): (raw: string) => string {
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

export function quote(text: string): string {
  return `«${NBSP}${text}${NBSP}»`;
}

export function formatSiren(siren: string): string {
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

/**
 * The footer of every page: a rule, « Page N/M » on the right, and the given lines (identification,
 * then notice) from the left. `height` is what the document reserved for it above the bottom margin.
 */
export function drawFooters(pdf: PDFDocument, font: PDFFont, lines: readonly string[], height: number): void {
  const pages = pdf.getPages();
  pages.forEach((page, i) => {
    let y = MARGIN_BOTTOM + height - 4;
    page.drawLine({ start: { x: MARGIN_X, y: y + 4 }, end: { x: PAGE_WIDTH - MARGIN_X, y: y + 4 }, thickness: 0.5, color: MUTED });
    y -= FOOTER * LEADING;
    const label = `Page ${i + 1}/${pages.length}`;
    page.drawText(label, { x: PAGE_WIDTH - MARGIN_X - font.widthOfTextAtSize(label, FOOTER), y, size: FOOTER, font, color: MUTED });
    for (const line of lines) {
      page.drawText(line, { x: MARGIN_X, y, size: FOOTER, font, color: MUTED });
      y -= FOOTER * LEADING;
    }
  });
}

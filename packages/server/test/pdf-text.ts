import iconv from 'iconv-lite';
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream, StandardFonts, type PDFObject } from 'pdf-lib';
import { expect } from 'vitest';

/**
 * Reading back what the node's PDFs draw (`platform/pdf.ts`), as a viewer would: each text run
 * with its font, size and position, decoded from WinAnsi. Tests assert on that text and on where
 * it lies — inside the margins, above the footer, no run over another.
 */

export interface Run {
  font: 'regular' | 'bold' | 'italic';
  size: number;
  x: number;
  y: number;
  text: string;
}

const [A4_WIDTH, A4_HEIGHT] = [595.28, 841.89];
const MARGIN_X = 56;
const FOOTER_SIZE = 7.5;

export function pageRuns(pdf: PDFDocument): Run[][] {
  return pdf.getPages().map((page) => {
    const contents = page.node.Contents();
    const streams: (PDFObject | undefined)[] =
      contents instanceof PDFArray ? contents.asArray().map((ref) => pdf.context.lookup(ref)) : [contents];
    const operators = streams
      .map((s) => (s instanceof PDFRawStream ? Buffer.from(decodePDFRawStream(s).decode()).toString('latin1') : ''))
      .join('\n');
    const pattern = /\/Helvetica(-Bold|-Oblique)?-\d+ ([\d.]+) Tf\s+[\d.]+ TL\s+1 0 0 1 ([\d.-]+) ([\d.-]+) Tm\s+<([0-9A-Fa-f]*)> Tj/g;
    const runs = [...operators.matchAll(pattern)];
    // A text operator this pattern missed would make every check on the text vacuous.
    expect(runs.length).toBe(operators.match(/ Tj\b/g)?.length ?? 0);
    return runs.map(([, variant, size = '', x = '', y = '', hex = '']) => ({
      font: variant === '-Bold' ? 'bold' : variant === '-Oblique' ? 'italic' : 'regular',
      size: Number(size),
      x: Number(x),
      y: Number(y),
      text: iconv.decode(Buffer.from(hex, 'hex'), 'win1252'),
    }));
  });
}

/** The text of each page, one line per baseline, its runs (a label and its value, the cells of a row) joined by a space. */
export function pageTexts(pdf: PDFDocument): string[] {
  return pageRuns(pdf).map((runs) => {
    const lines: { y: number; text: string }[] = [];
    for (const run of runs) {
      const last = lines.find((l) => l.y === run.y);
      if (last) last.text += ` ${run.text}`;
      else lines.push({ y: run.y, text: run.text });
    }
    return lines.map((l) => l.text).join('\n');
  });
}

/** Spaces of every kind (the no-break ones of French numbers) as one plain space, lines joined. */
export function flat(text: string): string {
  return text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

/**
 * Every run inside the A4 margins, the body above the footer, and no two runs drawn over each
 * other (their boxes, from the font's widths, meet at most at an edge).
 */
export async function expectLaidOutOnThePage(pdf: PDFDocument): Promise<void> {
  const scratch = await PDFDocument.create();
  const fonts = {
    regular: await scratch.embedFont(StandardFonts.Helvetica),
    bold: await scratch.embedFont(StandardFonts.HelveticaBold),
    italic: await scratch.embedFont(StandardFonts.HelveticaOblique),
  };
  for (const runs of pageRuns(pdf)) {
    expect(runs.length).toBeGreaterThan(0);
    const footer = runs.filter((r) => r.size <= FOOTER_SIZE);
    const footerTop = Math.max(...footer.map((r) => r.y + r.size));
    const boxes = runs.map((run) => ({
      run,
      left: run.x,
      right: run.x + fonts[run.font].widthOfTextAtSize(run.text, run.size),
      // Helvetica's descenders and cap height, roughly.
      bottom: run.y - 0.2 * run.size,
      top: run.y + 0.75 * run.size,
    }));
    for (const box of boxes) {
      const { run } = box;
      expect(box.left, run.text).toBeGreaterThanOrEqual(MARGIN_X);
      expect(box.right, run.text).toBeLessThanOrEqual(A4_WIDTH - MARGIN_X + 0.01);
      expect(run.y, run.text).toBeGreaterThanOrEqual(40);
      expect(run.y + run.size, run.text).toBeLessThanOrEqual(A4_HEIGHT - MARGIN_X);
      if (run.size > FOOTER_SIZE) expect(run.y, run.text).toBeGreaterThan(footerTop);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const apart = a.right <= b.left + 0.01 || b.right <= a.left + 0.01 || a.top <= b.bottom + 0.01 || b.top <= a.bottom + 0.01;
        expect(apart, `« ${a.run.text} » over « ${b.run.text} »`).toBe(true);
      }
    }
  }
}

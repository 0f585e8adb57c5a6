/**
 * Content negotiation on a dataset URI (DESIGN.md: HTML for browsers, DCAT by content
 * negotiation). The route that uses it must answer with `Vary: Accept`, or a shared cache could
 * hand a harvester the HTML page cached for a browser.
 */

export type RepresentationFormat = 'html' | 'jsonld' | 'turtle';

export const MEDIA_TYPES: Record<RepresentationFormat, string> = {
  html: 'text/html; charset=utf-8',
  jsonld: 'application/ld+json; charset=utf-8',
  turtle: 'text/turtle; charset=utf-8',
};

/** In server preference order: on a tie (`*\/*`, `text/*`) the first wins, so a browser gets the page. */
const OFFERS: readonly { format: RepresentationFormat; types: readonly string[] }[] = [
  { format: 'html', types: ['text/html'] },
  // Plain JSON clients get JSON-LD: it is JSON, and the richest JSON we have.
  { format: 'jsonld', types: ['application/ld+json', 'application/json'] },
  { format: 'turtle', types: ['text/turtle', 'application/x-turtle'] },
];

interface Range {
  type: string;
  subtype: string;
  q: number;
  index: number;
}

function parseAccept(header: string): Range[] {
  const ranges: Range[] = [];
  header.split(',').forEach((part, index) => {
    const [mediaRange = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const match = /^([a-z0-9!#$&^_.+-]+|\*)\/([a-z0-9!#$&^_.+-]+|\*)$/.exec(mediaRange);
    if (!match || (match[1] === '*' && match[2] !== '*')) return;
    let q = 1;
    for (const p of params) {
      const [name, raw] = p.split('=').map((s) => s.trim());
      if (name !== 'q') continue;
      // RFC 9110 qvalue: 0 to 1 with at most three decimals; anything else makes the range unusable.
      q = raw !== undefined && /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(raw) ? Number(raw) : -1;
    }
    if (q >= 0) ranges.push({ type: match[1]!, subtype: match[2]!, q, index });
  });
  return ranges;
}

interface Score {
  q: number;
  specificity: number;
  index: number;
}

/** The most specific range that matches a type decides its quality (RFC 9110 §12.5.1). */
function score(ranges: readonly Range[], mediaType: string): Score | null {
  const [type, subtype] = mediaType.split('/');
  let best: Score | null = null;
  for (const r of ranges) {
    const specificity = r.type === '*' ? 0 : r.subtype === '*' ? 1 : 2;
    if (specificity >= 1 && r.type !== type) continue;
    if (specificity === 2 && r.subtype !== subtype) continue;
    if (!best || specificity > best.specificity || (specificity === best.specificity && r.index < best.index)) {
      best = { q: r.q, specificity, index: r.index };
    }
  }
  return best;
}

const better = (a: Score, b: Score) =>
  a.q !== b.q ? a.q > b.q : a.specificity !== b.specificity ? a.specificity > b.specificity : a.index < b.index;

/**
 * Picks the representation for an `Accept` header: the highest quality wins, then the more
 * specific range, then the one the client listed first, then the server's order. No header, or
 * nothing acceptable, gives the HTML page (what a person following the link expects).
 */
export function negotiate(accept: string | undefined | null): RepresentationFormat {
  if (!accept || !accept.trim()) return 'html';
  const ranges = parseAccept(accept);
  let chosen: { format: RepresentationFormat; score: Score } | null = null;
  for (const offer of OFFERS) {
    for (const type of offer.types) {
      const s = score(ranges, type);
      if (!s || s.q === 0) continue;
      if (!chosen || better(s, chosen.score)) chosen = { format: offer.format, score: s };
    }
  }
  return chosen?.format ?? 'html';
}

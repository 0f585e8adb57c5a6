/**
 * A small iCalendar (RFC 5545) writer: enough for events with a start, an end, a place and a link.
 * Written here rather than taken from a package because the format's hard parts are three rules —
 * CRLF line ends, folding at 75 octets (never inside a UTF-8 sequence), escaping of text values —
 * and each is tested table-driven in `ics.test.ts`.
 */

export interface IcsEvent {
  uid: string;
  /** When this representation was produced (DTSTAMP). */
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  description?: string | null;
  location?: string | null;
  url?: string | null;
  status?: 'CONFIRMED' | 'CANCELLED';
  /** Increases with each change, so calendars replace their copy (SEQUENCE). */
  sequence?: number;
  lastModified?: Date;
}

const MAX_OCTETS = 75;

/** TEXT values (§3.3.11): backslash, semicolon, comma and line breaks are escaped. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Folds a content line (§3.1): no line longer than 75 octets, continuation lines start with one
 * space (which counts in their 75). Cuts fall between characters, never inside a UTF-8 sequence,
 * so a calendar that does not unfold first still reads valid UTF-8.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_OCTETS;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = MAX_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** DATE-TIME in UTC form (§3.3.5, form 2): 20261213T083000Z. */
export function utcDateTime(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function property(name: string, value: string): string {
  return foldLine(`${name}:${value}`);
}

function eventLines(event: IcsEvent): string[] {
  const lines = [
    'BEGIN:VEVENT',
    property('UID', event.uid),
    property('DTSTAMP', utcDateTime(event.stamp)),
    property('DTSTART', utcDateTime(event.start)),
    property('DTEND', utcDateTime(event.end)),
    property('SUMMARY', escapeText(event.summary)),
  ];
  if (event.description) lines.push(property('DESCRIPTION', escapeText(event.description)));
  if (event.location) lines.push(property('LOCATION', escapeText(event.location)));
  // URL is a URI value, not TEXT: it is not escaped (a comma in a query stays a comma).
  if (event.url) lines.push(property('URL', event.url));
  if (event.status) lines.push(property('STATUS', event.status));
  if (event.sequence !== undefined) lines.push(property('SEQUENCE', String(event.sequence)));
  if (event.lastModified) lines.push(property('LAST-MODIFIED', utcDateTime(event.lastModified)));
  lines.push('END:VEVENT');
  return lines;
}

/** A VCALENDAR object with its events, CRLF after every line including the last. */
export function calendar(events: readonly IcsEvent[], options: { name?: string } = {}): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Confiance//Evenements du reseau//FR', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  if (options.name) lines.push(property('X-WR-CALNAME', escapeText(options.name)));
  for (const event of events) lines.push(...eventLines(event));
  lines.push('END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}

import { describe, expect, it } from 'vitest';
import { calendar, escapeText, foldLine, utcDateTime } from './ics';

/** Unfolding as RFC 5545 §3.1 says: remove every CRLF followed by one space or tab. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');
const octets = (line: string) => Buffer.byteLength(line, 'utf8');

describe('escapeText', () => {
  it.each([
    ['plain', 'Atelier Littoral 21', 'Atelier Littoral 21'],
    ['comma', 'Montpellier, Hérault', 'Montpellier\\, Hérault'],
    ['semicolon', 'salle A; salle B', 'salle A\\; salle B'],
    ['backslash first, so escapes are not escaped twice', 'C:\\dossier;x', 'C:\\\\dossier\\;x'],
    ['LF', 'ligne 1\nligne 2', 'ligne 1\\nligne 2'],
    ['CRLF as one line break', 'ligne 1\r\nligne 2', 'ligne 1\\nligne 2'],
    ['lone CR', 'a\rb', 'a\\nb'],
    ['colon and quotes stay', 'Note : « ouvert »', 'Note : « ouvert »'],
  ])('%s', (_name, input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });
});

describe('foldLine', () => {
  it.each([
    ['short ASCII line', 'SUMMARY:Atelier', 1],
    ['exactly 75 octets', `SUMMARY:${'a'.repeat(67)}`, 1],
    ['76 octets', `SUMMARY:${'a'.repeat(68)}`, 2],
    ['two-octet characters across the limit', `SUMMARY:${'é'.repeat(60)}`, 2],
    ['three-octet characters', `DESCRIPTION:${'€'.repeat(80)}`, 4],
    ['four-octet characters (emoji)', `SUMMARY:${'🌊'.repeat(40)}`, 3],
    ['mixed, long', `DESCRIPTION:${'Requalification de l’offre touristique du littoral — Hérault, Gard, Aude. '.repeat(6)}`, 7],
  ])('%s: lines of at most 75 octets, cut between characters, unfolding gives the line back', (_name, line, count) => {
    const folded = foldLine(line);
    const lines = folded.split('\r\n');
    expect(lines).toHaveLength(count);
    for (const [i, l] of lines.entries()) {
      expect(octets(l)).toBeLessThanOrEqual(75);
      if (i > 0) expect(l.startsWith(' ')).toBe(true);
      // A cut inside a UTF-8 sequence would leave a replacement character after a round trip.
      expect(Buffer.from(l, 'utf8').toString('utf8')).toBe(l);
      expect(l).not.toContain('\uFFFD');
    }
    expect(unfold(folded)).toBe(line);
  });

  it('fills lines up to the limit rather than cutting early', () => {
    const lines = foldLine(`X:${'a'.repeat(200)}`).split('\r\n');
    expect(lines.slice(0, -1).map(octets)).toEqual([75, 75]);
  });
});

describe('utcDateTime', () => {
  it.each([
    ['2026-12-13T08:30:00.000Z', '20261213T083000Z'],
    ['2026-03-29T01:00:00+02:00', '20260328T230000Z'],
    ['2027-01-01T00:00:00.999Z', '20270101T000000Z'],
  ])('%s → %s', (iso, expected) => {
    expect(utcDateTime(new Date(iso))).toBe(expected);
  });
});

describe('calendar', () => {
  const text = calendar(
    [
      {
        uid: 'abc@confiance.test',
        stamp: new Date('2026-11-29T09:00:00Z'),
        start: new Date('2026-12-13T08:30:00Z'),
        end: new Date('2026-12-13T12:00:00Z'),
        summary: 'Atelier Littoral 21, requalification',
        description: 'Première ligne\nDeuxième ligne; avec point-virgule',
        location: 'Montpellier, Hôtel de Région',
        url: 'http://confiance.test/evenements/abc?x=1,2',
        status: 'CONFIRMED',
      },
    ],
    { name: 'Confiance' },
  );

  it('ends every line with CRLF, the last one too, and has no bare LF', () => {
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('carries the required properties, times in UTC, text escaped, the URL as it is', () => {
    const lines = unfold(text).split('\r\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'BEGIN:VEVENT',
        'UID:abc@confiance.test',
        'DTSTAMP:20261129T090000Z',
        'DTSTART:20261213T083000Z',
        'DTEND:20261213T120000Z',
        'SUMMARY:Atelier Littoral 21\\, requalification',
        'DESCRIPTION:Première ligne\\nDeuxième ligne\\; avec point-virgule',
        'LOCATION:Montpellier\\, Hôtel de Région',
        'URL:http://confiance.test/evenements/abc?x=1,2',
        'END:VEVENT',
        'END:VCALENDAR',
      ]),
    );
    expect(lines.findIndex((l) => l.startsWith('PRODID:'))).toBeGreaterThan(0);
  });
});

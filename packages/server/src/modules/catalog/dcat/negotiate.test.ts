import { describe, expect, it } from 'vitest';
import { negotiate } from './negotiate';
import type { RepresentationFormat } from './negotiate';

const FIREFOX = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const CHROME =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';

describe('content negotiation on a dataset URI', () => {
  it.each<[string, string | undefined, RepresentationFormat]>([
    ['no Accept header (a link followed by hand)', undefined, 'html'],
    ['an empty header', '', 'html'],
    ['Firefox', FIREFOX, 'html'],
    ['Chrome', CHROME, 'html'],
    ['curl’s default', '*/*', 'html'],
    ['a harvester asking for Turtle', 'text/turtle', 'turtle'],
    ['the old Turtle media type', 'application/x-turtle', 'turtle'],
    ['a harvester asking for JSON-LD', 'application/ld+json', 'jsonld'],
    ['a plain JSON client', 'application/json', 'jsonld'],
    ['media types are case-insensitive', 'Text/Turtle', 'turtle'],
    ['parameters other than q are ignored', 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"', 'jsonld'],
    ['the higher quality wins', 'application/ld+json;q=0.5, text/turtle;q=0.9', 'turtle'],
    ['the client’s order breaks a tie', 'text/turtle, application/ld+json', 'turtle'],
    ['…in either order', 'application/ld+json, text/turtle', 'jsonld'],
    ['a specific type beats a wildcard at equal quality', '*/*, text/turtle', 'turtle'],
    ['a wildcard at higher quality beats a specific type', 'text/turtle;q=0.1, */*', 'html'],
    ['text/* prefers the page', 'text/*', 'html'],
    ['application/* means data', 'application/*', 'jsonld'],
    ['q=0 refuses a type', 'text/html;q=0, */*', 'jsonld'],
    ['q=0 on the exact type beats its wildcard', 'text/*, text/html;q=0', 'turtle'],
    ['RDF/XML, which we do not write, falls back to Turtle when allowed', 'application/rdf+xml, text/turtle;q=0.5', 'turtle'],
    ['nothing acceptable gives the page', 'image/png', 'html'],
    [
      'everything refused gives the page',
      'text/html;q=0, application/ld+json;q=0, application/json;q=0, text/turtle;q=0, application/x-turtle;q=0',
      'html',
    ],
    ['a malformed q value makes that range unusable', 'text/turtle;q=high, application/ld+json;q=0.2', 'jsonld'],
    ['garbage is ignored', 'nonsense, ;;, text/turtle', 'turtle'],
  ])('%s (%s) → %s', (_case, accept, expected) => {
    expect(negotiate(accept)).toBe(expected);
  });
});

import type { Quad } from 'n3';
import { NS, PREFIXES } from './vocabulary';

/**
 * JSON-LD written from the export's quads. The `@context` is embedded and holds prefixes only
 * (DESIGN.md: nothing is fetched at run time); every property and value is written in explicit
 * form (`{"@id"}`, `{"@value", "@language"}`, `{"@value", "@type"}`), so any JSON-LD 1.0 or 1.1
 * processor expands it to exactly the quads it came from, with no term definitions to interpret.
 */

export type JsonLdValue = string | { '@id': string } | { '@value': string; '@language': string } | { '@value': string; '@type': string };

export interface JsonLdNode {
  '@id': string;
  '@type'?: string | string[];
  [property: string]: JsonLdValue | JsonLdValue[] | string | string[] | undefined;
}

export interface JsonLdDocument {
  '@context': Record<string, string>;
  '@graph': JsonLdNode[];
}

export const JSONLD_CONTEXT: Readonly<Record<string, string>> = Object.freeze({ ...PREFIXES });

const XSD_STRING = `${NS.xsd}string`;
const RDF_TYPE = `${NS.rdf}type`;

const namespaces = Object.entries(PREFIXES).sort((a, b) => b[1].length - a[1].length);

/** `dct:title` for http://purl.org/dc/terms/title; an IRI outside the known namespaces stays absolute. */
export function compactIri(iri: string): string {
  for (const [prefix, ns] of namespaces) {
    // A local part with '/' or '#' could be misread by a processor, and an empty one is no term.
    if (iri.startsWith(ns) && iri.length > ns.length && !/[/#?]/.test(iri.slice(ns.length))) return `${prefix}:${iri.slice(ns.length)}`;
  }
  return iri;
}

function value(q: Quad): JsonLdValue {
  const o = q.object;
  if (o.termType === 'NamedNode') return { '@id': o.value };
  if (o.termType !== 'Literal') throw new Error(`unexpected ${o.termType} in the DCAT export`);
  if (o.language) return { '@value': o.value, '@language': o.language };
  if (o.datatype.value === XSD_STRING) return o.value;
  return { '@value': o.value, '@type': compactIri(o.datatype.value) };
}

export function quadsToJsonLd(quads: readonly Quad[]): JsonLdDocument {
  const nodes = new Map<string, JsonLdNode>();
  for (const q of quads) {
    if (q.subject.termType !== 'NamedNode') throw new Error(`unexpected ${q.subject.termType} subject in the DCAT export`);
    let node = nodes.get(q.subject.value);
    if (!node) nodes.set(q.subject.value, (node = { '@id': q.subject.value }));
    if (q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode') {
      const types = node['@type'];
      const t = compactIri(q.object.value);
      node['@type'] = types === undefined ? t : [...(Array.isArray(types) ? types : [types]), t];
      continue;
    }
    const key = compactIri(q.predicate.value);
    const v = value(q);
    const current = node[key] as JsonLdValue | JsonLdValue[] | undefined;
    node[key] = current === undefined ? v : [...(Array.isArray(current) ? current : [current]), v];
  }
  return { '@context': { ...JSONLD_CONTEXT }, '@graph': [...nodes.values()] };
}

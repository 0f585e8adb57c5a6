import type { Catalog, CatalogDataset } from '@confiance/contract';
import { catalogQuads, datasetQuads } from './graph';
import type { ExportOptions } from './graph';
import { quadsToJsonLd } from './jsonld';
import type { JsonLdDocument } from './jsonld';
import { quadsToTurtle } from './turtle';

/**
 * DCAT-AP 3.0.1 export of the catalog: JSON-LD (embedded context) and Turtle, both written from
 * the same quads. Drafts are left out of the catalog; deprecated and withdrawn datasets stay,
 * flagged with `adms:status`, so harvesters learn that they changed.
 */

export type { ExportOptions } from './graph';
export type { JsonLdDocument, JsonLdNode, JsonLdValue } from './jsonld';
export { catalogQuads, datasetQuads, isListed } from './graph';
export { JSONLD_CONTEXT, compactIri, quadsToJsonLd } from './jsonld';
export { quadsToTurtle } from './turtle';
export { PREFIXES } from './vocabulary';
export { negotiate, MEDIA_TYPES } from './negotiate';
export type { RepresentationFormat } from './negotiate';

export function catalogToJsonLd(catalog: Catalog, datasets: readonly CatalogDataset[], options: ExportOptions): JsonLdDocument {
  return quadsToJsonLd(catalogQuads(catalog, datasets, options));
}

export function catalogToTurtle(catalog: Catalog, datasets: readonly CatalogDataset[], options: ExportOptions): string {
  return quadsToTurtle(catalogQuads(catalog, datasets, options));
}

export function datasetToJsonLd(dataset: CatalogDataset, options: ExportOptions): JsonLdDocument {
  return quadsToJsonLd(datasetQuads(dataset, options));
}

export function datasetToTurtle(dataset: CatalogDataset, options: ExportOptions): string {
  return quadsToTurtle(datasetQuads(dataset, options));
}

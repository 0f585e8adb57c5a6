import { DataFactory } from 'n3';
import type { Quad } from 'n3';
import { describe, expect, it } from 'vitest';
import { catalogDatasetSchema } from '@confiance/contract';
import type { CatalogDataset, LocalizedText } from '@confiance/contract';
import { catalogQuads, catalogToTurtle, datasetToTurtle, quadsToTurtle } from '../src/modules/catalog/dcat';
import { demoCatalog, DEMO_BASE_URL, DEMO_DATASET_INPUTS } from './fixtures/dcat-ap/demo-catalog';
import { SHAPES, validate, violations, warnings, type Finding } from './shacl';

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const options = { baseUrl: DEMO_BASE_URL };

/**
 * The acceptance check: the DCAT-AP export of a demo-like catalog, as Turtle, run through
 * a real SHACL validator against the official DCAT-AP 3.0.1 shapes (copied in
 * `fixtures/dcat-ap/`, see its SOURCES.md). Negative cases prove the validator really runs.
 */

const { catalog, datasets } = demoCatalog();
const listed = datasets.filter((d) => d.status !== 'draft');
const catalogTurtle = catalogToTurtle(catalog, datasets, options);
const datasetUri = (d: CatalogDataset) => `${DEMO_BASE_URL}/datasets/${d.slug}`;
const checksums = listed.flatMap((d) => d.distributions).filter((d) => d.checksumSha256 !== null).length;

describe('DCAT-AP 3.0.1 conformance of the catalog export', () => {
  it('exports a catalog like the demo node’s: 9 listed datasets of 9 publishers’ kinds, every access level and licence in use', () => {
    expect(listed).toHaveLength(9);
    expect(new Set(listed.map((d) => d.accessLevel))).toEqual(new Set(['open', 'members', 'restricted', 'aggregate_only']));
    expect(new Set(listed.map((d) => d.licence))).toEqual(new Set(['odbl-1.0', 'etalab-2.0', 'cc-by-nc-4.0']));
  });

  describe('against the release shapes (shacl/dcat-ap-SHACL.ttl)', () => {
    it('the catalog gives no result at all', async () => {
      expect(await validate(SHAPES.release, catalogTurtle)).toEqual([]);
    });

    it.each(listed.map((d) => [d.slug, d] as const))('the %s document gives no result', async (_slug, d) => {
      expect(await validate(SHAPES.release, datasetToTurtle(d, options))).toEqual([]);
    });
  });

  it('gives no result against the release range shapes (shacl/ranges.ttl)', async () => {
    expect(await validate(SHAPES.releaseRanges, catalogTurtle)).toEqual([]);
  });

  it('gives no violation against the specification’s mandatory and range shapes (html/shacl/shapes.ttl, range.ttl)', async () => {
    expect(await validate(SHAPES.mandatory, catalogTurtle)).toEqual([]);
  });

  it('gives only known warnings against the recommended shapes', async () => {
    const findings = await validate(SHAPES.recommended, catalogTurtle);
    expect(violations(findings)).toEqual([]);
    // Left as warnings on purpose: a distribution description is optional in the model; a
    // centroid would have to be computed from boundaries (a bbox centre is not one); an ongoing
    // GTFS feed has no end date.
    const paths = new Set(warnings(findings).map((f) => f.path));
    expect(paths).toEqual(
      new Set(['http://purl.org/dc/terms/description', 'http://www.w3.org/ns/dcat#centroid', 'http://www.w3.org/ns/dcat#endDate']),
    );
    for (const f of warnings(findings).filter((w) => w.path === 'http://purl.org/dc/terms/description')) {
      expect(f.focus).toContain('/distributions/');
    }
  });

  it('uses the EU controlled vocabularies: the only violations are the upstream SPDX namespace quirk', async () => {
    const findings = await validate(SHAPES.vocabularies, catalogTurtle);
    // mdr-vocabularies.shape.ttl wants https://spdx.org/rdf/terms… for the algorithm while DCAT-AP 3
    // and SPDX use http://spdx.org/rdf/terms# (see fixtures/dcat-ap/SOURCES.md).
    expect(violations(findings).map((f) => [f.path, f.message])).toEqual(
      Array.from({ length: checksums }, () => [
        'http://spdx.org/rdf/terms#algorithm',
        'Value does not have shape <http://data.europa.eu/r5r#ChecksumAlgorithmRestriction>',
      ]),
    );
    // Publishers are not EU corporate bodies, INSEE areas are not in the EU place table, and the
    // consortium's domains are themes outside the EU data-theme table: recommendations, by design.
    expect(new Set(warnings(findings).map((f) => f.path))).toEqual(
      new Set(['http://purl.org/dc/terms/publisher', 'http://purl.org/dc/terms/spatial', 'http://www.w3.org/ns/dcat#theme']),
    );
    const themeWarnings = warnings(findings).filter((f) => f.path === 'http://www.w3.org/ns/dcat#theme');
    expect(themeWarnings.length).toBe(listed.reduce((n, d) => n + d.domains.length, 0));
  });

  it('uses no deprecated URI', async () => {
    expect(violations(await validate(SHAPES.deprecated, catalogTurtle))).toEqual([]);
  });

  describe('when the export is broken on purpose, the validator says so', () => {
    const target = listed.find((d) => d.slug === 'meteo-montpellier-2023')!;
    const broken = (patch: Record<string, unknown>) =>
      catalogToTurtle(
        catalog,
        datasets.map((d) => (d === target ? ({ ...d, ...patch } as CatalogDataset) : d)),
        options,
      );
    /** The catalog's quads after `edit`, as Turtle: for breakage the model cannot express. */
    const edited = (edit: (q: Quad) => Quad[]) => quadsToTurtle(catalogQuads(catalog, datasets, options).flatMap(edit));
    const at = (findings: Finding[], predicate: string) =>
      violations(findings)
        .filter((f) => f.path === predicate)
        .map((f) => ({ focus: f.focus, component: f.component }));

    it('a dataset without a title', async () => {
      const findings = await validate(SHAPES.release, broken({ title: null as unknown as LocalizedText }));
      expect(at(findings, 'http://purl.org/dc/terms/title')).toEqual([
        { focus: datasetUri(target), component: 'sh:MinCountConstraintComponent' },
      ]);
      expect(violations(findings)).toHaveLength(1);
    });

    it('a dataset without a description', async () => {
      const findings = await validate(SHAPES.release, broken({ description: null as unknown as LocalizedText }));
      expect(at(findings, 'http://purl.org/dc/terms/description')).toEqual([
        { focus: datasetUri(target), component: 'sh:MinCountConstraintComponent' },
      ]);
      expect(violations(findings)).toHaveLength(1);
    });

    // The specification's shapes check date datatypes on catalogs and distributions; on datasets
    // and periods they say `sh:shape` (not a SHACL term) instead of `sh:node`, so no validator
    // checks those there (fixtures/dcat-ap/SOURCES.md). The model's own schema refuses them.
    it('a date written the French way, which the model refuses in the first place', async () => {
      const input = DEMO_DATASET_INPUTS.find((d) => d.slug === target.slug)!;
      const french = { ...input.distributions![0]!, issued: '31/12/2023' };
      expect(catalogDatasetSchema.safeParse({ ...input, distributions: [french] }).success).toBe(false);
      expect(catalogDatasetSchema.safeParse({ ...input, issued: '31/12/2023' }).success).toBe(false);
      const findings = await validate(
        SHAPES.mandatory,
        broken({ distributions: target.distributions.map((d) => ({ ...d, issued: '31/12/2023' })) }),
      );
      expect(violations(findings).map((f) => [f.focus, f.path, f.component])).toEqual([
        [`${datasetUri(target)}/distributions/csv`, 'http://purl.org/dc/terms/issued', 'sh:NodeConstraintComponent'],
      ]);
    });

    it('a date without its datatype', async () => {
      const catalogUri = `${DEMO_BASE_URL}/catalog`;
      const findings = await validate(
        SHAPES.mandatory,
        edited((q) =>
          q.subject.value === catalogUri && q.predicate.value === 'http://purl.org/dc/terms/modified'
            ? [DataFactory.quad(q.subject, q.predicate, DataFactory.literal(q.object.value))]
            : [q],
        ),
      );
      expect(violations(findings).map((f) => [f.focus, f.path, f.component])).toEqual([
        [catalogUri, 'http://purl.org/dc/terms/modified', 'sh:NodeConstraintComponent'],
      ]);
    });

    it('a distribution without an access URL', async () => {
      const distribution = `${datasetUri(target)}/distributions/csv`;
      const findings = await validate(
        SHAPES.release,
        edited((q) => (q.subject.value === distribution && q.predicate.value === 'http://www.w3.org/ns/dcat#accessURL' ? [] : [q])),
      );
      expect(violations(findings).map((f) => [f.focus, f.path, f.component])).toEqual([
        [distribution, 'http://www.w3.org/ns/dcat#accessURL', 'sh:MinCountConstraintComponent'],
      ]);
    });

    it('a licence that is not described as a licence document', async () => {
      const findings = await validate(
        SHAPES.release,
        edited((q) => (q.predicate.value === RDF_TYPE && q.object.value === 'http://purl.org/dc/terms/LicenseDocument' ? [] : [q])),
      );
      expect(new Set(violations(findings).map((f) => [f.path, f.component].join(' ')))).toEqual(
        new Set(['http://purl.org/dc/terms/license sh:ClassConstraintComponent']),
      );
    });
  });
});

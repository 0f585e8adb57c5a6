import fs from 'node:fs';
import path from 'node:path';
import { Parser, Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { expect } from 'vitest';

/**
 * A real SHACL validator (rdf-validate-shacl) and the official DCAT-AP 3.0.1 shapes, copied in
 * `fixtures/dcat-ap/` (see its SOURCES.md): what a harvester such as data.europa.eu checks.
 */

const SHAPES_DIR = path.resolve(import.meta.dirname, 'fixtures/dcat-ap/3.0.1');
const SH = 'http://www.w3.org/ns/shacl#';

function loadShapes(...files: string[]): Store {
  return new Store(files.flatMap((f) => new Parser().parse(fs.readFileSync(path.join(SHAPES_DIR, f), 'utf8'))));
}

export const SHAPES = {
  release: loadShapes('shacl/dcat-ap-SHACL.ttl'),
  releaseRanges: loadShapes('shacl/ranges.ttl'),
  mandatory: loadShapes('html/shacl/shapes.ttl', 'html/shacl/range.ttl'),
  recommended: loadShapes('html/shacl/shapes_recommended.ttl'),
  vocabularies: loadShapes('html/shacl/mdr-vocabularies.shape.ttl'),
  deprecated: loadShapes('html/shacl/deprecateduris.ttl'),
};

export interface Finding {
  severity: string;
  focus: string;
  path: string;
  component: string;
  shape: string;
  message: string;
}

export const short = (iri: string | undefined) => (iri ?? '').replace(SH, 'sh:');

/** Validates Turtle text, as a harvester would receive it; owl:imports are never fetched. */
export async function validate(shapes: Store, turtle: string): Promise<Finding[]> {
  const data = new Store(new Parser().parse(turtle));
  const validator = new SHACLValidator(shapes, { importGraph: () => new Store() });
  const report = await validator.validate(data);
  const findings = report.results.map((r) => ({
    severity: short(r.severity?.value),
    focus: r.focusNode?.value ?? '',
    path: r.path?.value ?? '',
    component: short(r.sourceConstraintComponent?.value),
    shape: r.sourceShape?.termType === 'NamedNode' ? r.sourceShape.value : '',
    message: r.message.map((m) => m.value).join(' '),
  }));
  expect(report.conforms).toBe(findings.length === 0);
  return findings;
}

export const violations = (findings: Finding[]) => findings.filter((f) => f.severity === 'sh:Violation');
export const warnings = (findings: Finding[]) => findings.filter((f) => f.severity === 'sh:Warning');

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildInvoice, toCii } from '../src/modules/billing/einvoice/index';
import { CASES } from './einvoice-cases';
import {
  ALLOWED_WARNINGS,
  describeFindings,
  errorsOf,
  FIXTURES,
  type Finding,
  runSchematron,
  saxonMissing,
  validateXsd,
  vefaCases,
  type SchemaName,
  type StylesheetName,
  type XmlDocument,
} from './einvoicing';

/**
 * Conformance of the invoices `toCii` writes, table-driven from the official material in
 * fixtures/einvoicing/ (SOURCES.md): the CII D16B and Factur-X EN16931 XSDs, the EN 16931
 * Schematron (CEN), the Factur-X EN16931 profile Schematron and the French BR-FR rules. The same
 * run checks that the toolchain accepts the CEN examples, meets the CEN rule tests (vefa) and
 * rejects mutated invoices with the expected rule, so a broken validator cannot pass silently.
 * Saxon-HE (Java) is required, not optional: without it the file fails and says what to install.
 */

const read = (rel: string) => fs.readFileSync(path.join(FIXTURES, rel), 'utf8');

const CEN_EXAMPLES = ['CII_example1.xml', 'CII_example2.xml', 'CII_business_example_Z.xml'].map((name) => ({
  name: `cen-${name}`,
  xml: read(`en16931-cen/cii/examples/${name}`),
}));
/** A French invoice at the EN16931 profile (FNFE-MPE example style), from the factur-x library's tests. */
const FX_EXAMPLE = { name: 'fx-factur-x-en16931.xml', xml: read('factur-x-akretion/tests/fixtures/xml/factur-x-en16931.xml') };

const OURS = CASES.map((c) => ({ name: `ours-${c.name}.xml`, invoice: buildInvoice(c.input) })).map((c) => ({
  ...c,
  xml: toCii(c.invoice),
}));
const ours = (name: string) => OURS.find((c) => c.name === `ours-${name}.xml`)!.xml;

const VEFA = ['BR-CO-17.xml', 'BR-CO-15-2.xml'].flatMap((file) =>
  vefaCases(path.join(FIXTURES, 'en16931-cen/test/cii', file)).map((c, i) => ({
    ...c,
    name: `vefa-${file.replace('.xml', '')}-${i + 1}.xml`,
  })),
);

/** Each mutation must be caught by `stage` with `rule` among the errors. */
const MUTATIONS: { name: string; from: string; mutate: (xml: string) => string; stage: SchemaName | StylesheetName; rule: string }[] = [
  {
    name: 'cen-example1-grand-total-off',
    from: CEN_EXAMPLES[0]!.xml,
    mutate: (xml) =>
      xml.replace(/<ram:GrandTotalAmount>([\d.]+)</, (_, v: string) => `<ram:GrandTotalAmount>${(Number(v) + 1).toFixed(2)}<`),
    stage: 'en16931',
    rule: 'BR-CO-15',
  },
  {
    name: 'ours-vat-amount-off',
    from: ours('provider-under-mandate-to-company'),
    mutate: (xml) => xml.replace('<ram:CalculatedAmount>110.42<', '<ram:CalculatedAmount>112.42<'),
    stage: 'en16931',
    rule: 'BR-CO-17',
  },
  {
    name: 'ours-no-seller-vat-number',
    from: ours('association-to-public-body-chorus-pro'),
    mutate: (xml) =>
      xml.replace(/<ram:SpecifiedTaxRegistration>\s*<ram:ID schemeID="VA">FR90390123453<\/ram:ID>\s*<\/ram:SpecifiedTaxRegistration>/, ''),
    stage: 'en16931',
    rule: 'BR-S-02',
  },
  {
    name: 'ours-no-recovery-indemnity-note',
    from: ours('provider-under-mandate-to-company'),
    mutate: (xml) =>
      xml.replace(
        /<ram:IncludedNote>\s*<ram:Content>Indemnité forfaitaire[^<]*<\/ram:Content>\s*<ram:SubjectCode>PMT<\/ram:SubjectCode>\s*<\/ram:IncludedNote>/,
        '',
      ),
    stage: 'br-fr',
    rule: 'BR-FR-05_BT-22_PMT',
  },
  {
    name: 'ours-credit-note-without-reference',
    from: ours('credit-note'),
    mutate: (xml) => xml.replace(/<ram:InvoiceReferencedDocument>[\s\S]*<\/ram:InvoiceReferencedDocument>/, ''),
    stage: 'br-fr',
    rule: 'BR-FR-CO-05_BT-3',
  },
  {
    name: 'ours-document-before-context',
    from: ours('several-vat-rates-and-exempt'),
    mutate: (xml) => {
      const context = /\s*<rsm:ExchangedDocumentContext>[\s\S]*<\/rsm:ExchangedDocumentContext>/.exec(xml)![0];
      return xml.replace(context, '').replace('</rsm:ExchangedDocument>', `</rsm:ExchangedDocument>${context}`);
    },
    stage: 'factur-x-en16931',
    rule: 'ExchangedDocumentContext',
  },
  {
    name: 'ours-amount-not-a-number',
    from: ours('several-vat-rates-and-exempt'),
    mutate: (xml) => xml.replace(/<ram:GrandTotalAmount>[^<]+</, '<ram:GrandTotalAmount>mille<'),
    stage: 'cii-d16b',
    rule: 'GrandTotalAmount',
  },
];
const SCHEMA_STAGES = { 'cii-d16b': true, 'factur-x-en16931': true };
const MUTATED = MUTATIONS.map((m) => {
  const xml = m.mutate(m.from);
  if (xml === m.from) throw new Error(`mutation ${m.name} changed nothing`);
  return { ...m, name: `mutated-${m.name}.xml`, xml };
});

describe('EN 16931 e-invoices in CII D16B (Factur-X EN16931), validated offline', () => {
  const xsd = {} as Record<SchemaName, Map<string, string[]>>;
  let svrl: Record<StylesheetName, Map<string, Finding[]>>;

  beforeAll(async () => {
    const missing = saxonMissing();
    if (missing) throw new Error(`einvoice-conformance: Schematron cannot run (${missing}). npm test and .ci/run install it.`);
    const started = Date.now();
    const whole: XmlDocument[] = [...CEN_EXAMPLES, FX_EXAMPLE, ...OURS, ...MUTATED];
    // The Schematron stage comes after the XSD stage: an amount that is not a number stops the
    // CEN stylesheet outright, so documents built to fail the XSD stop there.
    const schemaValid = [...CEN_EXAMPLES, FX_EXAMPLE, ...OURS, ...MUTATED.filter((m) => !(m.stage in SCHEMA_STAGES))];
    const french = schemaValid.filter((d) => d === FX_EXAMPLE || d.name.startsWith('ours-') || d.name.startsWith('mutated-ours-'));
    const [d16b, fx, cen, profile] = await Promise.all([
      validateXsd(whole, 'cii-d16b'),
      validateXsd(whole, 'factur-x-en16931'),
      runSchematron([...schemaValid, ...VEFA], ['en16931']),
      runSchematron(french, ['factur-x', 'br-fr']),
    ]);
    xsd['cii-d16b'] = d16b;
    xsd['factur-x-en16931'] = fx;
    svrl = { ...cen, ...profile };
    console.info(
      `einvoice-conformance: ${whole.length + VEFA.length} documents through 2 XSDs and 3 Schematron stylesheets in ${Date.now() - started} ms`,
    );
  }, 180_000);

  describe('the toolchain on the official material', () => {
    it.each([...CEN_EXAMPLES, FX_EXAMPLE].map((d) => [d.name]))('%s is valid under both XSDs and breaks no EN 16931 rule', (name) => {
      expect(xsd['cii-d16b'].get(name)).toEqual([]);
      expect(xsd['factur-x-en16931'].get(name)).toEqual([]);
      expect(describeFindings(errorsOf(svrl.en16931.get(name)))).toEqual([]);
      // The rules did run: the CEN stylesheet reports every rule context it visited.
      expect(svrl.en16931.get(name)).toBeDefined();
    });

    it('the French example passes the Factur-X profile and BR-FR rules', () => {
      expect(describeFindings(errorsOf(svrl['factur-x'].get(FX_EXAMPLE.name)))).toEqual([]);
      expect(describeFindings(errorsOf(svrl['br-fr'].get(FX_EXAMPLE.name)))).toEqual([]);
    });

    it.each(VEFA.map((c) => [c.name, c.expect, c.rule, c.description]))('CEN rule test %s: %s on %s (%s)', (name, expected, rule) => {
      const failed = errorsOf(svrl.en16931.get(name)).some((f) => f.rules.includes(rule));
      expect(failed).toBe(expected === 'error');
    });

    it.each(MUTATED.map((m) => [m.name, m.stage, m.rule]))('%s is rejected by %s with %s', (name, stage, rule) => {
      if (stage === 'cii-d16b' || stage === 'factur-x-en16931') {
        const messages = xsd[stage].get(name) ?? [];
        expect(messages.some((m) => m.includes(rule))).toBe(true);
      } else {
        const errors = errorsOf(svrl[stage].get(name));
        expect(
          errors.some((f) => f.rules.includes(rule)),
          describeFindings(errors).join('\n'),
        ).toBe(true);
      }
    });
  });

  describe.each(OURS.map((c) => [c.name, c]))('the invoice %s', (name, c) => {
    it('is valid under the CII D16B and Factur-X EN16931 XSDs', () => {
      expect(xsd['cii-d16b'].get(name)).toEqual([]);
      expect(xsd['factur-x-en16931'].get(name)).toEqual([]);
    });

    it.each([['en16931'], ['factur-x'], ['br-fr']] as [StylesheetName][])('breaks no %s rule', (sheet) => {
      const findings = svrl[sheet].get(name) ?? [];
      expect(describeFindings(errorsOf(findings))).toEqual([]);
      expect(findings.filter((f) => !ALLOWED_WARNINGS.has(f.id)).map((f) => f.id)).toEqual([]);
    });

    it('carries the French mandatory notes (BR-FR-05) and its own totals', () => {
      const notes = [...c.xml.matchAll(/<ram:SubjectCode>([A-Z]+)<\/ram:SubjectCode>/g)].map((m) => m[1]);
      expect(notes).toEqual(expect.arrayContaining(['PMD', 'PMT', 'AAB']));
      expect(c.xml).toContain('40 €');
      expect(c.xml).toContain(`<ram:GrandTotalAmount>${(c.invoice.totals.grandTotalCents / 100).toFixed(2)}</ram:GrandTotalAmount>`);
      if (c.invoice.issuer.kind === 'mandatary')
        expect(c.xml).toMatch(/au nom et pour le compte de Données &amp; Territoires &lt;Occitanie&gt; SAS/);
      if (c.invoice.buyer.publicBody) {
        expect(c.xml).toContain('<ram:BuyerReference>DSI-DONNEES</ram:BuyerReference>');
        expect(c.xml).toMatch(/<ram:BuyerOrderReferencedDocument>\s*<ram:IssuerAssignedID>EJ-2026-004512</);
      }
      if (c.invoice.typeCode === '381') expect(c.xml).toMatch(/<ram:InvoiceReferencedDocument>\s*<ram:IssuerAssignedID>DT-2026-000042</);
    });
  });
});

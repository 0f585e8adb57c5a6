import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';

/**
 * The e-invoice validators the conformance test runs, all offline on the copies in
 * `fixtures/einvoicing/` (see its SOURCES.md):
 * - XSD: libxml2 compiled to WebAssembly (`xmllint-wasm`, an npm devDependency), on the
 *   UN/CEFACT CII D16B schema and on the Factur-X 1.09 EN16931 profile schema;
 * - Schematron: the published XSLT 2.0 compilations (EN 16931 CEN rules, Factur-X EN16931
 *   profile, French BR-FR rules) run by Saxon-HE on Java (Debian's `libsaxonhe-java`, which
 *   `npm test` and CI install), one JVM per stylesheet over a whole folder of invoices.
 */

export const FIXTURES = path.join(import.meta.dirname, 'fixtures/einvoicing');

const SCHEMAS = {
  /** UN/CEFACT Cross Industry Invoice D16B, "uncoupled" (code lists left to the Schematron). */
  'cii-d16b': {
    dir: path.join(FIXTURES, 'en16931-cen/cii/schema/D16B SCRDM (Subset)/uncoupled clm/CII/uncefact/data/standard'),
    main: 'CrossIndustryInvoice_100pD16B.xsd',
  },
  'factur-x-en16931': {
    dir: path.join(FIXTURES, 'france-rfe/FNFE_RFE_INVOICE/Factur-X/EN16931/1xsd'),
    main: 'Factur-X_EN16931.xsd',
  },
} as const;
export type SchemaName = keyof typeof SCHEMAS;

export const STYLESHEETS = {
  /** EN 16931 business rules bound to CII (CEN/TC 434, validation 1.3.16). */
  en16931: path.join(FIXTURES, 'en16931-cen/cii/xslt/EN16931-CII-validation.xslt'),
  /** Factur-X 1.09 EN16931 profile; reads FACTUR-X_EN16931_codedb.xml next to itself. */
  'factur-x': path.join(FIXTURES, 'france-rfe/FNFE_RFE_INVOICE/Factur-X/EN16931/2xslt/FACTUR-X_EN16931.xslt'),
  /** French CTC rules BR-FR (XP Z12-012 V1.4.0). */
  'br-fr': path.join(FIXTURES, 'france-rfe/FNFE_RFE_INVOICE/CII/EN16931/2xslt/BR-FR-Flux2-Schematron-CII.xslt'),
} as const;
export type StylesheetName = keyof typeof STYLESHEETS;

export interface XmlDocument {
  /** A plain file name, unique in the batch: `invoice-company.xml`. */
  name: string;
  xml: string;
}

/** XSD validation of every document at once; returns libxml2's messages per document name. */
export async function validateXsd(docs: XmlDocument[], schema: SchemaName): Promise<Map<string, string[]>> {
  const { dir, main } = SCHEMAS[schema];
  const load = (name: string): XMLFileInfo => ({ fileName: name, contents: fs.readFileSync(path.join(dir, name), 'utf8') });
  const result = await validateXML({
    xml: docs.map((d) => ({ fileName: d.name, contents: d.xml })),
    schema: load(main),
    preload: fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.xsd') && n !== main)
      .map(load),
  });
  const errors = new Map<string, string[]>(docs.map((d) => [d.name, []]));
  for (const e of result.errors) {
    const name = e.loc?.fileName ?? '?';
    const list = errors.get(name) ?? [];
    list.push(e.message);
    errors.set(name, list);
  }
  return errors;
}

export interface Finding {
  /** The assert's id: `BR-CO-15`, `BR-FR-05_BT-22_PMT`, `FX-SCH-A-000121`… */
  id: string;
  /** Rule ids quoted in the message, e.g. `[BR-CO-15]` in a Factur-X assert. */
  rules: string[];
  /** An error unless flagged `warning` (CEN flags `fatal`/`warning`; BR-FR and Factur-X leave most unflagged). */
  severity: 'error' | 'warning';
  location: string;
  text: string;
}

/** Why Saxon cannot run here, or null. Checked once; the tests fail with this message. */
export function saxonMissing(): string | null {
  if (spawnSync('java', ['-version']).status !== 0) {
    return 'no `java` command: install a Java runtime (apt-get install default-jre-headless)';
  }
  if (!fs.existsSync(saxonJar())) return `no Saxon-HE at ${saxonJar()}: apt-get install libsaxonhe-java (or set SAXON_JAR)`;
  return null;
}

function saxonJar(): string {
  return process.env.SAXON_JAR ?? '/usr/share/java/Saxon-HE.jar';
}

const run = promisify(execFile);

/**
 * Runs each stylesheet once over all the documents (one JVM per stylesheet, in parallel) and
 * returns the SVRL findings per stylesheet and document name.
 */
export async function runSchematron(
  docs: XmlDocument[],
  stylesheets: StylesheetName[],
): Promise<Record<StylesheetName, Map<string, Finding[]>>> {
  const missing = saxonMissing();
  if (missing) throw new Error(`Schematron validation cannot run: ${missing}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'confiance-einvoice-'));
  try {
    const input = path.join(work, 'in');
    fs.mkdirSync(input);
    for (const d of docs) fs.writeFileSync(path.join(input, d.name), d.xml);
    const out = {} as Record<StylesheetName, Map<string, Finding[]>>;
    await Promise.all(
      stylesheets.map(async (name) => {
        const output = path.join(work, name);
        fs.mkdirSync(output);
        // -s:folder transforms every file in it with one compilation of the stylesheet.
        // C1 only and the serial collector: about half the CPU for a JVM that lives a few seconds.
        await run(
          'java',
          ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', saxonJar(), `-s:${input}`, `-xsl:${STYLESHEETS[name]}`, `-o:${output}`],
          {
            timeout: 120_000,
            maxBuffer: 16 * 1024 * 1024,
          },
        );
        out[name] = new Map(docs.map((d) => [d.name, parseSvrl(fs.readFileSync(path.join(output, d.name), 'utf8'))]));
      }),
    );
    return out;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export function parseSvrl(svrl: string): Finding[] {
  if (!svrl.includes('schematron-output')) throw new Error('Not an SVRL report');
  const findings: Finding[] = [];
  const pattern = /<svrl:(failed-assert|successful-report)\b([^>]*)>([\s\S]*?)<\/svrl:\1>/g;
  for (const m of svrl.matchAll(pattern)) {
    const attrs = m[2] ?? '';
    const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
    const text = unescape(/<svrl:text>([\s\S]*?)<\/svrl:text>/.exec(m[3] ?? '')?.[1] ?? '').trim();
    const id = attr('id') ?? (m[1] === 'successful-report' ? 'report' : 'assert');
    findings.push({
      id,
      rules: [...new Set([id, ...[...text.matchAll(/\[(BR-[A-Z0-9-]+)\]/g)].map((r) => r[1] ?? '')])],
      severity: attr('flag') === 'warning' ? 'warning' : 'error',
      location: unescape(attr('location') ?? ''),
      text,
    });
  }
  return findings;
}

function unescape(s: string): string {
  return s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&apos;', "'").replaceAll('&amp;', '&');
}

/** The `<test>` cases of a vefa rule-test file: the embedded invoice and the rule it must pass or fail. */
export function vefaCases(file: string): { xml: string; rule: string; expect: 'success' | 'error'; description: string }[] {
  const source = fs.readFileSync(file, 'utf8');
  return [...source.matchAll(/<test>([\s\S]*?)<\/test>/g)].map((m, i) => {
    const body = m[1] ?? '';
    const expectation = /<(success|error)>([^<]+)<\/\1>/.exec(body);
    const invoice = /<rsm:CrossIndustryInvoice[\s\S]*<\/rsm:CrossIndustryInvoice>/.exec(body);
    if (!expectation || !invoice) throw new Error(`${path.basename(file)}: test ${i + 1} has no expectation or no invoice`);
    return {
      xml: `<?xml version="1.0" encoding="UTF-8"?>\n${invoice[0]}\n`,
      rule: (expectation[2] ?? '').trim(),
      expect: expectation[1] as 'success' | 'error',
      description: /<description>([\s\S]*?)<\/description>/.exec(body)?.[1]?.trim() ?? '',
    };
  });
}

/**
 * The Factur-X profile warns (PEPPOL-EN16931-R008) on the empty ApplicableHeaderTradeDelivery of
 * an invoice without a delivery date; the XSD requires the element and EN 16931 does not ask for
 * the date when a billing period is given.
 */
export const ALLOWED_WARNINGS = new Set(['FX-SCH-A-000372']);

export const errorsOf = (findings: Finding[] | undefined) => (findings ?? []).filter((f) => f.severity === 'error');
export const describeFindings = (findings: Finding[]) => findings.map((f) => `${f.id} at ${f.location}: ${f.text.replace(/\s+/g, ' ')}`);

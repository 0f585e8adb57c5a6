import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASES, company, provider } from '../../../../test/einvoice-cases';
import { amount, escapeXml, toCii } from './cii';
import { divRoundHalfUp, vatAmount } from '@confiance/contract';
import { buildInvoice, type InvoiceInput } from './model';

const valid = (): InvoiceInput => structuredClone(CASES[0]!.input);

describe('rounding (EN 16931 BR-CO-17: half up, to the cent)', () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [4n, 2n, 2n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [-1n, 3n, 0n],
    [-2n, 3n, -1n],
    [0n, 7n, 0n],
  ])('%d ÷ %d → %d', (n, d, q) => {
    expect(divRoundHalfUp(n, d)).toBe(q);
  });

  it.each([
    [125, 1000, 13], // 12.5 cents: half rounds up, not to even
    [1250, 550, 69], // 12.50 € at 5.5 % = 0.6875
    [-125, 1000, -13],
    [999_999, 2000, 200_000],
    [72_50, 1900, 13_78], // the CEN BR-CO-17 rule test: 72.50 at 19 % = 13.775 → 13.78
    [0, 2000, 0],
  ])('VAT on %d cents at %d bp is %d cents', (basis, rate, tax) => {
    expect(vatAmount(basis, rate)).toBe(tax);
  });
});

describe('line net amounts (BT-131 = quantity × price ÷ base quantity)', () => {
  it.each([
    ['1234567', 350_000, '1000', 43_210], // 432.09845 €
    ['0.5', 2_500_000, '1', 125],
    ['3', 33_333_333, '1', 10_000], // 99.999999 €
    ['-2', 1_000_000, '1', -200],
    ['0.0001', 5_000, '1', 0],
    ['1', 5_000, '1', 1], // 0.005 € rounds up to a cent
  ])('%s × %d µ€ per %s → %d cents', (quantity, unitPriceMicros, priceBaseQuantity, cents) => {
    const input = valid();
    input.lines = [{ name: 'Usage', quantity, unitCode: 'C62', unitPriceMicros, priceBaseQuantity, vat: { category: 'S', rateBp: 2000 } }];
    expect(buildInvoice(input).lines[0]!.netCents).toBe(cents);
  });
});

describe('totals (BT-106…BT-115) and the VAT breakdown (BG-23)', () => {
  const rates = [2000, 1000, 550, 210];
  const line = fc.record({
    quantity: fc.integer({ min: -50_000, max: 5_000_000 }).map((q) => (q / 10_000).toFixed(4)),
    unitPriceMicros: fc.integer({ min: 0, max: 10_000_000_000 }),
    vat: fc.oneof(
      fc.constantFrom(...rates).map((rateBp) => ({ category: 'S' as const, rateBp })),
      fc.constant({ category: 'E' as const, exemptionReason: 'Article 261-7-1° du CGI' }),
    ),
  });

  it('lines sum to the totals, VAT is computed once per rate, and due = total − paid', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 1_000_000 }), (lines, paidCents) => {
        const input = valid();
        input.lines = lines.map((l, i) => ({ ...l, name: `Ligne ${i + 1}`, unitCode: 'C62' }));
        input.paidCents = paidCents;
        const invoice = buildInvoice(input);
        const t = invoice.totals;
        const nets = invoice.lines.map((l) => l.netCents);
        expect(t.lineTotalCents).toBe(nets.reduce((a, b) => a + b, 0));
        expect(invoice.vatBreakdown.reduce((a, v) => a + v.basisCents, 0)).toBe(t.taxBasisTotalCents);
        for (const row of invoice.vatBreakdown) {
          const members = invoice.lines.filter(
            (l) => l.vat.category === row.category && (l.vat.category === 'E' || l.vat.rateBp === row.rateBp),
          );
          expect(row.basisCents).toBe(members.reduce((a, l) => a + l.netCents, 0));
          expect(row.taxCents).toBe(vatAmount(row.basisCents, row.rateBp));
        }
        expect(new Set(invoice.vatBreakdown.map((v) => `${v.category}${v.rateBp}`)).size).toBe(invoice.vatBreakdown.length);
        expect(t.taxTotalCents).toBe(invoice.vatBreakdown.reduce((a, v) => a + v.taxCents, 0));
        expect(t.grandTotalCents).toBe(t.taxBasisTotalCents + t.taxTotalCents);
        expect(t.duePayableCents).toBe(t.grandTotalCents - paidCents);
      }),
      { numRuns: 200 },
    );
  });

  it('puts the mandate mention first, then the three notes BR-FR-05 asks for', () => {
    const invoice = buildInvoice(valid());
    expect(invoice.notes.map((n) => n.subjectCode)).toEqual(['REG', 'PMD', 'PMT', 'AAB']);
    expect(invoice.notes[0]!.content).toContain(`au nom et pour le compte de ${provider.name}`);
    expect(invoice.notes[2]!.content).toContain('40 €');
  });

  it('cites the code de la commande publique, not the code de commerce, to a public buyer', () => {
    const toPublic = buildInvoice(CASES.find((c) => c.input.buyer.publicBody)!.input);
    expect(toPublic.notes.find((n) => n.subjectCode === 'PMD')!.content).toContain('R2192-31');
    expect(toPublic.notes.find((n) => n.subjectCode === 'PMT')!.content).toContain('40 €');
    expect(buildInvoice(valid()).notes.find((n) => n.subjectCode === 'PMD')!.content).toContain("trois fois le taux d'intérêt légal");
  });
});

describe('when the input is not an invoice a platform would accept', () => {
  const cases: [string, (i: InvoiceInput) => void, RegExp][] = [
    ['a credit note cites no invoice', (i) => ((i.typeCode = '381'), delete i.precedingInvoice), /BT-25/],
    ['the due date precedes the issue date', (i) => (i.dueDate = '2026-11-29'), /BT-9/],
    ['a date does not exist', (i) => (i.issueDate = '2026-02-30'), /BT-2/],
    ['the number has a space', (i) => (i.number = 'DT 42'), /BR-FR-01/],
    ['the number is longer than 35 characters', (i) => (i.number = 'X'.repeat(36)), /BR-FR-01/],
    ['the SIREN fails its key', (i) => (i.buyer = { ...company, siren: '777777771', siret: undefined }), /SIREN/],
    ['the SIRET is another company’s', (i) => (i.buyer = { ...company, siret: '81234567600017' }), /BR-FR-09/],
    ['the seller has no VAT number', (i) => (i.seller = { ...provider, vatId: undefined }), /BT-31/],
    ['there is no line', (i) => (i.lines = []), /BR-16/],
    ['a quantity has 5 decimals', (i) => (i.lines[0]!.quantity = '1.00001'), /BT-129/],
    ['a price is negative', (i) => (i.lines[0]!.unitPriceMicros = -1), /BR-27/],
    ['a price is not whole micro-euros', (i) => (i.lines[0]!.unitPriceMicros = 0.5), /BR-27/],
    ['a standard-rated line has a 0 % rate', (i) => (i.lines[0]!.vat = { category: 'S', rateBp: 0 }), /taux/],
    ['an exempt line gives no reason', (i) => (i.lines[0]!.vat = { category: 'E', exemptionReason: ' ' }), /BT-120/],
    [
      'two exempt lines give different reasons',
      (i) => {
        i.lines[0]!.vat = { category: 'E', exemptionReason: 'A' };
        i.lines[1]!.vat = { category: 'E', exemptionReason: 'B' };
      },
      /BT-120/,
    ],
    ['a second PMT note is added', (i) => (i.notes = [{ subjectCode: 'PMT', content: 'Autre' }]), /BR-FR-06/],
    ['two lines share an identifier', (i) => ((i.lines[0]!.id = 'A'), (i.lines[1]!.id = 'A')), /BT-126/],
    ['the billing period ends before it starts', (i) => (i.period = { start: '2026-11-30', end: '2026-11-01' }), /BG-14/],
  ];
  it.each(cases)('refuses it when %s', (_, mutate, message) => {
    const input = valid();
    mutate(input);
    expect(() => buildInvoice(input)).toThrow(message);
  });
});

describe('the CII writer', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [-5, '-0.05'],
    [123_456, '1234.56'],
    [-100, '-1.00'],
  ])('writes %d cents as %s', (cents, text) => {
    expect(amount(cents)).toBe(text);
  });

  it('escapes markup in text and attributes and refuses characters XML cannot carry', () => {
    expect(escapeXml('A & B <c> "d"', false)).toBe('A &amp; B &lt;c&gt; "d"');
    expect(escapeXml('"x"\n', true)).toBe('&quot;x&quot;&#10;');
    expect(() => escapeXml('bip\u0007', false)).toThrow(/interdit/);
  });

  it('writes the Factur-X EN16931 guideline, the four namespaces and the price with its base quantity', () => {
    const xml = toCii(buildInvoice(valid()));
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rsm:CrossIndustryInvoice /);
    for (const ns of ['rsm', 'ram', 'udt', 'qdt']) expect(xml).toContain(`xmlns:${ns}="urn:un:unece:uncefact:data:standard:`);
    expect(xml).toMatch(/<ram:GuidelineSpecifiedDocumentContextParameter>\s*<ram:ID>urn:cen.eu:en16931:2017<\/ram:ID>/);
    expect(xml).toMatch(/<ram:ChargeAmount>0.35<\/ram:ChargeAmount>\s*<ram:BasisQuantity unitCode="C62">1000<\/ram:BasisQuantity>/);
    expect(xml).toContain('<ram:Name>Données &amp; Territoires &lt;Occitanie&gt; SAS</ram:Name>');
  });
});

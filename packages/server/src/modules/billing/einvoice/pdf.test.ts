import { formatEuros, formatPercent } from '@confiance/contract';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { association, CASES, company, provider } from '../../../../test/einvoice-cases';
import { frenchDate } from '../../../platform/pdf';
import { expectLaidOutOnThePage, flat, pageRuns, pageTexts } from '../../../../test/pdf-text';
import { buildInvoice, type Invoice, type InvoiceInput, type InvoiceLineInput } from './model';
import { formatDecimal, formatMicros, invoicePdf, XML_NOTICE } from './pdf';

async function read(invoice: Invoice, options?: { title?: string }) {
  const bytes = await invoicePdf(invoice, options);
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const pages = pageTexts(pdf).map(flat);
  return { bytes, pdf, pages, text: pages.join(' ') };
}

const siren = (s: string) => s.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
const siret = (s: string) => s.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4');
const euros = (cents: number) => flat(formatEuros(cents));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each(CASES)('the PDF of $name', ({ input }) => {
  const invoice = buildInvoice(input);
  const kind = invoice.typeCode === '381' ? 'Avoir' : 'Facture';

  it('is an A4 PDF laid out inside its margins, nothing drawn over anything else', async () => {
    const { bytes, pdf } = await read(invoice);
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    for (const page of pdf.getPages()) {
      expect(page.getWidth()).toBeCloseTo(595.28, 1);
      expect(page.getHeight()).toBeCloseTo(841.89, 1);
    }
    await expectLaidOutOnThePage(pdf);
  });

  it('names the document, its number and its dates', async () => {
    const { text, pdf } = await read(invoice);
    expect(text).toContain(`${kind} n° ${invoice.number}`);
    expect(text).toContain(`Date d’émission : ${frenchDate(invoice.issueDate)}`);
    expect(text).toContain(`Date d’échéance : ${frenchDate(invoice.dueDate)}`);
    if (invoice.period) expect(text).toMatch(/Période de facturation : du 1er \S+ 2026 au 30 novembre 2026/);
    expect(pdf.getTitle()).toBe(`${kind} n° ${invoice.number} — ${invoice.seller.name}`);
    expect(pdf.catalog.get(pdf.context.obj('Lang'))?.toString()).toContain('fr-FR');
  });

  it('identifies both parties: name, address, SIREN, SIRET, VAT number, legal information', async () => {
    const { text } = await read(invoice);
    for (const party of [invoice.seller, invoice.buyer]) {
      expect(text).toContain(party.name);
      expect(text).toContain(party.address.line1);
      expect(text).toContain(`${party.address.postcode} ${party.address.city}`);
      if (party.siren) expect(text).toContain(`SIREN : ${siren(party.siren)}`);
      if (party.siret) expect(text).toContain(`SIRET : ${siret(party.siret)}`);
      if (party.vatId) expect(text).toContain(`N° TVA intracommunautaire : ${party.vatId}`);
    }
    if (invoice.seller.legalInfo) expect(text).toContain(invoice.seller.legalInfo);
  });

  it('lists every line with its quantity, unit price, VAT rate and amount excluding tax', async () => {
    const { pdf, text } = await read(invoice);
    // The designations, read down their column (a long one wraps beside the figures of its row).
    const designations = flat(
      pageRuns(pdf)
        .flat()
        .filter((r) => r.x === 56)
        .map((r) => r.text)
        .join(' '),
    );
    for (const line of invoice.lines) {
      expect(designations).toContain(flat(line.name));
      const rate = line.vat.category === 'S' ? formatPercent(line.vat.rateBp) : 'Exonéré';
      const [quantity, ...figures] = [formatDecimal(line.quantity), formatMicros(line.unitPriceMicros), rate, formatEuros(line.netCents)];
      // The quantity, its unit when it has one (« mois », « jour »), the price, the rate, the amount.
      expect(text).toMatch(new RegExp(`${escape(flat(quantity!))}(?: \\S+)? ${figures.map((f) => escape(flat(f))).join(' ')}`));
    }
  });

  it('breaks VAT down per rate, and totals HT, TVA, TTC and the amount due', async () => {
    const { text } = await read(invoice);
    for (const row of invoice.vatBreakdown) {
      const label = row.category === 'S' ? `TVA à ${flat(formatPercent(row.rateBp))}` : 'Exonération de TVA';
      expect(text).toContain(`${label} ${euros(row.basisCents)} ${flat(formatPercent(row.rateBp))} ${euros(row.taxCents)}`);
      if (row.exemptionReason) expect(text).toContain(`Motif : ${row.exemptionReason} (${row.exemptionCode})`);
    }
    const t = invoice.totals;
    expect(text).toContain(`Total HT ${euros(t.taxBasisTotalCents)}`);
    expect(text).toContain(`Total TVA ${euros(t.taxTotalCents)}`);
    expect(text).toContain(`Total TTC ${euros(t.grandTotalCents)}`);
    const due = invoice.typeCode === '381' ? 'Net à déduire ou à rembourser' : 'Net à payer';
    expect(text).toContain(`${due} ${euros(t.duePayableCents)}`);
  });

  it('prints the payment terms and every note of the model, the legal ones included', async () => {
    const { text } = await read(invoice);
    expect(text).toContain(invoice.paymentTerms);
    expect(text).toContain(`IBAN ${input.payeeAccount!.iban}`);
    for (const note of invoice.notes) expect(text).toContain(flat(note.content));
    expect(text).toContain('40 €');
  });

  it('says on every page that the CII XML accompanies the PDF and prevails, with page N/M', async () => {
    const { pages } = await read(invoice);
    pages.forEach((page, i) => {
      expect(page).toContain(XML_NOTICE);
      expect(page).toContain(`Page ${i + 1}/${pages.length}`);
    });
  });

  it('draws the same bytes for the same invoice', async () => {
    expect(Buffer.from(await invoicePdf(invoice)).equals(Buffer.from(await invoicePdf(invoice)))).toBe(true);
  });
});

describe('what French invoices must show, in figures', () => {
  const byName = (name: string) => buildInvoice(CASES.find((c) => c.name === name)!.input);

  it('writes amounts, quantities and prices the French way', async () => {
    const { text } = await read(byName('provider-under-mandate-to-company'));
    expect(text).toContain('Lignes livrées — « Parcelles agricoles 2025 » 1 234 567 0,35 € 20 % 432,10 €');
    expect(text).toContain('pour 1 000');
    expect(text).toContain('Abonnement mensuel 1 mois 120,00 € 20 % 120,00 €');
    expect(text).toContain('TVA à 20 % 552,10 € 20 % 110,42 €');
    expect(text).toContain('Total TTC 662,52 €');
    expect(text).toContain('Net à payer 662,52 €');
    expect(text).toContain('SIREN : 812 345 676');
    expect(text).toContain('SIRET : 812 345 676 00017');
    const { text: publicText } = await read(byName('association-to-public-body-chorus-pro'));
    expect(publicText).toContain('Total TTC 2 248,14 €');
  });

  it('shows several VAT rates and an exempt line with its reason', async () => {
    const { text } = await read(byName('several-vat-rates-and-exempt'));
    expect(text).toContain('Accès aux jeux de données 3 33,333333 € 20 % 100,00 €');
    expect(text).toContain('Atelier de formation 0,5 jour 2,50 € 10 % 1,25 €');
    expect(text).toContain('Cotisation annuelle de membre 1 an 250,00 € Exonéré 250,00 €');
    expect(text).toContain('Service rendu aux membres, non lucratif');
    expect(text).toContain('TVA à 5,5 % 12,50 € 5,5 % 0,69 €');
    expect(text).toContain(
      'Exonération de TVA 250,00 € 0 % 0,00 € Motif : Exonération de TVA, article 261-7-1° du CGI (VATEX-FR-CGI261-7)',
    );
    expect(text).toContain('Référence acheteur : AGRO-ACHATS');
    expect(text).toContain('Informations complémentaires • Merci de rappeler le numéro de facture dans le libellé du virement.');
  });

  it('frames the billing-mandate mention in bold on the first page, above the parties', async () => {
    const invoice = byName('provider-under-mandate-to-company');
    const { pdf, pages } = await read(invoice);
    const mention =
      'Facture émise par Confiance Occitanie — association des données partagées (SIREN 390123453) au nom et pour le compte de ' +
      'Données & Territoires <Occitanie> SAS (SIREN 812345676), en vertu du mandat de facturation MF-2026-007.';
    expect(pages[0]).toContain(mention);
    expect(pages[0]!.indexOf(mention)).toBeLessThan(pages[0]!.indexOf('Vendeur'));
    const runs = pageRuns(pdf)[0]!.filter((r) => mention.includes(r.text) && r.text.length > 20);
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs) expect(r.font).toBe('bold');
    // Printed once, not again among the other notes.
    expect(pages.join(' ').split('mandat de facturation MF-2026-007').length).toBe(2);
  });

  it('has no mandate mention when the seller issues its own invoice', async () => {
    const { text } = await read(byName('association-to-public-body-chorus-pro'));
    expect(text).not.toContain('mandat de facturation');
    expect(text).not.toContain('au nom et pour le compte');
  });

  it('gives a public buyer its Chorus Pro service code, its engagement number and the public-procurement late-payment rules', async () => {
    const { text } = await read(byName('association-to-public-body-chorus-pro'));
    expect(text).toContain('Code service (Chorus Pro) : DSI-DONNEES');
    expect(text).toContain('N° d’engagement : EJ-2026-004512');
    expect(text).toContain('article R2192-31 du code de la commande publique');
    expect(text).toContain('40 € (article D2192-35 du code de la commande publique)');
  });

  it('titles a credit note « Avoir » and cites the invoice it corrects with its date', async () => {
    const { text, pdf } = await read(byName('credit-note'));
    expect(text).toMatch(/^Avoir n° DT-2026-000043 /);
    expect(text).toContain('Avoir sur la facture n° DT-2026-000042 du 30 novembre 2026');
    expect(text).not.toContain('Facture n° DT-2026-000043');
    expect(pdf.getTitle()).toBe('Avoir n° DT-2026-000043 — Données & Territoires <Occitanie> SAS');
  });

  it('shows a member discount as its own negative line (quantity −1), as the billing module issues it', async () => {
    const input = structuredClone(CASES[0]!.input);
    input.lines = [
      {
        name: 'Requêtes — Qualité de l’air',
        quantity: '120',
        unitCode: 'C62',
        unitPriceMicros: 500_000,
        vat: { category: 'S', rateBp: 2000 },
      },
      {
        name: 'Remise adhérent 10 % — Qualité de l’air',
        description: 'Remise de 10 % sur « Requêtes »',
        quantity: '-1',
        unitCode: 'C62',
        unitPriceMicros: 6_000_000,
        vat: { category: 'S', rateBp: 2000 },
      },
    ];
    const { text } = await read(buildInvoice(input));
    expect(text).toContain('Requêtes — Qualité de l’air 120 0,50 € 20 % 60,00 €');
    expect(text).toContain('Remise adhérent 10 % — Qualité de l’air -1 6,00 € 20 % -6,00 € Remise de 10 % sur « Requêtes »');
    expect(text).toContain('Total HT 54,00 € Total TVA 10,80 € Total TTC 64,80 €');
  });

  it('shows what was already paid and the rest as the amount due', async () => {
    const input = structuredClone(CASES[1]!.input);
    input.paidCents = 48_14;
    const { text } = await read(buildInvoice(input));
    expect(text).toContain('Total TTC 2 248,14 € Déjà réglé 48,14 € Net à payer 2 200,00 €');
  });

  it('prints the title it is given under the number, and in the document title', async () => {
    const { text, pdf } = await read(byName('association-to-public-body-chorus-pro'), { title: 'Frais de service — novembre 2026' });
    expect(text).toMatch(/^Facture n° ASSO-2026-0113 Frais de service — novembre 2026 /);
    expect(pdf.getTitle()).toBe('Facture n° ASSO-2026-0113 — Frais de service — novembre 2026');
  });
});

describe('a 60-line invoice', () => {
  const lines: InvoiceLineInput[] = Array.from({ length: 60 }, (_, i) => ({
    name: `Prestation ${String(i + 1).padStart(3, '0')} : ${'requêtes sur le jeu de données des parcelles '.repeat(i % 4)}`,
    description: i % 3 === 0 ? `Détail de la prestation ${i + 1}, sous le contrat CTR-2026-0007` : undefined,
    quantity: String(i + 1),
    unitCode: 'C62',
    unitPriceMicros: 1_500_000 + i * 10_000,
    vat: { category: 'S', rateBp: i % 2 === 0 ? 2000 : 550 },
  }));
  const invoice = buildInvoice({ ...CASES[0]!.input, lines });

  it('runs onto several pages, every line once, inside the margins, the column titles on each page of the table', async () => {
    const { pdf, pages, text } = await read(invoice);
    expect(pages.length).toBeGreaterThan(2);
    await expectLaidOutOnThePage(pdf);
    for (let i = 1; i <= 60; i++) {
      const name = `Prestation ${String(i).padStart(3, '0')} :`;
      expect(text.split(name).length - 1, name).toBe(1);
    }
    for (const line of invoice.lines) expect(text).toContain(euros(line.netCents));
    const withLines = pages.filter((p) => p.includes('Prestation '));
    expect(withLines.length).toBeGreaterThan(1);
    for (const page of withLines) expect(page).toContain('Désignation Quantité Prix unitaire HT TVA Montant HT');
    pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1}/${pages.length}`));
    expect(text).toContain(`Net à payer ${euros(invoice.totals.duePayableCents)}`);
  });

  it('keeps each line whole on one page', async () => {
    const { pages } = await read(invoice);
    for (let i = 0; i < 60; i += 3) {
      const detail = `Détail de la prestation ${i + 1},`;
      const page = pages.find((p) => p.includes(`Prestation ${String(i + 1).padStart(3, '0')} :`));
      expect(page, detail).toContain(detail);
    }
  });
});

describe('long and unusual text', () => {
  const base = (): InvoiceInput => structuredClone(CASES[2]!.input);

  it('wraps a very long party name, a word longer than a column and a long line name without overlap', async () => {
    const input = base();
    input.seller = { ...association, name: `Association ${'des producteurs de données agricoles et territoriales '.repeat(6)}` };
    input.buyer = { ...company, name: `Agro${'x'.repeat(150)}`, address: { ...company.address, line1: 'y'.repeat(120) } };
    input.lines[0]!.name = `Accès ${'aux jeux de données très détaillés '.repeat(12)}`;
    input.lines[1]!.name = 'z'.repeat(90);
    const { pdf, pages } = await read(buildInvoice(input));
    await expectLaidOutOnThePage(pdf);
    // The footer keeps to two lines for the number and seller, the name being whole in the body.
    const footer = pageRuns(pdf)[0]!.filter((r) => r.size <= 7.5 && !r.text.startsWith('Page '));
    expect(footer.map((r) => r.text)).toEqual([
      expect.stringMatching(/^Facture n° ASSO-2026-0114 du 1er décembre 2026 — Association des/),
      expect.stringMatching(/…$/),
      XML_NOTICE,
    ]);
    expect(flat(pages[0]!)).toContain('Association des producteurs de données agricoles et territoriales des producteurs');
    const cut = pageRuns(pdf)
      .flat()
      .filter((r) => /^z+$/.test(r.text));
    expect(cut.length).toBeGreaterThan(1);
    expect(cut.map((r) => r.text).join('')).toBe('z'.repeat(90));
  });

  it('replaces characters WinAnsi cannot encode in a party name instead of failing', async () => {
    const input = base();
    input.buyer = { ...company, name: 'Société Ωmega 🚀 Łódź 空気 — « données »' };
    input.seller = { ...provider, tradingName: 'PM₂,₅ ≤ 10' };
    input.issuer = { kind: 'seller' };
    const bytes = await invoicePdf(buildInvoice(input));
    const pdf = await PDFDocument.load(bytes);
    const text = flat(pageTexts(pdf).join('\n'));
    expect(text).toContain('Société ?mega ? Lódz ?? — « données »');
    expect(text).toContain('Nom commercial : PM2,5 <= 10');
    expect(pdf.getSubject()).toContain('Société Ωmega'); // metadata is UTF-16: nothing lost there
  });
});

describe('French number formats', () => {
  it.each([
    ['1', '1'],
    ['1234567', '1\u202f234\u202f567'],
    ['0.5000', '0,5'],
    ['-2.25', '-2,25'],
    ['1000.0001', '1\u202f000,0001'],
  ])('quantity %s → %s', (value, text) => {
    expect(formatDecimal(value)).toBe(text);
  });

  it.each([
    [350_000, '0,35\u00a0€'],
    [33_333_333, '33,333333\u00a0€'],
    [1_500_000, '1,50\u00a0€'],
    [1_234, '0,001234\u00a0€'],
    [1_234_567_890_000, '1\u202f234\u202f567,89\u00a0€'],
    [0, '0,00\u00a0€'],
  ])('unit price of %d µ€ → %s', (micros, text) => {
    expect(formatMicros(micros)).toBe(text);
  });
});

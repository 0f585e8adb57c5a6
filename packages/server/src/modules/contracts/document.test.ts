import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { pageRuns } from '../../../test/pdf-text';
import { type AgreementDocument, type AgreementRule, agreementPdf, frenchDate } from './document';

const digest = 'a3f1c0de9b7e44a2d1c6f0e8b5a4c3d2e1f00112233445566778899aabbccddee';

function agreement(overrides: Partial<AgreementDocument> = {}): AgreementDocument {
  return {
    uid: 'https://confiance.test/contrats/0193b7e2-8c41-7d3e-a1f2-3c4d5e6f7a8b',
    version: 2,
    state: 'en vigueur',
    provider: {
      name: 'Atmo Occitanie',
      legalName: 'Association Atmo Occitanie',
      siren: '383508930',
      address: '10 rue des Trois Journées, 31000 Toulouse',
    },
    consumer: { name: 'CHU de Toulouse', legalName: 'Centre hospitalier universitaire de Toulouse', siren: null, address: null },
    project: { title: 'Pollution et asthme de l’enfant', partners: ['Inserm', 'Université Toulouse III – Paul Sabatier'] },
    dataset: { title: 'Qualité de l’air — mesures horaires', uri: 'https://confiance.test/jeux/qualite-air-horaire' },
    offer: { title: 'Recherche académique', version: 3 },
    purposeLabel: 'Recherche scientifique en santé publique',
    validFrom: '2025-03-01T00:00:00+01:00',
    validUntil: '2026-02-28T23:00:00Z',
    rules: [
      {
        kind: 'permission',
        actionLabel: 'Utiliser les données',
        constraints: ['pour la finalité « recherche »'],
        duties: ['citer la source'],
      },
      { kind: 'prohibition', actionLabel: 'Réidentifier des personnes', constraints: [], duties: [] },
      { kind: 'obligation', actionLabel: 'Supprimer les données à l’échéance', constraints: [], duties: [] },
    ],
    conditions: 'Agrégation par commune exigée ; aucune cellule de moins de 11 élèves.\nRapport annuel à la commission.',
    acceptances: [
      { party: 'Association Atmo Occitanie', by: 'Élodie Garçon', at: '2025-02-20T09:30:00Z' },
      { party: 'Centre hospitalier universitaire de Toulouse', by: 'François Lœuvre', at: '2025-02-21T14:00:00Z' },
    ],
    jwsDigest: digest,
    events: [
      { at: '2025-02-19T08:00:00Z', label: 'Demande déposée par le bénéficiaire' },
      { at: '2025-02-20T09:30:00Z', label: 'Approuvée avec conditions par la commission d’éthique' },
    ],
    ...overrides,
  };
}

/** The text of each page, the pieces drawn on one baseline (a label and its value, a bullet and its item) joined. */
function pageTexts(pdf: PDFDocument): string[] {
  return pageRuns(pdf).map((runs) => {
    const lines: { y: number; text: string }[] = [];
    for (const run of runs) {
      const last = lines.at(-1);
      if (last?.y === run.y) last.text += run.text;
      else lines.push({ y: run.y, text: run.text });
    }
    return lines.map((l) => l.text).join('\n');
  });
}

/** Every run inside the A4 margins, and the body (9 pt and more) above the footer (7.5 pt). */
async function expectLaidOutOnThePage(pdf: PDFDocument): Promise<void> {
  const scratch = await PDFDocument.create();
  const fonts = {
    regular: await scratch.embedFont(StandardFonts.Helvetica),
    bold: await scratch.embedFont(StandardFonts.HelveticaBold),
    italic: await scratch.embedFont(StandardFonts.HelveticaOblique),
  };
  for (const runs of pageRuns(pdf)) {
    expect(runs.length).toBeGreaterThan(0);
    const footerTop = Math.max(...runs.filter((r) => r.size < 9).map((r) => r.y + r.size));
    for (const run of runs) {
      const width = fonts[run.font].widthOfTextAtSize(run.text, run.size);
      expect(run.x, run.text).toBeGreaterThanOrEqual(56);
      expect(run.x + width, run.text).toBeLessThanOrEqual(595.28 - 56 + 0.01);
      expect(run.y, run.text).toBeGreaterThanOrEqual(40);
      expect(run.y + run.size, run.text).toBeLessThanOrEqual(841.89 - 56);
      if (run.size >= 9) expect(run.y, run.text).toBeGreaterThan(footerTop);
    }
  }
}

const flat = (text: string) => text.replace(/\u00a0/g, ' ');

describe('the agreement PDF', () => {
  let bytes: Uint8Array;
  let pdf: PDFDocument;
  let text: string;

  beforeAll(async () => {
    bytes = await agreementPdf(agreement(), { generatedAt: new Date('2025-03-02T10:00:00Z') });
    pdf = await PDFDocument.load(bytes, { updateMetadata: false });
    text = flat(pageTexts(pdf).join('\n'));
  });

  it('is a PDF that parses back, on A4 pages', async () => {
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
    for (const page of pdf.getPages()) {
      expect(page.getWidth()).toBeCloseTo(595.28, 1);
      expect(page.getHeight()).toBeCloseTo(841.89, 1);
    }
    await expectLaidOutOnThePage(pdf);
  });

  it('carries a title, authors, a creation date and the French language', () => {
    expect(pdf.getTitle()).toBe('Contrat d’accès aux données — Qualité de l’air — mesures horaires');
    expect(pdf.getAuthor()).toBe('Association Atmo Occitanie ; Centre hospitalier universitaire de Toulouse');
    expect(pdf.getCreationDate()?.toISOString()).toBe('2025-03-02T10:00:00.000Z');
    expect(pdf.getCreator()).toBe('Confiance');
    expect(pdf.catalog.get(pdf.context.obj('Lang'))?.toString()).toContain('fr-FR');
  });

  it('keeps French accents, ligatures, apostrophes and guillemets', () => {
    expect(text).toContain('Contrat d’accès aux données');
    expect(text).toContain('état : « en vigueur »');
    expect(text).toContain('François Lœuvre');
    expect(text).toContain('Élodie Garçon');
    expect(text).toContain('pour la finalité « recherche »');
  });

  it('names both parties with their identifiers, and the project with its partners', () => {
    expect(text).toContain('Association Atmo Occitanie (Atmo Occitanie)');
    expect(text).toContain('SIREN : 383 508 930');
    expect(text).toContain('Adresse : 10 rue des Trois Journées, 31000 Toulouse');
    expect(text).toContain('Centre hospitalier universitaire de Toulouse (CHU de Toulouse)');
    expect(text).toContain('SIREN : non renseigné');
    expect(text.replace(/\s+/g, ' ')).toContain(
      'projet « Pollution et asthme de l’enfant », avec les partenaires : Inserm, Université Toulouse III – Paul Sabatier.',
    );
  });

  it('states the object, the purpose and the duration in long French dates', () => {
    expect(text).toContain('Jeu de données : Qualité de l’air — mesures horaires');
    expect(text).toContain('Référence : https://confiance.test/jeux/qualite-air-horaire');
    expect(text).toContain('Offre : Recherche académique (version 3)');
    expect(text).toContain('Recherche scientifique en santé publique');
    expect(text).toContain('Du 1er mars 2025 au 1er mars 2026, sauf suspension ou résiliation anticipée.');
  });

  it('sorts the rules under « Ce qui est permis », « Ce qui est interdit » and « Obligations »', () => {
    const permitted = text.indexOf('Ce qui est permis');
    const forbidden = text.indexOf('Ce qui est interdit');
    const obligations = text.indexOf('Obligations');
    expect(permitted).toBeGreaterThan(-1);
    expect(permitted).toBeLessThan(text.indexOf('Utiliser les données'));
    expect(text.indexOf('Utiliser les données')).toBeLessThan(forbidden);
    expect(forbidden).toBeLessThan(text.indexOf('Réidentifier des personnes'));
    expect(text.indexOf('Réidentifier des personnes')).toBeLessThan(obligations);
    expect(obligations).toBeLessThan(text.indexOf('Supprimer les données à l’échéance'));
    expect(text).toContain('à charge de : citer la source');
  });

  it('prints the ethics commission’s conditions, the acceptances and the history', () => {
    expect(text).toContain('Conditions de la commission d’éthique');
    expect(text).toContain('Agrégation par commune exigée ; aucune cellule de moins de 11 élèves.\nRapport annuel à la commission.');
    expect(text).toContain('Centre hospitalier universitaire de Toulouse : accepté par François Lœuvre le 21 février 2025 à 15:00');
    expect(text).toContain('19 février 2025 à 09:00 — Demande déposée par le bénéficiaire');
  });

  it('ends every page with the IRI, the version, page N/M and the JWS digest', () => {
    const pages = pageTexts(pdf).map(flat);
    pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1}/${pages.length}`);
      expect(page).toContain('Contrat https://confiance.test/contrats/0193b7e2-8c41-7d3e-a1f2-3c4d5e6f7a8b — version 2');
      expect(page).toContain(`Empreinte SHA-256 du JWS : ${digest}`);
    });
  });

  it('can be loaded, changed and saved again by a PDF library', async () => {
    const copy = await PDFDocument.load(bytes);
    copy.addPage();
    expect((await PDFDocument.load(await copy.save())).getPageCount()).toBe(pdf.getPageCount() + 1);
  });
});

describe('when there are no conditions, no project and nothing accepted yet', () => {
  it('leaves the conditions out and says what is missing', async () => {
    const pdf = await PDFDocument.load(await agreementPdf(agreement({ conditions: null, project: null, acceptances: [], rules: [] })));
    const text = flat(pageTexts(pdf).join('\n'));
    expect(text).not.toContain('Conditions de la commission');
    expect(text).not.toContain('agit pour le projet');
    expect(text).toContain('Aucune permission.');
    expect(text).toContain('Aucune acceptation enregistrée.');
  });
});

describe('a long agreement', () => {
  const rules: AgreementRule[] = Array.from({ length: 100 }, (_, i) => ({
    kind: (['permission', 'prohibition', 'obligation'] as const)[i % 3]!,
    actionLabel: `Règle n° ${i + 1} : ${'une action longuement décrite, '.repeat(4)}`,
    constraints: [`contrainte ${i + 1}`],
    duties: i % 5 === 0 ? [`devoir ${i + 1}`] : [],
  }));

  it('flows onto several pages, every line inside the page, no rule lost', async () => {
    const pdf = await PDFDocument.load(await agreementPdf(agreement({ rules })));
    expect(pdf.getPageCount()).toBeGreaterThan(2);
    await expectLaidOutOnThePage(pdf);
    const pages = pageTexts(pdf).map(flat);
    const text = pages.join('\n');
    for (let i = 1; i <= 100; i++) expect(text).toContain(`Règle n° ${i} :`);
    pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1}/${pages.length}`));
  });

  it('wraps a word longer than a line (an IRI) instead of running off the page', async () => {
    const uri = `https://confiance.test/jeux/${'segment-tres-long/'.repeat(20)}fin`;
    const pdf = await PDFDocument.load(await agreementPdf(agreement({ dataset: { title: 'Jeu', uri } })));
    await expectLaidOutOnThePage(pdf);
    const pages = pageTexts(pdf);
    const lines = pages.join('\n').split('\n');
    // Helvetica at 10 pt is at most ~10 pt a character: no line can hold 100.
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(130);
    expect(lines.join('')).toContain(uri);
  });
});

describe('when the agreement IRI is absurdly long', () => {
  it('keeps it whole in the body but clips the footer to three lines', async () => {
    const uid = `https://confiance.test/contrats/${'x'.repeat(600)}`;
    const pdf = await PDFDocument.load(await agreementPdf(agreement({ uid })));
    await expectLaidOutOnThePage(pdf);
    const footer = pageRuns(pdf)[0]!.filter((r) => r.size < 9 && !r.text.startsWith('Page '));
    expect(footer).toHaveLength(4);
    expect(footer[2]!.text).toMatch(/x…$/);
    expect(footer[3]!.text).toBe(`Empreinte SHA-256 du JWS : ${digest}`);
    expect(pageTexts(pdf)[0]!.replace(/\n/g, '')).toContain(uid);
  });
});

describe('characters WinAnsi cannot encode', () => {
  it('are replaced, not fatal: Greek, emoji, CJK, maths, narrow spaces', async () => {
    const bytes = await agreementPdf(
      agreement({
        dataset: { title: 'Indice α de pollution 🚀 👨‍👩‍👧 空気 — PM₂,₅ ≤ 10 µg/m³', uri: 'https://confiance.test/jeux/α' },
        purposeLabel: 'Étude\u202fd’impact\u2009: Kraków, Łódź, İzmir\u200b',
        conditions: 'Ligne\tavec tabulation\r\nligne suivante\u0007',
      }),
    );
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getTitle()).toContain('α'); // metadata is UTF-16: nothing lost there
    const text = flat(pageTexts(pdf).join('\n'));
    expect(text).toContain('Indice ? de pollution ? ??? ?? — PM2,5 <= 10 µg/m³');
    expect(text).toContain('Étude d’impact : Kraków, Lódz, Izmir');
    expect(text).toContain('Ligne avec tabulation\nligne suivante');
  });

  it('cannot come in through any field', async () => {
    const odd = '☃ Ω 𝔄';
    const party = { name: odd, legalName: odd, siren: odd, address: odd };
    const everywhere: AgreementDocument = {
      ...agreement(),
      uid: `urn:${odd}`,
      state: odd,
      provider: party,
      consumer: party,
      project: { title: odd, partners: [odd] },
      offer: { title: odd, version: 1 },
      rules: [{ kind: 'permission', actionLabel: odd, constraints: [odd], duties: [odd] }],
      acceptances: [{ party: odd, by: odd, at: 'pas une date' }],
      events: [{ at: '2025-01-01T00:00:00Z', label: odd }],
    };
    const pdf = await PDFDocument.load(await agreementPdf(everywhere));
    expect(flat(pageTexts(pdf).join('\n'))).toContain('accepté par ? ? A le pas une date');
  });
});

describe('frenchDate', () => {
  it('writes the long French form in Paris time, with « 1er »', () => {
    expect(frenchDate('2025-02-28T23:30:00Z')).toBe('1er mars 2025');
    expect(frenchDate('2025-07-14T10:00:00Z')).toBe('14 juillet 2025');
  });
});

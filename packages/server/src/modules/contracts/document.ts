import { PDFDocument, StandardFonts } from 'pdf-lib';
import {
  ACCENT,
  clip,
  drawFooters,
  formatSiren,
  FOOTER,
  frenchDate,
  frenchDateTime,
  Layout,
  LEADING,
  MARGIN_BOTTOM,
  MARGIN_X,
  MUTED,
  PAGE_WIDTH,
  quote,
  sanitizerFor,
  wrap,
} from '../../platform/pdf';

/**
 * The agreement as the parties read, print and file it: a French A4 PDF drawn with the standard
 * Helvetica fonts (nothing to embed, nothing fetched). Those fonts only encode WinAnsi
 * (Windows-1252); French needs nothing beyond it (é è à ç œ « » ’ …), and any other character a
 * member typed (Greek, emoji, mathematical signs) is replaced by a near equivalent or `?` rather
 * than failing the whole document.
 *
 * The JWS digest is printed on every page: the PDF itself is not signed, so a reader checks a
 * printout against the published signed agreement by comparing that digest.
 */

export interface AgreementDocument {
  /** The agreement IRI. */
  uid: string;
  version: number;
  /** French: « en vigueur », « suspendu », « résilié », « expiré ». */
  state: string;
  provider: AgreementParty;
  consumer: AgreementParty;
  project: { title: string; partners: string[] } | null;
  dataset: { title: string; uri: string };
  offer: { title: string; version: number };
  purposeLabel: string;
  /** ISO 8601. */
  validFrom: string;
  /** ISO 8601. */
  validUntil: string;
  rules: AgreementRule[];
  /** Set by the ethics commission. */
  conditions: string | null;
  acceptances: { party: string; by: string; at: string }[];
  /** SHA-256 hex of the JWS, printed so a reader can compare. */
  jwsDigest: string;
  /** History, in French. */
  events: { at: string; label: string }[];
}

export interface AgreementParty {
  name: string;
  legalName: string;
  siren: string | null;
  address: string | null;
}

export interface AgreementRule {
  kind: 'permission' | 'prohibition' | 'obligation';
  actionLabel: string;
  constraints: string[];
  duties: string[];
}

export { frenchDate, frenchDateTime } from '../../platform/pdf';

export const AGREEMENT_TITLE = 'Contrat d’accès aux données';

export async function agreementPdf(doc: AgreementDocument, options: { generatedAt?: Date } = {}): Promise<Uint8Array> {
  const generatedAt = options.generatedAt ?? new Date();
  const pdf = await PDFDocument.create();
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const italic = await pdf.embedFont(StandardFonts.HelveticaOblique);
  const text = sanitizerFor(regular);

  // Metadata strings are stored as UTF-16 by pdf-lib: no WinAnsi limit there.
  pdf.setTitle(`${AGREEMENT_TITLE} — ${doc.dataset.title}`, { showInWindowTitleBar: true });
  pdf.setAuthor(`${doc.provider.legalName} ; ${doc.consumer.legalName}`);
  pdf.setSubject(`${doc.purposeLabel} — ${doc.uid}, version ${doc.version}`);
  pdf.setKeywords([doc.uid, doc.dataset.uri, `SHA-256 JWS ${doc.jwsDigest}`]);
  pdf.setCreator('Confiance');
  pdf.setProducer('Confiance (pdf-lib)');
  pdf.setLanguage('fr-FR');
  pdf.setCreationDate(generatedAt);
  pdf.setModificationDate(generatedAt);

  const footerWidth = PAGE_WIDTH - 2 * MARGIN_X;
  const pageLabelWidth = regular.widthOfTextAtSize('Page 9999/9999', FOOTER) + 12;
  // An absurdly long IRI may not push the footer into the text: three lines at most, the whole IRI
  // is in the body anyway.
  const footerIdLines = clip(
    wrap(text(`Contrat ${doc.uid} — version ${doc.version}`), regular, FOOTER, footerWidth - pageLabelWidth),
    3,
    regular,
    FOOTER,
    footerWidth - pageLabelWidth,
  );
  const footerDigestLines = wrap(text(`Empreinte SHA-256 du JWS : ${doc.jwsDigest}`), regular, FOOTER, footerWidth);
  const footerLines = footerIdLines.length + footerDigestLines.length;
  const footerHeight = footerLines * FOOTER * LEADING + 10;

  const out = new Layout(pdf, text, { regular, bold, italic }, MARGIN_BOTTOM + footerHeight + 8);

  out.paragraph(AGREEMENT_TITLE, { font: bold, size: 19, color: ACCENT, after: 4 });
  out.paragraph(doc.dataset.title, { font: bold, size: 12.5, after: 4 });
  out.paragraph(`Version ${doc.version} — état : ${quote(doc.state)} — document édité le ${frenchDateTime(generatedAt.toISOString())}`, {
    size: 9,
    color: MUTED,
  });
  out.field('Identifiant : ', doc.uid, { size: 9, color: MUTED });
  out.rule();

  out.heading('Parties');
  party(out, 'Fournisseur des données', doc.provider);
  party(out, 'Bénéficiaire', doc.consumer);
  if (doc.project) {
    const partners = doc.project.partners.length > 0 ? `, avec les partenaires : ${doc.project.partners.join(', ')}` : '';
    out.paragraph(
      `Le bénéficiaire agit pour le projet ${quote(doc.project.title)}${partners}. Les personnes habilitées de chacun ` +
        'peuvent utiliser les données, dans la seule finalité du projet.',
      { before: 4 },
    );
  }

  out.heading('Objet');
  out.field('Jeu de données : ', doc.dataset.title);
  out.field('Référence : ', doc.dataset.uri, { size: 9, color: MUTED });
  out.field('Offre : ', `${doc.offer.title} (version ${doc.offer.version})`);

  out.heading('Finalité');
  out.paragraph(doc.purposeLabel);

  out.heading('Durée');
  out.paragraph(`Du ${frenchDate(doc.validFrom)} au ${frenchDate(doc.validUntil)}, sauf suspension ou résiliation anticipée.`);

  const sections: [AgreementRule['kind'], string, string][] = [
    ['permission', 'Ce qui est permis', 'Aucune permission.'],
    ['prohibition', 'Ce qui est interdit', 'Aucune interdiction particulière.'],
    ['obligation', 'Obligations', 'Aucune obligation particulière.'],
  ];
  for (const [kind, title, none] of sections) {
    out.heading(title);
    const rules = doc.rules.filter((r) => r.kind === kind);
    if (rules.length === 0) out.paragraph(none, { font: italic, color: MUTED });
    for (const r of rules) {
      out.bullet(r.actionLabel, 0, { font: bold });
      for (const c of r.constraints) out.bullet(c, 1);
      for (const d of r.duties) out.bullet(`à charge de : ${d}`, 1);
    }
  }

  if (doc.conditions !== null && doc.conditions.trim() !== '') {
    out.heading('Conditions de la commission d’éthique');
    out.paragraph(doc.conditions.trim());
  }

  out.heading('Acceptations');
  if (doc.acceptances.length === 0) out.paragraph('Aucune acceptation enregistrée.', { font: italic, color: MUTED });
  for (const a of doc.acceptances) out.bullet(`${a.party} : accepté par ${a.by} le ${frenchDateTime(a.at)}`, 0);

  out.heading('Historique');
  if (doc.events.length === 0) out.paragraph('Aucun évènement.', { font: italic, color: MUTED });
  for (const e of doc.events) out.bullet(`${frenchDateTime(e.at)} — ${e.label}`, 0);

  out.heading('Signature électronique');
  out.paragraph(
    'Cet accord est signé par la clé de contrat du nœud (JWS, algorithme EdDSA). L’empreinte SHA-256 du JWS, ' +
      'rappelée en pied de chaque page, permet de vérifier que ce document correspond à l’accord signé publié :',
  );
  out.paragraph(doc.jwsDigest, { font: regular, size: 9.5, before: 2 });

  drawFooters(pdf, regular, [...footerIdLines, ...footerDigestLines], footerHeight);

  return pdf.save();
}

function party(out: Layout, role: string, p: AgreementParty): void {
  out.paragraph(role, { size: 9, color: MUTED, before: 4 });
  out.paragraph(p.name && p.name !== p.legalName ? `${p.legalName} (${p.name})` : p.legalName, { font: out.fonts.bold });
  out.field('SIREN : ', p.siren ? formatSiren(p.siren) : 'non renseigné');
  if (p.address) out.field('Adresse : ', p.address);
}

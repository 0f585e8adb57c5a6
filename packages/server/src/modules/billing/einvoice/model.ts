/**
 * The EN 16931 invoice model the node writes as CII (`cii.ts`). Money is integer euro cents,
 * quantities are decimal strings with at most 4 places, unit prices integer micro-euros and VAT
 * rates integer basis points (2000 = 20 %), so every total is computed exactly; the only rounding
 * is the one EN 16931 prescribes (a line's net amount and each rate's VAT, half away from zero
 * to the cent, BR-CO-17). `buildInvoice` computes the lines, the VAT breakdown (BG-23) and the
 * totals (BT-106…BT-115) and refuses what a receiving platform would reject.
 *
 * BT-* / BG-* are the EN 16931-1 business terms; BR-* the EN 16931 rules, BR-FR-* the French
 * rules (XP Z12-012) that the conformance test runs on the XML. Rounding, VAT and identifiers are
 * the billing core's (`@confiance/contract`), the one place they are computed.
 */
import { divRoundHalfUp, isValidSiren, isValidSiret, vatAmount } from '@confiance/contract';

/** Integer euro cents. */
export type Cents = number;

export interface PostalAddress {
  line1: string; // BT-35 / BT-50
  line2?: string; // BT-36 / BT-51
  line3?: string; // BT-162 / BT-163
  postcode: string; // BT-38 / BT-53
  city: string; // BT-37 / BT-52
  /** ISO 3166-1 alpha-2 (BT-40 / BT-55). */
  countryCode: string;
}

/** An electronic address (BT-34 / BT-49) with its EAS scheme; `0225` is the French directory's. */
export interface ElectronicAddress {
  scheme: string;
  id: string;
}

export interface Party {
  name: string; // BT-27 / BT-44
  tradingName?: string; // BT-28 / BT-45
  /** SIREN, 9 digits (BT-30 / BT-47, scheme 0002). */
  siren?: string;
  /** SIRET, 14 digits starting with the SIREN (BT-29 / BT-46, scheme 0009). */
  siret?: string;
  /** Intra-community VAT number (BT-31 / BT-48). */
  vatId?: string;
  address: PostalAddress;
  /** Defaults to the SIREN in the French directory (scheme 0225), which BR-FR-12/13 require. */
  electronicAddress?: ElectronicAddress;
  contact?: { name?: string; phone?: string; email?: string }; // BT-41…43 / BT-56…58
}

export interface Seller extends Party {
  siren: string;
  /** Additional legal information (BT-33): legal form, share capital, RCS or RNA number. */
  legalInfo?: string;
}

export interface Buyer extends Party {
  /**
   * A public body receives its invoices through Chorus Pro: the service code travels as the
   * buyer reference (BT-10) and the engagement number as the purchase order (BT-13).
   */
  publicBody?: { serviceCode?: string; engagementNumber?: string };
}

/**
 * Who issues the invoice. A provider's invoices are issued by the association in the provider's
 * name and numbering sequence under a billing mandate (CGI art. 289 I-2); the association's
 * own fee and dues are issued in its own name.
 */
export type Issuer = { kind: 'seller' } | { kind: 'mandatary'; name: string; siren: string; mandateReference: string };

export type VatTreatment =
  /** Standard or reduced rate (category S), in basis points: 2000, 1000, 550, 210. */
  | { category: 'S'; rateBp: number }
  /** Exempt (category E, 0 %): the reason is mandatory (BR-E-10); the VATEX code is optional. */
  | { category: 'E'; exemptionReason: string; exemptionCode?: string };

export interface InvoiceLineInput {
  /** BT-126; defaults to the line's position. */
  id?: string;
  name: string; // BT-153
  description?: string; // BT-154
  note?: string; // BT-127
  /** BT-129, a decimal with at most 4 places; negative for a returned quantity. */
  quantity: string;
  /** BT-130, UN/ECE Recommendation 20: C62 (one), MON (month), E48 (service unit)… */
  unitCode: string;
  /** Net price (BT-146) in micro-euros (6 decimals, what BR-FR-DEC-03 allows), never negative (BR-27). */
  unitPriceMicros: number;
  /** Price base quantity (BT-149), e.g. "1000" for a price per 1,000 rows; default 1. */
  priceBaseQuantity?: string;
  vat: VatTreatment;
  period?: Period; // BT-134 / BT-135
}

/** ISO dates, `YYYY-MM-DD`. */
export interface Period {
  start: string;
  end: string;
}

/** The French legal mentions (code de commerce L441-9 and L441-10), as notes BR-FR-05 requires. */
export interface LegalNotes {
  /** Late-payment penalties (note subject PMD). */
  latePaymentPenalties: string;
  /** The €40 fixed recovery indemnity (note subject PMT). */
  recoveryIndemnity: string;
  /** Early-payment discount, or that there is none (note subject AAB). */
  earlyPaymentDiscount: string;
}

/** Between businesses: code de commerce L441-10 (at least three times the legal interest rate). */
export const DEFAULT_LEGAL_NOTES: LegalNotes = {
  latePaymentPenalties:
    "En cas de retard de paiement, des pénalités sont exigibles dès le lendemain de la date d'échéance, au taux de trois fois le taux d'intérêt légal.",
  recoveryIndemnity:
    'Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € (articles L441-10 et D441-5 du code de commerce).',
  earlyPaymentDiscount: "Pas d'escompte pour paiement anticipé.",
};

/** To a public buyer, late payment is governed by the code de la commande publique instead. */
export const PUBLIC_BUYER_LEGAL_NOTES: LegalNotes = {
  latePaymentPenalties:
    "En cas de retard de paiement, des intérêts moratoires courent dès le lendemain de la date d'échéance, au taux de la Banque centrale européenne majoré de huit points (article R2192-31 du code de la commande publique).",
  recoveryIndemnity:
    'Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € (article D2192-35 du code de la commande publique).',
  earlyPaymentDiscount: "Pas d'escompte pour paiement anticipé.",
};

export interface InvoiceInput {
  /** BT-1: unbroken sequence per issuer; at most 35 characters among A-Z a-z 0-9 + - _ / (BR-FR-01/02). */
  number: string;
  /** BT-3: 380 commercial invoice, 381 credit note. */
  typeCode: '380' | '381';
  issueDate: string; // BT-2
  /** BT-9; on or after the issue date (BR-FR-CO-07). */
  dueDate: string;
  /** A credit note cites the invoice it corrects (BT-25, BT-26; BR-FR-CO-05). */
  precedingInvoice?: { number: string; issueDate: string };
  seller: Seller;
  buyer: Buyer;
  issuer: Issuer;
  /** BT-10, for a company buyer that asks for one (a public buyer's comes from `publicBody`). */
  buyerReference?: string;
  /** BT-13, for a company buyer's purchase order. */
  purchaseOrderReference?: string;
  /** BT-12: the data-use contract the invoice bills. */
  contractReference?: string;
  period?: Period; // BG-14
  /** BT-72: when the service was completed, if not the issue date (CGI art. 242 nonies A). */
  deliveryDate?: string;
  lines: InvoiceLineInput[];
  /** BT-20, e.g. « Paiement à 30 jours par virement ». */
  paymentTerms: string;
  /** SEPA credit transfer to this account (BG-16/BG-17, means code 58). */
  payeeAccount?: { iban: string; bic?: string; accountName?: string };
  /** Defaults to DEFAULT_LEGAL_NOTES, or PUBLIC_BUYER_LEGAL_NOTES for a public buyer. */
  legalNotes?: LegalNotes;
  /** Further notes (BT-22) with their UNTDID 4451 subject codes. */
  notes?: { subjectCode?: string; content: string }[];
  /** Amount already paid (BT-113). */
  paidCents?: Cents;
}

export interface InvoiceLine extends Omit<InvoiceLineInput, 'id'> {
  id: string;
  /** BT-131 = quantity × price ÷ base quantity, rounded half away from zero to the cent. */
  netCents: Cents;
}

/** One row of the VAT breakdown (BG-23), per category and rate. */
export interface VatBreakdown {
  category: 'S' | 'E';
  rateBp: number;
  basisCents: Cents; // BT-116
  taxCents: Cents; // BT-117 = BT-116 × BT-119 / 100, rounded half away from zero (BR-CO-17)
  exemptionReason?: string; // BT-120
  exemptionCode?: string; // BT-121
}

export interface Totals {
  lineTotalCents: Cents; // BT-106
  taxBasisTotalCents: Cents; // BT-109 (no document-level allowances or charges)
  taxTotalCents: Cents; // BT-110
  grandTotalCents: Cents; // BT-112
  paidCents: Cents; // BT-113
  duePayableCents: Cents; // BT-115
}

export interface Invoice extends Omit<InvoiceInput, 'lines' | 'legalNotes' | 'notes' | 'paidCents'> {
  /** The EN 16931 core with the Factur-X EN16931 profile (BT-24). */
  specification: 'urn:cen.eu:en16931:2017';
  /** BT-23, the French billing frame: S1 = services invoice. */
  businessProcess: 'S1';
  currency: 'EUR';
  lines: InvoiceLine[];
  /** Every note in document order: the mandate mention, PMD, PMT, AAB, then the caller's. */
  notes: { subjectCode?: string; content: string }[];
  vatBreakdown: VatBreakdown[];
  totals: Totals;
}

export class InvoiceModelError extends Error {
  override name = 'InvoiceModelError';
}

const ID_FORMAT = /^[A-Za-z0-9+\-_/]{1,35}$/;
const DATE = /^(20\d\d)-(\d\d)-(\d\d)$/;
const QUANTITY = /^-?\d{1,15}(\.\d{1,4})?$/;

/** The mention French law asks of an invoice issued by a third party in the seller's name. */
export function mandateNote(issuer: Extract<Issuer, { kind: 'mandatary' }>, seller: Seller): string {
  return `Facture émise par ${issuer.name} (SIREN ${issuer.siren}) au nom et pour le compte de ${seller.name} (SIREN ${seller.siren}), en vertu du mandat de facturation ${issuer.mandateReference}.`;
}

export function buildInvoice(input: InvoiceInput): Invoice {
  checkIdentifier(input.number, 'Le numéro de facture (BT-1)');
  checkDate(input.issueDate, "La date d'émission (BT-2)");
  checkDate(input.dueDate, "La date d'échéance (BT-9)");
  if (input.dueDate < input.issueDate) throw new InvoiceModelError("La date d'échéance (BT-9) précède la date d'émission (BT-2).");
  if (input.typeCode === '381' && !input.precedingInvoice) {
    throw new InvoiceModelError("Un avoir doit citer la facture qu'il corrige (BT-25).");
  }
  if (input.precedingInvoice) {
    checkIdentifier(input.precedingInvoice.number, 'La facture corrigée (BT-25)');
    checkDate(input.precedingInvoice.issueDate, 'La date de la facture corrigée (BT-26)');
  }
  if (input.period) checkPeriod(input.period, 'La période de facturation (BG-14)');
  if (input.deliveryDate) checkDate(input.deliveryDate, 'La date de réalisation de la prestation (BT-72)');
  checkParty(input.seller, 'vendeur');
  checkParty(input.buyer, 'acheteur');
  if (input.lines.length === 0) throw new InvoiceModelError('Une facture a au moins une ligne (BR-16).');
  if (!input.seller.vatId) {
    // BR-S-02 / BR-E-02: categories S and E both need the seller's VAT number.
    throw new InvoiceModelError('Le numéro de TVA intracommunautaire du vendeur (BT-31) est obligatoire pour les catégories S et E.');
  }

  const lines = input.lines.map((line, i): InvoiceLine => {
    const where = `Ligne ${i + 1}`;
    if (!line.name.trim()) throw new InvoiceModelError(`${where} : le libellé (BT-153) est vide.`);
    if (!Number.isSafeInteger(line.unitPriceMicros) || line.unitPriceMicros < 0) {
      throw new InvoiceModelError(`${where} : le prix unitaire doit être un nombre entier positif de micro-euros (BR-27).`);
    }
    if (line.period) checkPeriod(line.period, `${where} : la période`);
    checkVat(line.vat, where);
    const quantity = decimal4(line.quantity, `${where} : la quantité (BT-129)`);
    const base = decimal4(line.priceBaseQuantity ?? '1', `${where} : la quantité de base (BT-149)`);
    if (base <= 0n) throw new InvoiceModelError(`${where} : la quantité de base (BT-149) doit être positive.`);
    // µ€ × (q/10⁴) ÷ (b/10⁴) ÷ 10⁴ µ€ per cent
    const netCents = toSafeCents(divRoundHalfUp(quantity * BigInt(line.unitPriceMicros), base * 10_000n), where);
    return { ...line, id: line.id ?? String(i + 1), netCents };
  });
  const ids = new Set(lines.map((l) => l.id));
  if (ids.size !== lines.length) throw new InvoiceModelError('Deux lignes portent le même identifiant (BT-126).');

  const vatBreakdown = breakdown(lines);
  const lineTotalCents = sum(lines.map((l) => l.netCents));
  const taxTotalCents = sum(vatBreakdown.map((v) => v.taxCents));
  const grandTotalCents = lineTotalCents + taxTotalCents;
  const paidCents = input.paidCents ?? 0;
  if (!Number.isSafeInteger(paidCents))
    throw new InvoiceModelError('Le montant déjà payé (BT-113) doit être un nombre entier de centimes.');

  const legal = input.legalNotes ?? (input.buyer.publicBody ? PUBLIC_BUYER_LEGAL_NOTES : DEFAULT_LEGAL_NOTES);
  const notes = [
    ...(input.issuer.kind === 'mandatary' ? [{ subjectCode: 'REG', content: mandateNote(input.issuer, input.seller) }] : []),
    { subjectCode: 'PMD', content: legal.latePaymentPenalties },
    { subjectCode: 'PMT', content: legal.recoveryIndemnity },
    { subjectCode: 'AAB', content: legal.earlyPaymentDiscount },
    ...(input.notes ?? []),
  ];
  for (const code of ['PMD', 'PMT', 'AAB']) {
    if (notes.filter((n) => n.subjectCode === code).length > 1) {
      throw new InvoiceModelError(`Une seule note de sujet ${code} est permise (BR-FR-06).`);
    }
  }
  if (input.issuer.kind === 'mandatary') checkSiren(input.issuer.siren, 'du mandataire');

  const { legalNotes: _legal, notes: _notes, paidCents: _paid, ...rest } = input;
  return {
    ...rest,
    specification: 'urn:cen.eu:en16931:2017',
    businessProcess: 'S1',
    currency: 'EUR',
    lines,
    notes,
    vatBreakdown,
    totals: {
      lineTotalCents,
      taxBasisTotalCents: lineTotalCents,
      taxTotalCents,
      grandTotalCents,
      paidCents,
      duePayableCents: grandTotalCents - paidCents,
    },
  };
}

/** BG-23: one row per category and rate; VAT is computed once per row, not per line (BR-CO-17). */
function breakdown(lines: InvoiceLine[]): VatBreakdown[] {
  const rows = new Map<string, VatBreakdown>();
  for (const line of lines) {
    const vat = line.vat;
    const rateBp = vat.category === 'S' ? vat.rateBp : 0;
    const key = `${vat.category}:${rateBp}`;
    const row = rows.get(key);
    if (!row) {
      rows.set(key, {
        category: vat.category,
        rateBp,
        basisCents: line.netCents,
        taxCents: 0,
        ...(vat.category === 'E' ? { exemptionReason: vat.exemptionReason, exemptionCode: vat.exemptionCode } : {}),
      });
    } else {
      if (vat.category === 'E' && (row.exemptionReason !== vat.exemptionReason || row.exemptionCode !== vat.exemptionCode)) {
        throw new InvoiceModelError(`Ligne ${line.id} : toutes les lignes exonérées d'une facture doivent avoir le même motif (BT-120).`);
      }
      row.basisCents += line.netCents;
    }
  }
  return [...rows.values()].map((row) => ({ ...row, taxCents: vatAmount(row.basisCents, row.rateBp) }));
}

/** "12.3456" → 123456n (ten-thousandths). */
function decimal4(value: string, what: string): bigint {
  if (!QUANTITY.test(value)) throw new InvoiceModelError(`${what} doit être un nombre décimal d'au plus 4 décimales (« ${value} »).`);
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace('-', '').split('.');
  const n = BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, '0'));
  return negative ? -n : n;
}

function toSafeCents(n: bigint, where: string): Cents {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvoiceModelError(`${where} : montant hors limites.`);
  }
  return Number(n);
}

function sum(values: Cents[]): Cents {
  return values.reduce((a, b) => a + b, 0);
}

function checkVat(vat: VatTreatment, where: string): void {
  switch (vat.category) {
    case 'S':
      // BR-S-05: a standard-rated line has a rate above zero; 10000 bp would be 100 %.
      if (!Number.isSafeInteger(vat.rateBp) || vat.rateBp <= 0 || vat.rateBp >= 10_000) {
        throw new InvoiceModelError(`${where} : taux de TVA invalide (${vat.rateBp} points de base).`);
      }
      return;
    case 'E':
      if (!vat.exemptionReason.trim()) throw new InvoiceModelError(`${where} : une ligne exonérée doit dire pourquoi (BT-120).`);
      return;
  }
}

function checkParty(party: Party, role: string): void {
  if (!party.name.trim()) throw new InvoiceModelError(`Le nom du ${role} est vide.`);
  if (!/^[A-Z]{2}$/.test(party.address.countryCode))
    throw new InvoiceModelError(`Le code pays du ${role} doit suivre l'ISO 3166-1 (deux lettres).`);
  if (party.siren !== undefined) checkSiren(party.siren, `du ${role}`);
  if (party.siret !== undefined) {
    if (!isValidSiret(party.siret)) throw new InvoiceModelError(`Le SIRET du ${role} est invalide.`);
    if (party.siren !== undefined && !party.siret.startsWith(party.siren)) {
      throw new InvoiceModelError(`Le SIRET du ${role} ne commence pas par son SIREN (BR-FR-09).`);
    }
  }
  if (!party.electronicAddress && !party.siren) {
    throw new InvoiceModelError(`Le ${role} doit avoir une adresse électronique (BT-34/BT-49) ou un SIREN.`);
  }
}

function checkSiren(siren: string, whose: string): void {
  if (!isValidSiren(siren)) throw new InvoiceModelError(`Le SIREN ${whose} est invalide (9 chiffres, clé de Luhn).`);
}

function checkIdentifier(id: string, what: string): void {
  if (!ID_FORMAT.test(id)) {
    throw new InvoiceModelError(`${what} doit compter 1 à 35 caractères parmi A-Z, a-z, 0-9, + - _ / (BR-FR-01/02) : « ${id} ».`);
  }
}

function checkDate(date: string, what: string): void {
  const m = DATE.exec(date);
  const parsed = m ? new Date(`${date}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw new InvoiceModelError(`${what} doit être une date AAAA-MM-JJ entre 2000 et 2099 (« ${date} »).`);
  }
}

function checkPeriod(period: Period, what: string): void {
  checkDate(period.start, what);
  checkDate(period.end, what);
  if (period.end < period.start) throw new InvoiceModelError(`${what} finit avant de commencer.`);
}

import type { Buyer, InvoiceInput, Seller } from '../src/modules/billing/einvoice/index';

/**
 * Invoices the node issues, one per situation issue 9 names. Identifiers are made up but well
 * formed: SIREN and SIRET pass their Luhn key, VAT numbers carry their French key, the IBAN its
 * ISO 7064 check digits.
 */

export const association: Seller = {
  name: 'Confiance Occitanie — association des données partagées',
  legalInfo: 'Association loi 1901, RNA W313012345',
  siren: '390123453',
  siret: '39012345300016',
  vatId: 'FR90390123453',
  address: { line1: '12 allée Jean Jaurès', postcode: '31000', city: 'Toulouse', countryCode: 'FR' },
  contact: { name: 'Trésorerie', email: 'tresorerie@confiance.example' },
};

/** A provider whose invoices the association issues under a billing mandate; its name needs escaping. */
export const provider: Seller = {
  name: 'Données & Territoires <Occitanie> SAS',
  tradingName: '"D&T"',
  legalInfo: 'SAS au capital de 50 000 €, RCS Toulouse 812 345 676',
  siren: '812345676',
  siret: '81234567600017',
  vatId: 'FR19812345676',
  address: { line1: '5 rue des Lois', line2: 'Bâtiment B', postcode: '31000', city: 'Toulouse', countryCode: 'FR' },
};

export const company: Buyer = {
  name: 'Agro Analyse SARL',
  siren: '777777772',
  siret: '77777777200016',
  vatId: 'FR74777777772',
  address: { line1: '3 chemin des Vignes', postcode: '34000', city: 'Montpellier', countryCode: 'FR' },
  contact: { name: 'Service comptable', phone: '04 67 00 00 00', email: 'compta@agro.example' },
};

export const publicBody: Buyer = {
  name: 'Commune de Toulouse',
  siren: '213100555',
  siret: '21310055500019',
  address: { line1: '1 place du Capitole', postcode: '31000', city: 'Toulouse', countryCode: 'FR' },
  publicBody: { serviceCode: 'DSI-DONNEES', engagementNumber: 'EJ-2026-004512' },
};

const mandate = { kind: 'mandatary', name: association.name, siren: association.siren, mandateReference: 'MF-2026-007' } as const;
const base = {
  paymentTerms: 'Paiement à 30 jours date de facture, par virement.',
  payeeAccount: { iban: 'FR76 3000 6000 0112 3456 7890 189', bic: 'AGRIFRPP', accountName: 'Données et Territoires' },
};

export const CASES: { name: string; input: InvoiceInput }[] = [
  {
    name: 'provider-under-mandate-to-company',
    input: {
      ...base,
      number: 'DT-2026-000042',
      typeCode: '380',
      issueDate: '2026-11-30',
      dueDate: '2026-12-30',
      seller: provider,
      buyer: company,
      issuer: mandate,
      purchaseOrderReference: 'PO-88121',
      contractReference: 'CTR-2026-0007',
      period: { start: '2026-11-01', end: '2026-11-30' },
      deliveryDate: '2026-11-30',
      lines: [
        {
          name: 'Lignes livrées — « Parcelles agricoles 2025 »',
          description: 'Requêtes sous le contrat CTR-2026-0007, par tranche de 1 000 lignes',
          quantity: '1234567',
          unitCode: 'C62',
          unitPriceMicros: 350_000, // 0,35 € per 1,000 rows
          priceBaseQuantity: '1000',
          vat: { category: 'S', rateBp: 2000 },
          period: { start: '2026-11-01', end: '2026-11-30' },
        },
        {
          name: 'Abonnement mensuel',
          quantity: '1',
          unitCode: 'MON',
          unitPriceMicros: 120_000_000,
          vat: { category: 'S', rateBp: 2000 },
        },
      ],
    },
  },
  {
    name: 'association-to-public-body-chorus-pro',
    input: {
      ...base,
      number: 'ASSO-2026-0113',
      typeCode: '380',
      issueDate: '2026-11-30',
      dueDate: '2026-12-30',
      seller: association,
      buyer: publicBody,
      issuer: { kind: 'seller' },
      period: { start: '2026-11-01', end: '2026-11-30' },
      lines: [
        {
          name: "Frais de service de l'association (4 % des usages)",
          quantity: '1',
          unitCode: 'C62',
          unitPriceMicros: 1_873_450_000,
          vat: { category: 'S', rateBp: 2000 },
        },
      ],
    },
  },
  {
    name: 'several-vat-rates-and-exempt',
    input: {
      ...base,
      number: 'ASSO-2026-0114',
      typeCode: '380',
      issueDate: '2026-12-01',
      dueDate: '2026-12-31',
      seller: association,
      buyer: company,
      issuer: { kind: 'seller' },
      buyerReference: 'AGRO-ACHATS',
      lines: [
        {
          name: 'Accès aux jeux de données',
          quantity: '3',
          unitCode: 'C62',
          unitPriceMicros: 33_333_333,
          vat: { category: 'S', rateBp: 2000 },
        },
        { name: 'Rapport imprimé', quantity: '2', unitCode: 'C62', unitPriceMicros: 6_250_000, vat: { category: 'S', rateBp: 550 } },
        {
          name: 'Atelier de formation',
          quantity: '0.5',
          unitCode: 'DAY',
          unitPriceMicros: 2_500_000,
          vat: { category: 'S', rateBp: 1000 },
        },
        {
          name: 'Cotisation annuelle de membre',
          note: 'Service rendu aux membres, non lucratif',
          quantity: '1',
          unitCode: 'ANN',
          unitPriceMicros: 250_000_000,
          vat: {
            category: 'E',
            exemptionReason: 'Exonération de TVA, article 261-7-1° du CGI',
            exemptionCode: 'VATEX-FR-CGI261-7',
          },
        },
      ],
      notes: [{ subjectCode: 'AAI', content: 'Merci de rappeler le numéro de facture dans le libellé du virement.' }],
    },
  },
  {
    name: 'credit-note',
    input: {
      ...base,
      number: 'DT-2026-000043',
      typeCode: '381',
      issueDate: '2026-12-05',
      dueDate: '2026-12-05',
      precedingInvoice: { number: 'DT-2026-000042', issueDate: '2026-11-30' },
      seller: provider,
      buyer: company,
      issuer: mandate,
      contractReference: 'CTR-2026-0007',
      lines: [
        {
          name: 'Avoir : requêtes refusées facturées à tort',
          quantity: '120000',
          unitCode: 'C62',
          unitPriceMicros: 350_000,
          priceBaseQuantity: '1000',
          vat: { category: 'S', rateBp: 2000 },
        },
      ],
    },
  },
];

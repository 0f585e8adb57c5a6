/**
 * EN 16931 e-invoices: the invoice model (`model.ts`) and its CII D16B / Factur-X EN16931 XML
 * (`cii.ts`). Pure functions; numbering, storage, PDF and routes come with the billing module.
 */
export { buildInvoice, DEFAULT_LEGAL_NOTES, InvoiceModelError, PUBLIC_BUYER_LEGAL_NOTES } from './model';
export type {
  Buyer,
  Cents,
  Invoice,
  InvoiceInput,
  InvoiceLine,
  InvoiceLineInput,
  Issuer,
  LegalNotes,
  Seller,
  VatBreakdown,
  VatTreatment,
} from './model';
export { toCii } from './cii';
export { invoicePdf } from './pdf';

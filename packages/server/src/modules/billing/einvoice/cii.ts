import type { Buyer, Cents, Invoice, Party, Period, Seller } from './model';

/**
 * An invoice as a UN/CEFACT Cross Industry Invoice D16B (EN 16931-3-3), with the Factur-X
 * EN16931 guideline ID, so the same XML is what a Factur-X PDF embeds. Elements follow the
 * XSD's sequence order (Factur-X 1.09 EN16931 profile, itself a restriction of CII D16B).
 */
export function toCii(invoice: Invoice): string {
  const t = invoice.totals;
  const doc = el(
    'rsm:CrossIndustryInvoice',
    NAMESPACES,
    el(
      'rsm:ExchangedDocumentContext',
      null,
      el('ram:BusinessProcessSpecifiedDocumentContextParameter', null, el('ram:ID', null, invoice.businessProcess)),
      el('ram:GuidelineSpecifiedDocumentContextParameter', null, el('ram:ID', null, invoice.specification)),
    ),
    el(
      'rsm:ExchangedDocument',
      null,
      el('ram:ID', null, invoice.number),
      el('ram:TypeCode', null, invoice.typeCode),
      el('ram:IssueDateTime', null, udtDate(invoice.issueDate)),
      ...invoice.notes.map((n) =>
        el('ram:IncludedNote', null, el('ram:Content', null, n.content), n.subjectCode && el('ram:SubjectCode', null, n.subjectCode)),
      ),
    ),
    el(
      'rsm:SupplyChainTradeTransaction',
      null,
      ...invoice.lines.map((line) =>
        el(
          'ram:IncludedSupplyChainTradeLineItem',
          null,
          el(
            'ram:AssociatedDocumentLineDocument',
            null,
            el('ram:LineID', null, line.id),
            line.note && el('ram:IncludedNote', null, el('ram:Content', null, line.note)),
          ),
          el(
            'ram:SpecifiedTradeProduct',
            null,
            el('ram:Name', null, line.name),
            line.description && el('ram:Description', null, line.description),
          ),
          el(
            'ram:SpecifiedLineTradeAgreement',
            null,
            el(
              'ram:NetPriceProductTradePrice',
              null,
              el('ram:ChargeAmount', null, micros(line.unitPriceMicros)),
              line.priceBaseQuantity && el('ram:BasisQuantity', { unitCode: line.unitCode }, line.priceBaseQuantity),
            ),
          ),
          el('ram:SpecifiedLineTradeDelivery', null, el('ram:BilledQuantity', { unitCode: line.unitCode }, line.quantity)),
          el(
            'ram:SpecifiedLineTradeSettlement',
            null,
            el(
              'ram:ApplicableTradeTax',
              null,
              el('ram:TypeCode', null, 'VAT'),
              el('ram:CategoryCode', null, line.vat.category),
              el('ram:RateApplicablePercent', null, percent(line.vat.category === 'S' ? line.vat.rateBp : 0)),
            ),
            line.period && period('ram:BillingSpecifiedPeriod', line.period),
            el('ram:SpecifiedTradeSettlementLineMonetarySummation', null, el('ram:LineTotalAmount', null, amount(line.netCents))),
          ),
        ),
      ),
      el(
        'ram:ApplicableHeaderTradeAgreement',
        null,
        buyerReference(invoice) && el('ram:BuyerReference', null, buyerReference(invoice)),
        party('ram:SellerTradeParty', invoice.seller),
        party('ram:BuyerTradeParty', invoice.buyer),
        purchaseOrder(invoice) && el('ram:BuyerOrderReferencedDocument', null, el('ram:IssuerAssignedID', null, purchaseOrder(invoice))),
        invoice.contractReference &&
          el('ram:ContractReferencedDocument', null, el('ram:IssuerAssignedID', null, invoice.contractReference)),
      ),
      el(
        'ram:ApplicableHeaderTradeDelivery',
        null,
        invoice.deliveryDate &&
          el('ram:ActualDeliverySupplyChainEvent', null, el('ram:OccurrenceDateTime', null, udtDate(invoice.deliveryDate))),
      ),
      el(
        'ram:ApplicableHeaderTradeSettlement',
        null,
        // BT-83: the remittance information the buyer's transfer should carry.
        el('ram:PaymentReference', null, invoice.number),
        el('ram:InvoiceCurrencyCode', null, invoice.currency),
        invoice.payeeAccount &&
          el(
            'ram:SpecifiedTradeSettlementPaymentMeans',
            null,
            el('ram:TypeCode', null, '58'), // SEPA credit transfer
            el('ram:Information', null, 'Virement SEPA'),
            el(
              'ram:PayeePartyCreditorFinancialAccount',
              null,
              el('ram:IBANID', null, invoice.payeeAccount.iban.replace(/\s+/g, '')),
              invoice.payeeAccount.accountName && el('ram:AccountName', null, invoice.payeeAccount.accountName),
            ),
            invoice.payeeAccount.bic &&
              el('ram:PayeeSpecifiedCreditorFinancialInstitution', null, el('ram:BICID', null, invoice.payeeAccount.bic)),
          ),
        ...invoice.vatBreakdown.map((v) =>
          el(
            'ram:ApplicableTradeTax',
            null,
            el('ram:CalculatedAmount', null, amount(v.taxCents)),
            el('ram:TypeCode', null, 'VAT'),
            v.exemptionReason && el('ram:ExemptionReason', null, v.exemptionReason),
            el('ram:BasisAmount', null, amount(v.basisCents)),
            el('ram:CategoryCode', null, v.category),
            v.exemptionCode && el('ram:ExemptionReasonCode', null, v.exemptionCode),
            el('ram:RateApplicablePercent', null, percent(v.rateBp)),
          ),
        ),
        invoice.period && period('ram:BillingSpecifiedPeriod', invoice.period),
        el(
          'ram:SpecifiedTradePaymentTerms',
          null,
          el('ram:Description', null, invoice.paymentTerms),
          el('ram:DueDateDateTime', null, udtDate(invoice.dueDate)),
        ),
        el(
          'ram:SpecifiedTradeSettlementHeaderMonetarySummation',
          null,
          el('ram:LineTotalAmount', null, amount(t.lineTotalCents)),
          el('ram:TaxBasisTotalAmount', null, amount(t.taxBasisTotalCents)),
          el('ram:TaxTotalAmount', { currencyID: invoice.currency }, amount(t.taxTotalCents)),
          el('ram:GrandTotalAmount', null, amount(t.grandTotalCents)),
          el('ram:TotalPrepaidAmount', null, amount(t.paidCents)),
          el('ram:DuePayableAmount', null, amount(t.duePayableCents)),
        ),
        invoice.precedingInvoice &&
          el(
            'ram:InvoiceReferencedDocument',
            null,
            el('ram:IssuerAssignedID', null, invoice.precedingInvoice.number),
            el(
              'ram:FormattedIssueDateTime',
              null,
              el('qdt:DateTimeString', { format: '102' }, compactDate(invoice.precedingInvoice.issueDate)),
            ),
          ),
      ),
    ),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(doc, 0)}\n`;
}

const NAMESPACES = {
  'xmlns:rsm': 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  'xmlns:qdt': 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
  'xmlns:ram': 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  'xmlns:udt': 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
};

function buyerReference(invoice: Invoice): string | undefined {
  return invoice.buyer.publicBody?.serviceCode ?? invoice.buyerReference;
}

function purchaseOrder(invoice: Invoice): string | undefined {
  return invoice.buyer.publicBody?.engagementNumber ?? invoice.purchaseOrderReference;
}

function party(name: string, p: Seller | Buyer): XmlElement {
  const address = p.electronicAddress ?? (p.siren ? { scheme: '0225', id: p.siren } : undefined);
  return el(
    name,
    null,
    p.siret && el('ram:GlobalID', { schemeID: '0009' }, p.siret),
    el('ram:Name', null, p.name),
    'legalInfo' in p && p.legalInfo && el('ram:Description', null, p.legalInfo),
    (p.siren || p.tradingName) &&
      el(
        'ram:SpecifiedLegalOrganization',
        null,
        p.siren && el('ram:ID', { schemeID: '0002' }, p.siren),
        p.tradingName && el('ram:TradingBusinessName', null, p.tradingName),
      ),
    contact(p),
    el(
      'ram:PostalTradeAddress',
      null,
      el('ram:PostcodeCode', null, p.address.postcode),
      el('ram:LineOne', null, p.address.line1),
      p.address.line2 && el('ram:LineTwo', null, p.address.line2),
      p.address.line3 && el('ram:LineThree', null, p.address.line3),
      el('ram:CityName', null, p.address.city),
      el('ram:CountryID', null, p.address.countryCode),
    ),
    address && el('ram:URIUniversalCommunication', null, el('ram:URIID', { schemeID: address.scheme }, address.id)),
    p.vatId && el('ram:SpecifiedTaxRegistration', null, el('ram:ID', { schemeID: 'VA' }, p.vatId)),
  );
}

function contact(p: Party): XmlElement | undefined {
  const c = p.contact;
  if (!c || !(c.name || c.phone || c.email)) return undefined;
  return el(
    'ram:DefinedTradeContact',
    null,
    c.name && el('ram:PersonName', null, c.name),
    c.phone && el('ram:TelephoneUniversalCommunication', null, el('ram:CompleteNumber', null, c.phone)),
    c.email && el('ram:EmailURIUniversalCommunication', null, el('ram:URIID', null, c.email)),
  );
}

function period(name: string, p: Period): XmlElement {
  return el(name, null, el('ram:StartDateTime', null, udtDate(p.start)), el('ram:EndDateTime', null, udtDate(p.end)));
}

function udtDate(iso: string): XmlElement {
  return el('udt:DateTimeString', { format: '102' }, compactDate(iso));
}

/** `2026-11-30` → `20261130` (UNTDID 2379 format 102). */
function compactDate(iso: string): string {
  return iso.replaceAll('-', '');
}

/** Cents → "1234.56", "-0.05". */
export function amount(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Basis points → "20.00", "5.50". */
function percent(bp: number): string {
  return amount(bp);
}

/** Micro-euros → at least 2 and at most 6 decimals: 1500000 → "1.50", 1234 → "0.001234". */
function micros(value: number): string {
  const whole = Math.floor(value / 1_000_000);
  const fraction = String(value % 1_000_000)
    .padStart(6, '0')
    .replace(/0{1,4}$/, '');
  return `${whole}.${fraction}`;
}

// A tiny XML writer: elements, attributes, escaped text; empty optional parts are skipped.

interface XmlElement {
  name: string;
  attrs: Record<string, string> | null;
  children: (XmlElement | string)[];
}

type Child = XmlElement | string | undefined | false | null | 0;

function el(name: string, attrs: Record<string, string> | null, ...children: Child[]): XmlElement {
  return {
    name,
    attrs,
    children: children.filter((c): c is XmlElement | string => typeof c === 'string' || (!!c && typeof c === 'object')),
  };
}

function serialize(node: XmlElement, depth: number): string {
  const pad = '  '.repeat(depth);
  const attrs = Object.entries(node.attrs ?? {})
    .map(([k, v]) => ` ${k}="${escapeXml(v, true)}"`)
    .join('');
  if (node.children.length === 0) return `${pad}<${node.name}${attrs}/>`;
  if (node.children.every((c) => typeof c === 'string')) {
    return `${pad}<${node.name}${attrs}>${node.children.map((c) => escapeXml(c as string, false)).join('')}</${node.name}>`;
  }
  const inner = node.children.map((c) => (typeof c === 'string' ? pad + '  ' + escapeXml(c, false) : serialize(c, depth + 1))).join('\n');
  return `${pad}<${node.name}${attrs}>\n${inner}\n${pad}</${node.name}>`;
}

// XML 1.0 allows tab, line feed and carriage return among the C0 controls, nothing else.
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function escapeXml(text: string, attribute: boolean): string {
  if (FORBIDDEN.test(text)) throw new Error(`Caractère interdit en XML dans « ${text.replace(FORBIDDEN, '�')} ».`);
  const escaped = text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  // In an attribute, a raw newline or tab would be normalised to a space by the reader.
  return attribute
    ? escaped.replaceAll('"', '&quot;').replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;')
    : escaped.replaceAll('\r', '&#13;');
}

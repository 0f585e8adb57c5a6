import { ApiError, billingSettingsInput, type BillingSettingsView } from '@confiance/contract';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n';
import { describeEntry } from '../ledger/describe';
import {
  currentPeriod,
  invoiceStatus,
  issueAt,
  issueProblem,
  money,
  recentPeriods,
  serverIssues,
  settingsInput,
  settingsIssues,
  settingsValues,
  unitPrice,
  unplacedIssues,
  type SettingsValues,
} from './format';

/**
 * The billing pages' rules that need no node: which months are offered, how amounts read, how the
 * settings form becomes the API's input (and where each message lands), and what an issuing
 * refusal tells the user.
 */

const VIEW: Pick<BillingSettingsView, 'fee' | 'credits' | 'paymentTermsDays' | 'mandateReference'> = {
  fee: { percent: '5.5', byCategory: { company: { percent: '7', annualDues: 120_000 } }, vatRate: 'S-20', duesVatRate: 'O' },
  credits: { earnPerQuery: 2, earnPer1000Units: 1, creditValue: 50, maxCoverPercent: '50' },
  paymentTermsDays: 30,
  mandateReference: 'Mandat 2026-01',
};
const values = (change: Partial<SettingsValues> = {}): SettingsValues => ({ ...settingsValues(VIEW), ...change });

describe('the months offered', () => {
  it('are UTC months, newest first, across the turn of the year', () => {
    const now = new Date('2027-01-31T23:30:00Z');
    expect(currentPeriod(now)).toBe('2027-01');
    expect(recentPeriods(3, now)).toEqual(['2027-01', '2026-12', '2026-11']);
  });
});

describe('amounts', () => {
  it('read in French from the integer, as the invoices print them', () => {
    expect(money('fr', 123_456)).toBe('1\u202f234,56\u00a0€');
    expect(money('fr', -5)).toBe('-0,05\u00a0€');
    expect(money('en', 123_456)).toBe('€1,234.56');
  });

  it('keep a unit price’s every decimal, and at least two', () => {
    expect(unitPrice('fr', '0.5')).toBe('0,50\u00a0€');
    expect(unitPrice('fr', '0.0045')).toBe('0,0045\u00a0€');
    expect(unitPrice('fr', '12.300000')).toBe('12,30\u00a0€');
    expect(unitPrice('en', '3')).toBe('€3.00');
  });
});

describe('the settings form', () => {
  it('shows the settings as a French operator types them, and gives them back unchanged', () => {
    const v = values();
    expect(v).toMatchObject({ feePercent: '5,5', creditValue: '0,50', maxCoverPercent: '50', creditsOn: true });
    expect(v.byCategory.company).toEqual({ percent: '7', annualDues: '1\u202f200,00' });
    expect(v.byCategory.research).toEqual({ percent: '', annualDues: '' });
    const { input, issues } = settingsInput(v);
    expect(issues.size).toBe(0);
    const parsed = billingSettingsInput.parse(input);
    expect(parsed.fee).toEqual(VIEW.fee);
    expect(parsed.credits).toEqual(VIEW.credits);
    expect(parsed).toMatchObject({ paymentTermsDays: 30, mandateReference: 'Mandat 2026-01' });
  });

  it('sends no credits when they are switched off, whatever their fields hold', () => {
    const { input } = settingsInput(values({ creditsOn: false, creditValue: 'abc' }));
    expect(input.credits).toBeNull();
    expect(settingsIssues(values({ creditsOn: false, creditValue: 'abc' })).size).toBe(0);
  });

  it('puts each problem on its own field, with the schema’s French message', () => {
    const issues = settingsIssues(values({ feePercent: 'cinq', paymentTermsDays: '90', creditValue: '' }));
    expect(issues.get('fee.percent')).toMatch(/pourcentage entre 0 et 100/);
    expect(issues.get('paymentTermsDays')).toMatch(/au plus 60 jours/);
    expect(issues.get('credits.creditValue')).toMatch(/au moins 1 centime/);
  });

  it('refuses an amount of dues with more than two decimals rather than rounding it', () => {
    const v = values();
    const issues = settingsIssues({ ...v, byCategory: { ...v.byCategory, research: { percent: '', annualDues: '12,345' } } });
    expect(issueAt(issues, 'fee.byCategory.research.annualDues')).toMatch(/deux décimales au plus/);
  });

  it('places the node’s validation messages on the same paths', () => {
    const error = new ApiError(400, 'validation_failed', 'Requête invalide', {
      issues: [
        { path: 'body.fee.byCategory.company.percent', message: 'commission pour cette catégorie : pourcentage attendu' },
        { path: 'body.mandateReference', message: 'référence du mandat de facturation attendue' },
      ],
    });
    const issues = serverIssues(error);
    expect(issues.get('mandateReference')).toBe('Référence du mandat de facturation attendue');
    expect(issueAt(issues, 'fee.byCategory.company')).toMatch(/^Commission pour cette catégorie/);
    expect(serverIssues(new ApiError(409, 'conflict', 'x')).size).toBe(0);
    expect(unplacedIssues(issues)).toEqual([]);
  });

  it('lists apart the messages no field shows', () => {
    const issues = new Map([
      ['fee.byCategory', 'Catégorie inconnue : ong'],
      ['fee.percent', 'Commission : pourcentage attendu'],
    ]);
    expect(unplacedIssues(issues)).toEqual(['Catégorie inconnue : ong']);
  });
});

describe('when issuing an invoice is refused', () => {
  it('409 says the month is already invoiced, and names the live invoice', () => {
    const error = new ApiError(409, 'conflict', 'La facture FAC-X couvre déjà…', { invoice: '0b5c…' });
    expect(issueProblem(error)).toEqual({ kind: 'already_invoiced', invoice: '0b5c…' });
  });

  it('422 with nothing to invoice is told apart from another refusal, whose reason is kept', () => {
    expect(issueProblem(new ApiError(422, 'invoice_refused' as never, 'Aucun usage…', { reason: 'nothing_to_invoice' }))).toEqual({
      kind: 'nothing_to_invoice',
    });
    expect(
      issueProblem(new ApiError(422, 'invoice_refused' as never, 'Fiche incomplète : SIREN manquant', { reason: 'identity_incomplete' })),
    ).toEqual({
      kind: 'refused',
      message: 'Fiche incomplète : SIREN manquant',
    });
    expect(issueProblem(null)).toBeNull();
  });
});

describe('an invoice’s status', () => {
  it('is issued, cancelled by its credit note, or a credit note of an invoice', () => {
    expect(invoiceStatus({ kind: 'invoice', creditedBy: null, corrects: null })).toEqual({ state: 'issued', number: null });
    expect(invoiceStatus({ kind: 'invoice', creditedBy: { number: 'AV-1' }, corrects: null })).toEqual({
      state: 'cancelled',
      number: 'AV-1',
    });
    expect(invoiceStatus({ kind: 'credit_note', creditedBy: null, corrects: { number: 'FAC-1' } })).toEqual({
      state: 'credit',
      number: 'FAC-1',
    });
  });
});

describe('the Registre’s sentences for billing', () => {
  const fr = createI18n('fr', () => undefined);
  const en = createI18n('en', () => undefined);
  const sha = 'a'.repeat(64);
  const invoice = {
    organisation: 'atmo-occitanie',
    buyer: 'tisseo',
    invoice: 'FAC-ATMO-2026-000001',
    kind: 'invoice' as const,
    purpose: 'usage' as const,
    underMandate: true,
    period: '2026-10',
    amountCents: 1_200,
    xmlSha256: sha,
    corrects: null,
  };

  it('an invoice names seller, buyer, the mandate, its gross and the XML’s digest', () => {
    const text = describeEntry(fr, { type: 'invoice.issued', public: invoice });
    expect(text).toContain('FAC-ATMO-2026-000001');
    expect(text).toContain('de atmo-occitanie à tisseo, émise sous mandat');
    expect(text).toContain('12,00');
    expect(text).toContain('aaaaaaaaaaaa…');
  });

  it('a credit note says which invoice it cancels', () => {
    const text = describeEntry(fr, {
      type: 'invoice.issued',
      public: { ...invoice, kind: 'credit_note', invoice: 'FAC-ATMO-2026-000002', amountCents: -1_200, corrects: 'FAC-ATMO-2026-000001' },
    });
    expect(text).toMatch(/^Facture émise : avoir FAC-ATMO-2026-000002/);
    expect(text).toContain('annule la facture FAC-ATMO-2026-000001');
  });

  it('a settings version gives its fee in the reader’s language', () => {
    const entry = { type: 'billing.settings' as const, public: { version: 3, sha256: sha, feePercent: '5.5' } };
    expect(describeEntry(fr, entry)).toContain('version 3, commission 5,5\u00a0%');
    expect(describeEntry(en, entry)).toContain('version 3, fee 5.5%');
  });

  it('a project’s revenue says how it is split', () => {
    const pub = { project: 'littoral-21', revenue: 'r1', amountCents: 500_000, method: 'measured' as const, measure: 'rows' as const };
    expect(describeEntry(fr, { type: 'project.revenue', public: pub })).toContain('selon la contribution mesurée (lignes)');
    expect(describeEntry(fr, { type: 'project.revenue', public: { ...pub, method: 'key', measure: null } })).toContain(
      'selon la clé convenue',
    );
  });
});

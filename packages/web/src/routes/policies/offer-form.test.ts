import { templateDefaults, type DatasetFacts } from '@confiance/contract';
import { describe, expect, it } from 'vitest';
import { eurosInput, formValues, planIssues, privacyIssues, termsOf, type OfferFormValues } from './OfferForm';

/**
 * The offer form's differential-privacy and join-key fields (issue 8): what the templates put in
 * them, what the steward's typing becomes in the terms, and the schema's messages on each field.
 */

const FACTS: DatasetFacts = {
  accessLevel: 'members',
  licence: 'etalab-2.0',
  personalData: false,
  columns: ['ventes.code_commune', 'ventes.montant', 'code_commune', 'montant'],
};
const EXTRA = { title: 'Offre', description: '', agreement: 'automatic' as const };
const values = (template: 'dp_counts' | 'joinable' | 'members' | 'commercial', change: Partial<OfferFormValues> = {}): OfferFormValues => ({
  ...formValues(templateDefaults(template, FACTS), EXTRA),
  ...change,
});

describe('the privacy fields', () => {
  it('dp_counts switches them on with its defaults, and the terms carry them back unchanged', () => {
    const v = values('dp_counts');
    expect(v).toMatchObject({ privacyOn: true, epsilon: '1', epsilonPerQuery: '0.1', mechanism: 'discrete_laplace', delta: '' });
    expect(termsOf(v).privacy).toEqual(templateDefaults('dp_counts', FACTS).privacy);
    expect(privacyIssues(v).size).toBe(0);
  });

  it('another template leaves them off: no privacy in the terms, no message', () => {
    const v = values('members');
    expect(v.privacyOn).toBe(false);
    expect(termsOf(v).privacy).toBeNull();
    expect(privacyIssues({ ...v, epsilon: 'abc' }).size).toBe(0);
  });

  it('reads French decimals, normalises δ, and keeps δ only for Gaussian noise', () => {
    const gaussian = values('dp_counts', { epsilon: '0,5', epsilonPerQuery: '0,05', mechanism: 'discrete_gaussian', delta: '1e-6' });
    expect(termsOf(gaussian).privacy).toMatchObject({ epsilon: '0.5', epsilonPerQuery: '0.05', delta: '0.000001' });
    expect(termsOf({ ...gaussian, mechanism: 'discrete_laplace' }).privacy?.delta).toBeNull();
  });

  it('carries clipping rows as integer bounds', () => {
    const v = values('dp_counts', { clipping: [{ key: 0, column: 'montant', lower: 0, upper: 1000 }] });
    expect(termsOf(v).privacy?.clipping).toEqual([{ column: 'montant', lower: 0, upper: 1000 }]);
  });

  it.each([
    [{ epsilon: '0' }, 'epsilon', 'ε entre 0 (exclu) et 20'],
    [{ epsilon: 'beaucoup' }, 'epsilon', 'un nombre décimal positif, par exemple "0.5"'],
    [{ epsilonPerQuery: '2' }, 'epsilonPerQuery', 'ε par requête ne peut pas dépasser le budget ε'],
    [{ mechanism: 'discrete_gaussian' as const }, 'delta', 'le bruit gaussien demande un budget δ'],
    [{ mechanism: 'discrete_gaussian' as const, delta: '0,5' }, 'delta', 'δ entre 0 et 0,001 (exclus)'],
    [{ clipping: [{ key: 0, column: 'montant', lower: 10, upper: 1 }] }, 'clipping.0.lower', 'borne basse au-dessus de la borne haute'],
  ])('%j: the schema says so on %s', (change, path, message) => {
    expect(privacyIssues(values('dp_counts', change)).get(path)).toBe(message);
  });
});

describe('the join keys', () => {
  it('joinable proposes the key-like columns, and the terms carry what the steward keeps', () => {
    const v = values('joinable');
    expect(v.joinKeys).toEqual(['code_commune']);
    expect(termsOf({ ...v, joinKeys: [] }).joinKeys).toEqual([]);
    expect(termsOf(v).joinKeys).toEqual(['code_commune']);
  });
});

describe('the « Tarif » fields (issue 9)', () => {
  const NO_CATEGORY = { public_body: '', research: '', company: '', association: '' };
  const KEPT = { categoryPrices: {}, publicInterestPrice: null, memberDiscount: '0', vatRate: 'S-20' };

  it('a free template leaves the plan free, with no message', () => {
    const v = values('members');
    expect(v).toMatchObject({ planKind: 'free', price: '', vatRate: 'S-20' });
    expect(termsOf(v).plan).toEqual({ kind: 'free' });
    expect(planIssues({ ...v, price: 'abc' }).size).toBe(0);
  });

  it('the commercial template proposes 0,50 € a query, written the French way, and carries it back', () => {
    const v = values('commercial');
    expect(v).toMatchObject({ planKind: 'per_query', price: '0,50', memberDiscount: '', categoryPrices: NO_CATEGORY });
    expect(termsOf(v).plan).toEqual(templateDefaults('commercial', FACTS).plan);
    expect(planIssues(v).size).toBe(0);
  });

  it.each([
    [
      { planKind: 'per_query', price: '0,5' },
      { kind: 'per_query', price: 50, ...KEPT },
    ],
    [
      { planKind: 'per_units', priceUnit: 'rows', price: '2' },
      { kind: 'per_units', unit: 'rows', price: 200, ...KEPT },
    ],
    [
      { planKind: 'per_units', priceUnit: 'cells', price: '0,10', vatRate: 'S-5.5', memberDiscount: '12,5' },
      { kind: 'per_units', unit: 'cells', price: 10, ...KEPT, vatRate: 'S-5.5', memberDiscount: '12.5' },
    ],
    [
      { planKind: 'subscription', price: '1 200', includedQueries: 1000, extraQueryPrice: '0,10' },
      { kind: 'subscription', price: 120_000, includedQueries: 1000, extraQueryPrice: 10, ...KEPT },
    ],
    [
      {
        planKind: 'per_query',
        price: '1,00',
        publicInterestPrice: '0,20',
        categoryPrices: { ...NO_CATEGORY, research: '0,40', public_body: '0' },
      },
      { kind: 'per_query', price: 100, ...KEPT, publicInterestPrice: 20, categoryPrices: { research: 40, public_body: 0 } },
    ],
  ] as const)('%j → the plan %j', (change, plan) => {
    const v = values('members', change as Partial<OfferFormValues>);
    expect(planIssues(v).size).toBe(0);
    expect(termsOf(v).plan).toEqual(plan);
    // And back: the form shows what the plan says.
    expect(termsOf(formValues({ ...termsOf(v) }, EXTRA)).plan).toEqual(plan);
  });

  it.each([
    [{ planKind: 'per_query', price: '' }, 'price', "prix par requête : un nombre entier de centimes est attendu (1,50 € s'écrit 150)"],
    [
      { planKind: 'per_query', price: '0' },
      'price',
      'prix par requête : au moins 1 centime (pour ne rien faire payer, choisissez un tarif gratuit)',
    ],
    [
      { planKind: 'per_query', price: '0,505' },
      'price',
      'prix : montant en euros attendu, deux décimales au plus (par exemple 1 234,56), pas « 0,505 »',
    ],
    [
      { planKind: 'per_query', price: '1', memberDiscount: '150' },
      'memberDiscount',
      'remise adhérent : pourcentage entre 0 et 100 attendu, deux décimales au plus (par exemple 5,5)',
    ],
    [
      { planKind: 'per_query', price: '1', categoryPrices: { ...NO_CATEGORY, company: 'cher' } },
      'categoryPrices.company',
      'prix pour cette catégorie : montant en euros attendu, deux décimales au plus (par exemple 1 234,56), pas « cher »',
    ],
    [
      { planKind: 'subscription', price: '100', extraQueryPrice: '0,10' },
      'extraQueryPrice',
      "un prix des requêtes au-delà du forfait n'a de sens qu'avec un nombre de requêtes incluses",
    ],
  ] as const)('%j: the schema says so on %s', (change, path, message) => {
    expect(planIssues(values('members', change as Partial<OfferFormValues>)).get(path)).toBe(message);
  });

  it('writes cents as euros for the inputs', () => {
    expect([eurosInput(5), eurosInput(50), eurosInput(123_456), eurosInput(null)]).toEqual(['0,05', '0,50', '1\u202f234,56', '']);
  });
});

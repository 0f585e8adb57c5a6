import { templateDefaults, type DatasetFacts } from '@confiance/contract';
import { describe, expect, it } from 'vitest';
import { formValues, privacyIssues, termsOf, type OfferFormValues } from './OfferForm';

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
const values = (template: 'dp_counts' | 'joinable' | 'members', change: Partial<OfferFormValues> = {}): OfferFormValues => ({
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

import {
  buildOfferPolicy,
  charterRulesSchema,
  checkOffer,
  offerTermsInput,
  readPolicy,
  templateDefaults,
  type DatasetFacts,
  type OfferTermsInput,
} from '@confiance/contract';
import { describe, expect, it } from 'vitest';
import { buildAgreement, grantOf, readAgreement } from './agreement';

/**
 * Offer terms → ODRL offer → agreement → grant: what the steward set is what the access module
 * enforces, term by term (disclosure control, quotas, differential privacy, join keys).
 */

const REFS = { offer: 'urn:offer:1', dataset: 'urn:dataset:hospit', provider: 'urn:org:spf' };
const CHARTER = charterRulesSchema.parse({
  signatureRequired: true,
  personalDataAggregateOnly: true,
  personalDataEthicsReview: true,
  prohibitedActions: ['cf:reidentify'],
  favouredPurposes: [],
});
const FACTS: DatasetFacts = {
  accessLevel: 'aggregate_only',
  licence: 'etalab-2.0',
  personalData: true,
  columns: ['dep', 'sexe', 'jour', 'hosp', 'rea', 'code_commune'],
};
const VALID = { from: new Date('2026-01-01T00:00:00Z'), until: new Date('2027-01-01T00:00:00Z') };

function grantFor(change: Partial<OfferTermsInput>) {
  const terms = offerTermsInput.parse({ ...templateDefaults('research_aggregate', FACTS), ...change });
  const policy = buildOfferPolicy(terms, REFS, CHARTER);
  const read = readPolicy(policy);
  if (!read.ok) throw new Error(JSON.stringify(read.issues));
  const issues = checkOffer(read.policy, FACTS, { agreement: 'ethics_review', charter: CHARTER, refs: REFS });
  const agreement = buildAgreement(policy, {
    uid: 'urn:contract:1',
    assignee: 'urn:org:insee',
    purpose: 'dpv:ResearchAndDevelopment',
    validFrom: VALID.from,
    validUntil: VALID.until,
    conditions: null,
  });
  return {
    issues,
    grant: grantOf(readAgreement(agreement), {
      id: '00000000-0000-4000-8000-000000000001',
      dataset: REFS.dataset,
      validFrom: VALID.from,
      validUntil: VALID.until,
      users: [],
    }),
  };
}

describe('the grant an agreement gives', () => {
  it('carries the disclosure terms, the quotas and rows per response', () => {
    const { issues, grant } = grantFor({
      queriesPerDay: 200,
      rowsPerResponse: 5000,
      maxQueries: 1000,
      disclosure: {
        suppressAtOrBelow: 10,
        roundTo: 5,
        dimensions: ['dep', 'sexe', 'jour'],
        countColumns: ['hosp', 'rea'],
        margins: [{ column: 'sexe', value: '0' }],
      },
    });
    expect(issues).toEqual([]);
    expect(grant).toMatchObject({
      uses: ['aggregate'],
      aggregateOnly: true,
      maxQueries: 1000,
      queriesPerDay: 200,
      rowsPerResponse: 5000,
      disclosure: {
        suppressAtOrBelow: 10,
        roundTo: 5,
        unitColumn: null,
        minUnits: null,
        dominance: null,
        dimensions: ['dep', 'sexe', 'jour'],
        countColumns: ['hosp', 'rea'],
        margins: [{ column: 'sexe', value: '0' }],
      },
      privacy: null,
      joinKeys: [],
    });
  });

  it('gives aggregate-only grants OpenSAFELY when the offer says nothing', () => {
    expect(grantFor({ disclosure: null }).grant.disclosure).toMatchObject({ suppressAtOrBelow: 7, roundTo: 5 });
  });

  it('carries differential privacy exactly (decimal text, δ without exponent) and the join keys', () => {
    const { issues, grant } = grantFor({
      privacy: {
        epsilon: '1',
        epsilonPerQuery: 0.1,
        delta: '1e-6',
        mechanism: 'discrete_gaussian',
        clipping: [{ column: 'hosp', lower: 0, upper: 500 }],
      },
      joinKeys: ['code_commune'],
    });
    expect(issues).toEqual([]);
    expect(grant.privacy).toEqual({
      epsilon: '1',
      epsilonPerQuery: '0.1',
      delta: '0.000001',
      mechanism: 'discrete_gaussian',
      clipping: [{ column: 'hosp', lower: 0, upper: 500 }],
    });
    expect(grant.joinKeys).toEqual(['code_commune']);
  });

  it.each([
    ['Gaussian noise without δ', { epsilon: '1', epsilonPerQuery: '0.1', mechanism: 'discrete_gaussian' }, 'delta'],
    ['a query spending more than the budget', { epsilon: '1', epsilonPerQuery: '2' }, 'epsilonPerQuery'],
    [
      'clipping bounds upside down',
      { epsilon: '1', epsilonPerQuery: '0.5', clipping: [{ column: 'hosp', lower: 5, upper: 1 }] },
      'clipping',
    ],
    ['ε of zero', { epsilon: '0', epsilonPerQuery: '0.1' }, 'epsilon'],
    ['ε written with a comma', { epsilon: '0,5', epsilonPerQuery: '0.1' }, 'epsilon'],
  ])('refuses %s, naming the field', (_, privacy, field) => {
    const parsed = offerTermsInput.safeParse({ ...templateDefaults('research_aggregate', FACTS), privacy });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toContainEqual(expect.stringContaining(field));
  });

  it('refuses clipping or join keys on columns the dataset does not have', () => {
    const { issues } = grantFor({
      privacy: { epsilon: '1', epsilonPerQuery: '0.1', clipping: [{ column: 'age', lower: 0, upper: 120 }] },
      joinKeys: ['patient_id'],
    });
    expect(issues.map((i) => i.message)).toEqual([
      'la colonne « age » n’existe pas dans la version courante',
      'la colonne « patient_id » n’existe pas dans la version courante',
    ]);
  });
});

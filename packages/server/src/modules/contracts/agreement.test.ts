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

describe('the price the grant carries (issue 9)', () => {
  const CONTRACT = {
    id: '00000000-0000-4000-8000-000000000002',
    dataset: REFS.dataset,
    validFrom: VALID.from,
    validUntil: VALID.until,
    users: [],
  };

  it.each([
    ['per query', { kind: 'per_query', price: 50 }],
    ['per 1 000 cells', { kind: 'per_units', unit: 'cells', price: 200, categoryPrices: { research: 100 }, memberDiscount: '10' }],
    [
      'a subscription',
      { kind: 'subscription', price: 30_000, includedQueries: 1000, extraQueryPrice: 10, publicInterestPrice: 15_000, vatRate: 'S-10' },
    ],
  ] as const)('reads the offer’s plan back from the agreement: %s', (_name, plan) => {
    const { issues, grant } = grantFor({ plan });
    expect(issues).toEqual([]);
    expect(grant.plan).toEqual(offerTermsInput.parse({ ...templateDefaults('research_aggregate', FACTS), plan }).plan);
  });

  it('is free for a free offer', () => {
    expect(grantFor({}).grant.plan).toEqual({ kind: 'free' });
  });

  it('is free for an agreement made before plans existed (no compensate duty)', () => {
    // As the node stored agreements before issue 9: attribution as the only duty.
    const old = {
      '@context': ['http://www.w3.org/ns/odrl.jsonld', { cf: 'https://w3id.org/confiance/odrl#', dpv: 'https://w3id.org/dpv#' }],
      '@type': 'Agreement',
      uid: 'urn:contract:old',
      profile: 'https://w3id.org/confiance/odrl',
      assigner: REFS.provider,
      assignee: 'urn:org:insee',
      target: REFS.dataset,
      permission: [
        {
          action: 'cf:queryAggregate',
          constraint: [{ leftOperand: 'cf:rounding', operator: 'eq', rightOperand: { '@value': 5, '@type': 'xsd:integer' } }],
          duty: [{ action: 'attribute' }],
        },
      ],
      prohibition: [{ action: 'cf:reidentify' }],
    };
    expect(grantOf(readAgreement(old), CONTRACT).plan).toEqual({ kind: 'free' });
  });

  it('refuses loudly, rather than billing nothing, an agreement whose price does not read', () => {
    const policy = buildOfferPolicy(
      offerTermsInput.parse({ ...templateDefaults('research_aggregate', FACTS), plan: { kind: 'per_query', price: 50 } }),
      REFS,
      CHARTER,
    );
    const agreement = buildAgreement(policy, {
      uid: 'urn:contract:broken',
      assignee: 'urn:org:insee',
      purpose: 'dpv:ResearchAndDevelopment',
      validFrom: VALID.from,
      validUntil: VALID.until,
      conditions: null,
    });
    const text = JSON.stringify(agreement).replace('"per_query"', '"per_hour"');
    expect(() => grantOf(readAgreement(JSON.parse(text)), CONTRACT)).toThrow(/unreadable price/);
  });
});

import { describe, expect, it } from 'vitest';
import { describePlan } from '../billing/describe';
import { NARROW_NO_BREAK_SPACE as NNBSP, NO_BREAK_SPACE as NBSP } from '../billing/money';
import type { PlanInput } from '../billing/plans';
import { decideOffer } from './decide';
import { evaluatePolicy } from './evaluate';
import { readPolicy, type Policy } from './model';
import { buildOfferPolicy, charterRulesSchema, checkOffer, offerTermsInput, templateDefaults, type DatasetFacts } from './offer';
import { centsDecimal, decimalCents, EURO_UNIT, planDuty, planOf } from './price';

/**
 * Issue 9: a price plan on an offer. Each plan kind goes terms → ODRL Offer (a `compensate` duty
 * refined by `payAmount` and the profile's terms) → model → plan again, and the evaluator still
 * permits the request: paying is an obligation of use, like citing the source.
 */

const REFS = { offer: 'urn:offer:1', dataset: 'urn:dataset:ventes', provider: 'urn:org:cci' };
const CHARTER = charterRulesSchema.parse({
  signatureRequired: false,
  personalDataAggregateOnly: true,
  personalDataEthicsReview: true,
  prohibitedActions: ['cf:reidentify'],
  favouredPurposes: [],
});
const FACTS: DatasetFacts = { accessLevel: 'members', licence: 'etalab-2.0', personalData: false, columns: ['commune', 'montant'] };
const eur = (amount: string) => `${amount}${NBSP}€ HT`;

function read(json: unknown): Policy {
  const result = readPolicy(json);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.policy;
}

const offerWith = (plan: PlanInput) =>
  buildOfferPolicy(offerTermsInput.parse({ ...templateDefaults('members', FACTS), plan }), REFS, CHARTER);

const PLANS: [string, PlanInput, string, string[]][] = [
  ['free', { kind: 'free' }, 'Gratuit', []],
  ['per query', { kind: 'per_query', price: 50 }, `${eur('0,50')} par requête`, ['TVA : TVA 20 % (taux normal)']],
  [
    'per 1 000 rows, with category, public-interest prices and a member discount',
    {
      kind: 'per_units',
      unit: 'rows',
      price: 200,
      categoryPrices: { research: 100, public_body: 50 },
      publicInterestPrice: 25,
      memberDiscount: '12,5',
      vatRate: 'S-5.5',
    },
    `${eur('2,00')} les 1${NNBSP}000 lignes`,
    [
      `Organismes publics : ${eur('0,50')} les 1${NNBSP}000 lignes`,
      `Recherche : ${eur('1,00')} les 1${NNBSP}000 lignes`,
      `Finalité d’intérêt public : ${eur('0,25')} les 1${NNBSP}000 lignes`,
      `Remise adhérent : 12,5${NBSP}%`,
      'TVA : TVA 5,5 % (taux réduit)',
    ],
  ],
  [
    'per 1 000 cells',
    { kind: 'per_units', unit: 'cells', price: 5, vatRate: 'E' },
    `${eur('0,05')} les 1${NNBSP}000 cellules`,
    ['TVA : Exonéré de TVA'],
  ],
  [
    'a subscription with a quota and a price beyond it',
    { kind: 'subscription', price: 30_000, includedQueries: 1000, extraQueryPrice: 10, memberDiscount: 20 },
    `${eur('300,00')} par mois, 1${NNBSP}000 requêtes incluses, puis 0,10${NBSP}€ HT par requête au-delà`,
    [`Remise adhérent : 20${NBSP}%`, 'TVA : TVA 20 % (taux normal)'],
  ],
  [
    'an unlimited subscription',
    { kind: 'subscription', price: 123_456 },
    `${eur(`1${NNBSP}234,56`)} par mois, requêtes illimitées`,
    ['TVA : TVA 20 % (taux normal)'],
  ],
];

describe.each(PLANS)('a plan %s', (_name, input, summary, details) => {
  const json = offerWith(input);
  const policy = read(json);
  const plan = offerTermsInput.parse({ ...templateDefaults('members', FACTS), plan: input }).plan;

  it('reads back from the ODRL Offer as the same plan, and the offer passes every check', () => {
    expect(planOf(policy)).toEqual({ plan, issues: [] });
    expect(checkOffer(policy, FACTS, { agreement: 'automatic', charter: CHARTER, refs: REFS })).toEqual([]);
  });

  it('is a compensate duty of every permission, its base price as payAmount in euros (none when free)', () => {
    for (const rule of policy.permissions) {
      const pay = rule.duties.filter((d) => d.action === 'compensate');
      if (plan.kind === 'free') {
        expect(pay).toEqual([]);
        continue;
      }
      expect(pay).toHaveLength(1);
      const amount = pay[0]!.refinements.find((c) => c.kind === 'atomic' && c.leftOperand === 'payAmount');
      expect(amount).toMatchObject({
        operator: 'eq',
        rightOperand: [{ kind: 'number', value: centsDecimal(plan.price) }],
        unit: EURO_UNIT,
      });
    }
  });

  it('does not make the evaluator refuse: paying is an obligation of use', () => {
    const request = {
      action: 'cf:queryAggregate',
      target: REFS.dataset,
      context: { purpose: 'dpv:AcademicResearch', elapsedTime: 'P6M', 'cf:partyType': 'research' },
    };
    const decision = decideOffer(policy, request, { required: false, signed: false, version: null });
    expect(decision.outcome).toBe('permit');
    const duties = decision.rules[0]!.duties.filter((d) => d.action === 'compensate');
    expect(duties.map((d) => [d.label, d.state])).toEqual(plan.kind === 'free' ? [] : [['payer', 'pending']]);
    // Once paid (the ledger says so), nothing is left pending for the price.
    const paid = evaluatePolicy(policy, { ...request, state: { duties: { compensate: 'fulfilled', attribute: 'fulfilled' } } });
    expect(paid.outcome).toBe('permit');
  });

  it('is described in French with the billing core’s formatting', () => {
    expect(describePlan(plan)).toEqual({ summary, details });
  });
});

describe('plans that do not hold', () => {
  it.each([
    [{ kind: 'per_query', price: 0 }, 'prix par requête : au moins 1 centime (pour ne rien faire payer, choisissez un tarif gratuit)'],
    [{ kind: 'per_query', price: 0.5 }, "prix par requête : un nombre entier de centimes est attendu (1,50 € s'écrit 150)"],
    [{ kind: 'per_units', price: 100 }, 'unité facturée : rows (lignes) ou cells (cellules)'],
    [
      { kind: 'per_query', price: 50, memberDiscount: '120' },
      'remise adhérent : pourcentage entre 0 et 100 attendu, deux décimales au plus (par exemple 5,5)',
    ],
    [{ kind: 'per_query', price: 50, categoryPrices: { banque: 10 } }, 'catégorie inconnue'],
    [
      { kind: 'subscription', price: 100, extraQueryPrice: 5 },
      "un prix des requêtes au-delà du forfait n'a de sens qu'avec un nombre de requêtes incluses",
    ],
    [
      { kind: 'gift' },
      'type de tarif attendu : free (gratuit), per_query (à la requête), per_units (au volume) ou subscription (abonnement)',
    ],
  ] as const)('refuses %j in French', (plan, message) => {
    const parsed = offerTermsInput.safeParse({ ...templateDefaults('members', FACTS), plan });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.message).join(' | ')).toContain(message);
    expect(parsed.error!.issues.every((i) => i.path[0] === 'plan')).toBe(true);
  });

  const expert = (duty: Record<string, unknown>) =>
    read({
      '@context': ['http://www.w3.org/ns/odrl.jsonld', { cf: 'https://w3id.org/confiance/odrl#' }],
      '@type': 'Offer',
      uid: REFS.offer,
      assigner: REFS.provider,
      target: REFS.dataset,
      permission: [{ action: 'cf:queryAggregate', duty: [duty] }],
      prohibition: [{ action: 'cf:reidentify' }],
    });
  const pay = (...refinement: Record<string, unknown>[]) => ({ action: [{ 'rdf:value': { '@id': 'odrl:compensate' }, refinement }] });
  const amount = (value: string, unit = EURO_UNIT) => ({
    leftOperand: 'payAmount',
    operator: 'eq',
    rightOperand: { '@value': value, '@type': 'xsd:decimal' },
    unit,
  });
  const kind = (k: string) => ({ leftOperand: 'cf:planKind', operator: 'eq', rightOperand: k });

  it.each([
    ['no plan kind', pay(amount('5.00')), 'un tarif (compensate) précise son type : cf:planKind per_query, per_units ou subscription'],
    ['no amount', pay(kind('per_query')), 'un tarif (compensate) donne son prix de base : payAmount en euros'],
    [
      'dollars',
      pay(amount('5.00', 'http://dbpedia.org/resource/United_States_dollar'), kind('per_query')),
      'les prix s’expriment en euros',
    ],
    ['a tenth of a cent', pay(amount('0.005'), kind('per_query')), 'un montant en euros est attendu, deux décimales au plus'],
    [
      'a unit that is not the kind’s',
      pay(amount('1.00'), kind('per_query'), { leftOperand: 'cf:priceUnit', operator: 'eq', rightOperand: 'month' }),
      'unité facturée « month » : attendu query pour ce type de tarif',
    ],
  ])('an expert offer with %s is refused by checkOffer, naming the duty', (_name, duty, message) => {
    const issues = checkOffer(expert(duty), FACTS, { agreement: 'automatic', charter: CHARTER, refs: REFS });
    expect(issues.map((i) => i.message).join(' | ')).toContain(message);
    expect(issues.every((i) => i.path.startsWith('permission[0].duty[0]'))).toBe(true);
  });

  it('reads a hand-written compensate duty that says everything, the deprecated `pay` too', () => {
    const duty = {
      ...pay(amount('1.5'), kind('per_query')),
      action: [{ 'rdf:value': { '@id': 'odrl:pay' }, refinement: [amount('1.5'), kind('per_query')] }],
    };
    expect(planOf(expert(duty)).plan).toMatchObject({ kind: 'per_query', price: 150, vatRate: 'S-20' });
  });
});

describe('cents and xsd:decimal euros', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [50, '0.50'],
    [123_456, '1234.56'],
  ])('%i cents ⇄ %s', (cents, text) => {
    expect(centsDecimal(cents)).toBe(text);
    expect(decimalCents(text)).toBe(cents);
  });

  it.each(['0.005', '-1', '1e3', 'abc', ''])('refuses %j', (text) => expect(decimalCents(text)).toBeNull());

  it('writes nothing for a free plan', () => expect(planDuty({ kind: 'free' })).toBeNull());
});

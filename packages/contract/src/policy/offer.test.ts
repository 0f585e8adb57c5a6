import { describe, expect, it } from 'vitest';
import type { AccessLevel, LicenceCode } from '../catalog';
import { decideOffer } from './decide';
import { readPolicy, type Policy } from './model';
import {
  buildOfferPolicy,
  charterRulesSchema,
  checkOffer,
  OFFER_TEMPLATES,
  offerTermsInput,
  proposedJoinKeys,
  templateDefaults,
  TEMPLATE_LABEL,
  type AgreementMode,
  type CharterRules,
  type DatasetFacts,
  type OfferTemplate,
  type OfferTerms,
} from './offer';

const REFS = { offer: 'urn:offer:1', dataset: 'urn:dataset:naissances', provider: 'urn:org:insee' };
const CHARTER: CharterRules = charterRulesSchema.parse({
  signatureRequired: true,
  personalDataAggregateOnly: true,
  personalDataEthicsReview: true,
  prohibitedActions: ['cf:reidentify', 'sell'],
  favouredPurposes: ['dpv:ResearchAndDevelopment', 'dpv:PublicBenefit'],
});

function dataset(over: Partial<DatasetFacts> = {}): DatasetFacts {
  return {
    accessLevel: 'members' as AccessLevel,
    licence: 'etalab-2.0' as LicenceCode,
    personalData: false,
    columns: ['naissances.commune', 'naissances.annee', 'commune', 'annee'],
    ...over,
  };
}

function read(json: unknown): Policy {
  const result = readPolicy(json);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.policy;
}

/** The offer a steward makes from a template, after changing some fields. */
function offer(template: OfferTemplate, facts: DatasetFacts, change: Partial<OfferTerms> = {}): Policy {
  return read(buildOfferPolicy(offerTermsInput.parse({ ...templateDefaults(template, facts), ...change }), REFS, CHARTER));
}

const check = (policy: Policy, facts: DatasetFacts, agreement: AgreementMode = 'provider_approval') =>
  checkOffer(policy, facts, { agreement, charter: CHARTER, refs: REFS });
const paths = (policy: Policy, facts: DatasetFacts, agreement?: AgreementMode) => check(policy, facts, agreement).map((i) => i.path);

/** A hand-written offer (the expert JSON-LD view), the charter's prohibitions included. */
function expert(permission: Record<string, unknown>, more: Record<string, unknown> = {}): Policy {
  return read({
    '@context': ['http://www.w3.org/ns/odrl.jsonld', { cf: 'https://w3id.org/confiance/odrl#', dpv: 'https://w3id.org/dpv#' }],
    '@type': 'Offer',
    uid: REFS.offer,
    assigner: REFS.provider,
    target: REFS.dataset,
    permission: [{ action: 'cf:queryAggregate', ...permission }],
    prohibition: [{ action: 'cf:reidentify' }, { action: 'sell' }],
    ...more,
  });
}

describe('templates', () => {
  it.each([
    ['members', 'etalab-2.0', 'members', 'automatic'],
    ['research_aggregate', 'etalab-2.0', 'members', 'automatic'],
    ['public_interest', 'cc-by-4.0', 'members', 'automatic'],
    ['commercial', 'etalab-2.0', 'members', 'automatic'],
    ['research_aggregate', 'cc-by-nc-4.0', 'aggregate_only', 'provider_approval'],
    ['members', 'cc-by-nc-4.0', 'restricted', 'provider_approval'],
    ['public_interest', 'odbl-1.0', 'restricted', 'provider_approval'],
  ] as const)('%s on %s, %s data, %s: passes every check', (template, licence, accessLevel, agreement) => {
    const facts = dataset({ licence, accessLevel });
    expect(check(offer(template, facts), facts, agreement)).toEqual([]);
  });

  it.each([
    ['dp_counts', 'etalab-2.0', 'members', 'automatic'],
    ['dp_counts', 'cc-by-nc-4.0', 'aggregate_only', 'provider_approval'],
    ['dp_counts', 'odbl-1.0', 'restricted', 'provider_approval'],
    ['joinable', 'etalab-2.0', 'members', 'automatic'],
    ['joinable', 'cc-by-nc-4.0', 'aggregate_only', 'provider_approval'],
    ['joinable', 'cc-by-4.0', 'restricted', 'provider_approval'],
  ] as const)('%s on %s, %s data, %s: passes every check', (template, licence, accessLevel, agreement) => {
    const facts = dataset({ licence, accessLevel, columns: ['ventes.code_commune', 'ventes.montant', 'code_commune', 'montant'] });
    expect(check(offer(template, facts), facts, agreement)).toEqual([]);
  });

  it('every template has a French label and defaults that parse back to themselves', () => {
    for (const template of OFFER_TEMPLATES) {
      expect(TEMPLATE_LABEL[template]).toMatch(/\S/);
      const terms = templateDefaults(template, dataset());
      expect(offerTermsInput.parse(terms)).toEqual(terms);
    }
  });

  it('dp_counts proposes aggregate counts under ε = 1, 0.1 a query, discrete Laplace, for research and public benefit', () => {
    const terms = templateDefaults('dp_counts', dataset({ accessLevel: 'aggregate_only' }));
    expect(terms).toMatchObject({
      uses: ['aggregate'],
      purposes: ['dpv:ResearchAndDevelopment', 'dpv:PublicBenefit'],
      disclosure: null,
      privacy: { epsilon: '1', epsilonPerQuery: '0.1', delta: null, mechanism: 'discrete_laplace', clipping: [] },
    });
    const json = JSON.stringify(buildOfferPolicy(terms, REFS, CHARTER));
    expect(json).toContain('"leftOperand":"cf:epsilon","operator":"lteq","rightOperand":{"@value":"1","@type":"xsd:decimal"}');
    expect(json).toContain('"leftOperand":"cf:noise","operator":"eq","rightOperand":"discrete_laplace"');
  });

  it('joinable proposes the dataset’s key-like columns as join keys, under disclosure control', () => {
    const facts = dataset({ columns: ['t.code_commune', 't.siren', 't.annee', 'code_commune', 'siren', 'annee', 'id_patient'] });
    const terms = templateDefaults('joinable', facts);
    expect(terms).toMatchObject({ uses: ['aggregate'], joinKeys: ['code_commune', 'siren', 'id_patient'], privacy: null });
    expect(terms.disclosure).not.toBeNull();
    expect(JSON.stringify(buildOfferPolicy(terms, REFS, CHARTER))).toContain(
      '"leftOperand":"cf:joinKey","operator":"isAnyOf","rightOperand":["code_commune","siren","id_patient"]',
    );
    expect(check(offer('joinable', facts), facts)).toEqual([]);
  });

  it.each([
    [['dep', 'annee', 'nb'], ['dep']],
    [['CODGEO', 'P21_POP'], ['CODGEO']],
    [
      ['code_naf', 'commune', 'valid', 'identifiant_etab', 'etab_siret'],
      ['identifiant_etab', 'etab_siret'],
    ],
    [
      ['t.id', 'id', 'insee_com', 'insee_com'],
      ['id', 'insee_com'],
    ],
    [['annee', 'valeur'], []],
  ])('proposes %j as join keys: %j', (columns, keys) => {
    expect(proposedJoinKeys(columns)).toEqual(keys);
  });

  it('a join key outside the dataset is named', () => {
    const facts = dataset();
    expect(paths(offer('joinable', facts, { joinKeys: ['siret'] }), facts)).toEqual(['permission[0].constraint[2].rightOperand']);
  });

  it('a research offer on personal data passes only with an ethics review', () => {
    const facts = dataset({ personalData: true });
    const p = offer('research_aggregate', facts);
    expect(check(p, facts, 'ethics_review')).toEqual([]);
    expect(check(p, facts, 'provider_approval')).toEqual([
      { path: 'agreement', message: 'la charte exige un examen par la commission d’éthique pour les données personnelles ou de santé' },
    ]);
  });
});

describe('licence contradictions', () => {
  const nc = dataset({ licence: 'cc-by-nc-4.0' });

  it('refuses the commercial template on CC BY-NC data, naming the purpose', () => {
    const found = check(offer('commercial', nc), nc);
    expect(found).toEqual([
      {
        path: 'permission[0].constraint[0].rightOperand',
        message: 'la licence CC BY-NC 4.0 interdit l’usage commercial : « Finalité commerciale » est une finalité commerciale',
      },
      expect.objectContaining({ path: 'permission[1].constraint[0].rightOperand' }),
    ]);
  });

  it('accepts a research offer on NC data only with CommercialPurpose excluded', () => {
    expect(check(offer('research_aggregate', nc), nc)).toEqual([]);
    const open = check(offer('research_aggregate', nc, { excludedPurposes: [] }), nc);
    expect(open).toHaveLength(1);
    expect(open[0]!.path).toBe('permission[0].constraint[0].rightOperand');
    expect(open[0]!.message).toMatch(
      /« Recherche et développement » comprend « Recherche à des fins commerciales » ; excluez « Finalité commerciale »/,
    );
  });

  it('refuses an NC offer with no purpose bound at all', () => {
    expect(paths(offer('members', nc, { excludedPurposes: [] }), nc)).toEqual(['permission[0].constraint', 'permission[1].constraint']);
  });

  it.each(['commercialize', 'sell', 'http://creativecommons.org/ns#CommercialUse'])('refuses a permission to %s NC data', (action) => {
    expect(paths(expert({ action }), nc)).toContain('permission[0].action');
  });

  it.each([
    ['commercialize', []],
    ['use', []],
    ['commercialize', ['permission[0].constraint']],
  ])('an unconditional prohibition to %s makes an unbounded NC offer acceptable', (action, expected) => {
    const prohibition = [
      { action: 'cf:reidentify' },
      { action: 'sell' },
      { action, ...(expected.length > 0 ? { assignee: 'urn:org:x' } : {}) },
    ];
    const p = expert({}, { prohibition, conflict: 'perm' });
    expect(paths(p, nc)).toEqual(expected);
  });

  it('says nothing on a licence that allows commercial use', () => {
    const facts = dataset({ licence: 'cc-by-4.0' });
    expect(check(offer('commercial', facts), facts)).toEqual([]);
  });
});

describe('level widening', () => {
  it.each([
    ['rows', 'cf:queryRows'],
    ['download', 'cf:download'],
    ['sql', 'cf:querySql'],
  ] as const)('refuses %s on aggregate-only data', (use, action) => {
    const facts = dataset({ accessLevel: 'aggregate_only' });
    const p = offer('members', facts, { uses: ['aggregate', use] });
    expect(check(p, facts)).toEqual([
      {
        path: 'permission[1].action',
        message: `le jeu de données n’est accessible qu’en agrégats : l’offre ne peut pas permettre « ${action} »`,
      },
    ]);
  });

  it('refuses rows on personal data: the charter keeps it aggregate-only', () => {
    const facts = dataset({ personalData: true });
    expect(paths(offer('members', facts, { uses: ['rows'] }), facts, 'ethics_review')).toEqual(['permission[0].action']);
  });

  it.each([
    ['restricted', 'automatic', 'un jeu de données restreint ou en agrégats seulement exige l’approbation du fournisseur'],
    ['aggregate_only', 'automatic', 'un jeu de données restreint ou en agrégats seulement exige l’approbation du fournisseur'],
  ] as const)('refuses automatic agreement on %s data', (accessLevel, agreement, message) => {
    const facts = dataset({ accessLevel });
    expect(check(offer('research_aggregate', facts), facts, agreement)).toEqual([{ path: 'agreement', message }]);
  });

  it('names an unknown column and a bad département code', () => {
    const facts = dataset();
    const p = expert({
      constraint: [
        { leftOperand: 'cf:column', operator: 'isAnyOf', rightOperand: ['naissances.commune', 'naissances.salaire'] },
        { leftOperand: 'cf:departement', operator: 'isAnyOf', rightOperand: ['34', '99'] },
      ],
    });
    expect(check(p, facts)).toEqual([
      {
        path: 'permission[0].constraint[0].rightOperand[1]',
        message: 'la colonne « naissances.salaire » n’existe pas dans la version courante',
      },
      { path: 'permission[0].constraint[1].rightOperand[1]', message: '« 99 » n’est pas un code département INSEE' },
    ]);
  });

  it.each([
    ['01', true],
    ['2A', true],
    ['34', true],
    ['95', true],
    ['974', true],
    ['976', true],
    ['00', false],
    ['20', false],
    ['96', false],
    ['975', false],
    ['2C', false],
    ['340', false],
  ])('département %s is a code: %s', (code, valid) => {
    const p = expert({ constraint: [{ leftOperand: 'cf:departement', operator: 'isAnyOf', rightOperand: [code] }] });
    expect(check(p, dataset()).length).toBe(valid ? 0 : 1);
    expect(offerTermsInput.safeParse({ ...templateDefaults('members', dataset()), departements: [code] }).success).toBe(valid);
  });

  it('names a purpose outside DPV', () => {
    const p = expert({ constraint: [{ leftOperand: 'purpose', operator: 'isA', rightOperand: { '@id': 'dpv:Snooping' } }] });
    expect(paths(p, dataset())).toEqual(['permission[0].constraint[0].rightOperand']);
  });

  it('requires every prohibition of the charter', () => {
    const p = read({ ...buildOfferPolicy(templateDefaults('members', dataset()), REFS, CHARTER), prohibition: [{ action: 'sell' }] });
    expect(check(p, dataset())).toEqual([
      { path: 'prohibition', message: 'la charte interdit toujours « cf:reidentify » : l’offre doit reprendre cette interdiction' },
    ]);
  });

  it('does not count a conditional prohibition as the charter’s', () => {
    const p = expert(
      {},
      {
        prohibition: [
          { action: 'cf:reidentify', constraint: [{ leftOperand: 'spatial', operator: 'eq', rightOperand: 'FR' }] },
          { action: 'sell' },
        ],
      },
    );
    expect(paths(p, dataset())).toEqual(['prohibition']);
  });
});

describe('self-contradiction', () => {
  const dt = (v: string) => ({ '@value': v, '@type': 'xsd:dateTime' });
  it.each([
    [
      'a start after the end',
      [
        { leftOperand: 'dateTime', operator: 'gt', rightOperand: dt('2027-01-01T00:00:00Z') },
        { leftOperand: 'dateTime', operator: 'lt', rightOperand: dt('2026-01-01T00:00:00Z') },
      ],
      'permission[0].constraint[1].rightOperand',
    ],
    ['a quota of zero', [{ leftOperand: 'count', operator: 'lteq', rightOperand: 0 }], 'permission[0].constraint[0].rightOperand'],
    [
      'a minimum above the maximum',
      [
        { leftOperand: 'count', operator: 'gteq', rightOperand: 10 },
        { leftOperand: 'count', operator: 'lt', rightOperand: 5 },
      ],
      'permission[0].constraint[1].rightOperand',
    ],
    [
      'a zero duration',
      [{ leftOperand: 'elapsedTime', operator: 'lteq', rightOperand: { '@value': 'P0M', '@type': 'xsd:duration' } }],
      'permission[0].constraint[0].rightOperand',
    ],
    [
      'every purpose excluded',
      [
        { leftOperand: 'purpose', operator: 'isA', rightOperand: { '@id': 'dpv:AcademicResearch' } },
        { leftOperand: 'purpose', operator: 'isNoneOf', rightOperand: [{ '@id': 'dpv:ResearchAndDevelopment' }] },
      ],
      'permission[0].constraint[1].rightOperand',
    ],
  ])('refuses %s', (_name, constraint, path) => {
    expect(paths(expert({ constraint }), dataset())).toEqual([path]);
  });

  it('accepts a start before the end, and a purpose narrower than none excluded', () => {
    const p = expert({
      constraint: [
        { leftOperand: 'dateTime', operator: 'gt', rightOperand: dt('2026-01-01T00:00:00Z') },
        { leftOperand: 'dateTime', operator: 'lt', rightOperand: dt('2027-01-01T00:00:00Z') },
        { leftOperand: 'purpose', operator: 'isA', rightOperand: { '@id': 'dpv:ResearchAndDevelopment' } },
        { leftOperand: 'purpose', operator: 'isNoneOf', rightOperand: [{ '@id': 'dpv:CommercialPurpose' }] },
      ],
    });
    expect(check(p, dataset())).toEqual([]);
  });

  it('refuses an unconditional prohibition that cancels a permission, unless the policy lets permissions win', () => {
    const cancels = { prohibition: [{ action: 'cf:reidentify' }, { action: 'sell' }, { action: 'aggregate' }] };
    expect(check(expert({}, cancels), dataset())).toEqual([
      { path: 'prohibition[2].action', message: expect.stringContaining('annule la permission permission[0]') },
    ]);
    expect(check(expert({}, { ...cancels, conflict: 'perm' }), dataset())).toEqual([]);
  });

  it('names the uid, type, target and assigner an offer must carry', () => {
    const p = read({
      ...buildOfferPolicy(templateDefaults('members', dataset()), REFS, CHARTER),
      '@type': 'Set',
      uid: 'urn:offer:2',
      target: 'urn:dataset:other',
    });
    expect(paths(p, dataset())).toEqual(expect.arrayContaining(['@type', 'uid', 'permission[0].target', 'prohibition[0].target']));
  });
});

describe('decideOffer', () => {
  const facts = dataset();
  const p = offer('research_aggregate', facts);
  const request = {
    action: 'cf:queryAggregate',
    target: REFS.dataset,
    context: { purpose: 'dpv:AcademicResearch', 'cf:partyType': 'research', elapsedTime: 'P6M' },
  };

  it('denies, in French, when the charter is required and not signed', () => {
    const d = decideOffer(p, request, { required: true, signed: false, version: '2026-01' });
    expect(d.outcome).toBe('deny');
    expect(d.charter.state).toBe('not_satisfied');
    expect(d.summary).toBe(
      'Refusé : l’organisation n’a pas signé la charte éthique en vigueur (version 2026-01) ; un administrateur de l’organisation peut la signer sur la page Charte.',
    );
  });

  it('denies when no charter is published yet', () => {
    expect(decideOffer(p, request, { required: true, signed: false, version: null }).summary).toBe(
      'Refusé : aucune charte éthique n’est encore publiée.',
    );
  });

  it('permits a signed organisation, attribution being an obligation of use', () => {
    const d = decideOffer(p, request, { required: true, signed: true, version: '2026-01' });
    expect(d).toMatchObject({ outcome: 'permit', conditional: true, charter: { state: 'satisfied' } });
    expect(d.rules[0]!.duties.map((x) => [x.action, x.state])).toEqual([['attribute', 'pending']]);
  });

  it('ignores the charter on open data, but not the offer', () => {
    expect(decideOffer(p, request, { required: false, signed: false, version: null })).toMatchObject({
      outcome: 'permit',
      charter: { state: 'not_applicable' },
    });
    const company = { ...request, context: { ...request.context, 'cf:partyType': 'company' } };
    expect(decideOffer(p, company, { required: false, signed: false, version: null }).outcome).toBe('deny');
  });

  it('fails on purpose with the reason in French', () => {
    const d = decideOffer(
      p,
      { ...request, context: { ...request.context, purpose: 'dpv:Marketing' } },
      { required: true, signed: true, version: '1' },
    );
    expect(d.outcome).toBe('deny');
    expect(d.summary).toMatch(/^Refusé : condition non remplie : Finalité : Recherche/);
  });
});

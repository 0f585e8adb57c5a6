import { describe, expect, it } from 'vitest';
import { readPolicy, type PolicyIssue } from './model';
import { ODRL_CONTEXT, POLICY_CONTEXT } from './terms';

const base = {
  '@context': POLICY_CONTEXT,
  '@type': 'Offer',
  uid: 'urn:offer:1',
  assigner: 'urn:org:provider',
  target: 'urn:dataset:1',
};
const withConstraint = (constraint: unknown) => ({ ...base, permission: [{ action: 'use', constraint: [constraint] }] });

function issues(json: unknown, vocabulary?: 'profile' | 'open'): PolicyIssue[] {
  const result = readPolicy(json, vocabulary ? { vocabulary } : {});
  return result.ok ? [] : result.issues;
}
const paths = (json: unknown, vocabulary?: 'profile' | 'open') => issues(json, vocabulary).map((i) => i.path);

describe('readPolicy refuses malformed JSON-LD and names the path', () => {
  it.each([
    ['not an object', [], ''],
    ['no @context', { ...base, '@context': undefined, permission: [{ action: 'use' }] }, '@context'],
    [
      'a @context without ODRL',
      { ...base, '@context': { cf: 'https://w3id.org/confiance/odrl#' }, permission: [{ action: 'use' }] },
      '@context',
    ],
    [
      'a @context entry that is neither URL nor object',
      { ...base, '@context': [ODRL_CONTEXT, 3], permission: [{ action: 'use' }] },
      '@context[1]',
    ],
    ['an unknown policy type', { ...base, '@type': 'Contract', permission: [{ action: 'use' }] }, '@type'],
    ['no uid', { ...base, uid: undefined, permission: [{ action: 'use' }] }, 'uid'],
    ['no rule', { ...base }, 'permission'],
    ['an unknown conflict strategy', { ...base, conflict: 'first', permission: [{ action: 'use' }] }, 'conflict'],
    ['an Offer without assigner', { ...base, assigner: undefined, permission: [{ action: 'use' }] }, 'assigner'],
    ['an Agreement without assignee', { ...base, '@type': 'Agreement', permission: [{ action: 'use' }] }, 'assignee'],
    ['an unknown action', { ...base, permission: [{ action: 'scrape' }] }, 'permission[0].action'],
    [
      'an unknown action in a prohibition',
      { ...base, permission: [{ action: 'use' }], prohibition: [{ action: 'odrl:resell' }] },
      'prohibition[0].action',
    ],
    ['a rule without action', { ...base, permission: [{}] }, 'permission[0].action'],
    ['two actions in a rule', { ...base, permission: [{ action: ['read', 'print'] }] }, 'permission[0].action'],
    ['an unknown duty action', { ...base, permission: [{ action: 'use', duty: [{ action: 'dance' }] }] }, 'permission[0].duty[0].action'],
    [
      'an unknown left operand',
      withConstraint({ leftOperand: 'mood', operator: 'eq', rightOperand: 'happy' }),
      'permission[0].constraint[0].leftOperand',
    ],
    [
      'an unknown profile left operand',
      withConstraint({ leftOperand: 'cf:colour', operator: 'eq', rightOperand: 'x' }),
      'permission[0].constraint[0].leftOperand',
    ],
    [
      'an unknown operator',
      withConstraint({ leftOperand: 'count', operator: 'approx', rightOperand: 3 }),
      'permission[0].constraint[0].operator',
    ],
    ['no operator', withConstraint({ leftOperand: 'count', rightOperand: 3 }), 'permission[0].constraint[0].operator'],
    ['no right operand', withConstraint({ leftOperand: 'count', operator: 'lteq' }), 'permission[0].constraint[0].rightOperand'],
    [
      'several values with eq',
      withConstraint({ leftOperand: 'spatial', operator: 'eq', rightOperand: ['FR', 'DE'] }),
      'permission[0].constraint[0].operator',
    ],
    [
      'a one-member or',
      { ...base, permission: [{ action: 'use', constraint: [{ or: [{ leftOperand: 'count', operator: 'lt', rightOperand: 3 }] }] }] },
      'permission[0].constraint[0].or',
    ],
    [
      'a bad constraint in a logical one',
      {
        ...base,
        permission: [
          {
            action: 'use',
            constraint: [
              {
                and: [
                  { leftOperand: 'count', operator: 'lt', rightOperand: 3 },
                  { leftOperand: 'x', operator: 'eq', rightOperand: 1 },
                ],
              },
            ],
          },
        ],
      },
      'permission[0].constraint[0].and[1].leftOperand',
    ],
    [
      'a bad refinement',
      {
        ...base,
        permission: [
          {
            action: [
              {
                'rdf:value': { '@id': 'odrl:print' },
                refinement: [{ leftOperand: 'resolution', operator: 'lteq', rightOperand: { '@value': 'high', '@type': 'xsd:integer' } }],
              },
            ],
          },
        ],
      },
      'permission[0].action.refinement[0].rightOperand',
    ],
    ['a party that is a number', { ...base, permission: [{ action: 'use', assignee: 42 }] }, 'permission[0].assignee'],
  ])('%s → %s', (_name, json, path) => {
    expect(paths(json)).toContain(path);
  });

  it.each([
    [{ '@value': 'douze', '@type': 'xsd:integer' }],
    [{ '@value': '12.5', '@type': 'xsd:integer' }],
    [{ '@value': '-3', '@type': 'xsd:nonNegativeInteger' }],
    [{ '@value': '0', '@type': 'xsd:positiveInteger' }],
    [{ '@value': '1e3', '@type': 'xsd:decimal' }],
    [{ '@value': '2024-02-30', '@type': 'xsd:date' }],
    [{ '@value': '2024-13-01', '@type': 'xsd:date' }],
    [{ '@value': '31/12/2026', '@type': 'xsd:date' }],
    [{ '@value': '2026-12-31 10:00', '@type': 'xsd:dateTime' }],
    [{ '@value': '2026-12-31T25:00:00Z', '@type': 'xsd:dateTime' }],
    [{ '@value': 'P1Y2', '@type': 'xsd:duration' }],
    [{ '@value': 'P', '@type': 'xsd:duration' }],
    [{ '@value': 'PT', '@type': 'xsd:duration' }],
    [{ '@value': 'P1D', '@type': 'xsd:yearMonthDuration' }],
    [{ '@value': 'P1M', '@type': 'xsd:dayTimeDuration' }],
    [{ '@value': 'maybe', '@type': 'xsd:boolean' }],
    [{ '@value': 12, '@type': 'http://www.w3.org/2001/XMLSchema#date' }],
  ])('refuses the typed literal %j at its path', (rightOperand) => {
    const found = issues(withConstraint({ leftOperand: 'dateTime', operator: 'lteq', rightOperand }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      path: 'permission[0].constraint[0].rightOperand',
      message: expect.stringContaining('n’est pas une valeur'),
    });
  });

  it.each([
    [{ '@value': '12', '@type': 'xsd:integer' }],
    [{ '@value': '-0', '@type': 'xsd:nonNegativeInteger' }],
    [{ '@value': '2024-02-29', '@type': 'xsd:date' }],
    [{ '@value': '2026-12-31T23:59:59.5+14:00', '@type': 'xsd:dateTime' }],
    [{ '@value': '2026-12-31T10:00:00', '@type': 'xsd:dateTime' }],
    [{ '@value': 'P1Y6M', '@type': 'xsd:yearMonthDuration' }],
    [{ '@value': 'P1DT12H', '@type': 'xsd:dayTimeDuration' }],
    [{ '@value': '.5', '@type': 'xsd:decimal' }],
  ])('accepts the typed literal %j', (rightOperand) => {
    expect(issues(withConstraint({ leftOperand: 'dateTime', operator: 'lteq', rightOperand }))).toEqual([]);
  });

  it('points at the value among several', () => {
    const json = withConstraint({
      leftOperand: 'dateTime',
      operator: 'isAnyOf',
      rightOperand: ['2026-01-01', { '@value': 'bad', '@type': 'xsd:date' }],
    });
    expect(paths(json)).toEqual(['permission[0].constraint[0].rightOperand[1]']);
  });

  it('reports every problem at once, in French', () => {
    const found = issues({
      '@context': ODRL_CONTEXT,
      permission: [{ action: 'scrape', constraint: [{ leftOperand: 'mood', operator: 'eq', rightOperand: 1 }] }],
    });
    expect(found.map((i) => i.path).sort()).toEqual(['@type', 'permission[0].action', 'permission[0].constraint[0].leftOperand', 'uid']);
    for (const i of found) expect(i.message).toMatch(/[a-zé]/);
    expect(found.find((i) => i.path === 'permission[0].action')!.message).toBe(
      '« scrape » n’est pas une action d’ODRL 2.2 ni du profil Confiance',
    );
  });
});

describe('readPolicy reads', () => {
  it('the ODRL and Confiance terms in every spelling', () => {
    const result = readPolicy({
      ...base,
      '@context': [ODRL_CONTEXT, { cf: 'https://w3id.org/confiance/odrl#', dpv: 'https://w3id.org/dpv#', ex: 'https://example.org/' }],
      permission: [
        {
          action: 'http://www.w3.org/ns/odrl/2/read',
          constraint: [
            {
              leftOperand: 'odrl:purpose',
              operator: { '@id': 'odrl:isA' },
              rightOperand: { '@id': 'https://w3id.org/dpv#AcademicResearch' },
            },
            { leftOperand: 'https://w3id.org/confiance/odrl#partyType', operator: 'isAnyOf', rightOperand: ['research'] },
          ],
        },
        {
          action: 'cf:queryAggregate',
          constraint: [
            {
              andSequence: {
                '@list': [
                  { leftOperand: 'count', operator: 'lt', rightOperand: 3 },
                  { leftOperand: 'spatial', operator: 'eq', rightOperand: 'FR' },
                ],
              },
            },
          ],
        },
      ],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const [read, aggregate] = result.policy.permissions;
    expect(read).toMatchObject({
      action: 'read',
      target: { id: 'urn:dataset:1', collection: false },
      assigner: { id: 'urn:org:provider' },
      constraints: [
        { leftOperand: 'purpose', operator: 'isA', rightOperand: [{ kind: 'iri', value: 'dpv:AcademicResearch' }] },
        { leftOperand: 'cf:partyType', operator: 'isAnyOf', rightOperand: [{ kind: 'string', value: 'research' }] },
      ],
    });
    expect(aggregate!.constraints[0]).toMatchObject({
      kind: 'logical',
      operator: 'andSequence',
      constraints: [{ leftOperand: 'count' }, { leftOperand: 'spatial' }],
    });
    expect(result.policy.conflict).toBe('prohibit');
  });

  it('typed literals with their kind', () => {
    const result = readPolicy(
      withConstraint({ leftOperand: 'elapsedTime', operator: 'lteq', rightOperand: { '@value': 'P12M', '@type': 'xsd:duration' } }),
    );
    expect(result.ok && result.policy.permissions[0]!.constraints[0]).toMatchObject({
      rightOperand: [{ kind: 'duration', value: 'P12M' }],
    });
  });

  it('foreign terms only with the open vocabulary; bare or cf: unknown terms never', () => {
    const foreign = withConstraint({ leftOperand: 'https://example.org/dayOfWeek', operator: 'eq', rightOperand: 'Sunday' });
    expect(paths(foreign)).toEqual(['permission[0].constraint[0].leftOperand']);
    expect(paths(foreign, 'open')).toEqual([]);
    expect(paths(withConstraint({ leftOperand: 'dayOfWeek', operator: 'eq', rightOperand: 'Sunday' }), 'open')).toEqual([
      'permission[0].constraint[0].leftOperand',
    ]);
    expect(paths({ ...base, permission: [{ action: 'cf:scrape' }] }, 'open')).toEqual(['permission[0].action']);
    expect(paths({ ...base, permission: [{ action: 'https://example.org/scrape' }] }, 'open')).toEqual([]);
  });

  it('collections, their source and refinements', () => {
    const result = readPolicy({
      ...base,
      permission: [
        {
          action: 'use',
          assignee: {
            '@type': 'PartyCollection',
            '@id': 'urn:members',
            refinement: [{ leftOperand: 'cf:partyType', operator: 'eq', rightOperand: 'research' }],
          },
        },
      ],
    });
    expect(result.ok && result.policy.permissions[0]!.assignee).toMatchObject({
      id: 'urn:members',
      collection: true,
      refinements: [{ leftOperand: 'cf:partyType' }],
    });
  });

  it('the deprecated action write', () => {
    expect(paths({ ...base, permission: [{ action: 'write' }] })).toEqual([]);
  });
});

describe('a policy nested beyond reason', () => {
  it('is refused with the path where it goes too deep, not with a stack overflow', () => {
    let constraint: Record<string, unknown> = { leftOperand: 'count', operator: 'lteq', rightOperand: 1 };
    for (let i = 0; i < 20_000; i++) constraint = { and: [constraint, { leftOperand: 'count', operator: 'lteq', rightOperand: 1 }] };
    const result = readPolicy({
      '@context': 'http://www.w3.org/ns/odrl.jsonld',
      '@type': 'Set',
      uid: 'http://example.com/p',
      permission: [{ action: 'use', constraint: [constraint] }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.message).toMatch(/imbrications/);
  });
});

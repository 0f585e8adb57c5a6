import { templateDefaults, type DatasetFacts } from '@confiance/contract';
import { describe, expect, it } from 'vitest';
import { applyTermFlags, givenTermFlags, parseClip } from '../src/commands/offers/terms';

/** The offer flags of issue 8: join keys and differential privacy on top of a template's defaults. */

const FACTS: DatasetFacts = {
  accessLevel: 'aggregate_only',
  licence: 'etalab-2.0',
  personalData: true,
  columns: ['dep', 'jour', 'incid_hosp'],
};

describe('offer flags for joins and differential privacy', () => {
  it.each([
    ['incid_hosp:0:50', { column: 'incid_hosp', lower: 0, upper: 50 }],
    ['t.valeur:-10:2.5', { column: 't.valeur', lower: -10, upper: 2.5 }],
  ])('reads --clip %s', (text, clip) => {
    expect(parseClip(text)).toEqual(clip);
  });

  it.each(['incid_hosp', 'incid_hosp:0', 'incid_hosp:a:b', ':0:1'])('refuses --clip %s', (text) => {
    expect(() => parseClip(text)).toThrow(/colonne:min:max/);
  });

  it('replaces the join keys, and names the flags it was given', () => {
    const flags = { joinKeys: ['dep', 'dep'] };
    expect(applyTermFlags(templateDefaults('joinable', FACTS), flags).joinKeys).toEqual(['dep']);
    expect(givenTermFlags({ ...flags, epsilon: '1', clip: [] })).toEqual(['--join-keys', '--epsilon', '--clip']);
  });

  it('adjusts the dp_counts template’s budget and adds clipping', () => {
    const terms = applyTermFlags(templateDefaults('dp_counts', FACTS), {
      epsilon: '2',
      clip: [{ column: 'incid_hosp', lower: 0, upper: 50 }],
    });
    expect(terms.privacy).toMatchObject({
      epsilon: '2',
      mechanism: 'discrete_laplace',
      clipping: [{ column: 'incid_hosp', lower: 0, upper: 50 }],
    });
    expect(terms.privacy?.epsilonPerQuery).toBe(templateDefaults('dp_counts', FACTS).privacy?.epsilonPerQuery);
  });

  it('adds differential privacy to another template only with a budget and its share per query', () => {
    const base = templateDefaults('research_aggregate', FACTS);
    expect(() => applyTermFlags(base, { epsilon: '1' })).toThrow(/--epsilon-per-query/);
    expect(applyTermFlags(base, { epsilon: '1', epsilonPerQuery: '0.25' }).privacy).toEqual({
      epsilon: '1',
      epsilonPerQuery: '0.25',
      delta: null,
      mechanism: 'discrete_laplace',
      clipping: [],
    });
  });

  it('removes it with --no-epsilon, alone', () => {
    expect(applyTermFlags(templateDefaults('dp_counts', FACTS), { epsilon: false }).privacy).toBeNull();
    expect(() => applyTermFlags(templateDefaults('dp_counts', FACTS), { epsilon: false, epsilonPerQuery: '0.1' })).toThrow(/--no-epsilon/);
  });
});

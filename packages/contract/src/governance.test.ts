import { describe, expect, it } from 'vitest';
import { outcomeOf, tally, type MajorityRule, type VoteOutcome } from './governance';

describe('tally', () => {
  it('counts abstentions as present for the quorum, in integers', () => {
    expect(tally({ pour: 1, contre: 0, abstention: 1 }, 4, 50)).toMatchObject({ voters: 2, quorumMet: true });
    expect(tally({ pour: 1, contre: 0, abstention: 0 }, 3, 50)).toMatchObject({ voters: 1, quorumMet: false });
    // 2 of 3 is 66.66… %: meets a 66 % quorum, not a 67 % one.
    expect(tally({ pour: 2, contre: 0, abstention: 0 }, 3, 66).quorumMet).toBe(true);
    expect(tally({ pour: 2, contre: 0, abstention: 0 }, 3, 67).quorumMet).toBe(false);
  });

  it('never meets a quorum in a commission without members', () => {
    expect(tally({ pour: 0, contre: 0, abstention: 0 }, 0, 0).quorumMet).toBe(false);
  });
});

describe('outcomeOf', () => {
  const CASES: [MajorityRule, [number, number, number], VoteOutcome][] = [
    ['simple', [3, 2, 0], 'adopted'],
    ['simple', [2, 2, 1], 'rejected'],
    ['simple', [0, 0, 5], 'rejected'],
    ['simple', [1, 0, 4], 'adopted'],
    ['two_thirds', [2, 1, 0], 'adopted'],
    ['two_thirds', [3, 2, 0], 'rejected'],
    ['two_thirds', [4, 2, 0], 'adopted'],
    ['two_thirds', [0, 0, 3], 'rejected'],
    ['unanimity', [3, 0, 2], 'adopted'],
    ['unanimity', [4, 1, 0], 'rejected'],
    ['unanimity', [0, 0, 5], 'rejected'],
  ];
  it.each(CASES)('%s with pour/contre/abstention %j → %s', (majority, [pour, contre, abstention], expected) => {
    expect(outcomeOf(tally({ pour, contre, abstention }, 5, 50), majority)).toBe(expected);
  });

  it('is no quorum whatever the votes when too few voted', () => {
    for (const majority of ['simple', 'two_thirds', 'unanimity'] as const) {
      expect(outcomeOf(tally({ pour: 2, contre: 0, abstention: 0 }, 5, 50), majority)).toBe('no_quorum');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { type ShapeCounts, chooseType, emptyShapeCounts, minorityDateFormat, settledBySample } from './infer';

const counts = (shapes: Partial<ShapeCounts>): ShapeCounts => ({ ...emptyShapeCounts(), ...shapes });
const plain = { identifier: false };

describe('chooseType', () => {
  it('takes the most specific type that reads every value', () => {
    expect(chooseType(counts({ integer: 10 }), plain).type).toBe('integer');
    expect(chooseType(counts({ integer: 5, decimalComma: 5 }), plain).type).toBe('number');
    expect(chooseType(counts({ boolean: 3 }), plain).type).toBe('boolean');
    expect(chooseType(counts({ isoDate: 4, frenchDate: 1 }), plain).type).toBe('date');
    expect(chooseType(counts({ isoDate: 4, isoDatetime: 1 }), plain).type).toBe('datetime');
    expect(chooseType(counts({ other: 1, integer: 3 }), plain).type).toBe('string');
  });

  it('never makes a number of codes: a leading zero or a code-like name keeps text', () => {
    expect(chooseType(counts({ integer: 999, leadingZeroInteger: 1 }), plain).type).toBe('string');
    expect(chooseType(counts({ integer: 1000 }), { identifier: true }).type).toBe('string');
    expect(chooseType(counts({ isoDate: 10 }), { identifier: true }).type).toBe('date');
  });

  it('reads missing-value markers as empty cells, whatever their share', () => {
    expect(chooseType(counts({ missing: 900, integer: 100 }), plain)).toMatchObject({ type: 'integer', read: 100, values: 100 });
    expect(chooseType(counts({ missing: 10 }), plain).type).toBe('string');
  });

  it('tolerates odd values only when they are very rare', () => {
    expect(chooseType(counts({ integer: 9999, other: 1 }), plain)).toMatchObject({ type: 'integer', read: 9999, values: 10000 });
    expect(chooseType(counts({ integer: 990, other: 10 }), plain).type).toBe('string');
  });

  it('reads YYYYMMDD as a date only when told to', () => {
    expect(chooseType(counts({ compactDate: 5 }), { identifier: false, hint: 'compact-date' }).type).toBe('date');
    expect(chooseType(counts({ integer: 5 }), plain).type).toBe('integer');
  });
});

describe('settledBySample', () => {
  const settled = (shapes: Partial<ShapeCounts>) => {
    const c = counts(shapes);
    return settledBySample(c, chooseType(c, plain), plain);
  };

  it('trusts clean typed columns, clear text, and what a narrower pass can count (markers, mixed dates)', () => {
    expect(settled({ integer: 100 })).toBe(true);
    expect(settled({ other: 100 })).toBe(true);
    expect(settled({ integer: 100, missing: 1 })).toBe(true);
    expect(settled({ isoDate: 100, frenchDate: 1 })).toBe(true);
  });

  it('wants every value counted when odd values must be found or text is in doubt', () => {
    expect(settled({ integer: 9999, other: 1 })).toBe(false);
    expect(settled({ integer: 95, other: 5 })).toBe(false);
    expect(settled({})).toBe(false);
  });
});

describe('minorityDateFormat', () => {
  it('points at the less frequent format', () => {
    expect(minorityDateFormat(counts({ isoDate: 3987, frenchDate: 108 }))).toMatchObject({ label: 'JJ/MM/AAAA', count: 108 });
    expect(minorityDateFormat(counts({ isoDate: 2, frenchDate: 50 }))).toMatchObject({ label: 'AAAA-MM-JJ', count: 2 });
    expect(minorityDateFormat(counts({ isoDate: 2 }))).toBeNull();
  });
});

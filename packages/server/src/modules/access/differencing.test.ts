import { describe, expect, it } from 'vitest';
import {
  type AtomSet,
  type CheckResult,
  type DifferencingPolicy,
  type ReleasedCell,
  ReleaseHistory,
  atomDifference,
  atomIds,
  atomIntersection,
  atomRange,
  atomSet,
  atomSize,
  atomUnion,
  checkRelease,
} from './differencing';

/** mulberry32: a seeded generator, so every failing sequence can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POLICY: DifferencingPolicy = { threshold: 7 };
/** 28/11 at 14:02 in Paris. */
const NOV_28 = { at: new Date('2024-11-28T13:02:00Z') };
const NOV_27 = { at: new Date('2024-11-27T09:30:00Z') };

const counter = (people: readonly number[]) => (atoms: AtomSet) => atomIds(atoms).reduce((sum, id) => sum + (people[id] ?? 0), 0);

/** Ages 0..99, one atom each; 3 people aged 49, nobody aged 98, 20 otherwise. */
const AGES = Array.from({ length: 100 }, (_, age) => (age === 49 ? 3 : age === 98 ? 0 : 20));
const byAge = counter(AGES);
const ageBelow = (n: number) => atomRange(0, n);

/** Protected as protect() would, without rounding: masked when ≤ 7. */
const published = (atoms: AtomSet, count: (a: AtomSet) => number, release?: { at: Date }): ReleasedCell => {
  const n = count(atoms);
  return { atoms, value: n <= 7 ? null : n, ...(release ? { release } : {}) };
};

/** Département × sexe: atom 2·dep + sexe (0 = hommes, 1 = femmes). Dep 0 has 97 men and 3 women; dep 1 has 40 and 60. */
const DEP_SEXE = [97, 3, 40, 60];
const byDepSexe = counter(DEP_SEXE);
const dep = (d: number) => atomRange(2 * d, 2 * d + 2);
const depSexe = (d: number, s: number) => atomSet([2 * d + s]);

function refused(result: CheckResult): Extract<CheckResult, { ok: false }> {
  if (result.ok) throw new Error('expected a refusal');
  return result;
}

describe('atom sets', () => {
  it('normalise ids into sorted, merged runs', () => {
    expect(atomSet([5, 3, 4, 9, 3])).toEqual([3, 6, 9, 10]);
    expect(atomRange(4, 4)).toEqual([]);
    expect(atomUnion([0, 2], [2, 4], [7, 8])).toEqual([0, 4, 7, 8]);
  });

  it.each(Array.from({ length: 40 }, (_, seed) => seed))('agree with Set arithmetic (seed %i)', (seed) => {
    const random = rng(seed);
    const ids = () => Array.from({ length: Math.floor(random() * 30) }, () => Math.floor(random() * 40));
    const a = ids();
    const b = ids();
    const sa = new Set(a);
    const sb = new Set(b);
    const sorted = (xs: Iterable<number>) => [...xs].sort((x, y) => x - y);
    expect(atomIds(atomDifference(atomSet(a), atomSet(b)))).toEqual(sorted([...sa].filter((x) => !sb.has(x))));
    expect(atomIds(atomIntersection(atomSet(a), atomSet(b)))).toEqual(sorted([...sa].filter((x) => sb.has(x))));
    expect(atomIds(atomUnion(atomSet(a), atomSet(b)))).toEqual(sorted(new Set([...a, ...b])));
    expect(atomSize(atomSet(a))).toBe(sa.size);
    // Normalised: the encoding of a set does not depend on how it was built.
    expect(atomDifference(atomSet(a), atomSet(b))).toEqual(atomSet([...sa].filter((x) => !sb.has(x))));
  });

  it('rejects a hand-built set that is not normalised, since two encodings of one set would hide a masked cell', () => {
    expect(() => checkRelease([], [{ atoms: [0, 2, 2, 4], value: 50 }], byAge, POLICY)).toThrow(RangeError);
    expect(() => checkRelease([], [{ atoms: [3, 1], value: 50 }], byAge, POLICY)).toThrow(RangeError);
    expect(() => checkRelease([], [{ atoms: [0, 1, 2], value: 50 }], byAge, POLICY)).toThrow(RangeError);
  });
});

describe('checkRelease', () => {
  describe('when a difference with an earlier release isolates a small group', () => {
    it('refuses age < 49 after age < 50, naming the earlier request but not the count', () => {
      const result = refused(checkRelease([published(ageBelow(50), byAge, NOV_28)], [published(ageBelow(49), byAge)], byAge, POLICY));
      expect(result.reason).toBe('combinée à la requête du 28/11 à 14:02, la case n° 1 isolerait un effectif compris entre 1 et 7 (≤ 7)');
      expect(result.reason).not.toContain('3 ');
      expect(result.conflicts).toContainEqual({
        kind: 'difference',
        candidate: 0,
        released: { source: 'history', index: 0 },
        relation: 'subset',
        isolated: 3,
      });
    });

    it('refuses it the other way round (age < 50 after age < 49)', () => {
      const result = refused(checkRelease([published(ageBelow(49), byAge, NOV_28)], [published(ageBelow(50), byAge)], byAge, POLICY));
      expect(result.conflicts[0]).toMatchObject({ kind: 'difference', relation: 'superset', isolated: 3 });
    });

    it('refuses a département split by sexe after its total, the women being masked', () => {
      const history = [published(dep(0), byDepSexe, NOV_27)];
      const candidate = [published(depSexe(0, 0), byDepSexe), published(depSexe(0, 1), byDepSexe)];
      expect(candidate.map((c) => c.value)).toEqual([97, null]);
      const result = refused(checkRelease(history, candidate, byDepSexe, POLICY));
      expect(result.reason).toBe('combinée à la requête du 27/11 à 10:30, la case n° 1 isolerait un effectif compris entre 1 et 7 (≤ 7)');
      // The women are both a small group and a cell masked in this very result.
      expect(result.conflicts).toContainEqual({
        kind: 'masked',
        candidate: 0,
        released: { source: 'history', index: 0 },
        masked: { source: 'candidate', index: 1 },
      });
    });
  });

  describe('when masked cells would be unmasked', () => {
    // Dep 1: 40 men masked as secondary suppression in an earlier table (count > 7).
    const secondary: ReleasedCell = { atoms: depSexe(1, 0), value: null, release: NOV_28 };

    it('refuses publishing a cell that an earlier release masked, whatever its count', () => {
      const result = refused(checkRelease([secondary], [published(depSexe(1, 0), byDepSexe)], byDepSexe, POLICY));
      expect(result.conflicts).toEqual([{ kind: 'masked', candidate: 0, released: null, masked: { source: 'history', index: 0 } }]);
      expect(result.reason).toBe('la case n° 1 redonnerait une case masquée de la requête du 28/11 à 14:02');
    });

    it('refuses a published superset whose difference with an earlier cell is the masked one', () => {
      const history = [secondary, published(depSexe(1, 1), byDepSexe, NOV_28)];
      const result = refused(checkRelease(history, [published(dep(1), byDepSexe)], byDepSexe, POLICY));
      expect(result.conflicts).toEqual([
        { kind: 'masked', candidate: 0, released: { source: 'history', index: 1 }, masked: { source: 'history', index: 0 } },
      ]);
    });

    it('refuses a result holding the total and the women when the men were masked before', () => {
      const candidate = [published(dep(1), byDepSexe), published(depSexe(1, 1), byDepSexe)];
      const result = refused(checkRelease([secondary], candidate, byDepSexe, POLICY));
      expect(result.conflicts).toContainEqual({
        kind: 'masked',
        candidate: 0,
        released: { source: 'candidate', index: 1 },
        masked: { source: 'history', index: 0 },
      });
    });

    it('allows masking again what was masked', () => {
      expect(checkRelease([secondary], [{ atoms: depSexe(1, 0), value: null }], byDepSexe, POLICY).ok).toBe(true);
    });
  });

  describe('when nothing new is isolated', () => {
    const table: { name: string; history: ReleasedCell[]; candidate: ReleasedCell[] }[] = [
      {
        name: 'the same query twice (same cells)',
        history: [published(ageBelow(49), byAge, NOV_28), published(atomRange(49, 100), byAge, NOV_28)],
        candidate: [published(ageBelow(49), byAge), published(atomRange(49, 100), byAge)],
      },
      {
        name: 'disjoint queries',
        history: [published(ageBelow(30), byAge, NOV_28)],
        candidate: [published(atomRange(30, 60), byAge)],
      },
      {
        // Nobody is 98: the difference describes nobody, so no record is isolated (see the header).
        name: 'a difference whose true count is 0',
        history: [published(ageBelow(98), byAge, NOV_28)],
        candidate: [published(ageBelow(99), byAge)],
      },
      {
        name: 'a difference of more than the threshold',
        history: [published(ageBelow(40), byAge, NOV_28)],
        candidate: [published(ageBelow(41), byAge)],
      },
      {
        name: 'a masked earlier cell, which gives nothing to subtract',
        history: [{ atoms: ageBelow(50), value: null, release: NOV_28 }],
        candidate: [published(ageBelow(49), byAge)],
      },
      {
        name: 'a first release',
        history: [],
        candidate: [published(ageBelow(49), byAge), published(ageBelow(50), byAge)],
      },
    ];
    it.each(table)('allows $name', ({ history, candidate }) => {
      expect(checkRelease(history, candidate, byAge, POLICY)).toMatchObject({ ok: true });
    });
  });

  describe('when two cells overlap without being nested', () => {
    // Ages 40..49 then 41..50: alone, C − R = n40 − n50; querying 41..49 next would give n40 exactly.
    const people = AGES.map((n, age) => (age === 40 ? 2 : n));
    const count = counter(people);
    const history = [published(atomRange(40, 50), count, NOV_28)];
    const candidate = [published(atomRange(41, 51), count)];

    it('refuses when either side holds a small group', () => {
      const result = refused(checkRelease(history, candidate, count, POLICY));
      expect(result.conflicts).toEqual([
        { kind: 'difference', candidate: 0, released: { source: 'history', index: 0 }, relation: 'overlap', isolated: 2 },
      ]);
    });

    it('allows it when the overlap control is turned off', () => {
      expect(checkRelease(history, candidate, count, { ...POLICY, overlaps: false }).ok).toBe(true);
    });
  });

  describe('when only a combination of several earlier cells isolates a group', () => {
    // Total − (0..29) − (30..59) − (60..98) = the 2 people aged 99; every pair is harmless.
    const people = AGES.map((n, age) => (age === 99 ? 2 : age === 49 ? 20 : n));
    const count = counter(people);
    const history = [
      published(atomRange(0, 100), count, NOV_27),
      published(atomRange(0, 30), count, NOV_27),
      published(atomRange(30, 60), count, NOV_28),
    ];
    const candidate = [published(atomRange(60, 99), count)];

    it('refuses through the linear check', () => {
      const result = refused(checkRelease(history, candidate, count, POLICY));
      expect(result.conflicts).toEqual([{ kind: 'linear', released: { source: 'history', index: 0 }, isolated: 2 }]);
      expect(result.reason).toBe(
        'combinée aux requêtes précédentes (dont la requête du 27/11 à 10:30), cette requête permettrait de recalculer un effectif compris entre 1 et 7 (≤ 7)',
      );
      expect(result.stats).toMatchObject({ linear: 'checked', equations: 4 });
    });

    it('lets it through with the linear check off (the gap pairwise checks leave)', () => {
      expect(checkRelease(history, candidate, count, { ...POLICY, linear: false }).ok).toBe(true);
    });

    it('refuses pinning a masked cell by three published ones', () => {
      // Total 0..99 and 0..59 published earlier, 60..98 masked (a secondary suppression, 780 people):
      // publishing age 99 alone gives it back as total − (0..59) − 99, which no pair shows.
      const masked: ReleasedCell = { atoms: atomRange(60, 99), value: null, release: NOV_28 };
      const history = [published(atomRange(0, 100), byAge, NOV_27), published(atomRange(0, 60), byAge, NOV_27), masked];
      const result = refused(checkRelease(history, [published(atomRange(99, 100), byAge)], byAge, POLICY));
      // The most recent earlier published cell sharing atoms with the masked one is the total.
      expect(result.conflicts).toEqual([
        { kind: 'linear', released: { source: 'history', index: 0 }, masked: { source: 'history', index: 2 } },
      ]);
      expect(result.reason).toBe(
        'combinée aux requêtes précédentes (dont la requête du 27/11 à 10:30), cette requête permettrait de recalculer une case masquée de la requête du 28/11 à 14:02',
      );
    });

    it('refuses a result whose cells sum to an earlier masked cell', () => {
      const masked: ReleasedCell = { atoms: atomRange(60, 99), value: null, release: NOV_28 };
      const candidate = [published(atomRange(60, 80), byAge), published(atomRange(80, 99), byAge)];
      const result = refused(checkRelease([published(atomRange(0, 60), byAge, NOV_27), masked], candidate, byAge, POLICY));
      expect(result.conflicts).toEqual([{ kind: 'linear', released: null, masked: { source: 'history', index: 1 } }]);
      expect(result.reason).toBe(
        'combinée aux requêtes précédentes, cette requête permettrait de recalculer une case masquée de la requête du 28/11 à 14:02',
      );
    });

    it('leaves to protect() what its own result determines', () => {
      // 60..79, 80..98 and their masked sum in one result: protect() would not have let it through,
      // but the history plays no part, so it is not this module's refusal.
      const candidate = [
        published(atomRange(60, 80), byAge),
        published(atomRange(80, 99), byAge),
        { atoms: atomRange(60, 99), value: null },
      ];
      expect(checkRelease([published(atomRange(0, 60), byAge, NOV_27)], candidate, byAge, POLICY).ok).toBe(true);
    });

    it('does not blame the candidate for what the history already determined', () => {
      // The three earlier cells already give ages 60..99; 60..98 then adds the same group of 2.
      const leaky = [...history, published(atomRange(60, 100), count, NOV_28)];
      const result = checkRelease(leaky, [published(atomRange(0, 10), count)], count, POLICY);
      expect(result.ok).toBe(true);
    });

    it('says when it kept only the most recent equations', () => {
      const many = Array.from({ length: 12 }, (_, i) => published(atomRange(0, 10 + i), count, NOV_27));
      const result = checkRelease(many, [published(atomRange(5, 70), count)], count, { ...POLICY, maxEquations: 5 });
      // Five earlier cells and the candidate's.
      expect(result.stats).toMatchObject({ linear: 'truncated', equations: 6 });
    });
  });

  describe('when the contract’s history is full', () => {
    it('refuses every further release and drops nothing', () => {
      const history = new ReleaseHistory([published(ageBelow(10), byAge, NOV_27), published(atomRange(10, 20), byAge, NOV_27)]);
      const result = refused(checkRelease(history, [published(atomRange(30, 40), byAge)], byAge, { ...POLICY, maxCells: 2 }));
      expect(result.conflicts).toEqual([{ kind: 'history_full', cells: 2, cap: 2 }]);
      expect(result.reason).toContain('limite de 2 cases publiées');
      expect(history.size).toBe(2);
    });
  });

  describe('ReleaseHistory', () => {
    it('finds only the cells sharing atoms, including wide ones spanning many blocks', () => {
      const history = new ReleaseHistory([
        { atoms: atomRange(0, 10), value: 10 },
        { atoms: atomRange(5000, 5010), value: 10 },
        { atoms: atomRange(0, 10_000_000), value: 10 },
        { atoms: atomSet([4096 * 3 + 1, 4096 * 9]), value: 10 },
      ]);
      expect(history.overlapping(atomRange(8, 9))).toEqual([0, 2]);
      expect(history.overlapping(atomRange(20, 4000))).toEqual([2]);
      expect(history.overlapping(atomSet([4096 * 9]))).toEqual([2, 3]);
      expect(history.overlapping(atomSet([4096 * 9 + 1]))).toEqual([2]);
    });

    it('gives the same answer as a plain array', () => {
      const cells = [published(ageBelow(50), byAge, NOV_28), published(atomRange(60, 70), byAge, NOV_28)];
      const candidate = [published(ageBelow(49), byAge)];
      expect(checkRelease(new ReleaseHistory(cells), candidate, byAge, POLICY)).toEqual(checkRelease(cells, candidate, byAge, POLICY));
    });
  });

  describe('on random sequences over a small population', () => {
    /** 2 sexes × 20 ages; 0..6 people per atom, so small differences are common. */
    const SIZE = 40;
    const randomCell = (random: () => number): AtomSet => {
      const from = Math.floor(random() * 20);
      const to = from + 1 + Math.floor(random() * (20 - from));
      const sexes = random() < 0.5 ? [0, 1] : [Math.floor(random() * 2)];
      return atomUnion(...sexes.map((s) => atomRange(s * 20 + from, s * 20 + to)));
    };
    const ids = (atoms: AtomSet) => new Set(atomIds(atoms));
    const minus = (a: Set<number>, b: Set<number>) => [...a].filter((x) => !b.has(x));
    const same = (a: readonly number[], b: Set<number>) => a.length === b.size && a.every((x) => b.has(x));

    /** The pairwise rules, by brute force on plain sets: true when some pair discloses. */
    function bruteForce(history: readonly ReleasedCell[], candidate: readonly ReleasedCell[], people: readonly number[]): boolean {
      const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + people[x]!, 0);
      const isSmall = (xs: readonly number[]) => sum(xs) >= 1 && sum(xs) <= 7;
      const masked = [...history, ...candidate].filter((c) => c.value === null).map((c) => ids(c.atoms));
      const isMasked = (xs: readonly number[]) => masked.some((m) => same(xs, m));
      const pubCandidate = candidate.filter((c) => c.value !== null).map((c) => ids(c.atoms));
      for (const c of pubCandidate) {
        if (isMasked([...c])) return true;
        for (const r of history.filter((h) => h.value !== null).map((h) => ids(h.atoms))) {
          if (![...c].some((x) => r.has(x))) continue;
          const cOnly = minus(c, r);
          const rOnly = minus(r, c);
          if (cOnly.length === 0 || rOnly.length === 0) {
            const d = cOnly.length === 0 ? rOnly : cOnly;
            if (d.length > 0 && (isSmall(d) || isMasked(d))) return true;
          } else if (isSmall(cOnly) || isSmall(rOnly)) return true;
        }
        for (const o of pubCandidate) {
          if (o === c) continue;
          const cOnly = minus(c, o);
          const oOnly = minus(o, c);
          if (cOnly.length === 0 && oOnly.length > 0 && isMasked(oOnly)) return true;
        }
      }
      return false;
    }

    function run(seed: number, policy: DifferencingPolicy) {
      const random = rng(seed);
      const people = Array.from({ length: SIZE }, () => Math.floor(random() * 7));
      const count = counter(people);
      const history = new ReleaseHistory();
      const outcomes: { result: CheckResult; disclosive: boolean; history: ReleasedCell[]; candidate: ReleasedCell[] }[] = [];
      for (let step = 0; step < 25; step++) {
        const candidate = Array.from({ length: 1 + Math.floor(random() * 3) }, () => published(randomCell(random), count));
        const before = [...history.cells];
        const result = checkRelease(history, candidate, count, policy);
        outcomes.push({ result, disclosive: bruteForce(before, candidate, people), history: before, candidate });
        if (result.ok) history.record(candidate.map((c) => ({ ...c, release: NOV_28 })));
      }
      return outcomes;
    }

    it.each(Array.from({ length: 60 }, (_, seed) => seed))('refuses exactly what brute force finds disclosive (seed %i)', (seed) => {
      for (const { result, disclosive } of run(seed, { ...POLICY, linear: false })) expect(result.ok).toBe(!disclosive);
    });

    it.each(Array.from({ length: 60 }, (_, seed) => 1000 + seed))(
      'with the linear check, releases nothing brute force finds disclosive (seed %i)',
      (seed) => {
        for (const { result, disclosive } of run(seed, POLICY)) if (result.ok) expect(disclosive).toBe(false);
      },
    );

    it('both allows and refuses across the seeds (the property is not vacuous)', () => {
      const all = Array.from({ length: 30 }, (_, seed) => run(seed, POLICY)).flat();
      const ok = all.filter((o) => o.result.ok).length;
      expect(ok).toBeGreaterThan(all.length / 10);
      expect(all.length - ok).toBeGreaterThan(all.length / 10);
      expect(all.some((o) => !o.result.ok && o.result.conflicts.some((c) => c.kind === 'linear'))).toBe(true);
    });
  });
});

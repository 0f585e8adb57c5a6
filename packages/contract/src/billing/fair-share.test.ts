import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fairShare } from './fair-share';
import { BillingError } from './money';

describe('fair return by an agreed key', () => {
  const split = fairShare({
    method: 'key',
    total: 1_234_56,
    contributors: [
      { id: 'meteo', name: 'Météo-France', percent: '60' },
      { id: 'tisseo', name: 'Tisséo', percent: 40 },
    ],
  });

  it('splits to the cent, the leftover cent to the larger remainder', () => {
    expect(split.shares.map((s) => [s.id, s.amount, s.exact])).toEqual([
      ['meteo', 740_74, '740,736\u00a0€'],
      ['tisseo', 493_82, '493,824\u00a0€'],
    ]);
  });

  it('shows every step in French', () => {
    expect(split.steps.map((s) => s.text)).toEqual([
      'Montant à répartir : 1\u202f234,56\u00a0€ entre 2 contributeurs.',
      'Clé convenue entre les partenaires : Météo-France 60\u00a0%, Tisséo 40\u00a0% ; total 100\u00a0%.',
      'Météo-France : 1\u202f234,56\u00a0€ × 60\u00a0% = 740,736\u00a0€, soit 740,73\u00a0€ au centime inférieur (reste 0,6 centime).',
      'Tisséo : 1\u202f234,56\u00a0€ × 40\u00a0% = 493,824\u00a0€, soit 493,82\u00a0€ au centime inférieur (reste 0,4 centime).',
      "Les parts au centime inférieur font 1\u202f234,55\u00a0€ : il reste 1 centime à attribuer, un par un, aux plus grands restes (à reste égal, au premier dans l'ordre de la liste) : Météo-France (reste 0,6 centime).",
      'Résultat : Météo-France 740,74\u00a0€, Tisséo 493,82\u00a0€ ; total 1\u202f234,56\u00a0€.',
    ]);
    expect(split.steps[2]!.values).toMatchObject({ id: 'meteo', weight: 6000, floor: 740_73, remainder: '6000/10000' });
  });

  it('says when no cent is left over', () => {
    const even = fairShare({
      method: 'key',
      total: 100_00,
      contributors: [
        { id: 'a', name: 'A', percent: '50' },
        { id: 'b', name: 'B', percent: '50' },
      ],
    });
    expect(even.steps[2]!.text).toBe('A : 100,00\u00a0€ × 50\u00a0% = 50,00\u00a0€, un nombre exact de centimes.');
    expect(even.steps[4]!.text).toBe(
      'Les parts au centime inférieur font 100,00\u00a0€ : le total est atteint, aucun centime à attribuer.',
    );
  });

  it.each([
    [
      [
        { id: 'a', name: 'A', percent: '60' },
        { id: 'b', name: 'B', percent: '30' },
      ],
      'les parts convenues doivent totaliser 100 % ; elles totalisent 90 %',
    ],
    [
      [
        { id: 'a', name: 'A', percent: '60' },
        { id: 'b', name: 'B', percent: '40.01' },
      ],
      'les parts convenues doivent totaliser 100 % ; elles totalisent 100,01 %',
    ],
    [
      [
        { id: 'a', name: 'A', percent: '50' },
        { id: 'a', name: 'B', percent: '50' },
      ],
      'contributeur en double : a',
    ],
    [[], 'au moins un contributeur est attendu'],
  ])('rejects %j in French', (contributors, message) => {
    const run = () => fairShare({ method: 'key', total: 100, contributors });
    expect(run).toThrow(BillingError);
    expect(run).toThrow(message.replace(/ %/g, '\u00a0%'));
  });
});

describe('fair return by measured contribution', () => {
  it('splits in proportion to the rows delivered, ties to the first listed', () => {
    const split = fairShare({
      method: 'measured',
      measure: 'rows',
      total: 1000_00,
      contributors: [
        { id: 'meteo', name: 'Météo-France', measured: 1 },
        { id: 'tisseo', name: 'Tisséo', measured: 1 },
        { id: 'atmo', name: 'Atmo Occitanie', measured: 1 },
      ],
    });
    expect(split.shares.map((s) => s.amount)).toEqual([333_34, 333_33, 333_33]);
    expect(split.steps[1]!.text).toBe(
      'Contribution mesurée dans le journal (lignes livrées) : Météo-France 1, Tisséo 1, Atmo Occitanie 1 ; total 3.',
    );
    expect(split.steps[2]!.text).toBe(
      'Météo-France : 1\u202f000,00\u00a0€ × 1 / 3 ≈ 333,333333\u00a0€, soit 333,33\u00a0€ au centime inférieur (reste ≈ 0,3333 centime).',
    );
  });

  it('a contributor whose data was not used gets nothing', () => {
    const split = fairShare({
      method: 'measured',
      measure: 'queries',
      total: 99,
      contributors: [
        { id: 'a', name: 'A', measured: 0 },
        { id: 'b', name: 'B', measured: 7 },
      ],
    });
    expect(split.shares.map((s) => s.amount)).toEqual([0, 99]);
  });

  it('rejects a split with nothing measured, or an unknown measure', () => {
    expect(() =>
      fairShare({ method: 'measured', measure: 'rows', total: 100, contributors: [{ id: 'a', name: 'A', measured: 0 }] }),
    ).toThrow('aucune contribution mesurée : rien ne permet de répartir');
    expect(() =>
      fairShare({ method: 'measured', measure: 'bytes' as 'rows', total: 100, contributors: [{ id: 'a', name: 'A', measured: 1 }] }),
    ).toThrow('mesure attendue : rows (lignes), cells (cellules) ou queries (requêtes)');
    expect(() =>
      fairShare({ method: 'measured', measure: 'rows', total: -1, contributors: [{ id: 'a', name: 'A', measured: 1 }] }),
    ).toThrow('montant à répartir : un prix ne peut pas être négatif');
  });

  it('shares always sum to the total, each within one cent of its exact value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: 1, maxLength: 20 }).filter((m) => m.some((x) => x > 0)),
        (total, measured) => {
          const split = fairShare({
            method: 'measured',
            measure: 'cells',
            total,
            contributors: measured.map((m, i) => ({ id: `c${i}`, name: `Contributeur ${i}`, measured: m })),
          });
          expect(split.shares.reduce((s, c) => s + c.amount, 0)).toBe(total);
          const sum = measured.reduce((s, m) => s + BigInt(m), 0n);
          split.shares.forEach((share, i) => {
            const diff = BigInt(share.amount) * sum - BigInt(total) * BigInt(measured[i]!);
            expect((diff < 0n ? -diff : diff) < sum).toBe(true);
          });
          expect(split.steps.at(-1)!.text.startsWith('Résultat : ')).toBe(true);
        },
      ),
    );
  });

  it('an agreed key of percentages summing to 100 % always splits the whole amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 10 }),
        (total, raw) => {
          // Turn arbitrary positive weights into basis points summing to exactly 10 000.
          const bp = raw.map((w) => Math.floor((w * 10_000) / raw.reduce((a, b) => a + b, 0)));
          bp[0]! += 10_000 - bp.reduce((a, b) => a + b, 0);
          const split = fairShare({
            method: 'key',
            total,
            contributors: bp.map((b, i) => ({
              id: `c${i}`,
              name: `C${i}`,
              percent: `${Math.trunc(b / 100)}.${String(b % 100).padStart(2, '0')}`,
            })),
          });
          expect(split.shares.reduce((s, c) => s + c.amount, 0)).toBe(total);
        },
      ),
    );
  });
});

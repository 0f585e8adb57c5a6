import { describe, expect, it } from 'vitest';
import { frenchVatNumber, isValidFrenchVat, isValidNaf, isValidSiren, isValidSiret } from './identifiers';

/**
 * Real identities, copied from packages/server/demo/organisations-occitanie.csv (sources there):
 * SIREN and the intra-community VAT number published or computed for it.
 */
const REAL: { name: string; siren: string; vat: string }[] = [
  { name: 'Région Occitanie', siren: '200053791', vat: 'FR75200053791' },
  { name: 'Toulouse Métropole', siren: '243100518', vat: 'FR82243100518' },
  { name: 'Montpellier 3M', siren: '243400017', vat: 'FR68243400017' },
  { name: 'CNES', siren: '775665912', vat: 'FR49775665912' },
  { name: 'Airbus', siren: '383474814', vat: 'FR89383474814' },
  { name: 'Orange', siren: '380129866', vat: 'FR89380129866' },
  { name: 'Qwant', siren: '532867256', vat: 'FR70532867256' },
  { name: 'Université de Toulouse', siren: '193113842', vat: 'FR17193113842' },
  { name: 'Université de Montpellier', siren: '130020548', vat: 'FR18130020548' },
  { name: 'INSEE', siren: '120027016', vat: 'FR85120027016' },
];

/** Every number obtained by changing exactly one digit: Luhn catches all of them. */
function singleDigitMutations(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    for (const delta of [1, 5]) {
      const digit = (Number(value[i]) + delta) % 10;
      out.push(value.slice(0, i) + String(digit) + value.slice(i + 1));
    }
  }
  return out;
}

describe('SIREN', () => {
  describe.each(REAL)('when it is the real SIREN of $name', ({ siren }) => {
    it('is valid', () => {
      expect(isValidSiren(siren)).toBe(true);
    });
    it('is invalid with any single digit changed', () => {
      const accepted = singleDigitMutations(siren).filter(isValidSiren);
      expect(accepted).toEqual([]);
    });
  });

  it.each([
    ['eight digits', '38347481'],
    ['ten digits', '3834748140'],
    ['spaces', '383 474 814'],
    ['letters', '38347481A'],
    ['empty', ''],
  ])('rejects a malformed value (%s)', (_label, value) => {
    expect(isValidSiren(value)).toBe(false);
  });
});

describe('SIRET', () => {
  it('accepts the real head-office SIRET of Région Occitanie', () => {
    expect(isValidSiret('20005379100014')).toBe(true);
  });

  it('rejects every single-digit typo of it', () => {
    expect(singleDigitMutations('20005379100014').filter(isValidSiret)).toEqual([]);
  });

  it.each([
    ['thirteen digits', '2000537910001'],
    ['fifteen digits', '200053791000140'],
    ['spaces', '200 053 791 00014'],
  ])('rejects a malformed value (%s)', (_label, value) => {
    expect(isValidSiret(value)).toBe(false);
  });

  describe('when the establishment belongs to La Poste (SIREN 356000000)', () => {
    it('accepts the head office, an ordinary Luhn number', () => {
      expect(isValidSiret('35600000000048')).toBe(true);
    });
    it('accepts an establishment whose digits add up to a multiple of five, though Luhn fails', () => {
      expect(isValidSiret('35600000049837')).toBe(true);
      expect(isValidSiret('35600000049838')).toBe(false);
    });
    it('rejects an establishment whose digit sum is not a multiple of five', () => {
      expect(isValidSiret('35600000049836')).toBe(false);
    });
  });

  it('does not extend the La Poste rule to other organisations', () => {
    // Digit sum 30 (a multiple of five) but the Luhn key is wrong.
    expect(isValidSiret('20005379100012')).toBe(false);
  });
});

describe('intra-community VAT number', () => {
  describe.each(REAL)('when the SIREN is $name’s', ({ siren, vat }) => {
    it('derives the published key', () => {
      expect(frenchVatNumber(siren)).toBe(vat);
    });
    it('accepts the number alone and together with its SIREN', () => {
      expect(isValidFrenchVat(vat)).toBe(true);
      expect(isValidFrenchVat(vat, siren)).toBe(true);
    });
    it('rejects a wrong key', () => {
      const key = (Number(vat.slice(2, 4)) + 1) % 100;
      expect(isValidFrenchVat(`FR${String(key).padStart(2, '0')}${siren}`)).toBe(false);
    });
  });

  it('rejects a valid number paired with another organisation’s SIREN', () => {
    expect(isValidFrenchVat('FR89383474814', '380129866')).toBe(false);
  });

  it('pads a key below ten with a zero', () => {
    // 12 + 3 × (552081317 mod 97) ≡ 3 (mod 97)
    expect(frenchVatNumber('552081317')).toBe('FR03552081317');
  });

  it.each([['fr89383474814'], ['FR 89 383474814'], ['FR8938347481'], ['DE89383474814'], ['']])('rejects the malformed %j', (value) => {
    expect(isValidFrenchVat(value)).toBe(false);
  });
});

describe('NAF rév. 2 code', () => {
  it.each(['84.11Z', '72.19Z', '62.01Z', '01.11Z'])('accepts %s', (code) => {
    expect(isValidNaf(code)).toBe(true);
  });
  it.each(['8411Z', '84.11', '84.11z', '84-11Z', 'A84.11Z', '84.11ZZ', ''])('rejects %j', (code) => {
    expect(isValidNaf(code)).toBe(false);
  });
});

import fs from 'node:fs';
import { frenchVatNumber, isValidFrenchVat, isValidSiren, isValidSiret } from '@confiance/contract';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';

describe('parseCsv', () => {
  it('keys each record by the header', () => {
    expect(parseCsv('key,name\nairbus,Airbus\ncnes,CNES\n')).toEqual([
      { key: 'airbus', name: 'Airbus' },
      { key: 'cnes', name: 'CNES' },
    ]);
  });

  it.each([
    ['a comma', '"6 rue René Leduc, BP 35821"', '6 rue René Leduc, BP 35821'],
    ['doubled quotes', '"le ""dernier"" admin"', 'le "dernier" admin'],
    ['a line break', '"ligne 1\nligne 2"', 'ligne 1\nligne 2'],
    ['a CRLF line break', '"ligne 1\r\nligne 2"', 'ligne 1\r\nligne 2'],
    ['nothing', '""', ''],
  ])('reads a quoted field containing %s', (_label, raw, expected) => {
    expect(parseCsv(`a,b\n${raw},x\n`)).toEqual([{ a: expected, b: 'x' }]);
  });

  it('accepts CRLF line endings and a missing final newline', () => {
    expect(parseCsv('a,b\r\n1,2\r\n3,4')).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '4' },
    ]);
  });

  it('keeps empty fields empty and fills missing trailing fields with ""', () => {
    expect(parseCsv('a,b,c\n1,,3\n4\n')).toEqual([
      { a: '1', b: '', c: '3' },
      { a: '4', b: '', c: '' },
    ]);
  });

  it('skips blank lines', () => {
    expect(parseCsv('a,b\n\n1,2\n\n\n3,4\n\n')).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '4' },
    ]);
  });

  it('ignores the byte-order mark spreadsheets write at the start of a UTF-8 file', () => {
    expect(parseCsv('\uFEFFkey,name\nairbus,Airbus\n')).toEqual([{ key: 'airbus', name: 'Airbus' }]);
  });

  it.each([[''], ['\n\n'], ['key,name\n']])('returns no record for %j', (text) => {
    expect(parseCsv(text)).toEqual([]);
  });
});

describe('the demo organisations file', () => {
  const records = parseCsv(fs.readFileSync(new URL('../../../demo/organisations-occitanie.csv', import.meta.url), 'utf8'));

  it('lists the twenty demo organisations under unique slugs', () => {
    expect(records).toHaveLength(20);
    const keys = records.map((r) => r.key!);
    expect(new Set(keys).size).toBe(20);
    for (const key of keys) expect(key).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it('carries the real identifiers the seed relies on', () => {
    const byKey = Object.fromEntries(records.map((r) => [r.key, r]));
    expect(byKey.airbus).toMatchObject({ siren: '383474814', postcode: '31700', city: 'Blagnac', category: 'company' });
    expect(byKey.insee).toMatchObject({ siren: '120027016', address: '88 avenue Verdier, CS 70058' });
    expect(byKey['region-occitanie']).toMatchObject({ siren: '200053791', siret_head_office: '20005379100014' });
  });

  describe.each(records.filter((r) => r.siren).map((r) => [r.key!, r] as const))('when %s has a SIREN', (_key, record) => {
    it('is a valid SIREN whose VAT number is the computed one', () => {
      expect(isValidSiren(record.siren!)).toBe(true);
      if (record.vat_number) {
        expect(record.vat_number).toBe(frenchVatNumber(record.siren!));
        expect(isValidFrenchVat(record.vat_number, record.siren)).toBe(true);
      }
      if (record.siret_head_office) {
        expect(isValidSiret(record.siret_head_office)).toBe(true);
        expect(record.siret_head_office.startsWith(record.siren!)).toBe(true);
      }
    });
  });

  it('leaves unknown numbers empty rather than inventing them', () => {
    const meteo = records.find((r) => r.key === 'meteo-france')!;
    expect(meteo.siren).toBe('');
    expect(meteo.vat_number).toBe('');
  });
});

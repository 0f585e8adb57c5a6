import { describe, expect, it } from 'vitest';
import { MAX_COLUMNS, detectDialect, isIdentifierName, normalizeColumnNames, parseRecords, tableNameFrom } from './dialect';
import { IngestError } from './errors';

describe('parseRecords', () => {
  it('reads quoted fields, doubled quotes and every kind of line end', () => {
    const { records, lastComplete } = parseRecords('a;"b;c";"d ""e"""\r\n1;"2\n3";4\r5;6;7', ';', '"', 10);
    expect(records).toEqual([
      ['a', 'b;c', 'd "e"'],
      ['1', '2\n3', '4'],
      ['5', '6', '7'],
    ]);
    expect(lastComplete).toBe(false);
  });

  it('takes a quote inside a field literally, and none at all when quoting is off', () => {
    expect(parseRecords('12" pipe\t"x"\n', '\t', '"', 5).records).toEqual([['12" pipe', 'x']]);
    expect(parseRecords('12" pipe\t"x"\n', '\t', null, 5).records).toEqual([['12" pipe', '"x"']]);
  });
});

describe('detectDialect', () => {
  it('prefers the semicolon of French exports over the decimal comma', () => {
    expect(detectDialect('dep;valeur\n09;12,5\n11;3,25\n', true)).toMatchObject({ delimiter: ';', header: ['dep', 'valeur'] });
  });

  it('finds commas, tabs and pipes', () => {
    expect(detectDialect('a,b,c\n1,"2;3",4\n', true).delimiter).toBe(',');
    expect(detectDialect('a\tb\n1\t2\n', true)).toMatchObject({ delimiter: '\t', quote: null });
    expect(detectDialect('a|b|c\n1|2|3\n', true).delimiter).toBe('|');
  });

  it('keeps quoting for tab-separated files that quote', () => {
    expect(detectDialect('a\tb\n"1"\t"2"\n', true).quote).toBe('"');
  });

  it('reads a one-column file', () => {
    expect(detectDialect('code\n09\n11\n', true)).toMatchObject({ delimiter: ',', header: ['code'] });
  });

  it('refuses more columns than the limit', () => {
    const header = Array.from({ length: MAX_COLUMNS + 1 }, (_, i) => `c${i}`).join(',');
    expect(() => detectDialect(`${header}\n`, true)).toThrow(IngestError);
  });
});

describe('normalizeColumnNames', () => {
  it('names empty columns, dedupes ignoring case, trims, and says what it changed', () => {
    const { names, renames } = normalizeColumnNames(['\uFEFFid', ' nom ', '', 'NOM', 'nom_2', 'nom']);
    expect(names).toEqual(['id', 'nom', 'colonne_3', 'NOM_2', 'nom_2_2', 'nom_3']);
    expect(renames.map((r) => [r.index, r.reason])).toEqual([
      [2, 'empty'],
      [3, 'duplicate'],
      [4, 'duplicate'],
      [5, 'duplicate'],
    ]);
  });

  it('keeps reserved names for columns added by the reader', () => {
    expect(normalizeColumnNames(['geometry', 'nom'], ['geometry']).names).toEqual(['geometry_2', 'nom']);
  });
});

describe('isIdentifierName', () => {
  it.each(['dep', 'DEP', 'code_insee', 'CODE POSTAL', 'CODCOM', 'numReg', 'stop_id', 'gbifID', 'siren', 'Département'.slice(0, 3)])(
    '%s is a code',
    (name) => expect(isIdentifierName(name)).toBe(true),
  );
  it.each(['valeur', 'PMUN', 'annee', 'individualCount', 'decimalLatitude', 'commune', 'Département', 'depth'])('%s is not', (name) =>
    expect(isIdentifierName(name)).toBe(false),
  );
});

describe('tableNameFrom', () => {
  it('makes an ASCII identifier of the file name', () => {
    expect(tableNameFrom('Hébergements classés (2024).CSV')).toBe('hebergements_classes_2024');
    expect(tableNameFrom('2023-météo.csv')).toBe('t_2023_meteo');
    expect(tableNameFrom('dir/stops.txt')).toBe('stops');
  });
});

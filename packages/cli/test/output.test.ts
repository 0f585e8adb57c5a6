import { ApiError } from '@confiance/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliError, describeError, UsageError } from '../src/errors';
import { translateCommanderError } from '../src/help';
import { details, table } from '../src/output';

describe('table', () => {
  it('aligns columns by visible width, accented letters included, with no trailing blanks', () => {
    const text = table(
      [
        { name: 'Météo-France', n: 3 },
        { name: 'IGN', n: 12 },
      ],
      [
        { header: 'Nom', value: (r) => r.name },
        { header: 'Personnes', value: (r) => String(r.n), align: 'right' },
        { header: 'Note', value: () => '' },
      ],
    );
    expect(text.split('\n')).toEqual(['NOM           PERSONNES  NOTE', 'Météo-France          3', 'IGN                  12']);
  });

  it('keeps every row on one line', () => {
    expect(table([{ d: 'une\ndeux' }], [{ header: 'D', value: (r) => r.d }]).split('\n')).toEqual(['D', 'une deux']);
  });
});

describe('details', () => {
  it('aligns labels and leaves out empty values', () => {
    expect(
      details([
        ['Nom', 'Ekitia'],
        ['SIREN', null],
        ['Raison sociale', 'Association Ekitia'],
        ['TVA', ''],
      ]),
    ).toBe('Nom             Ekitia\nRaison sociale  Association Ekitia');
  });
});

describe('describeError', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('prints an API error on one line with its code and request id', () => {
    expect(describeError(new ApiError(404, 'not_found', 'Ressource introuvable.', undefined, 'req-1'))).toEqual({
      line: 'Erreur : Ressource introuvable. (not_found, req-1)',
      exitCode: 1,
    });
  });

  it('tells an unauthenticated user what to do, naming CONFIANCE_TOKEN when that is the credential', () => {
    vi.stubEnv('CONFIANCE_TOKEN', '');
    expect(describeError(new ApiError(401, 'unauthenticated', 'Connectez-vous pour continuer')).line).toBe(
      'Erreur : Connectez-vous pour continuer. Lancez « confiance login » pour vous connecter. (unauthenticated)',
    );
    vi.stubEnv('CONFIANCE_TOKEN', 'cft_x');
    expect(describeError(new ApiError(401, 'unauthenticated', 'Jeton révoqué.')).line).toContain('CONFIANCE_TOKEN');
  });

  it('gives usage errors exit code 2 and keeps multi-line messages on one line', () => {
    expect(describeError(new UsageError('Mauvais argument.')).exitCode).toBe(2);
    expect(describeError(new CliError('un\ndeux')).line).toBe('Erreur : un deux');
    const config = Object.assign(new Error('Configuration invalide :\n  - PORT: trop grand'), {
      problems: ['PORT: trop grand', 'HOST: vide'],
    });
    expect(describeError(config).line).toBe('Erreur : Configuration invalide : PORT: trop grand ; HOST: vide');
  });
});

describe('translateCommanderError', () => {
  it.each([
    ["error: unknown option '--bogus'\n", 'Erreur : Option inconnue --bogus\n'],
    [
      "error: unknown command 'memebrs'\n(Did you mean members?)\n",
      'Erreur : Commande inconnue « memebrs » (vouliez-vous dire members ?)\n',
    ],
    ["error: missing required argument 'membre'\n", 'Erreur : Argument obligatoire manquant : MEMBRE\n'],
    ["error: required option '--email <adresse>' not specified\n", 'Erreur : Option obligatoire absente : --email <adresse>\n'],
    [
      "error: too many arguments for 'show'. Expected 1 argument but got 2.\n",
      'Erreur : Trop d’arguments pour « show » : 1 attendu(s), 2 reçu(s)\n',
    ],
  ])('%j', (english, french) => {
    expect(translateCommanderError(english)).toBe(french);
  });
});

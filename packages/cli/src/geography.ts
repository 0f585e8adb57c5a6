import { OCCITANIE_DEPARTEMENT_CODES, OCCITANIE_DEPARTEMENTS, type InseeArea } from '@confiance/contract';
import { InvalidArgumentError } from 'commander';

/**
 * INSEE areas a publisher names on the command line. The API wants each area's name with its
 * code; the consortium works in Occitanie, so its départements are enough here — other areas go
 * in a `--metadata` file.
 */
export const DEPARTEMENTS = OCCITANIE_DEPARTEMENTS;
export const OCCITANIE_CODES = OCCITANIE_DEPARTEMENT_CODES;

/** The regions since 2016 (INSEE codes, zero-padded text). */
export const REGIONS: Record<string, string> = {
  '01': 'Guadeloupe',
  '02': 'Martinique',
  '03': 'Guyane',
  '04': 'La Réunion',
  '06': 'Mayotte',
  '11': 'Île-de-France',
  '24': 'Centre-Val de Loire',
  '27': 'Bourgogne-Franche-Comté',
  '28': 'Normandie',
  '32': 'Hauts-de-France',
  '44': 'Grand Est',
  '52': 'Pays de la Loire',
  '53': 'Bretagne',
  '75': 'Nouvelle-Aquitaine',
  '76': 'Occitanie',
  '84': 'Auvergne-Rhône-Alpes',
  '93': 'Provence-Alpes-Côte d’Azur',
  '94': 'Corse',
};

/** `9` and `09` are the same département: INSEE codes are zero-padded text. */
function padded(value: string): string {
  const code = value.trim();
  return /^\d$/.test(code) ? `0${code}` : code;
}

/** Option parser for `--departement 34`. */
export function departement(value: string): InseeArea {
  const code = padded(value);
  const name = DEPARTEMENTS[code];
  if (!name)
    throw new InvalidArgumentError(
      `département d’Occitanie attendu (${OCCITANIE_CODES.join(', ')}) ; pour une autre zone, décrivez-la dans --metadata (champ spatial).`,
    );
  return { level: 'departement', code, name, bbox: null };
}

/** Option parser for `--region 76`. */
export function region(value: string): InseeArea {
  const code = padded(value);
  const name = REGIONS[code];
  if (!name) throw new InvalidArgumentError(`code région INSEE attendu, par exemple 76 (Occitanie).`);
  return { level: 'region', code, name, bbox: null };
}

/** Option parser for a search filter: any INSEE département code (the server checks the rest). */
export function departementCode(value: string): string {
  const code = padded(value);
  if (!/^(\d{2}|2A|2B|97[1-6])$/.test(code)) throw new InvalidArgumentError('code département INSEE attendu, par exemple 34 ou 2A.');
  return code;
}

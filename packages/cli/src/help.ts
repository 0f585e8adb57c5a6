import { CommanderError, InvalidArgumentError, type Command, type HelpConfiguration } from 'commander';

/** Commander writes its help and errors in English; these turn them into French. */
const TITLES: Record<string, string> = {
  'Usage:': 'Utilisation :',
  'Arguments:': 'Arguments :',
  'Options:': 'Options :',
  'Global Options:': 'Options globales :',
  'Commands:': 'Commandes :',
};

export const frenchHelp: HelpConfiguration = {
  styleTitle: (title) => TITLES[title] ?? title,
  styleUsage: (usage) => usage.replace('[command]', '<commande>'),
  sortSubcommands: false,
};

const ERRORS: [RegExp, (...groups: string[]) => string][] = [
  [/^error: unknown option '(.+?)'/, (o) => `option inconnue ${o}`],
  [/^error: unknown command '(.+?)'/, (c) => `commande inconnue « ${c} »`],
  [/^error: missing required argument '(.+?)'/, (a) => `argument obligatoire manquant : ${a.toUpperCase()}`],
  [/^error: option '(.+?)' argument missing/, (o) => `valeur manquante pour l’option ${o}`],
  [/^error: required option '(.+?)' not specified/, (o) => `option obligatoire absente : ${o}`],
  [
    /^error: too many arguments(?: for '(.+?)')?\. Expected (\d+) arguments? but got (\d+)\./,
    (c, e, g) => `trop d’arguments${c ? ` pour « ${c} »` : ''} : ${e} attendu(s), ${g} reçu(s)`,
  ],
  [
    /^error: option '(.+?)' argument '(.*?)' is invalid\. ?(.*)$/s,
    (o, v, why) => `valeur « ${v} » invalide pour ${o}${why ? ` : ${why}` : ''}`,
  ],
  [
    /^error: command-argument value '(.*?)' is invalid for argument '(.+?)'\. ?(.*)$/s,
    (v, a, why) => `valeur « ${v} » invalide pour ${a}${why ? ` : ${why}` : ''}`,
  ],
  [/^error: (.+?) cannot be used with (.+)$/, (a, b) => `${a} ne peut pas être utilisée avec ${b}`],
];

export function translateCommanderError(text: string): string {
  const [first, ...rest] = text.trim().split('\n');
  let message = first!.replace(/^error: /, '');
  for (const [pattern, french] of ERRORS) {
    const match = pattern.exec(first!);
    if (match) {
      message = french(...match.slice(1).map((g) => g ?? ''));
      break;
    }
  }
  const hint = rest
    .join(' ')
    .replace(/\(Did you mean one of (.+)\?\)/, '(vouliez-vous dire : $1 ?)')
    .replace(/\(Did you mean (.+)\?\)/, '(vouliez-vous dire $1 ?)')
    .trim();
  return `Erreur : ${message.charAt(0).toUpperCase()}${message.slice(1)}${hint ? ` ${hint}` : ''}\n`;
}

/** Option parsers that refuse bad values up front, with a French reason (exit code 2). */
export function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`nombre entier entre ${min} et ${max} attendu.`);
    }
    return n;
  };
}

export function oneOf<T extends string>(allowed: readonly T[]) {
  return (value: string): T => {
    if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`valeurs possibles : ${allowed.join(', ')}.`);
    return value as T;
  };
}

export function repeatable<T>(parse: (value: string) => T) {
  return (value: string, previous: T[] | undefined): T[] => [...(previous ?? []), parse(value)];
}

/** Exit code for a Commander exit: 0 for --help and --version, 2 for any other usage error. */
export function commanderExitCode(error: CommanderError): number {
  return error.exitCode === 0 ? 0 : 2;
}

export function isCommanderError(error: unknown): error is CommanderError {
  return error instanceof CommanderError;
}

export type { Command };

/** Codes written in capitals (`ENVI`, `MONTHLY`, `CSV`) accepted in any case. */
export function anyCase<T>(parse: (value: string) => T) {
  return (value: string): T => parse(value.toUpperCase());
}

export const text = (value: string): string => value;

/** Option parser for a comma-separated list (`--uses aggregate,rows`); an empty value is an empty list. */
export function list<T>(parse: (value: string) => T) {
  return (value: string): T[] =>
    value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')
      .map(parse);
}

/** Option parser for a repeatable `key=value` (`--context spatial=FR`). */
export function keyValue(value: string, previous: [string, string][] | undefined): [string, string][] {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('clé=valeur attendu, par exemple spatial=FR.');
  return [...(previous ?? []), [value.slice(0, at).trim(), value.slice(at + 1).trim()]];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An argument that must be an id (a UUID): refused before anything is sent, with where to find the
 * right one (`hint`, e.g. « colonne ID de confiance contracts list »).
 */
export function uuid(hint: string) {
  return (value: string): string => {
    const id = value.trim().toLowerCase();
    if (!UUID.test(id)) throw new InvalidArgumentError(`identifiant attendu (UUID), voir ${hint}.`);
    return id;
  };
}

/** Option parser for a calendar day, `2026-12-31`. */
export function isoDay(value: string): string {
  const day = value.trim();
  const date = new Date(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day)
    throw new InvalidArgumentError('date AAAA-MM-JJ attendue, par exemple 2026-12-31.');
  return day;
}

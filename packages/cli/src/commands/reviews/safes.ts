import { FIVE_SAFES, type FiveSafe } from '@confiance/contract';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../../errors';
import { FIVE_SAFE_LABELS } from '../../labels';

/**
 * The Five Safes checklist on the command line: `--safe VOLET=oui:NOTE`, once per volet. A volet is
 * named by its code or its French name, the verdict is oui/non (yes/no), the note follows the first
 * colon — so a note may itself contain colons.
 */
export type SafeAnswer = [FiveSafe, { safe: boolean; note: string }];

const NAMES: Record<string, FiveSafe> = {
  ...Object.fromEntries(FIVE_SAFES.map((s) => [s, s])),
  projet: 'project',
  personnes: 'people',
  environnement: 'setting',
  donnees: 'data',
  données: 'data',
  resultats: 'outputs',
  résultats: 'outputs',
};
const VERDICTS: Record<string, boolean> = { oui: true, yes: true, non: false, no: false };

export const SAFE_QUESTIONS: Record<FiveSafe, string> = {
  project: 'la finalité est-elle légitime et d’intérêt, conforme à la charte ?',
  people: 'les utilisateurs sont-ils identifiés, formés et dignes de confiance ?',
  setting: 'l’environnement de traitement empêche-t-il les usages non autorisés ?',
  data: 'les données demandées sont-elles les moins identifiantes possible ?',
  outputs: 'les résultats publiés ne permettront-ils pas de réidentifier des personnes ?',
};

export function safeAnswer(value: string, previous: SafeAnswer[] | undefined): SafeAnswer[] {
  const match = /^\s*([^=\s]+)\s*=\s*([^:\s]+)\s*:(.*)$/s.exec(value);
  if (!match)
    throw new InvalidArgumentError('VOLET=oui:NOTE ou VOLET=non:NOTE attendu, par exemple project=oui:"finalité de recherche publique".');
  const safe = NAMES[match[1]!.toLowerCase()];
  if (!safe) throw new InvalidArgumentError(`volet inconnu « ${match[1]} » : ${FIVE_SAFES.join(', ')}.`);
  const verdict = VERDICTS[match[2]!.toLowerCase()];
  if (verdict === undefined) throw new InvalidArgumentError(`« ${match[2]} » : oui ou non attendu après « ${match[1]}= ».`);
  const note = match[3]!.trim();
  if ([...note].length < 3)
    throw new InvalidArgumentError(`la note du volet « ${FIVE_SAFE_LABELS[safe]} » est trop courte (3 caractères au moins).`);
  if ((previous ?? []).some(([s]) => s === safe))
    throw new InvalidArgumentError(`le volet « ${FIVE_SAFE_LABELS[safe]} » est déjà renseigné.`);
  return [...(previous ?? []), [safe, { safe: verdict, note }]];
}

/** All five volets, or a usage error naming those missing. */
export function checklist(answers: readonly SafeAnswer[]): Record<FiveSafe, { safe: boolean; note: string }> {
  const given = new Map(answers);
  const missing = FIVE_SAFES.filter((s) => !given.has(s));
  if (missing.length > 0)
    throw new UsageError(`Les cinq volets sont à renseigner : il manque ${missing.map((s) => `--safe ${s}=oui|non:NOTE`).join(', ')}.`);
  return Object.fromEntries(FIVE_SAFES.map((s) => [s, given.get(s)!])) as Record<FiveSafe, { safe: boolean; note: string }>;
}

export const SAFES_HELP = `
Les cinq volets (Five Safes), chacun avec --safe VOLET=oui:NOTE ou VOLET=non:NOTE :
${FIVE_SAFES.map((s) => `  ${s.padEnd(8)} ${FIVE_SAFE_LABELS[s]} : ${SAFE_QUESTIONS[s]}`).join('\n')}
  Le volet se nomme aussi en français (projet, personnes, environnement, données, résultats).

Exemple :
  confiance reviews decide DEMANDE --decision conditions \\
    --safe project=oui:"recherche en santé publique, conforme à la charte" \\
    --safe people=oui:"deux chercheurs habilités" \\
    --safe setting=oui:"requêtes sur le nœud, rien n’est téléchargé" \\
    --safe data=oui:"agrégats par commune seulement" \\
    --safe outputs=non:"petits effectifs possibles" \\
    --conditions "aucun résultat publié sous 11 personnes"

--conditions est exigé avec --decision conditions, --reasons avec --decision rejected ;
le demandeur lit les deux.`;

import type { NeedAnswerKind, NeedStatus, NeedView } from '@confiance/contract';
import { details, formatDay, print } from '../../output';

export const STATUS_LABELS: Record<NeedStatus, string> = {
  open: 'ouvert',
  answered: 'réponse reçue',
  project: 'devenu projet',
  closed: 'clos',
};

export const KIND_LABELS: Record<NeedAnswerKind, string> = {
  dataset: 'jeu de données existant',
  plan: 'publication prévue',
  refusal: 'refus motivé',
};

/** A need and its answers, as `needs show` and `needs answer` print it. */
export function printNeed(need: NeedView): void {
  print(
    details([
      ['ID', need.id],
      ['Titre', need.title],
      ['Statut', STATUS_LABELS[need.status]],
      ['Organisation', `${need.organisation.name} (${need.organisation.slug})`],
      ['Domaine', need.domain],
      ['Territoire', need.territory.join(', ')],
      ['Finalité', `${need.purposeLabel} (${need.purpose})`],
      ['Souhaité pour', need.wantedBy ? formatDay(need.wantedBy) : null],
      ['Projet', need.project ? `${need.project.title} (${need.project.id})` : null],
      ['Publié le', formatDay(need.createdAt)],
    ]),
  );
  print(`\n${need.description}`);
  const answers = need.answers ?? [];
  print(`\nRéponses (${answers.length}) :`);
  if (answers.length === 0) print('  aucune pour l’instant.');
  for (const a of answers) {
    const what =
      a.kind === 'dataset' && a.dataset
        ? `${KIND_LABELS[a.kind]} : ${a.dataset.title} (${a.dataset.slug})`
        : a.kind === 'plan' && a.expectedAt
          ? `${KIND_LABELS[a.kind]} le ${formatDay(a.expectedAt)}`
          : KIND_LABELS[a.kind];
    print(`  - ${a.organisation.name} (${formatDay(a.createdAt)}) — ${what}${a.message ? `\n    ${a.message}` : ''}`);
  }
}

import type { RequestView } from '@confiance/contract';
import { connect } from '../../api';
import { REVIEW_DECISION_LABELS, label } from '../../labels';
import { NONE, formatDay, plural, print, printJson, table, type Column } from '../../output';

const PENDING: Column<RequestView>[] = [{ header: 'Demandée le', value: (r) => formatDay(r.createdAt) }];
const DECIDED: Column<RequestView>[] = [
  { header: 'Décision', value: (r) => (r.review?.decision ? label(REVIEW_DECISION_LABELS, r.review.decision) : NONE) },
  { header: 'Décidée le', value: (r) => formatDay(r.review?.decidedAt) },
];

/** The ethics commission's queue: requests waiting for its review, or (--decided) those it decided. */
export async function reviewsList(options: { decided?: boolean; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const list = await client.reviews.list(options.decided ? 'decided' : 'pending');
  if (options.json) {
    printJson(list);
    return;
  }
  if (list.items.length === 0) {
    print(options.decided ? 'Aucun examen rendu.' : 'Aucune demande n’attend l’examen de la commission d’éthique.');
    return;
  }
  print(
    table(list.items, [
      { header: 'Demande', value: (r) => r.id },
      { header: 'Jeu de données', value: (r) => r.dataset.slug },
      { header: 'Demandeur', value: (r) => (r.project ? `${r.consumer.slug} (projet ${r.project.title})` : r.consumer.slug) },
      { header: 'Finalité', value: (r) => r.purposeLabel },
      { header: 'Durée', value: (r) => `${r.durationMonths} mois`, align: 'right' },
      ...(options.decided ? DECIDED : PENDING),
    ]),
  );
  if (options.decided) print(`\n${plural(list.total, 'examen rendu', 'examens rendus')}.`);
  else {
    print(`\n${plural(list.total, 'demande à examiner', 'demandes à examiner')}.`);
    print('La lire : confiance requests show DEMANDE ; rendre l’examen : confiance reviews decide DEMANDE (voir --help).');
  }
}

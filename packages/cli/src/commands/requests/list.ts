import type { RequestStage } from '@confiance/contract';
import { connect } from '../../api';
import { REQUEST_STAGE_LABELS, label } from '../../labels';
import { formatDay, plural, print, printJson, table } from '../../output';

/** My organisations' requests, or (--inbox) those made to them as provider. */
export async function requestsList(options: { inbox?: boolean; stage?: RequestStage; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const box = options.inbox ? 'inbox' : 'mine';
  const list = await client.requests.list({ box, ...(options.stage ? { stage: options.stage } : {}) });
  if (options.json) {
    printJson(list);
    return;
  }
  const where = options.stage ? ` ${label(REQUEST_STAGE_LABELS, options.stage)}` : '';
  if (list.items.length === 0) {
    print(options.inbox ? `Aucune demande${where} reçue par vos organisations.` : `Aucune demande${where} de vos organisations.`);
    return;
  }
  print(
    table(list.items, [
      { header: 'ID', value: (r) => r.id },
      { header: 'Jeu de données', value: (r) => r.dataset.slug },
      options.inbox
        ? { header: 'Demandeur', value: (r) => (r.project ? `${r.consumer.slug} (projet ${r.project.title})` : r.consumer.slug) }
        : { header: 'Fournisseur', value: (r) => r.provider.slug },
      { header: 'Finalité', value: (r) => r.purposeLabel },
      { header: 'Durée', value: (r) => `${r.durationMonths} mois`, align: 'right' },
      { header: 'Étape', value: (r) => label(REQUEST_STAGE_LABELS, r.stage) },
      { header: 'Demandée le', value: (r) => formatDay(r.createdAt) },
    ]),
  );
  print(`\n${plural(list.total, 'demande')}.`);
  const toDecide = list.items.filter((r) => r.can.approve).length;
  if (toDecide > 0)
    print(
      `${plural(toDecide, 'demande attend', 'demandes attendent')} votre décision : confiance requests approve ID, ou reject ID --reason …`,
    );
}

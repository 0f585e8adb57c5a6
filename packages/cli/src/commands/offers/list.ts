import { AGREEMENT_LABEL } from '@confiance/contract';
import { connect } from '../../api';
import { DATA_USE_LABELS, OFFER_STATUS_LABELS, label, labels } from '../../labels';
import { formatDay, plural, print, printJson, table } from '../../output';
import { getDataset } from '../datasets/dataset';

export async function offersList(dataset: string, options: { all?: boolean; json?: boolean }): Promise<void> {
  const { client } = await connect();
  // Resolved first, so that a wrong slug is named as such rather than as an empty list.
  const d = await getDataset(client, dataset);
  const list = await client.offers.list(d.id, { includeRetired: options.all === true });
  if (options.json) {
    printJson(list);
    return;
  }
  if (list.items.length === 0) {
    print(`Aucune offre ${options.all ? '' : 'active '}sur « ${d.title.fr} » (${d.slug}).`);
    return;
  }
  print(
    table(list.items, [
      { header: 'ID', value: (o) => o.id },
      { header: 'Titre', value: (o) => o.title },
      { header: 'Accord', value: (o) => AGREEMENT_LABEL[o.agreement] },
      { header: 'Usages', value: (o) => labels(DATA_USE_LABELS, o.uses) },
      { header: 'Statut', value: (o) => label(OFFER_STATUS_LABELS, o.status) },
      { header: 'Version', value: (o) => String(o.version), align: 'right' },
      { header: 'Modifiée le', value: (o) => formatDay(o.updatedAt) },
    ]),
  );
  print(`\n${plural(list.total, 'offre')} sur « ${d.title.fr} ».`);
}

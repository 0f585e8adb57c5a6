import { connect } from '../../api';
import { CONTRACT_STATE_LABELS, label } from '../../labels';
import { formatDay, plural, print, printJson, table } from '../../output';

/** The contracts of the caller's organisations, as provider or consumer. */
export async function contractsList(options: { json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const list = await client.contracts.list();
  if (options.json) {
    printJson(list);
    return;
  }
  if (list.items.length === 0) {
    print('Aucun contrat : ils naissent des demandes accordées (« confiance requests create OFFRE … »).');
    return;
  }
  print(
    table(list.items, [
      { header: 'ID', value: (c) => c.id },
      { header: 'Jeu de données', value: (c) => c.dataset.slug },
      { header: 'Fournisseur', value: (c) => c.provider.slug },
      { header: 'Preneur', value: (c) => (c.project ? `${c.consumer.slug} (projet ${c.project.title})` : c.consumer.slug) },
      { header: 'État', value: (c) => label(CONTRACT_STATE_LABELS, c.state) },
      { header: 'Version', value: (c) => String(c.version), align: 'right' },
      { header: 'Jusqu’au', value: (c) => formatDay(c.validUntil) },
    ]),
  );
  print(`\n${plural(list.total, 'contrat')}.`);
}

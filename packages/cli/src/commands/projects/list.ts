import { connect } from '../../api';
import { formatDay, plural, print, printJson, table } from '../../output';

export async function projectsList(options: { json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const list = await client.projects.list();
  if (options.json) {
    printJson(list);
    return;
  }
  if (list.items.length === 0) {
    print('Aucun projet : un administrateur d’organisation en déclare un avec « confiance projects create ».');
    return;
  }
  print(
    table(list.items, [
      { header: 'ID', value: (p) => p.id },
      { header: 'Titre', value: (p) => p.title },
      { header: 'Finalité', value: (p) => p.purposeLabel },
      { header: 'Porteur', value: (p) => p.lead.slug },
      { header: 'Partenaires', value: (p) => p.partners.map((o) => o.slug).join(', ') },
      { header: 'Créé le', value: (p) => formatDay(p.createdAt) },
    ]),
  );
  print(`\n${plural(list.total, 'projet')}.`);
}

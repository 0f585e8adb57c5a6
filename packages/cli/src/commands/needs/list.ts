import type { NeedStatus } from '@confiance/contract';
import { connect } from '../../api';
import { formatDay, plural, print, printJson, table } from '../../output';
import { STATUS_LABELS } from './need';

export interface NeedsListOptions {
  status?: NeedStatus;
  domain?: string;
  organisation?: string;
  search?: string;
  json?: boolean;
}

/** The needs board is public: no sign-in needed to read it. */
export async function needsList(options: NeedsListOptions): Promise<void> {
  const { client } = await connect();
  const list = await client.needs.list({
    ...(options.status ? { status: options.status } : {}),
    ...(options.domain ? { domain: options.domain as never } : {}),
    ...(options.organisation ? { organisation: options.organisation } : {}),
    ...(options.search ? { q: options.search } : {}),
    limit: 200,
  });
  if (options.json) {
    printJson(list);
    return;
  }
  if (list.items.length === 0) {
    print('Aucun besoin ne correspond : publiez le vôtre avec « confiance needs create ».');
    return;
  }
  print(
    table(list.items, [
      { header: 'ID', value: (n) => n.id },
      { header: 'Titre', value: (n) => n.title },
      { header: 'Statut', value: (n) => STATUS_LABELS[n.status] },
      { header: 'Organisation', value: (n) => n.organisation.slug },
      { header: 'Domaine', value: (n) => n.domain },
      { header: 'Réponses', value: (n) => String(n.answerCount) },
      { header: 'Publié le', value: (n) => formatDay(n.createdAt) },
    ]),
  );
  print(`\n${plural(list.total, 'besoin')}.`);
}

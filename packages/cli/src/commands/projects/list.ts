import { PROJECT_STATUS_LABELS, type ProjectListQuery } from '@confiance/contract';
import { connect } from '../../api';
import { formatDay, plural, print, printJson, table } from '../../output';

export interface ProjectsListOptions {
  status?: ProjectListQuery['status'];
  domain?: ProjectListQuery['domain'];
  organisation?: string;
  search?: string;
  json?: boolean;
}

export async function projectsList(options: ProjectsListOptions): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const list = await client.projects.list({
    ...(options.status ? { status: options.status } : {}),
    ...(options.domain ? { domain: options.domain } : {}),
    ...(options.organisation ? { organisation: options.organisation } : {}),
    ...(options.search ? { q: options.search } : {}),
  });
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
      { header: 'Statut', value: (p) => PROJECT_STATUS_LABELS[p.status] },
      { header: 'Chef de file', value: (p) => p.lead.slug },
      { header: 'Partenaires', value: (p) => p.partners.map((o) => o.slug).join(', ') },
      { header: 'Créé le', value: (p) => formatDay(p.createdAt) },
    ]),
  );
  print(`\n${plural(list.total, 'projet')}.`);
}

import type { ProjectDatasetView } from '@confiance/contract';
import { connect } from '../../api';
import { print, printJson, table } from '../../output';

export const DATASET_ACTIONS = ['list', 'attach', 'detach'] as const;
export type DatasetAction = (typeof DATASET_ACTIONS)[number];

const USE_LABELS: Record<ProjectDatasetView['uses'][number]['kind'], string> = {
  open: 'données ouvertes',
  contract: 'sous contrat',
  request: 'demandé',
  attached: 'à demander',
};

function useOf(d: ProjectDatasetView): string {
  return d.uses.map((u) => `${USE_LABELS[u.kind]}${u.id ? ` ${u.id}` : ''}${u.state ? ` (${u.state})` : ''}`).join(' ; ');
}

function printDatasets(items: readonly ProjectDatasetView[]): void {
  if (items.length === 0) {
    print('Aucun jeu de données rattaché, demandé ni sous contrat pour ce projet.');
    return;
  }
  print(
    table(items, [
      { header: 'Jeu de données', value: (d) => d.slug },
      { header: 'Fournisseur', value: (d) => d.provider },
      { header: 'Accès', value: (d) => d.accessLevel },
      { header: 'Usage', value: useOf },
      { header: 'Requêtes', value: (d) => String(d.queries) },
      { header: 'Rattaché par', value: (d) => d.attached?.organisation?.slug ?? '—' },
      { header: 'Pour', value: (d) => d.attached?.note ?? '—' },
    ]),
  );
}

/**
 * The datasets a project uses (attached, requested or under contract) and how; the admins and
 * stewards of its lead and accepted partners attach (with a note) and detach them.
 */
export async function projectsDatasets(
  id: string,
  action: DatasetAction = 'list',
  dataset: string | undefined,
  options: { note?: string; json?: boolean },
): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  if (action !== 'list') {
    if (!dataset)
      throw new Error(`« datasets ${action} » attend le jeu de données (slug) : confiance projects datasets ${id} ${action} JEU`);
    if (action === 'attach') await client.projects.attachDataset(id, { dataset, note: options.note ?? null });
    else await client.projects.detachDataset(id, dataset);
    if (!options.json) print(`${dataset} ${action === 'attach' ? 'rattaché au' : 'détaché du'} projet.\n`);
  }
  const { items } = await client.projects.datasets(id);
  if (options.json) printJson(items);
  else printDatasets(items);
}

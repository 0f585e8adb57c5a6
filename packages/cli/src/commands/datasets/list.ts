import { runSearch, type DatasetsListOptions } from './search';

/** The whole catalog, newest first: a search with no words. */
export async function datasetsList(options: DatasetsListOptions): Promise<void> {
  await runSearch({ sort: 'date' }, options);
}

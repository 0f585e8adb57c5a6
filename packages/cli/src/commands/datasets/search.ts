import type {
  AccessLevel,
  CatalogDomain,
  DatasetSearch,
  DatasetSearchResult,
  DatasetSummary,
  EuDataTheme,
  Facet,
  FileFormat,
  Frequency,
  LicenceCode,
  SEARCH_SORTS,
} from '@confiance/contract';
import { FACETS } from '@confiance/contract';
import { connect } from '../../api';
import {
  ACCESS_LEVEL_LABELS,
  DATASET_STATUS_LABELS,
  DOMAIN_LABELS,
  FREQUENCY_LABELS,
  LICENCE_LABELS,
  THEME_LABELS,
  label,
} from '../../labels';
import { formatDay, formatNumber, plural, print, printJson, table } from '../../output';

export interface DatasetsListOptions {
  publisher?: string[];
  level?: AccessLevel[];
  includeWithdrawn?: boolean;
  page?: number;
  pageSize?: number;
  json?: boolean;
}

export interface DatasetsSearchOptions extends DatasetsListOptions {
  theme?: EuDataTheme[];
  domain?: CatalogDomain[];
  licence?: LicenceCode[];
  departement?: string[];
  format?: FileFormat[];
  frequency?: Frequency[];
  sort?: (typeof SEARCH_SORTS)[number];
}

export async function datasetsSearch(query: string, options: DatasetsSearchOptions): Promise<void> {
  await runSearch(
    {
      q: query,
      theme: options.theme,
      domain: options.domain,
      licence: options.licence,
      departement: options.departement,
      format: options.format,
      frequency: options.frequency,
      sort: options.sort,
    },
    options,
  );
}

export async function runSearch(query: Partial<DatasetSearch>, options: DatasetsListOptions): Promise<void> {
  const { client } = await connect();
  const result = await client.datasets.search({
    ...withoutEmpty(query),
    ...withoutEmpty({
      publisher: options.publisher,
      accessLevel: options.level,
      includeWithdrawn: options.includeWithdrawn ? 'true' : undefined,
      page: options.page,
      pageSize: options.pageSize,
    }),
  });
  if (options.json) {
    printJson(result);
    return;
  }
  printResults(result);
}

function withoutEmpty<T extends Record<string, unknown>>(query: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(query).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as Partial<T>;
}

function titleOf(d: DatasetSummary): string {
  return d.status === 'published' ? d.title.fr : `${d.title.fr} (${label(DATASET_STATUS_LABELS, d.status)})`;
}

function printResults(result: DatasetSearchResult): void {
  if (result.items.length === 0) {
    print(
      result.total
        ? `Aucun jeu de données sur cette page (${plural(result.total, 'jeu de données', 'jeux de données')} en tout).`
        : 'Aucun jeu de données ne correspond à ces critères.',
    );
    return;
  }
  print(
    table(result.items, [
      { header: 'Slug', value: (d) => d.slug },
      { header: 'Titre', value: titleOf },
      { header: 'Producteur', value: (d) => d.publisher.name },
      { header: 'Accès', value: (d) => label(ACCESS_LEVEL_LABELS, d.accessLevel) },
      { header: 'Licence', value: (d) => label(LICENCE_LABELS, d.licence) },
      { header: 'Formats', value: (d) => d.formats.join(', ') },
      { header: 'Mis à jour', value: (d) => formatDay(d.modified) },
    ]),
  );
  const first = (result.page - 1) * result.pageSize + 1;
  const count = plural(result.total, 'jeu de données', 'jeux de données');
  print(
    first + result.items.length - 1 < result.total
      ? `\n${first}–${first + result.items.length - 1} sur ${count} : --page ${result.page + 1} pour la suite.`
      : `\n${count}.`,
  );
  const facets = facetSummary(result);
  if (facets) print(facets);
}

const FACET_NAMES: Record<Facet, string> = {
  theme: 'Thèmes',
  domain: 'Domaines',
  publisher: 'Producteurs',
  licence: 'Licences',
  accessLevel: 'Accès',
  departement: 'Départements',
  format: 'Formats',
  frequency: 'Fréquences',
};

const FACET_LABELS: Partial<Record<Facet, Record<string, string>>> = {
  theme: THEME_LABELS,
  domain: DOMAIN_LABELS,
  licence: LICENCE_LABELS,
  accessLevel: ACCESS_LEVEL_LABELS,
  frequency: FREQUENCY_LABELS,
};

/** One line: `Thèmes : transports 3, environnement 1 · Accès : ouvert 4`, five values a facet at most. */
export function facetSummary(result: Pick<DatasetSearchResult, 'facets'>): string {
  return FACETS.flatMap((facet) => {
    const counts = result.facets[facet].filter((c) => c.count > 0);
    if (counts.length === 0) return [];
    const shown = counts
      .slice(0, 5)
      .map((c) => `${FACET_LABELS[facet]?.[c.value] ?? c.label ?? c.value} ${formatNumber(c.count)}`)
      .join(', ');
    return [`${FACET_NAMES[facet]} : ${shown}${counts.length > 5 ? ', …' : ''}`];
  }).join(' · ');
}

import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Checkbox,
  Grid,
  Group,
  Pagination,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import {
  ACCESS_LEVELS,
  CATALOG_DOMAINS,
  EU_DATA_THEMES,
  FACETS,
  FILE_FORMATS,
  FREQUENCIES,
  LICENCE_CODES,
  SEARCH_SORTS,
  type DatasetSearch,
  type DatasetSearchResult,
  type DatasetSummary,
  type Facet,
} from '@confiance/contract';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useDatasetSearch } from '../../api/catalog';
import { ErrorState } from '../../components/ErrorState';
import { CatalogIcon, SearchIcon } from '../../components/Icons';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n, type Translate } from '../../i18n';
import { AccessBadge, formatLabel, LicenceBadge, licenceLabel, StatusBadge } from './labels';
import { usePublishableOrganisations } from './publishers';
import { useSearchFilters } from '../../components/useSearchFilters';

const PAGE_SIZE = 20;
/** Facet values shown before "show more": enough for most facets, short enough to scan. */
const FACET_PREVIEW = 6;

type Sort = (typeof SEARCH_SORTS)[number];

/** The facets' names in the page's address: French, like the rest of the portal's URLs. */
const FACET_PARAMS: Record<Facet, string> = {
  theme: 'theme',
  domain: 'domaine',
  publisher: 'producteur',
  licence: 'licence',
  accessLevel: 'acces',
  departement: 'departement',
  format: 'format',
  frequency: 'frequence',
};

/** Values a facet accepts, so a hand-edited address cannot make the API answer 400. */
const FACET_VALUES: Partial<Record<Facet, readonly string[]>> = {
  theme: EU_DATA_THEMES,
  domain: CATALOG_DOMAINS,
  licence: LICENCE_CODES,
  accessLevel: ACCESS_LEVELS,
  format: FILE_FORMATS,
  frequency: FREQUENCIES,
};

function facetValues(params: URLSearchParams, facet: Facet): string[] {
  const raw = (params.get(FACET_PARAMS[facet]) ?? '').split(',').filter(Boolean);
  const allowed = FACET_VALUES[facet];
  if (facet === 'departement') return raw.filter((v) => /^(\d{2}|2A|2B|97[1-6])$/.test(v));
  return allowed ? raw.filter((v) => allowed.includes(v)) : raw;
}

function valueLabel(t: Translate, facet: Facet, value: string, serverLabel: string | null): string {
  switch (facet) {
    case 'theme':
      return (EU_DATA_THEMES as readonly string[]).includes(value) ? t(`themes.${value as (typeof EU_DATA_THEMES)[number]}`) : value;
    case 'domain':
      return (CATALOG_DOMAINS as readonly string[]).includes(value) ? t(`domains.${value as (typeof CATALOG_DOMAINS)[number]}`) : value;
    case 'licence':
      return (LICENCE_CODES as readonly string[]).includes(value) ? licenceLabel(t, value as (typeof LICENCE_CODES)[number]) : value;
    case 'accessLevel':
      return (ACCESS_LEVELS as readonly string[]).includes(value) ? t(`access.${value as (typeof ACCESS_LEVELS)[number]}`) : value;
    case 'frequency':
      return (FREQUENCIES as readonly string[]).includes(value) ? t(`frequency.${value as (typeof FREQUENCIES)[number]}`) : value;
    case 'departement': {
      // The server names the départements it knows (those of the node's région).
      const name = serverLabel;
      return name ? `${name} (${value})` : value;
    }
    case 'publisher':
      return serverLabel ?? value;
    case 'format':
      return formatLabel(value);
  }
}

function FacetGroup({
  facet,
  counts,
  selected,
  onChange,
}: {
  facet: Facet;
  counts: DatasetSearchResult['facets'][Facet];
  selected: string[];
  onChange: (values: string[]) => void;
}) {
  const { t, formatNumber } = useI18n();
  const [expanded, setExpanded] = useState(false);
  // A ticked value stays listed even when the other filters leave it no result.
  const options = [
    ...counts,
    ...selected.filter((v) => !counts.some((c) => c.value === v)).map((value) => ({ value, label: null, count: 0 })),
  ];
  if (options.length === 0) return null;
  const visible = expanded ? options : options.filter((o, i) => i < FACET_PREVIEW || selected.includes(o.value));
  const id = `facet-${facet}`;
  return (
    <div>
      <Checkbox.Group label={t(`catalog.facet.${facet}`)} value={selected} onChange={onChange} id={id}>
        <Stack gap={8} mt={8}>
          {visible.map((o) => (
            <Checkbox
              key={o.value}
              value={o.value}
              size="sm"
              label={
                <>
                  {valueLabel(t, facet, o.value, o.label)}{' '}
                  <Text span size="xs" c="dimmed">
                    ({formatNumber(o.count)})
                  </Text>
                </>
              }
            />
          ))}
        </Stack>
      </Checkbox.Group>
      {options.length > FACET_PREVIEW && (
        <Button
          variant="subtle"
          size="compact-xs"
          mt={6}
          onClick={() => setExpanded((e) => !e)}
          aria-expanded={expanded}
          aria-controls={id}
        >
          {expanded ? t('catalog.showLess') : t('catalog.showAll', { count: options.length })}
        </Button>
      )}
    </div>
  );
}

function DatasetCard({ dataset }: { dataset: DatasetSummary }) {
  const { t, locale, formatDate } = useI18n();
  const title = (locale === 'en' && dataset.title.en) || dataset.title.fr;
  const headingId = `dataset-${dataset.id}`;
  return (
    <Card withBorder radius="md" padding="lg" component="article" aria-labelledby={headingId} className="dataset-card">
      <Stack gap={8}>
        <Group justify="space-between" align="flex-start" gap="xs">
          <Group gap={6}>
            <AccessBadge level={dataset.accessLevel} />
            <LicenceBadge code={dataset.licence} />
            <StatusBadge status={dataset.status} />
          </Group>
          <Text size="xs" c="dimmed">
            {t('catalog.updated', { date: formatDate(dataset.modified) })}
          </Text>
        </Group>
        <Title order={3} size="h4" id={headingId} lh={1.3}>
          <Anchor component={Link} to={`/datasets/${dataset.slug}`} c="inherit" fw={600}>
            {title}
          </Anchor>
        </Title>
        <Text size="sm">
          {t('catalog.by')}{' '}
          <Anchor component={Link} to={`/organisations/${dataset.publisher.slug}`} size="sm">
            {dataset.publisher.name}
          </Anchor>
        </Text>
        {dataset.excerpt && (
          <Text size="sm" c="dimmed" lineClamp={3}>
            {dataset.excerpt}
          </Text>
        )}
        <Group gap={6}>
          {dataset.formats.map((f) => (
            <Badge key={f} variant="default" size="sm" tt="none" fw={500}>
              {formatLabel(f)}
            </Badge>
          ))}
          {dataset.themes.map((theme) => (
            <Badge key={theme} variant="light" color="gray" size="sm" tt="none" fw={500}>
              {t(`themes.${theme}`)}
            </Badge>
          ))}
        </Group>
      </Stack>
    </Card>
  );
}

function ResultsSkeleton() {
  const { t } = useI18n();
  return (
    <Stack gap="md" aria-busy="true" aria-label={t('app.loading')}>
      {Array.from({ length: 4 }, (_, i) => (
        <Card key={i} withBorder radius="md" padding="lg">
          <Skeleton h={18} w={160} mb="sm" />
          <Skeleton h={22} w="60%" mb="xs" />
          <Skeleton h={14} w="30%" mb="sm" />
          <Skeleton h={14} w="90%" />
        </Card>
      ))}
    </Stack>
  );
}

function FacetsSkeleton() {
  return (
    <Stack gap="lg" aria-hidden="true">
      {Array.from({ length: 3 }, (_, i) => (
        <Stack key={i} gap={8}>
          <Skeleton h={16} w={120} />
          <Skeleton h={14} w="80%" />
          <Skeleton h={14} w="70%" />
          <Skeleton h={14} w="60%" />
        </Stack>
      ))}
    </Stack>
  );
}

export function CatalogPage() {
  const { t } = useI18n();
  usePageTitle(t('catalog.title'));
  const [params, update] = useSearchFilters();
  const publishers = usePublishableOrganisations();
  const q = params.get('q') ?? '';
  const sortParam = params.get('tri');
  const sort: Sort = (SEARCH_SORTS as readonly string[]).includes(sortParam ?? '') ? (sortParam as Sort) : q ? 'relevance' : 'date';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const selected = Object.fromEntries(FACETS.map((f) => [f, facetValues(params, f)])) as Record<Facet, string[]>;

  const [search, setSearch] = useState(q);
  const [debounced] = useDebouncedValue(search, 300);
  const [filtersOpen, setFiltersOpen] = useState(false);

  // The search box writes to the URL once typing pauses, so results are shareable and survive reload.
  useEffect(() => {
    const trimmed = debounced.trim();
    if (trimmed !== q) update({ q: trimmed || undefined, page: undefined });
    // Only a new debounced value should write (not a change of `q` coming from the URL).
  }, [debounced]);

  const query: DatasetSearch = {
    ...(q ? { q } : {}),
    ...Object.fromEntries(FACETS.filter((f) => selected[f].length > 0).map((f) => [f, selected[f]])),
    sort,
    page,
    pageSize: PAGE_SIZE,
  };
  const results = useDatasetSearch(query);
  const total = results.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const filtered = Boolean(q) || FACETS.some((f) => selected[f].length > 0);

  useEffect(() => {
    if (results.data && page > pages) update({ page: pages > 1 ? String(pages) : undefined });
  }, [results.data, page, pages]);

  const clearAll = () => {
    setSearch('');
    update({ q: undefined, page: undefined, ...Object.fromEntries(FACETS.map((f) => [FACET_PARAMS[f], undefined])) });
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" gap="md">
        <div style={{ flex: '1 1 420px' }}>
          <Title order={1}>{t('catalog.title')}</Title>
          <Text c="dimmed" mt={4} maw={760}>
            {t('catalog.intro')}
          </Text>
        </div>
        {publishers.length > 0 && (
          <Button component={Link} to="/publier">
            {t('catalog.publish')}
          </Button>
        )}
      </Group>

      <form
        role="search"
        aria-label={t('catalog.searchForm')}
        onSubmit={(e) => {
          e.preventDefault();
          update({ q: search.trim() || undefined, page: undefined });
        }}
      >
        <Grid gap="md" align="flex-end">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <TextInput
              label={t('catalog.search')}
              placeholder={t('catalog.searchPlaceholder')}
              type="search"
              leftSection={<SearchIcon size={16} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Select
              label={t('catalog.sort')}
              data={SEARCH_SORTS.map((s) => ({ value: s, label: t(`catalog.sort.${s}`) }))}
              value={sort}
              allowDeselect={false}
              onChange={(v) => update({ tri: v ?? undefined, page: undefined })}
            />
          </Grid.Col>
        </Grid>
      </form>

      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Paper component="section" aria-labelledby="facets-title" withBorder radius="md" p="md">
            <Group justify="space-between" mb="sm">
              <Title order={2} size="h5" id="facets-title">
                {t('catalog.filters')}
              </Title>
              {filtered && (
                <Button variant="subtle" size="compact-xs" onClick={clearAll}>
                  {t('catalog.clearFilters')}
                </Button>
              )}
            </Group>
            {/* On a phone the filters fold away, so the results are not pushed below a long list. */}
            <Button
              hiddenFrom="md"
              variant="default"
              size="xs"
              mb="sm"
              aria-expanded={filtersOpen}
              aria-controls="catalog-facets"
              onClick={() => setFiltersOpen((o) => !o)}
            >
              {filtersOpen ? t('catalog.hideFilters') : t('catalog.showFilters')}
            </Button>
            <div id="catalog-facets" className={filtersOpen ? undefined : 'facets-folded'}>
              {results.isPending ? (
                <FacetsSkeleton />
              ) : results.data ? (
                <Stack gap="lg">
                  {FACETS.map((facet) => (
                    <FacetGroup
                      key={facet}
                      facet={facet}
                      counts={results.data.facets[facet]}
                      selected={selected[facet]}
                      onChange={(values) => update({ [FACET_PARAMS[facet]]: values.join(',') || undefined, page: undefined })}
                    />
                  ))}
                </Stack>
              ) : null}
            </div>
          </Paper>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 9 }}>
          <section aria-labelledby="results-title">
            <Group justify="space-between" mb="sm" mih={28}>
              <Title order={2} size="h5" id="results-title" fw={500} c="dimmed" aria-live="polite" aria-atomic="true">
                {results.data ? t('catalog.count', { count: total }) : t('catalog.results')}
              </Title>
            </Group>

            {results.isPending ? (
              <ResultsSkeleton />
            ) : results.isError ? (
              <ErrorState title={t('catalog.loadFailed')} error={results.error} onRetry={() => void results.refetch()} />
            ) : results.data.items.length === 0 ? (
              <Center py={48}>
                <Stack align="center" gap={6} maw={420} ta="center">
                  <CatalogIcon size={32} color="var(--mantine-color-gray-5)" />
                  <Text fw={600}>{filtered ? t('catalog.empty') : t('catalog.emptyCatalog')}</Text>
                  <Text c="dimmed" size="sm">
                    {filtered ? t('catalog.emptyHint') : t('catalog.emptyCatalogHint')}
                  </Text>
                  {filtered && (
                    <Button variant="default" size="xs" mt="xs" onClick={clearAll}>
                      {t('catalog.clearFilters')}
                    </Button>
                  )}
                </Stack>
              </Center>
            ) : (
              <Stack gap="md" style={{ opacity: results.isPlaceholderData ? 0.6 : 1 }}>
                {results.data.items.map((dataset) => (
                  <DatasetCard key={dataset.id} dataset={dataset} />
                ))}
              </Stack>
            )}

            {pages > 1 && (
              <Center mt="xl">
                <nav aria-label={t('directory.pagination')}>
                  <Pagination
                    total={pages}
                    value={Math.min(page, pages)}
                    onChange={(p) => {
                      update({ page: p > 1 ? String(p) : undefined });
                      window.scrollTo({ top: 0 });
                    }}
                    getItemProps={(p) => ({
                      'aria-label': t('directory.page', { page: p }),
                      'aria-current': p === page ? 'page' : undefined,
                    })}
                    getControlProps={(control) => ({ 'aria-label': t(`directory.${control}`) })}
                    withEdges
                  />
                </nav>
              </Center>
            )}
          </section>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

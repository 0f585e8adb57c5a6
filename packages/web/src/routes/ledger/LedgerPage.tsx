import { Button, Center, Grid, Group, Paper, Select, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { LEDGER_ENTRY_TYPES, type LedgerEntryType } from '@confiance/contract';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useCheckpoint, useLedgerEntries, type LedgerFilters } from '../../api/ledger';
import { ErrorState } from '../../components/ErrorState';
import { LedgerIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { CheckpointPanel } from './CheckpointPanel';
import { entryTypeLabel } from './describe';
import { EntryItem } from './EntryItem';
import { useSearchFilters } from '../../components/useSearchFilters';

/** The filters' names in the page's address, in French like the portal's other URLs. */
const PARAMS = { type: 'type', dataset: 'jeu', organisation: 'organisation' } as const;
const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;

function readFilters(params: URLSearchParams): LedgerFilters {
  const type = params.get(PARAMS.type);
  const dataset = params.get(PARAMS.dataset)?.trim().toLowerCase();
  const organisation = params.get(PARAMS.organisation)?.trim().toLowerCase();
  // A hand-edited address must not make the API answer 400: unknown values are ignored.
  return {
    type: (LEDGER_ENTRY_TYPES as readonly string[]).includes(type ?? '') ? (type as LedgerEntryType) : undefined,
    dataset: dataset && SLUG.test(dataset) ? dataset : undefined,
    organisation: organisation && SLUG.test(organisation) ? organisation : undefined,
  };
}

function EntriesSkeleton() {
  const { t } = useI18n();
  return (
    <Stack gap="sm" role="status" aria-label={t('app.loading')}>
      {Array.from({ length: 4 }, (_, i) => (
        <Paper key={i} withBorder radius="md" p="md">
          <Skeleton h={16} w={180} mb="sm" />
          <Skeleton h={18} w="80%" mb="xs" />
          <Skeleton h={14} w="40%" />
        </Paper>
      ))}
    </Stack>
  );
}

export function LedgerPage() {
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle(t('ledger.title'));
  const [params, update] = useSearchFilters();
  const filters = readFilters(params);
  const checkpoint = useCheckpoint();
  const entries = useLedgerEntries(filters);

  const [dataset, setDataset] = useState(filters.dataset ?? '');
  const [organisation, setOrganisation] = useState(filters.organisation ?? '');
  const [debouncedDataset] = useDebouncedValue(dataset, 300);
  const [debouncedOrganisation] = useDebouncedValue(organisation, 300);

  // Typed filters reach the address (and the query) once typing pauses.
  useEffect(() => {
    const value = debouncedDataset.trim().toLowerCase();
    if (value !== (filters.dataset ?? '')) update({ [PARAMS.dataset]: value || undefined });
  }, [debouncedDataset]);
  useEffect(() => {
    const value = debouncedOrganisation.trim().toLowerCase();
    if (value !== (filters.organisation ?? '')) update({ [PARAMS.organisation]: value || undefined });
  }, [debouncedOrganisation]);

  const filtered = Boolean(filters.type || filters.dataset || filters.organisation);
  const clearAll = () => {
    setDataset('');
    setOrganisation('');
    update({ [PARAMS.type]: undefined, [PARAMS.dataset]: undefined, [PARAMS.organisation]: undefined });
  };

  const items = entries.data?.pages.flatMap((page) => page.items) ?? [];
  const total = entries.data?.pages[0]?.total ?? 0;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" gap="md">
        <div style={{ flex: '1 1 420px' }}>
          <Title order={1}>{t('ledger.title')}</Title>
          <Text c="dimmed" mt={4} maw={820}>
            {t('ledger.intro')}
          </Text>
        </div>
        <Button component={Link} to="/transparence" variant="default">
          {t('ledger.toReport')}
        </Button>
      </Group>

      <CheckpointPanel
        checkpoint={checkpoint.data}
        error={checkpoint.error}
        pending={checkpoint.isPending}
        onRetry={() => void checkpoint.refetch()}
      />

      <section aria-labelledby="entries-title">
        <Stack gap="md">
          <SectionHeading id="entries-title" title={t('entries.title')} intro={t('entries.intro')} />
          <form role="search" aria-label={t('entries.filters')} onSubmit={(e) => e.preventDefault()}>
            <Grid gap="md" align="flex-end">
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <Select
                  label={t('entries.type')}
                  placeholder={t('entries.allTypes')}
                  data={LEDGER_ENTRY_TYPES.map((type) => ({ value: type, label: entryTypeLabel(i18n, type) }))}
                  value={filters.type ?? null}
                  onChange={(value) => update({ [PARAMS.type]: value ?? undefined })}
                  clearable
                  searchable
                  nothingFoundMessage={t('chart.noMatch')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <TextInput
                  label={t('entries.dataset')}
                  placeholder={t('entries.datasetPlaceholder')}
                  value={dataset}
                  onChange={(e) => setDataset(e.currentTarget.value)}
                  spellCheck={false}
                  autoCapitalize="off"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <TextInput
                  label={t('entries.organisation')}
                  placeholder={t('entries.organisationPlaceholder')}
                  value={organisation}
                  onChange={(e) => setOrganisation(e.currentTarget.value)}
                  spellCheck={false}
                  autoCapitalize="off"
                />
              </Grid.Col>
            </Grid>
          </form>

          <Group justify="space-between" mih={28}>
            <Text fw={500} c="dimmed" aria-live="polite" aria-atomic="true">
              {entries.data ? t('entries.count', { count: total }) : null}
            </Text>
            {filtered && (
              <Button variant="subtle" size="compact-sm" onClick={clearAll}>
                {t('entries.clearFilters')}
              </Button>
            )}
          </Group>

          {entries.isPending ? (
            <EntriesSkeleton />
          ) : entries.isError && items.length === 0 ? (
            <ErrorState title={t('entries.loadFailed')} error={entries.error} onRetry={() => void entries.refetch()} />
          ) : items.length === 0 ? (
            <Center py={40}>
              <Stack align="center" gap={6} maw={440} ta="center">
                <LedgerIcon size={32} color="var(--mantine-color-gray-5)" />
                <Text fw={600}>{filtered ? t('entries.emptyFiltered') : t('entries.empty')}</Text>
                <Text c="dimmed" size="sm">
                  {filtered ? t('entries.emptyFilteredHint') : t('entries.emptyHint')}
                </Text>
                {filtered && (
                  <Button variant="default" size="xs" mt="xs" onClick={clearAll}>
                    {t('entries.clearFilters')}
                  </Button>
                )}
              </Stack>
            </Center>
          ) : (
            <>
              <ol className="plain-list" aria-label={t('entries.list')} style={{ opacity: entries.isPlaceholderData ? 0.6 : 1 }}>
                {items.map((entry) => (
                  <li key={entry.index} style={{ marginBottom: 'var(--mantine-spacing-sm)' }}>
                    <EntryItem entry={entry} checkpoint={checkpoint.data} />
                  </li>
                ))}
              </ol>
              {entries.isFetchNextPageError && (
                <ErrorState title={t('entries.loadFailed')} error={entries.error} onRetry={() => void entries.fetchNextPage()} />
              )}
              <Center>
                {entries.hasNextPage ? (
                  <Button variant="default" onClick={() => void entries.fetchNextPage()} loading={entries.isFetchingNextPage}>
                    {t('entries.older')}
                  </Button>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('entries.end')}
                  </Text>
                )}
              </Center>
            </>
          )}
        </Stack>
      </section>
    </Stack>
  );
}

import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Grid,
  Group,
  Pagination,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { DOMAINS, ORGANISATION_CATEGORIES, type NetworkCounts, type Organisation, type OrganisationCategory } from '@confiance/contract';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useDirectory, type Domain } from '../../api/members';
import { useNetworkCounts } from '../../api/network';
import { CATEGORY_COLORS } from '../../components/categories';
import { ErrorState } from '../../components/ErrorState';
import { MapPinIcon, SearchIcon, UsersIcon } from '../../components/Icons';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';

const PAGE_SIZE = 12;

const isCategory = (v: string | null): v is OrganisationCategory => (ORGANISATION_CATEGORIES as readonly string[]).includes(v ?? '');
const isDomain = (v: string | null): v is Domain => (DOMAINS as readonly string[]).includes(v ?? '');

function MemberCard({ org, network }: { org: Organisation; network: NetworkCounts | undefined }) {
  const { t } = useI18n();
  return (
    <Card withBorder radius="md" padding="lg" className="member-card" component="article" aria-labelledby={`org-${org.id}`}>
      <Stack gap="xs" style={{ flex: 1 }}>
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
          <Badge variant="light" color={CATEGORY_COLORS[org.category]} size="sm">
            {t(`categories.${org.category}`)}
          </Badge>
          {org.status === 'deactivated' && (
            <Badge variant="outline" color="gray" size="sm">
              {t('directory.deactivated')}
            </Badge>
          )}
        </Group>
        <Title order={2} size="h4" id={`org-${org.id}`} lh={1.25}>
          <Anchor component={Link} to={`/organisations/${org.slug}`} c="inherit" fw={600} className="member-card-link">
            {org.shortName}
          </Anchor>
        </Title>
        {org.legalName !== org.shortName && (
          <Text size="sm" c="dimmed" lineClamp={2}>
            {org.legalName}
          </Text>
        )}
        <Group gap={6} mt="auto" pt="xs" wrap="wrap">
          {org.domains.map((d) => (
            <Badge key={d} variant="default" size="sm" tt="none" fw={500}>
              {isDomain(d) ? t(`domains.${d}`) : d}
            </Badge>
          ))}
        </Group>
        <Group gap="md" c="dimmed" wrap="wrap">
          <Group gap={4} wrap="nowrap">
            <MapPinIcon size={15} />
            <Text size="sm">{org.city ?? t('common.notProvided')}</Text>
          </Group>
          <Group gap={4} wrap="nowrap">
            <UsersIcon size={15} />
            <Text size="sm">{t('directory.members', { count: org.memberCount })}</Text>
          </Group>
        </Group>
        {network && (
          <Text size="sm" c="dimmed">
            {t('network.shares', { count: network.shares })} · {t('network.uses', { count: network.uses })} ·{' '}
            {t('network.needsCount', { count: network.needs })}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

function CardsSkeleton() {
  const { t } = useI18n();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" aria-busy="true" aria-label={t('app.loading')}>
      {Array.from({ length: 6 }, (_, i) => (
        <Card key={i} withBorder radius="md" padding="lg">
          <Skeleton h={18} w={110} mb="sm" />
          <Skeleton h={22} w="70%" mb="xs" />
          <Skeleton h={14} w="90%" mb="lg" />
          <Skeleton h={14} w="50%" />
        </Card>
      ))}
    </SimpleGrid>
  );
}

export function DirectoryPage() {
  const { t } = useI18n();
  usePageTitle(t('directory.title'));
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const categoryParam = params.get('categorie');
  const domainParam = params.get('domaine');
  const category = isCategory(categoryParam) ? categoryParam : undefined;
  const domain = isDomain(domainParam) ? domainParam : undefined;
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);

  const [search, setSearch] = useState(q);
  const [debounced] = useDebouncedValue(search, 300);

  const update = (changes: Record<string, string | undefined>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );

  // The search box writes to the URL once typing pauses, so results are shareable and survive reload.
  useEffect(() => {
    const trimmed = debounced.trim();
    if (trimmed !== q) update({ q: trimmed || undefined, page: undefined });
    // Only a new debounced value should write (not a change of `q` coming from the URL).
  }, [debounced]);

  const directory = useDirectory({ q: q || undefined, category, domain, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  // What the members on this page share, use and look for: one grouped read for the whole page.
  const network = useNetworkCounts(directory.data?.items.map((o) => o.slug) ?? []);
  const counts = new Map((network.data?.items ?? []).map((i) => [i.organisationId, i.counts]));
  const total = directory.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const filtered = Boolean(q || category || domain);

  // A shared link to page 5 of a list that has since shrunk lands on the last page, not on "no result".
  useEffect(() => {
    if (directory.data && page > pages) update({ page: pages > 1 ? String(pages) : undefined });
  }, [directory.data, page, pages]);

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('directory.title')}</Title>
        <Text c="dimmed" mt={4} maw={720}>
          {t('directory.intro')}
        </Text>
      </div>

      <form
        role="search"
        aria-label={t('directory.searchForm')}
        onSubmit={(e) => {
          // Enter searches at once instead of waiting for the pause in typing.
          e.preventDefault();
          update({ q: search.trim() || undefined, page: undefined });
        }}
      >
        <Grid gap="md" align="flex-end">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <TextInput
              label={t('directory.search')}
              placeholder={t('directory.searchPlaceholder')}
              type="search"
              leftSection={<SearchIcon size={16} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
            <Select
              label={t('directory.category')}
              placeholder={t('directory.allCategories')}
              clearable
              data={ORGANISATION_CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) }))}
              value={category ?? null}
              onChange={(v) => update({ categorie: v ?? undefined, page: undefined })}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
            <Select
              label={t('directory.domain')}
              placeholder={t('directory.allDomains')}
              clearable
              data={DOMAINS.map((d) => ({ value: d, label: t(`domains.${d}`) })).sort((a, b) => a.label.localeCompare(b.label))}
              value={domain ?? null}
              onChange={(v) => update({ domaine: v ?? undefined, page: undefined })}
            />
          </Grid.Col>
        </Grid>
      </form>

      <section aria-labelledby="results-title">
        <Group justify="space-between" mb="sm" mih={28}>
          <Title order={2} size="h5" id="results-title" fw={500} c="dimmed" aria-live="polite" aria-atomic="true">
            {directory.data ? t('directory.count', { count: total }) : t('directory.results')}
          </Title>
          {filtered && (
            <Button
              variant="subtle"
              size="compact-sm"
              onClick={() => {
                setSearch('');
                update({ q: undefined, categorie: undefined, domaine: undefined, page: undefined });
              }}
            >
              {t('directory.clearFilters')}
            </Button>
          )}
        </Group>

        {directory.isPending ? (
          <CardsSkeleton />
        ) : directory.isError ? (
          <ErrorState title={t('directory.loadFailed')} error={directory.error} onRetry={() => void directory.refetch()} />
        ) : directory.data.items.length === 0 ? (
          <Center py={48}>
            <Stack align="center" gap={6}>
              <SearchIcon size={32} color="var(--mantine-color-gray-5)" />
              <Text fw={600}>{t('directory.empty')}</Text>
              <Text c="dimmed" size="sm">
                {t('directory.emptyHint')}
              </Text>
            </Stack>
          </Center>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" style={{ opacity: directory.isPlaceholderData ? 0.6 : 1 }}>
            {directory.data.items.map((org) => (
              <MemberCard key={org.id} org={org} network={counts.get(org.id)} />
            ))}
          </SimpleGrid>
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
                getItemProps={(p) => ({ 'aria-label': t('directory.page', { page: p }), 'aria-current': p === page ? 'page' : undefined })}
                getControlProps={(control) => ({ 'aria-label': t(`directory.${control}`) })}
                withEdges
              />
            </nav>
          </Center>
        )}
      </section>
    </Stack>
  );
}

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
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { DOMAINS, NEED_STATUSES, type NeedStatus, type NeedView } from '@confiance/contract';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useNeeds } from '../../api/network';
import { ErrorState } from '../../components/ErrorState';
import { SearchIcon } from '../../components/Icons';
import { usePageTitle } from '../../components/usePageTitle';
import { useSearchFilters } from '../../components/useSearchFilters';
import { useI18n } from '../../i18n';
import { NeedForm } from './NeedForm';
import { NEED_STATUS_COLORS, useOwnOrganisations } from './shared';

const PAGE_SIZE = 20;
type Domain = (typeof DOMAINS)[number];
const isStatus = (v: string | null): v is NeedStatus => (NEED_STATUSES as readonly string[]).includes(v ?? '');
const isDomain = (v: string | null): v is Domain => (DOMAINS as readonly string[]).includes(v ?? '');

export function NeedCard({ need }: { need: NeedView }) {
  const { t, formatDate } = useI18n();
  return (
    <Card withBorder radius="md" padding="md" component="article" aria-labelledby={`need-${need.id}`}>
      <Stack gap={6}>
        <Group gap="xs">
          <Badge variant="light" color={NEED_STATUS_COLORS[need.status]}>
            {t(`needs.statuses.${need.status}`)}
          </Badge>
          <Badge variant="default" tt="none" fw={500}>
            {t(`domains.${need.domain}`)}
          </Badge>
          <Text size="sm" c="dimmed">
            {t('needs.answers', { count: need.answerCount })}
          </Text>
        </Group>
        <Title order={2} size="h4" id={`need-${need.id}`}>
          <Anchor component={Link} to={`/besoins/${need.id}`} c="inherit" fw={600}>
            {need.title}
          </Anchor>
        </Title>
        <Text size="sm" lineClamp={2}>
          {need.description}
        </Text>
        <Text size="sm" c="dimmed">
          {t('needs.postedBy', { organisation: need.organisation.name, date: formatDate(need.createdAt) })}
          {need.wantedBy ? ` · ${t('needs.wantedBy', { date: formatDate(need.wantedBy) })}` : ''}
        </Text>
      </Stack>
    </Card>
  );
}

export function NeedsPage() {
  const { t } = useI18n();
  usePageTitle(t('needs.title'));
  const [params, update] = useSearchFilters();
  const q = params.get('q') ?? '';
  const statusParam = params.get('statut');
  const domainParam = params.get('domaine');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const domain = isDomain(domainParam) ? domainParam : undefined;
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const [search, setSearch] = useState(q);
  const [debounced] = useDebouncedValue(search, 300);
  const [creating, create] = useDisclosure(false);
  const mayPost = useOwnOrganisations('create', 'Need').length > 0;

  useEffect(() => {
    const trimmed = debounced.trim();
    if (trimmed !== q) update({ q: trimmed || undefined, page: undefined });
  }, [debounced]);

  const needs = useNeeds({
    ...(q ? { q } : {}),
    ...(status ? { status } : {}),
    ...(domain ? { domain } : {}),
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  const total = needs.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>{t('needs.title')}</Title>
          <Text c="dimmed" mt={4} maw={720}>
            {t('needs.intro')}
          </Text>
        </div>
        {mayPost && <Button onClick={create.open}>{t('needs.new')}</Button>}
      </Group>

      <form
        role="search"
        aria-label={t('needs.search')}
        onSubmit={(e) => {
          e.preventDefault();
          update({ q: search.trim() || undefined, page: undefined });
        }}
      >
        <Grid gap="md" align="flex-end">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <TextInput
              label={t('needs.search')}
              placeholder={t('needs.searchPlaceholder')}
              type="search"
              leftSection={<SearchIcon size={16} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
            <Select
              label={t('needs.status')}
              placeholder={t('needs.allStatuses')}
              clearable
              data={NEED_STATUSES.map((s) => ({ value: s, label: t(`needs.statuses.${s}`) }))}
              value={status ?? null}
              onChange={(v) => update({ statut: v, page: undefined })}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
            <Select
              label={t('needs.domain')}
              placeholder={t('needs.allDomains')}
              clearable
              data={DOMAINS.map((d) => ({ value: d, label: t(`domains.${d}`) }))}
              value={domain ?? null}
              onChange={(v) => update({ domaine: v, page: undefined })}
            />
          </Grid.Col>
        </Grid>
      </form>

      <section aria-labelledby="needs-results">
        <Title order={2} size="h5" id="needs-results" fw={500} c="dimmed" mb="sm" aria-live="polite" aria-atomic="true">
          {needs.data ? t('needs.count', { count: total }) : t('app.loading')}
        </Title>
        {needs.isPending ? (
          <Stack gap="sm" aria-busy="true" aria-label={t('app.loading')}>
            {Array.from({ length: 3 }, (_, i) => (
              <Skeleton key={i} h={110} radius="md" />
            ))}
          </Stack>
        ) : needs.isError ? (
          <ErrorState title={t('needs.loadFailed')} error={needs.error} onRetry={() => void needs.refetch()} />
        ) : needs.data.items.length === 0 ? (
          <Center py={48}>
            <Stack align="center" gap={6}>
              <SearchIcon size={32} color="var(--mantine-color-gray-5)" />
              <Text fw={600}>{t('needs.empty')}</Text>
              <Text c="dimmed" size="sm">
                {t('needs.emptyHint')}
              </Text>
            </Stack>
          </Center>
        ) : (
          <Stack gap="sm" style={{ opacity: needs.isPlaceholderData ? 0.6 : 1 }}>
            {needs.data.items.map((need) => (
              <NeedCard key={need.id} need={need} />
            ))}
          </Stack>
        )}
        {pages > 1 && (
          <Center mt="xl">
            <nav aria-label={t('directory.pagination')}>
              <Pagination
                total={pages}
                value={Math.min(page, pages)}
                onChange={(p) => update({ page: p > 1 ? String(p) : undefined })}
                getItemProps={(p) => ({ 'aria-label': t('directory.page', { page: p }), 'aria-current': p === page ? 'page' : undefined })}
                getControlProps={(control) => ({ 'aria-label': t(`directory.${control}`) })}
              />
            </nav>
          </Center>
        )}
      </section>
      {mayPost && <NeedForm opened={creating} onClose={create.close} />}
    </Stack>
  );
}

import { Anchor, Badge, Button, Card, Center, Group, Pagination, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { NewsView } from '@confiance/contract';
import { Link } from 'react-router-dom';
import { useNews } from '../../api/network';
import { useSession } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { usePageTitle } from '../../components/usePageTitle';
import { useSearchFilters } from '../../components/useSearchFilters';
import { useI18n } from '../../i18n';
import { inline } from '../policies/Markdown';
import { NewsForm } from './NewsForm';
import { useOwnOrganisations } from './shared';

const PAGE_SIZE = 10;

/** The first paragraph of a post, without its Markdown block markers. */
function excerpt(body: string): string {
  const first = body.split(/\n\s*\n/).find((p) => p.trim() && !p.trim().startsWith('#')) ?? body;
  const text = first.replace(/^\s*([-*+]|\d+[.)]|>)\s+/gm, '').trim();
  return text.length > 280 ? `${text.slice(0, 277)}…` : text;
}

export function NewsByline({ post }: { post: NewsView }) {
  const { t, formatDate } = useI18n();
  const scheduled = new Date(post.publishedAt) > new Date();
  return (
    <Group gap="xs">
      <Text size="sm" c="dimmed">
        {t('news.byline', { organisation: post.organisation?.name ?? t('news.association'), date: formatDate(post.publishedAt) })}
      </Text>
      {scheduled && (
        <Badge size="sm" variant="light" color="yellow">
          {t('news.scheduled')}
        </Badge>
      )}
    </Group>
  );
}

export function NewsPage() {
  const { t } = useI18n();
  usePageTitle(t('news.title'));
  const [params, update] = useSearchFilters();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const news = useNews({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const session = useSession();
  const own = useOwnOrganisations('create', 'News');
  const mayPublish = own.length > 0 || (session.data?.user.platformRoles.includes('operator') ?? false);
  const [creating, create] = useDisclosure(false);
  const pages = Math.max(1, Math.ceil((news.data?.total ?? 0) / PAGE_SIZE));

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>{t('news.title')}</Title>
          <Text c="dimmed" mt={4} maw={720}>
            {t('news.intro')}
          </Text>
        </div>
        {mayPublish && <Button onClick={create.open}>{t('news.new')}</Button>}
      </Group>
      {news.isPending ? (
        <Stack gap="sm" aria-busy="true" aria-label={t('app.loading')}>
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} h={120} radius="md" />
          ))}
        </Stack>
      ) : news.isError ? (
        <ErrorState title={t('news.loadFailed')} error={news.error} onRetry={() => void news.refetch()} />
      ) : news.data.items.length === 0 ? (
        <Center py={48}>
          <Text fw={600}>{t('news.empty')}</Text>
        </Center>
      ) : (
        <Stack gap="md">
          {news.data.items.map((post) => (
            <Card key={post.id} withBorder radius="md" padding="lg" component="article" aria-labelledby={`news-${post.id}`}>
              <Stack gap={6}>
                <NewsByline post={post} />
                <Title order={2} size="h3" id={`news-${post.id}`}>
                  <Anchor component={Link} to={`/actualites/${post.id}`} c="inherit" aria-label={t('news.readMore', { title: post.title })}>
                    {post.title}
                  </Anchor>
                </Title>
                <Text size="sm">{inline(excerpt(post.body))}</Text>
              </Stack>
            </Card>
          ))}
        </Stack>
      )}
      {pages > 1 && (
        <Center>
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
      {mayPublish && <NewsForm opened={creating} onClose={create.close} />}
    </Stack>
  );
}

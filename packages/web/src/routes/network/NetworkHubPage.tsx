import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useNeeds, useNews } from '../../api/network';
import { BellIcon, ClockIcon, SearchIcon, UsersIcon } from '../../components/Icons';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n, type MessageKey } from '../../i18n';

const SECTIONS: { to: string; title: MessageKey; body: MessageKey; icon: typeof SearchIcon }[] = [
  { to: '/besoins', title: 'network.needs', body: 'network.needsBody', icon: SearchIcon },
  { to: '/evenements', title: 'network.events', body: 'network.eventsBody', icon: ClockIcon },
  { to: '/actualites', title: 'network.news', body: 'network.newsBody', icon: BellIcon },
  { to: '/membres', title: 'network.directory', body: 'network.directoryBody', icon: UsersIcon },
];

/** « Réseau »: where the network's sections start, with what is new in each. */
export function NetworkHubPage() {
  const { t, formatDate } = useI18n();
  usePageTitle(t('network.title'));
  const open = useNeeds({ status: 'open', limit: 1 });
  const news = useNews({ limit: 3 });
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('network.title')}</Title>
        <Text c="dimmed" mt={4} maw={720}>
          {t('network.intro')}
        </Text>
      </div>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" component="nav" aria-label={t('network.title')}>
        {SECTIONS.map((s) => (
          <Card key={s.to} withBorder radius="md" padding="lg" component="article" aria-labelledby={`hub-${s.to.slice(1)}`}>
            <Group gap="sm" wrap="nowrap" align="flex-start">
              <s.icon size={22} />
              <Stack gap={4}>
                <Title order={2} size="h4" id={`hub-${s.to.slice(1)}`}>
                  <Anchor component={Link} to={s.to} c="inherit" fw={600}>
                    {t(s.title)}
                  </Anchor>
                </Title>
                <Text size="sm" c="dimmed">
                  {t(s.body)}
                </Text>
                {s.to === '/besoins' && open.data && <Text size="sm">{t('network.openNeeds', { count: open.data.total })}</Text>}
              </Stack>
            </Group>
          </Card>
        ))}
      </SimpleGrid>
      {news.data && news.data.items.length > 0 && (
        <section aria-labelledby="hub-news">
          <Title order={2} size="h3" id="hub-news" mb="sm">
            {t('network.latestNews')}
          </Title>
          <Stack gap="xs">
            {news.data.items.map((post) => (
              <Group key={post.id} gap="sm" wrap="nowrap">
                <Text size="sm" c="dimmed" miw={110}>
                  {formatDate(post.publishedAt)}
                </Text>
                <Anchor component={Link} to={`/actualites/${post.id}`}>
                  {post.title}
                </Anchor>
              </Group>
            ))}
          </Stack>
        </section>
      )}
    </Stack>
  );
}

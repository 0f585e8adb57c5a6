import { Anchor, Grid, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useNetworkProfile } from '../../api/network';
import { useI18n } from '../../i18n';

/** On an organisation's page: what it shares, uses and looks for in the network. */
export function NetworkSection({ slug }: { slug: string }) {
  const { t } = useI18n();
  const profile = useNetworkProfile(slug);
  if (profile.isPending) return <Skeleton h={160} radius="md" aria-label={t('app.loading')} />;
  if (!profile.data) return null;
  const p = profile.data;
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="network-title">
      <Title order={2} size="h3" id="network-title" mb="sm">
        {t('network.profile.title')}
      </Title>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap={6}>
            <Title order={3} size="h5">
              {t('network.profile.shares')} · {t('network.shares', { count: p.counts.shares })}
            </Title>
            {p.shares.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('network.profile.sharesEmpty')}
              </Text>
            ) : (
              p.shares.slice(0, 10).map((d) => (
                <Anchor key={d.id} component={Link} to={`/datasets/${d.slug}`} size="sm">
                  {d.title}
                </Anchor>
              ))
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap={6}>
            <Title order={3} size="h5">
              {t('network.profile.uses')} · {t('network.uses', { count: p.counts.uses })}
            </Title>
            {p.uses === null ? (
              <Text size="sm" c="dimmed">
                {t('network.profile.usesHidden')}
              </Text>
            ) : p.uses.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('network.profile.usesEmpty')}
              </Text>
            ) : (
              p.uses.map((u) => (
                <Text key={u.slug} size="sm">
                  <Anchor component={Link} to={`/datasets/${u.slug}`}>
                    {u.title}
                  </Anchor>{' '}
                  <Text span c="dimmed" size="sm">
                    {t('network.profile.from', { provider: u.provider.name })}
                  </Text>
                </Text>
              ))
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap={6}>
            <Title order={3} size="h5">
              {t('network.profile.needs')} · {t('network.needsCount', { count: p.counts.needs })}
            </Title>
            {p.needs.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('network.profile.needsEmpty')}
              </Text>
            ) : (
              p.needs.map((n) => (
                <Anchor key={n.id} component={Link} to={`/besoins/${n.id}`} size="sm">
                  {n.title}
                </Anchor>
              ))
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Paper>
  );
}

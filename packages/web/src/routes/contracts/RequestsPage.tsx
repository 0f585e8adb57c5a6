import { Anchor, Group, Paper, Select, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { REQUEST_STAGES, type RequestStage } from '@confiance/contract';
import { Link, useSearchParams } from 'react-router-dom';
import { useRequests, type RequestBox } from '../../api/contracts';
import { ErrorState } from '../../components/ErrorState';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { RequestTable } from './RequestTable';

/** The tab and the stage live in the address: a link from a notification or a colleague opens the same view. */
const BOX_PARAM: Record<RequestBox, string> = { mine: 'mes-demandes', inbox: 'a-traiter' };

function RequestBoxPanel({ box, stage }: { box: RequestBox; stage: RequestStage | null }) {
  const { t } = useI18n();
  const requests = useRequests(box, stage);
  if (requests.isPending) return <Skeleton h={200} role="status" aria-label={t('app.loading')} />;
  if (requests.isError) {
    return <ErrorState title={t('requests.loadFailed')} error={requests.error} onRetry={() => void requests.refetch()} />;
  }
  if (requests.data.items.length === 0) {
    return (
      <Paper withBorder radius="md" p="lg" bg="gray.0">
        <Stack gap={4}>
          <Text fw={500}>{stage ? t('requests.emptyStage', { stage: t(`requests.stage.${stage}`) }) : t(`requests.empty.${box}`)}</Text>
          {!stage && (
            <Text size="sm" c="dimmed">
              {t(`requests.emptyHint.${box}`)}{' '}
              {box === 'mine' && (
                <Anchor component={Link} to="/datasets" size="sm" underline="always">
                  {t('requests.toCatalog')}
                </Anchor>
              )}
            </Text>
          )}
        </Stack>
      </Paper>
    );
  }
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed" aria-live="polite">
        {t('requests.count', { count: requests.data.total })}
      </Text>
      <RequestTable
        requests={requests.data.items}
        caption={t(box === 'mine' ? 'requests.tab.mine' : 'requests.tab.inbox')}
        party={box === 'mine' ? 'provider' : 'consumer'}
      />
    </Stack>
  );
}

/** « Demandes »: the requests my organisations sent, and those sent to them as providers. */
export function RequestsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const box: RequestBox = params.get('boite') === BOX_PARAM.inbox ? 'inbox' : 'mine';
  const stageParam = params.get('etape');
  const stage = (REQUEST_STAGES as readonly string[]).includes(stageParam ?? '') ? (stageParam as RequestStage) : null;
  usePageTitle(t('requests.title'));

  const update = (next: { box?: RequestBox; stage?: RequestStage | null }) => {
    const out = new URLSearchParams(params);
    const nextBox = next.box ?? box;
    const nextStage = next.stage === undefined ? stage : next.stage;
    if (nextBox === 'inbox') out.set('boite', BOX_PARAM.inbox);
    else out.delete('boite');
    if (nextStage) out.set('etape', nextStage);
    else out.delete('etape');
    setParams(out, { replace: true });
  };

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('requests.title')}</Title>
        <Text c="dimmed" maw={760}>
          {t('requests.intro')}
        </Text>
      </div>
      <Tabs value={box} onChange={(v) => update({ box: v === 'inbox' ? 'inbox' : 'mine' })} keepMounted={false}>
        <Group justify="space-between" align="flex-end" gap="md" wrap="wrap">
          <Tabs.List>
            <Tabs.Tab value="mine">{t('requests.tab.mine')}</Tabs.Tab>
            <Tabs.Tab value="inbox">{t('requests.tab.inbox')}</Tabs.Tab>
          </Tabs.List>
          <Select
            label={t('requests.filterStage')}
            data={[
              { value: 'all', label: t('requests.allStages') },
              ...REQUEST_STAGES.map((s) => ({ value: s, label: t(`requests.stage.${s}`) })),
            ]}
            value={stage ?? 'all'}
            onChange={(v) => update({ stage: v && v !== 'all' ? (v as RequestStage) : null })}
            allowDeselect={false}
            w={260}
          />
        </Group>
        <Tabs.Panel value="mine" pt="md">
          <Text size="sm" c="dimmed" mb="sm">
            {t('requests.tabIntro.mine')}
          </Text>
          <RequestBoxPanel box="mine" stage={stage} />
        </Tabs.Panel>
        <Tabs.Panel value="inbox" pt="md">
          <Text size="sm" c="dimmed" mb="sm">
            {t('requests.tabIntro.inbox')}
          </Text>
          <RequestBoxPanel box="inbox" stage={stage} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

import { Paper, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router-dom';
import { useReviews, type ReviewState } from '../../api/contracts';
import { useSession } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { LockIcon } from '../../components/Icons';
import { StatePage } from '../../components/StatePage';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { RequestTable } from './RequestTable';

/** Members of the ethics commission review; the operator follows the queue (and answers for it). */
export function useIsEthicsReader(): boolean {
  const session = useSession();
  const roles = session.data?.user.platformRoles ?? [];
  return roles.includes('ethics_member') || roles.includes('operator');
}

function ReviewQueue({ state }: { state: ReviewState }) {
  const { t } = useI18n();
  const reviews = useReviews(state);
  if (reviews.isPending) return <Skeleton h={200} role="status" aria-label={t('app.loading')} />;
  if (reviews.isError) return <ErrorState title={t('ethics.loadFailed')} error={reviews.error} onRetry={() => void reviews.refetch()} />;
  if (reviews.data.items.length === 0) {
    return (
      <Paper withBorder radius="md" p="lg" bg="gray.0">
        <Text fw={500}>{t(`ethics.empty.${state}`)}</Text>
      </Paper>
    );
  }
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t('requests.count', { count: reviews.data.total })}
      </Text>
      <RequestTable requests={reviews.data.items} caption={t(`ethics.tab.${state}`)} party="consumer" linkTo={(r) => `/ethique/${r.id}`} />
    </Stack>
  );
}

/** /ethique — the commission's queue: requests waiting for its Five Safes review, and those decided. */
export function EthicsPage() {
  const { t } = useI18n();
  const allowed = useIsEthicsReader();
  const [params, setParams] = useSearchParams();
  const state: ReviewState = params.get('etat') === 'examinees' ? 'decided' : 'pending';
  usePageTitle(t('ethics.title'));

  if (!allowed) {
    return (
      <StatePage
        title={t('ethics.forbiddenTitle')}
        body={t('ethics.forbiddenBody')}
        icon={<LockIcon size={24} />}
        action={{ label: t('ethics.toRequests'), to: '/demandes' }}
      />
    );
  }
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('ethics.title')}</Title>
        <Text c="dimmed" maw={760}>
          {t('ethics.intro')}
        </Text>
      </div>
      <Tabs value={state} onChange={(v) => setParams(v === 'decided' ? { etat: 'examinees' } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="pending">{t('ethics.tab.pending')}</Tabs.Tab>
          <Tabs.Tab value="decided">{t('ethics.tab.decided')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="pending" pt="md">
          <ReviewQueue state="pending" />
        </Tabs.Panel>
        <Tabs.Panel value="decided" pt="md">
          <ReviewQueue state="decided" />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

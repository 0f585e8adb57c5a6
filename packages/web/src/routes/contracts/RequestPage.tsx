import { Anchor, Breadcrumbs, Button, Grid, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { RequestView } from '@confiance/contract';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useApproveRequest, useRejectRequest, useRequest, useWithdrawRequest } from '../../api/contracts';
import { ErrorState } from '../../components/ErrorState';
import { isApiError } from '../../components/errors';
import { SearchIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { StatePage } from '../../components/StatePage';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { DecisionResult } from '../policies/DecisionPreview';
import { StageBadge } from './labels';
import { ReasonDialog } from './ReasonDialog';
import { RequestFacts, RequestStatus, ReviewSummary } from './RequestDetails';

type Dialog = 'approve' | 'reject' | 'withdraw' | null;

/** Approve, reject or withdraw — each offered only when the node says the caller may (`can`). */
function RequestActions({ request }: { request: RequestView }) {
  const { t } = useI18n();
  const [dialog, setDialog] = useState<Dialog>(null);
  const approve = useApproveRequest(request.id);
  const reject = useRejectRequest(request.id);
  const withdraw = useWithdrawRequest(request.id);
  const close = () => {
    setDialog(null);
    approve.reset();
    reject.reset();
    withdraw.reset();
  };
  const done = (message: string) => {
    notifications.show({ color: 'teal', message });
    close();
  };
  const dataset = request.dataset.title;
  const { can } = request;
  if (!can.approve && !can.reject && !can.withdraw && !can.review) return null;
  return (
    <>
      <Group gap="sm" className="no-print">
        {can.review && (
          <Button component={Link} to={`/ethique/${request.id}`}>
            {t('requests.toReview')}
          </Button>
        )}
        {can.approve && <Button onClick={() => setDialog('approve')}>{t('requests.approve')}</Button>}
        {can.reject && (
          <Button variant="default" c="red.9" onClick={() => setDialog('reject')}>
            {t('requests.reject')}
          </Button>
        )}
        {can.withdraw && (
          <Button variant="default" c="red.9" onClick={() => setDialog('withdraw')}>
            {t('requests.withdraw')}
          </Button>
        )}
      </Group>
      <ReasonDialog
        opened={dialog === 'approve'}
        onClose={close}
        title={t('requests.approveTitle', { dataset })}
        body={t('requests.approveBody', { consumer: request.consumer.name })}
        reasonLabel={t('requests.approveReason')}
        reasonHint={t('requests.approveReasonHint')}
        required={false}
        confirmLabel={t('requests.approveConfirm')}
        loading={approve.isPending}
        error={approve.error}
        onConfirm={(reason) =>
          approve.mutate(reason, { onSuccess: () => done(t('requests.approved', { consumer: request.consumer.name })) })
        }
      />
      <ReasonDialog
        opened={dialog === 'reject'}
        onClose={close}
        title={t('requests.rejectTitle', { dataset })}
        body={t('requests.rejectBody', { consumer: request.consumer.name })}
        reasonLabel={t('requests.rejectReason')}
        reasonHint={t('requests.reasonShown')}
        required
        danger
        confirmLabel={t('requests.rejectConfirm')}
        loading={reject.isPending}
        error={reject.error}
        onConfirm={(reason) => reject.mutate(reason ?? '', { onSuccess: () => done(t('requests.rejected')) })}
      />
      <ReasonDialog
        opened={dialog === 'withdraw'}
        onClose={close}
        title={t('requests.withdrawTitle', { dataset })}
        body={t('requests.withdrawBody', { provider: request.provider.name })}
        reasonLabel={t('requests.withdrawReason')}
        reasonHint={t('requests.reasonShown')}
        required
        danger
        confirmLabel={t('requests.withdrawConfirm')}
        loading={withdraw.isPending}
        error={withdraw.error}
        onConfirm={(reason) => withdraw.mutate(reason ?? '', { onSuccess: () => done(t('requests.withdrawn')) })}
      />
    </>
  );
}

/** The decision the evaluator made when the request was sent, constraint by constraint. */
export function RequestDecision({ request }: { request: RequestView }) {
  const { t } = useI18n();
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="request-decision-title">
      <Stack gap="md">
        <SectionHeading id="request-decision-title" title={t('requests.decisionTitle')} intro={t('requests.decisionIntro')} />
        <DecisionResult decision={request.decision} />
      </Stack>
    </Paper>
  );
}

export function RequestBody({ request }: { request: RequestView }) {
  const { t } = useI18n();
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="request-facts-title">
          <Stack gap="md">
            <SectionHeading id="request-facts-title" title={t('requests.factsTitle')} intro={t('requests.factsIntro')} />
            <RequestFacts request={request} />
          </Stack>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Stack gap="lg">
          {request.review && <ReviewSummary review={request.review} />}
          <RequestDecision request={request} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

export function RequestPageSkeleton() {
  const { t } = useI18n();
  return (
    <Stack gap="md" role="status" aria-label={t('app.loading')}>
      <Skeleton h={14} w={240} />
      <Skeleton h={36} w="50%" />
      <Skeleton h={320} mt="md" />
    </Stack>
  );
}

/** /demandes/:id — a request, where it stands, the decision, the review and what the caller may do. */
/**
 * A request's page frame, shared by the requests and the ethics commission's pages: loading and
 * error states, the breadcrumb back to where the reader came from, the title and the stage.
 */
export function RequestFrame({
  request,
  title,
  back,
  children,
}: {
  request: ReturnType<typeof useRequest>;
  title: string;
  back: { label: string; to: string; crumb: string };
  children: (request: RequestView) => ReactNode;
}) {
  const { t } = useI18n();
  if (request.isPending) return <RequestPageSkeleton />;
  if (request.isError) {
    if (isApiError(request.error, 'not_found', 'forbidden')) {
      return (
        <StatePage
          title={t('requests.notFound')}
          body={t('requests.notFoundBody')}
          icon={<SearchIcon size={24} />}
          action={{ label: back.label, to: back.to }}
        />
      );
    }
    return <ErrorState title={t('requests.loadFailedOne')} error={request.error} onRetry={() => void request.refetch()} />;
  }
  const r = request.data;
  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
          <Anchor component={Link} to={back.to} size="sm">
            {back.crumb}
          </Anchor>
          <Text size="sm" aria-current="page" lineClamp={1}>
            {r.dataset.title}
          </Text>
        </Breadcrumbs>
        <Group gap="sm" align="center">
          <Title order={1}>{title}</Title>
          <StageBadge stage={r.stage} size="lg" />
        </Group>
        <Text c="dimmed">{t('requests.subtitle', { consumer: r.consumer.name, provider: r.provider.name })}</Text>
      </Stack>
      <RequestStatus request={r} />
      {children(r)}
    </Stack>
  );
}

export function RequestPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const request = useRequest(id);
  const title = request.data ? t('requests.pageTitle', { dataset: request.data.dataset.title }) : t('requests.title');
  usePageTitle(title);
  return (
    <RequestFrame request={request} title={title} back={{ label: t('requests.backToList'), to: '/demandes', crumb: t('nav.requests') }}>
      {(r) => (
        <>
          <RequestActions request={r} />
          <RequestBody request={r} />
        </>
      )}
    </RequestFrame>
  );
}

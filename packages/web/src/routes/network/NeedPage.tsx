import { Anchor, Badge, Breadcrumbs, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { OCCITANIE_DEPARTEMENTS, type NeedAnswerView } from '@confiance/contract';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useCloseNeed, useNeed, useNeedToProject } from '../../api/network';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DetailState } from '../../components/DetailState';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { AnswerForm } from './AnswerForm';
import { NEED_STATUS_COLORS } from './shared';

const ANSWER_COLORS = { dataset: 'teal', plan: 'blue', refusal: 'gray' } as const;

function Answer({ answer }: { answer: NeedAnswerView }) {
  const { t, formatDate } = useI18n();
  return (
    <Paper withBorder radius="md" p="md" component="li" style={{ listStyle: 'none' }}>
      <Stack gap={6}>
        <Group gap="xs">
          <Badge variant="light" color={ANSWER_COLORS[answer.kind]}>
            {t(`needs.kinds.${answer.kind}`)}
          </Badge>
          <Text size="sm" c="dimmed">
            {t('needs.answer.by', { organisation: answer.organisation.name, author: answer.by, date: formatDate(answer.createdAt) })}
          </Text>
        </Group>
        {answer.dataset && (
          <Anchor component={Link} to={`/datasets/${answer.dataset.slug}`}>
            {answer.dataset.title}
          </Anchor>
        )}
        {answer.expectedAt && <Text size="sm">{t('needs.answer.expected', { date: formatDate(answer.expectedAt) })}</Text>}
        {answer.message && (
          <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
            {answer.message}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

export function NeedPage() {
  const { t, formatDate } = useI18n();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const need = useNeed(id);
  const close = useCloseNeed(id);
  const toProject = useNeedToProject(id);
  const [closing, closeDialog] = useDisclosure(false);
  const [projecting, projectDialog] = useDisclosure(false);
  usePageTitle(need.data?.title);

  if (!need.data)
    return (
      <DetailState
        query={need}
        notFound={{ title: t('needs.notFound'), body: t('needs.notFoundBody'), back: { label: t('needs.back'), to: '/besoins' } }}
        loadFailed={t('needs.loadFailed')}
      />
    );
  const n = need.data;
  const territory = n.territory.map((c) => (OCCITANIE_DEPARTEMENTS[c] ? `${OCCITANIE_DEPARTEMENTS[c]} (${c})` : c)).join(', ');

  return (
    <Stack gap="lg">
      <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
        <Anchor component={Link} to="/reseau" size="sm">
          {t('network.title')}
        </Anchor>
        <Anchor component={Link} to="/besoins" size="sm">
          {t('network.needs')}
        </Anchor>
        <Text size="sm" aria-current="page">
          {n.title}
        </Text>
      </Breadcrumbs>

      <Group justify="space-between" align="flex-start">
        <Stack gap={6} style={{ flex: '1 1 420px', minWidth: 0 }}>
          <Group gap="xs">
            <Badge variant="light" color={NEED_STATUS_COLORS[n.status]}>
              {t(`needs.statuses.${n.status}`)}
            </Badge>
            <Badge variant="default" tt="none" fw={500}>
              {t(`domains.${n.domain}`)}
            </Badge>
          </Group>
          <Title order={1}>{n.title}</Title>
          <Text c="dimmed">
            {t('needs.postedBy', { organisation: n.organisation.name, date: formatDate(n.createdAt) })}
            {n.wantedBy ? ` · ${t('needs.wantedBy', { date: formatDate(n.wantedBy) })}` : ''}
          </Text>
        </Stack>
        {(n.can.close || n.can.toProject) && (
          <Group gap="sm">
            {n.can.toProject && <Button onClick={projectDialog.open}>{t('needs.toProject')}</Button>}
            {n.can.close && (
              <Button variant="outline" color="gray" onClick={closeDialog.open}>
                {t('needs.close')}
              </Button>
            )}
          </Group>
        )}
      </Group>

      <Paper withBorder radius="md" p="lg">
        <Stack gap="sm">
          <Text style={{ whiteSpace: 'pre-line' }}>{n.description}</Text>
          <Text size="sm">
            <Text span fw={600}>
              {t('needs.territory')} :
            </Text>{' '}
            {territory}
          </Text>
          <Text size="sm">
            <Text span fw={600}>
              {t('needs.purpose')} :
            </Text>{' '}
            {n.purposeLabel}
          </Text>
          {n.project && (
            <Anchor component={Link} to={`/projets/${n.project.id}`}>
              {t('needs.project', { title: n.project.title })}
            </Anchor>
          )}
        </Stack>
      </Paper>

      <section aria-labelledby="answers-title">
        <Title order={2} size="h3" id="answers-title" mb="sm">
          {t('needs.answersTitle')}
        </Title>
        {n.answers && n.answers.length > 0 ? (
          <Stack gap="sm" component="ul" p={0} m={0}>
            {n.answers.map((a) => (
              <Answer key={a.id} answer={a} />
            ))}
          </Stack>
        ) : (
          <Text c="dimmed">{t('needs.noAnswers')}</Text>
        )}
      </section>

      {n.can.answer && <AnswerForm need={n} />}

      <ConfirmDialog
        opened={closing}
        title={t('needs.close')}
        confirmLabel={t('needs.close')}
        loading={close.isPending}
        error={close.error}
        onClose={() => {
          closeDialog.close();
          close.reset();
        }}
        onConfirm={() =>
          close.mutate(undefined, {
            onSuccess: () => {
              notifications.show({ color: 'teal', message: t('needs.closed') });
              closeDialog.close();
            },
          })
        }
      >
        {t('needs.closeConfirm')}
      </ConfirmDialog>
      <ConfirmDialog
        opened={projecting}
        danger={false}
        title={t('needs.toProject')}
        confirmLabel={t('needs.toProject')}
        loading={toProject.isPending}
        error={toProject.error}
        onClose={() => {
          projectDialog.close();
          toProject.reset();
        }}
        onConfirm={() =>
          toProject.mutate(undefined, {
            onSuccess: (updated) => {
              notifications.show({ color: 'teal', message: t('needs.madeProject') });
              projectDialog.close();
              if (updated.project) void navigate(`/projets/${updated.project.id}`);
            },
          })
        }
      >
        {t('needs.toProjectConfirm')}
      </ConfirmDialog>
    </Stack>
  );
}

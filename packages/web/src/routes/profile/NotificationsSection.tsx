import { Alert, Button, Group, Paper, Skeleton, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { NOTIFICATION_TOPICS, type NotificationTopic } from '@confiance/contract';
import { useMailFailures, useNotificationPreferences, useSendDigest, useUpdateNotificationPreferences } from '../../api/events';
import { useSession } from '../../api/session';
import { ErrorState, FormError } from '../../components/ErrorState';
import { AlertIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { useI18n } from '../../i18n';

/** Topics in the order people think of them; the digest last, on its own. */
const TOPICS = NOTIFICATION_TOPICS.filter((topic) => topic !== 'digest');

/** The operator's view of bounces, and « send the digest now ». */
function OperatorMail() {
  const { t, formatDateTime } = useI18n();
  const failures = useMailFailures(true);
  const digest = useSendDigest();
  return (
    <Stack gap="sm" mt="md">
      <Title order={3} size="h4" id="mail-operator-title">
        {t('mail.operator')}
      </Title>
      <Group>
        <Button
          variant="light"
          loading={digest.isPending}
          onClick={() =>
            digest.mutate(undefined, {
              onSuccess: (r) => notifications.show({ color: 'teal', message: t('mail.digestSent', { count: r.recipients }) }),
            })
          }
        >
          {t('mail.sendDigest')}
        </Button>
      </Group>
      <FormError error={digest.error} />
      {failures.isPending ? (
        <Skeleton h={60} />
      ) : failures.isError ? (
        <ErrorState title={t('mail.failuresFailed')} error={failures.error} onRetry={() => void failures.refetch()} />
      ) : failures.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('mail.noFailures')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={620}>
          <Table striped aria-labelledby="mail-operator-title">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('mail.at')}</Table.Th>
                <Table.Th scope="col">{t('mail.recipient')}</Table.Th>
                <Table.Th scope="col">{t('mail.subject')}</Table.Th>
                <Table.Th scope="col">{t('mail.response')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {failures.data.items.map((f) => (
                <Table.Tr key={f.id}>
                  <Table.Td>{formatDateTime(f.at)}</Table.Td>
                  <Table.Td>{f.recipient}</Table.Td>
                  <Table.Td>{f.subject}</Table.Td>
                  <Table.Td>
                    {f.response} {f.permanent ? '' : `(${t('mail.willRetry')})`}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/** « Notifications par e-mail »: one switch per topic and the weekly digest, the last refusal if any. */
export function NotificationsSection() {
  const { t, formatDateTime } = useI18n();
  const session = useSession();
  const prefs = useNotificationPreferences();
  const update = useUpdateNotificationPreferences();
  const operator = session.data?.user.platformRoles.includes('operator') ?? false;
  const toggle = (topic: NotificationTopic, on: boolean) =>
    update.mutate({ email: { [topic]: on } }, { onSuccess: () => notifications.show({ color: 'teal', message: t('common.saved') }) });

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="notifications" id="notifications-section">
      <Stack gap="md">
        <SectionHeading id="notifications" title={t('mail.title')} intro={t('mail.intro')} />
        {prefs.isPending ? (
          <Skeleton h={160} />
        ) : prefs.isError ? (
          <ErrorState title={t('mail.loadFailed')} error={prefs.error} onRetry={() => void prefs.refetch()} />
        ) : (
          <>
            {prefs.data.lastFailure && (
              <Alert color="red" variant="light" icon={<AlertIcon />} role="alert">
                <Text size="sm">
                  {t('mail.lastFailureBody', {
                    response: prefs.data.lastFailure.response,
                    at: formatDateTime(prefs.data.lastFailure.at),
                    subject: prefs.data.lastFailure.subject,
                  })}
                </Text>
              </Alert>
            )}
            <Stack gap="xs" role="group" aria-label={t('mail.topicsLabel')}>
              {TOPICS.map((topic) => (
                <Switch
                  key={topic}
                  label={t(`mail.topics.${topic}`)}
                  checked={prefs.data.email[topic]}
                  disabled={update.isPending}
                  onChange={(e) => toggle(topic, e.currentTarget.checked)}
                />
              ))}
            </Stack>
            <Switch
              label={t('mail.digest')}
              description={t('mail.digestHint')}
              checked={prefs.data.email.digest}
              disabled={update.isPending}
              onChange={(e) => toggle('digest', e.currentTarget.checked)}
            />
            <FormError error={update.error} />
          </>
        )}
        {operator && <OperatorMail />}
      </Stack>
    </Paper>
  );
}

import { Anchor, Badge, Breadcrumbs, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { Link, useParams } from 'react-router-dom';
import { useCancelEvent, useEvent, useRegistrants } from '../../api/events';
import { useSession } from '../../api/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DetailState } from '../../components/DetailState';
import { ErrorState } from '../../components/ErrorState';
import { SectionHeading } from '../../components/SectionHeading';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { EventForm } from './EventForm';
import { KIND_COLORS, RegistrationActions, SeatsBadge, useEventDates } from './shared';

function Registrants({ id }: { id: string }) {
  const { t } = useI18n();
  const dates = useEventDates();
  const registrants = useRegistrants(id, true);
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="registrants-title">
      <Stack gap="sm">
        <SectionHeading id="registrants-title" title={t('events.registrants')} intro={t('events.registrantsIntro')} />
        {registrants.isPending ? (
          <Text size="sm">{t('app.loading')}</Text>
        ) : registrants.isError ? (
          <ErrorState title={t('events.loadFailed')} error={registrants.error} onRetry={() => void registrants.refetch()} />
        ) : registrants.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('events.noRegistrants')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={520}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('events.person')}</Table.Th>
                  <Table.Th scope="col">{t('events.organisations')}</Table.Th>
                  <Table.Th scope="col">{t('events.registeredAt')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {registrants.data.items.map((r) => (
                  <Table.Tr key={r.userId}>
                    <Table.Td>
                      {r.displayName}{' '}
                      <Text span size="xs" c="dimmed">
                        {r.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>{r.organisations.join(', ')}</Table.Td>
                    <Table.Td>{dates.dateTime(r.registeredAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}

export function EventPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const event = useEvent(id);
  const session = useSession();
  const dates = useEventDates();
  const cancel = useCancelEvent(id);
  const [editing, edit] = useDisclosure(false);
  const [cancelling, cancelDialog] = useDisclosure(false);
  usePageTitle(event.data?.title);

  if (!event.data)
    return (
      <DetailState
        query={event}
        notFound={{ title: t('events.notFound'), body: t('events.notFoundBody'), back: { label: t('events.back'), to: '/evenements' } }}
        loadFailed={t('events.loadFailed')}
      />
    );
  const e = event.data;
  const member = (session.data?.memberships ?? []).some((m) => m.organisationSlug === e.organisation.slug);
  const operator = session.data?.user.platformRoles.includes('operator') ?? false;
  const upcoming = new Date(e.endsAt).getTime() > Date.now();

  return (
    <Stack gap="lg">
      <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
        <Anchor component={Link} to="/reseau" size="sm">
          {t('network.title')}
        </Anchor>
        <Anchor component={Link} to="/evenements" size="sm">
          {t('events.title')}
        </Anchor>
        <Text size="sm" aria-current="page">
          {e.title}
        </Text>
      </Breadcrumbs>
      <Stack gap="xs">
        <Group gap="xs">
          <Badge variant="light" color={KIND_COLORS[e.kind]}>
            {t(`events.kinds.${e.kind}`)}
          </Badge>
          <SeatsBadge event={e} />
        </Group>
        <Title order={1}>{e.title}</Title>
        <Text>{dates.span(e)}</Text>
        <Text size="sm" c="dimmed">
          {t('events.organisedBy')}{' '}
          <Anchor component={Link} to={`/organisations/${e.organisation.slug}`} size="sm">
            {e.organisation.shortName}
          </Anchor>
        </Text>
      </Stack>
      <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="practical-title">
        <Stack gap="sm">
          <Title order={2} size="h3" id="practical-title">
            {t('events.practical')}
          </Title>
          <dl style={{ margin: 0 }}>
            {e.place && (
              <>
                <Text component="dt" fw={600} size="sm">
                  {t('events.place')}
                </Text>
                <Text component="dd" size="sm" ml={0} mb="xs">
                  {e.place}
                </Text>
              </>
            )}
            {e.onlineUrl && (
              <>
                <Text component="dt" fw={600} size="sm">
                  {t('events.onlineLink')}
                </Text>
                <Text component="dd" size="sm" ml={0} mb="xs">
                  <Anchor href={e.onlineUrl} target="_blank" rel="noopener noreferrer">
                    {e.onlineUrl}
                  </Anchor>
                </Text>
              </>
            )}
            <Text component="dt" fw={600} size="sm">
              {t('events.capacity')}
            </Text>
            <Text component="dd" size="sm" ml={0} mb="xs">
              {e.capacity === null ? t('events.unlimited') : t('events.capacityOf', { registered: e.registered, capacity: e.capacity })}
            </Text>
            {e.registrationDeadline && (
              <>
                <Text component="dt" fw={600} size="sm">
                  {t('events.deadline')}
                </Text>
                <Text component="dd" size="sm" ml={0} mb="xs">
                  {dates.dateTime(e.registrationDeadline)}
                </Text>
              </>
            )}
          </dl>
          {e.status === 'scheduled' && upcoming && <RegistrationActions event={e} />}
        </Stack>
      </Paper>
      {e.description && (
        <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="about-title">
          <Title order={2} size="h3" id="about-title" mb="xs">
            {t('events.about')}
          </Title>
          <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
            {e.description}
          </Text>
        </Paper>
      )}
      {e.canManage && e.status === 'scheduled' && (
        <Group>
          <Button variant="default" onClick={edit.open}>
            {t('events.edit')}
          </Button>
          <Button variant="light" color="red" onClick={cancelDialog.open}>
            {t('events.cancel')}
          </Button>
        </Group>
      )}
      {(member || operator) && <Registrants id={e.id} />}
      {e.canManage && <EventForm opened={editing} onClose={edit.close} event={e} />}
      <ConfirmDialog
        opened={cancelling}
        title={t('events.cancel')}
        confirmLabel={t('events.cancelConfirm')}
        loading={cancel.isPending}
        error={cancel.error}
        danger
        onClose={() => {
          cancelDialog.close();
          cancel.reset();
        }}
        onConfirm={() =>
          cancel.mutate(undefined, {
            onSuccess: () => {
              cancelDialog.close();
              notifications.show({ color: 'teal', message: t('events.cancelledDone') });
            },
          })
        }
      >
        <Text size="sm">{t('events.cancelBody', { count: e.registered })}</Text>
      </ConfirmDialog>
    </Stack>
  );
}

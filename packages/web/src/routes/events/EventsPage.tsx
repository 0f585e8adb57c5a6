import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  CopyButton,
  Group,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link } from 'react-router-dom';
import { eventsFeedUrl, useEvents, type EventWhen } from '../../api/events';
import { useSession } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { CheckIcon, CopyIcon } from '../../components/Icons';
import { usePageTitle } from '../../components/usePageTitle';
import { useSearchFilters } from '../../components/useSearchFilters';
import { useI18n } from '../../i18n';
import { useOwnOrganisations } from '../network/shared';
import { EventForm } from './EventForm';
import { KIND_COLORS, RegistrationActions, SeatsBadge, useEventDates } from './shared';

/** The calendar feed's address, to paste into a calendar application's « subscribe ». */
function FeedUrl() {
  const { t } = useI18n();
  const url = eventsFeedUrl();
  return (
    <TextInput
      label={t('events.feed')}
      description={t('events.feedHint')}
      value={url}
      readOnly
      onFocus={(e) => e.currentTarget.select()}
      maw={640}
      rightSection={
        <CopyButton value={url}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('events.copied') : t('events.copy')} withArrow>
              <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={t('events.copy')}>
                {copied ? <CheckIcon size={16} /> : <CopyIcon size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      }
    />
  );
}

export function EventsPage() {
  const { t } = useI18n();
  usePageTitle(t('events.title'));
  const [params, update] = useSearchFilters();
  const when: EventWhen = params.get('periode') === 'passes' ? 'past' : 'upcoming';
  const events = useEvents(when);
  const session = useSession();
  const dates = useEventDates();
  const mayOrganise = useOwnOrganisations('create', 'Event').length > 0 || (session.data?.user.platformRoles.includes('operator') ?? false);
  const [creating, create] = useDisclosure(false);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>{t('events.title')}</Title>
          <Text c="dimmed" mt={4} maw={720}>
            {t('events.intro')}
          </Text>
        </div>
        {mayOrganise && <Button onClick={create.open}>{t('events.new')}</Button>}
      </Group>
      <FeedUrl />
      <SegmentedControl
        w="fit-content"
        aria-label={t('events.period')}
        value={when}
        onChange={(v) => update({ periode: v === 'past' ? 'passes' : undefined })}
        data={[
          { value: 'upcoming', label: t('events.upcoming') },
          { value: 'past', label: t('events.past') },
        ]}
      />
      {events.isPending ? (
        <Stack gap="sm" aria-busy="true" aria-label={t('app.loading')}>
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} h={140} radius="md" />
          ))}
        </Stack>
      ) : events.isError ? (
        <ErrorState title={t('events.loadFailed')} error={events.error} onRetry={() => void events.refetch()} />
      ) : events.data.items.length === 0 ? (
        <Center py={48}>
          <Text fw={600}>{when === 'past' ? t('events.emptyPast') : t('events.empty')}</Text>
        </Center>
      ) : (
        <Stack gap="md" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {events.data.items.map((event) => (
            <Card key={event.id} withBorder radius="md" padding="lg" component="li" aria-labelledby={`event-${event.id}`}>
              <Stack gap={8}>
                <Group gap="xs">
                  <Badge variant="light" color={KIND_COLORS[event.kind]}>
                    {t(`events.kinds.${event.kind}`)}
                  </Badge>
                  {when === 'upcoming' && <SeatsBadge event={event} />}
                </Group>
                <Title order={2} size="h3" id={`event-${event.id}`}>
                  <Anchor component={Link} to={`/evenements/${event.id}`} c="inherit">
                    {event.title}
                  </Anchor>
                </Title>
                <Text size="sm">{dates.span(event)}</Text>
                <Text size="sm" c="dimmed">
                  {t('events.by', { organisation: event.organisation.shortName })} · {event.place ?? t('events.online')}
                </Text>
                {when === 'upcoming' && event.status === 'scheduled' && <RegistrationActions event={event} />}
              </Stack>
            </Card>
          ))}
        </Stack>
      )}
      {mayOrganise && <EventForm opened={creating} onClose={create.close} />}
    </Stack>
  );
}

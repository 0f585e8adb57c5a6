import { Alert, Anchor, Badge, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ApiError, type EventKind, type EventView } from '@confiance/contract';
import { Link, useLocation } from 'react-router-dom';
import { eventIcsUrl, useRegister, useUnregister } from '../../api/events';
import { useSession } from '../../api/session';
import { errorText } from '../../components/errors';
import { AlertIcon } from '../../components/Icons';
import { useI18n, type Locale, type Translate } from '../../i18n';

export const KIND_COLORS: Record<EventKind, string> = { atelier: 'teal', hackathon: 'grape', webinaire: 'blue', reunion: 'gray' };

const TAG: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

/** An event's dates as people in Occitanie read them: Europe/Paris, whatever the browser's zone. */
export function useEventDates() {
  const { locale } = useI18n();
  const day = new Intl.DateTimeFormat(TAG[locale], { dateStyle: 'full', timeZone: 'Europe/Paris' });
  const time = new Intl.DateTimeFormat(TAG[locale], { timeStyle: 'short', timeZone: 'Europe/Paris' });
  const dateTime = new Intl.DateTimeFormat(TAG[locale], { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });
  return {
    span(event: Pick<EventView, 'startsAt' | 'endsAt'>): string {
      const start = new Date(event.startsAt);
      const end = new Date(event.endsAt);
      return day.format(start) === day.format(end)
        ? `${day.format(start)}, ${time.format(start)} – ${time.format(end)}`
        : `${dateTime.format(start)} – ${dateTime.format(end)}`;
    },
    dateTime: (iso: string) => dateTime.format(new Date(iso)),
  };
}

/** Seats left, unlimited, full, or cancelled, as one badge. */
export function SeatsBadge({ event }: { event: EventView }) {
  const { t } = useI18n();
  if (event.status === 'cancelled')
    return (
      <Badge color="red" variant="light">
        {t('events.cancelled')}
      </Badge>
    );
  if (event.seatsLeft === null)
    return (
      <Badge color="gray" variant="light">
        {t('events.unlimited')}
      </Badge>
    );
  if (event.seatsLeft === 0)
    return (
      <Badge color="orange" variant="light">
        {t('events.full')}
      </Badge>
    );
  return (
    <Badge color="teal" variant="light">
      {t('events.seatsLeft', { count: event.seatsLeft })}
    </Badge>
  );
}

/** The server's own sentence for a refused registration (« complet », « clos »…), in French. */
function registrationError(t: Translate, locale: Locale, error: unknown): string {
  if (error instanceof ApiError && error.code === 'conflict') {
    if ((error.details as { full?: boolean } | undefined)?.full) return t('events.fullError');
    if (locale === 'fr') return error.message;
  }
  return errorText(t, error);
}

/** Register, unregister and « add to my calendar », for one event. */
export function RegistrationActions({ event }: { event: EventView }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const location = useLocation();
  const register = useRegister(event.id);
  const unregister = useUnregister(event.id);
  const signedIn = Boolean(session.data);
  const error = register.error ?? unregister.error;
  const past = new Date(event.startsAt).getTime() <= Date.now();
  return (
    <>
      <Group gap="sm">
        {event.isRegistered ? (
          <>
            <Badge color="blue" variant="light">
              {t('events.youAreRegistered')}
            </Badge>
            {!past && (
              <Button
                variant="default"
                size="sm"
                loading={unregister.isPending}
                onClick={() => {
                  register.reset();
                  unregister.mutate(undefined, {
                    onSuccess: () => notifications.show({ color: 'teal', message: t('events.unregistered', { title: event.title }) }),
                  });
                }}
                aria-label={t('events.unregisterFrom', { title: event.title })}
              >
                {t('events.unregister')}
              </Button>
            )}
          </>
        ) : signedIn ? (
          event.registrationOpen && (
            <Button
              size="sm"
              loading={register.isPending}
              onClick={() => {
                unregister.reset();
                register.mutate(undefined, {
                  onSuccess: () => notifications.show({ color: 'teal', message: t('events.registered', { title: event.title }) }),
                });
              }}
              aria-label={t('events.registerFor', { title: event.title })}
            >
              {t('events.register')}
            </Button>
          )
        ) : (
          event.registrationOpen && (
            <Button component={Link} to={`/connexion?retour=${encodeURIComponent(location.pathname)}`} size="sm" variant="light">
              {t('events.signInToRegister')}
            </Button>
          )
        )}
        <Anchor
          href={eventIcsUrl(event.id)}
          download={`evenement-${event.id}.ics`}
          size="sm"
          aria-label={t('events.icsFor', { title: event.title })}
        >
          {t('events.ics')}
        </Anchor>
      </Group>
      {error && (
        <Alert color="red" variant="light" icon={<AlertIcon />} role="alert" mt="xs">
          <Text size="sm">{registrationError(t, locale, error)}</Text>
        </Alert>
      )}
    </>
  );
}

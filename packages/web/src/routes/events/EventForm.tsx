import { Group, Modal, NumberInput, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { EVENT_KINDS, type EventKind, type EventView } from '@confiance/contract';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCreateEvent, useUpdateEvent } from '../../api/events';
import { useSession } from '../../api/session';
import { useFieldErrors } from '../../components/errors';
import { FormFooter } from '../../components/FormFooter';
import { useI18n } from '../../i18n';
import { useOwnOrganisations } from '../network/shared';

/** `<input type="datetime-local">` speaks the browser's wall clock without a zone. */
function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const fromLocalInput = (value: string): string | null => (value ? new Date(value).toISOString() : null);

/** Creating an event (`event` absent) or editing one. */
export function EventForm({ opened, onClose, event }: { opened: boolean; onClose: () => void; event?: EventView }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const session = useSession();
  const create = useCreateEvent();
  const update = useUpdateEvent(event?.id ?? '');
  const mutation = event ? update : create;
  const serverErrors = useFieldErrors();
  const own = useOwnOrganisations('create', 'Event').map(({ value, label }) => ({ value, label }));
  // The operator organises for the association or any member: their own organisations come first.
  const operator = session.data?.user.platformRoles.includes('operator') ?? false;
  const organisations =
    operator && own.length === 0
      ? (session.data?.memberships ?? []).map((m) => ({ value: m.organisationSlug, label: m.organisationName }))
      : own;
  const [organisation, setOrganisation] = useState<string | null>(null);
  const [title, setTitle] = useState(event?.title ?? '');
  const [kind, setKind] = useState<EventKind>(event?.kind ?? 'atelier');
  const [description, setDescription] = useState(event?.description ?? '');
  const [startsAt, setStartsAt] = useState(toLocalInput(event?.startsAt));
  const [endsAt, setEndsAt] = useState(toLocalInput(event?.endsAt));
  const [place, setPlace] = useState(event?.place ?? '');
  const [onlineUrl, setOnlineUrl] = useState(event?.onlineUrl ?? '');
  const [capacity, setCapacity] = useState<number | string>(event?.capacity ?? '');
  const [deadline, setDeadline] = useState(toLocalInput(event?.registrationDeadline));
  const [missing, setMissing] = useState<Record<string, string>>({});
  const chosen = organisation ?? organisations[0]?.value ?? null;
  const errors = { ...serverErrors(mutation.error), ...missing };

  const close = () => {
    mutation.reset();
    setMissing({});
    onClose();
  };
  const submit = () => {
    const problems: Record<string, string> = {};
    if (title.trim().length < 3) problems.title = t('common.required');
    if (!startsAt) problems.startsAt = t('common.required');
    if (!endsAt) problems.endsAt = t('common.required');
    if (!place.trim() && !onlineUrl.trim()) problems.place = t('events.form.placeOrLink');
    if (!event && !chosen) problems.organisation = t('common.required');
    setMissing(problems);
    if (Object.keys(problems).length > 0) return;
    const fields = {
      title: title.trim(),
      kind,
      description: description.trim(),
      startsAt: fromLocalInput(startsAt)!,
      endsAt: fromLocalInput(endsAt)!,
      place: place.trim() || null,
      onlineUrl: onlineUrl.trim() || null,
      capacity: typeof capacity === 'number' ? capacity : null,
      registrationDeadline: fromLocalInput(deadline),
    };
    const done = (saved: EventView) => {
      notifications.show({ color: 'teal', message: event ? t('common.saved') : t('events.form.created') });
      close();
      if (!event) void navigate(`/evenements/${saved.id}`);
    };
    if (event) update.mutate(fields, { onSuccess: done });
    else create.mutate({ ...fields, organisation: chosen! }, { onSuccess: done });
  };

  return (
    <Modal opened={opened} onClose={close} title={event ? t('events.form.editTitle') : t('events.form.title')} centered size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="md">
          {!event && organisations.length > 1 && (
            <Select
              label={t('events.form.organisation')}
              data={organisations}
              value={chosen}
              onChange={setOrganisation}
              error={errors.organisation}
              required
            />
          )}
          <TextInput
            label={t('events.form.titleLabel')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={errors.title}
            maxLength={200}
            required
            data-autofocus
          />
          <Select
            label={t('events.form.kind')}
            data={EVENT_KINDS.map((k) => ({ value: k, label: t(`events.kinds.${k}`) }))}
            value={kind}
            onChange={(v) => v && setKind(v as EventKind)}
            allowDeselect={false}
            required
          />
          <Group grow align="flex-start">
            <TextInput
              type="datetime-local"
              label={t('events.form.startsAt')}
              value={startsAt}
              onChange={(e) => setStartsAt(e.currentTarget.value)}
              error={errors.startsAt}
              required
            />
            <TextInput
              type="datetime-local"
              label={t('events.form.endsAt')}
              value={endsAt}
              onChange={(e) => setEndsAt(e.currentTarget.value)}
              error={errors.endsAt}
              required
            />
          </Group>
          <TextInput
            label={t('events.form.place')}
            value={place}
            onChange={(e) => setPlace(e.currentTarget.value)}
            error={errors.place}
            maxLength={300}
          />
          <TextInput
            type="url"
            label={t('events.form.onlineUrl')}
            value={onlineUrl}
            onChange={(e) => setOnlineUrl(e.currentTarget.value)}
            error={errors.onlineUrl}
            placeholder="https://"
          />
          <Group grow align="flex-start">
            <NumberInput
              label={t('events.form.capacity')}
              description={t('events.form.capacityHint')}
              value={capacity}
              onChange={setCapacity}
              error={errors.capacity}
              min={1}
              allowDecimal={false}
            />
            <TextInput
              type="datetime-local"
              label={t('events.form.deadline')}
              description={t('events.form.deadlineHint')}
              value={deadline}
              onChange={(e) => setDeadline(e.currentTarget.value)}
              error={errors.registrationDeadline}
            />
          </Group>
          <Textarea
            label={t('events.form.description')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            autosize
            minRows={4}
            maxLength={5000}
          />
          <FormFooter
            error={mutation.error}
            loading={mutation.isPending}
            submitLabel={event ? t('common.save') : t('events.form.submit')}
            onCancel={close}
          />
        </Stack>
      </form>
    </Modal>
  );
}

import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { can, type DatasetView } from '@confiance/contract';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useDeprecateDataset, useWithdrawDataset } from '../../api/catalog';
import { usePrincipal } from '../../api/session';
import { FormError } from '../../components/ErrorState';
import { useI18n } from '../../i18n';

type Action = 'deprecate' | 'withdraw';

/** Mantine's orange and red at their usual shades fall below 4.5:1 with white or on white; these do not. */
const DEPRECATE_COLOUR = '#a23b00';

interface ReasonMutation {
  mutate: (text: string, options: { onSuccess: () => void }) => void;
  reset: () => void;
  isPending: boolean;
  error: unknown;
}

/** A confirmation that needs a sentence (why it is deprecated, why it is withdrawn): shown to every visitor afterwards. */
function ReasonDialog({
  action,
  opened,
  onClose,
  mutation,
}: {
  action: Action;
  opened: boolean;
  onClose: () => void;
  mutation: ReasonMutation;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    onClose();
    mutation.reset();
    setError(null);
  };
  const submit = () => {
    if (text.trim().length < 3) {
      setError(t('manage.reasonTooShort'));
      return;
    }
    mutation.mutate(text.trim(), {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t(`manage.${action}Done`) });
        setText('');
        close();
      },
    });
  };
  return (
    <Modal opened={opened} onClose={close} title={t(`manage.${action}Title`)} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack gap="md">
          <Text size="sm">{t(`manage.${action}Body`)}</Text>
          <Textarea
            label={t(`manage.${action}Reason`)}
            description={t('manage.reasonPublic')}
            required
            autosize
            minRows={3}
            maxLength={1000}
            value={text}
            error={error}
            onChange={(e) => {
              setText(e.currentTarget.value);
              setError(null);
            }}
          />
          <FormError error={mutation.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} data-autofocus>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color={action === 'withdraw' ? 'red.9' : DEPRECATE_COLOUR} loading={mutation.isPending}>
              {t(`manage.${action}Confirm`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** What the publisher (or the operator) may do with the dataset: new version, deprecate, withdraw. */
export function ManageActions({ dataset }: { dataset: DatasetView }) {
  const { t } = useI18n();
  const principal = usePrincipal();
  const deprecate = useDeprecateDataset(dataset.slug);
  const withdraw = useWithdrawDataset(dataset.slug);
  const [open, setOpen] = useState<Action | null>(null);
  // `canManage` is the server's "update"; withdrawing is "delete", which the operator holds alone.
  const canWithdraw = can(principal, 'delete', 'Dataset', {
    organisationId: dataset.publisher.id,
    status: dataset.status,
    accessLevel: dataset.accessLevel,
  });
  if (dataset.status === 'withdrawn' || !(dataset.canManage || canWithdraw)) return null;
  return (
    <>
      <Group gap="sm">
        {dataset.canManage && (
          <Button component={Link} to={`/publier?dataset=${encodeURIComponent(dataset.slug)}`}>
            {t('manage.newVersion')}
          </Button>
        )}
        {dataset.canManage && dataset.status === 'published' && (
          <Button variant="default" c={DEPRECATE_COLOUR} onClick={() => setOpen('deprecate')}>
            {t('manage.deprecate')}
          </Button>
        )}
        {canWithdraw && (
          <Button variant="default" c="red.9" onClick={() => setOpen('withdraw')}>
            {t('manage.withdraw')}
          </Button>
        )}
      </Group>
      <ReasonDialog action="deprecate" opened={open === 'deprecate'} onClose={() => setOpen(null)} mutation={deprecate} />
      <ReasonDialog action="withdraw" opened={open === 'withdraw'} onClose={() => setOpen(null)} mutation={withdraw} />
    </>
  );
}

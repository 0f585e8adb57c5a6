import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useRef, useState, type ReactNode } from 'react';
import { ActionError } from './ActionError';
import { useI18n } from '../../i18n';

interface ReasonDialogProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  body: ReactNode;
  reasonLabel: string;
  reasonHint?: string;
  /** A reason is required (rejecting, withdrawing, suspending, terminating) or optional (approving). */
  required: boolean;
  confirmLabel: string;
  /** Red confirm button: the action cannot be undone. */
  danger?: boolean;
  loading: boolean;
  error: unknown;
  /** Called with the trimmed reason, or null when an optional one is left empty. */
  onConfirm: (reason: string | null) => void;
}

/**
 * An action that is told to the other party with its reason: the reason is asked for, checked
 * beside its field, and the action confirmed in the same dialog; the safe choice has the focus.
 */
export function ReasonDialog({
  opened,
  onClose,
  title,
  body,
  reasonLabel,
  reasonHint,
  required,
  confirmLabel,
  danger = false,
  loading,
  error,
  onConfirm,
}: ReasonDialogProps) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const close = () => {
    setInvalid(null);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={title} centered size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const trimmed = reason.trim();
          if ((required || trimmed.length > 0) && trimmed.length < 3) {
            setInvalid(t('manage.reasonTooShort'));
            field.current?.focus();
            return;
          }
          onConfirm(trimmed.length > 0 ? trimmed : null);
        }}
        noValidate
      >
        <Stack gap="md">
          <Text size="sm" component="div">
            {body}
          </Text>
          <Textarea
            ref={field}
            label={reasonLabel}
            description={reasonHint}
            required={required}
            autosize
            minRows={3}
            maxLength={2000}
            value={reason}
            error={invalid}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setInvalid(null);
            }}
          />
          <ActionError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} data-autofocus>
              {t('common.cancel')}
            </Button>
            {/* red.9: white on Mantine's default red shade falls below 4.5:1. */}
            <Button type="submit" color={danger ? 'red.9' : undefined} loading={loading}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useT } from '../i18n';
import { FormError } from './ErrorState';

interface ConfirmDialogProps {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm: () => void;
  onClose: () => void;
  loading?: boolean;
  error?: unknown;
  danger?: boolean;
  /**
   * Give the focus back to what opened the dialog when it closes (default). Off when the page
   * moves the focus itself on close (to a field in error): otherwise the two race.
   */
  returnFocus?: boolean;
}

/** Asks before a destructive action; the safe choice (cancel) gets the initial focus. */
export function ConfirmDialog({
  opened,
  title,
  children,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onClose,
  loading,
  error,
  danger = true,
  returnFocus = true,
}: ConfirmDialogProps) {
  const t = useT();
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered returnFocus={returnFocus}>
      <Stack gap="md">
        <Text size="sm">{children}</Text>
        <FormError error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            {cancelLabel ?? t('common.cancel')}
          </Button>
          {/* red.9: white on Mantine's default red shade falls below 4.5:1. */}
          <Button color={danger ? 'red.9' : undefined} onClick={onConfirm} loading={loading}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

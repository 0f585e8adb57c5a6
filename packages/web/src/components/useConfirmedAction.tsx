import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from './ConfirmDialog';

/** The part of a TanStack mutation a confirmed action uses. */
interface ConfirmableMutation<V> {
  mutate: (variables: V, options: { onSuccess: () => void }) => void;
  reset: () => void;
  isPending: boolean;
  error: unknown;
}

interface ConfirmedActionOptions<T, V> {
  mutation: ConfirmableMutation<V>;
  /** What the mutation is called with for this target. */
  variables: (target: T) => V;
  /** The row button's text, and the confirm button's unless `confirmLabel` is given. */
  label: string;
  /** The row button's accessible name, naming the target. */
  ariaLabel: (target: T) => string;
  title: (target: T) => string;
  body: (target: T) => ReactNode;
  confirmLabel?: string;
  cancelLabel?: string;
  /** The notification shown once the mutation has succeeded. */
  success: (target: T) => string;
}

/**
 * A destructive action on a table row: a red button that asks first (ConfirmDialog), then runs the
 * mutation, says so and closes; closing resets the mutation so a past error does not linger.
 * Render `button(target)` in each row and `dialog` once, beside the table.
 */
export function useConfirmedAction<T, V>(options: ConfirmedActionOptions<T, V>) {
  const { mutation, variables, label, ariaLabel, title, body, confirmLabel, cancelLabel, success } = options;
  // The target stays after closing, so the dialog keeps its text while it fades out.
  const [state, setState] = useState<{ opened: boolean; target: T | null }>({ opened: false, target: null });
  const ask = (target: T) => setState({ opened: true, target });
  const close = () => setState((s) => ({ ...s, opened: false }));
  const { target } = state;

  const button = (row: T) => (
    <Button size="compact-sm" variant="subtle" color="red" aria-label={ariaLabel(row)} onClick={() => ask(row)}>
      {label}
    </Button>
  );

  const dialog = (
    <ConfirmDialog
      opened={state.opened}
      title={target === null ? '' : title(target)}
      confirmLabel={confirmLabel ?? label}
      cancelLabel={cancelLabel}
      loading={mutation.isPending}
      error={mutation.error}
      onClose={() => {
        close();
        mutation.reset();
      }}
      onConfirm={() => {
        if (!state.opened || target === null) return;
        mutation.mutate(variables(target), {
          onSuccess: () => {
            notifications.show({ color: 'teal', message: success(target) });
            close();
          },
        });
      }}
    >
      {target === null ? null : body(target)}
    </ConfirmDialog>
  );

  return { ask, button, dialog };
}

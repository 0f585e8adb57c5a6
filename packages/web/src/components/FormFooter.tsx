import { Button, Group } from '@mantine/core';
import { useT } from '../i18n';
import { FormError } from './ErrorState';

interface FormFooterProps {
  /** The submission's error; nothing is shown without one. */
  error: unknown;
  loading: boolean;
  submitLabel: string;
  /** Adds a "Cancel" button before the submit one. */
  onCancel?: () => void;
}

/** The end of a form: its error, if any, then its buttons on the right. */
export function FormFooter({ error, loading, submitLabel, onCancel }: FormFooterProps) {
  const t = useT();
  return (
    <>
      <FormError error={error} />
      <Group justify="flex-end">
        {onCancel && (
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        )}
        <Button type="submit" loading={loading}>
          {submitLabel}
        </Button>
      </Group>
    </>
  );
}

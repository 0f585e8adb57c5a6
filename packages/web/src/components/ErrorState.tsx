import { Alert, Button, Group, Text } from '@mantine/core';
import { useT } from '../i18n';
import { errorText, requestIdOf } from './errors';
import { AlertIcon } from './Icons';

/** A failed load: what failed, why, and a way to try again. */
export function ErrorState({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  const t = useT();
  const requestId = requestIdOf(error);
  return (
    <Alert color="red" variant="light" title={title} icon={<AlertIcon />} role="alert">
      <Text size="sm">{errorText(t, error)}</Text>
      {requestId && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('common.requestId', { id: requestId })}
        </Text>
      )}
      {onRetry && (
        <Group mt="sm">
          <Button size="xs" variant="default" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        </Group>
      )}
    </Alert>
  );
}

/** An error from a form submission, announced to screen readers. */
export function FormError({ error, title }: { error: unknown; title?: string }) {
  const t = useT();
  if (!error) return null;
  const requestId = requestIdOf(error);
  return (
    <Alert color="red" variant="light" icon={<AlertIcon />} role="alert" {...(title ? { title } : {})}>
      <Text size="sm">{errorText(t, error)}</Text>
      {requestId && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('common.requestId', { id: requestId })}
        </Text>
      )}
    </Alert>
  );
}

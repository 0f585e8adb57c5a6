import { Alert, Text } from '@mantine/core';
import { ApiError } from '@confiance/contract';
import { AlertIcon } from '../../components/Icons';
import { errorText, requestIdOf } from '../../components/errors';
import { useI18n, type Translate } from '../../i18n';

/**
 * A refused transition says more than its code: "this contract is already terminated", "you cannot
 * approve your own request". The node's sentence is French, so it is shown as it is in French and
 * replaced by a generic one in another language.
 */
export function actionErrorText(t: Translate, locale: string, error: unknown): string {
  if (error instanceof ApiError && (error.code === 'conflict' || error.code === 'forbidden')) {
    if (locale === 'fr' && error.message) return error.message;
    return error.code === 'conflict' ? t('requests.errors.conflict') : t('errors.forbidden');
  }
  return errorText(t, error);
}

export function ActionError({ error, title }: { error: unknown; title?: string }) {
  const { t, locale } = useI18n();
  if (!error) return null;
  const requestId = requestIdOf(error);
  return (
    <Alert color="red" variant="light" icon={<AlertIcon />} role="alert" {...(title ? { title } : {})}>
      <Text size="sm">{actionErrorText(t, locale, error)}</Text>
      {requestId && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('common.requestId', { id: requestId })}
        </Text>
      )}
    </Alert>
  );
}

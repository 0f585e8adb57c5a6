import { Skeleton, Stack } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ErrorCode } from '@confiance/contract';
import { useI18n } from '../i18n';
import { ErrorState } from './ErrorState';
import { isApiError } from './errors';
import { SearchIcon } from './Icons';
import { StatePage } from './StatePage';

/**
 * What a page about one thing (a contract, an invoice, a project) shows while it loads or when it
 * cannot: a skeleton, « introuvable » with a way back (not found, forbidden — which must not tell
 * a stranger the thing exists — or an identifier that is not one), or the error with a retry.
 * Render it while `query.data` is missing; the page itself once it is there.
 */
export function DetailState({
  query,
  notFound,
  loadFailed,
  notFoundCodes = ['not_found', 'forbidden', 'validation_failed'],
}: {
  query: Pick<UseQueryResult<unknown>, 'isPending' | 'error' | 'refetch'>;
  notFound: { title: string; body: string; back: { label: string; to: string } };
  loadFailed: string;
  notFoundCodes?: readonly ErrorCode[];
}) {
  const { t } = useI18n();
  if (query.isPending)
    return (
      <Stack gap="md" role="status" aria-label={t('app.loading')}>
        <Skeleton h={14} w={240} />
        <Skeleton h={36} w="50%" />
        <Skeleton h={360} mt="md" />
      </Stack>
    );
  if (isApiError(query.error, ...notFoundCodes))
    return <StatePage title={notFound.title} body={notFound.body} icon={<SearchIcon size={24} />} action={notFound.back} />;
  return <ErrorState title={loadFailed} error={query.error} onRetry={() => void query.refetch()} />;
}

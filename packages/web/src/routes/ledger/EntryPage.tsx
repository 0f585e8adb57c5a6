import { Anchor, Breadcrumbs, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { ledgerKeys, useCheckpoint } from '../../api/ledger';
import { ErrorState } from '../../components/ErrorState';
import { isApiError } from '../../components/errors';
import { SearchIcon } from '../../components/Icons';
import { StatePage } from '../../components/StatePage';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { EntryItem } from './EntryItem';

/**
 * /registre/:index — one entry of the Registre, the address statements and invoices cite for each
 * use they bill, with the same check of its inclusion as in the list.
 */
export function EntryPage() {
  const { t } = useI18n();
  const { index: param = '' } = useParams();
  const index = /^\d{1,15}$/.test(param) ? Number(param) : null;
  const title = t('entries.pageTitle', { index: param });
  usePageTitle(title);
  const checkpoint = useCheckpoint();
  const entry = useQuery({
    queryKey: [...ledgerKeys.all, 'entry', index],
    queryFn: () => api.ledger.entry(index ?? 0),
    enabled: index !== null,
  });

  if (index === null || (entry.isError && isApiError(entry.error, 'not_found', 'validation_failed'))) {
    return (
      <StatePage
        title={t('entries.notFound')}
        body={t('entries.notFoundBody')}
        icon={<SearchIcon size={24} />}
        action={{ label: t('entries.backToLedger'), to: '/registre' }}
      />
    );
  }
  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
          <Anchor component={Link} to="/registre" size="sm">
            {t('nav.ledger')}
          </Anchor>
          <Text size="sm" aria-current="page">
            {t('entries.index', { index })}
          </Text>
        </Breadcrumbs>
        <Title order={1}>{title}</Title>
      </Stack>
      {entry.isPending ? (
        <Skeleton h={160} role="status" aria-label={t('app.loading')} />
      ) : entry.isError ? (
        <ErrorState title={t('entries.loadFailed')} error={entry.error} onRetry={() => void entry.refetch()} />
      ) : (
        <EntryItem entry={entry.data} checkpoint={checkpoint.data} />
      )}
    </Stack>
  );
}

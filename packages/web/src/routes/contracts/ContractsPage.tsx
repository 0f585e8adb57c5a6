import { Anchor, Group, Paper, Select, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { CONTRACT_STATES, type ContractState } from '@confiance/contract';
import { Link, useSearchParams } from 'react-router-dom';
import { useContracts } from '../../api/contracts';
import { useSession } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { purposeText } from '../policies/labels';
import { ContractStateBadge } from './labels';

/** /contrats — the contracts of the caller's organisations, as provider or as consumer. */
export function ContractsPage() {
  const { t, locale, formatDate } = useI18n();
  const session = useSession();
  const contracts = useContracts();
  const [params, setParams] = useSearchParams();
  const stateParam = params.get('etat');
  const state = (CONTRACT_STATES as readonly string[]).includes(stateParam ?? '') ? (stateParam as ContractState) : null;
  usePageTitle(t('contracts.title'));
  const mine = new Set(session.data?.memberships.map((m) => m.organisationId) ?? []);

  const items = contracts.data?.items.filter((c) => !state || c.state === state) ?? [];
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('contracts.title')}</Title>
        <Text c="dimmed" maw={760}>
          {t('contracts.intro')}
        </Text>
      </div>
      <Group justify="space-between" align="flex-end">
        <Text size="sm" c="dimmed" aria-live="polite">
          {contracts.data ? t('contracts.count', { count: items.length }) : ''}
        </Text>
        <Select
          label={t('contracts.filterState')}
          data={[
            { value: 'all', label: t('contracts.allStates') },
            ...CONTRACT_STATES.map((s) => ({ value: s, label: t(`contracts.state.${s}`) })),
          ]}
          value={state ?? 'all'}
          onChange={(v) => setParams(v && v !== 'all' ? { etat: v } : {}, { replace: true })}
          allowDeselect={false}
          w={240}
        />
      </Group>
      {contracts.isPending ? (
        <Skeleton h={200} role="status" aria-label={t('app.loading')} />
      ) : contracts.isError ? (
        <ErrorState title={t('contracts.loadFailed')} error={contracts.error} onRetry={() => void contracts.refetch()} />
      ) : items.length === 0 ? (
        <Paper withBorder radius="md" p="lg" bg="gray.0">
          <Stack gap={4}>
            <Text fw={500}>{state ? t('contracts.emptyState', { state: t(`contracts.state.${state}`) }) : t('contracts.empty')}</Text>
            {!state && (
              <Text size="sm" c="dimmed">
                {t('contracts.emptyHint')}{' '}
                <Anchor component={Link} to="/datasets" size="sm" underline="always">
                  {t('requests.toCatalog')}
                </Anchor>
              </Text>
            )}
          </Stack>
        </Paper>
      ) : (
        <div className="scroll-region" role="region" aria-label={t('contracts.tableLabel')} tabIndex={0}>
          <Table verticalSpacing="sm" highlightOnHover miw={760} aria-label={t('contracts.tableLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('contracts.col.dataset')}</Table.Th>
                <Table.Th scope="col">{t('contracts.col.parties')}</Table.Th>
                <Table.Th scope="col">{t('contracts.col.purpose')}</Table.Th>
                <Table.Th scope="col">{t('contracts.col.validity')}</Table.Th>
                <Table.Th scope="col">{t('contracts.col.state')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => {
                const role = mine.has(c.provider.id) ? 'provider' : 'consumer';
                return (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Stack gap={2}>
                        <Anchor component={Link} to={`/contrats/${c.id}`} fw={500} size="sm">
                          {c.dataset.title}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {c.offer.title}
                        </Text>
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t('contracts.partiesLine', { provider: c.provider.name, consumer: c.consumer.name })}</Text>
                      <Text size="xs" c="dimmed">
                        {t(`contracts.role.${role}`)}
                        {c.project ? ` · ${t('requests.forProject', { project: c.project.title })}` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{purposeText(locale, c.purpose)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t('contracts.validity', { from: formatDate(c.validFrom), until: formatDate(c.validUntil) })}</Text>
                    </Table.Td>
                    <Table.Td>
                      <ContractStateBadge state={c.state} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Stack>
  );
}

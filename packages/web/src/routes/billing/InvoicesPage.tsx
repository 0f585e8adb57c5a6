import { Anchor, Button, Grid, Group, Paper, Select, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { downloadInvoicesCsv, useInvoices } from '../../api/billing';
import { ErrorState } from '../../components/ErrorState';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { actionErrorText } from '../contracts/ActionError';
import { money, monthName, PERIOD, recentPeriods } from './format';
import { IssueInvoiceDialog } from './IssueInvoiceDialog';
import { InvoiceStatusBadge, KindLabel } from './labels';
import { useBillingOrganisations } from './organisations';

const PARAMS = { organisation: 'organisation', period: 'periode' } as const;
const ALL = 'toutes';

/** /facturation/factures — invoices and credit notes of the user's organisations (operator: all), issuing, CSV export. */
export function InvoicesPage() {
  const { t, locale } = useI18n();
  usePageTitle(t('billing.invoices.title'));
  const [params, setParams] = useSearchParams();
  const orgs = useBillingOrganisations('list', 'Invoice');
  const organisationParam = params.get(PARAMS.organisation);
  const organisation = organisationParam && organisationParam !== ALL ? organisationParam : undefined;
  const periodParam = params.get(PARAMS.period);
  const period = periodParam && PERIOD.test(periodParam) ? periodParam : undefined;
  const filters = { organisation, period };
  const invoices = useInvoices(filters);
  const [issuing, setIssuing] = useState(false);
  const [exporting, setExporting] = useState(false);

  const update = (key: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value && value !== ALL) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const issuers = useBillingOrganisations('create', 'Invoice');
  const readers = useBillingOrganisations('read', 'Statement');
  const mayIssue = issuers.operator || issuers.own.length > 0;
  const publicBuyers = new Set([...issuers.categories].filter(([, c]) => c === 'public_body').map(([slug]) => slug));

  const exportCsv = () => {
    setExporting(true);
    const name = ['factures', organisation, period].filter(Boolean).join('-');
    downloadInvoicesCsv(filters, `${name}.csv`)
      .catch((error: unknown) =>
        notifications.show({ color: 'red', title: t('billing.exportFailed'), message: actionErrorText(t, locale, error) }),
      )
      .finally(() => setExporting(false));
  };

  const items = invoices.data?.items ?? [];
  const filtered = Boolean(organisation || period);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" gap="md">
        <div style={{ flex: '1 1 420px' }}>
          <Title order={1}>{t('billing.invoices.title')}</Title>
          <Text c="dimmed" mt={4} maw={820}>
            {t('billing.invoices.intro')}
          </Text>
        </div>
        <Group gap="sm">
          {mayIssue && <Button onClick={() => setIssuing(true)}>{t('billing.issue.open')}</Button>}
          <Button variant="default" onClick={exportCsv} loading={exporting}>
            {t('billing.export')}
          </Button>
          {readers.operator || readers.own.length > 0 ? (
            <Button component={Link} to="/facturation" variant="subtle">
              {t('billing.toStatements')}
            </Button>
          ) : null}
        </Group>
      </Group>

      <form role="search" aria-label={t('billing.invoices.filters')} onSubmit={(e) => e.preventDefault()}>
        <Grid gap="md" align="flex-end">
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Select
              label={t('billing.organisation')}
              data={[
                { value: ALL, label: orgs.operator ? t('billing.invoices.allOrganisations') : t('billing.invoices.mine') },
                ...orgs.options,
              ]}
              value={organisation ?? ALL}
              onChange={(v) => update(PARAMS.organisation, v)}
              searchable={orgs.options.length > 8}
              allowDeselect={false}
              nothingFoundMessage={t('billing.noOrganisation')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <Select
              label={t('billing.period')}
              data={[
                { value: ALL, label: t('billing.invoices.allPeriods') },
                ...recentPeriods(24).map((p) => ({ value: p, label: monthName(locale, p) })),
              ]}
              value={period ?? ALL}
              onChange={(v) => update(PARAMS.period, v)}
              allowDeselect={false}
            />
          </Grid.Col>
        </Grid>
      </form>

      <Text size="sm" c="dimmed" aria-live="polite">
        {invoices.data ? t('billing.invoices.count', { count: invoices.data.total }) : ''}
      </Text>

      {invoices.isPending ? (
        <Skeleton h={200} role="status" aria-label={t('app.loading')} />
      ) : invoices.isError ? (
        <ErrorState title={t('billing.invoices.loadFailed')} error={invoices.error} onRetry={() => void invoices.refetch()} />
      ) : items.length === 0 ? (
        <Paper withBorder radius="md" p="lg" bg="gray.0">
          <Stack gap={4}>
            <Text fw={500}>{filtered ? t('billing.invoices.emptyFiltered') : t('billing.invoices.empty')}</Text>
            <Text size="sm" c="dimmed">
              {t('billing.invoices.emptyHint')}
            </Text>
          </Stack>
        </Paper>
      ) : (
        <div className="scroll-region" role="region" aria-label={t('billing.invoices.table')} tabIndex={0}>
          <Table
            verticalSpacing="sm"
            highlightOnHover
            miw={1000}
            aria-label={t('billing.invoices.table')}
            style={{ opacity: invoices.isPlaceholderData ? 0.6 : 1 }}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('billing.col.number')}</Table.Th>
                <Table.Th scope="col">{t('billing.col.kind')}</Table.Th>
                <Table.Th scope="col">{t('billing.col.parties')}</Table.Th>
                <Table.Th scope="col">{t('billing.period')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('billing.col.net')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('billing.col.vat')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('billing.col.gross')}
                </Table.Th>
                <Table.Th scope="col">{t('billing.col.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((invoice) => (
                <Table.Tr key={invoice.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/facturation/factures/${invoice.id}`} size="sm" fw={500} ff="monospace">
                      {invoice.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      <KindLabel kind={invoice.kind} />
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t(`billing.purpose.${invoice.purpose}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t('billing.sellerToBuyer', { seller: invoice.seller.name, buyer: invoice.buyer.name })}</Text>
                    {invoice.underMandate && (
                      <Text size="xs" c="dimmed">
                        {t('billing.underMandate')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{monthName(locale, invoice.period)}</Text>
                  </Table.Td>
                  <Table.Td ta="right">{money(locale, invoice.net)}</Table.Td>
                  <Table.Td ta="right">{money(locale, invoice.vat)}</Table.Td>
                  <Table.Td ta="right" fw={500}>
                    {money(locale, invoice.gross)}
                  </Table.Td>
                  <Table.Td>
                    <InvoiceStatusBadge invoice={invoice} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}

      {mayIssue && (
        <IssueInvoiceDialog
          key={issuing ? 'open' : 'closed'}
          opened={issuing}
          onClose={() => setIssuing(false)}
          providers={issuers.operator ? issuers.all : issuers.own}
          consumers={issuers.all}
          publicBuyers={publicBuyers}
          mayIssueFee={issuers.operator}
        />
      )}
    </Stack>
  );
}

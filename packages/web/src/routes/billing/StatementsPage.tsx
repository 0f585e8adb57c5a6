import { Alert, Anchor, Button, Grid, Group, List, Paper, Radio, Select, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { can } from '@confiance/contract';
import { Link } from 'react-router-dom';
import { useBillingSummary, useRecheckStatement, useStatement, type StatementRole, type StatementView } from '../../api/billing';
import { ErrorState } from '../../components/ErrorState';
import { CheckIcon, InfoIcon, LockIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { StatePage } from '../../components/StatePage';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n, type Translate } from '../../i18n';
import { ActionError } from '../contracts/ActionError';
import { alertTitle } from '../contracts/labels';
import { shortHash } from '../ledger/describe';
import { currentPeriod, money, monthName, PERIOD, percent, recentPeriods } from './format';
import { MonthlyChart, MonthlyTable, type Series } from './MonthlyChart';
import { useBillingOrganisations } from './organisations';
import { useSearchFilters } from '../../components/useSearchFilters';

/** The page's address in French, like the portal's other URLs. */
const PARAMS = { organisation: 'organisation', period: 'periode', role: 'role' } as const;
const ROLE_PARAM: Record<StatementRole, string> = { provider: 'fournisseur', consumer: 'consommateur' };
const PERIOD_CHOICES = 24;

type Line = StatementView['lines'][number];

function roleOf(param: string | null): StatementRole {
  return param === ROLE_PARAM.provider ? 'provider' : 'consumer';
}

/** /facturation — an organisation's statement for a month, computed from the ledger, and twelve months at a glance. */
export function StatementsPage() {
  const { t, locale } = useI18n();
  usePageTitle(t('billing.title'));
  const orgs = useBillingOrganisations('read', 'Statement');
  const [params, update] = useSearchFilters();
  const periodParam = params.get(PARAMS.period);
  const period = periodParam && PERIOD.test(periodParam) ? periodParam : currentPeriod();
  const role = roleOf(params.get(PARAMS.role));
  const organisationParam = params.get(PARAMS.organisation);
  const organisation =
    organisationParam && (orgs.operator || orgs.options.some((o) => o.value === organisationParam))
      ? organisationParam
      : (orgs.own[0]?.value ?? null);

  if (!orgs.pending && !orgs.operator && orgs.own.length === 0) {
    return (
      <StatePage
        title={t('billing.forbidden')}
        body={t('billing.forbiddenBody')}
        icon={<LockIcon size={24} />}
        action={{ label: t('billing.toInvoices'), to: '/facturation/factures' }}
      />
    );
  }

  const periods = recentPeriods(PERIOD_CHOICES);
  if (!periods.includes(period)) periods.push(period);
  const canSeeInvoices = can(orgs.principal, 'list', 'Invoice');
  const organisationName = orgs.options.find((o) => o.value === organisation)?.label ?? organisation ?? '';

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" gap="md">
        <div style={{ flex: '1 1 420px' }}>
          <Title order={1}>{t('billing.title')}</Title>
          <Text c="dimmed" mt={4} maw={820}>
            {t('billing.intro')}
          </Text>
        </div>
        {canSeeInvoices && (
          <Button component={Link} to="/facturation/factures" variant="default">
            {t('billing.toInvoices')}
          </Button>
        )}
      </Group>

      <form role="search" aria-label={t('billing.choice')} onSubmit={(e) => e.preventDefault()}>
        <Grid gap="md" align="flex-end">
          <Grid.Col span={{ base: 12, sm: 5 }}>
            <Select
              label={t('billing.organisation')}
              placeholder={orgs.pending ? t('app.loading') : t('billing.pickOrganisation')}
              data={orgs.options}
              value={organisation}
              onChange={(v) => update({ [PARAMS.organisation]: v })}
              searchable={orgs.options.length > 8}
              allowDeselect={false}
              nothingFoundMessage={t('billing.noOrganisation')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 3 }}>
            <Select
              label={t('billing.period')}
              data={periods.map((p) => ({ value: p, label: monthName(locale, p) }))}
              value={period}
              onChange={(v) => update({ [PARAMS.period]: v })}
              allowDeselect={false}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <Radio.Group
              label={t('billing.role')}
              value={role}
              onChange={(v) => update({ [PARAMS.role]: ROLE_PARAM[v === 'provider' ? 'provider' : 'consumer'] })}
            >
              <Group gap="lg" mt={8}>
                <Radio value="provider" label={t('billing.role.provider')} />
                <Radio value="consumer" label={t('billing.role.consumer')} />
              </Group>
            </Radio.Group>
          </Grid.Col>
        </Grid>
      </form>

      {organisation ? (
        // A new choice is a new statement: the previous one's re-check result must not linger beside it.
        <Statement
          key={`${organisation}/${period}/${role}`}
          organisation={organisation}
          organisationName={organisationName}
          period={period}
          role={role}
        />
      ) : (
        <Paper withBorder radius="md" p="lg" bg="gray.0">
          <Text fw={500}>{orgs.pending ? t('app.loading') : t('billing.pickOrganisationHint')}</Text>
        </Paper>
      )}

      {organisation && <SummarySection organisation={organisation} organisationName={organisationName} />}
      {orgs.operator && <SummarySection organisation={null} organisationName={t('billing.summary.node')} />}
    </Stack>
  );
}

function Statement({
  organisation,
  organisationName,
  period,
  role,
}: {
  organisation: string;
  organisationName: string;
  period: string;
  role: StatementRole;
}) {
  const { t, locale } = useI18n();
  const statement = useStatement({ organisation, period, role });
  const recheck = useRecheckStatement();
  const month = monthName(locale, period);
  const headingId = 'statement-title';
  const title = t(`billing.statement.title.${role}`, { month, organisation: organisationName });

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <SectionHeading id={headingId} title={title} intro={t(`billing.statement.intro.${role}`)} />
        {statement.isPending ? (
          <Skeleton h={220} role="status" aria-label={t('app.loading')} />
        ) : statement.isError ? (
          <ErrorState title={t('billing.statement.loadFailed')} error={statement.error} onRetry={() => void statement.refetch()} />
        ) : (
          <>
            <Group justify="space-between" align="center" gap="sm">
              <Text size="sm" c="dimmed">
                {t('billing.statement.checkpoint', {
                  size: statement.data.checkpoint.size,
                  root: shortHash(statement.data.checkpoint.root),
                  version: statement.data.settingsVersion,
                })}
              </Text>
              <Button
                variant="light"
                size="sm"
                leftSection={<CheckIcon size={14} />}
                loading={recheck.isPending}
                onClick={() => recheck.mutate(statement.data)}
              >
                {t('billing.recheck')}
              </Button>
            </Group>
            <div role="status" aria-live="polite">
              {recheck.isSuccess &&
                (recheck.data.matches ? (
                  <Alert color="teal" variant="light" icon={<CheckIcon />} styles={alertTitle('teal')} title={t('billing.recheck.matches')}>
                    <Text size="sm">{t('billing.recheck.matchesBody')}</Text>
                  </Alert>
                ) : (
                  <Alert color="red" variant="light" icon={<InfoIcon />} title={t('billing.recheck.differs')}>
                    <List size="sm" spacing={2}>
                      {recheck.data.differences.map((d, i) => (
                        <List.Item key={i}>{d}</List.Item>
                      ))}
                    </List>
                  </Alert>
                ))}
            </div>
            <ActionError error={recheck.error} title={t('billing.recheck.failed')} />
            {statement.data.lines.length === 0 ? (
              <Paper withBorder radius="md" p="lg" bg="gray.0">
                <Stack gap={4}>
                  <Text fw={500}>{t('billing.statement.empty')}</Text>
                  <Text size="sm" c="dimmed">
                    {t(`billing.statement.emptyHint.${role}`, { month })}
                  </Text>
                </Stack>
              </Paper>
            ) : (
              <>
                <LinesTable statement={statement.data} />
                <VatBreakdown statement={statement.data} />
              </>
            )}
            {statement.data.fees.length > 0 && <Fees statement={statement.data} />}
            {statement.data.credits.length > 0 && <Credits statement={statement.data} />}
            {statement.data.notes.length > 0 && <Notes notes={statement.data.notes} />}
          </>
        )}
      </Stack>
    </Paper>
  );
}

function discountOf(line: Line): { amount: number; percents: string[] } {
  let amount = 0;
  const percents = new Set<string>();
  for (const p of line.priced) {
    if (p.discount && p.discount.amount !== 0) {
      amount += p.discount.amount;
      percents.add(p.discount.percent);
    }
  }
  return { amount, percents: [...percents] };
}

function LinesTable({ statement }: { statement: StatementView }) {
  const { t, locale, formatNumber } = useI18n();
  const counterparty = statement.role === 'provider' ? t('billing.col.consumer') : t('billing.col.provider');
  return (
    <div className="scroll-region" role="region" aria-label={t('billing.lines')} tabIndex={0}>
      <Table verticalSpacing="sm" miw={1080} aria-label={t('billing.lines')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('billing.col.dataset')}</Table.Th>
            <Table.Th scope="col">{counterparty}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('billing.col.billed')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('billing.col.unbilled')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('billing.col.rows')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('billing.col.discount')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('billing.col.net')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('billing.col.vat')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('billing.col.gross')}
            </Table.Th>
            <Table.Th scope="col">{t('billing.col.entries')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {statement.lines.map((line) => {
            const other = statement.role === 'provider' ? line.consumer : line.provider;
            const discount = discountOf(line);
            return (
              <Table.Tr key={line.contract}>
                <Table.Td>
                  <Stack gap={2}>
                    <Anchor component={Link} to={`/datasets/${line.dataset}`} size="sm" fw={500}>
                      {line.dataset}
                    </Anchor>
                    <Anchor component={Link} to={`/contrats/${line.contract}`} size="xs">
                      {t('billing.toContract')}
                    </Anchor>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/organisations/${other}`} size="sm">
                    {other}
                  </Anchor>
                </Table.Td>
                <Table.Td ta="right">{formatNumber(line.queries)}</Table.Td>
                <Table.Td ta="right">{formatNumber(line.unbilledQueries)}</Table.Td>
                <Table.Td ta="right">{formatNumber(line.units)}</Table.Td>
                <Table.Td ta="right">
                  {discount.amount === 0 ? (
                    '—'
                  ) : (
                    <>
                      {money(locale, -discount.amount)}
                      <Text size="xs" c="dimmed">
                        {discount.percents.map((p) => percent(locale, p)).join(', ')}
                      </Text>
                    </>
                  )}
                </Table.Td>
                <Table.Td ta="right">{money(locale, line.totals.net)}</Table.Td>
                <Table.Td ta="right">{money(locale, line.totals.vat)}</Table.Td>
                <Table.Td ta="right" fw={500}>
                  {money(locale, line.totals.gross)}
                </Table.Td>
                <Table.Td>
                  <EntryLinks entries={line.entries} label={t('billing.entriesOf', { dataset: line.dataset })} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row" colSpan={6}>
              {t('billing.total')}
            </Table.Th>
            <Table.Td ta="right" fw={600}>
              {money(locale, statement.totals.net)}
            </Table.Td>
            <Table.Td ta="right" fw={600}>
              {money(locale, statement.totals.vat)}
            </Table.Td>
            <Table.Td ta="right" fw={600}>
              {money(locale, statement.totals.gross)}
            </Table.Td>
            <Table.Td />
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </div>
  );
}

/** How many ledger entries a line cites, and a link to each in the Registre. */
export function EntryLinks({ entries, label }: { entries: readonly number[]; label: string }) {
  const { t } = useI18n();
  if (entries.length === 0) return <Text size="sm">{t('billing.entries', { count: 0 })}</Text>;
  return (
    <details>
      <summary>
        <Text span size="sm">
          {t('billing.entries', { count: entries.length })}
        </Text>
      </summary>
      <ul className="plain-list" aria-label={label} style={{ maxHeight: '12rem', overflowY: 'auto' }}>
        {entries.map((index) => (
          <li key={index}>
            <Anchor component={Link} to={`/registre/${index}`} size="xs">
              {t('billing.entry', { index })}
            </Anchor>
          </li>
        ))}
      </ul>
    </details>
  );
}

function VatBreakdown({ statement }: { statement: StatementView }) {
  const { t, locale } = useI18n();
  if (statement.totals.breakdown.length === 0) return null;
  return (
    <Table verticalSpacing={4} maw={720} aria-label={t('billing.vatBreakdown')}>
      <Table.Caption>{t('billing.vatBreakdown')}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('billing.col.vatRate')}</Table.Th>
          <Table.Th scope="col" ta="right">
            {t('billing.col.base')}
          </Table.Th>
          <Table.Th scope="col" ta="right">
            {t('billing.col.vat')}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {statement.totals.breakdown.map((row) => (
          <Table.Tr key={`${row.category}-${row.percent}`}>
            <Table.Td>{row.label}</Table.Td>
            <Table.Td ta="right">{money(locale, row.base)}</Table.Td>
            <Table.Td ta="right">{money(locale, row.vat)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Fees({ statement }: { statement: StatementView }) {
  const { t, locale } = useI18n();
  return (
    <section aria-labelledby="statement-fees">
      <Stack gap="xs">
        <SectionHeading id="statement-fees" order={3} title={t('billing.fees.title')} intro={t('billing.fees.intro')} />
        <Table verticalSpacing={4} aria-labelledby="statement-fees">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('billing.col.provider')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('billing.fees.base')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('billing.fees.rate')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('billing.fees.fee')}
              </Table.Th>
              <Table.Th scope="col">{t('billing.fees.explanation')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {statement.fees.map((fee) => (
              <Table.Tr key={fee.provider}>
                <Table.Td>{fee.provider}</Table.Td>
                <Table.Td ta="right">{money(locale, fee.base)}</Table.Td>
                <Table.Td ta="right">{percent(locale, fee.rate)}</Table.Td>
                <Table.Td ta="right">{money(locale, fee.fee)}</Table.Td>
                <Table.Td>
                  <Text size="xs" lang="fr">
                    {fee.explanation}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th scope="row" colSpan={3}>
                {t('billing.fees.total')}
              </Table.Th>
              <Table.Td ta="right" fw={600}>
                {money(locale, statement.feeTotal)}
              </Table.Td>
              <Table.Td />
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Stack>
    </section>
  );
}

function Credits({ statement }: { statement: StatementView }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="statement-credits">
      <Stack gap="xs">
        <SectionHeading id="statement-credits" order={3} title={t('billing.credits.title')} intro={t('billing.credits.intro')} />
        <Table verticalSpacing={4} aria-labelledby="statement-credits">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('billing.col.provider')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('billing.credits.earned')}
              </Table.Th>
              <Table.Th scope="col">{t('billing.fees.explanation')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {statement.credits.map((c) => (
              <Table.Tr key={c.provider}>
                <Table.Td>{c.provider}</Table.Td>
                <Table.Td ta="right">{c.credits}</Table.Td>
                <Table.Td>
                  <Text size="xs" lang="fr">
                    {c.explanation}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </section>
  );
}

export function Notes({ notes, id = 'statement-notes' }: { notes: readonly string[]; id?: string }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby={id}>
      <Title order={3} size="h5" id={id}>
        {t('billing.notes')}
      </Title>
      <List size="sm" spacing={2} mt={4} lang="fr">
        {notes.map((note, i) => (
          <List.Item key={i}>{note}</List.Item>
        ))}
      </List>
    </section>
  );
}

function summaryLabel(t: Translate, locale: string, title: string, series: readonly Series[]): string {
  const totals = series.map(
    (s) =>
      `${s.label} ${money(
        locale,
        s.values.reduce((a, b) => a + b, 0),
      )}`,
  );
  return t('billing.summary.chartLabel', { title, totals: totals.join(', ') });
}

/** Twelve months of the organisation's statements (or, for the operator, the whole node's). */
function SummarySection({ organisation, organisationName }: { organisation: string | null; organisationName: string }) {
  const { t, locale } = useI18n();
  const summary = useBillingSummary(organisation);
  const headingId = organisation ? 'summary-title' : 'summary-node-title';
  const title = organisation ? t('billing.summary.title', { organisation: organisationName }) : t('billing.summary.nodeTitle');
  const months = summary.data?.months ?? [];
  const series: Series[] = organisation
    ? [
        {
          key: 'earned',
          label: t('billing.summary.earned'),
          color: 'var(--mantine-color-confiance-6)',
          values: months.map((m) => m.earned),
        },
        { key: 'spent', label: t('billing.summary.spent'), color: 'var(--mantine-color-orange-7)', values: months.map((m) => m.spent) },
        { key: 'fee', label: t('billing.summary.fee'), color: 'var(--mantine-color-gray-6)', values: months.map((m) => m.fee) },
      ]
    : [
        {
          key: 'earned',
          label: t('billing.summary.nodeTotal'),
          color: 'var(--mantine-color-confiance-6)',
          values: months.map((m) => m.earned),
        },
        { key: 'fee', label: t('billing.summary.feeIncome'), color: 'var(--mantine-color-grape-7)', values: months.map((m) => m.fee) },
      ];
  const periods = months.map((m) => m.period);
  const empty = months.every((m) => m.earned === 0 && m.spent === 0 && m.fee === 0);
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <SectionHeading id={headingId} title={title} intro={organisation ? t('billing.summary.intro') : t('billing.summary.nodeIntro')} />
        {summary.isPending ? (
          <Skeleton h={240} role="status" aria-label={t('app.loading')} />
        ) : summary.isError ? (
          <ErrorState title={t('billing.summary.loadFailed')} error={summary.error} onRetry={() => void summary.refetch()} />
        ) : empty ? (
          <Text size="sm" fs="italic" c="dimmed">
            {t('billing.summary.empty')}
          </Text>
        ) : (
          <>
            <MonthlyChart months={periods} series={series} label={summaryLabel(t, locale, title, series)} />
            <details>
              <summary>
                <Text span size="sm">
                  {t('chart.values')}
                </Text>
              </summary>
              <MonthlyTable months={periods} series={series} label={title} monthHeader={t('billing.period')} />
            </details>
            <Text size="xs" c="dimmed">
              {t('billing.summary.checkpoint', { size: summary.data.checkpoint.size, root: shortHash(summary.data.checkpoint.root) })}
            </Text>
          </>
        )}
      </Stack>
    </Paper>
  );
}

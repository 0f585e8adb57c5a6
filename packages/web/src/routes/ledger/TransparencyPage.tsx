import { Button, Grid, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { AGREEMENT_MODES, LEDGER_ENTRY_TYPES, type LedgerEntryType, type TransparencyReport } from '@confiance/contract';
import { Link } from 'react-router-dom';
import { useTransparencyReport } from '../../api/ledger';
import { BarChart, BarTable, type Bar } from '../../components/BarChart';
import { ErrorState } from '../../components/ErrorState';
import { SectionHeading } from '../../components/SectionHeading';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n, type MessageKey, type Translate } from '../../i18n';
import { entryTypeLabel, formatMonth, shortHash } from './describe';

const REPORT_JSON = '/api/v1/ledger/report';

type Checkpoint = TransparencyReport['checkpoint'];

interface Figures {
  id: string;
  title: MessageKey;
  intro: MessageKey;
  labelHeader: MessageKey;
  empty: MessageKey;
  bars: Bar[];
}

function chartLabel(t: Translate, formatNumber: (n: number) => string, title: string, bars: readonly Bar[]): string {
  const top = [...bars].sort((a, b) => b.count - a.count)[0];
  if (!top) return title;
  return bars.length === 1
    ? t('report.chartLabelOne', { title, top: top.label, topCount: formatNumber(top.count) })
    : t('report.chartLabel', { title, count: bars.length, top: top.label, topCount: formatNumber(top.count) });
}

/** One figure of the report: a chart, its table, and the checkpoint it was computed at. */
function FigureSection({ figures, checkpoint }: { figures: Figures; checkpoint: Checkpoint }) {
  const { t, formatNumber } = useI18n();
  const headingId = `${figures.id}-title`;
  const title = t(figures.title);
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby={headingId} h="100%">
      <Stack gap="md">
        <SectionHeading id={headingId} title={title} intro={t(figures.intro)} />
        {figures.bars.length === 0 ? (
          <Text size="sm" fs="italic" c="dimmed">
            {t(figures.empty)}
          </Text>
        ) : (
          <>
            <BarChart bars={figures.bars} label={chartLabel(t, formatNumber, title, figures.bars)} />
            <BarTable bars={figures.bars} label={title} labelHeader={t(figures.labelHeader)} countHeader={t('report.count')} maw={720} />
          </>
        )}
        <Text size="xs" c="dimmed">
          {t('report.sectionCheckpoint', { size: checkpoint.size, root: shortHash(checkpoint.root) })}
        </Text>
      </Stack>
    </Paper>
  );
}

function stateLabel(t: Translate, state: string): string {
  const known = ['signed', 'active', 'amended', 'suspended', 'terminated', 'expired'] as const;
  return (known as readonly string[]).includes(state) ? t(`report.state.${state as (typeof known)[number]}`) : state;
}

function ethicsLabel(t: Translate, decision: string): string {
  const known = ['approved', 'refused', 'conditions'] as const;
  return (known as readonly string[]).includes(decision) ? t(`ledger.ethics.${decision as (typeof known)[number]}`) : decision;
}

/** The contract's agreement labels (« Accord automatique »…), in the interface's language. */
function agreementLabel(t: Translate, agreement: string): string {
  return (AGREEMENT_MODES as readonly string[]).includes(agreement)
    ? t(`policy.agreement.${agreement as (typeof AGREEMENT_MODES)[number]}`)
    : agreement;
}

/** "1.10" after "1.9": versions compare by number, major then minor. */
function byVersion(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number);
  const [b1 = 0, b2 = 0] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2 || a.localeCompare(b);
}

function figuresOf(report: TransparencyReport, i18n: ReturnType<typeof useI18n>): Figures[] {
  const { t, locale } = i18n;
  const byMonth = (rows: { month: string; count: number }[]) =>
    [...rows].sort((a, b) => a.month.localeCompare(b.month)).map((r) => ({ label: formatMonth(locale, r.month), count: r.count }));
  const byCount = <T extends { count: number }>(rows: T[], label: (row: T) => string) =>
    [...rows].sort((a, b) => b.count - a.count).map((r) => ({ label: label(r), count: r.count }));
  return [
    {
      id: 'report-entries',
      title: 'report.entries.title',
      intro: 'report.entries.intro',
      labelHeader: 'report.entries.label',
      empty: 'report.entries.empty',
      bars: byCount(report.entriesByType, (r) =>
        (LEDGER_ENTRY_TYPES as readonly string[]).includes(r.type) ? entryTypeLabel(i18n, r.type as LedgerEntryType) : r.type,
      ),
    },
    {
      id: 'report-datasets',
      title: 'report.datasets.title',
      intro: 'report.datasets.intro',
      labelHeader: 'report.month',
      empty: 'report.datasets.empty',
      bars: byMonth(report.datasetsByMonth),
    },
    {
      id: 'report-access-dataset',
      title: 'report.accessDataset.title',
      intro: 'report.accessDataset.intro',
      labelHeader: 'report.accessDataset.label',
      empty: 'report.accessEmpty',
      bars: byCount(report.accessesByDataset, (r) => r.dataset),
    },
    {
      id: 'report-access-purpose',
      title: 'report.accessPurpose.title',
      intro: 'report.accessPurpose.intro',
      labelHeader: 'report.accessPurpose.label',
      empty: 'report.accessEmpty',
      bars: byCount(report.accessesByPurpose, (r) => r.purpose),
    },
    {
      id: 'report-access-month',
      title: 'report.accessMonth.title',
      intro: 'report.accessMonth.intro',
      labelHeader: 'report.month',
      empty: 'report.accessEmpty',
      bars: byMonth(report.accessesByMonth),
    },
    {
      id: 'report-contracts',
      title: 'report.contracts.title',
      intro: 'report.contracts.intro',
      labelHeader: 'report.contracts.label',
      empty: 'report.contracts.empty',
      bars: byCount(report.contractsByState, (r) => stateLabel(t, r.state)),
    },
    {
      id: 'report-ethics',
      title: 'report.ethics.title',
      intro: 'report.ethics.intro',
      labelHeader: 'report.ethics.label',
      empty: 'report.ethics.empty',
      bars: byCount(report.ethicsDecisions, (r) => ethicsLabel(t, r.decision)),
    },
    {
      id: 'report-charter',
      title: 'report.charter.title',
      intro: 'report.charter.intro',
      labelHeader: 'report.charter.label',
      empty: 'report.charter.empty',
      // In the order the versions were published, so a new version's catching up shows.
      bars: [...report.charterSignatures]
        .sort((a, b) => byVersion(a.version, b.version))
        .map((r) => ({ label: t('report.charter.version', { version: r.version }), count: r.count })),
    },
    {
      id: 'report-offers',
      title: 'report.offers.title',
      intro: 'report.offers.intro',
      labelHeader: 'report.offers.label',
      empty: 'report.offers.empty',
      bars: byCount(report.offersByAgreement, (r) => agreementLabel(t, r.agreement)),
    },
    {
      id: 'report-decisions',
      title: 'report.decisions.title',
      intro: 'report.decisions.intro',
      labelHeader: 'report.decisions.label',
      empty: 'report.decisions.empty',
      bars: byCount(report.decisionsByCommission, (r) =>
        t('report.decisions.bar', {
          commission: r.commission || '—',
          outcome: ['adopted', 'rejected', 'no_quorum'].includes(r.outcome)
            ? t(`ledger.outcome.${r.outcome as 'adopted' | 'rejected' | 'no_quorum'}`)
            : r.outcome,
        }),
      ),
    },
  ];
}

function ReportSkeleton() {
  const { t } = useI18n();
  return (
    <Grid gap="lg" role="status" aria-label={t('app.loading')}>
      {Array.from({ length: 4 }, (_, i) => (
        <Grid.Col key={i} span={{ base: 12, lg: 6 }}>
          <Paper withBorder radius="md" p="lg">
            <Skeleton h={22} w="50%" mb="sm" />
            <Skeleton h={160} />
          </Paper>
        </Grid.Col>
      ))}
    </Grid>
  );
}

/** The public transparency report: what the ledger says, each figure tied to a signed checkpoint. */
export function TransparencyPage() {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  usePageTitle(t('report.title'));
  const report = useTransparencyReport();
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" gap="md">
        <div style={{ flex: '1 1 420px' }}>
          <Title order={1}>{t('report.title')}</Title>
          <Text c="dimmed" mt={4} maw={820}>
            {t('report.intro')}
          </Text>
        </div>
        <Group gap="sm">
          <Button component={Link} to="/registre" variant="default">
            {t('report.toLedger')}
          </Button>
          <Button component="a" href={REPORT_JSON} variant="light">
            {t('report.json')}
          </Button>
        </Group>
      </Group>

      {report.isPending ? (
        <ReportSkeleton />
      ) : report.isError ? (
        <ErrorState title={t('report.loadFailed')} error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <>
          <Text size="sm">
            {t('report.computedAt', {
              size: report.data.checkpoint.size,
              root: shortHash(report.data.checkpoint.root),
              date: formatDateTime(report.data.generatedAt),
            })}
          </Text>
          <Grid gap="lg">
            {figuresOf(report.data, i18n).map((figures) => (
              // A chart needs the full width for its labels to stay legible; an empty figure does not.
              <Grid.Col key={figures.id} span={{ base: 12, lg: figures.bars.length > 0 ? 12 : 6 }}>
                <FigureSection figures={figures} checkpoint={report.data.checkpoint} />
              </Grid.Col>
            ))}
          </Grid>
        </>
      )}
    </Stack>
  );
}

import { Alert, Badge, Button, Group, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { ApiError, type QueryInput, type QueryResult } from '@confiance/contract';
import { useMemo, useState } from 'react';
import { downloadQueryResult } from '../../../api/queries';
import { BarChart, BarTable, type Bar } from '../../../components/BarChart';
import { errorText, requestIdOf } from '../../../components/errors';
import { AlertIcon, InfoIcon } from '../../../components/Icons';
import { useI18n, type I18n } from '../../../i18n';
import { PrivacyLegend } from './PrivacyBudget';
import { formatCell, ScrollRegion } from '../SchemaTable';

type Note = QueryResult['notes'][number];

/** Bars drawn at most: beyond, the chart is a smear; the table has every row. */
const MAX_BARS = 40;

function cellText(i18n: I18n, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return formatCell(i18n, value);
  return JSON.stringify(value);
}

const REFUSAL_CODES = ['validation_failed', 'forbidden', 'query_refused', 'query_too_costly', 'quota_exceeded', 'rate_limited'] as const;
type Refusal = (typeof REFUSAL_CODES)[number];
const REFUSALS: ReadonlySet<string> = new Set(REFUSAL_CODES);

/**
 * The node's refusal in its own words: "la colonne hosp n’est pas une dimension", "quota du jour
 * atteint". Its sentence is French; the title says what kind of refusal it is in any language.
 */
export function QueryError({ error }: { error: unknown }) {
  const { t } = useI18n();
  const requestId = requestIdOf(error);
  const kind = error instanceof ApiError && REFUSALS.has(error.code) ? (error.code as Refusal) : null;
  const message = error instanceof ApiError && kind ? error.message : errorText(t, error);
  // The node answers a spent privacy budget as a quota: its title says which.
  const budgetSpent = kind === 'quota_exceeded' && message.startsWith('Budget de confidentialité');
  // A subscription's month spent (issue 9) is a quota too: `details.refusal` tells it apart.
  const monthSpent =
    kind === 'quota_exceeded' && ((error as ApiError).details as { refusal?: unknown } | undefined)?.refusal === 'subscription_quota';
  const title = budgetSpent
    ? t('query.privacy.exhaustedTitle')
    : monthSpent
      ? t('query.error.subscription_quota')
      : t(kind ? `query.error.${kind}` : 'query.error.other');
  return (
    <Alert color="red" variant="light" icon={<AlertIcon />} role="alert" title={title}>
      <Text size="sm">{message}</Text>
      {requestId && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('common.requestId', { id: requestId })}
        </Text>
      )}
    </Alert>
  );
}

/** « Contrôle du secret statistique : effectifs ≤ 7 masqués, autres arrondis à 5 près ; 3 cases masquées, 12 arrondies ». */
function DisclosureLegend({ disclosure }: { disclosure: NonNullable<QueryResult['disclosure']> }) {
  const { t, formatNumber } = useI18n();
  const rules: string[] = [];
  if (disclosure.suppressAtOrBelow !== null) rules.push(t('query.legend.suppress', { n: disclosure.suppressAtOrBelow }));
  if (disclosure.roundTo > 1)
    rules.push(t(disclosure.suppressAtOrBelow !== null ? 'query.legend.roundOthers' : 'query.legend.round', { n: disclosure.roundTo }));
  if (disclosure.minUnits !== null) rules.push(t('query.legend.minUnits', { n: disclosure.minUnits }));
  if (disclosure.dominance !== null)
    rules.push(t('query.legend.dominance', { share: formatNumber(Math.round(disclosure.dominance * 100)) }));
  const counts = [
    t('query.legend.suppressed', { count: disclosure.suppressed }),
    t('query.legend.rounded', { count: disclosure.rounded }),
  ].join(', ');
  return (
    <Stack gap={4} data-testid="disclosure-legend">
      <Text size="sm">
        <Text span fw={600} size="sm">
          {t('query.legend.title')}
        </Text>{' '}
        {rules.length > 0 ? rules.join(', ') : t('query.legend.none')} ; {counts}.
      </Text>
      <Text size="xs" c="dimmed">
        {t('query.legend.key')}
      </Text>
    </Stack>
  );
}

function ResultTable({ result }: { result: QueryResult }) {
  const i18n = useI18n();
  const { t } = i18n;
  const notes = useMemo(() => new Map(result.notes.map((n) => [`${n.row}:${n.column}`, n] as const)), [result.notes]);
  const label = t('query.result.table', { table: result.table });
  return (
    <ScrollRegion label={label} tall>
      <Table striped withTableBorder withColumnBorders verticalSpacing={4} aria-label={label} className="preview-table">
        <Table.Thead>
          <Table.Tr>
            {result.columns.map((c) => (
              <Table.Th key={c.name} scope="col" ta={c.role === 'measure' ? 'right' : undefined}>
                {c.name}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.rows.map((row, r) => (
            <Table.Tr key={r}>
              {result.columns.map((c, i) => (
                <Table.Td key={c.name} ta={c.role === 'measure' || typeof row[i] === 'number' ? 'right' : undefined}>
                  <Cell value={row[i]} note={notes.get(`${r}:${c.name}`)} />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}

/**
 * A protected cell says so where it stands: « masqué » or a value marked « ≈ », with the reason
 * as a tooltip for the mouse and as hidden text for screen readers (a title alone is not read
 * reliably).
 */
function Cell({ value, note }: { value: unknown; note: Note | undefined }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (note && note.fate !== 'rounded') {
    return (
      <Text span size="sm" c="red.9" fs="italic" title={note.reason} data-fate={note.fate}>
        {t('query.cell.masked')}
        <VisuallyHidden> — {note.reason}</VisuallyHidden>
      </Text>
    );
  }
  if (note) {
    return (
      <Text span size="sm" title={note.reason} data-fate="rounded">
        <Text span c="dimmed" size="sm" aria-hidden="true">
          ≈{' '}
        </Text>
        {cellText(i18n, value)}
        <VisuallyHidden> — {note.reason}</VisuallyHidden>
      </Text>
    );
  }
  if (value === null || value === undefined) {
    return (
      <Text span c="dimmed" size="xs">
        —
      </Text>
    );
  }
  return <>{cellText(i18n, value)}</>;
}

/** The first measure by the dimensions, as bars; masked cells are left out and counted. */
function ResultChart({ result }: { result: QueryResult }) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const measureIndex = result.columns.findIndex((c) => c.role === 'measure');
  const dimensionIndexes = result.columns.flatMap((c, i) => (c.role === 'dimension' ? [i] : []));
  if (measureIndex < 0 || dimensionIndexes.length === 0) return null;
  const measure = result.columns[measureIndex]!;
  const dimensions = dimensionIndexes.map((i) => result.columns[i]!.name);
  const bars: Bar[] = [];
  let masked = 0;
  for (const row of result.rows) {
    const value = row[measureIndex];
    const count = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
    if (!Number.isFinite(count)) {
      masked += 1;
      continue;
    }
    bars.push({ label: dimensionIndexes.map((i) => cellText(i18n, row[i])).join(' · '), count });
  }
  if (bars.length === 0) return null;
  const shown = bars.slice(0, MAX_BARS);
  const top = [...shown].sort((a, b) => b.count - a.count)[0]!;
  const label = t('query.chart.label', {
    measure: measure.name,
    dimensions: dimensions.join(', '),
    count: shown.length,
    top: top.label,
    topCount: formatNumber(top.count),
  });
  return (
    <Stack gap="xs">
      <Title order={4} size="h5">
        {t('query.chart.title', { measure: measure.name, dimensions: dimensions.join(', ') })}
      </Title>
      <BarChart bars={shown} label={label} />
      {(bars.length > MAX_BARS || masked > 0) && (
        <Text size="xs" c="dimmed">
          {[
            bars.length > MAX_BARS ? t('query.chart.firstBars', { count: MAX_BARS }) : null,
            masked > 0 ? t('query.chart.masked', { count: masked }) : null,
          ]
            .filter(Boolean)
            .join(' ')}
        </Text>
      )}
      <details>
        <summary>
          <Text span size="sm">
            {t('chart.values')}
          </Text>
        </summary>
        <BarTable
          bars={shown}
          label={t('query.chart.valuesOf', { measure: measure.name })}
          labelHeader={dimensions.join(' · ')}
          countHeader={measure.name}
        />
      </details>
    </Stack>
  );
}

function Downloads({ slug, input }: { slug: string; input: QueryInput }) {
  const { t } = useI18n();
  const [pending, setPending] = useState<'csv' | 'parquet' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const download = async (format: 'csv' | 'parquet') => {
    setPending(format);
    setError(null);
    try {
      await downloadQueryResult(slug, format, input, `${slug}-requete.${format}`);
    } catch (e) {
      setError(e);
    } finally {
      setPending(null);
    }
  };
  return (
    <Stack gap="xs">
      <Group gap="sm">
        {(['csv', 'parquet'] as const).map((format) => (
          <Button
            key={format}
            variant="default"
            loading={pending === format}
            disabled={pending !== null && pending !== format}
            onClick={() => void download(format)}
          >
            {t(`query.download.${format}`)}
          </Button>
        ))}
      </Group>
      {error !== null && <QueryError error={error} />}
    </Stack>
  );
}

/** A result: its size and time, the table with its protected cells, the legend, a chart, downloads. */
export function QueryResultView({ slug, result, input }: { slug: string; result: QueryResult; input: QueryInput }) {
  const { t, formatNumber } = useI18n();
  return (
    <Stack gap="md" component="section" aria-labelledby="query-result-title">
      <Group justify="space-between" align="baseline" gap="xs">
        <Title order={3} size="h4" id="query-result-title">
          {t('query.result.title')}
        </Title>
        <Group gap="xs">
          {result.disclosure && (
            <Badge variant="light" color="grape" tt="none">
              {t('query.result.controlled')}
            </Badge>
          )}
          {result.privacy && (
            <Badge variant="light" color="teal" tt="none">
              {t('query.result.noisy')}
            </Badge>
          )}
          {result.join && (
            <Badge variant="light" color="blue" tt="none" title={t('query.result.joinedWith', { dataset: result.join.dataset })}>
              {t('query.result.joined')}
            </Badge>
          )}
          <Text size="sm" c="dimmed" role="status">
            {t('query.result.summary', { count: result.rows.length, ms: formatNumber(Math.round(result.elapsedMs)) })}
          </Text>
        </Group>
      </Group>
      {result.truncated && (
        <Alert color="yellow" variant="light" icon={<InfoIcon />}>
          <Text size="sm">{t('query.result.truncated', { count: result.rowLimit })}</Text>
        </Alert>
      )}
      {result.rows.length === 0 ? (
        <Alert color="gray" variant="light" icon={<InfoIcon />} title={t('query.result.emptyTitle')}>
          <Text size="sm">{t('query.result.empty')}</Text>
        </Alert>
      ) : (
        <>
          <ResultTable result={result} />
          {result.disclosure && <DisclosureLegend disclosure={result.disclosure} />}
          {result.privacy && <PrivacyLegend privacy={result.privacy} />}
          <ResultChart result={result} />
        </>
      )}
      <Downloads slug={slug} input={input} />
    </Stack>
  );
}

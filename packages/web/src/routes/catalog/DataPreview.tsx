import { Select, Skeleton, Stack, Table, Text } from '@mantine/core';
import type { ChartView, DatasetView, TableView } from '@confiance/contract';
import { useState } from 'react';
import { useChart, usePreview } from '../../api/catalog';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';
import { formatCell, ScrollRegion } from './SchemaTable';

/** Names that usually identify a row rather than measure something: a chart of them says nothing. */
const IDENTIFIER = /(^id$|_id$|^id_|^code|_code$|^siren|^siret|^uuid)/i;
const CHARTABLE = new Set(['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'time']);

/** A first chart worth looking at: a measure, else a date, else a category with a few values. */
export function defaultChartColumn(table: TableView): string | null {
  const usable = table.columns.filter((c) => CHARTABLE.has(c.type) && c.distinctCount > 1);
  // An integer that differs on every row is a row number or a key, not a measure.
  const rowKey = (c: TableView['columns'][number]) => c.type === 'integer' && c.distinctCount >= table.rowCount - c.nullCount;
  const measures = usable.filter((c) => (c.type === 'number' || c.type === 'integer') && !IDENTIFIER.test(c.name) && !rowKey(c));
  // Columns the steward gave a unit are the ones they meant to be read.
  const measure = measures.find((c) => c.unit) ?? measures[0];
  const date = usable.find((c) => c.type === 'date' || c.type === 'datetime');
  const category = usable.find((c) => (c.type === 'string' || c.type === 'boolean') && c.distinctCount <= 50);
  return (measure ?? date ?? category ?? usable[0] ?? table.columns.find((c) => CHARTABLE.has(c.type)))?.name ?? null;
}

export function PreviewTable({ dataset, table }: { dataset: DatasetView; table: TableView }) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const preview = usePreview(dataset, table.name, true);
  if (preview.isPending) {
    return (
      <Stack gap={6} role="status" aria-label={t('app.loading')}>
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} h={28} />
        ))}
      </Stack>
    );
  }
  if (preview.isError) return <ErrorState title={t('preview.loadFailed')} error={preview.error} onRetry={() => void preview.refetch()} />;
  const { columns, rows, rowCount } = preview.data;
  const label = t('preview.table', { table: table.name });
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t('preview.caption', { shown: formatNumber(rows.length), count: rowCount })}
      </Text>
      <ScrollRegion label={label} tall>
        <Table striped withTableBorder withColumnBorders verticalSpacing={4} aria-label={label} className="preview-table">
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.name} scope="col">
                  {c.name}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, r) => (
              <Table.Tr key={r}>
                {row.map((cell, c) => {
                  const type = columns[c]?.type;
                  const numeric = type === 'integer' || type === 'number';
                  return (
                    <Table.Td key={c} ta={numeric ? 'right' : undefined}>
                      {cell === null ? (
                        <Text span c="dimmed" size="xs">
                          —
                        </Text>
                      ) : (
                        formatCell(i18n, cell)
                      )}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
    </Stack>
  );
}

const BAR_HEIGHT = 22;
const GAP = 6;
const LABEL_WIDTH = 220;
const CHART_WIDTH = 720;
const COUNT_WIDTH = 70;

function shorten(label: string, max = 30): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** Horizontal bars drawn in SVG: long labels stay readable whatever the kind of chart. */
function BarChart({ chart }: { chart: ChartView }) {
  const { t, formatNumber } = useI18n();
  const buckets = chart.buckets;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const height = buckets.length * (BAR_HEIGHT + GAP) + GAP;
  const barSpace = CHART_WIDTH - LABEL_WIDTH - COUNT_WIDTH;
  const top = [...buckets].sort((a, b) => b.count - a.count)[0];
  const label = top
    ? t('chart.label', {
        column: chart.column,
        kind: t(`chart.kind.${chart.kind}`),
        count: buckets.length,
        top: top.label,
        topCount: formatNumber(top.count),
      })
    : t('chart.empty');
  return (
    <Stack gap="xs">
      <svg viewBox={`0 0 ${CHART_WIDTH} ${height}`} role="img" aria-label={label} className="bar-chart">
        <title>{label}</title>
        {buckets.map((b, i) => {
          const y = GAP + i * (BAR_HEIGHT + GAP);
          const width = Math.max(1, (b.count / max) * barSpace);
          return (
            <g key={`${b.label}-${i}`}>
              <text x={LABEL_WIDTH - 8} y={y + BAR_HEIGHT / 2} textAnchor="end" dominantBaseline="middle" className="bar-label">
                {shorten(b.label)}
              </text>
              <rect x={LABEL_WIDTH} y={y} width={width} height={BAR_HEIGHT} rx={3} className="bar" />
              <text x={LABEL_WIDTH + width + 6} y={y + BAR_HEIGHT / 2} dominantBaseline="middle" className="bar-count">
                {formatNumber(b.count)}
              </text>
            </g>
          );
        })}
      </svg>
      <details>
        <summary>
          <Text span size="sm">
            {t('chart.values')}
          </Text>
        </summary>
        <Table verticalSpacing={2} aria-label={t('chart.valuesOf', { column: chart.column })} maw={520}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('chart.bucket')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('chart.count')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {buckets.map((b, i) => (
              <Table.Tr key={`${b.label}-${i}`}>
                <Table.Td>{b.label}</Table.Td>
                <Table.Td ta="right">{formatNumber(b.count)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </details>
    </Stack>
  );
}

export function ColumnChart({ dataset, table }: { dataset: DatasetView; table: TableView }) {
  const { t } = useI18n();
  const [column, setColumn] = useState<string | null>(() => defaultChartColumn(table));
  const chart = useChart(dataset, table.name, column);
  const options = table.columns.filter((c) => CHARTABLE.has(c.type)).map((c) => ({ value: c.name, label: c.name }));
  if (options.length === 0) return <Text size="sm">{t('chart.noColumn')}</Text>;
  return (
    <Stack gap="sm">
      <Select
        label={t('chart.column')}
        data={options}
        value={column}
        onChange={setColumn}
        allowDeselect={false}
        searchable
        maw={360}
        nothingFoundMessage={t('chart.noMatch')}
      />
      {column === null ? null : chart.isPending ? (
        <Skeleton h={240} role="status" aria-label={t('app.loading')} />
      ) : chart.isError ? (
        <ErrorState title={t('chart.loadFailed')} error={chart.error} onRetry={() => void chart.refetch()} />
      ) : (
        <BarChart chart={chart.data} />
      )}
    </Stack>
  );
}

import { Select, Skeleton, Stack, Table, Text } from '@mantine/core';
import type { ChartView, DatasetView, TableView } from '@confiance/contract';
import { useState } from 'react';
import { useChart, usePreview } from '../../api/catalog';
import { BarChart, BarTable } from '../../components/BarChart';
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

/** The column's buckets as bars, with their values folded underneath. */
function ColumnBars({ chart }: { chart: ChartView }) {
  const { t, formatNumber } = useI18n();
  const buckets = chart.buckets;
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
      <BarChart bars={buckets} label={label} />
      <details>
        <summary>
          <Text span size="sm">
            {t('chart.values')}
          </Text>
        </summary>
        <BarTable
          bars={buckets}
          label={t('chart.valuesOf', { column: chart.column })}
          labelHeader={t('chart.bucket')}
          countHeader={t('chart.count')}
        />
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
        <ColumnBars chart={chart.data} />
      )}
    </Stack>
  );
}

import { Badge, Group, List, Stack, Table, Text, ThemeIcon } from '@mantine/core';
import type { ColumnView, QualityReportView, TableView } from '@confiance/contract';
import type { ReactNode } from 'react';
import { CheckIcon } from '../../components/Icons';
import { useI18n, type I18n } from '../../i18n';

/**
 * A wide table in a box that scrolls sideways. The box takes the keyboard focus so that people
 * who do not use a mouse can scroll it too (WCAG 2.1.1), and is named for screen readers.
 */
export function ScrollRegion({ label, children, tall }: { label: string; children: ReactNode; tall?: boolean }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={tall ? 'scroll-region scroll-region-tall' : 'scroll-region'}>
      {children}
    </div>
  );
}

/** A cell value as text in the interface's language: numbers grouped, booleans as words, long text cut. */
export function formatCell(i18n: I18n, value: string | number | boolean | null, max = 80): string {
  if (value === null) return '';
  if (typeof value === 'number') return i18n.formatNumber(value);
  if (typeof value === 'boolean') return value ? i18n.t('common.yes') : i18n.t('common.no');
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

export function FlagBadges({ column }: { column: Pick<ColumnView, 'personal' | 'sensitive'> }) {
  const { t } = useI18n();
  return (
    <>
      {column.personal && (
        <Badge size="xs" variant="light" color="orange" tt="none">
          {t('schema.personal')}
        </Badge>
      )}
      {column.sensitive && (
        <Badge size="xs" variant="light" color="red" tt="none">
          {t('schema.sensitive')}
        </Badge>
      )}
    </>
  );
}

/** The columns of one table with what ingestion measured, and what the steward wrote about them. */
export function SchemaTable({ table, caption }: { table: TableView; caption: string }) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const missing = (c: ColumnView) =>
    table.rowCount > 0 ? `${formatNumber(c.nullCount)} (${formatNumber(Math.round((c.nullCount / table.rowCount) * 1000) / 10)} %)` : '0';
  return (
    <ScrollRegion label={caption}>
      <Table verticalSpacing="xs" striped aria-label={caption} miw={900}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('schema.column')}</Table.Th>
            <Table.Th scope="col">{t('schema.type')}</Table.Th>
            <Table.Th scope="col">{t('schema.description')}</Table.Th>
            <Table.Th scope="col">{t('schema.unit')}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('schema.nulls')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('schema.distinct')}
            </Table.Th>
            <Table.Th scope="col">{t('schema.min')}</Table.Th>
            <Table.Th scope="col">{t('schema.max')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.columns.map((c) => (
            <Table.Tr key={c.name}>
              <Table.Th scope="row" fw={500}>
                <Group gap={6} wrap="wrap">
                  <Text span ff="monospace" size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {c.name}
                  </Text>
                  <FlagBadges column={c} />
                </Group>
              </Table.Th>
              <Table.Td>{t(`columnType.${c.type}`)}</Table.Td>
              <Table.Td maw={320}>
                {c.description ?? (
                  <Text span size="sm" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{c.unit ?? ''}</Table.Td>
              <Table.Td ta="right">{missing(c)}</Table.Td>
              <Table.Td ta="right">{formatNumber(c.distinctCount)}</Table.Td>
              <Table.Td>{formatCell(i18n, c.min, 40)}</Table.Td>
              <Table.Td>{formatCell(i18n, c.max, 40)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}

/** What ingestion found wrong in a table: counts first, then the first issues with where they are. */
export function QualityReport({ quality, rowCount }: { quality: QualityReportView; rowCount: number }) {
  const { t } = useI18n();
  if (quality.issueCount === 0 && quality.rejectedRows === 0) {
    return (
      <Group gap="xs">
        <ThemeIcon size="sm" radius="xl" color="teal" variant="light">
          <CheckIcon size={14} />
        </ThemeIcon>
        <Text size="sm">{t('quality.none', { count: rowCount })}</Text>
      </Group>
    );
  }
  const shown = quality.issues.slice(0, 20);
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Badge variant="light" color="orange" tt="none">
          {t('quality.issues', { count: quality.issueCount })}
        </Badge>
        <Badge variant="light" color={quality.rejectedRows > 0 ? 'red' : 'gray'} tt="none">
          {t('quality.rejected', { count: quality.rejectedRows })}
        </Badge>
      </Group>
      <List size="sm" spacing={6}>
        {shown.map((issue, i) => (
          <List.Item key={i}>
            <Text span fw={600} size="sm">
              {t(`quality.kind.${issue.kind}`)}
            </Text>
            {' — '}
            {issue.message}
            {(issue.line !== undefined || issue.column !== undefined || issue.count !== undefined) && (
              <Text span size="xs" c="dimmed">
                {' '}
                (
                {[
                  issue.line !== undefined ? t('quality.line', { line: issue.line }) : null,
                  issue.column !== undefined ? t('quality.column', { column: issue.column }) : null,
                  issue.count !== undefined ? t('quality.count', { count: issue.count }) : null,
                ]
                  .filter(Boolean)
                  .join(', ')}
                )
              </Text>
            )}
            {issue.sample !== undefined && (
              <Text span size="xs" ff="monospace" ml={6}>
                {t('quality.sample', { sample: issue.sample })}
              </Text>
            )}
          </List.Item>
        ))}
      </List>
      {quality.issues.length > shown.length && (
        <Text size="xs" c="dimmed">
          {t('quality.more', { count: quality.issues.length - shown.length })}
        </Text>
      )}
    </Stack>
  );
}

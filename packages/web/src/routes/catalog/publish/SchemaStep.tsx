import { Badge, Button, Checkbox, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { ColumnAnnotationInput, TableView } from '@confiance/contract';
import { useI18n } from '../../../i18n';
import { formatCell, QualityReport, ScrollRegion } from '../SchemaTable';

export interface Annotation {
  description: string;
  unit: string;
  personal: boolean;
  sensitive: boolean;
}

export type Annotations = Record<string, Annotation>;

export const EMPTY_ANNOTATION: Annotation = { description: '', unit: '', personal: false, sensitive: false };

/** Table and column names may hold any character: the pair is encoded, not joined with a separator. */
export function annotationKey(table: string, column: string): string {
  return JSON.stringify([table, column]);
}

/** What the API expects: only the columns the steward said something about. */
export function annotationInputs(tables: TableView[], annotations: Annotations): ColumnAnnotationInput[] {
  return tables.flatMap((table) =>
    table.columns.flatMap((column) => {
      const a = annotations[annotationKey(table.name, column.name)];
      if (!a || (!a.description.trim() && !a.unit.trim() && !a.personal && !a.sensitive)) return [];
      return [
        {
          table: table.name,
          name: column.name,
          description: a.description.trim() || null,
          unit: a.unit.trim() || null,
          personal: a.personal,
          sensitive: a.sensitive,
        },
      ];
    }),
  );
}

function ColumnsEditor({
  table,
  annotations,
  onChange,
}: {
  table: TableView;
  annotations: Annotations;
  onChange: (key: string, annotation: Annotation) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const label = t('publish.schemaOf', { table: table.name });
  return (
    <ScrollRegion label={label}>
      <Table verticalSpacing="sm" aria-label={label} miw={960} className="schema-editor">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('schema.column')}</Table.Th>
            <Table.Th scope="col">{t('publish.stats')}</Table.Th>
            <Table.Th scope="col">{t('publish.examples')}</Table.Th>
            <Table.Th scope="col">{t('schema.description')}</Table.Th>
            <Table.Th scope="col">{t('schema.unit')}</Table.Th>
            <Table.Th scope="col">{t('publish.flags')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.columns.map((column) => {
            const key = annotationKey(table.name, column.name);
            const a = annotations[key] ?? EMPTY_ANNOTATION;
            const set = (patch: Partial<Annotation>) => onChange(key, { ...a, ...patch });
            const range =
              column.min !== null && column.max !== null
                ? t('publish.range', { min: formatCell(i18n, column.min, 24), max: formatCell(i18n, column.max, 24) })
                : null;
            return (
              <Table.Tr key={key}>
                <Table.Th scope="row" fw={500} maw={220}>
                  <Stack gap={4}>
                    <Text span ff="monospace" size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {column.name}
                    </Text>
                    <Badge size="sm" variant="light" color="confiance" tt="none" w="fit-content">
                      {t(`columnType.${column.type}`)}
                    </Badge>
                  </Stack>
                </Table.Th>
                <Table.Td>
                  <Stack gap={0}>
                    <Text size="xs">{t('publish.nulls', { count: column.nullCount })}</Text>
                    <Text size="xs">{t('publish.distinct', { count: column.distinctCount })}</Text>
                    {range && <Text size="xs">{range}</Text>}
                  </Stack>
                </Table.Td>
                <Table.Td maw={180}>
                  <Text size="xs" ff="monospace" lineClamp={3} style={{ overflowWrap: 'anywhere' }}>
                    {column.examples.map((e) => formatCell(i18n, e, 30)).join(' · ')}
                  </Text>
                </Table.Td>
                <Table.Td miw={220}>
                  <TextInput
                    size="xs"
                    aria-label={t('publish.descriptionOf', { column: column.name })}
                    placeholder={t('publish.descriptionPlaceholder')}
                    maxLength={1000}
                    value={a.description}
                    onChange={(e) => set({ description: e.currentTarget.value })}
                  />
                </Table.Td>
                <Table.Td w={120}>
                  <TextInput
                    size="xs"
                    aria-label={t('publish.unitOf', { column: column.name })}
                    placeholder={t('publish.unitPlaceholder')}
                    maxLength={40}
                    value={a.unit}
                    onChange={(e) => set({ unit: e.currentTarget.value })}
                  />
                </Table.Td>
                <Table.Td>
                  <Stack gap={6}>
                    <Checkbox
                      size="xs"
                      label={t('publish.personalShort')}
                      aria-label={t('publish.personalOf', { column: column.name })}
                      checked={a.personal}
                      onChange={(e) => set({ personal: e.currentTarget.checked })}
                    />
                    <Checkbox
                      size="xs"
                      label={t('publish.sensitiveShort')}
                      aria-label={t('publish.sensitiveOf', { column: column.name })}
                      checked={a.sensitive}
                      onChange={(e) => set({ sensitive: e.currentTarget.checked })}
                    />
                  </Stack>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}

/** Step 2: the schema ingestion inferred, to describe and flag column by column; the quality report beside it. */
export function SchemaStep({
  tables,
  annotations,
  onChange,
  onBack,
  onContinue,
}: {
  tables: TableView[];
  annotations: Annotations;
  onChange: (key: string, annotation: Annotation) => void;
  onBack: () => void;
  onContinue: () => void;
}) {
  const { t, formatNumber } = useI18n();
  return (
    <Stack gap="xl">
      <Text size="sm" c="dimmed" maw={760}>
        {t('publish.schemaIntro')}
      </Text>
      {tables.map((table) => (
        <Stack key={table.name} gap="md">
          <Title order={2} size="h4">
            {t('publish.tableTitle', { table: table.name, rows: formatNumber(table.rowCount), count: table.columns.length })}
          </Title>
          <ColumnsEditor table={table} annotations={annotations} onChange={onChange} />
          <Stack gap="xs">
            <Title order={3} size="h5">
              {t('dataset.quality')}
            </Title>
            <QualityReport quality={table.quality} rowCount={table.rowCount} />
          </Stack>
        </Stack>
      ))}
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          {t('publish.back')}
        </Button>
        <Button onClick={onContinue}>{t('publish.next')}</Button>
      </Group>
    </Stack>
  );
}

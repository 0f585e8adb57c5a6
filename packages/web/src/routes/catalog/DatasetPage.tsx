import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Grid,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { LICENCES, type DatasetView } from '@confiance/contract';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useDataset, useDatasetVersions } from '../../api/catalog';
import { ErrorState } from '../../components/ErrorState';
import { isApiError } from '../../components/errors';
import { AlertIcon, InfoIcon, LockIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { StatePage } from '../../components/StatePage';
import { usePageTitle } from '../../components/usePageTitle';
import { Value } from '../../components/Value';
import { useI18n, type MessageKey } from '../../i18n';
import { CoverageMap } from './CoverageMap';
import { ColumnChart, PreviewTable } from './DataPreview';
import { AccessBadge, formatBytes, licenceFullLabel, StatusBadge } from './labels';
import { ManageActions } from './ManageActions';
import { OffersSection } from '../policies/OffersSection';
import { QUERY_SECTION_ID, QuerySection } from './query/QuerySection';
import { ApiSnippets, Downloads } from './ReuseSection';
import { QualityReport, SchemaTable } from './SchemaTable';

function Row({ label, children }: { label: MessageKey; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Table.Tr>
      <Table.Th scope="row">{t(label)}</Table.Th>
      <Table.Td>
        <Value>{children}</Value>
      </Table.Td>
    </Table.Tr>
  );
}

function Section({ id, title, intro, children }: { id: string; title: string; intro: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby={id}>
      <Stack gap="md">
        <SectionHeading id={id} title={title} intro={intro} />
        {children}
      </Stack>
    </Paper>
  );
}

function Temporal({ temporal }: { temporal: DatasetView['temporal'] }) {
  const { t, formatDate } = useI18n();
  if (!temporal) return null;
  return (
    <>
      {temporal.end
        ? t('dataset.temporalRange', { start: formatDate(temporal.start), end: formatDate(temporal.end) })
        : t('dataset.temporalOpen', { start: formatDate(temporal.start) })}
    </>
  );
}

function InformationCard({ dataset }: { dataset: DatasetView }) {
  const { t, formatDate, formatNumber } = useI18n();
  const licence = LICENCES[dataset.licence];
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="information-title" h="100%">
      <Title order={2} size="h3" id="information-title" mb="sm">
        {t('dataset.information')}
      </Title>
      <Table variant="vertical" layout="fixed" className="identity-table" verticalSpacing="xs">
        <Table.Tbody>
          <Row label="dataset.publisher">
            <Anchor component={Link} to={`/organisations/${dataset.publisher.slug}`} size="sm">
              {dataset.publisher.name}
            </Anchor>
          </Row>
          <Row label="dataset.licence">
            <Stack gap={2}>
              {licence.url ? (
                <Anchor href={licence.url} target="_blank" rel="noopener noreferrer" size="sm">
                  {licenceFullLabel(t, dataset.licence)}
                  <VisuallyHidden> {t('common.newTab')}</VisuallyHidden>
                </Anchor>
              ) : (
                <Text size="sm">{licenceFullLabel(t, dataset.licence)}</Text>
              )}
              <Text size="xs" c="dimmed">
                {licence.commercialUse ? t('licence.commercialAllowed') : t('licence.commercialForbidden')}
                {licence.shareAlike ? ` ${t('licence.shareAlike')}` : ''}
              </Text>
            </Stack>
          </Row>
          <Row label="dataset.attribution">{dataset.attribution}</Row>
          <Row label="dataset.accessLevel">
            <Stack gap={4} align="flex-start">
              <AccessBadge level={dataset.accessLevel} />
              <Text size="sm">{t(`access.explain.${dataset.accessLevel}`)}</Text>
            </Stack>
          </Row>
          <Row label="dataset.temporal">{dataset.temporal ? <Temporal temporal={dataset.temporal} /> : null}</Row>
          <Row label="dataset.frequency">{dataset.frequency ? t(`frequency.${dataset.frequency}`) : null}</Row>
          <Row label="dataset.themes">{dataset.themes.length ? dataset.themes.map((th) => t(`themes.${th}`)).join(', ') : null}</Row>
          <Row label="dataset.domains">{dataset.domains.length ? dataset.domains.map((d) => t(`domains.${d}`)).join(', ') : null}</Row>
          <Row label="dataset.contact">
            {dataset.contactPoint ? (
              <>
                {dataset.contactPoint.name} ·{' '}
                <Anchor href={`mailto:${dataset.contactPoint.email}`} size="sm">
                  {dataset.contactPoint.email}
                </Anchor>
              </>
            ) : null}
          </Row>
          <Row label="dataset.issued">{formatDate(dataset.issued)}</Row>
          <Row label="dataset.modified">{formatDate(dataset.modified)}</Row>
          <Row label="dataset.version">
            {t('dataset.versionSummary', {
              number: dataset.version.number,
              rows: formatNumber(dataset.version.rowCount),
            })}
          </Row>
          <Row label="dataset.uri">
            <Text span size="xs" ff="monospace">
              {dataset.uri}
            </Text>
          </Row>
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function SpatialSection({ spatial }: { spatial: DatasetView['spatial'] }) {
  const { t } = useI18n();
  return (
    <Section id="spatial-title" title={t('dataset.spatial')} intro={t('dataset.spatialIntro')}>
      {spatial.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('dataset.spatialNone')}
        </Text>
      ) : (
        <>
          <CoverageMap spatial={spatial} />
          <ul className="plain-list area-list">
            {spatial.map((a) => (
              <li key={`${a.level}-${a.code}`}>
                <Text size="sm" span>
                  {a.name}{' '}
                  <Text span size="xs" c="dimmed">
                    ({t(`geo.level.${a.level}`)} {a.code})
                  </Text>
                </Text>
              </li>
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}

function VersionsTable({ slug }: { slug: string }) {
  const { t, formatDateTime, formatNumber, locale } = useI18n();
  const versions = useDatasetVersions(slug);
  if (versions.isPending) return <Skeleton h={80} role="status" aria-label={t('app.loading')} />;
  if (versions.isError)
    return <ErrorState title={t('versions.loadFailed')} error={versions.error} onRetry={() => void versions.refetch()} />;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" aria-label={t('versions.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('versions.number')}</Table.Th>
            <Table.Th scope="col">{t('versions.publishedAt')}</Table.Th>
            <Table.Th scope="col">{t('versions.notes')}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('versions.rows')}
            </Table.Th>
            <Table.Th scope="col">{t('versions.source')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.data.items.map((v) => (
            <Table.Tr key={v.number}>
              <Table.Td>{v.number}</Table.Td>
              <Table.Td>{formatDateTime(v.publishedAt)}</Table.Td>
              <Table.Td>
                <Value>{v.notes}</Value>
              </Table.Td>
              <Table.Td ta="right">{formatNumber(v.rowCount)}</Table.Td>
              <Table.Td>
                <Text span size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {v.source.fileName}
                </Text>{' '}
                <Text span size="xs" c="dimmed">
                  ({formatBytes(v.source.byteSize, locale)})
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PageSkeleton() {
  const { t } = useI18n();
  return (
    <Stack gap="md" role="status" aria-label={t('app.loading')}>
      <Skeleton h={14} w={200} />
      <Skeleton h={36} w="60%" />
      <Skeleton h={18} w="40%" />
      <Grid gap="lg" mt="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Skeleton h={260} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Skeleton h={260} />
        </Grid.Col>
      </Grid>
      <Skeleton h={320} />
    </Stack>
  );
}

export function DatasetPage() {
  const { t, locale, formatDate } = useI18n();
  const { slug = '' } = useParams();
  const dataset = useDataset(slug);
  const [tableName, setTableName] = useState<string | null>(null);
  const title = dataset.data ? (locale === 'en' && dataset.data.title.en) || dataset.data.title.fr : undefined;
  usePageTitle(title);

  if (isApiError(dataset.error, 'not_found')) {
    return (
      <StatePage
        title={t('dataset.notFoundTitle')}
        body={t('dataset.notFoundBody')}
        icon={<InfoIcon size={24} />}
        action={{ label: t('dataset.backToCatalog'), to: '/datasets' }}
      />
    );
  }
  if (dataset.isPending) return <PageSkeleton />;
  if (dataset.isError) return <ErrorState title={t('dataset.loadFailed')} error={dataset.error} onRetry={() => void dataset.refetch()} />;

  const ds = dataset.data;
  const description = (locale === 'en' && ds.description.en) || ds.description.fr;
  const tables = ds.version.tables;
  const table = tables.find((tb) => tb.name === tableName) ?? tables[0];

  return (
    <Stack gap="lg">
      <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
        <Anchor component={Link} to="/datasets" size="sm">
          {t('nav.catalog')}
        </Anchor>
        <Text size="sm" aria-current="page" lineClamp={1}>
          {title}
        </Text>
      </Breadcrumbs>

      <Group justify="space-between" align="flex-start" gap="md">
        <Stack gap={6} style={{ flex: '1 1 480px', minWidth: 0 }}>
          <Group gap="xs">
            <AccessBadge level={ds.accessLevel} size="md" />
            <StatusBadge status={ds.status} />
          </Group>
          <Title order={1}>{title}</Title>
          <Text c="dimmed">
            {t('catalog.by')}{' '}
            <Anchor component={Link} to={`/organisations/${ds.publisher.slug}`}>
              {ds.publisher.name}
            </Anchor>
          </Text>
        </Stack>
        <Group gap="sm">
          {ds.status !== 'withdrawn' && (
            <Button component="a" href={`#${QUERY_SECTION_ID}`} variant="light">
              {t('query.title')}
            </Button>
          )}
          <ManageActions dataset={ds} />
        </Group>
      </Group>

      {ds.withdrawal && (
        <Alert color="red" variant="light" icon={<AlertIcon />} title={t('dataset.withdrawnTitle', { date: formatDate(ds.withdrawal.at) })}>
          {t('dataset.withdrawnBody', { reason: ds.withdrawal.reason })}
        </Alert>
      )}
      {ds.deprecation && !ds.withdrawal && (
        <Alert
          color="yellow"
          variant="light"
          icon={<AlertIcon />}
          title={t('dataset.deprecatedTitle', { date: formatDate(ds.deprecation.at) })}
        >
          {t('dataset.deprecatedBody', { note: ds.deprecation.note })}
        </Alert>
      )}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="description-title">
              <Stack gap="sm">
                <Title order={2} size="h3" id="description-title">
                  {t('dataset.description')}
                </Title>
                <Text style={{ whiteSpace: 'pre-line' }}>{description}</Text>
                {ds.keywords.length > 0 && (
                  <Group gap={6} mt="xs" aria-label={t('dataset.keywords')} role="list">
                    {ds.keywords.map((k) => (
                      <Badge key={k} variant="default" size="sm" tt="none" fw={500} role="listitem">
                        {k}
                      </Badge>
                    ))}
                  </Group>
                )}
              </Stack>
            </Paper>
            <SpatialSection spatial={ds.spatial} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <InformationCard dataset={ds} />
        </Grid.Col>
      </Grid>

      {ds.status !== 'withdrawn' && <OffersSection dataset={ds} />}

      {table && (
        <Section id="data-title" title={t('dataset.data')} intro={t('dataset.dataIntro', { count: tables.length })}>
          {tables.length > 1 && (
            <Select
              label={t('dataset.table')}
              data={tables.map((tb) => ({ value: tb.name, label: tb.name }))}
              value={table.name}
              onChange={setTableName}
              allowDeselect={false}
              maw={360}
            />
          )}
          <Stack gap="xs">
            <Title order={3} size="h4">
              {t('dataset.schema')}
            </Title>
            <SchemaTable table={table} caption={t('dataset.schemaOf', { table: table.name })} />
          </Stack>
          <Stack gap="xs">
            <Title order={3} size="h4">
              {t('dataset.quality')}
            </Title>
            <QualityReport quality={table.quality} rowCount={table.rowCount} />
          </Stack>
          {ds.access.preview ? (
            <>
              <Stack gap="xs">
                <Title order={3} size="h4">
                  {t('dataset.preview')}
                </Title>
                <PreviewTable key={`${ds.version.number}-${table.name}`} dataset={ds} table={table} />
              </Stack>
              <Stack gap="xs">
                <Title order={3} size="h4">
                  {t('dataset.chart')}
                </Title>
                <ColumnChart key={`${ds.version.number}-${table.name}`} dataset={ds} table={table} />
              </Stack>
            </>
          ) : (
            <Alert color="gray" variant="light" icon={<LockIcon />} title={t('dataset.noPreview')}>
              {ds.access.reason ?? t(`access.explain.${ds.accessLevel}`)}
            </Alert>
          )}
        </Section>
      )}

      {ds.status !== 'withdrawn' && <QuerySection dataset={ds} />}

      <Section id="reuse-title" title={t('dataset.reuse')} intro={t('dataset.reuseIntro')}>
        {ds.access.download && table ? (
          <Downloads dataset={ds} table={table.name} />
        ) : (
          <Text size="sm">{ds.access.reason ?? t('dataset.noDownload')}</Text>
        )}
        <ApiSnippets dataset={ds} />
      </Section>

      <Section id="versions-title" title={t('versions.title')} intro={t('versions.intro', { count: ds.versionCount })}>
        <VersionsTable slug={ds.slug} />
      </Section>
    </Stack>
  );
}

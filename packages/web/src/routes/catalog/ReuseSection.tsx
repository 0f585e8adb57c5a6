import { ActionIcon, Button, Code, CopyButton, Group, Stack, Text, Tooltip } from '@mantine/core';
import type { DatasetView } from '@confiance/contract';
import { api } from '../../api/client';
import { CheckIcon, CopyIcon } from '../../components/Icons';
import { useI18n } from '../../i18n';
import { formatBytes } from './labels';

const DOWNLOAD_FORMATS = ['parquet', 'csv', 'original'] as const;

/** Download links: the session cookie goes with them, and the server checks the access level again. */
export function Downloads({ dataset, table }: { dataset: DatasetView; table: string }) {
  const { t, locale } = useI18n();
  const version = dataset.version.number;
  const source = dataset.version.source;
  return (
    <Group gap="sm">
      {DOWNLOAD_FORMATS.map((format) => {
        const url = api.datasets.downloadUrl(dataset.slug, { version, format, ...(format === 'original' ? {} : { table }) });
        return (
          <Button
            key={format}
            component="a"
            href={url.pathname + url.search}
            download
            variant={format === 'parquet' ? 'filled' : 'default'}
            aria-label={t(`download.${format}Label`, { table, file: source.fileName })}
          >
            {format === 'original'
              ? t('download.original', { format: source.format.toUpperCase(), size: formatBytes(source.byteSize, locale) })
              : t(`download.${format}`)}
          </Button>
        );
      })}
    </Group>
  );
}

function Snippet({ label, code }: { label: string; code: string }) {
  const { t } = useI18n();
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <CopyButton value={code} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('common.copied') : t('snippet.copy')} withArrow position="left">
              <ActionIcon
                variant={copied ? 'filled' : 'light'}
                color={copied ? 'teal' : undefined}
                onClick={copy}
                aria-label={t('snippet.copyLabel', { what: label })}
              >
                {copied ? <CheckIcon size={16} /> : <CopyIcon size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
      <Code block className="snippet">
        {code}
      </Code>
    </Stack>
  );
}

/** Ready-to-copy commands: the API with curl, and the `confiance` command line. */
export function ApiSnippets({ dataset }: { dataset: DatasetView }) {
  const { t } = useI18n();
  const origin = window.location.origin;
  // Metadata is public; data needs a token (created on the profile page) unless it is open.
  const auth = dataset.accessLevel === 'open' ? '' : ' \\\n  -H "Authorization: Bearer $CONFIANCE_TOKEN"';
  const table =
    dataset.version.tables.length > 1 && dataset.version.tables[0] ? `&table=${encodeURIComponent(dataset.version.tables[0].name)}` : '';
  const curl = [
    `curl ${origin}/api/v1/datasets/${dataset.slug}`,
    ...(dataset.accessLevel !== 'aggregate_only'
      ? [`curl -L -o ${dataset.slug}.parquet${auth} \\\n  "${origin}/api/v1/datasets/${dataset.slug}/download?format=parquet${table}"`]
      : []),
  ].join('\n\n');
  const cli = [
    `confiance datasets show ${dataset.slug}`,
    ...(dataset.accessLevel !== 'aggregate_only' ? [`confiance datasets download ${dataset.slug}`] : []),
  ].join('\n');
  return (
    <Stack gap="md">
      <Snippet label={t('snippet.curl')} code={curl} />
      <Snippet label={t('snippet.cli')} code={cli} />
      {auth && dataset.accessLevel !== 'aggregate_only' && (
        <Text size="xs" c="dimmed">
          {t('snippet.tokenHint')}
        </Text>
      )}
    </Stack>
  );
}

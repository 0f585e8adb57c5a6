import { Alert, Button, Group, Paper, Progress, Select, Stack, Text, ThemeIcon } from '@mantine/core';
import type { UploadView } from '@confiance/contract';
import { useRef, useState, type DragEvent } from 'react';
import type { SendProgress } from '../../../api/catalog';
import { FormError } from '../../../components/ErrorState';
import { AlertIcon, CheckIcon, InboxIcon } from '../../../components/Icons';
import { useI18n } from '../../../i18n';
import { formatBytes } from '../labels';
import type { PublishableOrganisation } from '../publishers';

/** Formats the ingestion reads (the server decides from the name and the content). */
const ACCEPT = '.csv,.tsv,.txt,.json,.ndjson,.jsonl,.geojson,.parquet,.zip';

interface FileStepProps {
  /** Organisations to choose from; absent for a new version (the dataset's publisher publishes it). */
  organisations?: PublishableOrganisation[];
  organisation: string | null;
  onOrganisation: (slug: string | null) => void;
  file: File | null;
  onFile: (file: File) => void;
  onCancel: () => void;
  /** Bytes sent so far, while the browser is sending. */
  sending: SendProgress | null;
  sendError: unknown;
  upload: UploadView | undefined;
  uploadError: unknown;
  onRetryStatus: () => void;
  onContinue: () => void;
}

function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
}

/** Step 1: choose the organisation and the file; follow it to the node, then through its conversion. */
export function FileStep(props: FileStepProps) {
  const { t, locale, formatNumber } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const { file, sending, upload } = props;
  const busy = sending !== null || upload?.status === 'ingesting';
  const needsOrganisation = props.organisations !== undefined && props.organisation === null;

  const choose = (files: FileList | null) => {
    const chosen = files?.[0];
    if (chosen && !busy) props.onFile(chosen);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    if (!needsOrganisation) choose(event.dataTransfer.files);
  };

  const phase = upload?.progress?.phase ?? 'receiving';
  const sendingLabel = sending
    ? t('publish.sending', { sent: formatBytes(sending.loaded, locale), total: formatBytes(sending.total, locale) })
    : '';
  const convertingLabel = t('publish.converting', { phase: t(`ingest.phase.${phase}`) });
  const tables = upload?.tables ?? [];
  const rows = tables.reduce((n, tb) => n + tb.rowCount, 0);
  const columns = tables.reduce((n, tb) => n + tb.columns.length, 0);

  return (
    <Stack gap="lg">
      {props.organisations && props.organisations.length > 1 && (
        <Select
          label={t('publish.organisation')}
          description={t('publish.organisationHint')}
          placeholder={t('publish.organisationPlaceholder')}
          data={props.organisations.map((o) => ({ value: o.slug, label: o.name }))}
          value={props.organisation}
          onChange={props.onOrganisation}
          required
          allowDeselect={false}
          maw={480}
          disabled={busy}
        />
      )}

      <div
        className="drop-zone"
        data-dragging={dragging || undefined}
        data-disabled={needsOrganisation || busy || undefined}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <Stack align="center" gap="xs">
          <ThemeIcon size={48} radius="xl" variant="light">
            <InboxIcon size={26} />
          </ThemeIcon>
          <Text fw={600}>{t('publish.dropTitle')}</Text>
          <Text size="sm" c="dimmed" ta="center" maw={460}>
            {t('publish.dropHint')}
          </Text>
          <input
            ref={input}
            type="file"
            accept={ACCEPT}
            hidden
            data-testid="file-input"
            onChange={(e) => {
              choose(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
          <Button onClick={() => input.current?.click()} disabled={needsOrganisation || busy} mt="xs">
            {file ? t('publish.chooseAnother') : t('publish.choose')}
          </Button>
          {needsOrganisation && (
            <Text size="xs" c="dimmed">
              {t('publish.organisationFirst')}
            </Text>
          )}
        </Stack>
      </div>

      {file && (
        <Paper withBorder radius="md" p="md" aria-live="polite">
          <Stack gap="sm">
            <Group justify="space-between" gap="xs">
              <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                {file.name}
              </Text>
              <Text size="sm" c="dimmed">
                {formatBytes(file.size, locale)}
              </Text>
            </Group>

            {sending && (
              <Stack gap={4}>
                <Text size="sm">{sendingLabel}</Text>
                {/* Mantine names the progress bar itself only through aria-label. */}
                <Progress value={percent(sending.loaded, sending.total)} aria-label={sendingLabel} animated size="lg" />
                <Group>
                  <Button variant="default" size="xs" onClick={props.onCancel}>
                    {t('publish.cancelSend')}
                  </Button>
                </Group>
              </Stack>
            )}

            <FormError error={props.sendError} title={t('publish.sendFailed')} />

            {upload?.status === 'ingesting' && (
              <Stack gap={4}>
                <Text size="sm">
                  {convertingLabel}
                  {upload.progress && upload.progress.total > 0 ? ` — ${percent(upload.progress.done, upload.progress.total)} %` : ''}
                </Text>
                <Progress
                  value={upload.progress && upload.progress.total > 0 ? percent(upload.progress.done, upload.progress.total) : 100}
                  aria-label={convertingLabel}
                  striped
                  animated
                  size="lg"
                  color="teal"
                />
              </Stack>
            )}

            {props.uploadError ? (
              <Alert color="red" variant="light" icon={<AlertIcon />} role="alert" title={t('publish.statusFailed')}>
                <Button size="xs" variant="default" onClick={props.onRetryStatus}>
                  {t('common.retry')}
                </Button>
              </Alert>
            ) : null}

            {upload?.status === 'failed' && upload.error && (
              <Alert color="red" variant="light" icon={<AlertIcon />} role="alert" title={t('publish.convertFailed')}>
                <Stack gap={4}>
                  <Text size="sm">{upload.error.message}</Text>
                  {(upload.error.line !== null || upload.error.column !== null) && (
                    <Text size="sm" fw={600}>
                      {[
                        upload.error.line !== null ? t('quality.line', { line: upload.error.line }) : null,
                        upload.error.column !== null ? t('quality.column', { column: upload.error.column }) : null,
                      ]
                        .filter(Boolean)
                        .join(', ')}
                    </Text>
                  )}
                  <Text size="xs" c="dimmed">
                    {t('publish.convertFailedHint')}
                  </Text>
                </Stack>
              </Alert>
            )}

            {upload?.status === 'ready' && (
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <ThemeIcon size="md" radius="xl" color="teal" variant="light">
                  <CheckIcon size={16} />
                </ThemeIcon>
                <Stack gap={2}>
                  <Text size="sm" fw={600}>
                    {t('publish.ready', { rows: formatNumber(rows), columns: formatNumber(columns), count: tables.length })}
                  </Text>
                  {upload.source && (
                    <Text size="xs" c="dimmed">
                      {[
                        upload.source.format.toUpperCase(),
                        upload.source.encoding ? t('publish.encoding', { encoding: upload.source.encoding }) : null,
                        upload.source.delimiter
                          ? t('publish.delimiter', { delimiter: upload.source.delimiter === '\t' ? 'tab' : upload.source.delimiter })
                          : null,
                        upload.source.decimalComma ? t('publish.decimalComma') : null,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </Text>
                  )}
                </Stack>
              </Group>
            )}
          </Stack>
        </Paper>
      )}

      <Group justify="flex-end">
        <Button onClick={props.onContinue} disabled={upload?.status !== 'ready' || needsOrganisation}>
          {t('publish.next')}
        </Button>
      </Group>
    </Stack>
  );
}

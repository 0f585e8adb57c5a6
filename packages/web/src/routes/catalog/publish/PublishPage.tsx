import { Anchor, Breadcrumbs, Button, Group, Paper, Skeleton, Stack, Stepper, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { schemaImpactSchema, type DatasetView, type SchemaImpact, type TableView } from '@confiance/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import {
  catalogKeys,
  useDataset,
  usePublishDataset,
  usePublishVersion,
  useSendFile,
  useUpload,
  type SendProgress,
} from '../../../api/catalog';
import { ErrorState, FormError } from '../../../components/ErrorState';
import { isApiError } from '../../../components/errors';
import { InfoIcon, LockIcon } from '../../../components/Icons';
import { StatePage } from '../../../components/StatePage';
import { usePageTitle } from '../../../components/usePageTitle';
import { useI18n } from '../../../i18n';
import { usePublishableOrganisations } from '../publishers';
import { FileStep } from './FileStep';
import { EMPTY_METADATA, MetadataStep, type MetadataValues } from './MetadataStep';
import { SchemaChangeDialog } from './SchemaChangeDialog';
import { annotationInputs, annotationKey, SchemaStep, type Annotation, type Annotations } from './SchemaStep';

/** A new version keeps what the steward already wrote about columns that are still there. */
function initialAnnotations(tables: TableView[], previous: DatasetView | undefined): Annotations {
  const out: Annotations = {};
  for (const table of tables) {
    const before = previous?.version.tables.find((tb) => tb.name === table.name) ?? previous?.version.tables[0];
    for (const column of table.columns) {
      const known = before?.columns.find((c) => c.name === column.name);
      const source = known ?? column;
      out[annotationKey(table.name, column.name)] = {
        description: source.description ?? '',
        unit: source.unit ?? '',
        personal: source.personal,
        sensitive: source.sensitive,
      };
    }
  }
  return out;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function Flow({ dataset }: { dataset?: DatasetView }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const organisations = usePublishableOrganisations();
  const [step, setStep] = useState(0);
  const [organisation, setOrganisation] = useState<string | null>(organisations.length === 1 ? (organisations[0]?.slug ?? null) : null);
  const [file, setFile] = useState<File | null>(null);
  const [sending, setSending] = useState<SendProgress | null>(null);
  const [uploadId, setUploadId] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const send = useSendFile();
  const upload = useUpload(uploadId);
  const [annotations, setAnnotations] = useState<Annotations>({});
  const [metadata, setMetadata] = useState<MetadataValues>(EMPTY_METADATA);
  const [versionNotes, setVersionNotes] = useState('');
  const [impact, setImpact] = useState<SchemaImpact | null>(null);
  const publish = usePublishDataset();
  const publishVersion = usePublishVersion(dataset?.slug ?? '');

  const tables = upload.data?.status === 'ready' ? upload.data.tables : [];
  const ready = upload.data?.status === 'ready';

  // Annotations start from what ingestion found (and, for a version, what the steward wrote before).
  useEffect(() => {
    if (ready) setAnnotations(initialAnnotations(tables, dataset));
  }, [ready, uploadId]);

  useEffect(() => () => abort.current?.abort(), []);

  const onFile = (chosen: File) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setFile(chosen);
    setUploadId(null);
    send.reset();
    setSending({ loaded: 0, total: chosen.size });
    send.mutate(
      { file: chosen, onProgress: setSending, signal: controller.signal },
      {
        onSuccess: (created) => {
          queryClient.setQueryData(catalogKeys.upload(created.id), created);
          setUploadId(created.id);
        },
        onSettled: () => setSending(null),
      },
    );
  };

  const done = (published: DatasetView) => {
    notifications.show({ color: 'teal', message: t(dataset ? 'publish.versionPublished' : 'publish.published') });
    void navigate(`/datasets/${published.slug}`);
  };

  const columns = annotationInputs(tables, annotations);
  const sendVersion = (confirmSchemaChange: boolean) => {
    if (!dataset || !uploadId) return;
    publishVersion.mutate(
      { upload: uploadId, columns, versionNotes: versionNotes.trim() || null, confirmSchemaChange },
      {
        onSuccess: done,
        onError: (error) => {
          if (isApiError(error, 'schema_change_unconfirmed')) {
            const parsed = schemaImpactSchema.safeParse(error.details);
            setImpact(parsed.success ? parsed.data : { changes: [], affected: [] });
          }
        },
      },
    );
  };

  const publishError = isApiError(publishVersion.error, 'schema_change_unconfirmed')
    ? null
    : dataset
      ? publishVersion.error
      : publish.error;

  return (
    <>
      <Stepper active={step} onStepClick={setStep} allowNextStepsSelect={false} size="sm">
        <Stepper.Step label={t('publish.step.file')} description={t('publish.step.fileHint')}>
          <Paper withBorder radius="md" p="lg" mt="md">
            <FileStep
              {...(dataset ? {} : { organisations })}
              organisation={dataset ? dataset.publisher.slug : organisation}
              onOrganisation={setOrganisation}
              file={file}
              onFile={onFile}
              onCancel={() => abort.current?.abort()}
              sending={sending}
              sendError={isAbort(send.error) ? null : send.error}
              upload={upload.data}
              uploadError={upload.isError ? upload.error : null}
              onRetryStatus={() => void upload.refetch()}
              onContinue={() => setStep(1)}
            />
          </Paper>
        </Stepper.Step>
        <Stepper.Step label={t('publish.step.schema')} description={t('publish.step.schemaHint')}>
          <Paper withBorder radius="md" p="lg" mt="md">
            <SchemaStep
              tables={tables}
              annotations={annotations}
              onChange={(key: string, annotation: Annotation) => setAnnotations((all) => ({ ...all, [key]: annotation }))}
              onBack={() => setStep(0)}
              onContinue={() => setStep(2)}
            />
          </Paper>
        </Stepper.Step>
        <Stepper.Step
          label={dataset ? t('publish.step.version') : t('publish.step.metadata')}
          description={dataset ? t('publish.step.versionHint') : t('publish.step.metadataHint')}
        >
          <Paper withBorder radius="md" p="lg" mt="md">
            {dataset ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  sendVersion(false);
                }}
              >
                <Stack gap="md">
                  <Text size="sm">{t('publish.versionIntro', { number: dataset.currentVersion + 1 })}</Text>
                  <Textarea
                    label={t('publish.versionNotes')}
                    description={t('publish.versionNotesHint')}
                    autosize
                    minRows={3}
                    maxLength={2000}
                    value={versionNotes}
                    onChange={(e) => setVersionNotes(e.currentTarget.value)}
                  />
                  <FormError error={publishError} />
                  <Group justify="space-between">
                    <Button variant="default" onClick={() => setStep(1)}>
                      {t('publish.back')}
                    </Button>
                    <Button type="submit" loading={publishVersion.isPending}>
                      {t('publish.submitVersion')}
                    </Button>
                  </Group>
                </Stack>
              </form>
            ) : (
              <MetadataStep
                initial={metadata}
                onChange={setMetadata}
                onBack={() => setStep(1)}
                publishing={publish.isPending}
                error={publishError}
                onPublish={(values) => {
                  if (!organisation || !uploadId) return;
                  publish.mutate({ ...values, organisation, upload: uploadId, columns }, { onSuccess: done });
                }}
              />
            )}
          </Paper>
        </Stepper.Step>
      </Stepper>
      <SchemaChangeDialog
        impact={impact}
        loading={publishVersion.isPending}
        onClose={() => {
          setImpact(null);
          publishVersion.reset();
        }}
        onConfirm={() => {
          setImpact(null);
          sendVersion(true);
        }}
      />
    </>
  );
}

function Header({ dataset }: { dataset?: DatasetView }) {
  const { t } = useI18n();
  return (
    <Stack gap="sm">
      <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
        <Anchor component={Link} to="/datasets" size="sm">
          {t('nav.catalog')}
        </Anchor>
        {dataset && (
          <Anchor component={Link} to={`/datasets/${dataset.slug}`} size="sm">
            {dataset.title.fr}
          </Anchor>
        )}
        <Text size="sm" aria-current="page">
          {dataset ? t('publish.versionTitle') : t('publish.title')}
        </Text>
      </Breadcrumbs>
      <div>
        <Title order={1}>{dataset ? t('publish.versionHeading', { title: dataset.title.fr }) : t('publish.heading')}</Title>
        <Text c="dimmed" mt={4} maw={760}>
          {dataset ? t('publish.versionLead') : t('publish.lead')}
        </Text>
      </div>
    </Stack>
  );
}

/** `/publier` publishes a new dataset; `/publier?dataset=<slug>` a new version of one. */
export function PublishPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const slug = params.get('dataset') ?? '';
  const organisations = usePublishableOrganisations();
  const existing = useDataset(slug);
  usePageTitle(slug ? t('publish.versionTitle') : t('publish.title'));

  if (!slug && organisations.length === 0) {
    return (
      <StatePage
        title={t('publish.forbiddenTitle')}
        body={t('publish.forbiddenBody')}
        icon={<LockIcon size={24} />}
        action={{ label: t('dataset.backToCatalog'), to: '/datasets' }}
      />
    );
  }
  if (slug) {
    if (isApiError(existing.error, 'not_found')) {
      return (
        <StatePage
          title={t('dataset.notFoundTitle')}
          body={t('dataset.notFoundBody')}
          icon={<InfoIcon size={24} />}
          action={{ label: t('dataset.backToCatalog'), to: '/datasets' }}
        />
      );
    }
    if (existing.isPending) return <Skeleton h={320} role="status" aria-label={t('app.loading')} />;
    if (existing.isError)
      return <ErrorState title={t('dataset.loadFailed')} error={existing.error} onRetry={() => void existing.refetch()} />;
    if (!existing.data.canManage || existing.data.status === 'withdrawn') {
      return (
        <StatePage
          title={t('publish.forbiddenTitle')}
          body={existing.data.status === 'withdrawn' ? t('publish.withdrawnBody') : t('publish.forbiddenVersionBody')}
          icon={<LockIcon size={24} />}
          action={{ label: t('dataset.backToDataset'), to: `/datasets/${existing.data.slug}` }}
        />
      );
    }
  }
  const dataset = slug ? existing.data : undefined;
  return (
    <Stack gap="lg">
      <Header {...(dataset ? { dataset } : {})} />
      <Flow key={slug} {...(dataset ? { dataset } : {})} />
    </Stack>
  );
}

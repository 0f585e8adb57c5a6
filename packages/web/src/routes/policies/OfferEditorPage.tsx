import { Alert, Anchor, Breadcrumbs, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  datasetFacts,
  LICENCES,
  minimumAgreement,
  OFFER_TEMPLATES,
  templateDefaults,
  type CharterRules,
  type DatasetView,
  type OfferTemplate,
  type OfferView,
  type PolicyRefs,
} from '@confiance/contract';
import { useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useDataset } from '../../api/catalog';
import { useCharterSignatures, useCreateOffer, useCurrentCharter, useOffer, useUpdateOffer } from '../../api/policies';
import { ErrorState } from '../../components/ErrorState';
import { isApiError } from '../../components/errors';
import { AlertIcon, InfoIcon, LockIcon } from '../../components/Icons';
import { StatePage } from '../../components/StatePage';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { licenceLabel } from '../catalog/labels';
import { readableTitle, templateText } from './labels';
import { formValues, OfferForm, type OfferFormValues } from './OfferForm';

/** Without a published charter only the dataset's own limits apply. */
const NO_CHARTER: CharterRules = {
  signatureRequired: false,
  personalDataAggregateOnly: false,
  personalDataEthicsReview: false,
  prohibitedActions: [],
  favouredPurposes: [],
};

/**
 * The IRIs the offer's policy names: the dataset's, its publisher's (the node's organisation
 * URIs sit beside its dataset URIs) and the offer's own (a new offer's is given by the node).
 */
function refsFor(dataset: DatasetView, offer: OfferView | null): PolicyRefs {
  const base = dataset.uri.slice(0, dataset.uri.lastIndexOf('/datasets/'));
  return {
    dataset: dataset.uri,
    provider: `${base}/organisations/${dataset.publisher.slug}`,
    offer: offer?.uri ?? `${base}/offers/nouvelle`,
  };
}

function EditorSkeleton() {
  const { t } = useI18n();
  return (
    <Stack gap="md" role="status" aria-label={t('app.loading')}>
      <Skeleton h={14} w={240} />
      <Skeleton h={36} w="50%" />
      <Skeleton h={360} mt="md" />
    </Stack>
  );
}

function Header({ dataset, title, intro }: { dataset: DatasetView; title: string; intro: string }) {
  const { t, locale } = useI18n();
  const datasetTitle = (locale === 'en' && dataset.title.en) || dataset.title.fr;
  return (
    <Stack gap={6}>
      <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
        <Anchor component={Link} to="/datasets" size="sm">
          {t('nav.catalog')}
        </Anchor>
        <Anchor component={Link} to={`/datasets/${dataset.slug}`} size="sm" lineClamp={1}>
          {datasetTitle}
        </Anchor>
        <Text size="sm" aria-current="page">
          {title}
        </Text>
      </Breadcrumbs>
      <Title order={1}>{title}</Title>
      <Text c="dimmed" maw={760}>
        {intro}
      </Text>
    </Stack>
  );
}

/** Warnings that hold whatever the offer says: no charter yet, or a publisher that has not signed it. */
function CharterNotice({ dataset, charter }: { dataset: DatasetView; charter: { version: string; rules: CharterRules } | null }) {
  const { t } = useI18n();
  const signatures = useCharterSignatures();
  if (!charter) {
    return (
      <Alert color="gray" variant="light" icon={<InfoIcon />}>
        <Text size="sm">{t('offerEditor.noCharter')}</Text>
      </Alert>
    );
  }
  const own = signatures.data?.items.find((s) => s.organisation.id === dataset.publisher.id);
  if (!charter.rules.signatureRequired || !own || own.current || dataset.accessLevel === 'open') return null;
  return (
    <Alert
      color="orange"
      variant="light"
      styles={readableTitle('orange')}
      icon={<AlertIcon />}
      title={t('offerEditor.unsignedTitle', { organisation: own.organisation.name })}
    >
      <Text size="sm">
        {t('offerEditor.unsignedBody', { version: charter.version })}{' '}
        <Anchor component={Link} to="/charte" size="sm">
          {t('offerEditor.toCharter')}
        </Anchor>
      </Text>
    </Alert>
  );
}

function TemplateCard({
  template,
  disabledReason,
  onChoose,
}: {
  template: OfferTemplate;
  disabledReason: string | null;
  onChoose: (template: OfferTemplate) => void;
}) {
  const { t } = useI18n();
  const hintId = `template-${template}-hint`;
  return (
    <UnstyledButton
      className="template-card"
      onClick={() => onChoose(template)}
      disabled={disabledReason !== null}
      aria-describedby={hintId}
      data-disabled={disabledReason !== null || undefined}
    >
      <Paper withBorder radius="md" p="md" h="100%">
        <Stack gap={6}>
          <Text fw={600}>{templateText(t, template)}</Text>
          <Text size="sm" id={hintId} c={disabledReason ? 'dimmed' : undefined}>
            {disabledReason ?? t(`offerEditor.templateHint.${template}`)}
          </Text>
        </Stack>
      </Paper>
    </UnstyledButton>
  );
}

function TemplateStep({ dataset, onChoose }: { dataset: DatasetView; onChoose: (template: OfferTemplate) => void }) {
  const { t } = useI18n();
  const nonCommercial = !LICENCES[dataset.licence].commercialUse;
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="templates-title">
      <Stack gap="md">
        <div>
          <Title order={2} size="h3" id="templates-title">
            {t('offerEditor.step1')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('offerEditor.step1Intro')}
          </Text>
        </div>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          {OFFER_TEMPLATES.map((template) => (
            <TemplateCard
              key={template}
              template={template}
              onChoose={onChoose}
              disabledReason={
                template === 'commercial' && nonCommercial
                  ? t('offerEditor.commercialForbidden', { licence: licenceLabel(t, dataset.licence) })
                  : null
              }
            />
          ))}
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

/** What stops the editor before it starts: unknown dataset, no right to offer, withdrawn. */
function Blocked({ title, body, back }: { title: string; body: ReactNode; back: { label: string; to: string } }) {
  return <StatePage title={title} body={body} icon={<LockIcon size={24} />} action={back} />;
}

function NewOffer({ slug }: { slug: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const dataset = useDataset(slug);
  const charter = useCurrentCharter();
  const create = useCreateOffer(slug);
  const [template, setTemplate] = useState<OfferTemplate | null>(null);
  usePageTitle(t('offerEditor.newTitle'));
  const ds = dataset.data;
  const rules = charter.data?.rules ?? NO_CHARTER;
  const facts = useMemo(() => (ds ? datasetFacts(ds) : null), [ds]);
  const refs = useMemo(() => (ds ? refsFor(ds, null) : null), [ds]);

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
  if (dataset.isPending || charter.isPending) return <EditorSkeleton />;
  if (dataset.isError) return <ErrorState title={t('dataset.loadFailed')} error={dataset.error} onRetry={() => void dataset.refetch()} />;
  if (charter.isError) return <ErrorState title={t('charter.loadFailed')} error={charter.error} onRetry={() => void charter.refetch()} />;
  const view = dataset.data;
  const back = { label: t('dataset.backToDataset'), to: `/datasets/${view.slug}` };
  if (view.status === 'withdrawn')
    return <Blocked title={t('offerEditor.withdrawnTitle')} body={t('offerEditor.withdrawnBody')} back={back} />;
  if (!view.canManage) return <Blocked title={t('offerEditor.forbiddenTitle')} body={t('offerEditor.forbiddenBody')} back={back} />;
  if (!facts || !refs) return <EditorSkeleton />;

  const initial = (chosen: OfferTemplate): OfferFormValues =>
    formValues(templateDefaults(chosen, facts), {
      title: templateText(t, chosen),
      description: '',
      agreement: minimumAgreement(facts, rules),
    });

  return (
    <Stack gap="lg">
      <Header dataset={view} title={t('offerEditor.newTitle')} intro={t('offerEditor.newIntro')} />
      <CharterNotice dataset={view} charter={charter.data ? { version: charter.data.version, rules } : null} />
      {template === null ? (
        <TemplateStep dataset={view} onChoose={setTemplate} />
      ) : (
        <>
          <Group gap="xs">
            <Title order={2} size="h3">
              {t('offerEditor.step2', { template: templateText(t, template) })}
            </Title>
          </Group>
          <OfferForm
            key={template}
            dataset={view}
            facts={facts}
            charter={rules}
            refs={refs}
            initial={initial(template)}
            initialPolicy={null}
            isNew
            submitLabel={t('offerEditor.create')}
            submitting={create.isPending}
            error={create.error}
            onBack={() => {
              create.reset();
              setTemplate(null);
            }}
            onCancel={() => void navigate(`/datasets/${view.slug}`)}
            onSubmit={(submission) =>
              create.mutate(submission, {
                onSuccess: (offer) => {
                  notifications.show({ color: 'teal', message: t('offerEditor.created', { title: offer.title }) });
                  void navigate(`/datasets/${view.slug}`);
                },
              })
            }
          />
        </>
      )}
    </Stack>
  );
}

function EditOffer({ id }: { id: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const offer = useOffer(id);
  const slug = offer.data?.dataset.slug ?? '';
  const dataset = useDataset(slug);
  const charter = useCurrentCharter();
  const update = useUpdateOffer(id);
  usePageTitle(offer.data ? t('offerEditor.editTitle', { title: offer.data.title }) : t('offerEditor.editTitleShort'));
  const ds = dataset.data;
  const rules = charter.data?.rules ?? NO_CHARTER;
  const facts = useMemo(() => (ds ? datasetFacts(ds) : null), [ds]);
  const refs = useMemo(() => (ds && offer.data ? refsFor(ds, offer.data) : null), [ds, offer.data]);

  if (isApiError(offer.error, 'not_found')) {
    return (
      <StatePage
        title={t('offerEditor.notFoundTitle')}
        body={t('offerEditor.notFoundBody')}
        icon={<InfoIcon size={24} />}
        action={{ label: t('dataset.backToCatalog'), to: '/datasets' }}
      />
    );
  }
  if (offer.isError) return <ErrorState title={t('offerEditor.loadFailed')} error={offer.error} onRetry={() => void offer.refetch()} />;
  if (dataset.isError) return <ErrorState title={t('dataset.loadFailed')} error={dataset.error} onRetry={() => void dataset.refetch()} />;
  if (charter.isError) return <ErrorState title={t('charter.loadFailed')} error={charter.error} onRetry={() => void charter.refetch()} />;
  if (offer.isPending || dataset.isPending || charter.isPending || !facts || !refs) return <EditorSkeleton />;
  const current = offer.data;
  const view = dataset.data;
  const back = { label: t('dataset.backToDataset'), to: `/datasets/${view.slug}` };
  if (current.status === 'retired')
    return <Blocked title={t('offerEditor.retiredTitle')} body={t('offerEditor.retiredBody')} back={back} />;
  if (!current.canManage) return <Blocked title={t('offerEditor.forbiddenTitle')} body={t('offerEditor.forbiddenBody')} back={back} />;

  const terms = current.terms ?? templateDefaults('members', facts);
  const initial = formValues(terms, { title: current.title, description: current.description ?? '', agreement: current.agreement });

  return (
    <Stack gap="lg">
      <Header
        dataset={view}
        title={t('offerEditor.editTitle', { title: current.title })}
        intro={t('offerEditor.editIntro', { version: current.version })}
      />
      <CharterNotice dataset={view} charter={charter.data ? { version: charter.data.version, rules } : null} />
      {current.terms === null && (
        <Alert color="gray" variant="light" icon={<InfoIcon />}>
          <Text size="sm">{t('offerEditor.expertOffer')}</Text>
        </Alert>
      )}
      <OfferForm
        dataset={view}
        facts={facts}
        charter={rules}
        refs={refs}
        initial={initial}
        initialPolicy={current.terms === null ? current.policy : null}
        isNew={false}
        submitLabel={t('offerEditor.save')}
        submitting={update.isPending}
        error={update.error}
        onCancel={() => void navigate(`/datasets/${view.slug}`)}
        onSubmit={(submission) =>
          update.mutate(submission, {
            onSuccess: (saved) => {
              notifications.show({ color: 'teal', message: t('offerEditor.saved', { title: saved.title, version: saved.version }) });
              void navigate(`/datasets/${view.slug}`);
            },
          })
        }
      />
    </Stack>
  );
}

/** `/datasets/:slug/offres/nouvelle` and `/offres/:id/modifier`. */
export function OfferEditorPage() {
  const { slug, id } = useParams();
  return id ? <EditOffer id={id} /> : <NewOffer slug={slug ?? ''} />;
}

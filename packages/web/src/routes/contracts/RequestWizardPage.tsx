import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Grid,
  Group,
  NumberInput,
  Paper,
  Select,
  Skeleton,
  Stack,
  Stepper,
  TagsInput,
  Text,
  Textarea,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { ApiError, decisionSchema, type DataUse, type DecisionView, type OfferView, type RequestView } from '@confiance/contract';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { projectsOf, useCreateRequest, useProjects } from '../../api/contracts';
import { useEvaluateOffer, useOffer } from '../../api/policies';
import { useSession } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useFieldErrors } from '../../components/errors';
import { CheckIcon, ClockIcon, InfoIcon } from '../../components/Icons';
import { StatePage } from '../../components/StatePage';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { OfferEstimate } from '../billing/EstimatePanel';
import { DecisionResult } from '../policies/DecisionPreview';
import { AgreementBadge, dataUseText, purposeOptions, purposeText } from '../policies/labels';
import { REQUEST_PROJECT_KEY } from '../projects/labels';
import { ActionError } from './ActionError';
import { StageBadge } from './labels';

interface Values {
  organisation: string | null;
  project: string | null;
  purpose: string | null;
  duration: number | string;
  use: DataUse | null;
  justification: string;
  users: string[];
}
type Field = 'organisation' | 'project' | 'purpose' | 'duration' | 'use' | 'justification' | 'users';
type Errors = Partial<Record<Field, string>>;

/** The order fields appear in, to focus the first one to fix. */
const FIELDS: readonly Field[] = ['organisation', 'project', 'purpose', 'duration', 'use', 'justification', 'users'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const fieldId = (field: Field) => `request-${field}`;

/** The node's validation paths, named after the API's fields, land on the wizard's. */
function serverField(name: string): Field | null {
  if (name === 'durationMonths') return 'duration';
  return (FIELDS as readonly string[]).includes(name) ? (name as Field) : null;
}

function WizardHeader({ offer }: { offer: OfferView }) {
  const { t } = useI18n();
  return (
    <Stack gap={6}>
      <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
        <Anchor component={Link} to="/datasets" size="sm">
          {t('nav.catalog')}
        </Anchor>
        <Anchor component={Link} to={`/datasets/${offer.dataset.slug}`} size="sm" lineClamp={1}>
          {offer.dataset.title}
        </Anchor>
        <Text size="sm" aria-current="page">
          {t('wizard.title')}
        </Text>
      </Breadcrumbs>
      <Title order={1}>{t('wizard.title')}</Title>
      <Group gap="xs">
        <Text c="dimmed">{t('wizard.offerLine', { offer: offer.title, provider: offer.provider.name })}</Text>
        <AgreementBadge mode={offer.agreement} />
      </Group>
    </Stack>
  );
}

/** What each agreement mode does once the request is sent, said before sending it. */
function NextSteps({ offer }: { offer: OfferView }) {
  const { t } = useI18n();
  return (
    <Alert color="confiance" variant="light" icon={<InfoIcon />}>
      <Text size="sm">{t(`wizard.next.${offer.agreement}`, { provider: offer.provider.name })}</Text>
    </Alert>
  );
}

function Outcome({ request }: { request: RequestView }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const agreed = request.stage === 'agreed';
  const key =
    request.stage === 'agreed'
      ? 'agreed'
      : request.stage === 'ethics_review'
        ? 'ethics'
        : request.stage === 'provider_review'
          ? 'provider'
          : 'other';
  return (
    <Paper withBorder radius="md" p="lg" mt="md" className={agreed ? 'verdict verdict-success' : 'verdict verdict-neutral'}>
      <Stack gap="md" align="flex-start">
        <Group gap="sm">
          <ThemeIcon variant="light" color={agreed ? 'teal' : 'grape'} radius="xl" size={34} aria-hidden="true">
            {agreed ? <CheckIcon size={20} /> : <ClockIcon size={20} />}
          </ThemeIcon>
          <Title order={2} size="h3" ref={heading} tabIndex={-1}>
            {t(`wizard.outcome.${key}.title`)}
          </Title>
          <StageBadge stage={request.stage} />
        </Group>
        <Text size="sm">{t(`wizard.outcome.${key}.body`, { provider: request.provider.name })}</Text>
        <Group gap="sm">
          {request.contract && (
            <Button component={Link} to={`/contrats/${request.contract}`}>
              {t('wizard.toContract')}
            </Button>
          )}
          <Button component={Link} to={`/demandes/${request.id}`} variant={request.contract ? 'default' : 'filled'}>
            {t('wizard.toRequest')}
          </Button>
          <Button component={Link} to={`/datasets/${request.dataset.slug}`} variant="default">
            {t('wizard.backToDataset')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function Wizard({ offer }: { offer: OfferView }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const memberships = session.data?.memberships ?? [];
  const projects = useProjects(memberships.length > 0);
  const evaluate = useEvaluateOffer(offer.id);
  const create = useCreateRequest();
  const toFieldErrors = useFieldErrors();
  const [step, setStep] = useState(0);
  const [values, setValues] = useState<Values>(() => ({
    organisation: memberships[0]?.organisationSlug ?? null,
    project: null,
    purpose: null,
    duration: offer.terms?.durationMonths ?? 12,
    use: offer.uses[0] ?? null,
    justification: '',
    users: session.data ? [session.data.user.email] : [],
  }));
  const [errors, setErrors] = useState<Errors>({});
  /** The node's own refusal when the request was sent (409 with its decision). */
  const [refusal, setRefusal] = useState<DecisionView | null>(null);
  const [sent, setSent] = useState<RequestView | null>(null);
  const checkHeading = useRef<HTMLHeadingElement>(null);

  const ownProjects = projectsOf(projects.data?.items ?? [], values.organisation);
  // « Demander un jeu de données pour ce projet »: the project comes from `?projet=` or from the
  // project page the user left for the catalog; it is preselected once, with an organisation party to it.
  const [params] = useSearchParams();
  const wanted = useRef(params.get('projet') ?? sessionStorage.getItem(REQUEST_PROJECT_KEY));
  useEffect(() => {
    const id = wanted.current;
    if (!id || !projects.data) return;
    wanted.current = null;
    const project = projects.data.items.find((p) => p.id === id);
    const organisation = project && memberships.find((m) => projectsOf([project], m.organisationSlug).length > 0);
    if (!project || !organisation) return;
    sessionStorage.removeItem(REQUEST_PROJECT_KEY);
    setValues((v) => ({ ...v, organisation: organisation.organisationSlug, project: project.id, purpose: v.purpose ?? project.purpose }));
  }, [projects.data, memberships]);
  const set = <K extends keyof Values>(field: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };
  const months = typeof values.duration === 'number' ? values.duration : Number(values.duration);

  const focusFirst = (found: Errors) => {
    const first = FIELDS.find((f) => found[f]);
    if (first) requestAnimationFrame(() => document.getElementById(fieldId(first))?.focus());
  };

  const validate = (): Errors => {
    const next: Errors = {};
    if (!values.organisation) next.organisation = t('common.required');
    if (!values.purpose) next.purpose = t('decision.purposeRequired');
    if (!Number.isInteger(months) || months < 1 || months > 120) next.duration = t('decision.durationRange');
    if (values.justification.trim().length < 10) next.justification = t('wizard.justificationTooShort');
    const wrong = values.users.find((u) => !EMAIL.test(u));
    if (wrong) next.users = t('wizard.usersInvalid', { email: wrong });
    return next;
  };

  const check = () => {
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0 || !values.organisation || !values.purpose) {
      focusFirst(found);
      return;
    }
    setRefusal(null);
    create.reset();
    setStep(1);
    evaluate.mutate({
      organisation: values.organisation,
      purpose: values.purpose,
      durationMonths: months,
      project: values.project,
      ...(values.use ? { use: values.use } : {}),
    });
    requestAnimationFrame(() => checkHeading.current?.focus());
  };

  const send = () => {
    if (!values.organisation || !values.purpose) return;
    create.mutate(
      {
        offer: offer.id,
        organisation: values.organisation,
        project: values.project,
        purpose: values.purpose,
        durationMonths: months,
        ...(values.use ? { use: values.use } : {}),
        justification: values.justification.trim(),
        users: values.users,
      },
      {
        onSuccess: (request) => {
          setSent(request);
          setStep(2);
        },
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'validation_failed') {
            // Back to the form, each message beside its field, nothing lost.
            const found: Errors = {};
            for (const [name, message] of Object.entries(toFieldErrors(error))) {
              const field = serverField(name);
              if (field && !found[field]) found[field] = message;
            }
            if (Object.keys(found).length > 0) {
              setErrors(found);
              setStep(0);
              focusFirst(found);
            }
          }
          if (error instanceof ApiError && error.code === 'conflict') {
            const parsed = decisionSchema.safeParse((error.details as { decision?: unknown } | undefined)?.decision);
            if (parsed.success) setRefusal(parsed.data);
          }
        },
      },
    );
  };

  const preview = refusal ?? evaluate.data ?? null;
  const denied = preview?.outcome === 'deny';
  const organisationName = memberships.find((m) => m.organisationSlug === values.organisation)?.organisationName ?? '';
  const projectTitle = ownProjects.find((p) => p.id === values.project)?.title ?? null;

  if (memberships.length === 0) {
    return <Text>{t('decision.noOrganisation')}</Text>;
  }

  return (
    <Stepper active={step} onStepClick={(s) => step < 2 && setStep(s)} allowNextStepsSelect={false} size="sm">
      <Stepper.Step label={t('wizard.step.form')} description={t('wizard.step.formHint')}>
        <Paper withBorder radius="md" p="lg" mt="md">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              check();
            }}
            noValidate
            aria-label={t('wizard.formLabel')}
          >
            <Stack gap="md">
              <Grid gap="md">
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <Select
                    id={fieldId('organisation')}
                    label={t('wizard.organisation')}
                    description={t('wizard.organisationHint')}
                    data={memberships.map((m) => ({ value: m.organisationSlug, label: m.organisationName }))}
                    value={values.organisation}
                    onChange={(v) => {
                      set('organisation', v);
                      set('project', null);
                    }}
                    allowDeselect={false}
                    error={errors.organisation}
                    required
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <Select
                    id={fieldId('project')}
                    label={t('wizard.project')}
                    description={ownProjects.length > 0 ? t('wizard.projectHint') : t('wizard.noProject')}
                    placeholder={t('wizard.projectNone')}
                    data={ownProjects.map((p) => ({ value: p.id, label: p.title }))}
                    value={values.project}
                    onChange={(v) => {
                      set('project', v);
                      // A project has a purpose: it is the natural one to declare.
                      const chosen = ownProjects.find((p) => p.id === v);
                      if (chosen && !values.purpose) set('purpose', chosen.purpose);
                    }}
                    clearable
                    disabled={ownProjects.length === 0}
                    error={errors.project}
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <Select
                    id={fieldId('purpose')}
                    label={t('decision.purpose')}
                    description={t('decision.purposeHint')}
                    placeholder={t('decision.purposePlaceholder')}
                    data={purposeOptions(t, locale)}
                    value={values.purpose}
                    onChange={(v) => set('purpose', v)}
                    searchable
                    nothingFoundMessage={t('policy.purposes.none')}
                    maxDropdownHeight={280}
                    error={errors.purpose}
                    required
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 3 }}>
                  <NumberInput
                    id={fieldId('duration')}
                    label={t('decision.duration')}
                    min={1}
                    max={120}
                    allowDecimal={false}
                    allowNegative={false}
                    value={values.duration}
                    onChange={(v) => set('duration', v)}
                    error={errors.duration}
                    required
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 3 }}>
                  <Select
                    id={fieldId('use')}
                    label={t('decision.use')}
                    data={offer.uses.map((u) => ({ value: u, label: dataUseText(t, u) }))}
                    value={values.use}
                    onChange={(v) => set('use', v as DataUse | null)}
                    allowDeselect={false}
                    error={errors.use}
                  />
                </Grid.Col>
              </Grid>
              <Textarea
                id={fieldId('justification')}
                label={t('wizard.justification')}
                description={t('wizard.justificationHint')}
                autosize
                minRows={4}
                maxLength={5000}
                value={values.justification}
                onChange={(e) => set('justification', e.currentTarget.value)}
                error={errors.justification}
                required
              />
              <TagsInput
                id={fieldId('users')}
                label={t('wizard.users')}
                description={t('wizard.usersHint')}
                value={values.users}
                onChange={(v) => set('users', v)}
                splitChars={[',', ' ', ';']}
                clearable
                maxTags={100}
                error={errors.users}
              />
              <Group justify="flex-end">
                <Button component={Link} to={`/datasets/${offer.dataset.slug}`} variant="default">
                  {t('common.cancel')}
                </Button>
                <Button type="submit">{t('wizard.check')}</Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      </Stepper.Step>

      <Stepper.Step label={t('wizard.step.check')} description={t('wizard.step.checkHint')} loading={evaluate.isPending}>
        <Paper withBorder radius="md" p="lg" mt="md">
          <Stack gap="md">
            <Title order={2} size="h3" ref={checkHeading} tabIndex={-1}>
              {t('wizard.checkTitle')}
            </Title>
            <dl className="facts">
              <dt>{t('wizard.organisation')}</dt>
              <dd>{projectTitle ? t('wizard.forProject', { organisation: organisationName, project: projectTitle }) : organisationName}</dd>
              <dt>{t('decision.purpose')}</dt>
              <dd>{values.purpose ? purposeText(locale, values.purpose) : ''}</dd>
              <dt>{t('decision.duration')}</dt>
              <dd>{t('requests.months', { count: months })}</dd>
              <dt>{t('decision.use')}</dt>
              <dd>{values.use ? dataUseText(t, values.use) : ''}</dd>
              <dt>{t('wizard.users')}</dt>
              <dd>{values.users.length > 0 ? values.users.join(', ') : t('wizard.usersDefault')}</dd>
            </dl>
            {/* Issue 9: a paid offer says what a month of use would cost before anything is signed. */}
            {step === 1 && <OfferEstimate offer={offer} organisation={values.organisation} />}
            <div aria-live="polite">
              {evaluate.isPending ? (
                <Skeleton h={160} role="status" aria-label={t('wizard.checking')} />
              ) : evaluate.isError ? (
                <ActionError error={evaluate.error} />
              ) : preview ? (
                <Stack gap="sm">
                  {refusal && <Text size="sm">{t('wizard.refusedOnSend')}</Text>}
                  <DecisionResult decision={preview} />
                </Stack>
              ) : null}
            </div>
            {denied ? (
              <Alert color="red" variant="light" icon={<InfoIcon />}>
                <Text size="sm">{t('wizard.denied')}</Text>
              </Alert>
            ) : (
              evaluate.isSuccess && <NextSteps offer={offer} />
            )}
            {!(create.error instanceof ApiError && create.error.code === 'conflict' && refusal) && <ActionError error={create.error} />}
            <Group justify="space-between">
              <Button variant="default" onClick={() => setStep(0)}>
                {t('wizard.edit')}
              </Button>
              <Button onClick={send} loading={create.isPending} disabled={!evaluate.isSuccess || denied}>
                {t('wizard.send')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      </Stepper.Step>

      <Stepper.Step label={t('wizard.step.sent')} description={t('wizard.step.sentHint')}>
        <div className="wizard-outcome">{sent && <Outcome request={sent} />}</div>
      </Stepper.Step>
    </Stepper>
  );
}

/** « Demander l’accès »: the request wizard for one offer, then its outcome. */
export function RequestWizardPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const offer = useOffer(id);
  usePageTitle(t('wizard.title'));

  if (offer.isPending) {
    return (
      <Stack gap="md" role="status" aria-label={t('app.loading')}>
        <Skeleton h={14} w={240} />
        <Skeleton h={36} w="50%" />
        <Skeleton h={360} mt="md" />
      </Stack>
    );
  }
  if (offer.isError) {
    return <ErrorState title={t('wizard.loadFailed')} error={offer.error} onRetry={() => void offer.refetch()} />;
  }
  if (offer.data.status === 'retired') {
    return (
      <StatePage
        title={t('wizard.retiredTitle')}
        body={t('wizard.retiredBody', { reason: offer.data.retiredReason ?? '' })}
        icon={<InfoIcon size={24} />}
        action={{ label: t('wizard.backToDataset'), to: `/datasets/${offer.data.dataset.slug}` }}
      />
    );
  }
  return (
    <Stack gap="lg" maw={980}>
      <WizardHeader offer={offer.data} />
      <Wizard offer={offer.data} />
    </Stack>
  );
}

import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  Skeleton,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { ApiError, can, isVote, type CharterRules, type CharterVersionView } from '@confiance/contract';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useGates } from '../../api/governance';
import { useCurrentCharter, usePublishCharter } from '../../api/policies';
import { usePrincipal } from '../../api/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorState, FormError } from '../../components/ErrorState';
import { AlertIcon, LockIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { StatePage } from '../../components/StatePage';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n, type Locale, type Translate } from '../../i18n';
import { actionText, purposeOptions, readableTitle } from './labels';
import { Markdown } from './Markdown';

interface CharterFormValues {
  version: string;
  title: { fr: string; en: string };
  body: { fr: string; en: string };
  rules: CharterRules;
}

/** Every field of the form, by its path: server issues and client checks land on these. */
const FIELDS = [
  'version',
  'title.fr',
  'title.en',
  'body.fr',
  'body.en',
  'rules.signatureRequired',
  'rules.personalDataAggregateOnly',
  'rules.personalDataEthicsReview',
  'rules.prohibitedActions',
  'rules.favouredPurposes',
] as const;
type Field = (typeof FIELDS)[number];

/**
 * What a charter may always forbid, whatever the offer: uses of the data itself (re-identifying
 * people, reselling, commercial exploitation, redistribution, copies, derived works). Access modes
 * (rows, SQL, download) are left to each offer: forbidding one here would contradict every offer
 * that grants it.
 */
const PROHIBITABLE_ACTIONS = ['cf:reidentify', 'sell', 'commercialize', 'distribute', 'reproduce', 'derive'] as const;

/** What the first version proposes: the rules the issue's charter describes. */
const FIRST_RULES: CharterRules = {
  signatureRequired: true,
  personalDataAggregateOnly: true,
  personalDataEthicsReview: true,
  prohibitedActions: ['cf:reidentify', 'sell'],
  favouredPurposes: ['dpv:PublicBenefit', 'dpv:ResearchAndDevelopment'],
};

const VERSION = /^(\d+)\.(\d+)$/;

/** "1.0" → "1.1", "1.9" → "1.10": the next minor version, as an operator revises a charter. */
function nextMinor(version: string | null): string {
  const m = version === null ? null : VERSION.exec(version);
  return m ? `${m[1]}.${Number(m[2]) + 1}` : '1.0';
}

/** The node's own rule: a version follows the one in force if its major, then its minor, is greater. */
function follows(candidate: string, current: string): boolean {
  const a = VERSION.exec(candidate);
  const b = VERSION.exec(current);
  if (!a || !b) return false;
  const [a1, a2, b1, b2] = [Number(a[1]), Number(a[2]), Number(b[1]), Number(b[2])];
  return a1 > b1 || (a1 === b1 && a2 > b2);
}

/**
 * A server issue's path — `body.title.fr` when the route's schema refused the request, `version`
 * when the command did — as the form field it concerns (`body.body.fr` is the French text).
 */
function fieldOf(path: string): Field | null {
  for (const candidate of [path, path.replace(/^body\./, '')]) {
    const field = FIELDS.find((f) => candidate === f || candidate.startsWith(`${f}.`));
    if (field) return field;
  }
  return null;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Messages of a refused publication, by field. The node explains in French; in another language a
 * field gets a generic sentence rather than a mix of languages. A conflict means another version
 * came into force meanwhile: the number is the field to change.
 */
function serverFieldErrors(error: unknown, locale: Locale, t: Translate): Partial<Record<Field, string>> {
  if (!(error instanceof ApiError)) return {};
  if (error.code === 'conflict') return { version: t('charterPublish.versionConflict') };
  if (error.code !== 'validation_failed') return {};
  const issues = (error.details as { issues?: { path?: unknown; message?: unknown }[] } | undefined)?.issues ?? [];
  const out: Partial<Record<Field, string>> = {};
  for (const issue of issues) {
    const path = typeof issue.path === 'string' ? issue.path : Array.isArray(issue.path) ? issue.path.join('.') : '';
    const field = fieldOf(path);
    if (!field || out[field]) continue;
    out[field] = locale === 'fr' && typeof issue.message === 'string' ? capitalise(issue.message) : t('common.invalidValue');
  }
  return out;
}

function initialValues(current: CharterVersionView | null): CharterFormValues {
  if (!current) return { version: '1.0', title: { fr: '', en: '' }, body: { fr: '', en: '' }, rules: FIRST_RULES };
  return {
    version: nextMinor(current.version),
    title: { ...current.title },
    body: { ...current.body },
    rules: {
      ...current.rules,
      prohibitedActions: [...current.rules.prohibitedActions],
      favouredPurposes: [...current.rules.favouredPurposes],
    },
  };
}

type EditorTab = 'write' | 'preview';

/** One language's title and Markdown text, with a preview rendered as the charter page renders it. */
function LanguageSection({
  lang,
  form,
  tab,
  onTab,
}: {
  lang: Locale;
  form: UseFormReturnType<CharterFormValues>;
  tab: EditorTab;
  onTab: (tab: EditorTab) => void;
}) {
  const { t } = useI18n();
  const headingId = `charter-text-${lang}`;
  const body = form.values.body[lang];
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <SectionHeading id={headingId} title={t(`charterPublish.text.${lang}`)} intro={t(`charterPublish.textIntro.${lang}`)} />
        <TextInput
          label={t(`charterPublish.title.${lang}`)}
          required
          maxLength={200}
          lang={lang}
          {...form.getInputProps(`title.${lang}`)}
        />
        <Tabs value={tab} onChange={(v) => onTab(v === 'preview' ? 'preview' : 'write')}>
          <Tabs.List aria-label={t(`charterPublish.text.${lang}`)}>
            <Tabs.Tab value="write">{t('charterPublish.tabWrite')}</Tabs.Tab>
            <Tabs.Tab value="preview">{t('charterPublish.tabPreview')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="write" pt="sm">
            <Textarea
              label={t(`charterPublish.body.${lang}`)}
              description={t('charterPublish.bodyHint')}
              required
              autosize
              minRows={12}
              maxRows={32}
              lang={lang}
              classNames={{ input: 'json-editor' }}
              {...form.getInputProps(`body.${lang}`)}
            />
          </Tabs.Panel>
          <Tabs.Panel value="preview" pt="sm">
            <Paper withBorder radius="sm" p="md">
              {body.trim() === '' ? (
                <Text size="sm" c="dimmed">
                  {t('charterPublish.previewEmpty')}
                </Text>
              ) : (
                <Markdown source={body} headingBase={2} lang={lang} />
              )}
            </Paper>
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </Paper>
  );
}

function RulesSection({ form, current }: { form: UseFormReturnType<CharterFormValues>; current: CharterVersionView | null }) {
  const { t, locale } = useI18n();
  const purposes = useMemo(() => purposeOptions(t, locale), [t, locale]);
  // An action the version in force prohibits stays choosable, even if the portal does not offer it.
  const actions = [...new Set<string>([...PROHIBITABLE_ACTIONS, ...(current?.rules.prohibitedActions ?? [])])].map((a) => ({
    value: a,
    label: actionText(t, a),
  }));
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="charter-publish-rules">
      <Stack gap="md">
        <SectionHeading id="charter-publish-rules" title={t('charterPublish.rules')} intro={t('charterPublish.rulesIntro')} />
        <Checkbox
          label={t('charterPublish.rule.signatureRequired')}
          description={t('charterPublish.rule.signatureRequiredHint')}
          {...form.getInputProps('rules.signatureRequired', { type: 'checkbox' })}
        />
        <Checkbox
          label={t('charterPublish.rule.personalDataAggregateOnly')}
          description={t('charterPublish.rule.personalDataAggregateOnlyHint')}
          {...form.getInputProps('rules.personalDataAggregateOnly', { type: 'checkbox' })}
        />
        <Checkbox
          label={t('charterPublish.rule.personalDataEthicsReview')}
          description={t('charterPublish.rule.personalDataEthicsReviewHint')}
          {...form.getInputProps('rules.personalDataEthicsReview', { type: 'checkbox' })}
        />
        <MultiSelect
          label={t('charterPublish.rule.prohibitedActions')}
          description={t('charterPublish.rule.prohibitedActionsHint')}
          data={actions}
          searchable
          clearable
          maxValues={20}
          nothingFoundMessage={t('charterPublish.noAction')}
          {...form.getInputProps('rules.prohibitedActions')}
        />
        <MultiSelect
          label={t('charterPublish.rule.favouredPurposes')}
          description={t('charterPublish.rule.favouredPurposesHint')}
          data={purposes}
          searchable
          clearable
          maxValues={20}
          nothingFoundMessage={t('policy.purposes.none')}
          maxDropdownHeight={280}
          {...form.getInputProps('rules.favouredPurposes')}
        />
      </Stack>
    </Paper>
  );
}

/** What publishing does to the members, said before and again in the confirmation. */
function consequences(t: Translate, current: CharterVersionView | null, signatureRequired: boolean): string {
  const lead = current
    ? current.signatureCount === 0
      ? t('charterPublish.consequence.noSignature', { current: current.version })
      : t('charterPublish.consequence.resign', { count: current.signatureCount, current: current.version })
    : t('charterPublish.consequence.first');
  return signatureRequired ? `${lead} ${t('charterPublish.consequence.access')}` : lead;
}

function PublishForm({ current }: { current: CharterVersionView | null }) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const publish = usePublishCharter();
  const [confirming, setConfirming] = useState(false);
  /** Closed by a refusal: the form focuses the field in error, the dialog must not take the focus back. */
  const [refused, setRefused] = useState(false);
  const [tabs, setTabs] = useState<Record<Locale, EditorTab>>({ fr: 'write', en: 'write' });
  const text = (min: number, max: number) => (value: string) => {
    const length = value.trim().length;
    return length < min || length > max ? t('charterPublish.lengthBetween', { min, max }) : null;
  };
  const form = useForm<CharterFormValues>({
    name: 'charter',
    initialValues: initialValues(current),
    validate: {
      version: (v) => {
        if (!VERSION.test(v.trim())) return t('charterPublish.versionFormat');
        if (current && !follows(v.trim(), current.version))
          return t('charterPublish.versionMustFollow', { current: current.version, next: nextMinor(current.version) });
        return null;
      },
      title: { fr: text(3, 200), en: text(3, 200) },
      body: { fr: text(20, 100_000), en: text(20, 100_000) },
    },
  });
  const version = form.values.version.trim();

  /** The first field in error gets the focus (its text tab first, if it was showing the preview). */
  const focusFirstError = (errors: Record<string, unknown>) => {
    const first = FIELDS.find((f) => errors[f]);
    if (!first) return;
    if (first === 'body.fr' || first === 'body.en') setTabs((s) => ({ ...s, [first.slice(5)]: 'write' }));
    requestAnimationFrame(() => form.getInputNode(first)?.focus());
  };

  const submit = () => {
    const v = form.getValues();
    publish.mutate(
      {
        version: v.version.trim(),
        title: { fr: v.title.fr.trim(), en: v.title.en.trim() },
        body: { fr: v.body.fr, en: v.body.en },
        rules: v.rules,
      },
      {
        onSuccess: (published) => {
          setConfirming(false);
          // When the operator put charter versions behind a vote, the version waits for it.
          if (isVote(published)) {
            notifications.show({ color: 'blue', message: t('charterPublish.submitted', { commission: published.commission.name }) });
            void navigate(`/votes/${published.id}`);
            return;
          }
          notifications.show({ color: 'teal', message: t('charterPublish.published', { version: published.version }) });
          void navigate('/charte');
        },
        onError: (error) => {
          // Back to the form, everything typed kept, each refusal beside its field.
          setRefused(true);
          setConfirming(false);
          const errors = serverFieldErrors(error, locale, t);
          form.setErrors(errors);
          focusFirstError(errors);
        },
      },
    );
  };

  const warning = consequences(t, current, form.values.rules.signatureRequired);
  const fieldErrorShown = Object.keys(serverFieldErrors(publish.error, locale, t)).length > 0;

  return (
    <form
      onSubmit={form.onSubmit(
        () => {
          publish.reset();
          setRefused(false);
          setConfirming(true);
        },
        (errors) => focusFirstError(errors),
      )}
      noValidate
      aria-labelledby="charter-publish-heading"
    >
      <Stack gap="lg">
        <Alert
          color="orange"
          variant="light"
          styles={readableTitle('orange')}
          icon={<AlertIcon />}
          title={t('charterPublish.warningTitle')}
        >
          <Text size="sm">{warning}</Text>
        </Alert>

        <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="charter-publish-version">
          <Stack gap="sm">
            <SectionHeading
              id="charter-publish-version"
              title={t('charterPublish.versionSection')}
              intro={current ? t('charterPublish.versionIntro', { current: current.version }) : t('charterPublish.versionIntroFirst')}
            />
            <TextInput
              label={t('charterPublish.version')}
              description={
                current
                  ? t('charterPublish.versionHint', { current: current.version, next: nextMinor(current.version) })
                  : t('charterPublish.versionHintFirst')
              }
              required
              maxLength={20}
              w={{ base: '100%', sm: 360 }}
              inputMode="decimal"
              autoComplete="off"
              {...form.getInputProps('version')}
            />
          </Stack>
        </Paper>

        <LanguageSection lang="fr" form={form} tab={tabs.fr} onTab={(tab) => setTabs((s) => ({ ...s, fr: tab }))} />
        <LanguageSection lang="en" form={form} tab={tabs.en} onTab={(tab) => setTabs((s) => ({ ...s, en: tab }))} />
        <RulesSection form={form} current={current} />

        <Stack gap="sm">
          {publish.error && !fieldErrorShown && <FormError error={publish.error} />}
          {fieldErrorShown && (
            <Alert color="red" variant="light" icon={<AlertIcon />} role="alert">
              <Text size="sm">{t('charterPublish.refused')}</Text>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button component={Link} to="/charte" variant="default">
              {t('common.cancel')}
            </Button>
            <Button type="submit">{t('charterPublish.submit')}</Button>
          </Group>
        </Stack>
      </Stack>

      <ConfirmDialog
        opened={confirming}
        title={t('charterPublish.confirmTitle', { version })}
        confirmLabel={t('charterPublish.confirm', { version })}
        loading={publish.isPending}
        returnFocus={!refused}
        onClose={() => {
          if (!publish.isPending) setConfirming(false);
        }}
        onConfirm={submit}
      >
        {warning}
      </ConfirmDialog>
    </form>
  );
}

function PageSkeleton() {
  const { t } = useI18n();
  return (
    <Stack gap="md" role="status" aria-label={t('app.loading')}>
      <Skeleton h={14} w={240} />
      <Skeleton h={36} w="50%" />
      <Skeleton h={420} mt="md" />
    </Stack>
  );
}

/** `/charte/nouvelle-version`: the operator writes the next version of the charter and publishes it. */
export function CharterPublishPage() {
  const { t } = useI18n();
  usePageTitle(t('charterPublish.title'));
  const principal = usePrincipal();
  const charter = useCurrentCharter();

  if (!can(principal, 'create', 'Charter')) {
    return (
      <StatePage
        title={t('charterPublish.forbiddenTitle')}
        body={t('charterPublish.forbiddenBody')}
        icon={<LockIcon size={24} />}
        action={{ label: t('charterPublish.backToCharter'), to: '/charte' }}
      />
    );
  }
  if (charter.isPending) return <PageSkeleton />;

  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
          <Anchor component={Link} to="/charte" size="sm">
            {t('charter.title')}
          </Anchor>
          <Text size="sm" aria-current="page">
            {t('charterPublish.breadcrumb')}
          </Text>
        </Breadcrumbs>
        <Title order={1} id="charter-publish-heading">
          {t('charterPublish.title')}
        </Title>
        <Text c="dimmed" maw={760}>
          {charter.data ? t('charterPublish.intro', { current: charter.data.version }) : t('charterPublish.introFirst')}
        </Text>
      </Stack>
      <CharterGateNotice />
      {charter.isError ? (
        <ErrorState title={t('charter.loadFailed')} error={charter.error} onRetry={() => void charter.refetch()} />
      ) : (
        // Mounted once the version in force is known: the form starts from its text and rules.
        <PublishForm current={charter.data} />
      )}
    </Stack>
  );
}

/** When the operator put charter versions behind a commission's vote, the version waits for it: say so before publishing. */
function CharterGateNotice() {
  const { t } = useI18n();
  const gate = useGates().data?.items.find((g) => g.action === 'charter_version');
  if (!gate?.enabled) return null;
  return (
    <Alert color="blue" icon={<AlertIcon />} title={t('charterPublish.gatedTitle', { commission: gate.commission.name })}>
      {t('charterPublish.gatedBody')}
    </Alert>
  );
}

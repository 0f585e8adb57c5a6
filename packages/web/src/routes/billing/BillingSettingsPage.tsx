import {
  Anchor,
  Button,
  Fieldset,
  Grid,
  Group,
  List,
  Paper,
  Select,
  Skeleton,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  can,
  FRENCH_VAT_RATES,
  isVote,
  ORGANISATION_CATEGORIES,
  type BillingSettingsView,
  type OrganisationCategory,
} from '@confiance/contract';
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useBillingSettings, useUpdateBillingSettings } from '../../api/billing';
import { usePrincipal } from '../../api/session';
import { ErrorState, FormError } from '../../components/ErrorState';
import { SectionHeading } from '../../components/SectionHeading';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import {
  issueAt,
  serverIssues,
  settingsInput,
  settingsIssues,
  settingsValues,
  SETTINGS_FIELD_PATHS,
  unplacedIssues,
  type SettingsValues,
} from './format';

const VAT_CHOICES = Object.entries(FRENCH_VAT_RATES).map(([code, rate]) => ({ value: code, label: rate.label }));

/** /facturation/reglages — the association's fee, dues, VAT, payment terms and credits (operator); members read them. */
export function BillingSettingsPage() {
  const { t } = useI18n();
  usePageTitle(t('billing.settings.title'));
  const settings = useBillingSettings();
  const mayEdit = can(usePrincipal(), 'update', 'BillingSettings');

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('billing.settings.title')}</Title>
        <Text c="dimmed" mt={4} maw={820}>
          {mayEdit ? t('billing.settings.intro') : t('billing.settings.introReader')}
        </Text>
      </div>
      {settings.isPending ? (
        <Skeleton h={320} role="status" aria-label={t('app.loading')} />
      ) : settings.isError ? (
        <ErrorState title={t('billing.settings.loadFailed')} error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <>
          <CurrentVersion settings={settings.data} />
          {mayEdit && <SettingsForm key={settings.data.version} settings={settings.data} />}
        </>
      )}
    </Stack>
  );
}

function CurrentVersion({ settings }: { settings: BillingSettingsView }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="settings-current">
      <Stack gap="sm">
        <SectionHeading
          id="settings-current"
          title={t('billing.settings.current', { version: settings.version })}
          intro={
            settings.updatedAt
              ? t('billing.settings.updated', { date: formatDateTime(settings.updatedAt), by: settings.updatedBy ?? '—' })
              : t('billing.settings.defaults')
          }
        />
        {settings.summary.length > 0 && (
          <List size="sm" spacing={2} lang="fr">
            {settings.summary.map((s, i) => (
              <List.Item key={i}>{s}</List.Item>
            ))}
          </List>
        )}
        <Group gap="lg">
          {settings.ledgerIndex !== null && (
            <Anchor component={Link} to={`/registre/${settings.ledgerIndex}`} size="sm">
              {t('billing.settings.ledgerEntry', { index: settings.ledgerIndex })}
            </Anchor>
          )}
          <Text size="sm" c="dimmed">
            {settings.association
              ? t('billing.settings.association', { name: settings.association.name })
              : t('billing.settings.noAssociation')}
          </Text>
        </Group>
      </Stack>
    </Paper>
  );
}

type Field = keyof typeof SETTINGS_FIELD_PATHS;

function SettingsForm({ settings }: { settings: BillingSettingsView }) {
  const { t, locale } = useI18n();
  const update = useUpdateBillingSettings();
  const [values, setValues] = useState<SettingsValues>(() => settingsValues(settings));
  const [shown, setShown] = useState<ReadonlyMap<string, string>>(new Map());
  const formRef = useRef<HTMLFormElement>(null);

  const server = serverIssues(update.error);
  // Messages come from the same schema as the node's (French); another language gets a generic one.
  const message = (path: string): string | undefined => {
    const m = issueAt(shown, path) ?? issueAt(server, path);
    if (!m) return undefined;
    return locale === 'fr' ? m : t('common.invalidValue');
  };
  const set = <K extends keyof SettingsValues>(key: K, value: SettingsValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setShown(new Map());
    if (update.error) update.reset();
  };
  const setCategory = (category: OrganisationCategory, key: 'percent' | 'annualDues', value: string) => {
    setValues((v) => ({ ...v, byCategory: { ...v.byCategory, [category]: { ...v.byCategory[category], [key]: value } } }));
    setShown(new Map());
    if (update.error) update.reset();
  };
  const focusFirstInvalid = () =>
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const issues = settingsIssues(values);
    if (issues.size > 0) {
      setShown(issues);
      focusFirstInvalid();
      return;
    }
    update.mutate(settingsInput(values).input, {
      onSuccess: (next) =>
        isVote(next)
          ? notifications.show({ color: 'blue', message: t('billing.settings.submitted', { commission: next.commission.name }) })
          : notifications.show({ color: 'teal', message: t('billing.settings.saved', { version: next.version }) }),
      onError: focusFirstInvalid,
    });
  };

  const field = (name: Field) => ({
    value: values[name] as string,
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set(name, e.currentTarget.value),
    error: message(SETTINGS_FIELD_PATHS[name]),
  });

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="settings-form-title">
      <form ref={formRef} onSubmit={submit} noValidate aria-labelledby="settings-form-title">
        <Stack gap="lg">
          <SectionHeading id="settings-form-title" title={t('billing.settings.formTitle')} intro={t('billing.settings.formIntro')} />
          <Fieldset legend={t('billing.settings.fee')}>
            <Grid gap="md">
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <TextInput
                  label={t('billing.settings.feePercent')}
                  description={t('billing.settings.feePercentHint')}
                  inputMode="decimal"
                  {...field('feePercent')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <Select
                  label={t('billing.settings.feeVatRate')}
                  data={VAT_CHOICES}
                  value={values.feeVatRate}
                  onChange={(v) => v && set('feeVatRate', v)}
                  allowDeselect={false}
                  error={message(SETTINGS_FIELD_PATHS.feeVatRate)}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <Select
                  label={t('billing.settings.duesVatRate')}
                  data={VAT_CHOICES}
                  value={values.duesVatRate}
                  onChange={(v) => v && set('duesVatRate', v)}
                  allowDeselect={false}
                  error={message(SETTINGS_FIELD_PATHS.duesVatRate)}
                />
              </Grid.Col>
            </Grid>
          </Fieldset>

          <Fieldset legend={t('billing.settings.byCategory')}>
            <Text size="sm" c="dimmed" mb="sm">
              {t('billing.settings.byCategoryHint')}
            </Text>
            <Stack gap="sm">
              {ORGANISATION_CATEGORIES.map((category) => {
                const name = t(`categories.${category}`);
                return (
                  <Grid key={category} gap="md" align="flex-start">
                    <Grid.Col span={{ base: 12, sm: 4 }}>
                      <Text fw={500} size="sm" mt={{ base: 0, sm: 30 }}>
                        {name}
                      </Text>
                    </Grid.Col>
                    <Grid.Col span={{ base: 6, sm: 4 }}>
                      <TextInput
                        label={
                          <>
                            {t('billing.settings.categoryPercent')}
                            <VisuallyHidden>{` — ${name}`}</VisuallyHidden>
                          </>
                        }
                        placeholder={values.feePercent}
                        inputMode="decimal"
                        value={values.byCategory[category].percent}
                        onChange={(e) => setCategory(category, 'percent', e.currentTarget.value)}
                        error={message(`fee.byCategory.${category}.percent`)}
                      />
                    </Grid.Col>
                    <Grid.Col span={{ base: 6, sm: 4 }}>
                      <TextInput
                        label={
                          <>
                            {t('billing.settings.annualDues')}
                            <VisuallyHidden>{` — ${name}`}</VisuallyHidden>
                          </>
                        }
                        inputMode="decimal"
                        value={values.byCategory[category].annualDues}
                        onChange={(e) => setCategory(category, 'annualDues', e.currentTarget.value)}
                        error={message(`fee.byCategory.${category}.annualDues`) ?? message(`fee.byCategory.${category}`)}
                      />
                    </Grid.Col>
                  </Grid>
                );
              })}
            </Stack>
          </Fieldset>

          <Fieldset legend={t('billing.settings.terms')}>
            <Grid gap="md">
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <TextInput
                  label={t('billing.settings.paymentTermsDays')}
                  description={t('billing.settings.paymentTermsHint')}
                  inputMode="numeric"
                  {...field('paymentTermsDays')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 8 }}>
                <TextInput
                  label={t('billing.settings.mandateReference')}
                  description={t('billing.settings.mandateHint')}
                  maxLength={100}
                  {...field('mandateReference')}
                />
              </Grid.Col>
            </Grid>
          </Fieldset>

          <Fieldset legend={t('billing.settings.credits')}>
            <Stack gap="md">
              <Switch
                label={t('billing.settings.creditsOn')}
                description={t('billing.settings.creditsHint')}
                checked={values.creditsOn}
                onChange={(e) => set('creditsOn', e.currentTarget.checked)}
              />
              {values.creditsOn && (
                <Grid gap="md">
                  <Grid.Col span={{ base: 12, sm: 6 }}>
                    <TextInput label={t('billing.settings.earnPerQuery')} inputMode="numeric" {...field('earnPerQuery')} />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 6 }}>
                    <TextInput label={t('billing.settings.earnPer1000Units')} inputMode="numeric" {...field('earnPer1000Units')} />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 6 }}>
                    <TextInput label={t('billing.settings.creditValue')} inputMode="decimal" {...field('creditValue')} />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 6 }}>
                    <TextInput
                      label={t('billing.settings.maxCoverPercent')}
                      description={t('billing.settings.maxCoverHint')}
                      inputMode="decimal"
                      {...field('maxCoverPercent')}
                    />
                  </Grid.Col>
                </Grid>
              )}
            </Stack>
          </Fieldset>

          {update.error && serverIssues(update.error).size === 0 ? <FormError error={update.error} /> : null}
          {(shown.size > 0 || server.size > 0) && (
            <div role="alert">
              <Text size="sm" c="red.9">
                {t('billing.settings.invalid', { count: shown.size || server.size })}
              </Text>
              <List size="sm" c="red.9">
                {unplacedIssues(shown.size > 0 ? shown : server).map((m, i) => (
                  <List.Item key={i}>{locale === 'fr' ? m : t('common.invalidValue')}</List.Item>
                ))}
              </List>
            </div>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setValues(settingsValues(settings))} disabled={update.isPending}>
              {t('billing.settings.reset')}
            </Button>
            <Button type="submit" loading={update.isPending}>
              {t('billing.settings.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

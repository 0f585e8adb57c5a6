import {
  Button,
  Checkbox,
  Fieldset,
  Grid,
  Group,
  MultiSelect,
  Radio,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  TagsInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  ACCESS_LEVELS,
  OCCITANIE,
  CATALOG_DOMAINS,
  EU_DATA_THEMES,
  FREQUENCIES,
  LICENCE_CODES,
  LICENCES,
  type AccessLevel,
  type DatasetPublishInput,
  type Frequency,
  type LicenceCode,
} from '@confiance/contract';
import { useGeo } from '../../../api/catalog';
import { ErrorState, FormError } from '../../../components/ErrorState';
import { useFieldErrors } from '../../../components/errors';
import { useI18n, type Translate } from '../../../i18n';
import { bboxOf } from '../CoverageMap';
import { licenceFullLabel } from '../labels';

export interface MetadataValues {
  title: string;
  description: string;
  keywords: string[];
  themes: string[];
  domains: string[];
  licence: LicenceCode | '';
  accessLevel: AccessLevel | '';
  region: boolean;
  departements: string[];
  temporalStart: string;
  temporalEnd: string;
  frequency: Frequency | null;
  contactName: string;
  contactEmail: string;
  attribution: string;
}

export const EMPTY_METADATA: MetadataValues = {
  title: '',
  description: '',
  keywords: [],
  themes: [],
  domains: [],
  licence: '',
  accessLevel: '',
  region: false,
  departements: [],
  temporalStart: '',
  temporalEnd: '',
  frequency: null,
  contactName: '',
  contactEmail: '',
  attribution: '',
};

type Metadata = Omit<DatasetPublishInput, 'organisation' | 'upload' | 'columns' | 'slug' | 'versionNotes'>;

/** Server field names (`body.contactPoint`…) to the form field that shows the message. */
const SERVER_FIELDS: Record<string, keyof MetadataValues> = {
  contactPoint: 'contactEmail',
  temporal: 'temporalEnd',
  spatial: 'departements',
};

function licenceHint(t: Translate, code: LicenceCode): string {
  const licence = LICENCES[code];
  return [
    licence.commercialUse ? t('licence.commercialAllowed') : t('licence.commercialForbidden'),
    licence.shareAlike ? t('licence.shareAlike') : null,
  ]
    .filter(Boolean)
    .join(' ');
}

/** Step 3: what the catalog shows and searches. Values are kept by the parent so "back" loses nothing. */
export function MetadataStep({
  initial,
  onChange,
  onBack,
  onPublish,
  publishing,
  error,
}: {
  initial: MetadataValues;
  onChange: (values: MetadataValues) => void;
  onBack: () => void;
  onPublish: (metadata: Metadata) => void;
  publishing: boolean;
  error: unknown;
}) {
  const { t } = useI18n();
  const departements = useGeo('departement');
  const fieldErrors = useFieldErrors();
  const form = useForm<MetadataValues>({
    initialValues: initial,
    onValuesChange: onChange,
    validate: {
      title: (v) => (v.trim() ? null : t('common.required')),
      description: (v) => (v.trim() ? null : t('common.required')),
      licence: (v) => (v ? null : t('publish.licenceRequired')),
      accessLevel: (v) => (v ? null : t('publish.accessRequired')),
      temporalEnd: (v, values) => (v && values.temporalStart && v < values.temporalStart ? t('publish.temporalOrder') : null),
      temporalStart: (v, values) => (!v && values.temporalEnd ? t('publish.temporalStartRequired') : null),
      contactEmail: (v, values) =>
        values.contactName.trim() && !v.trim()
          ? t('common.required')
          : v.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim())
            ? t('common.invalidEmail')
            : null,
      contactName: (v, values) => (!v.trim() && values.contactEmail.trim() ? t('common.required') : null),
    },
  });

  const features = departements.data?.features ?? [];
  const submit = form.onSubmit((values) => {
    const chosen = features.filter((f) => values.departements.includes(f.properties.code));
    const spatial: Metadata['spatial'] = values.region
      ? [{ level: 'region', code: OCCITANIE.code, name: OCCITANIE.name, bbox: bboxOf(features) }]
      : [];
    for (const f of chosen) spatial.push({ level: 'departement', code: f.properties.code, name: f.properties.name, bbox: bboxOf([f]) });
    onPublish({
      title: { fr: values.title.trim(), en: null },
      description: { fr: values.description.trim(), en: null },
      keywords: values.keywords.map((k) => k.trim()).filter(Boolean),
      themes: values.themes as Metadata['themes'],
      domains: values.domains as Metadata['domains'],
      licence: values.licence as LicenceCode,
      accessLevel: values.accessLevel as AccessLevel,
      spatial,
      temporal: values.temporalStart ? { start: values.temporalStart, end: values.temporalEnd || null } : null,
      frequency: values.frequency,
      contactPoint: values.contactName.trim() ? { name: values.contactName.trim(), email: values.contactEmail.trim() } : null,
      attribution: values.attribution.trim() || null,
    });
  });

  // A 400 from the server lands on the field it is about.
  const serverErrors = Object.fromEntries(
    Object.entries(fieldErrors(error)).map(([field, message]) => [SERVER_FIELDS[field] ?? field, message]),
  );

  return (
    <form onSubmit={submit} noValidate aria-label={t('publish.metadataForm')}>
      <Stack gap="lg">
        <Fieldset legend={t('publish.describe')} radius="md">
          <Stack gap="md">
            <TextInput
              label={t('publish.titleLabel')}
              required
              maxLength={200}
              {...form.getInputProps('title')}
              error={form.errors.title ?? serverErrors.title}
            />
            <Textarea
              label={t('publish.description')}
              description={t('publish.descriptionHint')}
              required
              autosize
              minRows={4}
              maxLength={10_000}
              {...form.getInputProps('description')}
              error={form.errors.description ?? serverErrors.description}
            />
            <TagsInput
              label={t('publish.keywords')}
              description={t('publish.keywordsHint')}
              maxTags={50}
              splitChars={[',', ';']}
              clearable
              {...form.getInputProps('keywords')}
            />
            <Grid gap="md">
              <Grid.Col span={{ base: 12, md: 6 }}>
                <MultiSelect
                  label={t('publish.themes')}
                  description={t('publish.themesHint')}
                  data={EU_DATA_THEMES.map((th) => ({ value: th, label: t(`themes.${th}`) }))}
                  searchable
                  clearable
                  {...form.getInputProps('themes')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <MultiSelect
                  label={t('publish.domains')}
                  description={t('publish.domainsHint')}
                  data={CATALOG_DOMAINS.map((d) => ({ value: d, label: t(`domains.${d}`) }))}
                  searchable
                  clearable
                  {...form.getInputProps('domains')}
                />
              </Grid.Col>
            </Grid>
          </Stack>
        </Fieldset>

        <Fieldset legend={t('publish.rights')} radius="md">
          <Stack gap="lg">
            <Radio.Group
              label={t('publish.licence')}
              description={t('publish.licenceHint')}
              required
              {...form.getInputProps('licence')}
              error={form.errors.licence ?? serverErrors.licence}
            >
              <Stack gap="sm" mt="xs">
                {LICENCE_CODES.map((code) => (
                  <Radio key={code} value={code} label={licenceFullLabel(t, code)} description={licenceHint(t, code)} />
                ))}
              </Stack>
            </Radio.Group>
            <Radio.Group
              label={t('publish.accessLevel')}
              description={t('publish.accessLevelHint')}
              required
              {...form.getInputProps('accessLevel')}
              error={form.errors.accessLevel ?? serverErrors.accessLevel}
            >
              <Stack gap="sm" mt="xs">
                {ACCESS_LEVELS.map((level) => (
                  <Radio key={level} value={level} label={t(`access.${level}`)} description={t(`access.explain.${level}`)} />
                ))}
              </Stack>
            </Radio.Group>
            <TextInput
              label={t('publish.attribution')}
              description={t('publish.attributionHint')}
              maxLength={500}
              {...form.getInputProps('attribution')}
            />
          </Stack>
        </Fieldset>

        <Fieldset legend={t('publish.coverage')} radius="md">
          <Stack gap="lg">
            <div>
              {departements.isPending ? (
                <Skeleton h={120} role="status" aria-label={t('app.loading')} />
              ) : departements.isError ? (
                <ErrorState title={t('map.loadFailed')} error={departements.error} onRetry={() => void departements.refetch()} />
              ) : (
                <Stack gap="sm">
                  <Checkbox label={t('publish.wholeRegion')} {...form.getInputProps('region', { type: 'checkbox' })} />
                  <Checkbox.Group
                    label={t('publish.departements')}
                    description={t('publish.departementsHint')}
                    {...form.getInputProps('departements')}
                    error={serverErrors.departements}
                  >
                    <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing={8} verticalSpacing={8} mt="xs">
                      {[...features]
                        .sort((a, b) => a.properties.code.localeCompare(b.properties.code))
                        .map((f) => (
                          <Checkbox
                            key={f.properties.code}
                            value={f.properties.code}
                            label={`${f.properties.name} (${f.properties.code})`}
                            disabled={form.values.region}
                          />
                        ))}
                    </SimpleGrid>
                  </Checkbox.Group>
                </Stack>
              )}
            </div>
            <Grid gap="md">
              <Grid.Col span={{ base: 12, sm: 6, md: 4 }}>
                <TextInput type="date" label={t('publish.temporalStart')} {...form.getInputProps('temporalStart')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6, md: 4 }}>
                <TextInput
                  type="date"
                  label={t('publish.temporalEnd')}
                  description={t('publish.temporalEndHint')}
                  {...form.getInputProps('temporalEnd')}
                  error={form.errors.temporalEnd ?? serverErrors.temporalEnd}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Select
                  label={t('publish.frequency')}
                  placeholder={t('publish.frequencyPlaceholder')}
                  data={FREQUENCIES.map((f) => ({ value: f, label: t(`frequency.${f}`) }))}
                  clearable
                  {...form.getInputProps('frequency')}
                />
              </Grid.Col>
            </Grid>
          </Stack>
        </Fieldset>

        <Fieldset legend={t('publish.contact')} radius="md">
          <Text size="sm" c="dimmed" mb="sm">
            {t('publish.contactHint')}
          </Text>
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <TextInput label={t('publish.contactName')} maxLength={200} {...form.getInputProps('contactName')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <TextInput
                type="email"
                label={t('publish.contactEmail')}
                {...form.getInputProps('contactEmail')}
                error={form.errors.contactEmail ?? serverErrors.contactEmail}
              />
            </Grid.Col>
          </Grid>
        </Fieldset>

        <FormError error={error} />
        <Group justify="space-between">
          <Button variant="default" onClick={onBack}>
            {t('publish.back')}
          </Button>
          <Button type="submit" loading={publishing}>
            {t('publish.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

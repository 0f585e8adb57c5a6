import { Grid, Modal, MultiSelect, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { DOMAINS, ORGANISATION_CATEGORIES, type Organisation, type OrganisationCategory } from '@confiance/contract';
import { useUpdateOrganisation, type OrganisationPatch } from '../../api/members';
import { FormFooter } from '../../components/FormFooter';
import { useFieldErrors } from '../../components/errors';
import { useI18n } from '../../i18n';

interface IdentityValues {
  legalName: string;
  shortName: string;
  category: OrganisationCategory;
  siren: string;
  siret: string;
  vatNumber: string;
  nafCode: string;
  address: string;
  postcode: string;
  city: string;
  website: string;
  domains: string[];
  chorusServiceCode: string;
  description: string;
}

function valuesOf(org: Organisation): IdentityValues {
  return {
    legalName: org.legalName,
    shortName: org.shortName,
    category: org.category,
    siren: org.siren ?? '',
    siret: org.siret ?? '',
    vatNumber: org.vatNumber ?? '',
    nafCode: org.nafCode ?? '',
    address: org.address ?? '',
    postcode: org.postcode ?? '',
    city: org.city ?? '',
    website: org.website ?? '',
    domains: org.domains,
    chorusServiceCode: org.chorusServiceCode ?? '',
    description: org.description ?? '',
  };
}

/**
 * Edits the organisation's identity. Only changed fields are sent; the server re-checks the whole
 * record (SIRET starts with SIREN, VAT key…) and its messages land on the matching inputs.
 */
export function IdentityEditModal({ org, opened, onClose }: { org: Organisation; opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const update = useUpdateOrganisation(org.slug);
  const fieldErrors = useFieldErrors();
  const form = useForm<IdentityValues>({
    initialValues: valuesOf(org),
    validate: {
      legalName: (v) => (v.trim().length >= 2 ? null : t('common.required')),
      shortName: (v) => (v.trim() ? null : t('common.required')),
    },
  });

  const close = () => {
    form.setValues(valuesOf(org));
    form.resetDirty(valuesOf(org));
    form.clearErrors();
    update.reset();
    onClose();
  };

  const submit = form.onSubmit((values) => {
    const patch: Record<string, unknown> = {};
    for (const key of Object.keys(values) as (keyof IdentityValues)[]) {
      if (!form.isDirty(key)) continue;
      const value = values[key];
      patch[key] = typeof value === 'string' ? value.trim() : value;
    }
    if (Object.keys(patch).length === 0) return close();
    update.mutate(patch as OrganisationPatch, {
      onSuccess: (saved) => {
        notifications.show({ color: 'teal', message: t('common.saved') });
        form.setValues(valuesOf(saved));
        form.resetDirty(valuesOf(saved));
        onClose();
      },
      onError: (error) => form.setErrors(fieldErrors(error)),
    });
  });

  const isPublic = form.values.category === 'public_body';

  return (
    <Modal opened={opened} onClose={close} title={t('org.editTitle', { name: org.shortName })} size="xl">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Grid gap="md">
            <Grid.Col span={{ base: 12, sm: 8 }}>
              <TextInput label={t('org.legalName')} required {...form.getInputProps('legalName')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 4 }}>
              <TextInput label={t('org.shortName')} required {...form.getInputProps('shortName')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <Select
                label={t('org.category')}
                data={ORGANISATION_CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) }))}
                allowDeselect={false}
                {...form.getInputProps('category')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <MultiSelect
                label={t('org.domains')}
                data={DOMAINS.map((d) => ({ value: d, label: t(`domains.${d}`) }))}
                {...form.getInputProps('domains')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 4 }}>
              <TextInput
                label={t('org.siren')}
                description={t('org.sirenHint')}
                inputMode="numeric"
                maxLength={9}
                {...form.getInputProps('siren')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 4 }}>
              <TextInput
                label={t('org.siret')}
                description={t('org.siretHint')}
                inputMode="numeric"
                maxLength={14}
                {...form.getInputProps('siret')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 4 }}>
              <TextInput label={t('org.nafCode')} description={t('org.nafHint')} maxLength={6} {...form.getInputProps('nafCode')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <TextInput label={t('org.vatNumber')} description={t('org.vatHint')} maxLength={13} {...form.getInputProps('vatNumber')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <TextInput
                label={t('org.chorusServiceCode')}
                description={t('org.chorusHint')}
                disabled={!isPublic && !form.values.chorusServiceCode}
                {...form.getInputProps('chorusServiceCode')}
              />
            </Grid.Col>
            <Grid.Col span={12}>
              <TextInput label={t('org.address')} autoComplete="street-address" {...form.getInputProps('address')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 4 }}>
              <TextInput
                label={t('org.postcode')}
                inputMode="numeric"
                maxLength={5}
                autoComplete="postal-code"
                {...form.getInputProps('postcode')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 8 }}>
              <TextInput label={t('org.city')} autoComplete="address-level2" {...form.getInputProps('city')} />
            </Grid.Col>
            <Grid.Col span={12}>
              <TextInput label={t('org.website')} type="url" placeholder="https://" {...form.getInputProps('website')} />
            </Grid.Col>
            <Grid.Col span={12}>
              <Textarea
                label={t('org.description')}
                autosize
                minRows={3}
                maxRows={8}
                maxLength={2000}
                {...form.getInputProps('description')}
              />
            </Grid.Col>
          </Grid>
          <FormFooter error={update.error} loading={update.isPending} submitLabel={t('common.save')} onCancel={close} />
        </Stack>
      </form>
    </Modal>
  );
}

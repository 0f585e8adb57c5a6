import { Modal, MultiSelect, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { DOMAINS, OCCITANIE_DEPARTEMENTS, TERRITORY_REGION } from '@confiance/contract';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCreateNeed } from '../../api/network';
import { useFieldErrors } from '../../components/errors';
import { FormFooter } from '../../components/FormFooter';
import { useI18n } from '../../i18n';
import { purposeOptions } from '../policies/labels';
import { isIsoDay, useOwnOrganisations } from './shared';

/** Posting a need: for one of the user's organisations, with its domain, territory and purpose. */
export function NeedForm({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const create = useCreateNeed();
  const serverErrors = useFieldErrors();
  const organisations = useOwnOrganisations('create', 'Need');
  const [organisation, setOrganisation] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [domain, setDomain] = useState<string | null>(null);
  const [territory, setTerritory] = useState<string[]>([TERRITORY_REGION]);
  const [purpose, setPurpose] = useState<string | null>(null);
  const [wantedBy, setWantedBy] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const chosen = organisation ?? (organisations.length === 1 ? (organisations[0]?.value ?? null) : null);
  const errors = { ...serverErrors(create.error), ...missing };

  const territories = [
    { value: TERRITORY_REGION, label: TERRITORY_REGION },
    ...Object.entries(OCCITANIE_DEPARTEMENTS)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, name]) => ({ value: code, label: `${code} – ${name}` })),
  ];

  const close = () => {
    create.reset();
    setMissing({});
    onClose();
  };
  const submit = () => {
    const problems: Record<string, string> = {};
    if (!chosen) problems.organisation = t('common.required');
    if (title.trim().length < 5) problems.title = t('common.required');
    if (description.trim().length < 20) problems.description = t('needs.form.descriptionHint');
    if (!domain) problems.domain = t('common.required');
    if (territory.length === 0) problems.territory = t('common.required');
    if (!purpose) problems.purpose = t('common.required');
    if (wantedBy && !isIsoDay(wantedBy)) problems.wantedBy = t('common.invalidValue');
    setMissing(problems);
    if (Object.keys(problems).length > 0 || !chosen || !domain || !purpose) return;
    create.mutate(
      {
        organisation: chosen,
        title: title.trim(),
        description: description.trim(),
        domain: domain as (typeof DOMAINS)[number],
        territory,
        purpose,
        wantedBy: wantedBy || null,
      },
      {
        onSuccess: (need) => {
          notifications.show({ color: 'teal', message: t('needs.form.done') });
          close();
          void navigate(`/besoins/${need.id}`);
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title={t('needs.form.title')} centered size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="md">
          {organisations.length > 1 && (
            <Select
              label={t('needs.form.organisation')}
              data={organisations}
              value={chosen}
              onChange={setOrganisation}
              error={errors.organisation}
              required
            />
          )}
          <TextInput
            label={t('needs.form.titleLabel')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={errors.title}
            maxLength={200}
            required
            data-autofocus
          />
          <Textarea
            label={t('needs.form.description')}
            description={t('needs.form.descriptionHint')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.description}
            autosize
            minRows={3}
            maxLength={5000}
            required
          />
          <Select
            label={t('needs.domain')}
            data={DOMAINS.map((d) => ({ value: d, label: t(`domains.${d}`) }))}
            value={domain}
            onChange={setDomain}
            error={errors.domain}
            required
          />
          <MultiSelect
            label={t('needs.form.territory')}
            description={t('needs.form.territoryHint')}
            data={territories}
            value={territory}
            onChange={setTerritory}
            error={errors.territory}
            searchable
            required
          />
          <Select
            label={t('needs.purpose')}
            data={purposeOptions(t, locale)}
            value={purpose}
            onChange={setPurpose}
            error={errors.purpose}
            searchable
            required
          />
          <TextInput
            label={t('needs.form.wantedBy')}
            placeholder="2027-03-31"
            value={wantedBy}
            onChange={(e) => setWantedBy(e.currentTarget.value.trim())}
            error={errors.wantedBy}
          />
          <FormFooter error={create.error} loading={create.isPending} submitLabel={t('needs.form.submit')} onCancel={close} />
        </Stack>
      </form>
    </Modal>
  );
}

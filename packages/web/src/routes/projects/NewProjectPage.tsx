import { Anchor, Breadcrumbs, Grid, MultiSelect, Paper, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { CATALOG_DOMAINS, OCCITANIE_DEPARTEMENT_CODES, OCCITANIE_DEPARTEMENTS, type CatalogDomain } from '@confiance/contract';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useDirectory } from '../../api/members';
import { useCreateProject } from '../../api/projects';
import { useSession } from '../../api/session';
import { FormFooter } from '../../components/FormFooter';
import { InfoIcon } from '../../components/Icons';
import { StatePage } from '../../components/StatePage';
import { useFieldErrors } from '../../components/errors';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { purposeOptions } from '../policies/labels';

/** /projets/nouveau — an org admin sets up a project its organisation leads and invites partners. */
export function NewProjectPage() {
  const { t, locale } = useI18n();
  usePageTitle(t('projects.new'));
  const session = useSession();
  const navigate = useNavigate();
  const create = useCreateProject();
  const toFieldErrors = useFieldErrors();
  const directory = useDirectory({ limit: 200, offset: 0 });
  const admins = (session.data?.memberships ?? []).filter((m) => m.role === 'org_admin');
  const [lead, setLead] = useState<string | null>(admins[0]?.organisationSlug ?? null);
  const [title, setTitle] = useState('');
  const [objective, setObjective] = useState('');
  const [description, setDescription] = useState('');
  const [purpose, setPurpose] = useState<string | null>(null);
  const [domains, setDomains] = useState<string[]>([]);
  const [territory, setTerritory] = useState<string[]>([]);
  const [status, setStatus] = useState<'idea' | 'setup' | 'running'>('idea');
  const [partners, setPartners] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});

  if (admins.length === 0) {
    return (
      <StatePage
        icon={<InfoIcon />}
        title={t('projects.newForbidden')}
        body={t('projects.newForbiddenBody')}
        action={{ label: t('projects.backToList'), to: '/projets' }}
      />
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (title.trim().length < 3) found.title = t('projects.form.titleTooShort');
    if (!purpose) found.purpose = t('common.required');
    setErrors(found);
    if (Object.keys(found).length > 0 || !lead || !purpose) {
      const first = ['title', 'purpose'].find((f) => found[f]);
      if (first) document.getElementById(`project-${first}`)?.focus();
      return;
    }
    create.mutate(
      {
        title: title.trim(),
        purpose,
        objective: objective.trim() || null,
        description: description.trim() || null,
        leadOrganisation: lead,
        partners,
        domains: domains as CatalogDomain[],
        territory,
        status,
      },
      {
        onSuccess: (project) => void navigate(`/projets/${project.id}`),
        onError: (error) => setErrors(toFieldErrors(error)),
      },
    );
  };

  const organisations = (directory.data?.items ?? []).filter((o) => o.slug !== lead).map((o) => ({ value: o.slug, label: o.shortName }));

  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
          <Anchor component={Link} to="/projets" size="sm">
            {t('nav.projects')}
          </Anchor>
          <Text size="sm" aria-current="page">
            {t('projects.new')}
          </Text>
        </Breadcrumbs>
        <Title order={1}>{t('projects.new')}</Title>
        <Text c="dimmed" maw={760}>
          {t('projects.newIntro')}
        </Text>
      </Stack>
      <Paper withBorder radius="md" p="lg">
        <form onSubmit={submit} noValidate aria-label={t('projects.new')}>
          <Stack gap="md">
            <Grid gap="md">
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Select
                  id="project-lead"
                  label={t('projects.form.lead')}
                  description={t('projects.form.leadHint')}
                  data={admins.map((m) => ({ value: m.organisationSlug, label: m.organisationName }))}
                  value={lead}
                  onChange={setLead}
                  allowDeselect={false}
                  required
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Select
                  id="project-status"
                  label={t('projects.form.status')}
                  data={(['idea', 'setup', 'running'] as const).map((s) => ({ value: s, label: t(`projects.status.${s}`) }))}
                  value={status}
                  onChange={(v) => v && setStatus(v as typeof status)}
                  allowDeselect={false}
                />
              </Grid.Col>
            </Grid>
            <TextInput
              id="project-title"
              label={t('projects.form.title')}
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              error={errors.title}
              required
              maxLength={200}
            />
            <Textarea
              id="project-objective"
              label={t('projects.form.objective')}
              description={t('projects.form.objectiveHint')}
              value={objective}
              onChange={(e) => setObjective(e.currentTarget.value)}
              error={errors.objective}
              autosize
              minRows={2}
              maxLength={2000}
            />
            <Textarea
              id="project-description"
              label={t('projects.form.description')}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              error={errors.description}
              autosize
              minRows={3}
              maxLength={5000}
            />
            <Select
              id="project-purpose"
              label={t('projects.purpose')}
              description={t('projects.form.purposeHint')}
              data={purposeOptions(t, locale)}
              value={purpose}
              onChange={setPurpose}
              searchable
              error={errors.purpose}
              required
            />
            <Grid gap="md">
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <MultiSelect
                  id="project-domains"
                  label={t('projects.form.domains')}
                  data={CATALOG_DOMAINS.map((d) => ({ value: d, label: t(`domains.${d}`) }))}
                  value={domains}
                  onChange={setDomains}
                  error={errors.domains}
                  clearable
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <MultiSelect
                  id="project-territory"
                  label={t('projects.form.territory')}
                  description={t('projects.form.territoryHint')}
                  data={OCCITANIE_DEPARTEMENT_CODES.map((c) => ({ value: c, label: `${OCCITANIE_DEPARTEMENTS[c]} (${c})` }))}
                  value={territory}
                  onChange={setTerritory}
                  error={errors.territory}
                  searchable
                  clearable
                />
              </Grid.Col>
            </Grid>
            <MultiSelect
              id="project-partners"
              label={t('projects.form.partners')}
              description={t('projects.form.partnersHint')}
              data={organisations}
              value={partners}
              onChange={setPartners}
              error={errors.partners}
              searchable
              clearable
            />
            <FormFooter
              error={create.error}
              loading={create.isPending}
              submitLabel={t('projects.form.submit')}
              onCancel={() => void navigate('/projets')}
            />
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}

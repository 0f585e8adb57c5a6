import { Anchor, Badge, Button, Group, Paper, Select, SimpleGrid, Skeleton, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { CATALOG_DOMAINS, PROJECT_STATUSES, can, type CatalogDomain, type ProjectStatus } from '@confiance/contract';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useProjectList, type ProjectView } from '../../api/projects';
import { usePrincipal, useSession } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { ProjectStatusBadge, territoryText, useRoleLabel } from './labels';

function ProjectCard({ project }: { project: ProjectView }) {
  const { t } = useI18n();
  const roleLabel = useRoleLabel();
  return (
    <Paper withBorder radius="md" p="md" component="article" aria-labelledby={`project-${project.id}`}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Anchor component={Link} to={`/projets/${project.id}`} fw={600} id={`project-${project.id}`}>
            {project.title}
          </Anchor>
          <ProjectStatusBadge status={project.status} />
        </Group>
        {project.objective && (
          <Text size="sm" lineClamp={3}>
            {project.objective}
          </Text>
        )}
        <Text size="sm">
          <Text span c="dimmed" size="sm">
            {t('projects.lead')} :{' '}
          </Text>
          {project.lead.name}
        </Text>
        <Text size="sm">
          <Text span c="dimmed" size="sm">
            {t('projects.partners')} :{' '}
          </Text>
          {project.partners.length === 0
            ? t('projects.noPartners')
            : project.partners.map((p) => `${p.name} (${roleLabel(p.role).toLowerCase()})`).join(', ')}
        </Text>
        {project.territory.length > 0 && (
          <Text size="sm" c="dimmed">
            {territoryText(project.territory)}
          </Text>
        )}
        {project.domains.length > 0 && (
          <Group gap={4}>
            {project.domains.map((d) => (
              <Badge key={d} variant="outline" color="gray" size="sm">
                {t(`domains.${d}`)}
              </Badge>
            ))}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** /projets — the association's projects: status, lead, partners, domains; filters; « Nouveau projet » for org admins. */
export function ProjectsPage() {
  const { t } = useI18n();
  const principal = usePrincipal();
  const session = useSession();
  usePageTitle(t('projects.listTitle'));
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('statut');
  const domainParam = params.get('domaine');
  const status = (PROJECT_STATUSES as readonly string[]).includes(statusParam ?? '') ? (statusParam as ProjectStatus) : undefined;
  const domain = (CATALOG_DOMAINS as readonly string[]).includes(domainParam ?? '') ? (domainParam as CatalogDomain) : undefined;
  const [text, setText] = useState(params.get('q') ?? '');
  const q = params.get('q') ?? undefined;
  const firstOrg = session.data?.memberships[0]?.organisationSlug;
  const mine = params.get('miens') === '1' && firstOrg ? firstOrg : undefined;
  const projects = useProjectList({ status, domain, q: q || undefined, organisation: mine });
  const canCreate = can(principal, 'create', 'Project');

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const filtered = Boolean(status || domain || q || mine);
  const items = projects.data?.items ?? [];

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>{t('projects.listTitle')}</Title>
          <Text c="dimmed" maw={760}>
            {t('projects.listIntro')}
          </Text>
        </div>
        {canCreate && (
          <Button component={Link} to="/projets/nouveau">
            {t('projects.new')}
          </Button>
        )}
      </Group>
      <form
        role="search"
        aria-label={t('projects.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setParam('q', text.trim() || null);
        }}
      >
        <Group align="flex-end" gap="md">
          <TextInput label={t('projects.search')} value={text} onChange={(e) => setText(e.currentTarget.value)} w={260} />
          <Select
            label={t('projects.filterStatus')}
            data={[
              { value: 'all', label: t('projects.allStatuses') },
              ...PROJECT_STATUSES.map((s) => ({ value: s, label: t(`projects.status.${s}`) })),
            ]}
            value={status ?? 'all'}
            onChange={(v) => setParam('statut', v && v !== 'all' ? v : null)}
            allowDeselect={false}
            w={180}
          />
          <Select
            label={t('projects.filterDomain')}
            data={[
              { value: 'all', label: t('projects.allDomains') },
              ...CATALOG_DOMAINS.map((d) => ({ value: d, label: t(`domains.${d}`) })),
            ]}
            value={domain ?? 'all'}
            onChange={(v) => setParam('domaine', v && v !== 'all' ? v : null)}
            allowDeselect={false}
            w={200}
          />
          {firstOrg && (
            <Switch
              label={t('projects.mine')}
              checked={Boolean(mine)}
              onChange={(e) => setParam('miens', e.currentTarget.checked ? '1' : null)}
              mb={8}
            />
          )}
          <Button type="submit" variant="default">
            {t('projects.searchSubmit')}
          </Button>
        </Group>
      </form>
      <Text size="sm" c="dimmed" aria-live="polite">
        {projects.data ? t('projects.count', { count: items.length }) : ''}
      </Text>
      {projects.isPending ? (
        <Skeleton h={200} role="status" aria-label={t('app.loading')} />
      ) : projects.isError ? (
        <ErrorState title={t('projects.listLoadFailed')} error={projects.error} onRetry={() => void projects.refetch()} />
      ) : items.length === 0 ? (
        <Paper withBorder radius="md" p="lg" bg="gray.0">
          <Stack gap={4}>
            <Text fw={500}>{filtered ? t('projects.emptyFiltered') : t('projects.empty')}</Text>
            <Text size="sm" c="dimmed">
              {canCreate ? t('projects.emptyHintAdmin') : t('projects.emptyHint')}
            </Text>
          </Stack>
        </Paper>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {items.map((p) => (
            <ProjectCard key={p.id} project={p} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

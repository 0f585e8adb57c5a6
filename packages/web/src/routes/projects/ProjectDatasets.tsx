import { Anchor, Badge, Button, Group, Modal, Select, Stack, Table, Text, Textarea, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { can, type ContractState, type RequestStage } from '@confiance/contract';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useDatasetSearch } from '../../api/catalog';
import { useAttachDataset, useDetachDataset, type ProjectDetailView } from '../../api/projects';
import { usePrincipal } from '../../api/session';
import { FormFooter } from '../../components/FormFooter';
import { useFieldErrors } from '../../components/errors';
import { useI18n } from '../../i18n';
import { AccessBadge } from '../catalog/labels';
import { ContractStateBadge, StageBadge } from '../contracts/labels';

type ProjectDataset = ProjectDetailView['flows']['datasets'][number];
type Use = ProjectDataset['uses'][number];

/** The admins and stewards of the project's lead and accepted partners attach and detach datasets. */
export function useCanAttach(project: ProjectDetailView): boolean {
  return can(usePrincipal(), 'create', 'ProjectDataset', { parties: [project.lead.id, ...project.partners.map((p) => p.id)] });
}

function UseLine({ use }: { use: Use }) {
  const { t } = useI18n();
  const label = t(`projects.datasets.use.${use.kind}`);
  if (use.kind === 'contract' && use.id)
    return (
      <Group gap={6} wrap="nowrap">
        <Anchor component={Link} to={`/contrats/${use.id}`} size="sm">
          {label}
        </Anchor>
        {use.state && <ContractStateBadge state={use.state as ContractState} />}
        {use.consumer && (
          <Text span size="xs" c="dimmed">
            {use.consumer}
          </Text>
        )}
      </Group>
    );
  if (use.kind === 'request' && use.id)
    return (
      <Group gap={6} wrap="nowrap">
        <Anchor component={Link} to={`/demandes/${use.id}`} size="sm">
          {label}
        </Anchor>
        {use.state && <StageBadge stage={use.state as RequestStage} />}
        {use.consumer && (
          <Text span size="xs" c="dimmed">
            {use.consumer}
          </Text>
        )}
      </Group>
    );
  return (
    <Badge variant="light" color={use.kind === 'open' ? 'teal' : 'gray'} tt="none">
      {label}
    </Badge>
  );
}

/** The « Rattacher un jeu de données » dialog: a catalog search, and a note saying what for. */
function AttachDialog({ project, opened, onClose }: { project: ProjectDetailView; opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const attach = useAttachDataset(project.id);
  const toFieldErrors = useFieldErrors();
  const [search, setSearch] = useState('');
  const [dataset, setDataset] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const results = useDatasetSearch({ q: search.trim() || undefined, pageSize: 20 });
  const taken = new Set(project.flows.datasets.filter((d) => d.attached).map((d) => d.slug));
  const options = (results.data?.items ?? [])
    .filter((d) => !taken.has(d.slug))
    .map((d) => ({ value: d.slug, label: `${d.title.fr} — ${d.publisher.name}` }));
  const close = () => {
    setDataset(null);
    setNote('');
    setSearch('');
    setErrors({});
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!dataset) {
      setErrors({ dataset: t('common.required') });
      return;
    }
    attach.mutate(
      { dataset, note: note.trim() || null },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('projects.datasets.attached') });
          close();
        },
        onError: (error) => setErrors(toFieldErrors(error)),
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title={t('projects.datasets.attach')} size="lg">
      <form onSubmit={submit} noValidate aria-label={t('projects.datasets.attach')}>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('projects.datasets.attachIntro')}
          </Text>
          <Select
            label={t('projects.datasets.search')}
            placeholder={t('projects.datasets.searchPlaceholder')}
            data={options}
            value={dataset}
            onChange={setDataset}
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            // The server searches (accents, stemming): show what it found.
            filter={({ options: all }) => all}
            nothingFoundMessage={results.isFetching ? t('app.loading') : t('projects.datasets.none')}
            error={errors.dataset}
            required
            data-autofocus
          />
          <Textarea
            label={t('projects.datasets.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={500}
            autosize
            minRows={2}
            error={errors.note}
          />
          <FormFooter error={attach.error} loading={attach.isPending} submitLabel={t('projects.datasets.attachSubmit')} onCancel={close} />
        </Stack>
      </form>
    </Modal>
  );
}

/** Every dataset the project uses, with its access level and how it is used; parties' staff attach and detach. */
export function ProjectDatasetsList({ project }: { project: ProjectDetailView }) {
  const { t, formatNumber } = useI18n();
  const canAttach = useCanAttach(project);
  const detach = useDetachDataset(project.id);
  const [attaching, setAttaching] = useState(false);
  const datasets = project.flows.datasets;
  return (
    <Stack gap="sm" data-testid="project-datasets">
      <Text size="sm" fw={500}>
        {t('projects.datasets.title')}
      </Text>
      {datasets.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('projects.datasets.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Caption>{t('projects.datasets.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('projects.flows.dataset')}</Table.Th>
                <Table.Th scope="col">{t('projects.datasets.access')}</Table.Th>
                <Table.Th scope="col">{t('projects.datasets.use')}</Table.Th>
                <Table.Th scope="col">{t('projects.datasets.queries')}</Table.Th>
                {canAttach && (
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('projects.datasets.actions')}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {datasets.map((d) => (
                <Table.Tr key={d.slug}>
                  <Table.Td>
                    <Stack gap={2}>
                      <Anchor component={Link} to={`/datasets/${d.slug}`} size="sm">
                        {d.title}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {d.provider}
                        {d.attached?.organisation &&
                          ` · ${t('projects.datasets.attachedBy', { organisation: d.attached.organisation.name })}`}
                      </Text>
                      {d.attached?.note && (
                        <Text size="xs" c="dimmed" fs="italic">
                          {d.attached.note}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <AccessBadge level={d.accessLevel} />
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={4}>
                      {d.uses.map((u, i) => (
                        <UseLine key={`${u.kind}-${u.id ?? i}`} use={u} />
                      ))}
                    </Stack>
                  </Table.Td>
                  <Table.Td>{formatNumber(d.queries)}</Table.Td>
                  {canAttach && (
                    <Table.Td>
                      {d.attached && project.status !== 'closed' && (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          loading={detach.isPending && detach.variables === d.slug}
                          onClick={() => detach.mutate(d.slug)}
                        >
                          {t('projects.datasets.detachShort')}
                          <VisuallyHidden>{t('projects.datasets.detachWhat', { title: d.title })}</VisuallyHidden>
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {detach.isError && (
        <Text size="sm" c="red" role="alert">
          {detach.error.message}
        </Text>
      )}
      {canAttach && project.status !== 'closed' && (
        <Group>
          <Button variant="light" onClick={() => setAttaching(true)}>
            {t('projects.datasets.attach')}
          </Button>
        </Group>
      )}
      {canAttach && <AttachDialog project={project} opened={attaching} onClose={() => setAttaching(false)} />}
    </Stack>
  );
}

/** The queries run under the project's contracts: per contract, and the last ones, from the query log. */
export function ProjectQueries({ project }: { project: ProjectDetailView }) {
  const { t, formatNumber, formatDateTime } = useI18n();
  const { queriesByContract, recentQueries } = project.flows;
  if (queriesByContract.length === 0) return null;
  return (
    <Stack gap="sm" data-testid="project-queries">
      <Text size="sm" fw={500}>
        {t('projects.queries.title')}
      </Text>
      <Table.ScrollContainer minWidth={560}>
        <Table striped>
          <Table.Caption>{t('projects.queries.byContract')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('projects.queries.contract')}</Table.Th>
              <Table.Th scope="col">{t('projects.flows.consumer')}</Table.Th>
              <Table.Th scope="col">{t('projects.queries.count')}</Table.Th>
              <Table.Th scope="col">{t('projects.queries.last')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {queriesByContract.map((q) => (
              <Table.Tr key={q.contract}>
                <Table.Td>
                  <Anchor component={Link} to={`/contrats/${q.contract}`} size="sm">
                    {q.dataset.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>{q.consumer.name}</Table.Td>
                <Table.Td>{formatNumber(q.count)}</Table.Td>
                <Table.Td>{q.lastAt ? formatDateTime(q.lastAt) : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {recentQueries.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" c="dimmed">
            {t('projects.queries.recent')}
          </Text>
          {recentQueries.map((q) => (
            <Text key={q.id} size="sm">
              {formatDateTime(q.at)} · {q.dataset.title} · {q.organisation?.name ?? '—'} ·{' '}
              {t(`projects.queries.mode.${q.mode as 'rows' | 'aggregate' | 'sql'}`)}
              {q.rows !== null && ` · ${t('projects.queries.rows', { count: q.rows })}`}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  List,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  CATALOG_DOMAINS,
  DELIVERABLE_KINDS,
  FUNDING_STATUSES,
  OCCITANIE_DEPARTEMENT_CODES,
  OCCITANIE_DEPARTEMENTS,
  PARTNER_ROLES,
  PROJECT_TRANSITIONS,
  can,
  type CatalogDomain,
  type ContractState,
  type DeliverableKind,
  type FundingStatus,
  type PartnerRole,
  type ProjectPatch,
  type RequestStage,
} from '@confiance/contract';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useDirectory } from '../../api/members';
import { useAnswerInvitation, useInvitePartner, useRemovePartner, useUpdateProject, type ProjectDetailView } from '../../api/projects';
import { usePrincipal, useSession } from '../../api/session';
import { FormFooter } from '../../components/FormFooter';
import { SectionHeading } from '../../components/SectionHeading';
import { useFieldErrors } from '../../components/errors';
import { useI18n } from '../../i18n';
import { ContractStateBadge, StageBadge } from '../contracts/labels';
import { REQUEST_PROJECT_KEY, useRoleLabel } from './labels';
import { ProjectDatasetsList, ProjectQueries } from './ProjectDatasets';

export function Section({ id, title, intro, children }: { id: string; title: string; intro: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby={id}>
      <Stack gap="md">
        <SectionHeading id={id} title={title} intro={intro} />
        {children}
      </Stack>
    </Paper>
  );
}

/** Whether the caller runs the project: an admin of its lead organisation. */
export function useCanRun(project: ProjectDetailView): boolean {
  return can(usePrincipal(), 'update', 'Project', { organisationId: project.lead.id });
}

/** The banner an invited organisation's people see; its admins accept or decline there. */
export function InvitationBanner({ project }: { project: ProjectDetailView }) {
  const { t } = useI18n();
  const session = useSession();
  const principal = usePrincipal();
  const answer = useAnswerInvitation(project.id);
  const roleLabel = useRoleLabel();
  const memberships = session.data?.memberships ?? [];
  const invited = project.invited.filter((i) => memberships.some((m) => m.organisationId === i.id));
  if (invited.length === 0) return null;
  return (
    <>
      {invited.map((i) => {
        const isAdmin = can(principal, 'update', 'ProjectPartner', { organisationId: i.id });
        const reply = (value: 'accept' | 'decline') =>
          answer.mutate(
            { organisation: i.slug, answer: value },
            {
              onSuccess: () =>
                notifications.show({
                  color: value === 'accept' ? 'teal' : 'gray',
                  message: value === 'accept' ? t('projects.invitation.accepted') : t('projects.invitation.declined'),
                }),
            },
          );
        return (
          <section key={i.id} aria-label={t('projects.invitation.label')}>
            <Alert color="blue" variant="light" title={t('projects.invitation.title', { organisation: i.name })}>
              <Stack gap="sm">
                <Text size="sm">{t('projects.invitation.body', { lead: project.lead.name, role: roleLabel(i.role).toLowerCase() })}</Text>
                {isAdmin ? (
                  <Group gap="sm">
                    <Button size="sm" onClick={() => reply('accept')} loading={answer.isPending && answer.variables?.answer === 'accept'}>
                      {t('projects.invitation.accept')}
                    </Button>
                    <Button
                      size="sm"
                      variant="default"
                      onClick={() => reply('decline')}
                      loading={answer.isPending && answer.variables?.answer === 'decline'}
                    >
                      {t('projects.invitation.decline')}
                    </Button>
                  </Group>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('projects.invitation.waitAdmin')}
                  </Text>
                )}
                {answer.isError && (
                  <Text size="sm" c="red" role="alert">
                    {answer.error.message}
                  </Text>
                )}
              </Stack>
            </Alert>
          </section>
        );
      })}
    </>
  );
}

/** The lead's admin edits the project's description: title, objective, description, domains, territory. */
function EditDialog({ project, opened, onClose }: { project: ProjectDetailView; opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const update = useUpdateProject(project.id);
  const toFieldErrors = useFieldErrors();
  const [title, setTitle] = useState(project.title);
  const [objective, setObjective] = useState(project.objective ?? '');
  const [description, setDescription] = useState(project.description ?? '');
  const [domains, setDomains] = useState<string[]>(project.domains);
  const [territory, setTerritory] = useState<string[]>(project.territory);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(
      {
        title: title.trim(),
        objective: objective.trim() || null,
        description: description.trim() || null,
        domains: domains as CatalogDomain[],
        territory,
      },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('projects.edit.saved') });
          setErrors({});
          onClose();
        },
        onError: (error) => setErrors(toFieldErrors(error)),
      },
    );
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('projects.edit.title')} size="lg">
      <form onSubmit={submit} noValidate aria-label={t('projects.edit.title')}>
        <Stack gap="md">
          <TextInput
            label={t('projects.form.title')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={errors.title}
            required
            data-autofocus
          />
          <Textarea
            label={t('projects.form.objective')}
            value={objective}
            onChange={(e) => setObjective(e.currentTarget.value)}
            error={errors.objective}
            autosize
            minRows={2}
          />
          <Textarea
            label={t('projects.form.description')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.description}
            autosize
            minRows={3}
          />
          <MultiSelect
            label={t('projects.form.domains')}
            data={CATALOG_DOMAINS.map((d) => ({ value: d, label: t(`domains.${d}`) }))}
            value={domains}
            onChange={setDomains}
            error={errors.domains}
            clearable
          />
          <MultiSelect
            label={t('projects.form.territory')}
            data={OCCITANIE_DEPARTEMENT_CODES.map((c) => ({ value: c, label: `${OCCITANIE_DEPARTEMENTS[c]} (${c})` }))}
            value={territory}
            onChange={setTerritory}
            error={errors.territory}
            searchable
            clearable
          />
          <FormFooter error={update.error} loading={update.isPending} submitLabel={t('projects.edit.submit')} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

/** The lead's admin moves the project along its lifecycle and edits its description. */
export function StatusControl({ project }: { project: ProjectDetailView }) {
  const { t } = useI18n();
  const update = useUpdateProject(project.id);
  const [editing, setEditing] = useState(false);
  if (!useCanRun(project)) return null;
  return (
    <Group gap="sm" aria-label={t('projects.statusActions')} role="group">
      <Button size="xs" variant="default" onClick={() => setEditing(true)}>
        {t('projects.edit.open')}
      </Button>
      {editing && <EditDialog project={project} opened={editing} onClose={() => setEditing(false)} />}
      {PROJECT_TRANSITIONS[project.status].map((next) => (
        <Button
          key={next}
          size="xs"
          variant={next === 'closed' ? 'default' : 'light'}
          loading={update.isPending && update.variables?.status === next}
          onClick={() => update.mutate({ status: next })}
        >
          {t(`projects.moveTo.${next}`)}
        </Button>
      ))}
      {update.isError && (
        <Text size="sm" c="red" role="alert">
          {update.error.message}
        </Text>
      )}
    </Group>
  );
}

const orgLink = (org: { slug: string; name: string }) => (
  <Anchor component={Link} to={`/organisations/${org.slug}`} size="sm">
    {org.name}
  </Anchor>
);

function InviteDialog({ project, opened, onClose }: { project: ProjectDetailView; opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const directory = useDirectory({ limit: 200, offset: 0 });
  const invite = useInvitePartner(project.id);
  const toFieldErrors = useFieldErrors();
  const [organisation, setOrganisation] = useState<string | null>(null);
  const [role, setRole] = useState<PartnerRole>('partner');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const taken = new Set([project.lead.slug, ...project.partners.map((p) => p.slug), ...project.invited.map((p) => p.slug)]);
  const options = (directory.data?.items ?? []).filter((o) => !taken.has(o.slug)).map((o) => ({ value: o.slug, label: o.shortName }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!organisation) {
      setErrors({ organisation: t('common.required') });
      return;
    }
    invite.mutate(
      { organisation, role },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('projects.partnersSection.invited') });
          setOrganisation(null);
          setErrors({});
          onClose();
        },
        onError: (error) => setErrors(toFieldErrors(error)),
      },
    );
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('projects.partnersSection.inviteTitle')}>
      <form onSubmit={submit} noValidate aria-label={t('projects.partnersSection.inviteTitle')}>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('projects.partnersSection.inviteIntro')}
          </Text>
          <Select
            label={t('projects.partnersSection.organisation')}
            data={options}
            value={organisation}
            onChange={setOrganisation}
            searchable
            error={errors.organisation}
            required
            data-autofocus
          />
          <Select
            label={t('projects.partnersSection.role')}
            data={PARTNER_ROLES.map((r) => ({ value: r, label: t(`projects.role.${r}`) }))}
            value={role}
            onChange={(v) => v && setRole(v as PartnerRole)}
            allowDeselect={false}
            error={errors.role}
          />
          <FormFooter
            error={invite.error}
            loading={invite.isPending}
            submitLabel={t('projects.partnersSection.inviteSubmit')}
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}

/** Lead, partners, invitations pending or declined; the lead's admin invites and removes. */
export function PartnersSection({ project }: { project: ProjectDetailView }) {
  const { t } = useI18n();
  const roleLabel = useRoleLabel();
  const canRun = useCanRun(project);
  const remove = useRemovePartner(project.id);
  const [inviting, setInviting] = useState(false);
  const rows = [
    { org: project.lead, role: roleLabel('lead'), state: t('projects.partnersSection.stateLead'), removable: false },
    ...project.partners.map((p) => ({
      org: p,
      role: roleLabel(p.role),
      state: t('projects.partnersSection.statePartner'),
      removable: true,
    })),
    ...project.invited.map((p) => ({
      org: p,
      role: roleLabel(p.role),
      state: t('projects.partnersSection.stateInvited'),
      removable: true,
    })),
    ...project.declined.map((p) => ({
      org: p,
      role: roleLabel(p.role),
      state: t('projects.partnersSection.stateDeclined'),
      removable: true,
    })),
  ];
  return (
    <Section id="project-partners" title={t('projects.partnersSection.title')} intro={t('projects.partnersSection.intro')}>
      <Table.ScrollContainer minWidth={480}>
        <Table striped>
          <Table.Caption>{t('projects.partnersSection.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('projects.partnersSection.organisation')}</Table.Th>
              <Table.Th scope="col">{t('projects.partnersSection.role')}</Table.Th>
              <Table.Th scope="col">{t('projects.partnersSection.state')}</Table.Th>
              {canRun && (
                <Table.Th scope="col">
                  <VisuallyHidden>{t('projects.partnersSection.actions')}</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.org.id}>
                <Table.Td>{orgLink(r.org)}</Table.Td>
                <Table.Td>{r.role}</Table.Td>
                <Table.Td>{r.state}</Table.Td>
                {canRun && (
                  <Table.Td>
                    {r.removable && (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        loading={remove.isPending && remove.variables === r.org.slug}
                        onClick={() => remove.mutate(r.org.slug)}
                        aria-label={t('projects.partnersSection.remove', { organisation: r.org.name })}
                      >
                        {t('projects.partnersSection.removeShort')}
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {remove.isError && (
        <Text size="sm" c="red" role="alert">
          {remove.error.message}
        </Text>
      )}
      {canRun && project.status !== 'closed' && (
        <Group>
          <Button variant="light" onClick={() => setInviting(true)}>
            {t('projects.partnersSection.invite')}
          </Button>
        </Group>
      )}
      {canRun && <InviteDialog project={project} opened={inviting} onClose={() => setInviting(false)} />}
    </Section>
  );
}

type Milestone = ProjectDetailView['milestones'][number];
type Funding = ProjectDetailView['funding'][number];
type Deliverable = ProjectDetailView['deliverables'][number];

const toMilestoneInput = (m: Milestone) => ({ title: m.title, dueOn: m.dueOn, done: m.done });
const toFundingInput = (f: Funding) => ({ ...f });
const toDeliverableInput = (d: Deliverable) => ({
  title: d.title,
  kind: d.kind,
  link: d.link,
  dataset: d.dataset?.slug ?? null,
  dueOn: d.dueOn,
  deliveredOn: d.deliveredOn,
});

/** A small form the lead's admin adds an item with; the whole list is sent again (PATCH). */
function AddForm({
  label,
  onSubmit,
  pending,
  error,
  children,
}: {
  label: string;
  onSubmit: () => void;
  pending: boolean;
  error: unknown;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <form
      aria-label={label}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
          {children}
        </SimpleGrid>
        <FormFooter error={error} loading={pending} submitLabel={t('projects.lists.add')} />
      </Stack>
    </form>
  );
}

export function MilestonesSection({ project }: { project: ProjectDetailView }) {
  const { t, formatDate } = useI18n();
  const canRun = useCanRun(project);
  const update = useUpdateProject(project.id);
  const [title, setTitle] = useState('');
  const [dueOn, setDueOn] = useState('');
  const save = (milestones: ProjectPatch['milestones']) => update.mutate({ milestones });
  return (
    <Section id="project-milestones" title={t('projects.milestones.title')} intro={t('projects.milestones.intro')}>
      {project.milestones.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('projects.milestones.empty')}
        </Text>
      ) : (
        <List listStyleType="none" spacing="xs">
          {project.milestones.map((m, i) => (
            <List.Item key={`${i}-${m.title}`}>
              <Checkbox
                label={`${m.title}${m.dueOn ? ` — ${t('projects.milestones.due', { date: formatDate(m.dueOn) })}` : ''}`}
                checked={m.done}
                disabled={!canRun || update.isPending}
                onChange={(e) =>
                  save(project.milestones.map((x, j) => ({ ...toMilestoneInput(x), done: j === i ? e.currentTarget.checked : x.done })))
                }
              />
            </List.Item>
          ))}
        </List>
      )}
      {canRun && (
        <AddForm
          label={t('projects.milestones.add')}
          pending={update.isPending}
          error={update.error}
          onSubmit={() => {
            if (title.trim().length < 2) return;
            update.mutate(
              { milestones: [...project.milestones.map(toMilestoneInput), { title: title.trim(), dueOn: dueOn || null, done: false }] },
              { onSuccess: () => (setTitle(''), setDueOn('')) },
            );
          }}
        >
          <TextInput label={t('projects.milestones.name')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required />
          <TextInput type="date" label={t('projects.lists.dueOn')} value={dueOn} onChange={(e) => setDueOn(e.currentTarget.value)} />
        </AddForm>
      )}
    </Section>
  );
}

export function FundingSection({ project }: { project: ProjectDetailView }) {
  const { t, formatDate, formatNumber } = useI18n();
  const canRun = useCanRun(project);
  const update = useUpdateProject(project.id);
  const [call, setCall] = useState('');
  const [funder, setFunder] = useState('');
  const [amount, setAmount] = useState<number | string>('');
  const [status, setStatus] = useState<FundingStatus>('draft');
  return (
    <Section id="project-funding" title={t('projects.funding.title')} intro={t('projects.funding.intro')}>
      {project.funding.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('projects.funding.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped>
            <Table.Caption>{t('projects.funding.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('projects.funding.call')}</Table.Th>
                <Table.Th scope="col">{t('projects.funding.funder')}</Table.Th>
                <Table.Th scope="col">{t('projects.funding.amount')}</Table.Th>
                <Table.Th scope="col">{t('projects.funding.status')}</Table.Th>
                <Table.Th scope="col">{t('projects.funding.dates')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {project.funding.map((f, i) => (
                <Table.Tr key={`${i}-${f.call}`}>
                  <Table.Td>{f.call}</Table.Td>
                  <Table.Td>{f.funder}</Table.Td>
                  <Table.Td>{f.amount === null ? '—' : `${formatNumber(f.amount)} €`}</Table.Td>
                  <Table.Td>{t(`projects.fundingStatus.${f.status}`)}</Table.Td>
                  <Table.Td>
                    {[
                      f.submittedOn ? t('projects.funding.submittedOn', { date: formatDate(f.submittedOn) }) : null,
                      f.decidedOn ? t('projects.funding.decidedOn', { date: formatDate(f.decidedOn) }) : null,
                    ]
                      .filter(Boolean)
                      .join(' · ') || '—'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {canRun && (
        <AddForm
          label={t('projects.funding.add')}
          pending={update.isPending}
          error={update.error}
          onSubmit={() => {
            if (call.trim().length < 2 || funder.trim().length < 2) return;
            update.mutate(
              {
                funding: [
                  ...project.funding.map(toFundingInput),
                  { call: call.trim(), funder: funder.trim(), amount: typeof amount === 'number' ? amount : null, status },
                ],
              },
              { onSuccess: () => (setCall(''), setFunder(''), setAmount('')) },
            );
          }}
        >
          <TextInput label={t('projects.funding.call')} value={call} onChange={(e) => setCall(e.currentTarget.value)} required />
          <TextInput label={t('projects.funding.funder')} value={funder} onChange={(e) => setFunder(e.currentTarget.value)} required />
          <NumberInput
            label={t('projects.funding.amountEuros')}
            value={amount}
            onChange={setAmount}
            min={0}
            allowDecimal={false}
            thousandSeparator=" "
          />
          <Select
            label={t('projects.funding.status')}
            data={FUNDING_STATUSES.map((s) => ({ value: s, label: t(`projects.fundingStatus.${s}`) }))}
            value={status}
            onChange={(v) => v && setStatus(v as FundingStatus)}
            allowDeselect={false}
          />
        </AddForm>
      )}
    </Section>
  );
}

export function DeliverablesSection({ project }: { project: ProjectDetailView }) {
  const { t, formatDate } = useI18n();
  const canRun = useCanRun(project);
  const update = useUpdateProject(project.id);
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<DeliverableKind>('report');
  const [link, setLink] = useState('');
  const [dueOn, setDueOn] = useState('');
  return (
    <Section id="project-deliverables" title={t('projects.deliverables.title')} intro={t('projects.deliverables.intro')}>
      {project.deliverables.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('projects.deliverables.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped>
            <Table.Caption>{t('projects.deliverables.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('projects.deliverables.name')}</Table.Th>
                <Table.Th scope="col">{t('projects.deliverables.kind')}</Table.Th>
                <Table.Th scope="col">{t('projects.deliverables.where')}</Table.Th>
                <Table.Th scope="col">{t('projects.lists.dueOn')}</Table.Th>
                <Table.Th scope="col">{t('projects.deliverables.delivered')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {project.deliverables.map((d, i) => (
                <Table.Tr key={`${i}-${d.title}`}>
                  <Table.Td>{d.title}</Table.Td>
                  <Table.Td>{t(`projects.deliverableKind.${d.kind}`)}</Table.Td>
                  <Table.Td>
                    {d.dataset ? (
                      <Anchor component={Link} to={`/datasets/${d.dataset.slug}`} size="sm">
                        {d.dataset.title}
                      </Anchor>
                    ) : d.link ? (
                      <Anchor href={d.link} size="sm" target="_blank" rel="noreferrer">
                        {new URL(d.link).hostname}
                      </Anchor>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>{d.dueOn ? formatDate(d.dueOn) : '—'}</Table.Td>
                  <Table.Td>
                    {d.deliveredOn ? (
                      formatDate(d.deliveredOn)
                    ) : canRun ? (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        aria-label={t('projects.deliverables.markDeliveredOf', { title: d.title })}
                        loading={update.isPending}
                        onClick={() =>
                          update.mutate({
                            deliverables: project.deliverables.map((x, j) => ({
                              ...toDeliverableInput(x),
                              deliveredOn: j === i ? new Date().toISOString().slice(0, 10) : x.deliveredOn,
                            })),
                          })
                        }
                      >
                        {t('projects.deliverables.markDelivered')}
                      </Button>
                    ) : (
                      t('projects.deliverables.notYet')
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {canRun && (
        <AddForm
          label={t('projects.deliverables.add')}
          pending={update.isPending}
          error={update.error}
          onSubmit={() => {
            if (title.trim().length < 2) return;
            update.mutate(
              {
                deliverables: [
                  ...project.deliverables.map(toDeliverableInput),
                  { title: title.trim(), kind, link: link.trim() || null, dueOn: dueOn || null },
                ],
              },
              { onSuccess: () => (setTitle(''), setLink(''), setDueOn('')) },
            );
          }}
        >
          <TextInput label={t('projects.deliverables.name')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required />
          <Select
            label={t('projects.deliverables.kind')}
            data={DELIVERABLE_KINDS.map((k) => ({ value: k, label: t(`projects.deliverableKind.${k}`) }))}
            value={kind}
            onChange={(v) => v && setKind(v as DeliverableKind)}
            allowDeselect={false}
          />
          <TextInput type="url" label={t('projects.deliverables.link')} value={link} onChange={(e) => setLink(e.currentTarget.value)} />
          <TextInput type="date" label={t('projects.lists.dueOn')} value={dueOn} onChange={(e) => setDueOn(e.currentTarget.value)} />
        </AddForm>
      )}
    </Section>
  );
}

/** Requests made for the project, contracts in force, queries run under them, datasets attached. */
export function FlowsSection({ project }: { project: ProjectDetailView }) {
  const { t, formatNumber } = useI18n();
  const { flows } = project;
  const active = flows.contracts.filter((c) => c.state === 'active').length;
  return (
    <Section id="project-flows" title={t('projects.flows.title')} intro={t('projects.flows.intro')}>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        {[
          { label: t('projects.flows.requests'), value: flows.requests.length },
          { label: t('projects.flows.activeContracts'), value: active },
          { label: t('projects.flows.queries'), value: flows.queries },
          { label: t('projects.flows.datasets'), value: flows.datasets.length },
        ].map((k) => (
          <Paper key={k.label} withBorder p="sm" radius="md">
            <Text size="xl" fw={700}>
              {formatNumber(k.value)}
            </Text>
            <Text size="sm" c="dimmed">
              {k.label}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      {project.status !== 'closed' && (
        <Group>
          <Button
            component={Link}
            to={`/datasets?projet=${project.id}`}
            variant="light"
            onClick={() => sessionStorage.setItem(REQUEST_PROJECT_KEY, project.id)}
          >
            {t('projects.flows.requestForProject')}
          </Button>
        </Group>
      )}
      {flows.requests.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('projects.flows.noRequests')}
        </Text>
      ) : (
        <FlowTable
          caption={t('projects.flows.requestsCaption')}
          statusLabel={t('projects.flows.stage')}
          dateLabel={t('projects.flows.date')}
          rows={flows.requests.map((r) => ({
            id: r.id,
            link: `/demandes/${r.id}`,
            dataset: r.dataset.title,
            provider: r.provider.name,
            consumer: r.consumer.name,
            status: <StageBadge stage={r.stage as RequestStage} />,
            date: r.createdAt,
          }))}
        />
      )}
      {flows.contracts.length > 0 && (
        <FlowTable
          caption={t('projects.flows.contractsCaption')}
          statusLabel={t('projects.flows.state')}
          dateLabel={t('projects.flows.until')}
          rows={flows.contracts.map((c) => ({
            id: c.id,
            link: `/contrats/${c.id}`,
            dataset: c.dataset.title,
            provider: c.provider.name,
            consumer: c.consumer.name,
            status: <ContractStateBadge state={c.state as ContractState} />,
            date: c.validUntil,
          }))}
        />
      )}
      <ProjectQueries project={project} />
      <ProjectDatasetsList project={project} />
    </Section>
  );
}

interface FlowRow {
  id: string;
  link: string;
  dataset: string;
  provider: string;
  consumer: string;
  status: ReactNode;
  date: string;
}

/** The project's requests and its contracts: which data flows from whom to whom, where it stands. */
function FlowTable({
  caption,
  statusLabel,
  dateLabel,
  rows,
}: {
  caption: string;
  statusLabel: string;
  dateLabel: string;
  rows: FlowRow[];
}) {
  const { t, formatDate } = useI18n();
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped>
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('projects.flows.dataset')}</Table.Th>
            <Table.Th scope="col">{t('projects.flows.provider')}</Table.Th>
            <Table.Th scope="col">{t('projects.flows.consumer')}</Table.Th>
            <Table.Th scope="col">{statusLabel}</Table.Th>
            <Table.Th scope="col">{dateLabel}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                <Anchor component={Link} to={r.link} size="sm">
                  {r.dataset}
                </Anchor>
              </Table.Td>
              <Table.Td>{r.provider}</Table.Td>
              <Table.Td>{r.consumer}</Table.Td>
              <Table.Td>{r.status}</Table.Td>
              <Table.Td>{formatDate(r.date)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Fieldset,
  List,
  Group,
  Paper,
  Radio,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ApiError, OCCITANIE_DEPARTEMENTS, can, parseEuros, tryParsePercent, BASIS_POINTS_PER_UNIT } from '@confiance/contract';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { usePrincipal, useSession } from '../../api/session';
import { CoverageMap } from '../catalog/CoverageMap';
import { ProjectStatusBadge, territoryText, useRoleLabel } from './labels';
import {
  DeliverablesSection,
  FlowsSection,
  FundingSection,
  InvitationBanner,
  MilestonesSection,
  PartnersSection,
  StatusControl,
} from './ProjectSections';
import {
  useAddRevenue,
  useFairReturn,
  useProject,
  type ContributionView,
  type FairReturnView,
  type ProjectView,
  type RevenueInput,
  type RevenueView,
} from '../../api/projects';
import { BarChart } from '../../components/BarChart';
import { DetailState } from '../../components/DetailState';
import { ErrorState } from '../../components/ErrorState';
import { FormFooter } from '../../components/FormFooter';
import { isApiError, useFieldErrors } from '../../components/errors';
import { InfoIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n, type Locale } from '../../i18n';
import { FrenchText, purposeText } from '../policies/labels';
import { Facts } from '../contracts/RequestDetails';

const INTL: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

function useEuros() {
  const { locale } = useI18n();
  const format = new Intl.NumberFormat(INTL[locale], { style: 'currency', currency: 'EUR' });
  return (cents: number) => format.format(cents / 100);
}

function Section({ id, title, intro, children }: { id: string; title: string; intro: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby={id}>
      <Stack gap="md">
        <SectionHeading id={id} title={title} intro={intro} />
        {children}
      </Stack>
    </Paper>
  );
}

const orgLink = (org: { slug: string; name: string }) => (
  <Anchor component={Link} to={`/organisations/${org.slug}`} size="sm">
    {org.name}
  </Anchor>
);

/** Each provider's measured use, as bars (queries) and as the table that carries every figure. */
function Contributions({ contributions }: { contributions: readonly ContributionView[] }) {
  const { t, formatNumber } = useI18n();
  if (contributions.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('fairReturn.noContributions')}
      </Text>
    );
  }
  const top = [...contributions].sort((a, b) => b.queries - a.queries)[0]!;
  return (
    <Stack gap="sm">
      {top.queries > 0 ? (
        <BarChart
          bars={contributions.map((c) => ({ label: c.provider.name, count: c.queries }))}
          label={t('fairReturn.chartLabel', { provider: top.provider.name, count: top.queries })}
        />
      ) : (
        <Text size="sm" c="dimmed">
          {t('fairReturn.noQueries')}
        </Text>
      )}
      <Table.ScrollContainer minWidth={560}>
        <Table aria-label={t('fairReturn.contributionsTitle')} verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('fairReturn.provider')}</Table.Th>
              <Table.Th scope="col">{t('fairReturn.datasets')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('fairReturn.queries')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('fairReturn.rows')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {contributions.map((c) => (
              <Table.Tr key={c.provider.slug}>
                <Table.Th scope="row" fw={500}>
                  {orgLink(c.provider)}
                </Table.Th>
                <Table.Td>
                  <Text size="sm">{c.datasets.join(' · ')}</Text>
                </Table.Td>
                <Table.Td ta="right">{formatNumber(c.queries)}</Table.Td>
                <Table.Td ta="right">{formatNumber(c.rows)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** One revenue: what, how much, when, how it is split — each step of the computation, then the shares. */
function Revenue({ revenue }: { revenue: RevenueView }) {
  const { t, formatDate, formatNumber } = useI18n();
  const euros = useEuros();
  const headingId = `revenue-${revenue.id}`;
  const method =
    revenue.method === 'key'
      ? t('fairReturn.method.key')
      : t('fairReturn.method.measured', { measure: t(`fairReturn.measure.${revenue.measure ?? 'queries'}`) });
  return (
    <Paper withBorder radius="md" p="md" component="article" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" align="baseline" wrap="wrap">
          <Title order={3} size="h4" id={headingId}>
            {revenue.label}
          </Title>
          <Text fw={700}>{euros(revenue.amount)}</Text>
        </Group>
        <Group gap="xs">
          <Badge variant="light">{method}</Badge>
          <Text size="sm" c="dimmed">
            {t('fairReturn.receivedOn', { date: formatDate(revenue.receivedOn) })}
          </Text>
        </Group>
        {revenue.problem || !revenue.split ? (
          <Alert color="yellow" variant="light" icon={<InfoIcon />} title={t('fairReturn.problemTitle')}>
            <Text size="sm">
              <FrenchText>{revenue.problem ?? t('fairReturn.problemUnknown')}</FrenchText>
            </Text>
          </Alert>
        ) : (
          <>
            <Title order={4} size="h5">
              {t('fairReturn.stepsTitle')}
            </Title>
            <List type="ordered" spacing={4} size="sm">
              {revenue.split.steps.map((step, i) => (
                <List.Item key={i}>
                  <FrenchText>{step.text}</FrenchText>
                </List.Item>
              ))}
            </List>
            <Table.ScrollContainer minWidth={560}>
              <Table aria-label={t('fairReturn.sharesLabel', { revenue: revenue.label })} verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('fairReturn.contributor')}</Table.Th>
                    <Table.Th scope="col" ta="right">
                      {revenue.method === 'key' ? t('fairReturn.weightKey') : t('fairReturn.weightMeasured')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('fairReturn.exact')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('fairReturn.amount')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {revenue.split.shares.map((share) => (
                    <Table.Tr key={share.id}>
                      <Table.Th scope="row" fw={500}>
                        {share.name}
                      </Table.Th>
                      <Table.Td ta="right">
                        {revenue.method === 'key' ? `${formatNumber(share.weight / 100)} %` : formatNumber(share.weight)}
                      </Table.Td>
                      <Table.Td ta="right">
                        <FrenchText>{share.exact}</FrenchText>
                      </Table.Td>
                      <Table.Td ta="right" fw={600}>
                        {euros(share.amount)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
                <Table.Tfoot>
                  <Table.Tr>
                    <Table.Th scope="row">{t('fairReturn.total')}</Table.Th>
                    <Table.Td />
                    <Table.Td />
                    <Table.Td ta="right" fw={700}>
                      {euros(revenue.split.shares.reduce((s, x) => s + x.amount, 0))}
                    </Table.Td>
                  </Table.Tr>
                </Table.Tfoot>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </Stack>
    </Paper>
  );
}

/** Who may receive a share: the providers of the project's contracts, then its lead and partners. */
function candidatesOf(project: ProjectView, view: FairReturnView) {
  const all = [...view.contributions.map((c) => c.provider), project.lead, ...project.partners].map((o) => ({
    slug: o.slug,
    name: o.name,
  }));
  return all.filter((o, i) => all.findIndex((x) => x.slug === o.slug) === i);
}

const today = () => new Date().toISOString().slice(0, 10);

/** « Enregistrer un financement »: for the lead's admin; the server recomputes and checks everything. */
function RevenueForm({ project, view }: { project: ProjectView; view: FairReturnView }) {
  const { t, locale, formatNumber } = useI18n();
  const add = useAddRevenue(project.id);
  const serverFieldErrors = useFieldErrors();
  const candidates = candidatesOf(project, view);
  const [label, setLabel] = useState('');
  const [amount, setAmount] = useState('');
  const [receivedOn, setReceivedOn] = useState(today);
  const [method, setMethod] = useState<'key' | 'measured'>('measured');
  const [measure, setMeasure] = useState<'queries' | 'rows'>('queries');
  const [key, setKey] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});

  const percents = Object.values(key).filter((v) => v.trim() !== '');
  const total = percents.reduce((s, v) => s + (tryParsePercent(v) ?? 0), 0);
  const fromServer = add.error ? serverFieldErrors(add.error) : {};
  const errorOf = (field: string) => errors[field] ?? fromServer[field];

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (label.trim().length < 3) found.label = t('fairReturn.form.labelTooShort');
    let cents = 0;
    try {
      cents = parseEuros(amount);
      if (cents < 1) found.amount = t('fairReturn.form.amountInvalid');
    } catch {
      found.amount = t('fairReturn.form.amountInvalid');
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(receivedOn)) found.receivedOn = t('fairReturn.form.dateInvalid');
    const entries = Object.entries(key).filter(([, v]) => v.trim() !== '');
    if (method === 'key') {
      if (entries.some(([, v]) => tryParsePercent(v) === null)) found.key = t('fairReturn.form.percentInvalid');
      else if (total !== BASIS_POINTS_PER_UNIT) found.key = t('fairReturn.form.keyTotal', { total: formatNumber(total / 100) });
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const input: RevenueInput = {
      label: label.trim(),
      amount: cents,
      receivedOn,
      method,
      ...(method === 'measured' ? { measure } : { key: Object.fromEntries(entries.map(([slug, v]) => [slug, v.trim()])) }),
    };
    add.mutate(input, {
      onSuccess: () => {
        notifications.show({ color: 'green', message: t('fairReturn.form.recorded', { label: input.label }) });
        setLabel('');
        setAmount('');
        setKey({});
      },
    });
  }

  // The node explains a refused split in French (a key that does not total 100 %, no measured use): shown as it is in French.
  const serverMessage =
    add.error instanceof ApiError && add.error.code === 'validation_failed' && locale === 'fr' ? add.error.message : null;

  return (
    <form onSubmit={submit} noValidate aria-labelledby="revenue-form-title">
      <Stack gap="sm">
        <Title order={3} size="h4" id="revenue-form-title">
          {t('fairReturn.form.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('fairReturn.form.intro')}
        </Text>
        <TextInput
          label={t('fairReturn.form.label')}
          value={label}
          onChange={(e) => setLabel(e.currentTarget.value)}
          error={errorOf('label')}
          required
        />
        <Group grow align="flex-start">
          <TextInput
            label={t('fairReturn.form.amount')}
            description={t('fairReturn.form.amountHint')}
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)}
            rightSection="€"
            error={errorOf('amount')}
            required
          />
          <TextInput
            type="date"
            label={t('fairReturn.form.receivedOn')}
            value={receivedOn}
            onChange={(e) => setReceivedOn(e.currentTarget.value)}
            error={errorOf('receivedOn')}
            required
          />
        </Group>
        <Radio.Group
          label={t('fairReturn.form.method')}
          value={method}
          onChange={(v) => setMethod(v === 'key' ? 'key' : 'measured')}
          error={errorOf('method')}
        >
          <Stack gap={6} mt={6}>
            <Radio value="measured" label={t('fairReturn.form.methodMeasured')} />
            <Radio value="key" label={t('fairReturn.form.methodKey')} />
          </Stack>
        </Radio.Group>
        {method === 'measured' ? (
          <Radio.Group
            label={t('fairReturn.form.measure')}
            value={measure}
            onChange={(v) => setMeasure(v === 'rows' ? 'rows' : 'queries')}
            error={errorOf('measure')}
          >
            <Group gap="lg" mt={6}>
              <Radio value="queries" label={t('fairReturn.measure.queries')} />
              <Radio value="rows" label={t('fairReturn.measure.rows')} />
            </Group>
          </Radio.Group>
        ) : (
          <Fieldset legend={t('fairReturn.form.key')} variant="unstyled">
            <Text size="xs" c="dimmed" mb={6}>
              {t('fairReturn.form.keyHint')}
            </Text>
            <Stack gap={6}>
              {candidates.map((c) => (
                <TextInput
                  key={c.slug}
                  label={c.name}
                  inputMode="decimal"
                  value={key[c.slug] ?? ''}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    setKey((k) => ({ ...k, [c.slug]: value }));
                  }}
                  rightSection="%"
                  maw={320}
                />
              ))}
            </Stack>
            <Text size="sm" mt={6} role="status" c={total === BASIS_POINTS_PER_UNIT ? 'teal.8' : undefined}>
              {t('fairReturn.form.keySum', { total: formatNumber(total / 100) })}
            </Text>
            {errorOf('key') && (
              <Text size="sm" c="red.8" role="alert">
                {errorOf('key')}
              </Text>
            )}
          </Fieldset>
        )}
        {serverMessage ? (
          <>
            <Alert color="red" variant="light" role="alert" title={t('fairReturn.form.refused')}>
              <Text size="sm">{serverMessage}</Text>
            </Alert>
            <FormFooter error={null} loading={add.isPending} submitLabel={t('fairReturn.form.submit')} />
          </>
        ) : (
          <FormFooter error={add.error} loading={add.isPending} submitLabel={t('fairReturn.form.submit')} />
        )}
      </Stack>
    </form>
  );
}

/** The « Juste retour » section: contributions from the log, revenues split step by step, and the form for the lead's admin. */
function FairReturnSection({ project }: { project: ProjectView }) {
  const { t } = useI18n();
  const principal = usePrincipal();
  const fairReturn = useFairReturn(project.id, principal.kind === 'user');
  const canRecord = can(principal, 'create', 'FairReturn', { organisationId: project.lead.id });

  let body: ReactNode;
  if (principal.kind !== 'user' || (fairReturn.isError && isApiError(fairReturn.error, 'forbidden'))) {
    body = (
      <Alert color="gray" variant="light" icon={<InfoIcon />}>
        <Text size="sm">{t('fairReturn.forbidden')}</Text>
      </Alert>
    );
  } else if (fairReturn.isPending) {
    body = (
      <Stack gap="sm" role="status" aria-label={t('app.loading')}>
        <Skeleton h={120} />
        <Skeleton h={80} />
      </Stack>
    );
  } else if (fairReturn.isError) {
    body = <ErrorState title={t('fairReturn.loadFailed')} error={fairReturn.error} onRetry={() => void fairReturn.refetch()} />;
  } else {
    const view = fairReturn.data;
    body = (
      <>
        <Stack gap="xs">
          <Title order={3} size="h4">
            {t('fairReturn.contributionsTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('fairReturn.contributionsIntro', { size: view.checkpoint.size })}
          </Text>
          <Contributions contributions={view.contributions} />
        </Stack>
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('fairReturn.revenuesTitle')}
          </Title>
          {view.revenues.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('fairReturn.noRevenues')}
            </Text>
          ) : (
            view.revenues.map((r) => <Revenue key={r.id} revenue={r} />)
          )}
        </Stack>
        {canRecord && <RevenueForm project={project} view={view} />}
      </>
    );
  }
  return (
    <Section id="fair-return" title={t('fairReturn.title')} intro={t('fairReturn.intro')}>
      {body}
    </Section>
  );
}

/** /projets/:id — the page a project's partners use weekly: where it stands, who does what, its data and its fair return. */
export function ProjectPage() {
  const { t, locale, formatDate } = useI18n();
  const { id = '' } = useParams();
  const project = useProject(id);
  const session = useSession();
  const roleLabel = useRoleLabel();
  usePageTitle(project.data ? project.data.title : t('projects.title'));

  if (!project.data)
    return (
      <DetailState
        query={project}
        notFound={{
          title: t('projects.notFound'),
          body: t('projects.notFoundBody'),
          back: { label: t('projects.backToList'), to: '/projets' },
        }}
        loadFailed={t('projects.loadFailed')}
      />
    );
  const p = project.data;
  const mine = new Set(session.data?.memberships.map((m) => m.organisationId) ?? []);
  const myRoles = [
    ...(mine.has(p.lead.id) ? [roleLabel('lead')] : []),
    ...p.partners.filter((o) => mine.has(o.id)).map((o) => roleLabel(o.role)),
  ];
  const areas = p.territory.map((code) => ({
    level: 'departement' as const,
    code,
    name: OCCITANIE_DEPARTEMENTS[code] ?? code,
    bbox: null,
  }));
  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
          <Anchor component={Link} to="/projets" size="sm">
            {t('nav.projects')}
          </Anchor>
          <Text size="sm" aria-current="page" lineClamp={1}>
            {p.title}
          </Text>
        </Breadcrumbs>
        <Group gap="sm" align="center">
          <Title order={1}>{p.title}</Title>
          <ProjectStatusBadge status={p.status} size="lg" />
        </Group>
        <Text c="dimmed">{t('projects.subtitle', { lead: p.lead.name, date: formatDate(p.createdAt) })}</Text>
        {myRoles.length > 0 && <Text size="sm">{t('projects.yourRole', { roles: myRoles.join(', ').toLowerCase() })}</Text>}
        <StatusControl project={p} />
      </Stack>
      <InvitationBanner project={p} />
      <Section id="project-facts" title={t('projects.factsTitle')} intro={t('projects.factsIntro')}>
        {p.objective && (
          <Text size="md" fw={500} style={{ whiteSpace: 'pre-line' }}>
            <FrenchText>{p.objective}</FrenchText>
          </Text>
        )}
        {p.description && (
          <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
            <FrenchText>{p.description}</FrenchText>
          </Text>
        )}
        <Facts
          items={[
            { term: t('projects.purpose'), value: purposeText(locale, p.purpose) },
            { term: t('projects.lead'), value: orgLink(p.lead) },
            {
              term: t('projects.partners'),
              value:
                p.partners.length === 0 ? (
                  t('projects.noPartners')
                ) : (
                  <Group gap="xs" component="span">
                    {p.partners.map((o) => (
                      <span key={o.slug}>{orgLink(o)}</span>
                    ))}
                  </Group>
                ),
            },
            { term: t('projects.domains'), value: p.domains.length ? p.domains.map((d) => t(`domains.${d}`)).join(', ') : '—' },
            { term: t('projects.territory'), value: p.territory.length ? territoryText(p.territory) : t('projects.noTerritory') },
          ]}
        />
        {areas.length > 0 && <CoverageMap spatial={areas} />}
      </Section>
      <MilestonesSection project={p} />
      <PartnersSection project={p} />
      <FlowsSection project={p} />
      <FundingSection project={p} />
      <DeliverablesSection project={p} />
      <FairReturnSection project={p} />
    </Stack>
  );
}

import {
  Accordion,
  ActionIcon,
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Grid,
  Group,
  List,
  Modal,
  NumberInput,
  Paper,
  Stack,
  Text,
  Textarea,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { describePlan, type ContractView } from '@confiance/contract';
import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  downloadContractPdf,
  useContract,
  useDecideAmendment,
  useProposeAmendment,
  useResumeContract,
  useSuspendContract,
  useTerminateContract,
} from '../../api/contracts';
import { DetailState } from '../../components/DetailState';
import { AlertIcon, CheckIcon, CopyIcon, InfoIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { dataUseText, FrenchText, purposeText } from '../policies/labels';
import { ActionError, actionErrorText } from './ActionError';
import { alertTitle, ContractStateBadge } from './labels';
import { ReasonDialog } from './ReasonDialog';
import { Facts } from './RequestDetails';

type ContractEvent = ContractView['events'][number];
type Dialog = 'suspend' | 'resume' | 'terminate' | 'amend' | 'accept' | 'refuse' | null;

function Section({ id, title, intro, children }: { id: string; title: string; intro: string; children: React.ReactNode }) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby={id} className="contract-section">
      <Stack gap="md">
        <SectionHeading id={id} title={title} intro={intro} />
        {children}
      </Stack>
    </Paper>
  );
}

/** Why the contract is not in force: the reason of its termination or suspension, its end date. */
function StateNotice({ contract }: { contract: ContractView }) {
  const { t, formatDate } = useI18n();
  const last = (kind: ContractEvent['kind']) => [...contract.events].reverse().find((e) => e.kind === kind);
  if (contract.state === 'terminated') {
    const event = last('terminated');
    return (
      <Alert
        color="red"
        variant="light"
        icon={<AlertIcon />}
        styles={alertTitle('red')}
        title={t('contracts.notice.terminated', { date: event ? formatDate(event.at) : '' })}
      >
        <Text size="sm">
          {event?.organisation ? t('contracts.notice.terminatedBy', { organisation: event.organisation }) : ''}{' '}
          {contract.terminationReason && (
            <>
              {t('requests.reasonLabel')} <FrenchText>{contract.terminationReason}</FrenchText>
            </>
          )}
        </Text>
        <Text size="sm" mt={4}>
          {t('contracts.notice.revoked')}
        </Text>
      </Alert>
    );
  }
  if (contract.state === 'suspended') {
    const event = last('suspended');
    return (
      <Alert
        color="orange"
        variant="light"
        icon={<AlertIcon />}
        styles={alertTitle('orange')}
        title={t('contracts.notice.suspended', { date: event ? formatDate(event.at) : '' })}
      >
        {event?.reason && (
          <Text size="sm">
            {t('requests.reasonLabel')} <FrenchText>{event.reason}</FrenchText>
          </Text>
        )}
        <Text size="sm" mt={4}>
          {t('contracts.notice.suspendedBody')}
        </Text>
      </Alert>
    );
  }
  if (contract.state === 'expired') {
    return (
      <Alert
        color="gray"
        variant="light"
        icon={<InfoIcon />}
        styles={alertTitle('gray')}
        title={t('contracts.notice.expired', { date: formatDate(contract.validUntil) })}
      >
        <Text size="sm">{t('contracts.notice.revoked')}</Text>
      </Alert>
    );
  }
  return null;
}

/** The agreement's rules in French, as the PDF states them. */
function Rules({ contract }: { contract: ContractView }) {
  const { t } = useI18n();
  if (contract.rules.length === 0) return <Text size="sm">{t('contracts.noRules')}</Text>;
  return (
    <ul className="plain-list contract-rules">
      {contract.rules.map((r, i) => (
        <li key={`${r.kind}-${r.actionLabel}-${i}`}>
          <Text size="sm" fw={600}>
            {t(
              r.kind === 'prohibition'
                ? 'contracts.rule.prohibition'
                : r.kind === 'obligation'
                  ? 'contracts.rule.obligation'
                  : 'contracts.rule.permission',
            )}{' '}
            <FrenchText>{r.actionLabel}</FrenchText>
          </Text>
          {r.constraints.length > 0 && (
            <List size="sm" spacing={2} withPadding>
              {r.constraints.map((c) => (
                <List.Item key={c}>
                  <FrenchText>{c}</FrenchText>
                </List.Item>
              ))}
            </List>
          )}
          {r.duties.length > 0 && (
            <Text size="sm" mt={2}>
              {t('contracts.duties')} <FrenchText>{r.duties.join(' ; ')}</FrenchText>
            </Text>
          )}
        </li>
      ))}
    </ul>
  );
}

/** What the access module enforces while the contract is in force. */
function Grant({ contract }: { contract: ContractView }) {
  const { t, formatDate } = useI18n();
  const g = contract.grant;
  return (
    <Facts
      label={t('contracts.grantTitle')}
      items={[
        { term: t('contracts.grant.uses'), value: g.uses.map((u) => dataUseText(t, u)).join(' · ') || t('contracts.grant.none') },
        { term: t('contracts.grant.aggregateOnly'), value: g.aggregateOnly ? t('common.yes') : t('common.no') },
        { term: t('contracts.grant.columns'), value: g.columns.length > 0 ? g.columns.join(', ') : t('contracts.grant.allColumns') },
        {
          term: t('contracts.grant.departements'),
          value: g.departements.length > 0 ? g.departements.join(', ') : t('contracts.grant.allDepartements'),
        },
        {
          term: t('contracts.grant.quota'),
          value: g.maxQueries === null ? t('contracts.grant.noQuota') : t('contracts.grant.queries', { count: g.maxQueries }),
        },
        { term: t('contracts.grant.price'), value: describePlan(g.plan).summary },
        {
          term: t('contracts.grant.validity'),
          value: t('contracts.validity', { from: formatDate(g.validFrom), until: formatDate(g.validUntil) }),
        },
        { term: t('contracts.grant.users'), value: t('contracts.grant.usersCount', { count: g.users.length }) },
      ]}
    />
  );
}

/** Every step of the contract's life, oldest first: who did what, when and why. */
function History({ events }: { events: ContractView['events'] }) {
  const { t, formatDateTime } = useI18n();
  if (events.length === 0) return <Text size="sm">{t('contracts.noEvents')}</Text>;
  return (
    <ol className="contract-history" aria-label={t('contracts.historyTitle')}>
      {events.map((e, i) => (
        <li key={`${e.at}-${e.kind}-${i}`} data-kind={e.kind}>
          <Text size="sm" fw={600}>
            {t(`contracts.event.${e.kind}`, { organisation: e.organisation ?? '' })}
          </Text>
          <Text size="xs" c="dimmed">
            {formatDateTime(e.at)}
            {e.by ? ` · ${e.by}` : ''}
            {/* An acceptance names its organisation in its title already. */}
            {e.organisation && e.kind !== 'accepted' ? ` (${e.organisation})` : ''} · {t('contracts.versionShort', { version: e.version })}
          </Text>
          {e.reason && (
            <Text size="sm">
              <FrenchText>{e.reason}</FrenchText>
            </Text>
          )}
        </li>
      ))}
    </ol>
  );
}

function CopyableCode({ label, code, id }: { label: string; code: string; id: string }) {
  const { t } = useI18n();
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={500} id={id}>
          {label}
        </Text>
        <CopyButton value={code} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('common.copied') : t('common.copy')} withArrow position="left">
              <ActionIcon
                variant={copied ? 'filled' : 'light'}
                color={copied ? 'teal' : undefined}
                onClick={copy}
                aria-label={t('snippet.copyLabel', { what: label })}
              >
                {copied ? <CheckIcon size={16} /> : <CopyIcon size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
      <div className="scroll-region scroll-region-tall" role="region" aria-labelledby={id} tabIndex={0}>
        <Code block className="snippet">
          {code}
        </Code>
      </div>
    </Stack>
  );
}

/** « Vue experte »: the ODRL Agreement as JSON-LD and its JWS, to verify with the node's contract key. */
function ExpertView({ contract }: { contract: ContractView }) {
  const { t } = useI18n();
  return (
    <Accordion variant="separated" radius="md" className="no-print">
      <Accordion.Item value="expert">
        <Accordion.Control>{t('contracts.expert')}</Accordion.Control>
        <Accordion.Panel>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {t('contracts.expertIntro')}{' '}
              <Anchor href="/api/v1/contract-key" size="sm" underline="always" target="_blank" rel="noreferrer">
                {t('contracts.contractKey')} <VisuallyHidden>{t('common.newTab')}</VisuallyHidden>
              </Anchor>
            </Text>
            <Text size="sm">
              {t('contracts.uri')} <Code>{contract.uri}</Code>
            </Text>
            <CopyableCode id="contract-jws" label={t('contracts.jws')} code={contract.jws} />
            <CopyableCode id="contract-agreement" label={t('contracts.agreement')} code={JSON.stringify(contract.agreement, null, 2)} />
          </Stack>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}

/** Propose new terms: a new duration, the offer's current version, or both; the other party accepts or refuses. */
function AmendmentDialog({ contract, opened, onClose }: { contract: ContractView; opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const propose = useProposeAmendment(contract.id);
  const [duration, setDuration] = useState<number | string>('');
  const [latestOffer, setLatestOffer] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ duration?: string; reason?: string }>({});
  const durationRef = useRef<HTMLInputElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const close = () => {
    setErrors({});
    propose.reset();
    onClose();
  };
  const submit = () => {
    const months = duration === '' ? null : Number(duration);
    const next: typeof errors = {};
    if (months !== null && (!Number.isInteger(months) || months < 1 || months > 120)) next.duration = t('decision.durationRange');
    if (months === null && !latestOffer) next.duration = t('amendment.nothing');
    if (reason.trim().length < 3) next.reason = t('manage.reasonTooShort');
    setErrors(next);
    if (next.duration) return durationRef.current?.focus();
    if (next.reason) return reasonRef.current?.focus();
    propose.mutate(
      { durationMonths: months, latestOffer, reason: reason.trim() },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('amendment.proposed') });
          setDuration('');
          setLatestOffer(false);
          setReason('');
          close();
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title={t('amendment.title')} centered size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack gap="md">
          <Text size="sm">{t('amendment.body')}</Text>
          <NumberInput
            ref={durationRef}
            label={t('amendment.duration')}
            description={t('amendment.durationHint', { count: monthsBetween(contract.validFrom, contract.validUntil) })}
            min={1}
            max={120}
            allowDecimal={false}
            allowNegative={false}
            value={duration}
            onChange={(v) => {
              setDuration(v);
              setErrors((e) => ({ ...e, duration: undefined }));
            }}
            error={errors.duration}
          />
          <Checkbox
            label={t('amendment.latestOffer')}
            description={t('amendment.latestOfferHint', { version: contract.offer.version })}
            checked={latestOffer}
            onChange={(e) => {
              setLatestOffer(e.currentTarget.checked);
              setErrors((er) => ({ ...er, duration: undefined }));
            }}
          />
          <Textarea
            ref={reasonRef}
            label={t('amendment.reason')}
            description={t('requests.reasonShown')}
            required
            autosize
            minRows={3}
            maxLength={2000}
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setErrors((er) => ({ ...er, reason: undefined }));
            }}
            error={errors.reason}
          />
          <ActionError error={propose.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} data-autofocus>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={propose.isPending}>
              {t('amendment.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function monthsBetween(from: string, until: string): number {
  const a = new Date(from);
  const b = new Date(until);
  return Math.max(1, Math.round((b.getFullYear() - a.getFullYear()) * 12 + (b.getMonth() - a.getMonth())));
}

function PendingAmendment({ contract, onDecide }: { contract: ContractView; onDecide: (accept: boolean) => void }) {
  const { t, formatDateTime } = useI18n();
  const a = contract.pendingAmendment;
  if (!a) return null;
  const other = a.proposedBy.id === contract.provider.id ? contract.consumer.name : contract.provider.name;
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<InfoIcon />}
      styles={alertTitle('yellow')}
      title={t('amendment.pendingTitle', { organisation: a.proposedBy.name })}
    >
      <Stack gap="xs">
        <Text size="sm">{t('amendment.proposedOn', { date: formatDateTime(a.createdAt) })}</Text>
        <List size="sm" spacing={2}>
          {a.durationMonths !== null && <List.Item>{t('amendment.newDuration', { count: a.durationMonths })}</List.Item>}
          {a.latestOffer && <List.Item>{t('amendment.toLatestOffer')}</List.Item>}
        </List>
        <Text size="sm">
          {t('requests.reasonLabel')} <FrenchText>{a.reason}</FrenchText>
        </Text>
        {contract.can.acceptAmendment ? (
          <Group gap="sm" className="no-print">
            <Button size="sm" onClick={() => onDecide(true)}>
              {t('amendment.accept')}
            </Button>
            <Button size="sm" variant="default" c="red.9" onClick={() => onDecide(false)}>
              {t('amendment.refuse')}
            </Button>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t('amendment.waiting', { organisation: other })}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

function ContractActions({ contract, dialog, setDialog }: { contract: ContractView; dialog: Dialog; setDialog: (d: Dialog) => void }) {
  const { t, locale } = useI18n();
  const suspend = useSuspendContract(contract.id);
  const resume = useResumeContract(contract.id);
  const terminate = useTerminateContract(contract.id);
  const decide = useDecideAmendment(contract.id);
  const [downloading, setDownloading] = useState(false);
  const close = () => {
    setDialog(null);
    suspend.reset();
    resume.reset();
    terminate.reset();
    decide.reset();
  };
  const done = (message: string) => {
    notifications.show({ color: 'teal', message });
    close();
  };
  const download = () => {
    setDownloading(true);
    downloadContractPdf(contract.id, `contrat-${contract.dataset.slug}-v${contract.version}.pdf`)
      .catch((error: unknown) =>
        notifications.show({ color: 'red', title: t('contracts.pdfFailed'), message: actionErrorText(t, locale, error) }),
      )
      .finally(() => setDownloading(false));
  };
  const dataset = contract.dataset.title;
  const { can } = contract;
  const amendment = contract.pendingAmendment;
  return (
    <>
      <Group gap="sm" className="no-print">
        <Button onClick={download} loading={downloading}>
          {t('contracts.pdf')}
        </Button>
        <Button variant="default" onClick={() => window.print()}>
          {t('contracts.print')}
        </Button>
        {can.amend && (
          <Button variant="default" onClick={() => setDialog('amend')}>
            {t('amendment.propose')}
          </Button>
        )}
        {can.resume && (
          <Button variant="default" onClick={() => setDialog('resume')}>
            {t('contracts.resume')}
          </Button>
        )}
        {can.suspend && (
          <Button variant="default" c="red.9" onClick={() => setDialog('suspend')}>
            {t('contracts.suspend')}
          </Button>
        )}
        {can.terminate && (
          <Button variant="default" c="red.9" onClick={() => setDialog('terminate')}>
            {t('contracts.terminate')}
          </Button>
        )}
      </Group>
      <ReasonDialog
        opened={dialog === 'suspend'}
        onClose={close}
        title={t('contracts.suspendTitle', { dataset })}
        body={t('contracts.suspendBody', { consumer: contract.consumer.name })}
        reasonLabel={t('contracts.suspendReason')}
        reasonHint={t('requests.reasonShown')}
        required
        danger
        confirmLabel={t('contracts.suspendConfirm')}
        loading={suspend.isPending}
        error={suspend.error}
        onConfirm={(reason) => suspend.mutate(reason ?? '', { onSuccess: () => done(t('contracts.suspended')) })}
      />
      <ReasonDialog
        opened={dialog === 'resume'}
        onClose={close}
        title={t('contracts.resumeTitle', { dataset })}
        body={t('contracts.resumeBody', { consumer: contract.consumer.name })}
        reasonLabel={t('contracts.resumeReason')}
        reasonHint={t('requests.reasonShown')}
        required
        confirmLabel={t('contracts.resumeConfirm')}
        loading={resume.isPending}
        error={resume.error}
        onConfirm={(reason) => resume.mutate(reason ?? '', { onSuccess: () => done(t('contracts.resumed')) })}
      />
      <ReasonDialog
        opened={dialog === 'terminate'}
        onClose={close}
        title={t('contracts.terminateTitle', { dataset })}
        body={t('contracts.terminateBody')}
        reasonLabel={t('contracts.terminateReason')}
        reasonHint={t('requests.reasonShown')}
        required
        danger
        confirmLabel={t('contracts.terminateConfirm')}
        loading={terminate.isPending}
        error={terminate.error}
        onConfirm={(reason) => terminate.mutate(reason ?? '', { onSuccess: () => done(t('contracts.terminated')) })}
      />
      {amendment && (
        <>
          <ReasonDialog
            opened={dialog === 'accept'}
            onClose={close}
            title={t('amendment.acceptTitle')}
            body={t('amendment.acceptBody', { organisation: amendment.proposedBy.name })}
            reasonLabel={t('amendment.decisionReason')}
            required={false}
            confirmLabel={t('amendment.accept')}
            loading={decide.isPending}
            error={decide.error}
            onConfirm={(reason) =>
              decide.mutate({ amendment: amendment.id, accept: true, reason }, { onSuccess: () => done(t('amendment.accepted')) })
            }
          />
          <ReasonDialog
            opened={dialog === 'refuse'}
            onClose={close}
            title={t('amendment.refuseTitle')}
            body={t('amendment.refuseBody', { organisation: amendment.proposedBy.name })}
            reasonLabel={t('amendment.decisionReason')}
            reasonHint={t('requests.reasonShown')}
            required={false}
            danger
            confirmLabel={t('amendment.refuse')}
            loading={decide.isPending}
            error={decide.error}
            onConfirm={(reason) =>
              decide.mutate({ amendment: amendment.id, accept: false, reason }, { onSuccess: () => done(t('amendment.refused')) })
            }
          />
        </>
      )}
      <AmendmentDialog contract={contract} opened={dialog === 'amend'} onClose={close} />
    </>
  );
}

/** /contrats/:id — the agreement in French, its grant, its life, and what each party may do with it. */
export function ContractPage() {
  const { t, locale, formatDate, formatDateTime } = useI18n();
  const { id = '' } = useParams();
  const contract = useContract(id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const title = contract.data ? t('contracts.pageTitle', { dataset: contract.data.dataset.title }) : t('contracts.title');
  usePageTitle(title);

  if (!contract.data)
    return (
      <DetailState
        query={contract}
        notFound={{
          title: t('contracts.notFound'),
          body: t('contracts.notFoundBody'),
          back: { label: t('contracts.backToList'), to: '/contrats' },
        }}
        loadFailed={t('contracts.loadFailedOne')}
        notFoundCodes={['not_found', 'forbidden']}
      />
    );
  const c = contract.data;
  return (
    <Stack gap="lg" className="contract-page">
      <Stack gap={6}>
        <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›" className="no-print">
          <Anchor component={Link} to="/contrats" size="sm">
            {t('nav.contracts')}
          </Anchor>
          <Text size="sm" aria-current="page" lineClamp={1}>
            {c.dataset.title}
          </Text>
        </Breadcrumbs>
        <Group gap="sm" align="center">
          <Title order={1}>{title}</Title>
          <ContractStateBadge state={c.state} transferState={c.transferState} size="lg" />
        </Group>
        <Text c="dimmed">
          {t('contracts.subtitle', {
            provider: c.provider.name,
            consumer: c.consumer.name,
            version: c.version,
            date: formatDate(c.createdAt),
          })}
        </Text>
      </Stack>
      <StateNotice contract={c} />
      <ContractActions contract={c} dialog={dialog} setDialog={setDialog} />
      <PendingAmendment contract={c} onDecide={(accept) => setDialog(accept ? 'accept' : 'refuse')} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="lg">
            <Section id="contract-parties" title={t('contracts.partiesTitle')} intro={t('contracts.partiesIntro')}>
              <Facts
                items={[
                  {
                    term: t('contracts.provider'),
                    value: (
                      <Anchor component={Link} to={`/organisations/${c.provider.slug}`} size="sm">
                        {c.provider.name}
                      </Anchor>
                    ),
                  },
                  {
                    term: t('contracts.consumer'),
                    value: (
                      <Anchor component={Link} to={`/organisations/${c.consumer.slug}`} size="sm">
                        {c.consumer.name}
                      </Anchor>
                    ),
                  },
                  ...(c.project
                    ? [
                        {
                          term: t('contracts.project'),
                          value: (
                            <Anchor component={Link} to={`/projets/${c.project.id}`} size="sm">
                              {c.project.title}
                            </Anchor>
                          ),
                        },
                      ]
                    : []),
                  {
                    term: t('contracts.dataset'),
                    value: (
                      <Anchor component={Link} to={`/datasets/${c.dataset.slug}`} size="sm">
                        {c.dataset.title}
                      </Anchor>
                    ),
                  },
                  { term: t('contracts.offer'), value: t('requests.offerVersion', { title: c.offer.title, version: c.offer.version }) },
                  { term: t('contracts.purpose'), value: purposeText(locale, c.purpose) },
                  {
                    term: t('contracts.validityLabel'),
                    value: t('contracts.validity', { from: formatDate(c.validFrom), until: formatDate(c.validUntil) }),
                  },
                  { term: t('contracts.signedOn'), value: formatDateTime(c.createdAt) },
                  {
                    term: t('contracts.request'),
                    value: (
                      <Anchor component={Link} to={`/demandes/${c.request}`} size="sm">
                        {t('contracts.toRequest')}
                      </Anchor>
                    ),
                  },
                ]}
              />
            </Section>
            <Section id="contract-rules" title={t('contracts.rulesTitle')} intro={t('contracts.rulesIntro')}>
              <Rules contract={c} />
              {c.conditions && (
                <Alert color="yellow" variant="light" icon={<InfoIcon />} styles={alertTitle('yellow')} title={t('contracts.conditions')}>
                  <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                    <FrenchText>{c.conditions}</FrenchText>
                  </Text>
                </Alert>
              )}
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="lg">
            <Section id="contract-grant" title={t('contracts.grantTitle')} intro={t('contracts.grantIntro')}>
              <Grant contract={c} />
            </Section>
            <Section id="contract-history" title={t('contracts.historyTitle')} intro={t('contracts.historyIntro')}>
              <History events={c.events} />
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>
      <ExpertView contract={c} />
    </Stack>
  );
}

import {
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Code,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Spoiler,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { MAJORITY_RULES, type CommissionView, type MajorityRule } from '@confiance/contract';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useCommission, useCommissionActions } from '../../api/governance';
import { DetailState } from '../../components/DetailState';
import { FormError } from '../../components/ErrorState';
import { SectionHeading } from '../../components/SectionHeading';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { shortHash } from '../ledger/describe';
import { VoteStatusBadge } from './labels';

/** /commissions/:slug — a commission: members, agenda, documents and votes; its chair and the operator act here. */
export function CommissionPage() {
  const { t } = useI18n();
  const { slug = '' } = useParams();
  const commission = useCommission(slug);
  usePageTitle(commission.data?.name ?? t('governance.title'));
  if (!commission.data)
    return (
      <DetailState
        query={commission}
        notFound={{
          title: t('governance.notFound'),
          body: t('governance.notFoundBody'),
          back: { label: t('governance.back'), to: '/commissions' },
        }}
        loadFailed={t('governance.loadFailed')}
      />
    );
  return <CommissionDetail commission={commission.data} />;
}

function CommissionDetail({ commission }: { commission: CommissionView }) {
  const { t } = useI18n();
  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
          <Anchor component={Link} to="/commissions" size="sm">
            {t('governance.title')}
          </Anchor>
          <Text size="sm" aria-current="page">
            {commission.name}
          </Text>
        </Breadcrumbs>
        <Group gap="sm">
          <Title order={1}>{commission.name}</Title>
          {commission.myRole && (
            <Badge variant="light" tt="none" size="lg">
              {t(`governance.role.${commission.myRole}`)}
            </Badge>
          )}
        </Group>
        <Text c="dimmed" maw={720}>
          {commission.description}
        </Text>
      </Stack>
      <VotesSection commission={commission} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <MembersSection commission={commission} />
        <AgendaSection commission={commission} />
      </SimpleGrid>
      <DocumentsSection commission={commission} />
    </Stack>
  );
}

function VotesSection({ commission }: { commission: CommissionView }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="commission-votes">
      <SectionHeading id="commission-votes" title={t('governance.votes')} intro={t('governance.votesIntro')} />
      {commission.votes.length === 0 ? (
        <Text c="dimmed">{t('governance.noVote')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('governance.vote.question')}</Table.Th>
                <Table.Th>{t('governance.vote.closes')}</Table.Th>
                <Table.Th>{t('governance.vote.state')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {commission.votes.map((v) => (
                <Table.Tr key={v.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/votes/${v.id}`}>
                      {v.question}
                    </Anchor>
                    {v.gate && (
                      <Text size="xs" c="dimmed">
                        {t(`governance.gate.${v.gate}`)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDateTime(v.closesAt)}</Table.Td>
                  <Table.Td>
                    <VoteStatusBadge vote={v} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {commission.abilities.openVote && <OpenVoteForm commission={commission} />}
    </Paper>
  );
}

/** A week from now, as a datetime-local value. */
function inAWeek(): string {
  const d = new Date(Date.now() + 7 * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function OpenVoteForm({ commission }: { commission: CommissionView }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { openVote } = useCommissionActions(commission.slug);
  const [question, setQuestion] = useState('');
  const [description, setDescription] = useState('');
  const [quorum, setQuorum] = useState<number>(50);
  const [majority, setMajority] = useState<MajorityRule>('simple');
  const [closes, setCloses] = useState(inAWeek);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    openVote.mutate(
      { commission: commission.slug, question, description, quorumPercent: quorum, majority, closesAt: new Date(closes).toISOString() },
      {
        onSuccess: (vote) => {
          notifications.show({ color: 'teal', message: t('governance.vote.opened') });
          void navigate(`/votes/${vote.id}`);
        },
      },
    );
  };
  return (
    <form onSubmit={submit} aria-labelledby="open-vote">
      <Stack gap="sm" mt="lg">
        <Title order={3} size="h4" id="open-vote">
          {t('governance.vote.openTitle')}
        </Title>
        <TextInput label={t('governance.vote.question')} value={question} onChange={(e) => setQuestion(e.currentTarget.value)} required />
        <Textarea
          label={t('governance.vote.description')}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <Group grow align="flex-start">
          <NumberInput
            label={t('governance.quorum')}
            description={t('governance.quorumHint')}
            value={quorum}
            min={0}
            max={100}
            suffix=" %"
            onChange={(v) => setQuorum(typeof v === 'number' ? v : Number(v) || 0)}
          />
          <Select
            label={t('governance.majority')}
            data={MAJORITY_RULES.map((m) => ({ value: m, label: t(`governance.majority.${m}`) }))}
            value={majority}
            onChange={(v) => v && setMajority(v as MajorityRule)}
            allowDeselect={false}
          />
          <TextInput
            type="datetime-local"
            label={t('governance.vote.closes')}
            value={closes}
            onChange={(e) => setCloses(e.currentTarget.value)}
            required
          />
        </Group>
        {openVote.error && <FormError error={openVote.error} />}
        <Group justify="flex-end">
          <Button type="submit" loading={openVote.isPending}>
            {t('governance.vote.open')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function MembersSection({ commission }: { commission: CommissionView }) {
  const { t } = useI18n();
  const { appoint, remove } = useCommissionActions(commission.slug);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'chair' | 'member'>('member');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    appoint.mutate({ email, role }, { onSuccess: () => setEmail('') });
  };
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="commission-members">
      <SectionHeading id="commission-members" title={t('governance.members')} intro={t('governance.membersIntro')} />
      {commission.members.length === 0 ? (
        <Text c="dimmed">{t('governance.noMember')}</Text>
      ) : (
        <Table verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('governance.member.name')}</Table.Th>
              <Table.Th>{t('governance.member.organisation')}</Table.Th>
              <Table.Th>{t('governance.member.role')}</Table.Th>
              {commission.abilities.manage && (
                <Table.Th>
                  <VisuallyHidden>{t('governance.member.actions')}</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {commission.members.map((m) => (
              <Table.Tr key={m.userId}>
                <Table.Td>{m.name}</Table.Td>
                <Table.Td>
                  {m.organisation ? (
                    <Anchor component={Link} to={`/organisations/${m.organisation.slug}`}>
                      {m.organisation.name}
                    </Anchor>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>{t(`governance.role.${m.role}`)}</Table.Td>
                {commission.abilities.manage && (
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="light"
                      color="red"
                      onClick={() => remove.mutate(m.userId)}
                      aria-label={t('governance.member.removeNamed', { name: m.name })}
                    >
                      {t('governance.member.remove')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {commission.abilities.manage && (
        <form onSubmit={submit} aria-label={t('governance.member.appoint')}>
          <Group align="flex-end" mt="md" wrap="wrap">
            <TextInput
              type="email"
              label={t('governance.member.email')}
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              required
            />
            <Select
              label={t('governance.member.role')}
              data={(['member', 'chair'] as const).map((r) => ({ value: r, label: t(`governance.role.${r}`) }))}
              value={role}
              onChange={(v) => v && setRole(v as 'chair' | 'member')}
              allowDeselect={false}
              w={160}
            />
            <Button type="submit" loading={appoint.isPending}>
              {t('governance.member.appoint')}
            </Button>
          </Group>
          {(appoint.error ?? remove.error) && <FormError error={appoint.error ?? remove.error} />}
        </form>
      )}
    </Paper>
  );
}

function AgendaSection({ commission }: { commission: CommissionView }) {
  const { t, formatDate } = useI18n();
  const { addAgendaItem } = useCommissionActions(commission.slug);
  const [date, setDate] = useState('');
  const [title, setTitle] = useState('');
  const [notes, setNotes] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    addAgendaItem.mutate(
      { date, title, notes },
      {
        onSuccess: () => {
          setTitle('');
          setNotes('');
        },
      },
    );
  };
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="commission-agenda">
      <SectionHeading id="commission-agenda" title={t('governance.agenda')} intro={t('governance.agendaIntro')} />
      {commission.agenda.length === 0 ? (
        <Text c="dimmed">{t('governance.noAgenda')}</Text>
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {commission.agenda.map((a) => (
            <li key={a.id}>
              <Text fw={600}>
                {formatDate(a.date)} — {a.title}
              </Text>
              {a.notes && (
                <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                  {a.notes}
                </Text>
              )}
            </li>
          ))}
        </Stack>
      )}
      {commission.abilities.chair && (
        <form onSubmit={submit} aria-label={t('governance.agendaAdd')}>
          <Stack gap="xs" mt="md">
            <Group grow>
              <TextInput
                type="date"
                label={t('governance.agendaDate')}
                value={date}
                onChange={(e) => setDate(e.currentTarget.value)}
                required
              />
              <TextInput label={t('governance.agendaTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required />
            </Group>
            <Textarea
              label={t('governance.agendaNotes')}
              value={notes}
              onChange={(e) => setNotes(e.currentTarget.value)}
              autosize
              minRows={2}
            />
            {addAgendaItem.error && <FormError error={addAgendaItem.error} />}
            <Group justify="flex-end">
              <Button type="submit" variant="light" loading={addAgendaItem.isPending}>
                {t('governance.agendaAdd')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Paper>
  );
}

function DocumentsSection({ commission }: { commission: CommissionView }) {
  const { t, formatDate } = useI18n();
  const { addDocument } = useCommissionActions(commission.slug);
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [url, setUrl] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    addDocument.mutate(url.trim() ? { title, url: url.trim() } : { title, text }, {
      onSuccess: () => {
        setTitle('');
        setText('');
        setUrl('');
      },
    });
  };
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="commission-documents">
      <SectionHeading id="commission-documents" title={t('governance.documents')} intro={t('governance.documentsIntro')} />
      {commission.documents.length === 0 ? (
        <Text c="dimmed">{t('governance.noDocument')}</Text>
      ) : (
        <Stack gap="md">
          {commission.documents.map((d) => (
            <article key={d.id} aria-label={d.title}>
              <Text fw={600}>
                {d.url ? (
                  <Anchor href={d.url} target="_blank" rel="noreferrer">
                    {d.title}
                  </Anchor>
                ) : (
                  d.title
                )}{' '}
                <Text span size="sm" c="dimmed">
                  {formatDate(d.addedAt)}
                </Text>
              </Text>
              {d.text && (
                <Spoiler maxHeight={60} showLabel={t('governance.showMore')} hideLabel={t('governance.showLess')}>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {d.text}
                  </Text>
                </Spoiler>
              )}
              {d.sha256 && (
                <Text size="xs" c="dimmed">
                  {t('governance.documentHash')} <Code title={d.sha256}>{shortHash(d.sha256)}</Code>
                </Text>
              )}
            </article>
          ))}
        </Stack>
      )}
      {commission.abilities.chair && (
        <form onSubmit={submit} aria-label={t('governance.documentAdd')}>
          <Stack gap="xs" mt="md">
            <TextInput label={t('governance.documentTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required />
            <Textarea
              label={t('governance.documentText')}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              autosize
              minRows={3}
              disabled={url.trim() !== ''}
            />
            <TextInput type="url" label={t('governance.documentUrl')} value={url} onChange={(e) => setUrl(e.currentTarget.value)} />
            {addDocument.error && <FormError error={addDocument.error} />}
            <Group justify="flex-end">
              <Button type="submit" variant="light" loading={addDocument.isPending}>
                {t('governance.documentAdd')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Paper>
  );
}

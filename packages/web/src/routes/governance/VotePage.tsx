import { Alert, Anchor, Breadcrumbs, Button, Group, Paper, Progress, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { VOTE_CHOICES, type VoteChoice, type VoteView } from '@confiance/contract';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useVote, useVoteActions } from '../../api/governance';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DetailState } from '../../components/DetailState';
import { FormError } from '../../components/ErrorState';
import { InfoIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { alertTitle } from '../contracts/labels';
import { Facts } from '../contracts/RequestDetails';
import { VoteStatusBadge } from './labels';

const CHOICE_COLORS: Record<VoteChoice, string> = { pour: 'teal', contre: 'red', abstention: 'gray' };

/** /votes/:id — a vote: the question, the action waiting for it, the count against quorum and majority, the ballot, the outcome. */
export function VotePage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const vote = useVote(id);
  usePageTitle(vote.data?.question ?? t('governance.vote.title'));
  if (!vote.data)
    return (
      <DetailState
        query={vote}
        notFound={{
          title: t('governance.vote.notFound'),
          body: t('governance.vote.notFoundBody'),
          back: { label: t('governance.back'), to: '/commissions' },
        }}
        loadFailed={t('governance.loadFailed')}
      />
    );
  return <VoteDetail vote={vote.data} />;
}

function VoteDetail({ vote }: { vote: VoteView }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
          <Anchor component={Link} to="/commissions" size="sm">
            {t('governance.title')}
          </Anchor>
          <Anchor component={Link} to={`/commissions/${vote.commission.slug}`} size="sm">
            {vote.commission.name}
          </Anchor>
          <Text size="sm" aria-current="page">
            {t('governance.vote.title')}
          </Text>
        </Breadcrumbs>
        <Group gap="sm" align="center">
          <Title order={1}>{vote.question}</Title>
          <VoteStatusBadge vote={vote} size="lg" />
        </Group>
        {vote.description && (
          <Text c="dimmed" maw={720} style={{ whiteSpace: 'pre-wrap' }}>
            {vote.description}
          </Text>
        )}
      </Stack>

      <Outcome vote={vote} />

      <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="vote-rules">
        <SectionHeading id="vote-rules" title={t('governance.vote.rules')} intro={t('governance.vote.rulesIntro')} />
        <Facts
          items={[
            { term: t('governance.vote.commission'), value: vote.commission.name },
            { term: t('governance.majority'), value: t(`governance.majority.${vote.majority}`) },
            { term: t('governance.quorum'), value: t('governance.vote.quorumValue', { percent: vote.quorumPercent }) },
            { term: t('governance.vote.opens'), value: formatDateTime(vote.opensAt) },
            { term: t('governance.vote.closes'), value: formatDateTime(vote.closedAt ?? vote.closesAt) },
          ]}
        />
      </Paper>

      {vote.action && (
        <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="vote-action">
          <SectionHeading
            id="vote-action"
            title={t(`governance.gate.${vote.action.kind}`)}
            intro={t(`governance.action.status.${vote.action.status}`)}
          />
          <Stack gap={4} component="ul" style={{ margin: 0, paddingLeft: '1.2rem' }}>
            {vote.action.summary.map((line) => (
              <li key={line}>
                <Text>{line}</Text>
              </li>
            ))}
          </Stack>
          {vote.action.error && (
            <Alert color="red" mt="sm" styles={alertTitle('red')} title={t('governance.action.failed')}>
              {vote.action.error}
            </Alert>
          )}
          {vote.action.status === 'executed' && vote.action.kind === 'charter_version' && (
            <Anchor component={Link} to="/charte" mt="sm" display="inline-block">
              {t('governance.action.seeCharter')}
            </Anchor>
          )}
        </Paper>
      )}

      <TallySection vote={vote} />
      {vote.abilities.cast && <BallotForm vote={vote} />}
      {vote.myChoice && <Text>{t('governance.vote.yourChoice', { choice: t(`governance.choice.${vote.myChoice}`) })}</Text>}
      {vote.ballots && vote.ballots.length > 0 && <BallotsTable vote={vote} />}
      {vote.abilities.close && <CloseButton vote={vote} />}
    </Stack>
  );
}

function Outcome({ vote }: { vote: VoteView }) {
  const { t, formatDateTime } = useI18n();
  if (vote.status !== 'closed' || !vote.outcome) return null;
  const color = vote.outcome === 'adopted' ? 'teal' : vote.outcome === 'rejected' ? 'red' : 'gray';
  return (
    <Alert color={color} icon={<InfoIcon />} styles={alertTitle(color)} title={t(`governance.vote.outcome.${vote.outcome}`)}>
      <Stack gap={4}>
        <Text size="sm">{t('governance.vote.decidedOn', { date: formatDateTime(vote.closedAt ?? vote.closesAt) })}</Text>
        {vote.ledgerIndex !== null && (
          <Anchor component={Link} to={`/registre/${vote.ledgerIndex}`} size="sm">
            {t('governance.vote.ledgerLink', { index: vote.ledgerIndex })}
          </Anchor>
        )}
      </Stack>
    </Alert>
  );
}

function TallySection({ vote }: { vote: VoteView }) {
  const { t } = useI18n();
  const { tally } = vote;
  const needed = Math.ceil((vote.quorumPercent * tally.eligible) / 100);
  const share = (n: number) => (tally.voters === 0 ? 0 : (n / tally.voters) * 100);
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="vote-tally">
      <SectionHeading id="vote-tally" title={t('governance.vote.tally')} intro={t('governance.vote.tallyIntro')} />
      <Stack gap="md">
        <div>
          <Text size="sm" id="quorum-label">
            {t('governance.vote.participation', { voters: tally.voters, eligible: tally.eligible, needed })}
            {' — '}
            {tally.quorumMet ? t('governance.vote.quorumMet') : t('governance.vote.quorumNotMet')}
          </Text>
          <Progress.Root mt={4}>
            <Progress.Section
              value={tally.eligible === 0 ? 0 : (tally.voters / tally.eligible) * 100}
              color={tally.quorumMet ? 'teal' : 'blue'}
              aria-labelledby="quorum-label"
            />
          </Progress.Root>
        </div>
        <div>
          <Progress.Root size="xl">
            {VOTE_CHOICES.map((c) => (
              <Progress.Section
                key={c}
                value={share(tally[c])}
                color={CHOICE_COLORS[c]}
                aria-label={t('governance.vote.share', { choice: t(`governance.choice.${c}`), count: tally[c] })}
              />
            ))}
          </Progress.Root>
          <Group gap="lg" mt={6}>
            {VOTE_CHOICES.map((c) => (
              <Text size="sm" key={c}>
                {t(`governance.choice.${c}`)} : <strong>{tally[c]}</strong>
              </Text>
            ))}
          </Group>
        </div>
      </Stack>
    </Paper>
  );
}

function BallotForm({ vote }: { vote: VoteView }) {
  const { t } = useI18n();
  const { cast } = useVoteActions(vote.id);
  const [choice, setChoice] = useState<VoteChoice | ''>('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!choice) return;
    cast.mutate(choice, { onSuccess: () => notifications.show({ color: 'teal', message: t('governance.vote.cast') }) });
  };
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="vote-ballot">
      <form onSubmit={submit}>
        <Radio.Group
          value={choice}
          onChange={(v) => setChoice(v as VoteChoice)}
          label={<span id="vote-ballot">{t('governance.vote.ballot')}</span>}
          description={t('governance.vote.ballotHint')}
          required
        >
          <Group mt="xs">
            {VOTE_CHOICES.map((c) => (
              <Radio key={c} value={c} label={t(`governance.choice.${c}`)} />
            ))}
          </Group>
        </Radio.Group>
        {cast.error && <FormError error={cast.error} />}
        <Group justify="flex-end" mt="md">
          <Button type="submit" disabled={!choice} loading={cast.isPending}>
            {t('governance.vote.castButton')}
          </Button>
        </Group>
      </form>
    </Paper>
  );
}

function BallotsTable({ vote }: { vote: VoteView }) {
  const { t } = useI18n();
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="vote-ballots">
      <SectionHeading id="vote-ballots" title={t('governance.vote.ballots')} intro={t('governance.vote.ballotsIntro')} />
      <Table verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('governance.member.name')}</Table.Th>
            <Table.Th>{t('governance.vote.choice')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {vote.ballots!.map((b, i) => (
            <Table.Tr key={`${b.name}-${i}`}>
              <Table.Td>{b.name}</Table.Td>
              <Table.Td>{t(`governance.choice.${b.choice}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function CloseButton({ vote }: { vote: VoteView }) {
  const { t } = useI18n();
  const { close } = useVoteActions(vote.id);
  const [confirming, setConfirming] = useState(false);
  return (
    <Group>
      <Button variant="light" color="red" onClick={() => setConfirming(true)}>
        {t('governance.vote.close')}
      </Button>
      <ConfirmDialog
        opened={confirming}
        title={t('governance.vote.closeTitle')}
        confirmLabel={t('governance.vote.closeConfirm')}
        onConfirm={() =>
          close.mutate(undefined, {
            onSuccess: () => {
              setConfirming(false);
              notifications.show({ color: 'teal', message: t('governance.vote.closed') });
            },
          })
        }
        onClose={() => setConfirming(false)}
        loading={close.isPending}
        error={close.error}
      >
        {t('governance.vote.closeBody')}
      </ConfirmDialog>
    </Group>
  );
}

import type { MajorityRule, VoteChoice } from '@confiance/contract';
import { connect } from '../../api';
import { formatDateTime, print, printJson, table } from '../../output';
import { CHOICE_LABELS, GATE_LABELS, OUTCOME_LABELS, printVote, voteState } from './governance';

export async function votesList(options: { commission?: string; status?: 'open' | 'closed'; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const list = await client.votes.list({
    ...(options.commission ? { commission: options.commission } : {}),
    ...(options.status ? { status: options.status } : {}),
  });
  if (options.json) {
    printJson(list);
    return;
  }
  if (list.items.length === 0) {
    print('Aucun vote.');
    return;
  }
  print(
    table(list.items, [
      { header: 'ID', value: (v) => v.id },
      { header: 'Commission', value: (v) => v.commission.slug },
      { header: 'Question', value: (v) => v.question },
      { header: 'Action', value: (v) => (v.gate ? GATE_LABELS[v.gate] : '—') },
      { header: 'Clôture', value: (v) => formatDateTime(v.closesAt) },
      { header: 'État', value: (v) => voteState(v) },
    ]),
  );
}

export async function votesShow(id: string, options: { json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const vote = await client.votes.get(id);
  if (options.json) printJson(vote);
  else printVote(vote);
}

export async function votesOpen(options: {
  commission: string;
  question: string;
  description?: string;
  quorum?: number;
  majority?: MajorityRule;
  closes: string;
  json?: boolean;
}): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const vote = await client.votes.open({
    commission: options.commission,
    question: options.question,
    ...(options.description ? { description: options.description } : {}),
    ...(options.quorum !== undefined ? { quorumPercent: options.quorum } : {}),
    ...(options.majority ? { majority: options.majority } : {}),
    closesAt: new Date(options.closes).toISOString(),
  });
  if (options.json) {
    printJson(vote);
    return;
  }
  print(`Vote ouvert dans la ${vote.commission.name} jusqu’au ${formatDateTime(vote.closesAt)} : ${vote.id}`);
}

export async function votesCast(id: string, choice: VoteChoice, options: { json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const vote = await client.votes.cast(id, choice);
  if (options.json) {
    printJson(vote);
    return;
  }
  print(`Vote enregistré : ${CHOICE_LABELS[choice]}. Participation : ${vote.tally.voters} sur ${vote.tally.eligible} membres.`);
}

export async function votesClose(id: string, options: { json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const vote = await client.votes.close(id);
  if (options.json) {
    printJson(vote);
    return;
  }
  print(
    `Vote clos : ${vote.outcome ? OUTCOME_LABELS[vote.outcome] : 'en cours'}${vote.ledgerIndex === null ? '' : ` (entrée ${vote.ledgerIndex} du registre)`}.\n`,
  );
  printVote(vote);
}

import type { MajorityRule, VoteChoice, VoteOutcome, VoteView } from '@confiance/contract';
import { details, formatDateTime, NONE, print } from '../../output';

export const MAJORITY_LABELS: Record<MajorityRule, string> = {
  simple: 'simple (plus de « pour » que de « contre »)',
  two_thirds: 'deux tiers des suffrages exprimés',
  unanimity: 'unanimité des suffrages exprimés',
};
export const OUTCOME_LABELS: Record<VoteOutcome, string> = { adopted: 'adopté', rejected: 'rejeté', no_quorum: 'quorum non atteint' };
export const CHOICE_LABELS: Record<VoteChoice, string> = { pour: 'pour', contre: 'contre', abstention: 'abstention' };
export const GATE_LABELS = {
  charter_version: 'adoption d’une version de la charte',
  fee_change: 'changement de la commission de l’association',
  ethics_review: 'décision d’un examen éthique renvoyé',
} as const;
const ACTION_STATUS = {
  pending: 'en attente du vote',
  executed: 'exécutée (inscrite au registre avec le vote)',
  rejected: 'non adoptée : rien n’a changé',
  failed: 'adoptée mais non exécutée',
} as const;

export const voteState = (v: { status: 'open' | 'closed'; outcome: VoteOutcome | null }) =>
  v.status === 'open' || !v.outcome ? 'en cours' : OUTCOME_LABELS[v.outcome];

export function printVote(vote: VoteView): void {
  const t = vote.tally;
  print(vote.question);
  print(
    details([
      ['Identifiant', vote.id],
      ['Commission', `${vote.commission.name} (${vote.commission.slug})`],
      ['État', voteState(vote)],
      ['Majorité', MAJORITY_LABELS[vote.majority]],
      ['Quorum', `${vote.quorumPercent} % des membres`],
      ['Ouverture', formatDateTime(vote.opensAt)],
      ['Clôture', formatDateTime(vote.closedAt ?? vote.closesAt)],
      ['Décompte', `${t.pour} pour, ${t.contre} contre, ${t.abstention} abstention(s)`],
      ['Participation', `${t.voters} sur ${t.eligible} membres — quorum ${t.quorumMet ? 'atteint' : 'non atteint'}`],
      ['Votre vote', vote.myChoice ? CHOICE_LABELS[vote.myChoice] : NONE],
      ['Registre', vote.ledgerIndex === null ? NONE : `entrée ${vote.ledgerIndex}`],
    ]),
  );
  if (vote.action) {
    print(`\nAction soumise au vote : ${GATE_LABELS[vote.action.kind]} — ${ACTION_STATUS[vote.action.status]}`);
    for (const line of vote.action.summary) print(`  ${line}`);
    if (vote.action.error) print(`  Motif : ${vote.action.error}`);
  }
  if (vote.ballots && vote.ballots.length > 0) {
    print('\nBulletins (visibles des membres de la commission) :');
    for (const b of vote.ballots) print(`  ${b.name} : ${CHOICE_LABELS[b.choice]}`);
  }
}

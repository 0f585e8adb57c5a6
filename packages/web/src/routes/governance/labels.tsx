import { Badge } from '@mantine/core';
import type { VoteOutcome, VoteSummary } from '@confiance/contract';
import { useI18n } from '../../i18n';

const OUTCOME_COLORS: Record<VoteOutcome, string> = { adopted: 'teal', rejected: 'red', no_quorum: 'gray' };

/** Open, or how it was decided. */
export function VoteStatusBadge({ vote, size = 'sm' }: { vote: Pick<VoteSummary, 'status' | 'outcome'>; size?: 'sm' | 'lg' }) {
  const { t } = useI18n();
  if (vote.status === 'open' || !vote.outcome)
    return (
      <Badge variant="light" color="blue" tt="none" size={size}>
        {t('governance.vote.status.open')}
      </Badge>
    );
  return (
    <Badge variant="light" color={OUTCOME_COLORS[vote.outcome]} tt="none" size={size}>
      {t(`governance.vote.outcome.${vote.outcome}`)}
    </Badge>
  );
}

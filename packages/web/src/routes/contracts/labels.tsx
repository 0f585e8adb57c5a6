import { Badge, Group, Text } from '@mantine/core';
import type { ContractState, RequestStage } from '@confiance/contract';
import { useI18n } from '../../i18n';

export const STAGE_COLORS: Record<RequestStage, string> = {
  provider_review: 'orange',
  ethics_review: 'grape',
  agreed: 'teal',
  refused: 'red',
  withdrawn: 'gray',
};

export function StageBadge({ stage, size = 'sm' }: { stage: RequestStage; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useI18n();
  return (
    <Badge variant="light" color={STAGE_COLORS[stage]} size={size} tt="none">
      {t(`requests.stage.${stage}`)}
    </Badge>
  );
}

export const CONTRACT_STATE_COLORS: Record<ContractState, string> = {
  active: 'teal',
  suspended: 'orange',
  terminated: 'red',
  expired: 'gray',
};

/** The state in words, and the Dataspace Protocol's transfer state beside it, in small, for experts. */
export function ContractStateBadge({
  state,
  transferState,
  size = 'sm',
}: {
  state: ContractState;
  transferState?: string;
  size?: 'sm' | 'md' | 'lg';
}) {
  const { t } = useI18n();
  const badge = (
    <Badge variant="light" color={CONTRACT_STATE_COLORS[state]} size={size} tt="none">
      {t(`contracts.state.${state}`)}
    </Badge>
  );
  if (!transferState) return badge;
  return (
    <Group gap={6} wrap="nowrap">
      {badge}
      <Text size="xs" c="dimmed" ff="monospace" title={t('contracts.transferStateHint')}>
        {t('contracts.transferState', { state: transferState })}
      </Text>
    </Group>
  );
}

/**
 * Titles of light alerts: Mantine's shade 6 falls below 4.5:1 on the tinted background for most
 * colours; these darker ones (the badges' text colours) do not.
 */
const ALERT_TITLE: Record<string, string> = {
  teal: '#05664a',
  orange: '#a23b00',
  yellow: '#6b4f00',
  grape: 'var(--mantine-color-grape-9)',
  red: 'var(--mantine-color-red-9)',
  gray: 'var(--mantine-color-gray-8)',
  confiance: 'var(--mantine-color-confiance-9)',
};
export function alertTitle(color: string) {
  return { title: { color: ALERT_TITLE[color] ?? `var(--mantine-color-${color}-9)` } };
}

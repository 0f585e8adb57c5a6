import { Badge, Button, Code, Group, Paper, Stack, Text } from '@mantine/core';
import type { CheckpointView, LedgerEntryView } from '@confiance/contract';
import { useMutation } from '@tanstack/react-query';
import { fetchInclusionProof } from '../../api/ledger';
import { badgeText } from '../../components/categories';
import { errorText } from '../../components/errors';
import { LedgerIcon } from '../../components/Icons';
import { useI18n, type Translate } from '../../i18n';
import { describeEntry, entryTypeLabel, shortHash } from './describe';
import { EntryVerdictView, VerdictBox } from './Verdict';
import { verifyEntry } from './verify';

/** Colours by family of fact, so a long list can be scanned. */
function typeColor(type: LedgerEntryView['type']): string {
  if (type.startsWith('member.') || type.startsWith('user.') || type.startsWith('charter.')) return 'grape';
  if (type.startsWith('dataset.') || type === 'offer.changed') return 'confiance';
  if (type.startsWith('contract.') || type.endsWith('.decided')) return 'orange';
  if (type.startsWith('query.') || type === 'download') return 'teal';
  return 'gray';
}

/** Names of the details modules record today; any other key shows as it is. */
const DETAIL_KEYS = ['by', 'userId', 'note', 'notes', 'reason'] as const;

function detailLabel(t: Translate, key: string): string {
  return (DETAIL_KEYS as readonly string[]).includes(key) ? t(`ledger.detail.${key as (typeof DETAIL_KEYS)[number]}`) : key;
}

function detailValue(value: unknown): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function Details({ entry }: { entry: LedgerEntryView }) {
  const { t } = useI18n();
  if (entry.erased) {
    return (
      <Group gap="xs">
        <Badge variant="light" color="gray" c={badgeText('gray')} size="sm" tt="none">
          {t('entries.erased')}
        </Badge>
        <Text size="xs" c="dimmed">
          {t('entries.erasedHint')}
        </Text>
      </Group>
    );
  }
  if (!entry.details) return null;
  const fields = Object.entries(entry.details);
  if (fields.length === 0) return null;
  return (
    <details className="ledger-entry-details">
      <summary>
        <Text span size="sm">
          {t('entries.details')}
        </Text>
      </summary>
      <dl>
        {fields.map(([key, value]) => (
          <div key={key} style={{ display: 'contents' }}>
            <dt>{detailLabel(t, key)}</dt>
            <dd>{detailValue(value)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** One entry of the Registre: what happened, in words, and a way to check it is in the log. */
export function EntryItem({ entry, checkpoint }: { entry: LedgerEntryView; checkpoint: CheckpointView | undefined }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const verify = useMutation({
    mutationFn: async () => (checkpoint ? verifyEntry(entry, checkpoint, fetchInclusionProof) : null),
  });
  const sentenceId = `entry-${entry.index}`;
  return (
    <Paper component="article" aria-labelledby={sentenceId} withBorder radius="md" p="md" className="ledger-entry">
      <Stack gap={8}>
        <Group justify="space-between" gap="xs">
          <Group gap={6}>
            <Badge variant="light" color={typeColor(entry.type)} c={badgeText(typeColor(entry.type))} size="sm" tt="none">
              {entryTypeLabel(i18n, entry.type)}
            </Badge>
            <Text size="xs" c="dimmed">
              {t('entries.index', { index: entry.index })}
            </Text>
          </Group>
          <Text size="xs" c="dimmed">
            <time dateTime={entry.time}>{formatDateTime(entry.time)}</time>
          </Text>
        </Group>
        <Text id={sentenceId} size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
          {describeEntry(i18n, entry)}
        </Text>
        <Group gap="xs">
          <Text size="xs" c="dimmed">
            {t('entries.commitment')}
          </Text>
          <Code title={t('entries.commitmentFull', { commitment: entry.commitment })}>{shortHash(entry.commitment, 16)}</Code>
        </Group>
        <Details entry={entry} />
        <Group gap="sm">
          <Button
            variant="light"
            size="xs"
            leftSection={<LedgerIcon size={14} />}
            loading={verify.isPending}
            onClick={() => verify.mutate()}
            aria-label={t('verify.buttonLabel', { index: entry.index })}
          >
            {t('verify.button')}
          </Button>
        </Group>
        <div role="status" aria-live="polite">
          {verify.isPending ? (
            <Text size="sm" c="dimmed">
              {t('verify.running')}
            </Text>
          ) : verify.isError ? (
            <VerdictBox tone="failure" title={errorText(t, verify.error)} />
          ) : verify.isSuccess ? (
            verify.data ? (
              <EntryVerdictView verdict={verify.data} />
            ) : (
              <VerdictBox tone="neutral" title={t('verify.noCheckpoint')} />
            )
          ) : null}
        </div>
      </Stack>
    </Paper>
  );
}

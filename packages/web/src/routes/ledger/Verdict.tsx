import { Group, List, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import type { ReactNode } from 'react';
import { isApiError, errorText } from '../../components/errors';
import { AlertIcon, CheckIcon, InfoIcon } from '../../components/Icons';
import { useI18n, type Translate } from '../../i18n';
import { shortHash } from './describe';
import type { EntryVerdict, Fail, Step } from './verify';

export type Tone = 'success' | 'failure' | 'neutral';

const TONE_COLOR: Record<Tone, string> = { success: 'teal', failure: 'red', neutral: 'gray' };

/** A verification's outcome: a sentence that says it all, and what was checked underneath. */
export function VerdictBox({ tone, title, children }: { tone: Tone; title: string; children?: ReactNode }) {
  const color = TONE_COLOR[tone];
  return (
    <Paper withBorder radius="md" p="sm" className={`verdict verdict-${tone}`}>
      <Group gap="sm" align="flex-start" wrap="nowrap">
        <ThemeIcon variant="light" color={color} radius="xl" size={28} aria-hidden="true">
          {tone === 'success' ? <CheckIcon size={16} /> : tone === 'failure' ? <AlertIcon size={16} /> : <InfoIcon size={16} />}
        </ThemeIcon>
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Text size="sm" fw={600}>
            {title}
          </Text>
          {children}
        </Stack>
      </Group>
    </Paper>
  );
}

/** Why a step failed, in words: the library's code, else the API's error, else "unknown". */
export function failureReason(t: Translate, fail: Fail): string {
  if (fail.code) return t(`tlog.${fail.code}`);
  if (isApiError(fail.error)) return errorText(t, fail.error);
  return t('tlog.unknown');
}

function stepText(t: Translate, step: Step, size: number, root: string): string {
  switch (step.status) {
    case 'ok':
      if (step.id === 'inclusion') return t('verify.ok.inclusion', { count: step.proofLength ?? 0, root: shortHash(root) });
      if (step.id === 'proof') return t('verify.ok.proof', { size });
      return t(`verify.ok.${step.id}`);
    case 'skipped':
      if (step.id === 'signature') return t('verify.skip.signature');
      return step.why === 'erased' ? t('verify.skip.commitmentErased') : t('verify.skip.commitmentHidden');
    case 'failed': {
      const reason = failureReason(t, step);
      switch (step.id) {
        case 'proof':
          return t('verify.fail.proof', { reason });
        case 'inclusion':
          return t('verify.fail.inclusion', { size, reason });
        case 'signature':
          return t('verify.fail.signature', { reason });
        case 'leafHash':
        case 'leafBytes':
        case 'commitment':
          return t(`verify.fail.${step.id}`);
      }
    }
  }
}

/** The outcome of « Vérifier » on one entry. */
export function EntryVerdictView({ verdict }: { verdict: EntryVerdict }) {
  const { t } = useI18n();
  if (verdict.outcome === 'pending') return <VerdictBox tone="neutral" title={t('verify.pending', { size: verdict.size })} />;
  const title =
    verdict.outcome === 'verified'
      ? t('verify.success', { index: verdict.index, size: verdict.size })
      : t('verify.failure', { step: t(`verify.step.${verdict.failed}`) });
  return (
    <VerdictBox tone={verdict.outcome === 'verified' ? 'success' : 'failure'} title={title}>
      <List size="sm" spacing={2} aria-label={t('verify.steps')} className="verdict-steps">
        {verdict.steps.map((step) => (
          <List.Item key={step.id} data-status={step.status}>
            <Text span size="sm" fw={500}>
              {t(`verify.step.${step.id}`)}
            </Text>
            <Text span size="sm">
              {' — '}
              {stepText(t, step, verdict.size, verdict.root)}
            </Text>
          </List.Item>
        ))}
      </List>
    </VerdictBox>
  );
}

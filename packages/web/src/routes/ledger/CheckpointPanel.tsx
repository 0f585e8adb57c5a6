import {
  ActionIcon,
  Anchor,
  Button,
  Code,
  CopyButton,
  Group,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import type { CheckpointView } from '@confiance/contract';
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorState } from '../../components/ErrorState';
import { isApiError } from '../../components/errors';
import { CheckIcon, CopyIcon, LedgerIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { useI18n, type MessageKey } from '../../i18n';
import { shortHash } from './describe';
import { failureReason, VerdictBox } from './Verdict';
import { verifyCheckpointSignature } from './verify';

function Row({ label, children }: { label: MessageKey; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Table.Tr>
      <Table.Th scope="row">{t(label)}</Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

function CopyKey({ value }: { value: string }) {
  const { t } = useI18n();
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? t('common.copied') : t('common.copy')} withArrow>
          <ActionIcon
            variant={copied ? 'filled' : 'light'}
            color={copied ? 'teal' : undefined}
            onClick={copy}
            aria-label={t('checkpoint.copyKey')}
          >
            {copied ? <CheckIcon size={16} /> : <CopyIcon size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

function SignatureCheck({ checkpoint }: { checkpoint: CheckpointView }) {
  const { t } = useI18n();
  const check = useMutation({ mutationFn: () => verifyCheckpointSignature(checkpoint) });
  const verdict = check.data;
  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Button onClick={() => check.mutate()} loading={check.isPending} leftSection={<LedgerIcon size={16} />}>
          {t('checkpoint.verify')}
        </Button>
        <Anchor href="/ledger/checkpoint" size="sm" target="_blank" rel="noopener">
          {t('checkpoint.note')}
          <VisuallyHidden> {t('common.newTab')}</VisuallyHidden>
        </Anchor>
      </Group>
      {/* Always in the page, so screen readers announce the verdict when it lands. */}
      <div role="status" aria-live="polite">
        {check.isPending ? (
          <Text size="sm" c="dimmed">
            {t('checkpoint.verifying')}
          </Text>
        ) : !verdict ? null : verdict.status === 'valid' ? (
          <VerdictBox
            tone="success"
            title={t('checkpoint.valid', {
              size: checkpoint.size,
              root: shortHash(checkpoint.root),
              key: `${verdict.keyName}+${verdict.keyId}`,
            })}
          />
        ) : verdict.status === 'unavailable' ? (
          <VerdictBox tone="neutral" title={t('checkpoint.noEd25519')} />
        ) : verdict.code === 'checkpoint_mismatch' ? (
          <VerdictBox tone="failure" title={t('checkpoint.mismatch')} />
        ) : (
          <VerdictBox tone="failure" title={t('checkpoint.invalid', { reason: failureReason(t, verdict) })} />
        )}
      </div>
    </Stack>
  );
}

function CheckpointTable({ checkpoint }: { checkpoint: CheckpointView }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Table variant="vertical" layout="fixed" verticalSpacing="xs" className="checkpoint-table">
      <Table.Tbody>
        <Row label="checkpoint.size">{t('checkpoint.entries', { count: checkpoint.size })}</Row>
        <Row label="checkpoint.root">
          <Code title={checkpoint.root}>{shortHash(checkpoint.root, 16)}</Code>
        </Row>
        <Row label="checkpoint.signedAt">{formatDateTime(checkpoint.createdAt)}</Row>
        <Row label="checkpoint.origin">
          <Code>{checkpoint.origin}</Code>
        </Row>
        <Row label="checkpoint.verifierKey">
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Code className="key-code">{checkpoint.verifierKey}</Code>
            <CopyKey value={checkpoint.verifierKey} />
          </Group>
        </Row>
        <Row label="checkpoint.witnesses">
          {checkpoint.cosignatures.length === 0 ? (
            <Text span size="sm" c="dimmed">
              {t('checkpoint.noCosignature')}
            </Text>
          ) : (
            <Stack gap={2}>
              <Text size="sm">{t('checkpoint.cosignatures', { count: checkpoint.cosignatures.length })}</Text>
              <ul className="plain-list">
                {checkpoint.cosignatures.map((c) => (
                  <li key={`${c.witness}-${c.time}`}>
                    <Text size="xs" c="dimmed">
                      {t('checkpoint.witnessAt', { witness: c.witness, time: formatDateTime(new Date(c.time * 1000)) })}
                    </Text>
                  </li>
                ))}
              </ul>
            </Stack>
          )}
        </Row>
      </Table.Tbody>
    </Table>
  );
}

/** The latest signed checkpoint, and a way to check its signature here. */
export function CheckpointPanel({
  checkpoint,
  error,
  pending,
  onRetry,
}: {
  checkpoint: CheckpointView | undefined;
  error: unknown;
  pending: boolean;
  onRetry: () => void;
}) {
  const { t } = useI18n();
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="checkpoint-title">
      <Stack gap="md">
        <SectionHeading id="checkpoint-title" title={t('checkpoint.title')} intro={t('checkpoint.intro')} />
        {pending ? (
          <Stack gap={8} role="status" aria-label={t('app.loading')}>
            {Array.from({ length: 5 }, (_, i) => (
              <Skeleton key={i} h={22} w={i % 2 ? '60%' : '80%'} />
            ))}
          </Stack>
        ) : checkpoint ? (
          <>
            <CheckpointTable checkpoint={checkpoint} />
            {/* A new checkpoint gets a fresh check: the old verdict was about another note. */}
            <SignatureCheck key={`${checkpoint.size}-${checkpoint.root}`} checkpoint={checkpoint} />
          </>
        ) : isApiError(error, 'not_ready') ? (
          <Stack gap={4}>
            <Text fw={600}>{t('checkpoint.notReady')}</Text>
            <Text size="sm" c="dimmed">
              {t('checkpoint.notReadyHint')}
            </Text>
          </Stack>
        ) : (
          <ErrorState title={t('checkpoint.loadFailed')} error={error} onRetry={onRetry} />
        )}
      </Stack>
    </Paper>
  );
}

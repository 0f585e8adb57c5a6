import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  CopyButton,
  Grid,
  Group,
  Modal,
  NumberInput,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { TOKEN_SCOPES, type TokenScope } from '@confiance/contract';
import { useState } from 'react';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from '../../api/identity';
import { ErrorState } from '../../components/ErrorState';
import { useFieldErrors } from '../../components/errors';
import { FormFooter } from '../../components/FormFooter';
import { AlertIcon, CheckIcon, CopyIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { useConfirmedAction } from '../../components/useConfirmedAction';
import { useI18n } from '../../i18n';

type TokenRow = NonNullable<ReturnType<typeof useApiTokens>['data']>['items'][number];

function statusOf(token: TokenRow): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= Date.now()) return 'expired';
  return 'active';
}

/** The secret, shown once: it lives only in this component's state and is dropped on close. */
function SecretModal({ created, onClose }: { created: { name: string; secret: string } | null; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal
      opened={created !== null}
      onClose={onClose}
      title={t('tokens.createdTitle', { name: created?.name ?? '' })}
      size="lg"
      closeOnClickOutside={false}
      centered
    >
      {created && (
        <Stack gap="md">
          <Alert color="orange" variant="light" icon={<AlertIcon />} role="alert">
            {t('tokens.secretWarning')}
          </Alert>
          <TextInput
            label={t('tokens.secretLabel')}
            value={created.secret}
            readOnly
            className="secret-box"
            onFocus={(e) => e.currentTarget.select()}
            rightSectionWidth={44}
            rightSection={
              <CopyButton value={created.secret} timeout={2000}>
                {({ copied, copy }) => (
                  <Tooltip label={copied ? t('common.copied') : t('tokens.copySecret')} withArrow position="left">
                    <ActionIcon
                      variant={copied ? 'filled' : 'light'}
                      color={copied ? 'teal' : undefined}
                      onClick={copy}
                      aria-label={t('tokens.copySecret')}
                    >
                      {copied ? <CheckIcon size={16} /> : <CopyIcon size={16} />}
                    </ActionIcon>
                  </Tooltip>
                )}
              </CopyButton>
            }
          />
          <Text size="sm" c="dimmed">
            {t('tokens.secretUsage')}
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus>
              {t('tokens.secretDone')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: { name: string; secret: string }) => void }) {
  const { t } = useI18n();
  const create = useCreateApiToken();
  const fieldErrors = useFieldErrors();
  const form = useForm<{ name: string; scopes: TokenScope[]; expiresInDays: number | string }>({
    initialValues: { name: '', scopes: ['read'], expiresInDays: 90 },
    validate: {
      name: (v) => (v.trim() ? null : t('common.required')),
      scopes: (v) => (v.length ? null : t('tokens.scopesRequired')),
    },
  });
  const submit = form.onSubmit((values) =>
    create.mutate(
      {
        name: values.name.trim(),
        scopes: values.scopes,
        expiresInDays: typeof values.expiresInDays === 'number' ? values.expiresInDays : null,
      },
      {
        onSuccess: (token) => {
          form.reset();
          onCreated({ name: token.name, secret: token.secret });
        },
        onError: (error) => form.setErrors(fieldErrors(error)),
      },
    ),
  );
  return (
    <Paper withBorder radius="md" p="md" bg="gray.0">
      <form onSubmit={submit} noValidate aria-labelledby="create-token-title">
        <Stack gap="sm">
          <Title order={3} size="h5" id="create-token-title">
            {t('tokens.create')}
          </Title>
          <Grid gap="md" align="flex-start">
            <Grid.Col span={{ base: 12, md: 4 }}>
              <TextInput
                label={t('tokens.nameLabel')}
                placeholder={t('tokens.namePlaceholder')}
                required
                maxLength={100}
                {...form.getInputProps('name')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Checkbox.Group label={t('tokens.scopesLabel')} required {...form.getInputProps('scopes')}>
                <Stack gap={6} mt={6}>
                  {TOKEN_SCOPES.map((scope) => (
                    <Checkbox key={scope} value={scope} label={t(`tokens.scope.${scope}`)} description={t(`tokens.scope.${scope}Hint`)} />
                  ))}
                </Stack>
              </Checkbox.Group>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <NumberInput
                label={t('tokens.expiresInDays')}
                description={t('tokens.expiresHint')}
                min={1}
                max={3650}
                allowDecimal={false}
                allowNegative={false}
                {...form.getInputProps('expiresInDays')}
              />
            </Grid.Col>
          </Grid>
          <FormFooter error={create.error} loading={create.isPending} submitLabel={t('tokens.submit')} />
        </Stack>
      </form>
    </Paper>
  );
}

function TokensTable() {
  const { t, formatDate, formatDateTime } = useI18n();
  const tokens = useApiTokens();
  const revocation = useConfirmedAction({
    mutation: useRevokeApiToken(),
    variables: (token: TokenRow) => token.id,
    label: t('tokens.revoke'),
    ariaLabel: (token) => t('tokens.revokeLabel', { name: token.name }),
    title: (token) => t('tokens.revokeTitle', { name: token.name }),
    body: () => t('tokens.revokeBody'),
    confirmLabel: t('tokens.revokeConfirm'),
    success: (token) => t('tokens.revoked', { name: token.name }),
  });

  if (tokens.isPending) {
    return (
      <Stack gap="xs" aria-busy="true" aria-label={t('app.loading')}>
        <Skeleton h={36} />
        <Skeleton h={36} />
      </Stack>
    );
  }
  if (tokens.isError) return <ErrorState title={t('tokens.loadFailed')} error={tokens.error} onRetry={() => void tokens.refetch()} />;
  if (tokens.data.items.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {t('tokens.empty')}
      </Text>
    );
  }

  const colour = { active: 'teal', revoked: 'gray', expired: 'orange' } as const;
  const label = { active: 'tokens.statusActive', revoked: 'tokens.statusRevoked', expired: 'tokens.statusExpired' } as const;

  return (
    <>
      <Table.ScrollContainer minWidth={820}>
        <Table verticalSpacing="sm" highlightOnHover aria-label={t('tokens.table')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('tokens.name')}</Table.Th>
              <Table.Th scope="col">{t('tokens.prefix')}</Table.Th>
              <Table.Th scope="col">{t('tokens.scopes')}</Table.Th>
              <Table.Th scope="col">{t('tokens.created')}</Table.Th>
              <Table.Th scope="col">{t('tokens.expires')}</Table.Th>
              <Table.Th scope="col">{t('tokens.lastUsed')}</Table.Th>
              <Table.Th scope="col">{t('tokens.status')}</Table.Th>
              <Table.Th scope="col">{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data.items.map((token) => {
              const status = statusOf(token);
              return (
                <Table.Tr key={token.id} c={status === 'active' ? undefined : 'dimmed'}>
                  <Table.Td fw={500} style={{ overflowWrap: 'anywhere' }}>
                    {token.name}
                  </Table.Td>
                  <Table.Td>
                    <Text span ff="monospace" size="sm">
                      {token.prefix}…
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {token.scopes.map((s) => (
                        <Badge key={s} size="sm" variant="light" color={s === 'write' ? 'orange' : 'confiance'} tt="none">
                          {t(`tokens.scope.${s}`)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{formatDate(token.createdAt)}</Table.Td>
                  <Table.Td>{token.expiresAt ? formatDate(token.expiresAt) : t('tokens.noExpiry')}</Table.Td>
                  <Table.Td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('common.never')}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={colour[status]}>
                      {t(label[status])}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{status === 'active' && revocation.button(token)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {revocation.dialog}
    </>
  );
}

export function TokensSection() {
  const { t } = useI18n();
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="tokens-title" id="jetons">
      <Stack gap="md">
        <SectionHeading id="tokens-title" title={t('tokens.title')} intro={t('tokens.intro')} introMaxWidth={760} />
        <CreateTokenForm onCreated={setCreated} />
        <TokensTable />
      </Stack>
      <SecretModal created={created} onClose={() => setCreated(null)} />
    </Paper>
  );
}

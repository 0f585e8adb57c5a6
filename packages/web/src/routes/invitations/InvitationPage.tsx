import { Paper, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { PASSWORD_MIN_LENGTH } from '@confiance/contract';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useAcceptInvitation, useInvitationPreview } from '../../api/invitations';
import { ErrorState } from '../../components/ErrorState';
import { FormFooter } from '../../components/FormFooter';
import { isApiError, useFieldErrors } from '../../components/errors';
import { AlertIcon, ClockIcon, InfoIcon } from '../../components/Icons';
import { StatePage } from '../../components/StatePage';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { PasswordField } from '../../components/PasswordField';

type Preview = NonNullable<ReturnType<typeof useInvitationPreview>['data']>;

function AcceptForm({ token, preview }: { token: string; preview: Preview }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const accept = useAcceptInvitation(token);
  const fieldErrors = useFieldErrors();
  const newAccount = !preview.accountExists;
  const form = useForm({
    initialValues: { displayName: '', password: '', confirmation: '' },
    validate: {
      displayName: (v) => (newAccount && !v.trim() ? t('common.required') : null),
      password: (v) => {
        if (!v) return t('common.required');
        return newAccount && v.length < PASSWORD_MIN_LENGTH ? t('common.passwordTooShort', { min: PASSWORD_MIN_LENGTH }) : null;
      },
      confirmation: (v, values) => (newAccount && v !== values.password ? t('common.passwordMismatch') : null),
    },
  });

  const submit = form.onSubmit((values) =>
    accept.mutate(newAccount ? { displayName: values.displayName.trim(), password: values.password } : { password: values.password }, {
      onSuccess: (result) => void navigate(`/connexion?invitation=acceptee&email=${encodeURIComponent(result.email)}`, { replace: true }),
      onError: (error) => form.setErrors(fieldErrors(error)),
    }),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text>{newAccount ? t('invitation.newAccount') : t('invitation.existingAccount', { email: preview.email })}</Text>
        {newAccount && (
          <TextInput label={t('invitation.displayName')} autoComplete="name" required autoFocus {...form.getInputProps('displayName')} />
        )}
        <PasswordField
          label={newAccount ? t('invitation.newPassword') : t('invitation.password')}
          description={newAccount ? t('common.passwordRule', { min: PASSWORD_MIN_LENGTH }) : undefined}
          autoComplete={newAccount ? 'new-password' : 'current-password'}
          required
          autoFocus={!newAccount}
          {...form.getInputProps('password')}
        />
        {newAccount && (
          <PasswordField
            label={t('invitation.confirmPassword')}
            autoComplete="new-password"
            required
            {...form.getInputProps('confirmation')}
          />
        )}
        {/* the login name, for password managers */}
        <input type="email" name="username" autoComplete="username" value={preview.email} readOnly hidden />
        <FormFooter error={accept.error} loading={accept.isPending} submitLabel={t('invitation.accept')} />
      </Stack>
    </form>
  );
}

export function InvitationPage() {
  const { t, formatDateTime } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const preview = useInvitationPreview(token);
  usePageTitle(t('invitation.title'));

  if (!token || isApiError(preview.error, 'not_found', 'validation_failed')) {
    return (
      <StatePage
        title={t('invitation.unknownTitle')}
        body={t('invitation.unknownBody')}
        icon={<InfoIcon size={24} />}
        color="gray"
        action={{ label: t('invitation.goToSignIn'), to: '/connexion' }}
      />
    );
  }
  if (isApiError(preview.error, 'invitation_expired')) {
    return (
      <StatePage
        title={t('invitation.expiredTitle')}
        body={t('invitation.expiredBody')}
        icon={<ClockIcon size={24} />}
        color="orange"
        action={{ label: t('invitation.goToSignIn'), to: '/connexion' }}
      />
    );
  }
  if (isApiError(preview.error, 'invitation_used')) {
    return (
      <StatePage
        title={t('invitation.usedTitle')}
        body={t('invitation.usedBody')}
        icon={<AlertIcon size={24} />}
        color="orange"
        action={{ label: t('invitation.goToSignIn'), to: '/connexion' }}
      />
    );
  }

  return (
    <Paper withBorder radius="md" p="xl" maw={600} mx="auto" mt="md">
      {preview.isPending ? (
        <Stack gap="md" aria-busy="true" aria-label={t('app.loading')}>
          <Skeleton h={32} w="60%" />
          <Skeleton h={16} />
          <Skeleton h={120} />
        </Stack>
      ) : preview.isError ? (
        <ErrorState title={t('common.errorTitle')} error={preview.error} onRetry={() => void preview.refetch()} />
      ) : (
        <Stack gap="lg">
          <div>
            <Title order={1}>{t('invitation.heading', { organisation: preview.data.organisation.shortName })}</Title>
            <Text c="dimmed" mt={4}>
              {t('invitation.summary', { organisation: preview.data.organisation.shortName })}
            </Text>
          </div>
          <Table variant="vertical" withTableBorder className="identity-table">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row">{t('invitation.organisation')}</Table.Th>
                <Table.Td>{preview.data.organisation.shortName}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('invitation.role')}</Table.Th>
                <Table.Td>{t(`roles.${preview.data.role}`)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('invitation.email')}</Table.Th>
                <Table.Td>{preview.data.email}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('invitation.expires')}</Table.Th>
                <Table.Td>{formatDateTime(preview.data.expiresAt)}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <AcceptForm token={token} preview={preview.data} />
        </Stack>
      )}
    </Paper>
  );
}

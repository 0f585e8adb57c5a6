import { Paper, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { PASSWORD_MIN_LENGTH } from '@confiance/contract';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useConfirmPasswordReset } from '../../api/identity';
import { FormFooter } from '../../components/FormFooter';
import { isApiError, useFieldErrors } from '../../components/errors';
import { AlertIcon } from '../../components/Icons';
import { StatePage } from '../../components/StatePage';
import { usePageTitle } from '../../components/usePageTitle';
import { useT } from '../../i18n';
import { PasswordField } from '../../components/PasswordField';

export function ResetPasswordPage() {
  const t = useT();
  usePageTitle(t('reset.title'));
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const confirm = useConfirmPasswordReset();
  const fieldErrors = useFieldErrors();
  const form = useForm({
    initialValues: { newPassword: '', confirmation: '' },
    validate: {
      newPassword: (v) => (v.length >= PASSWORD_MIN_LENGTH ? null : t('common.passwordTooShort', { min: PASSWORD_MIN_LENGTH })),
      confirmation: (v, values) => (v === values.newPassword ? null : t('common.passwordMismatch')),
    },
  });

  const linkInvalid = !token || token.length < 10 || isApiError(confirm.error, 'reset_link_invalid');
  if (linkInvalid) {
    return (
      <StatePage
        title={t('reset.invalidTitle')}
        body={token ? t('reset.invalidBody') : t('reset.missingToken')}
        icon={<AlertIcon size={24} />}
        color="orange"
        action={{ label: t('reset.requestNew'), to: '/mot-de-passe-oublie' }}
        secondary={{ label: t('forgot.backToSignIn'), to: '/connexion' }}
      />
    );
  }

  const submit = form.onSubmit(({ newPassword }) =>
    confirm.mutate(
      { token, newPassword },
      {
        onSuccess: () => void navigate('/connexion?reinitialisation=ok', { replace: true }),
        onError: (error) => form.setErrors(fieldErrors(error)),
      },
    ),
  );

  return (
    <Paper withBorder radius="md" p="xl" maw={520} mx="auto" mt="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={1}>{t('reset.title')}</Title>
          <Text c="dimmed">{t('reset.intro')}</Text>
          <PasswordField
            label={t('reset.newPassword')}
            description={t('common.passwordRule', { min: PASSWORD_MIN_LENGTH })}
            autoComplete="new-password"
            required
            autoFocus
            {...form.getInputProps('newPassword')}
          />
          <PasswordField label={t('reset.confirmPassword')} autoComplete="new-password" required {...form.getInputProps('confirmation')} />
          <FormFooter error={confirm.error} loading={confirm.isPending} submitLabel={t('reset.submit')} />
        </Stack>
      </form>
    </Paper>
  );
}

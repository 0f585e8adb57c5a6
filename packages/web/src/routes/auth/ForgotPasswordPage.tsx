import { Alert, Anchor, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useRequestPasswordReset } from '../../api/identity';
import { FormFooter } from '../../components/FormFooter';
import { InfoIcon } from '../../components/Icons';
import { usePageTitle } from '../../components/usePageTitle';
import { useT } from '../../i18n';

export function ForgotPasswordPage() {
  const t = useT();
  usePageTitle(t('forgot.title'));
  const request = useRequestPasswordReset();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: (v) => (/^\S+@\S+$/.test(v.trim()) ? null : t('common.invalidEmail')) },
  });

  const submit = form.onSubmit(({ email }) => request.mutate(email.trim(), { onSuccess: () => setSentTo(email.trim()) }));

  return (
    <Paper withBorder radius="md" p="xl" maw={520} mx="auto" mt="md">
      <Stack gap="lg">
        <Title order={1}>{t('forgot.title')}</Title>
        {sentTo ? (
          // Same answer whether or not the account exists: the form must not reveal who has one.
          <Alert color="teal" variant="light" icon={<InfoIcon />} title={t('forgot.sentTitle')} role="status">
            {t('forgot.sent', { email: sentTo })}
          </Alert>
        ) : (
          <form onSubmit={submit} noValidate>
            <Stack gap="md">
              <Text c="dimmed">{t('forgot.intro')}</Text>
              <TextInput label={t('signIn.email')} type="email" autoComplete="email" required autoFocus {...form.getInputProps('email')} />
              <FormFooter error={request.error} loading={request.isPending} submitLabel={t('forgot.submit')} />
            </Stack>
          </form>
        )}
        <Anchor component={Link} to="/connexion" size="sm">
          {t('forgot.backToSignIn')}
        </Anchor>
      </Stack>
    </Paper>
  );
}

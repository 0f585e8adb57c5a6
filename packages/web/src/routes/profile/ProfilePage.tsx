import { Anchor, Badge, Grid, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { PASSWORD_MIN_LENGTH, type Session } from '@confiance/contract';
import { Link } from 'react-router-dom';
import { useChangePassword, useUpdateProfile } from '../../api/identity';
import { useSession } from '../../api/session';
import { FormFooter } from '../../components/FormFooter';
import { isApiError, useFieldErrors } from '../../components/errors';
import { BuildingIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { usePageTitle } from '../../components/usePageTitle';
import { LOCALES, useI18n, type Locale } from '../../i18n';
import { NotificationsSection } from './NotificationsSection';
import { TokensSection } from './TokensSection';
import { PasswordField } from '../../components/PasswordField';

function IdentityForm({ session }: { session: Session }) {
  const { t, setLocale } = useI18n();
  const update = useUpdateProfile();
  const fieldErrors = useFieldErrors();
  const form = useForm<{ displayName: string; locale: Locale }>({
    initialValues: { displayName: session.user.displayName, locale: session.user.locale },
    validate: { displayName: (v) => (v.trim() ? null : t('common.required')) },
  });
  const submit = form.onSubmit((values) =>
    update.mutate(
      { displayName: values.displayName.trim(), locale: values.locale },
      {
        onSuccess: (user) => {
          setLocale(user.locale);
          form.resetDirty({ displayName: user.displayName, locale: user.locale });
          notifications.show({ color: 'teal', message: t('profile.saved') });
        },
        onError: (error) => form.setErrors(fieldErrors(error)),
      },
    ),
  );
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="identity-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={2} size="h3" id="identity-title">
            {t('profile.identity')}
          </Title>
          <TextInput label={t('profile.email')} value={session.user.email} readOnly variant="filled" />
          <TextInput label={t('profile.displayName')} autoComplete="name" required maxLength={120} {...form.getInputProps('displayName')} />
          <Select
            label={t('profile.locale')}
            data={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
            allowDeselect={false}
            {...form.getInputProps('locale')}
          />
          <FormFooter error={update.error} loading={update.isPending} submitLabel={t('common.save')} />
        </Stack>
      </form>
    </Paper>
  );
}

function PasswordForm({ email }: { email: string }) {
  const { t } = useI18n();
  const change = useChangePassword();
  const fieldErrors = useFieldErrors();
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirmation: '' },
    validate: {
      currentPassword: (v) => (v ? null : t('common.required')),
      newPassword: (v) => (v.length >= PASSWORD_MIN_LENGTH ? null : t('common.passwordTooShort', { min: PASSWORD_MIN_LENGTH })),
      confirmation: (v, values) => (v === values.newPassword ? null : t('common.passwordMismatch')),
    },
  });
  const submit = form.onSubmit((values) =>
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: () => {
          form.reset();
          notifications.show({ color: 'teal', message: t('profile.passwordChanged') });
        },
        onError: (error) => {
          if (isApiError(error, 'invalid_credentials')) form.setFieldError('currentPassword', t('profile.wrongPassword'));
          else form.setErrors(fieldErrors(error));
        },
      },
    ),
  );
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="password-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SectionHeading id="password-title" title={t('profile.password')} intro={t('profile.passwordIntro')} />
          {/* the login name, so password managers update the right entry */}
          <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
          <PasswordField
            label={t('profile.currentPassword')}
            autoComplete="current-password"
            required
            {...form.getInputProps('currentPassword')}
          />
          <PasswordField
            label={t('profile.newPassword')}
            description={t('common.passwordRule', { min: PASSWORD_MIN_LENGTH })}
            autoComplete="new-password"
            required
            {...form.getInputProps('newPassword')}
          />
          <PasswordField
            label={t('profile.confirmPassword')}
            autoComplete="new-password"
            required
            {...form.getInputProps('confirmation')}
          />
          <FormFooter
            error={isApiError(change.error, 'invalid_credentials', 'validation_failed') ? null : change.error}
            loading={change.isPending}
            submitLabel={t('profile.changePassword')}
          />
        </Stack>
      </form>
    </Paper>
  );
}

function Memberships({ session }: { session: Session }) {
  const { t } = useI18n();
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="memberships-title">
      <Stack gap="sm">
        <Title order={2} size="h3" id="memberships-title">
          {t('profile.memberships')}
        </Title>
        {session.memberships.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('profile.noMembership')}
          </Text>
        ) : (
          <Stack gap="xs" component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {session.memberships.map((m) => (
              <Group key={m.organisationId} component="li" gap="sm" wrap="nowrap" justify="space-between">
                <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                  <BuildingIcon size={16} />
                  <Anchor component={Link} to={`/organisations/${m.organisationSlug}`} size="sm" lineClamp={1}>
                    {m.organisationName}
                  </Anchor>
                </Group>
                <Badge variant="light" size="sm" style={{ flexShrink: 0 }}>
                  {t(`roles.${m.role}`)}
                </Badge>
              </Group>
            ))}
          </Stack>
        )}
        {session.user.platformRoles.length > 0 && (
          <>
            <Text size="sm" fw={600} mt="xs">
              {t('profile.platformRoles')}
            </Text>
            <Group gap="xs">
              {session.user.platformRoles.map((r) => (
                <Badge key={r} color="grape" variant="light">
                  {t(`roles.${r}`)}
                </Badge>
              ))}
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}

export function ProfilePage() {
  const { t } = useI18n();
  usePageTitle(t('profile.title'));
  const session = useSession().data;
  if (!session) return null; // RequireAuth renders this page only with a session
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('profile.title')}</Title>
        <Text c="dimmed">{session.user.email}</Text>
      </div>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="lg">
            <IdentityForm session={session} />
            <Memberships session={session} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="lg">
            <PasswordForm email={session.user.email} />
            <NotificationsSection />
          </Stack>
        </Grid.Col>
      </Grid>
      <TokensSection />
    </Stack>
  );
}

import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  CopyButton,
  Grid,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useNodeInfo, useSession, useSignIn } from '../../api/session';
import { FormError } from '../../components/ErrorState';
import { CheckIcon, CopyIcon, InfoIcon } from '../../components/Icons';
import { safeReturnPath } from '../../components/RequireAuth';
import { usePageTitle } from '../../components/usePageTitle';
import { useT, type MessageKey } from '../../i18n';
import { PasswordField } from '../../components/PasswordField';

/** Shown on demo nodes only (the node says so) so a visitor can try each role; every demo account shares one password. */
const DEMO_ACCOUNTS: { email: string; label: MessageKey }[] = [
  { email: 'operateur@ekitia.demo', label: 'signIn.demo.operator' },
  { email: 'admin@tisseo-collectivites.demo', label: 'signIn.demo.orgAdmin' },
  { email: 'analyste@meteo-france.demo', label: 'signIn.demo.analyst' },
  { email: 'donnees@insee.demo', label: 'signIn.demo.steward' },
];

function DemoBox({ password, onPick }: { password: string; onPick: (email: string) => void }) {
  const t = useT();
  return (
    <Paper
      withBorder
      radius="md"
      p="lg"
      bg="yellow.0"
      style={{ borderColor: 'var(--mantine-color-yellow-4)' }}
      component="aside"
      aria-labelledby="demo-title"
    >
      <Stack gap="sm">
        <Group gap="xs">
          <Badge color="yellow" variant="filled" c="dark">
            {t('signIn.demo.badge')}
          </Badge>
          <Title order={2} size="h4" id="demo-title">
            {t('signIn.demo.title')}
          </Title>
        </Group>
        <Text size="sm">{t('signIn.demo.intro')}</Text>
        <Group gap="xs">
          <Code fz="md" px="sm" py={4}>
            {password}
          </Code>
          <CopyButton value={password}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? t('common.copied') : t('common.copy')} withArrow>
                <Button
                  size="compact-sm"
                  variant="subtle"
                  color={copied ? 'teal' : 'gray'}
                  onClick={copy}
                  leftSection={copied ? <CheckIcon size={14} /> : <CopyIcon size={14} />}
                >
                  {copied ? t('common.copied') : t('common.copy')}
                </Button>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
        <Text size="sm" fw={600} mt="xs">
          {t('signIn.demo.accounts')}
        </Text>
        <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {DEMO_ACCOUNTS.map((account) => (
            <li key={account.email}>
              <UnstyledButton
                onClick={() => onPick(account.email)}
                w="100%"
                p={6}
                style={{ borderRadius: 'var(--mantine-radius-sm)' }}
                className="demo-account"
              >
                <VisuallyHidden>{`${t('signIn.demo.use')} : `}</VisuallyHidden>
                <Text size="sm" fw={500}>
                  {t(account.label)}
                </Text>
                <Text size="xs" c="dimmed" ff="monospace">
                  {account.email}
                </Text>
              </UnstyledButton>
            </li>
          ))}
        </Stack>
      </Stack>
    </Paper>
  );
}

export function SignInPage() {
  const t = useT();
  usePageTitle(t('signIn.title'));
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const signIn = useSignIn();
  const demoPassword = useNodeInfo().data?.demoPassword ?? null;
  const passwordRef = useRef<HTMLInputElement>(null);
  const back = safeReturnPath(params.get('retour'));
  const notice =
    params.get('invitation') === 'acceptee'
      ? t('signIn.invitationAccepted')
      : params.get('reinitialisation') === 'ok'
        ? t('signIn.passwordReset')
        : null;

  const form = useForm({
    initialValues: { email: params.get('email') ?? '', password: '' },
    validate: {
      email: (v) => (/^\S+@\S+$/.test(v.trim()) ? null : t('common.invalidEmail')),
      password: (v) => (v ? null : t('common.required')),
    },
  });

  useEffect(() => {
    if (params.get('email')) passwordRef.current?.focus();
  }, [params]);

  if (session.data && !signIn.isPending && !signIn.isSuccess) return <Navigate to={back} replace />;

  const submit = form.onSubmit((values) =>
    signIn.mutate(
      { email: values.email.trim(), password: values.password },
      {
        onSuccess: (s) => {
          notifications.show({ color: 'teal', message: t('signIn.welcome', { name: s.user.displayName }) });
          void navigate(back, { replace: true });
        },
        onError: () => form.setFieldValue('password', ''),
      },
    ),
  );

  const pickDemo = (email: string) => {
    if (demoPassword) form.setValues({ email, password: demoPassword });
    passwordRef.current?.focus();
  };

  return (
    <Grid gap="xl" maw={960} mx="auto" mt="md">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Paper withBorder radius="md" p="xl">
          <Stack gap="lg">
            <div>
              <Title order={1}>{t('signIn.title')}</Title>
              <Text c="dimmed" mt={4}>
                {t('signIn.intro')}
              </Text>
            </div>
            {notice && (
              <Alert color="teal" variant="light" icon={<InfoIcon />}>
                {notice}
              </Alert>
            )}
            <form onSubmit={submit} noValidate>
              <Stack gap="md">
                <TextInput
                  label={t('signIn.email')}
                  type="email"
                  autoComplete="username"
                  required
                  autoFocus={!params.get('email')}
                  {...form.getInputProps('email')}
                />
                <PasswordField
                  label={t('signIn.password')}
                  autoComplete="current-password"
                  required
                  ref={passwordRef}
                  {...form.getInputProps('password')}
                />
                <FormError error={signIn.error} title={t('signIn.failed')} />
                <Group justify="space-between" align="center">
                  <Anchor component={Link} to="/mot-de-passe-oublie" size="sm">
                    {t('signIn.forgot')}
                  </Anchor>
                  <Button type="submit" loading={signIn.isPending}>
                    {t('signIn.submit')}
                  </Button>
                </Group>
              </Stack>
            </form>
          </Stack>
        </Paper>
      </Grid.Col>
      {demoPassword && (
        <Grid.Col span={{ base: 12, md: 5 }}>
          <DemoBox password={demoPassword} onPick={pickDemo} />
        </Grid.Col>
      )}
    </Grid>
  );
}

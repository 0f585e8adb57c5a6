import {
  Anchor,
  AppShell,
  Avatar,
  Badge,
  Burger,
  Button,
  Center,
  Divider,
  Group,
  Loader,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { can } from '@confiance/contract';
import { notifications } from '@mantine/notifications';
import { Suspense, useEffect, useRef } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { principalOf, useSession, useSignOut } from '../api/session';
import { LOCALES, useI18n, type Locale } from '../i18n';
import {
  ApiIcon,
  BillingIcon,
  BuildingIcon,
  CatalogIcon,
  CharterIcon,
  ChartIcon,
  ContractIcon,
  GovernanceIcon,
  InboxIcon,
  LedgerIcon,
  LogoMark,
  LogoutIcon,
  ScaleIcon,
  NetworkIcon,
  UserIcon,
  UsersIcon,
  ProjectIcon,
} from './Icons';
import { NotificationMenu } from './NotificationMenu';
import { UPCOMING_SECTIONS } from './sections';

function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <Group gap={2} role="group" aria-label={t('lang.label')}>
      {LOCALES.map((l: Locale) => (
        <Button
          key={l}
          size="compact-sm"
          variant={l === locale ? 'light' : 'subtle'}
          color={l === locale ? undefined : 'gray'}
          aria-pressed={l === locale}
          lang={l}
          onClick={() => setLocale(l)}
        >
          {/* The visible code stays part of the accessible name (WCAG 2.5.3 "label in name"). */}
          {l.toUpperCase()}
          <VisuallyHidden>{` ${t(`lang.${l}`)}`}</VisuallyHidden>
        </Button>
      ))}
    </Group>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
}

function UserMenu() {
  const { t } = useI18n();
  const session = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();

  if (session.isPending) return <Loader size="sm" aria-label={t('app.loading')} />;
  const data = session.data;
  if (!data) {
    if (location.pathname === '/connexion') return null;
    const back = `${location.pathname}${location.search}`;
    return (
      <Button component={Link} to={`/connexion?retour=${encodeURIComponent(back)}`} size="sm">
        {t('user.signIn')}
      </Button>
    );
  }

  const onSignOut = () =>
    signOut.mutate(undefined, {
      onSettled: () => {
        notifications.show({ message: t('user.signedOut') });
        void navigate('/membres');
      },
    });

  return (
    <Menu position="bottom-end" width={280} withinPortal>
      <Menu.Target>
        <UnstyledButton className="user-button">
          <Group gap="xs" wrap="nowrap">
            <Avatar radius="xl" size={32} color="confiance" aria-hidden="true">
              {initials(data.user.displayName)}
            </Avatar>
            <VisuallyHidden>{`${t('user.menuOf')} `}</VisuallyHidden>
            <Text size="sm" fw={500} lineClamp={1} maw={180} className="user-name">
              {data.user.displayName}
            </Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{data.user.email}</Menu.Label>
        <Menu.Item component={Link} to="/profil" leftSection={<UserIcon size={16} />}>
          {t('user.profile')}
        </Menu.Item>
        {data.memberships.length > 0 && (
          <>
            <Menu.Divider />
            <Menu.Label>{t('user.organisations')}</Menu.Label>
            {data.memberships.map((m) => (
              <Menu.Item
                key={m.organisationId}
                component={Link}
                to={`/organisations/${m.organisationSlug}`}
                leftSection={<BuildingIcon size={16} />}
              >
                <Text size="sm" lineClamp={1}>
                  {m.organisationName}
                </Text>
                <Text size="xs" c="dimmed">
                  {t(`roles.${m.role}`)}
                </Text>
              </Menu.Item>
            ))}
          </>
        )}
        <Menu.Divider />
        <Menu.Item leftSection={<LogoutIcon size={16} />} onClick={onSignOut} disabled={signOut.isPending}>
          {t('user.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function PageLoader() {
  const { t } = useI18n();
  return (
    <Center py="xl">
      <Loader aria-label={t('app.loading')} />
    </Center>
  );
}

export function AppLayout() {
  const { t } = useI18n();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After client-side navigation, move focus to the new page (as a full page load would), so
  // keyboard and screen-reader users start at its content rather than on the link they left.
  useEffect(() => {
    close();
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: false });
  }, [location.pathname, close]);

  const isActive = (path: string) => location.pathname === path || location.pathname.startsWith(`${path}/`);
  const session = useSession().data;
  const platformRoles = session?.user.platformRoles ?? [];
  // Billing links only for those the rules let in: statements for an organisation's admins and
  // stewards (and the operator), invoices for members, settings for the operator.
  const principal = principalOf(session);
  const statementReader =
    can(principal, 'list', 'Statement') ||
    (session?.memberships ?? []).some((m) => can(principal, 'read', 'Statement', { organisationId: m.organisationId }));
  const invoiceReader = can(principal, 'list', 'Invoice');
  const billingOperator = can(principal, 'update', 'BillingSettings');
  const billingPage = location.pathname === '/facturation';
  // The network hub and its sections (the directory keeps its own entry).
  const networkPage = ['/reseau', '/besoins', '/actualites', '/evenements'].some(isActive);
  // The commission's queue is for its members; the operator follows it too.
  const ethicsReader = platformRoles.includes('ethics_member') || platformRoles.includes('operator');

  return (
    <>
      <a className="skip-link" href="#contenu">
        {t('app.skipToContent')}
      </a>
      <AppShell header={{ height: 60 }} navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={opened ? t('app.closeNavigation') : t('app.openNavigation')}
                aria-expanded={opened}
                aria-controls="navigation-principale"
              />
              <Anchor component={Link} to="/membres" underline="never" c="inherit">
                <Group gap={10} wrap="nowrap">
                  <LogoMark />
                  <div>
                    <Text fw={700} size="lg" lh={1.1}>
                      {t('app.name')}
                    </Text>
                    <Text size="xs" c="dimmed" lh={1.1} visibleFrom="xs">
                      {t('app.tagline')}
                    </Text>
                  </div>
                </Group>
              </Anchor>
            </Group>
            <Group gap="md" wrap="nowrap">
              <LanguageSwitch />
              <NotificationMenu />
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar p="sm" id="navigation-principale" aria-label={t('app.mainNavigation')}>
          <AppShell.Section grow component={ScrollArea}>
            <NavLink
              component={Link}
              to="/membres"
              label={t('nav.members')}
              leftSection={<UsersIcon />}
              active={isActive('/membres') || isActive('/organisations')}
              aria-current={isActive('/membres') ? 'page' : undefined}
            />
            <NavLink
              component={Link}
              to="/datasets"
              label={t('nav.catalog')}
              leftSection={<CatalogIcon />}
              active={isActive('/datasets') || isActive('/publier') || isActive('/offres')}
              aria-current={location.pathname === '/datasets' ? 'page' : undefined}
            />
            <NavLink
              component={Link}
              to="/demandes"
              label={t('nav.requests')}
              leftSection={<InboxIcon />}
              active={isActive('/demandes')}
              aria-current={isActive('/demandes') ? 'page' : undefined}
            />
            <NavLink
              component={Link}
              to="/contrats"
              label={t('nav.contracts')}
              leftSection={<ContractIcon />}
              active={isActive('/contrats')}
              aria-current={isActive('/contrats') ? 'page' : undefined}
            />
            <NavLink
              component={Link}
              to="/projets"
              label={t('nav.projects')}
              leftSection={<ProjectIcon />}
              active={isActive('/projets')}
              aria-current={isActive('/projets') ? 'page' : undefined}
            />
            <NavLink
              component={Link}
              to="/reseau"
              label={t('nav.network')}
              leftSection={<NetworkIcon />}
              active={networkPage}
              aria-current={location.pathname === '/reseau' ? 'page' : undefined}
            />
            {ethicsReader && (
              <NavLink
                component={Link}
                to="/ethique"
                label={t('nav.ethics')}
                leftSection={<ScaleIcon />}
                active={isActive('/ethique')}
                aria-current={isActive('/ethique') ? 'page' : undefined}
              />
            )}
            {statementReader && (
              <NavLink
                component={Link}
                to="/facturation"
                label={t('nav.billing')}
                leftSection={<BillingIcon />}
                active={billingPage}
                aria-current={billingPage ? 'page' : undefined}
              />
            )}
            {invoiceReader && (
              <NavLink
                component={Link}
                to="/facturation/factures"
                label={t('nav.invoices')}
                leftSection={<BillingIcon />}
                active={isActive('/facturation/factures')}
                aria-current={location.pathname === '/facturation/factures' ? 'page' : undefined}
              />
            )}
            {billingOperator && (
              <NavLink
                component={Link}
                to="/facturation/reglages"
                label={t('nav.billingSettings')}
                leftSection={<BillingIcon />}
                active={isActive('/facturation/reglages')}
                aria-current={isActive('/facturation/reglages') ? 'page' : undefined}
              />
            )}
            {session && (
              <NavLink
                component={Link}
                to="/commissions"
                label={t('nav.governance')}
                leftSection={<GovernanceIcon />}
                active={isActive('/commissions') || isActive('/votes')}
                aria-current={location.pathname === '/commissions' ? 'page' : undefined}
              />
            )}
            <NavLink
              component={Link}
              to="/charte"
              label={t('nav.charter')}
              leftSection={<CharterIcon />}
              active={isActive('/charte')}
              aria-current={isActive('/charte') ? 'page' : undefined}
            />
            <NavLink
              component={Link}
              to="/registre"
              label={t('nav.ledger')}
              leftSection={<LedgerIcon />}
              active={isActive('/registre')}
              aria-current={isActive('/registre') ? 'page' : undefined}
            />
            <NavLink
              component={Link}
              to="/transparence"
              label={t('nav.transparency')}
              leftSection={<ChartIcon />}
              active={isActive('/transparence')}
              aria-current={isActive('/transparence') ? 'page' : undefined}
            />
            {UPCOMING_SECTIONS.length > 0 && <Divider my="sm" label={t('nav.upcoming')} labelPosition="left" />}
            {UPCOMING_SECTIONS.map((s) => (
              <NavLink
                key={s.path}
                component={Link}
                to={s.path}
                label={t(s.label)}
                leftSection={<s.icon />}
                rightSection={
                  <Badge size="xs" variant="light" color="gray">
                    {t('nav.soon')}
                  </Badge>
                }
                active={isActive(s.path)}
                aria-current={isActive(s.path) ? 'page' : undefined}
                c={isActive(s.path) ? undefined : 'dimmed'}
              />
            ))}
          </AppShell.Section>
          <AppShell.Section>
            <Divider my="sm" />
            <NavLink href="/api/docs" label={t('app.apiDocs')} leftSection={<ApiIcon />} c="dimmed" />
          </AppShell.Section>
        </AppShell.Navbar>

        <AppShell.Main id="contenu" ref={mainRef} tabIndex={-1} className="main-content">
          <Suspense fallback={<PageLoader />}>
            <Outlet />
          </Suspense>
        </AppShell.Main>
      </AppShell>
    </>
  );
}

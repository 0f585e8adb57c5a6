import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, useEffect, useMemo, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { queryClient } from './api/client';
import { useSession } from './api/session';
import { AppLayout } from './components/AppLayout';
import { RequireAuth } from './components/RequireAuth';
import { UPCOMING_SECTIONS } from './components/sections';
import { hasStoredLocale, I18nProvider, useI18n } from './i18n';
import { buildTheme, cssVariablesResolver } from './theme';

// One chunk per page: a visitor of the directory does not download the token screens.
const SignInPage = lazy(() => import('./routes/auth/SignInPage').then((m) => ({ default: m.SignInPage })));
const ForgotPasswordPage = lazy(() => import('./routes/auth/ForgotPasswordPage').then((m) => ({ default: m.ForgotPasswordPage })));
const ResetPasswordPage = lazy(() => import('./routes/auth/ResetPasswordPage').then((m) => ({ default: m.ResetPasswordPage })));
const InvitationPage = lazy(() => import('./routes/invitations/InvitationPage').then((m) => ({ default: m.InvitationPage })));
const DirectoryPage = lazy(() => import('./routes/members/DirectoryPage').then((m) => ({ default: m.DirectoryPage })));
const OrganisationPage = lazy(() => import('./routes/members/OrganisationPage').then((m) => ({ default: m.OrganisationPage })));
const CatalogPage = lazy(() => import('./routes/catalog/CatalogPage').then((m) => ({ default: m.CatalogPage })));
const DatasetPage = lazy(() => import('./routes/catalog/DatasetPage').then((m) => ({ default: m.DatasetPage })));
const PublishPage = lazy(() => import('./routes/catalog/publish/PublishPage').then((m) => ({ default: m.PublishPage })));
const CharterPage = lazy(() => import('./routes/policies/CharterPage').then((m) => ({ default: m.CharterPage })));
const CharterPublishPage = lazy(() => import('./routes/policies/CharterPublishPage').then((m) => ({ default: m.CharterPublishPage })));
const OfferEditorPage = lazy(() => import('./routes/policies/OfferEditorPage').then((m) => ({ default: m.OfferEditorPage })));
const RequestWizardPage = lazy(() => import('./routes/contracts/RequestWizardPage').then((m) => ({ default: m.RequestWizardPage })));
const RequestsPage = lazy(() => import('./routes/contracts/RequestsPage').then((m) => ({ default: m.RequestsPage })));
const RequestPage = lazy(() => import('./routes/contracts/RequestPage').then((m) => ({ default: m.RequestPage })));
const EthicsPage = lazy(() => import('./routes/contracts/EthicsPage').then((m) => ({ default: m.EthicsPage })));
const ReviewPage = lazy(() => import('./routes/contracts/ReviewPage').then((m) => ({ default: m.ReviewPage })));
const ContractsPage = lazy(() => import('./routes/contracts/ContractsPage').then((m) => ({ default: m.ContractsPage })));
const ContractPage = lazy(() => import('./routes/contracts/ContractPage').then((m) => ({ default: m.ContractPage })));
const ProjectPage = lazy(() => import('./routes/projects/ProjectPage').then((m) => ({ default: m.ProjectPage })));
const ProjectsPage = lazy(() => import('./routes/projects/ProjectsPage').then((m) => ({ default: m.ProjectsPage })));
const NewProjectPage = lazy(() => import('./routes/projects/NewProjectPage').then((m) => ({ default: m.NewProjectPage })));
const CommissionsPage = lazy(() => import('./routes/governance/CommissionsPage').then((m) => ({ default: m.CommissionsPage })));
const CommissionPage = lazy(() => import('./routes/governance/CommissionPage').then((m) => ({ default: m.CommissionPage })));
const VotePage = lazy(() => import('./routes/governance/VotePage').then((m) => ({ default: m.VotePage })));
const LedgerPage = lazy(() => import('./routes/ledger/LedgerPage').then((m) => ({ default: m.LedgerPage })));
const TransparencyPage = lazy(() => import('./routes/ledger/TransparencyPage').then((m) => ({ default: m.TransparencyPage })));
const EntryPage = lazy(() => import('./routes/ledger/EntryPage').then((m) => ({ default: m.EntryPage })));
const StatementsPage = lazy(() => import('./routes/billing/StatementsPage').then((m) => ({ default: m.StatementsPage })));
const InvoicesPage = lazy(() => import('./routes/billing/InvoicesPage').then((m) => ({ default: m.InvoicesPage })));
const InvoicePage = lazy(() => import('./routes/billing/InvoicePage').then((m) => ({ default: m.InvoicePage })));
const BillingSettingsPage = lazy(() => import('./routes/billing/BillingSettingsPage').then((m) => ({ default: m.BillingSettingsPage })));
const ProfilePage = lazy(() => import('./routes/profile/ProfilePage').then((m) => ({ default: m.ProfilePage })));
const NetworkHubPage = lazy(() => import('./routes/network/NetworkHubPage').then((m) => ({ default: m.NetworkHubPage })));
const NeedsPage = lazy(() => import('./routes/network/NeedsPage').then((m) => ({ default: m.NeedsPage })));
const NeedPage = lazy(() => import('./routes/network/NeedPage').then((m) => ({ default: m.NeedPage })));
const NewsPage = lazy(() => import('./routes/network/NewsPage').then((m) => ({ default: m.NewsPage })));
const NewsPostPage = lazy(() => import('./routes/network/NewsPostPage').then((m) => ({ default: m.NewsPostPage })));
const EventsPage = lazy(() => import('./routes/events/EventsPage').then((m) => ({ default: m.EventsPage })));
const EventPage = lazy(() => import('./routes/events/EventPage').then((m) => ({ default: m.EventPage })));
const ComingSoonPage = lazy(() => import('./routes/sections/ComingSoonPage').then((m) => ({ default: m.ComingSoonPage })));
const NotFoundPage = lazy(() => import('./routes/sections/NotFoundPage').then((m) => ({ default: m.NotFoundPage })));

/** A signed-in user who never picked a language on this browser gets the one of their profile. */
function ProfileLocale({ children }: { children: ReactNode }) {
  const session = useSession();
  const { locale, setLocale } = useI18n();
  const preferred = session.data?.user.locale;
  useEffect(() => {
    if (preferred && preferred !== locale && !hasStoredLocale()) setLocale(preferred);
  }, [preferred, locale, setLocale]);
  return <>{children}</>;
}

/** Mantine inside the language: its own buttons (close, clear) are named in the current language. */
function ThemedApp({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const theme = useMemo(() => buildTheme(t), [t]);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="bottom-right" />
      {children}
    </MantineProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <ThemedApp>
        <QueryClientProvider client={queryClient}>
          <ProfileLocale>
            <BrowserRouter>
              <Routes>
                <Route element={<AppLayout />}>
                  <Route index element={<Navigate to="/membres" replace />} />
                  <Route path="connexion" element={<SignInPage />} />
                  <Route path="mot-de-passe-oublie" element={<ForgotPasswordPage />} />
                  <Route path="reinitialiser" element={<ResetPasswordPage />} />
                  <Route path="invitation" element={<InvitationPage />} />
                  <Route path="membres" element={<DirectoryPage />} />
                  <Route path="organisations/:slug" element={<OrganisationPage />} />
                  <Route path="datasets" element={<CatalogPage />} />
                  {/* The dataset's page is its DCAT URI too: {BASE_URL}/datasets/{slug}. */}
                  <Route path="datasets/:slug" element={<DatasetPage />} />
                  <Route path="catalogue" element={<Navigate to="/datasets" replace />} />
                  <Route
                    path="datasets/:slug/offres/nouvelle"
                    element={
                      <RequireAuth>
                        <OfferEditorPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="offres/:id/modifier"
                    element={
                      <RequireAuth>
                        <OfferEditorPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="offres/:id/demande"
                    element={
                      <RequireAuth>
                        <RequestWizardPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="demandes"
                    element={
                      <RequireAuth>
                        <RequestsPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="demandes/:id"
                    element={
                      <RequireAuth>
                        <RequestPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="ethique"
                    element={
                      <RequireAuth>
                        <EthicsPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="ethique/:id"
                    element={
                      <RequireAuth>
                        <ReviewPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="contrats"
                    element={
                      <RequireAuth>
                        <ContractsPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="contrats/:id"
                    element={
                      <RequireAuth>
                        <ContractPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="projets"
                    element={
                      <RequireAuth>
                        <ProjectsPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="projets/nouveau"
                    element={
                      <RequireAuth>
                        <NewProjectPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="projets/:id"
                    element={
                      <RequireAuth>
                        <ProjectPage />
                      </RequireAuth>
                    }
                  />
                  <Route path="charte" element={<CharterPage />} />
                  <Route
                    path="charte/nouvelle-version"
                    element={
                      <RequireAuth>
                        <CharterPublishPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="commissions"
                    element={
                      <RequireAuth>
                        <CommissionsPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="commissions/:slug"
                    element={
                      <RequireAuth>
                        <CommissionPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="votes/:id"
                    element={
                      <RequireAuth>
                        <VotePage />
                      </RequireAuth>
                    }
                  />
                  <Route path="registre" element={<LedgerPage />} />
                  <Route path="registre/:index" element={<EntryPage />} />
                  <Route
                    path="facturation"
                    element={
                      <RequireAuth>
                        <StatementsPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="facturation/factures"
                    element={
                      <RequireAuth>
                        <InvoicesPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="facturation/factures/:id"
                    element={
                      <RequireAuth>
                        <InvoicePage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="facturation/reglages"
                    element={
                      <RequireAuth>
                        <BillingSettingsPage />
                      </RequireAuth>
                    }
                  />
                  <Route path="transparence" element={<TransparencyPage />} />
                  <Route
                    path="publier"
                    element={
                      <RequireAuth>
                        <PublishPage />
                      </RequireAuth>
                    }
                  />
                  <Route
                    path="profil"
                    element={
                      <RequireAuth>
                        <ProfilePage />
                      </RequireAuth>
                    }
                  />
                  {/* The network: public pages (the needs board and the news are for everyone to read). */}
                  <Route path="reseau" element={<NetworkHubPage />} />
                  <Route path="besoins" element={<NeedsPage />} />
                  <Route path="besoins/:id" element={<NeedPage />} />
                  <Route path="actualites" element={<NewsPage />} />
                  <Route path="actualites/:id" element={<NewsPostPage />} />
                  <Route path="evenements" element={<EventsPage />} />
                  <Route path="evenements/:id" element={<EventPage />} />
                  {UPCOMING_SECTIONS.map((section) => (
                    <Route key={section.path} path={section.path.slice(1)} element={<ComingSoonPage section={section} />} />
                  ))}
                  <Route path="*" element={<NotFoundPage />} />
                </Route>
              </Routes>
            </BrowserRouter>
          </ProfileLocale>
        </QueryClientProvider>
      </ThemedApp>
    </I18nProvider>
  );
}

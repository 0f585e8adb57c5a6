import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useSession } from '../api/session';
import { useT } from '../i18n';
import { ErrorState } from './ErrorState';

/** Pages for signed-in users send visitors to the sign-in page, and back here afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const t = useT();
  if (session.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }
  if (session.isError) return <ErrorState title={t('common.errorTitle')} error={session.error} onRetry={() => void session.refetch()} />;
  if (!session.data) {
    const back = `${location.pathname}${location.search}`;
    return <Navigate to={`/connexion?retour=${encodeURIComponent(back)}`} replace />;
  }
  return <>{children}</>;
}

/** Only same-site paths are followed after sign-in: `?retour=https://evil.example` goes nowhere. */
export function safeReturnPath(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/membres';
  return value;
}

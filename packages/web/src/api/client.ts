import { ApiError, createClient } from '@confiance/contract';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

/** The one API client of the portal: same origin, session cookie, CSRF token kept inside. */
export const api = createClient({ baseUrl: '' });

export const sessionKey = ['session'] as const;

/** Client errors (4xx) will not change by asking again; network and server errors might. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

/**
 * A session that ended elsewhere (sign-out in another tab, password reset, removal from the
 * organisation) shows up as a 401 on some call: refresh who we are so the UI follows.
 */
function onApiError(error: unknown): void {
  if (error instanceof ApiError && error.code === 'unauthenticated') {
    void queryClient.invalidateQueries({ queryKey: sessionKey });
  }
}

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 30_000 },
    mutations: { retry: false },
  },
});

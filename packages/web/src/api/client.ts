import { ApiError, createClient, type ErrorBody } from '@confiance/contract';
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

export interface SendProgress {
  loaded: number;
  total: number;
}

/**
 * Sends a file as the raw body of a POST with XMLHttpRequest: `fetch` cannot report how many bytes
 * have left the browser, and a large upload without a progress bar looks stuck. Same headers as
 * the client (CSRF token of the session), same error shape (ApiError).
 */
export function sendFile<T>(
  path: string,
  query: Record<string, string | undefined>,
  file: Blob,
  onProgress: (progress: SendProgress) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', api.urlFor(path, query).toString());
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    for (const [name, value] of Object.entries(api.authHeaders('POST'))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'Serveur injoignable pendant l’envoi du fichier.'));
    xhr.onabort = () => reject(new DOMException('Envoi annulé', 'AbortError'));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data as T);
        return;
      }
      const e = (data as ErrorBody | undefined)?.error;
      reject(new ApiError(xhr.status, e?.code ?? 'internal_error', e?.message ?? `HTTP ${xhr.status}`, e?.details, e?.requestId));
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

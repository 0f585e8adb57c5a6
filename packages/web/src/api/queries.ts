import { ApiError, type ErrorBody, type QueryAccess, type QueryInput, type QueryResult } from '@confiance/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { useSession } from './session';

export type { QueryAccess, QueryInput, QueryResult };

const keys = {
  all: ['queries'] as const,
  /** Per user: signing in or out changes what may be computed. */
  access: (slug: string, user: string | null, contract: string | null) => ['queries', 'access', slug, user, contract] as const,
};

/** What the caller may compute on the dataset, under which contract, and within which bounds. */
export function useQueryAccess(slug: string, contract: string | null) {
  const session = useSession();
  const user = session.data?.user.id ?? null;
  return useQuery({
    queryKey: keys.access(slug, user, contract),
    queryFn: () => api.queries.access(slug, contract ? { contract } : {}),
    enabled: slug.length > 0 && !session.isPending,
  });
}

/**
 * Runs a query. The quota shown beside the builder moves with each run (refused ones included: a
 * 429 says the day's quota is spent), so the access view is read again afterwards.
 */
export function useRunQuery(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: QueryInput) => api.queries.run(slug, input),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['queries', 'access', slug] }),
  });
}

/**
 * A result as CSV or Parquet: the same POST with the session's CSRF header (a plain link cannot
 * send a body), streamed into a Blob and saved under the given name. Errors come back as the
 * API's error body, like any other call.
 */
export async function downloadQueryResult(slug: string, format: 'csv' | 'parquet', input: QueryInput, fileName: string): Promise<void> {
  const response = await fetch(api.queries.resultUrl(slug, format), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...api.authHeaders('POST') },
    credentials: 'same-origin',
    body: JSON.stringify(input),
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as ErrorBody | undefined;
    const e = body?.error;
    throw new ApiError(response.status, e?.code ?? 'internal_error', e?.message ?? `HTTP ${response.status}`, e?.details, e?.requestId);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked once the browser has started the download, not before.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export { keys as queryKeys };

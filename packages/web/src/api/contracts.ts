import {
  ApiError,
  isVote,
  type ContractView,
  type ErrorBody,
  type ProjectView,
  type RequestInput,
  type RequestStage,
  type RequestView,
  type ReviewDecisionInput,
  type VoteView,
} from '@confiance/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { useSession } from './session';

export type RequestBox = 'mine' | 'inbox';
export type ReviewState = 'pending' | 'decided';
export type ContractSummary = Awaited<ReturnType<typeof api.contracts.list>>['items'][number];
export type NotificationView = Awaited<ReturnType<typeof api.notifications.list>>['items'][number];
export type { ContractView, ProjectView, RequestView };

const keys = {
  all: ['contracts'] as const,
  projects: ['contracts', 'projects'] as const,
  requests: (box: RequestBox, stage: RequestStage | null) => ['contracts', 'requests', box, stage ?? 'all'] as const,
  request: (id: string) => ['contracts', 'request', id] as const,
  reviews: (state: ReviewState) => ['contracts', 'reviews', state] as const,
  contracts: ['contracts', 'list'] as const,
  contract: (id: string) => ['contracts', 'contract', id] as const,
  notifications: ['notifications'] as const,
};

/** Notifications are polled: a provider sees a request arrive without reloading the page. */
const NOTIFICATION_POLL_MS = 30_000;

export function useProjects(enabled = true) {
  return useQuery({ queryKey: keys.projects, queryFn: () => api.projects.list(), enabled });
}

export function useRequests(box: RequestBox, stage: RequestStage | null = null) {
  return useQuery({
    queryKey: keys.requests(box, stage),
    queryFn: () => api.requests.list({ box, ...(stage ? { stage } : {}) }),
  });
}

export function useRequest(id: string) {
  return useQuery({ queryKey: keys.request(id), queryFn: () => api.requests.get(id), enabled: id.length > 0 });
}

/**
 * Every change of a request can change a contract, a review queue and someone's notifications:
 * the one answered is stored, the lists around it are asked again.
 */
function useRequestChanged() {
  const queryClient = useQueryClient();
  return (request: RequestView) => {
    queryClient.setQueryData(keys.request(request.id), request);
    void queryClient.invalidateQueries({ queryKey: keys.all, predicate: (q) => q.queryKey[1] !== 'request' });
    void queryClient.invalidateQueries({ queryKey: keys.notifications });
  };
}

/** Agreed at once (with its contract) when the offer is automatic and its constraints hold. */
export function useCreateRequest() {
  const changed = useRequestChanged();
  return useMutation({ mutationFn: (input: RequestInput) => api.requests.create(input), onSuccess: changed });
}

export function useApproveRequest(id: string) {
  const changed = useRequestChanged();
  return useMutation({ mutationFn: (reason: string | null) => api.requests.approve(id, reason), onSuccess: changed });
}

export function useRejectRequest(id: string) {
  const changed = useRequestChanged();
  return useMutation({ mutationFn: (reason: string) => api.requests.reject(id, reason), onSuccess: changed });
}

export function useWithdrawRequest(id: string) {
  const changed = useRequestChanged();
  return useMutation({ mutationFn: (reason: string) => api.requests.withdraw(id, reason), onSuccess: changed });
}

/** The ethics commission's queue: requests waiting for its review, or already decided. */
export function useReviews(state: ReviewState) {
  return useQuery({ queryKey: keys.reviews(state), queryFn: () => api.reviews.list(state) });
}

export function useDecideReview(requestId: string) {
  const changed = useRequestChanged();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ReviewDecisionInput): Promise<RequestView | VoteView> =>
      input.escalate ? api.reviews.escalate(requestId, input) : api.reviews.decide(requestId, input),
    // Escalated: the request waits for the ethics commission's vote, unchanged until then.
    onSuccess: (result) => (isVote(result) ? void queryClient.invalidateQueries({ queryKey: ['governance'] }) : changed(result)),
  });
}

export function useContracts() {
  return useQuery({ queryKey: keys.contracts, queryFn: () => api.contracts.list() });
}

export function useContract(id: string) {
  return useQuery({ queryKey: keys.contract(id), queryFn: () => api.contracts.get(id), enabled: id.length > 0 });
}

function useContractChanged() {
  const queryClient = useQueryClient();
  return (contract: ContractView) => {
    queryClient.setQueryData(keys.contract(contract.id), contract);
    void queryClient.invalidateQueries({ queryKey: keys.contracts });
    void queryClient.invalidateQueries({ queryKey: keys.notifications });
  };
}

/**
 * A refused transition (409: resuming a terminated contract, another party acted first) means the
 * page shows an old state: it is asked again so the buttons follow.
 */
function useContractMutation<V>(id: string, run: (variables: V) => Promise<ContractView>) {
  const changed = useContractChanged();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: changed,
    onError: (error) => {
      if (error instanceof ApiError && (error.code === 'conflict' || error.code === 'forbidden')) {
        void queryClient.invalidateQueries({ queryKey: keys.contract(id) });
      }
    },
  });
}

export const useSuspendContract = (id: string) => useContractMutation(id, (reason: string) => api.contracts.suspend(id, reason));
export const useResumeContract = (id: string) => useContractMutation(id, (reason: string) => api.contracts.resume(id, reason));
export const useTerminateContract = (id: string) => useContractMutation(id, (reason: string) => api.contracts.terminate(id, reason));
export const useProposeAmendment = (id: string) =>
  useContractMutation(id, (input: { durationMonths: number | null; latestOffer: boolean; reason: string }) =>
    api.contracts.amend(id, input),
  );
export const useDecideAmendment = (id: string) =>
  useContractMutation(id, (input: { amendment: string; accept: boolean; reason: string | null }) =>
    api.contracts.decideAmendment(id, input.amendment, { accept: input.accept, reason: input.reason }),
  );

/**
 * The contract's PDF: fetched with the session's headers (a plain link would not carry the API
 * token of a script, and an error would open as a blank tab), then saved from a Blob.
 */
export async function downloadContractPdf(id: string, fileName: string): Promise<void> {
  const response = await fetch(api.contracts.pdfUrl(id), { headers: api.authHeaders('GET'), credentials: 'same-origin' });
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

/** The signed-in user's notifications, polled; nothing is asked for a visitor. */
export function useNotifications() {
  const session = useSession();
  return useQuery({
    queryKey: keys.notifications,
    queryFn: () => api.notifications.list(),
    enabled: Boolean(session.data),
    refetchInterval: NOTIFICATION_POLL_MS,
    refetchIntervalInBackground: false,
    staleTime: 10_000,
  });
}

export function useReadNotification() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.notifications.read(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.notifications }),
  });
}

export function useReadAllNotifications() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.notifications.readAll(),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.notifications }),
  });
}

/** The projects an organisation may request for: those it leads or is an (accepted) partner of, not closed. */
export function projectsOf(projects: readonly ProjectView[], organisationSlug: string | null): ProjectView[] {
  if (!organisationSlug) return [];
  return projects.filter(
    (p) => p.status !== 'closed' && (p.lead.slug === organisationSlug || p.partners.some((o) => o.slug === organisationSlug)),
  );
}

export { keys as contractKeys };

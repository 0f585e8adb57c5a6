import type { CommissionDocumentInput, CommissionView, GateView, GatesUpdate, VoteChoice, VoteInput, VoteView } from '@confiance/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export type { CommissionView, GateView, VoteView };

const keys = {
  all: ['governance'] as const,
  commissions: ['governance', 'commissions'] as const,
  commission: (slug: string) => ['governance', 'commissions', slug] as const,
  votes: (filters: object) => ['governance', 'votes', filters] as const,
  vote: (id: string) => ['governance', 'vote', id] as const,
  gates: ['governance', 'gates'] as const,
};

export function useCommissions() {
  return useQuery({ queryKey: keys.commissions, queryFn: () => api.commissions.list() });
}

export function useCommission(slug: string) {
  return useQuery({ queryKey: keys.commission(slug), queryFn: () => api.commissions.get(slug) });
}

export function useOpenVotes() {
  return useQuery({ queryKey: keys.votes({ status: 'open' }), queryFn: () => api.votes.list({ status: 'open' }) });
}

export function useVote(id: string) {
  return useQuery({ queryKey: keys.vote(id), queryFn: () => api.votes.get(id) });
}

export function useGates(enabled = true) {
  return useQuery({ queryKey: keys.gates, queryFn: () => api.governance.gates(), enabled });
}

/** After any change, the commission pages, lists and votes are read again (they show one another's counts). */
function useGovernanceMutation<I, O>(fn: (input: I) => Promise<O>, after?: (result: O) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (result) => {
      after?.(result);
      void queryClient.invalidateQueries({ queryKey: keys.all });
    },
  });
}

export function useCommissionActions(slug: string) {
  const queryClient = useQueryClient();
  const set = (view: CommissionView) => queryClient.setQueryData(keys.commission(slug), view);
  return {
    appoint: useGovernanceMutation((input: { email: string; role: 'chair' | 'member' }) => api.commissions.appoint(slug, input), set),
    remove: useGovernanceMutation((userId: string) => api.commissions.removeMember(slug, userId), set),
    rename: useGovernanceMutation((input: { name?: string; description?: string }) => api.commissions.update(slug, input), set),
    addAgendaItem: useGovernanceMutation(
      (input: { date: string; title: string; notes?: string }) => api.commissions.addAgendaItem(slug, input),
      set,
    ),
    addDocument: useGovernanceMutation((input: CommissionDocumentInput) => api.commissions.addDocument(slug, input), set),
    openVote: useGovernanceMutation((input: VoteInput) => api.votes.open(input)),
  };
}

export function useVoteActions(id: string) {
  const queryClient = useQueryClient();
  const set = (view: VoteView) => queryClient.setQueryData(keys.vote(id), view);
  return {
    cast: useGovernanceMutation((choice: VoteChoice) => api.votes.cast(id, choice), set),
    close: useGovernanceMutation(
      () => api.votes.close(id),
      (view) => {
        set(view);
        // An adopted gated action changed the charter or the fee.
        void queryClient.invalidateQueries({ queryKey: ['policies'] });
        void queryClient.invalidateQueries({ queryKey: ['billing'] });
        void queryClient.invalidateQueries({ queryKey: ['ledger'] });
      },
    ),
  };
}

export function useUpdateGates() {
  const queryClient = useQueryClient();
  return useGovernanceMutation(
    (input: GatesUpdate) => api.governance.updateGates(input),
    (gates) => queryClient.setQueryData(keys.gates, gates),
  );
}

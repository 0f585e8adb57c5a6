import type { NeedAnswerInput, NeedInput, NewsInput } from '@confiance/contract';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export type NeedQuery = NonNullable<Parameters<typeof api.needs.list>[0]>;
export type NewsPatch = Parameters<typeof api.news.update>[1];

const keys = {
  needs: (query: NeedQuery) => ['network', 'needs', query] as const,
  need: (id: string) => ['network', 'need', id] as const,
  news: (query: object) => ['network', 'news', query] as const,
  post: (id: string) => ['network', 'post', id] as const,
  counts: (organisations: readonly string[]) => ['network', 'counts', organisations] as const,
  profile: (slug: string) => ['network', 'profile', slug] as const,
};

export function useNeeds(query: NeedQuery) {
  return useQuery({ queryKey: keys.needs(query), queryFn: () => api.needs.list(query), placeholderData: keepPreviousData });
}

export function useNeed(id: string) {
  return useQuery({ queryKey: keys.need(id), queryFn: () => api.needs.get(id) });
}

/** After a change to a need: its page shows the answer, lists and the directory's counts follow. */
function useNeedChanged() {
  const queryClient = useQueryClient();
  return (need: Awaited<ReturnType<typeof api.needs.get>>) => {
    queryClient.setQueryData(keys.need(need.id), need);
    void queryClient.invalidateQueries({ queryKey: ['network', 'needs'] });
    void queryClient.invalidateQueries({ queryKey: ['network', 'counts'] });
    void queryClient.invalidateQueries({ queryKey: ['network', 'profile'] });
  };
}

export function useCreateNeed() {
  const changed = useNeedChanged();
  return useMutation({ mutationFn: (input: NeedInput) => api.needs.create(input), onSuccess: changed });
}

export function useAnswerNeed(id: string) {
  const changed = useNeedChanged();
  return useMutation({ mutationFn: (input: NeedAnswerInput) => api.needs.answer(id, input), onSuccess: changed });
}

export function useCloseNeed(id: string) {
  const changed = useNeedChanged();
  return useMutation({ mutationFn: () => api.needs.close(id), onSuccess: changed });
}

export function useNeedToProject(id: string) {
  const changed = useNeedChanged();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.needs.toProject(id),
    onSuccess: (need) => {
      changed(need);
      void queryClient.invalidateQueries({ queryKey: ['projects'] });
    },
  });
}

export function useNews(query: { organisation?: string; limit?: number; offset?: number } = {}) {
  return useQuery({ queryKey: keys.news(query), queryFn: () => api.news.list(query), placeholderData: keepPreviousData });
}

export function useNewsPost(id: string) {
  return useQuery({ queryKey: keys.post(id), queryFn: () => api.news.get(id) });
}

export function usePublishNews() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewsInput) => api.news.create(input),
    onSuccess: (post) => {
      queryClient.setQueryData(keys.post(post.id), post);
      void queryClient.invalidateQueries({ queryKey: ['network', 'news'] });
    },
  });
}

export function useUpdateNews(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: NewsPatch) => api.news.update(id, patch),
    onSuccess: (post) => {
      queryClient.setQueryData(keys.post(id), post);
      void queryClient.invalidateQueries({ queryKey: ['network', 'news'] });
    },
  });
}

export function useDeleteNews(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.news.remove(id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: keys.post(id) });
      void queryClient.invalidateQueries({ queryKey: ['network', 'news'] });
    },
  });
}

/** Shares, uses and needs of the organisations on screen, in one call (the directory's page). */
export function useNetworkCounts(organisations: readonly string[]) {
  return useQuery({
    queryKey: keys.counts(organisations),
    queryFn: () => api.network.counts(organisations),
    enabled: organisations.length > 0,
  });
}

export function useNetworkProfile(slug: string) {
  return useQuery({ queryKey: keys.profile(slug), queryFn: () => api.network.profile(slug) });
}

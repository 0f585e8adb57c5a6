import type { DOMAINS, OrganisationCategory, OrgRole } from '@confiance/contract';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export type OrganisationPatch = Parameters<typeof api.members.update>[1];

export type Domain = (typeof DOMAINS)[number];

export interface DirectoryQuery {
  q?: string | undefined;
  category?: OrganisationCategory | undefined;
  domain?: Domain | undefined;
  limit: number;
  offset: number;
}

const keys = {
  directory: (query: DirectoryQuery) => ['members', 'directory', query] as const,
  organisation: (slug: string) => ['members', 'organisation', slug] as const,
  people: (slug: string) => ['members', 'people', slug] as const,
  invitations: (slug: string) => ['members', 'invitations', slug] as const,
};

export function useDirectory(query: DirectoryQuery) {
  return useQuery({
    queryKey: keys.directory(query),
    queryFn: () =>
      api.members.list({
        ...(query.q ? { q: query.q } : {}),
        ...(query.category ? { category: query.category } : {}),
        ...(query.domain ? { domain: query.domain } : {}),
        limit: query.limit,
        offset: query.offset,
      }),
    // Typing in the search box keeps the previous results on screen instead of flashing a skeleton.
    placeholderData: keepPreviousData,
  });
}

export function useOrganisation(slug: string) {
  return useQuery({ queryKey: keys.organisation(slug), queryFn: () => api.members.get(slug) });
}

export function useUpdateOrganisation(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: OrganisationPatch) => api.members.update(slug, patch),
    onSuccess: (org) => {
      queryClient.setQueryData(keys.organisation(slug), org);
      void queryClient.invalidateQueries({ queryKey: ['members', 'directory'] });
    },
  });
}

export function useDeactivateOrganisation(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.members.deactivate(slug),
    onSuccess: (org) => {
      queryClient.setQueryData(keys.organisation(slug), org);
      void queryClient.invalidateQueries({ queryKey: ['members'] });
    },
  });
}

export function usePeople(slug: string, enabled: boolean) {
  return useQuery({ queryKey: keys.people(slug), queryFn: () => api.members.users(slug), enabled });
}

export function useChangeRole(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { userId: string; role: OrgRole }) => api.members.changeRole(slug, input.userId, input.role),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.people(slug) }),
  });
}

export function useRemovePerson(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api.members.removeUser(slug, userId),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.people(slug) });
      void queryClient.invalidateQueries({ queryKey: keys.organisation(slug) });
    },
  });
}

export function useInvitations(slug: string, enabled: boolean) {
  return useQuery({ queryKey: keys.invitations(slug), queryFn: () => api.members.invitations(slug), enabled });
}

export function useInvite(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; role: OrgRole }) => api.members.invite(slug, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.invitations(slug) }),
  });
}

export function useCancelInvitation(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) => api.members.cancelInvitation(slug, invitationId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.invitations(slug) }),
  });
}

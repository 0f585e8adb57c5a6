import { ApiError, type Principal, type Session } from '@confiance/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, sessionKey } from './client';

/** Who is signed in: `null` for an anonymous visitor (the API answers 401). */
export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async (): Promise<Session | null> => {
      try {
        return await api.auth.session();
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Infinity,
  });
}

export function principalOf(session: Session | null | undefined): Principal {
  if (!session) return { kind: 'anonymous' };
  return {
    kind: 'user',
    userId: session.user.id,
    platformRoles: session.user.platformRoles,
    memberships: session.memberships.map((m) => ({ organisationId: m.organisationId, role: m.role })),
  };
}

/** The principal the UI asks `can()` about; the server checks the same table on every request. */
export function usePrincipal(): Principal {
  return principalOf(useSession().data);
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => api.auth.signIn(input.email, input.password),
    onSuccess: (session) => {
      queryClient.setQueryData(sessionKey, session);
      // Pages cached while anonymous may now show more (people, invitations).
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.auth.signOut(),
    onSettled: () => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      queryClient.setQueryData(sessionKey, null);
    },
  });
}

/** The node's name, version and demo mode (the sign-in page shows demo accounts only on demo nodes). */
export function useNodeInfo() {
  return useQuery({ queryKey: ['node-info'], queryFn: () => api.node.info(), staleTime: Infinity });
}

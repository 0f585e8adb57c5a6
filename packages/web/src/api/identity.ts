import type { Session } from '@confiance/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, sessionKey } from './client';

type ProfilePatch = Parameters<typeof api.me.update>[0];
type TokenInput = Parameters<typeof api.me.tokens.create>[0];

const tokensKey = ['me', 'tokens'] as const;

export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ProfilePatch) => api.me.update(patch),
    onSuccess: (user) => {
      queryClient.setQueryData<Session | null>(sessionKey, (session) => (session ? { ...session, user } : session));
    },
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => api.me.changePassword(input),
  });
}

export function useRequestPasswordReset() {
  return useMutation({ mutationFn: (email: string) => api.auth.requestPasswordReset(email) });
}

export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: (input: { token: string; newPassword: string }) => api.auth.confirmPasswordReset(input.token, input.newPassword),
  });
}

export function useApiTokens() {
  return useQuery({ queryKey: tokensKey, queryFn: () => api.me.tokens.list() });
}

export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TokenInput) => api.me.tokens.create(input),
    // The secret is returned to the caller only; the cached list never holds it.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.me.tokens.revoke(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}

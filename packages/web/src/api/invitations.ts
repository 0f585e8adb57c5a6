import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from './client';

export function useInvitationPreview(token: string) {
  return useQuery({ queryKey: ['invitation', token], queryFn: () => api.invitations.preview(token), enabled: token.length > 0 });
}

export function useAcceptInvitation(token: string) {
  return useMutation({
    mutationFn: (input: { displayName?: string; password: string }) => api.invitations.accept(token, input),
  });
}

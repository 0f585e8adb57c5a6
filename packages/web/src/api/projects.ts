import type { FairReturnView, ProjectView, RevenueInput } from '@confiance/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export type { FairReturnView, ProjectView, RevenueInput };
export type RevenueView = FairReturnView['revenues'][number];
export type ContributionView = FairReturnView['contributions'][number];

const keys = {
  project: (id: string) => ['projects', 'project', id] as const,
  fairReturn: (id: string) => ['projects', 'fair-return', id] as const,
};

export function useProject(id: string) {
  return useQuery({ queryKey: keys.project(id), queryFn: () => api.projects.get(id), enabled: id.length > 0 });
}

/** Read by the project's partners and the operator only: others get a 403, shown as such. */
export function useFairReturn(id: string, enabled = true) {
  return useQuery({ queryKey: keys.fairReturn(id), queryFn: () => api.projects.fairReturn(id), enabled: enabled && id.length > 0 });
}

/** Records a revenue; the answer is the whole fair return again, splits included. */
export function useAddRevenue(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RevenueInput) => api.projects.addRevenue(id, input),
    onSuccess: (view) => queryClient.setQueryData(keys.fairReturn(id), view),
  });
}

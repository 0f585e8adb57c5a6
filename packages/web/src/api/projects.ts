import type {
  FairReturnView,
  PartnerInviteInput,
  ProjectDatasetInput,
  ProjectDetailView,
  ProjectInput,
  ProjectListQuery,
  ProjectPatch,
  ProjectView,
  RevenueInput,
} from '@confiance/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export type {
  FairReturnView,
  PartnerInviteInput,
  ProjectDatasetInput,
  ProjectDetailView,
  ProjectInput,
  ProjectListQuery,
  ProjectPatch,
  ProjectView,
  RevenueInput,
};
export type RevenueView = FairReturnView['revenues'][number];
export type ContributionView = FairReturnView['contributions'][number];

const keys = {
  all: ['projects'] as const,
  list: (query: ProjectListQuery) => ['projects', 'list', query] as const,
  project: (id: string) => ['projects', 'project', id] as const,
  fairReturn: (id: string) => ['projects', 'fair-return', id] as const,
};

/** The association's projects, filtered. */
export function useProjectList(query: ProjectListQuery) {
  return useQuery({ queryKey: keys.list(query), queryFn: () => api.projects.list(query) });
}

export function useProject(id: string) {
  return useQuery({ queryKey: keys.project(id), queryFn: () => api.projects.get(id), enabled: id.length > 0 });
}

export function useCreateProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ProjectInput) => api.projects.create(input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}

/** Every change answers the whole project: it replaces the cached one. */
function useProjectChange<T>(id: string, change: (input: T) => Promise<ProjectDetailView>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (view) => {
      queryClient.setQueryData(keys.project(id), view);
      void queryClient.invalidateQueries({ queryKey: ['projects', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['contracts', 'projects'] });
    },
  });
}

export function useUpdateProject(id: string) {
  return useProjectChange(id, (input: ProjectPatch) => api.projects.update(id, input));
}

export function useInvitePartner(id: string) {
  return useProjectChange(id, (input: PartnerInviteInput) => api.projects.invite(id, input));
}

export function useAnswerInvitation(id: string) {
  return useProjectChange(id, ({ organisation, answer }: { organisation: string; answer: 'accept' | 'decline' }) =>
    api.projects.answer(id, organisation, answer),
  );
}

export function useRemovePartner(id: string) {
  return useProjectChange(id, (organisation: string) => api.projects.removePartner(id, organisation));
}

/** Attaches a dataset of the catalog to the project (its parties' admins and stewards). */
export function useAttachDataset(id: string) {
  return useProjectChange(id, (input: ProjectDatasetInput) => api.projects.attachDataset(id, input));
}

export function useDetachDataset(id: string) {
  return useProjectChange(id, (dataset: string) => api.projects.detachDataset(id, dataset));
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

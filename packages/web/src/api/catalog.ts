import type { DatasetPublishInput, DatasetSearch, DatasetView, UploadView, VersionPublishInput } from '@confiance/contract';
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, sendFile, type SendProgress } from './client';

export type GeoLevel = 'region' | 'departement' | 'commune';

const keys = {
  all: ['catalog'] as const,
  search: (query: DatasetSearch) => ['catalog', 'search', query] as const,
  dataset: (slug: string) => ['catalog', 'dataset', slug] as const,
  versions: (slug: string) => ['catalog', 'versions', slug] as const,
  preview: (slug: string, version: number, table: string) => ['catalog', 'preview', slug, version, table] as const,
  chart: (slug: string, version: number, table: string, column: string) => ['catalog', 'chart', slug, version, table, column] as const,
  upload: (id: string) => ['uploads', id] as const,
  geo: (level: GeoLevel, departement?: string) => ['geo', level, departement ?? null] as const,
};

export function useDatasetSearch(query: DatasetSearch) {
  return useQuery({
    queryKey: keys.search(query),
    queryFn: () => api.datasets.search(query),
    // Ticking a facet keeps the previous results on screen instead of flashing a skeleton.
    placeholderData: keepPreviousData,
  });
}

export function useDataset(slug: string) {
  return useQuery({ queryKey: keys.dataset(slug), queryFn: () => api.datasets.get(slug), enabled: slug.length > 0 });
}

export function useDatasetVersions(slug: string) {
  return useQuery({ queryKey: keys.versions(slug), queryFn: () => api.datasets.versions(slug) });
}

/** Rows of one table of a version; only asked for when the access level allows a preview. */
export function usePreview(dataset: DatasetView, table: string, enabled: boolean) {
  const version = dataset.version.number;
  return useQuery({
    queryKey: keys.preview(dataset.slug, version, table),
    queryFn: () => api.datasets.preview(dataset.slug, { version, table, limit: 50 }),
    enabled,
    staleTime: Infinity,
  });
}

export function useChart(dataset: DatasetView, table: string, column: string | null) {
  const version = dataset.version.number;
  return useQuery({
    queryKey: keys.chart(dataset.slug, version, table, column ?? ''),
    queryFn: () => api.datasets.chart(dataset.slug, { version, table, column: column ?? '' }),
    enabled: column !== null,
    // A version never changes once published: its charts neither.
    staleTime: Infinity,
  });
}

/** Boundaries shipped with the node: they change with a release, not during a visit. */
export function useGeo(level: GeoLevel) {
  return useQuery({ queryKey: keys.geo(level), queryFn: () => api.geo.areas(level), staleTime: Infinity, gcTime: Infinity });
}

/** Communes of several départements, each loaded once and cached separately. */
export function useCommunes(departements: readonly string[]) {
  return useQueries({
    queries: departements.map((code) => ({
      queryKey: keys.geo('commune', code),
      queryFn: () => api.geo.areas('commune', code),
      staleTime: Infinity,
      gcTime: Infinity,
    })),
  });
}

export type { SendProgress };

/** Streams the file to the node; the answer (202) is the upload, still being converted. */
export function useSendFile() {
  return useMutation({
    mutationFn: (input: { file: File; onProgress: (progress: SendProgress) => void; signal?: AbortSignal }) =>
      sendFile<UploadView>('/api/v1/uploads', { name: input.file.name }, input.file, input.onProgress, input.signal),
  });
}

/** The conversion's progress, asked for twice a second until it is ready or has failed. */
export function useUpload(id: string | null) {
  return useQuery({
    queryKey: keys.upload(id ?? ''),
    queryFn: () => api.uploads.get(id ?? ''),
    enabled: id !== null,
    refetchInterval: (query) => (query.state.data?.status === 'ingesting' ? 500 : false),
    staleTime: 0,
  });
}

export function usePublishDataset() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: DatasetPublishInput) => api.datasets.publish(input),
    onSuccess: (dataset) => {
      queryClient.setQueryData(keys.dataset(dataset.slug), dataset);
      void queryClient.invalidateQueries({ queryKey: ['catalog', 'search'] });
    },
  });
}

export function usePublishVersion(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: VersionPublishInput) => api.datasets.publishVersion(slug, input),
    onSuccess: (dataset) => {
      queryClient.setQueryData(keys.dataset(slug), dataset);
      void queryClient.invalidateQueries({ queryKey: keys.versions(slug) });
      void queryClient.invalidateQueries({ queryKey: ['catalog', 'search'] });
    },
  });
}

function useLifecycle(slug: string, action: (text: string) => Promise<DatasetView>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: action,
    onSuccess: (dataset) => {
      queryClient.setQueryData(keys.dataset(slug), dataset);
      void queryClient.invalidateQueries({ queryKey: ['catalog', 'search'] });
    },
  });
}

export function useDeprecateDataset(slug: string) {
  return useLifecycle(slug, (note) => api.datasets.deprecate(slug, note));
}

export function useWithdrawDataset(slug: string) {
  return useLifecycle(slug, (reason) => api.datasets.withdraw(slug, reason));
}

export { keys as catalogKeys };

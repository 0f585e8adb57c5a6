import {
  ApiError,
  isVote,
  type CharterPublishInput,
  type DecisionPreviewInput,
  type OfferInput,
  type OfferUpdateInput,
  type OfferView,
} from '@confiance/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

const keys = {
  all: ['policies'] as const,
  charter: ['policies', 'charter'] as const,
  charterVersions: ['policies', 'charter', 'versions'] as const,
  charterVersion: (version: string) => ['policies', 'charter', 'version', version] as const,
  signatures: ['policies', 'charter', 'signatures'] as const,
  offers: (slug: string) => ['policies', 'offers', slug] as const,
  offer: (id: string) => ['policies', 'offer', id] as const,
};

/**
 * The charter in force, or `null` while the operator has not published one (the API answers
 * 404): pages show "no charter yet" rather than an error.
 */
export function useCurrentCharter() {
  return useQuery({
    queryKey: keys.charter,
    queryFn: async () => {
      try {
        return await api.charter.current();
      } catch (error) {
        if (error instanceof ApiError && error.code === 'not_found') return null;
        throw error;
      }
    },
  });
}

export function useCharterVersions() {
  return useQuery({ queryKey: keys.charterVersions, queryFn: () => api.charter.versions() });
}

/** One published version, with its text: versions never change once published. */
export function useCharterVersion(version: string | null) {
  return useQuery({
    queryKey: keys.charterVersion(version ?? ''),
    queryFn: () => api.charter.version(version ?? ''),
    enabled: version !== null,
    staleTime: Infinity,
  });
}

export function useCharterSignatures() {
  return useQuery({ queryKey: keys.signatures, queryFn: () => api.charter.signatures() });
}

/** An org admin signs the version they read; the table and the version's count follow. */
export function useSignCharter() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { organisation: string; version: string }) => api.charter.sign(input.organisation, input.version),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.charter });
      // Decisions depend on the signature: a preview computed before must be asked again.
      void queryClient.invalidateQueries({ queryKey: ['policies', 'offers'] });
    },
  });
}

/**
 * The operator publishes a version: it is in force at once, so everything that depends on the
 * charter follows — the page, the history, every organisation's signature state and the offers'
 * previews. A refused version (another one was published meanwhile) refreshes the charter too, so
 * the form can say which version its number must now follow.
 */
export function usePublishCharter() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CharterPublishInput) => api.charter.publish(input),
    onSuccess: (charter) => {
      // Gated: the version waits for the commission's vote; nothing about the charter changed yet.
      if (isVote(charter)) {
        void queryClient.invalidateQueries({ queryKey: ['governance'] });
        return;
      }
      queryClient.setQueryData(keys.charter, charter);
      queryClient.setQueryData(keys.charterVersion(charter.version), charter);
      void queryClient.invalidateQueries({ queryKey: keys.all });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'conflict') void queryClient.invalidateQueries({ queryKey: keys.charter });
    },
  });
}

/** Active offers of a dataset (retired ones too for its managers, on request). */
export function useDatasetOffers(slug: string, includeRetired = false) {
  return useQuery({
    queryKey: [...keys.offers(slug), { includeRetired }] as const,
    queryFn: () => api.offers.list(slug, { includeRetired }),
  });
}

export function useOffer(id: string) {
  return useQuery({ queryKey: keys.offer(id), queryFn: () => api.offers.get(id), enabled: id.length > 0 });
}

function useOfferChanged() {
  const queryClient = useQueryClient();
  return (offer: OfferView) => {
    queryClient.setQueryData(keys.offer(offer.id), offer);
    void queryClient.invalidateQueries({ queryKey: keys.offers(offer.dataset.slug) });
  };
}

export function useCreateOffer(slug: string) {
  const changed = useOfferChanged();
  return useMutation({ mutationFn: (input: OfferInput) => api.offers.create(slug, input), onSuccess: changed });
}

export function useUpdateOffer(id: string) {
  const changed = useOfferChanged();
  return useMutation({ mutationFn: (patch: OfferUpdateInput) => api.offers.update(id, patch), onSuccess: changed });
}

export function useRetireOffer(id: string) {
  const changed = useOfferChanged();
  return useMutation({ mutationFn: (reason: string) => api.offers.retire(id, reason), onSuccess: changed });
}

/** The decision preview: nothing is recorded, so it is a mutation only in that it is asked for on demand. */
export function useEvaluateOffer(id: string) {
  return useMutation({ mutationFn: (input: DecisionPreviewInput) => api.offers.evaluate(id, input) });
}

export { keys as policyKeys };

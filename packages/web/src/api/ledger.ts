import type { LedgerEntryType } from '@confiance/contract';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from './client';

export interface LedgerFilters {
  type?: LedgerEntryType | undefined;
  dataset?: string | undefined;
  organisation?: string | undefined;
}

/** Entries per page of the Registre: a screenful, older ones on request. */
export const LEDGER_PAGE = 25;

const keys = {
  all: ['ledger'] as const,
  checkpoint: ['ledger', 'checkpoint'] as const,
  entries: (filters: LedgerFilters) => ['ledger', 'entries', filters] as const,
  report: ['ledger', 'report'] as const,
};

/** The latest signed checkpoint; a new one is signed after each batch of entries. */
export function useCheckpoint() {
  return useQuery({ queryKey: keys.checkpoint, queryFn: () => api.ledger.checkpoint() });
}

/** Newest entries first; each further page starts below the oldest index already shown. */
export function useLedgerEntries(filters: LedgerFilters) {
  return useInfiniteQuery({
    queryKey: keys.entries(filters),
    queryFn: ({ pageParam }) =>
      api.ledger.entries({ ...filters, limit: LEDGER_PAGE, ...(pageParam === null ? {} : { before: pageParam }) }),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => {
      const oldest = last.items.at(-1);
      return last.items.length === LEDGER_PAGE && oldest && oldest.index > 0 ? oldest.index : null;
    },
    placeholderData: keepPreviousData,
  });
}

export function useTransparencyReport() {
  return useQuery({ queryKey: keys.report, queryFn: () => api.ledger.report() });
}

/**
 * An inclusion proof, asked for at every check and never cached: a verification must look at
 * what the node answers now, not at what it answered before.
 */
export function fetchInclusionProof(index: number, treeSize: number) {
  return api.ledger.proof(index, treeSize);
}

export { keys as ledgerKeys };

import {
  ApiError,
  isVote,
  type BillingSettingsInput,
  type BillingSettingsView,
  type BillingSummaryView,
  type ErrorBody,
  type EstimateInput,
  type EstimateView,
  type InvoiceIssueInput,
  type InvoiceSummary,
  type InvoiceView,
  type StatementView,
} from '@confiance/contract';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export type StatementRole = 'consumer' | 'provider';
export type { BillingSettingsView, BillingSummaryView, EstimateView, InvoiceSummary, InvoiceView, StatementView };

export interface StatementQuery {
  organisation: string;
  period: string;
  role: StatementRole;
}

export interface InvoiceFilters {
  organisation?: string | undefined;
  period?: string | undefined;
}

const keys = {
  all: ['billing'] as const,
  settings: ['billing', 'settings'] as const,
  statement: (query: StatementQuery) => ['billing', 'statement', query] as const,
  summary: (organisation: string | null, months: number) => ['billing', 'summary', organisation ?? 'node', months] as const,
  invoices: (filters: InvoiceFilters) => ['billing', 'invoices', filters] as const,
  invoice: (id: string) => ['billing', 'invoice', id] as const,
  estimates: ['billing', 'estimate'] as const,
  estimate: (input: EstimateInput) => ['billing', 'estimate', input] as const,
};

/** Only the filters that are set: the API refuses an empty `organisation=`. */
function listQuery(filters: InvoiceFilters): InvoiceFilters {
  return {
    ...(filters.organisation ? { organisation: filters.organisation } : {}),
    ...(filters.period ? { period: filters.period } : {}),
  };
}

export function useBillingSettings() {
  return useQuery({ queryKey: keys.settings, queryFn: () => api.billing.settings() });
}

/** A new version of the settings: every statement and estimate computed afterwards follows it. */
export function useUpdateBillingSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: BillingSettingsInput) => api.billing.updateSettings(input),
    onSuccess: (settings) => {
      // Gated: the change waits for the commission's vote; the settings in force are unchanged.
      if (isVote(settings)) {
        void queryClient.invalidateQueries({ queryKey: ['governance'] });
        return;
      }
      queryClient.setQueryData(keys.settings, settings);
      void queryClient.invalidateQueries({ queryKey: keys.all, predicate: (q) => q.queryKey[1] !== 'settings' });
    },
  });
}

/**
 * What a use would cost, under a contract (before a query) or an offer (before a request); `null`
 * asks nothing. The previous figures stay while new ones are computed, so the panel does not jump.
 */
export function useEstimate(input: EstimateInput | null) {
  return useQuery({
    queryKey: input ? keys.estimate(input) : keys.estimates,
    queryFn: () => api.billing.estimate(input!),
    enabled: input !== null,
    placeholderData: keepPreviousData,
  });
}

/** One organisation's statement for a month; nothing is asked until an organisation is chosen. */
export function useStatement(query: StatementQuery | null) {
  return useQuery({
    queryKey: keys.statement(query ?? { organisation: '', period: '', role: 'consumer' }),
    queryFn: () => api.billing.statement(query!),
    enabled: query !== null && query.organisation.length > 0,
  });
}

/**
 * Recomputes the statement on the node from the ledger and compares: a mutation, since each
 * check must look at what the node answers now.
 */
export function useRecheckStatement() {
  return useMutation({ mutationFn: (statement: StatementView) => api.billing.recheck(statement) });
}

/** Month by month, oldest first: an organisation's, or the whole node's (operator) with `null`. */
export function useBillingSummary(organisation: string | null, months = 12, enabled = true) {
  return useQuery({
    queryKey: keys.summary(organisation, months),
    queryFn: () => api.billing.summary({ ...(organisation ? { organisation } : {}), months }),
    enabled,
  });
}

export function useInvoices(filters: InvoiceFilters) {
  return useQuery({
    queryKey: keys.invoices(listQuery(filters)),
    queryFn: () => api.billing.invoices(listQuery(filters)),
    placeholderData: keepPreviousData,
  });
}

export function useInvoice(id: string) {
  return useQuery({ queryKey: keys.invoice(id), queryFn: () => api.billing.invoice(id), enabled: id.length > 0 });
}

function useInvoiceChanged() {
  const queryClient = useQueryClient();
  return (invoice: InvoiceView) => {
    queryClient.setQueryData(keys.invoice(invoice.id), invoice);
    void queryClient.invalidateQueries({
      queryKey: keys.all,
      predicate: (q) => q.queryKey[1] === 'invoices' || q.queryKey[1] === 'invoice',
    });
  };
}

export function useIssueInvoice() {
  const changed = useInvoiceChanged();
  return useMutation({ mutationFn: (input: InvoiceIssueInput) => api.billing.issue(input), onSuccess: changed });
}

/** The credit note cancels the invoice: both pages and the lists are asked again. */
export function useCreditNote(invoiceId: string) {
  const changed = useInvoiceChanged();
  return useMutation({ mutationFn: (reason: string) => api.billing.creditNote(invoiceId, { reason }), onSuccess: changed });
}

/**
 * A file of the API (PDF, XML, CSV) fetched with the session's headers, then saved from a Blob:
 * a plain link would not carry a script's API token, and an error would open as a blank tab.
 */
export async function downloadFile(url: URL | string, fileName: string): Promise<void> {
  const response = await fetch(url, { headers: api.authHeaders('GET'), credentials: 'same-origin' });
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as ErrorBody | undefined;
    const e = body?.error;
    throw new ApiError(response.status, e?.code ?? 'internal_error', e?.message ?? `HTTP ${response.status}`, e?.details, e?.requestId);
  }
  const blobUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = blobUrl;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked once the browser has started the download, not before.
  setTimeout(() => URL.revokeObjectURL(blobUrl), 10_000);
}

export const downloadInvoicePdf = (invoice: Pick<InvoiceSummary, 'id' | 'number'>) =>
  downloadFile(api.billing.pdfUrl(invoice.id), `${invoice.number}.pdf`);

export const downloadInvoiceXml = (invoice: Pick<InvoiceSummary, 'id' | 'number'>) =>
  downloadFile(api.billing.xmlUrl(invoice.id), `${invoice.number}.xml`);

export const downloadInvoicesCsv = (filters: InvoiceFilters, fileName: string) =>
  downloadFile(api.billing.exportUrl(listQuery(filters)), fileName);

export { keys as billingKeys };

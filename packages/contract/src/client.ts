import type { z } from 'zod';
import type { ErrorBody, ErrorCode } from './errors';
import type {
  apiTokenCreated,
  apiTokenInput,
  apiTokenList,
  apiTokenSchema,
  nodeInfoSchema,
  passwordChange,
  profileUpdate,
  sessionSchema,
  userSchema,
} from './identity';
import type {
  invitationAccept,
  invitationInput,
  invitationList,
  invitationPreview,
  invitationSchema,
  membershipList,
  organisationInput,
  organisationList,
  organisationSchema,
  organisationSearch,
  organisationUpdate,
} from './members';
import type { OrgRole } from './permissions';
import type {
  chartQuery,
  chartSchema,
  datasetPublishInput,
  datasetSchema,
  datasetSearch,
  datasetSearchResult,
  previewQuery,
  previewSchema,
  uploadSchema,
  versionList,
  versionPublishInput,
  versionSchema,
} from './datasets';
import type {
  checkpointSchema,
  consistencyProofSchema,
  cosignatureInput,
  inclusionProofSchema,
  ledgerEntryList,
  ledgerEntryQuery,
  ledgerEntrySchema,
  transparencyReportSchema,
} from './ledger';
import type {
  charterPublishInput,
  charterSignatureList,
  charterSignatureSchema,
  charterVersionList,
  charterVersionSchema,
  decisionPreviewInput,
  decisionSchema,
  offerInput,
  offerList,
  offerSchema,
  offerUpdateInput,
} from './policies';
import type {
  amendmentDecisionInput,
  amendmentInput,
  contractKeySchema,
  contractList,
  contractSchema,
  grantSchema,
  notificationList,
  requestInput,
  requestList,
  requestListQuery,
  requestSchema,
  reviewDecisionInput,
} from './contracts';
import type { queryAccessSchema, queryInput, queryResultSchema } from './queries';
import type {
  partnerInviteInput,
  projectDatasetInput,
  projectDatasetList,
  projectDetailSchema,
  projectInput,
  projectList,
  projectListQuery,
  projectPatch,
  projectSchema,
} from './projects';
import type {
  billingSettingsInput,
  billingSettingsSchema,
  billingSummaryQuery,
  billingSummarySchema,
  creditNoteInput,
  estimateInput,
  estimateSchema,
  fairReturnSchema,
  invoiceIssueInput,
  invoiceList,
  invoiceListQuery,
  invoiceSchema,
  recheckSchema,
  revenueInput,
  statementQuery,
  statementSchema,
} from './billing/api';
import type { eventInput, eventList, eventListQuery, eventRegistrantList, eventSchema, eventUpdate } from './events';
import type { digestResultSchema, mailFailureList, notificationPreferencesInput, notificationPreferencesSchema } from './mailing';
import type {
  agendaItemInput,
  ballotInput,
  commissionDocumentInput,
  commissionList,
  commissionMemberInput,
  commissionSchema,
  commissionUpdate,
  gateList,
  gatesUpdate,
  voteInput,
  voteList,
  voteListQuery,
  voteSchema,
} from './governance';
import type {
  needAnswerInput,
  needInput,
  needList,
  needListQuery,
  needSchema,
  needToProjectInput,
  networkDirectorySchema,
  networkProfileSchema,
  newsInput,
  newsList,
  newsListQuery,
  newsSchema,
  newsUpdate,
} from './network';

/**
 * The one HTTP client of the API, shared by the web portal and the CLI. Types come from the same
 * zod schemas the server validates with, so a changed endpoint breaks the build, not the user.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network_error',
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** Root of the node, e.g. http://localhost:8080 (empty string in the browser: same origin). */
  baseUrl: string;
  /** API token for scripts; browsers use the session cookie instead. */
  token?: string | undefined;
  fetch?: typeof fetch;
}

type Out<T extends z.ZodType> = z.output<T>;
type In<T extends z.ZodType> = z.input<T>;
type Query = Record<string, unknown>;

export type Session = Out<typeof sessionSchema>;

/** Boundaries for maps: GeoJSON polygons with the INSEE code and name of each area. */
export interface GeoFeatureCollection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    properties: { code: string; name: string };
    geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
  }[];
}

export function createClient(options: ClientOptions) {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let csrfToken: string | null = null;

  /** Absolute URL of an API path with its query (arrays as repeated parameters are joined by commas). */
  function urlFor(path: string, query?: Query): URL {
    const url = new URL(`${options.baseUrl}${path}`, options.baseUrl || (globalThis as { location?: { origin: string } }).location?.origin);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
      url.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
    }
    return url;
  }

  /** Headers every call carries: the token (scripts) or the CSRF token (browser writes). */
  function authHeaders(method: string): Record<string, string> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (csrfToken && method !== 'GET') headers['x-csrf-token'] = csrfToken;
    return headers;
  }

  /** `raw`: a body sent as it is (a file being uploaded), with its content type. */
  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    query?: Query,
    raw?: { body: unknown; type: string },
  ): Promise<T> {
    const url = urlFor(path, query);
    const headers: Record<string, string> = { accept: 'application/json', ...authHeaders(method) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (raw) headers['content-type'] = raw.type;
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        // Node's fetch needs `duplex` to stream a request body; browsers ignore it.
        ...(raw ? ({ body: raw.body, duplex: 'half' } as RequestInit) : {}),
      });
    } catch (error) {
      throw new ApiError(0, 'network_error', `Serveur injoignable (${options.baseUrl || 'même origine'}) : ${(error as Error).message}`);
    }
    const text = await response.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined; // a proxy's HTML error page, say: reported below by status
    }
    if (!response.ok) {
      const e = (data as ErrorBody | undefined)?.error;
      throw new ApiError(response.status, e?.code ?? 'internal_error', e?.message ?? `HTTP ${response.status}`, e?.details, e?.requestId);
    }
    return data as T;
  }

  const remember = (session: Session) => {
    csrfToken = session.csrfToken;
    return session;
  };
  const enc = encodeURIComponent;

  return {
    request,
    urlFor,
    authHeaders,
    node: {
      info: () => request<Out<typeof nodeInfoSchema>>('GET', '/api/v1/node'),
    },
    auth: {
      signIn: async (email: string, password: string) =>
        remember(await request<Session>('POST', '/api/v1/auth/session', { email, password })),
      session: async () => remember(await request<Session>('GET', '/api/v1/auth/session')),
      signOut: async () => {
        await request('DELETE', '/api/v1/auth/session');
        csrfToken = null;
      },
      requestPasswordReset: (email: string) => request<{ ok: true }>('POST', '/api/v1/auth/password-reset', { email }),
      confirmPasswordReset: (token: string, newPassword: string) =>
        request<{ ok: true }>('POST', '/api/v1/auth/password-reset/confirm', { token, newPassword }),
    },
    me: {
      get: () => request<Out<typeof userSchema>>('GET', '/api/v1/me'),
      update: (patch: In<typeof profileUpdate>) => request<Out<typeof userSchema>>('PATCH', '/api/v1/me', patch),
      changePassword: (input: In<typeof passwordChange>) => request<{ ok: true }>('POST', '/api/v1/me/password', input),
      tokens: {
        list: () => request<Out<typeof apiTokenList>>('GET', '/api/v1/me/tokens'),
        create: (input: In<typeof apiTokenInput>) => request<Out<typeof apiTokenCreated>>('POST', '/api/v1/me/tokens', input),
        revoke: (id: string) => request<Out<typeof apiTokenSchema>>('DELETE', `/api/v1/me/tokens/${enc(id)}`),
      },
    },
    users: {
      deactivate: (id: string) => request<Out<typeof userSchema>>('POST', `/api/v1/users/${enc(id)}/deactivate`),
    },
    members: {
      list: (query: Partial<In<typeof organisationSearch>> = {}) =>
        request<Out<typeof organisationList>>('GET', '/api/v1/members', undefined, query),
      get: (member: string) => request<Out<typeof organisationSchema>>('GET', `/api/v1/members/${enc(member)}`),
      admit: (input: In<typeof organisationInput>) => request<Out<typeof organisationSchema>>('POST', '/api/v1/members', input),
      update: (member: string, patch: In<typeof organisationUpdate>) =>
        request<Out<typeof organisationSchema>>('PATCH', `/api/v1/members/${enc(member)}`, patch),
      deactivate: (member: string) => request<Out<typeof organisationSchema>>('POST', `/api/v1/members/${enc(member)}/deactivate`),
      users: (member: string) => request<Out<typeof membershipList>>('GET', `/api/v1/members/${enc(member)}/users`),
      changeRole: (member: string, userId: string, role: OrgRole) =>
        request<{ ok: true }>('PATCH', `/api/v1/members/${enc(member)}/users/${enc(userId)}`, { role }),
      removeUser: (member: string, userId: string) =>
        request<{ ok: true }>('DELETE', `/api/v1/members/${enc(member)}/users/${enc(userId)}`),
      invitations: (member: string) => request<Out<typeof invitationList>>('GET', `/api/v1/members/${enc(member)}/invitations`),
      invite: (member: string, input: In<typeof invitationInput>) =>
        request<Out<typeof invitationSchema>>('POST', `/api/v1/members/${enc(member)}/invitations`, input),
      cancelInvitation: (member: string, invitationId: string) =>
        request<{ ok: true }>('DELETE', `/api/v1/members/${enc(member)}/invitations/${enc(invitationId)}`),
    },
    uploads: {
      /** Streams a file to the node; conversion continues in the background (poll `get`). */
      create: (body: unknown, name: string, format?: string) =>
        request<Out<typeof uploadSchema>>(
          'POST',
          '/api/v1/uploads',
          undefined,
          { name, format },
          { body, type: 'application/octet-stream' },
        ),
      get: (id: string) => request<Out<typeof uploadSchema>>('GET', `/api/v1/uploads/${enc(id)}`),
    },
    datasets: {
      search: (query: Partial<In<typeof datasetSearch>> = {}) =>
        request<Out<typeof datasetSearchResult>>('GET', '/api/v1/datasets', undefined, query),
      get: (dataset: string) => request<Out<typeof datasetSchema>>('GET', `/api/v1/datasets/${enc(dataset)}`),
      publish: (input: In<typeof datasetPublishInput>) => request<Out<typeof datasetSchema>>('POST', '/api/v1/datasets', input),
      versions: (dataset: string) => request<Out<typeof versionList>>('GET', `/api/v1/datasets/${enc(dataset)}/versions`),
      version: (dataset: string, number: number) =>
        request<Out<typeof versionSchema>>('GET', `/api/v1/datasets/${enc(dataset)}/versions/${number}`),
      publishVersion: (dataset: string, input: In<typeof versionPublishInput>) =>
        request<Out<typeof datasetSchema>>('POST', `/api/v1/datasets/${enc(dataset)}/versions`, input),
      deprecate: (dataset: string, note: string) =>
        request<Out<typeof datasetSchema>>('POST', `/api/v1/datasets/${enc(dataset)}/deprecate`, { note }),
      withdraw: (dataset: string, reason: string) =>
        request<Out<typeof datasetSchema>>('POST', `/api/v1/datasets/${enc(dataset)}/withdraw`, { reason }),
      preview: (dataset: string, query: Partial<In<typeof previewQuery>> = {}) =>
        request<Out<typeof previewSchema>>('GET', `/api/v1/datasets/${enc(dataset)}/preview`, undefined, query),
      chart: (dataset: string, query: In<typeof chartQuery>) =>
        request<Out<typeof chartSchema>>('GET', `/api/v1/datasets/${enc(dataset)}/chart`, undefined, query),
      /** The download URL (the caller streams it with `authHeaders('GET')`). */
      downloadUrl: (dataset: string, query: { version?: number; table?: string; format?: 'parquet' | 'csv' | 'original' } = {}) =>
        urlFor(`/api/v1/datasets/${enc(dataset)}/download`, query),
    },
    queries: {
      /** What the caller may compute on a dataset, and within which bounds. */
      access: (dataset: string, query: { contract?: string } = {}) =>
        request<Out<typeof queryAccessSchema>>('GET', `/api/v1/datasets/${enc(dataset)}/query`, undefined, query),
      /** Runs a query and returns the JSON result (disclosure notes included). */
      run: (dataset: string, input: In<typeof queryInput>) =>
        request<Out<typeof queryResultSchema>>('POST', `/api/v1/datasets/${enc(dataset)}/query`, input, { format: 'json' }),
      /** The URL a CSV or Parquet result streams from (POST the query with `authHeaders('POST')`). */
      resultUrl: (dataset: string, format: 'csv' | 'parquet') => urlFor(`/api/v1/datasets/${enc(dataset)}/query`, { format }),
    },
    ledger: {
      checkpoint: () => request<Out<typeof checkpointSchema>>('GET', '/api/v1/ledger/checkpoint'),
      entries: (query: Partial<In<typeof ledgerEntryQuery>> = {}) =>
        request<Out<typeof ledgerEntryList>>('GET', '/api/v1/ledger/entries', undefined, query),
      entry: (index: number) => request<Out<typeof ledgerEntrySchema>>('GET', `/api/v1/ledger/entries/${index}`),
      proof: (index: number, treeSize?: number) =>
        request<Out<typeof inclusionProofSchema>>('GET', `/api/v1/ledger/entries/${index}/proof`, undefined, { treeSize }),
      consistency: (from: number, to?: number) =>
        request<Out<typeof consistencyProofSchema>>('GET', '/api/v1/ledger/consistency', undefined, { from, to }),
      cosign: (input: In<typeof cosignatureInput>) => request<{ ok: true }>('POST', '/api/v1/ledger/cosignatures', input),
      erase: (index: number, reason: 'rgpd' | 'legal' | 'error') =>
        request<Out<typeof ledgerEntrySchema>>('POST', `/api/v1/ledger/entries/${index}/erase`, { reason }),
      report: () => request<Out<typeof transparencyReportSchema>>('GET', '/api/v1/ledger/report'),
    },
    charter: {
      current: () => request<Out<typeof charterVersionSchema>>('GET', '/api/v1/charter'),
      versions: () => request<Out<typeof charterVersionList>>('GET', '/api/v1/charter/versions'),
      version: (version: string) => request<Out<typeof charterVersionSchema>>('GET', `/api/v1/charter/versions/${enc(version)}`),
      /** Published at once, or — when the operator put charter versions behind a vote — the vote opened on it (202). */
      publish: (input: In<typeof charterPublishInput>) =>
        request<Out<typeof charterVersionSchema> | Out<typeof voteSchema>>('POST', '/api/v1/charter/versions', input),
      signatures: () => request<Out<typeof charterSignatureList>>('GET', '/api/v1/charter/signatures'),
      /** An org admin signs `version` (the one they read) for the organisation. */
      sign: (organisation: string, version: string) =>
        request<Out<typeof charterSignatureSchema>>('POST', `/api/v1/members/${enc(organisation)}/charter-signature`, { version }),
    },
    offers: {
      list: (dataset: string, query: { includeRetired?: boolean } = {}) =>
        request<Out<typeof offerList>>('GET', `/api/v1/datasets/${enc(dataset)}/offers`, undefined, {
          includeRetired: query.includeRetired ? 'true' : undefined,
        }),
      get: (id: string) => request<Out<typeof offerSchema>>('GET', `/api/v1/offers/${enc(id)}`),
      create: (dataset: string, input: In<typeof offerInput>) =>
        request<Out<typeof offerSchema>>('POST', `/api/v1/datasets/${enc(dataset)}/offers`, input),
      update: (id: string, patch: In<typeof offerUpdateInput>) =>
        request<Out<typeof offerSchema>>('PATCH', `/api/v1/offers/${enc(id)}`, patch),
      retire: (id: string, reason: string) => request<Out<typeof offerSchema>>('POST', `/api/v1/offers/${enc(id)}/retire`, { reason }),
      /** The decision preview: would this purpose, organisation and duration satisfy the offer? */
      evaluate: (id: string, input: In<typeof decisionPreviewInput>) =>
        request<Out<typeof decisionSchema>>('POST', `/api/v1/offers/${enc(id)}/evaluate`, input),
    },
    projects: {
      list: (query: In<typeof projectListQuery> = {}) => request<Out<typeof projectList>>('GET', '/api/v1/projects', undefined, query),
      get: (id: string) => request<Out<typeof projectDetailSchema>>('GET', `/api/v1/projects/${enc(id)}`),
      create: (input: In<typeof projectInput>) => request<Out<typeof projectSchema>>('POST', '/api/v1/projects', input),
      update: (id: string, input: In<typeof projectPatch>) =>
        request<Out<typeof projectDetailSchema>>('PATCH', `/api/v1/projects/${enc(id)}`, input),
      invite: (id: string, input: In<typeof partnerInviteInput>) =>
        request<Out<typeof projectDetailSchema>>('POST', `/api/v1/projects/${enc(id)}/partners`, input),
      /** The invited organisation's admin answers (`org`: slug or id). */
      answer: (id: string, org: string, answer: 'accept' | 'decline') =>
        request<Out<typeof projectDetailSchema>>('POST', `/api/v1/projects/${enc(id)}/partners/${enc(org)}/${answer}`),
      removePartner: (id: string, org: string) =>
        request<Out<typeof projectDetailSchema>>('DELETE', `/api/v1/projects/${enc(id)}/partners/${enc(org)}`),
      /** Datasets the project uses: attached, requested or under contract, and how. */
      datasets: (id: string) => request<Out<typeof projectDatasetList>>('GET', `/api/v1/projects/${enc(id)}/datasets`),
      attachDataset: (id: string, input: In<typeof projectDatasetInput>) =>
        request<Out<typeof projectDetailSchema>>('POST', `/api/v1/projects/${enc(id)}/datasets`, input),
      detachDataset: (id: string, dataset: string) =>
        request<Out<typeof projectDetailSchema>>('DELETE', `/api/v1/projects/${enc(id)}/datasets/${enc(dataset)}`),
      fairReturn: (id: string) => request<Out<typeof fairReturnSchema>>('GET', `/api/v1/projects/${enc(id)}/fair-return`),
      addRevenue: (id: string, input: In<typeof revenueInput>) =>
        request<Out<typeof fairReturnSchema>>('POST', `/api/v1/projects/${enc(id)}/revenues`, input),
    },
    billing: {
      settings: () => request<Out<typeof billingSettingsSchema>>('GET', '/api/v1/billing/settings'),
      /** A new version at once, or — when the operator put fee changes behind a vote — the vote opened on it (202). */
      updateSettings: (input: In<typeof billingSettingsInput>) =>
        request<Out<typeof billingSettingsSchema> | Out<typeof voteSchema>>('PUT', '/api/v1/billing/settings', input),
      estimate: (input: In<typeof estimateInput>) => request<Out<typeof estimateSchema>>('POST', '/api/v1/billing/estimate', input),
      statement: (query: In<typeof statementQuery>) =>
        request<Out<typeof statementSchema>>('GET', '/api/v1/billing/statements', undefined, query),
      recheck: (statement: Out<typeof statementSchema>) =>
        request<Out<typeof recheckSchema>>('POST', '/api/v1/billing/statements/recheck', statement),
      summary: (query: In<typeof billingSummaryQuery> = {}) =>
        request<Out<typeof billingSummarySchema>>('GET', '/api/v1/billing/summary', undefined, query),
      invoices: (query: In<typeof invoiceListQuery> = {}) =>
        request<Out<typeof invoiceList>>('GET', '/api/v1/billing/invoices', undefined, query),
      invoice: (id: string) => request<Out<typeof invoiceSchema>>('GET', `/api/v1/billing/invoices/${enc(id)}`),
      issue: (input: In<typeof invoiceIssueInput>) => request<Out<typeof invoiceSchema>>('POST', '/api/v1/billing/invoices', input),
      creditNote: (id: string, input: In<typeof creditNoteInput>) =>
        request<Out<typeof invoiceSchema>>('POST', `/api/v1/billing/invoices/${enc(id)}/credit-note`, input),
      /** The invoice's PDF and CII XML (the caller streams them with `authHeaders('GET')`). */
      pdfUrl: (id: string) => urlFor(`/api/v1/billing/invoices/${enc(id)}/pdf`),
      xmlUrl: (id: string) => urlFor(`/api/v1/billing/invoices/${enc(id)}/xml`),
      /** CSV of the invoices (accounting export), same filters as the list. */
      exportUrl: (query: In<typeof invoiceListQuery> = {}) => urlFor('/api/v1/billing/export', query),
    },
    requests: {
      list: (query: Partial<In<typeof requestListQuery>> = {}) =>
        request<Out<typeof requestList>>('GET', '/api/v1/requests', undefined, query),
      get: (id: string) => request<Out<typeof requestSchema>>('GET', `/api/v1/requests/${enc(id)}`),
      /** Agreed at once when the offer is automatic and its constraints hold. */
      create: (input: In<typeof requestInput>) => request<Out<typeof requestSchema>>('POST', '/api/v1/requests', input),
      approve: (id: string, reason: string | null = null) =>
        request<Out<typeof requestSchema>>('POST', `/api/v1/requests/${enc(id)}/approve`, { reason }),
      reject: (id: string, reason: string) => request<Out<typeof requestSchema>>('POST', `/api/v1/requests/${enc(id)}/reject`, { reason }),
      withdraw: (id: string, reason: string) =>
        request<Out<typeof requestSchema>>('POST', `/api/v1/requests/${enc(id)}/withdraw`, { reason }),
    },
    reviews: {
      /** Requests waiting for (or decided by) the ethics commission. */
      list: (state: 'pending' | 'decided' = 'pending') => request<Out<typeof requestList>>('GET', '/api/v1/reviews', undefined, { state }),
      decide: (requestId: string, input: In<typeof reviewDecisionInput>) =>
        request<Out<typeof requestSchema>>('POST', `/api/v1/requests/${enc(requestId)}/review`, { ...input, escalate: false }),
      /** The proposed decision put to the ethics commission's vote (when the operator gated escalated reviews): the vote opened. */
      escalate: (requestId: string, input: In<typeof reviewDecisionInput>) =>
        request<Out<typeof voteSchema>>('POST', `/api/v1/requests/${enc(requestId)}/review`, { ...input, escalate: true }),
    },
    contracts: {
      list: () => request<Out<typeof contractList>>('GET', '/api/v1/contracts'),
      get: (id: string) => request<Out<typeof contractSchema>>('GET', `/api/v1/contracts/${enc(id)}`),
      grant: (id: string) => request<Out<typeof grantSchema>>('GET', `/api/v1/contracts/${enc(id)}/grant`),
      /** The PDF's URL (the caller streams it with `authHeaders('GET')`). */
      pdfUrl: (id: string) => urlFor(`/api/v1/contracts/${enc(id)}/pdf`),
      suspend: (id: string, reason: string) =>
        request<Out<typeof contractSchema>>('POST', `/api/v1/contracts/${enc(id)}/suspend`, { reason }),
      resume: (id: string, reason: string) =>
        request<Out<typeof contractSchema>>('POST', `/api/v1/contracts/${enc(id)}/resume`, { reason }),
      terminate: (id: string, reason: string) =>
        request<Out<typeof contractSchema>>('POST', `/api/v1/contracts/${enc(id)}/terminate`, { reason }),
      amend: (id: string, input: In<typeof amendmentInput>) =>
        request<Out<typeof contractSchema>>('POST', `/api/v1/contracts/${enc(id)}/amendments`, input),
      decideAmendment: (id: string, amendment: string, input: In<typeof amendmentDecisionInput>) =>
        request<Out<typeof contractSchema>>('POST', `/api/v1/contracts/${enc(id)}/amendments/${enc(amendment)}/decide`, input),
      key: () => request<Out<typeof contractKeySchema>>('GET', '/api/v1/contract-key'),
    },
    notifications: {
      list: () => request<Out<typeof notificationList>>('GET', '/api/v1/notifications'),
      read: (id: string) => request<{ ok: true }>('POST', `/api/v1/notifications/${enc(id)}/read`),
      readAll: () => request<{ ok: true }>('POST', '/api/v1/notifications/read-all'),
    },
    geo: {
      areas: (level: 'region' | 'departement' | 'commune', departement?: string) =>
        request<GeoFeatureCollection>('GET', '/api/v1/geo', undefined, { level, departement }),
    },
    events: {
      list: (query: Partial<In<typeof eventListQuery>> = {}) => request<Out<typeof eventList>>('GET', '/api/v1/events', undefined, query),
      get: (id: string) => request<Out<typeof eventSchema>>('GET', `/api/v1/events/${enc(id)}`),
      create: (input: In<typeof eventInput>) => request<Out<typeof eventSchema>>('POST', '/api/v1/events', input),
      update: (id: string, patch: In<typeof eventUpdate>) => request<Out<typeof eventSchema>>('PATCH', `/api/v1/events/${enc(id)}`, patch),
      cancel: (id: string) => request<Out<typeof eventSchema>>('POST', `/api/v1/events/${enc(id)}/cancel`),
      register: (id: string) => request<Out<typeof eventSchema>>('POST', `/api/v1/events/${enc(id)}/registration`),
      unregister: (id: string) => request<Out<typeof eventSchema>>('DELETE', `/api/v1/events/${enc(id)}/registration`),
      registrants: (id: string) => request<Out<typeof eventRegistrantList>>('GET', `/api/v1/events/${enc(id)}/registrations`),
      /** iCalendar file of one event (text/calendar), or the feed of upcoming events without an id. */
      icsUrl: (id?: string) => urlFor(id ? `/api/v1/events/${enc(id)}.ics` : '/api/v1/events.ics'),
    },
    mail: {
      preferences: () => request<Out<typeof notificationPreferencesSchema>>('GET', '/api/v1/me/notification-preferences'),
      updatePreferences: (input: In<typeof notificationPreferencesInput>) =>
        request<Out<typeof notificationPreferencesSchema>>('PUT', '/api/v1/me/notification-preferences', input),
      failures: () => request<Out<typeof mailFailureList>>('GET', '/api/v1/mail/failures'),
      sendDigest: () => request<Out<typeof digestResultSchema>>('POST', '/api/v1/mail/digest'),
    },
    needs: {
      list: (query: Partial<In<typeof needListQuery>> = {}) => request<Out<typeof needList>>('GET', '/api/v1/needs', undefined, query),
      get: (id: string) => request<Out<typeof needSchema>>('GET', `/api/v1/needs/${enc(id)}`),
      create: (input: In<typeof needInput>) => request<Out<typeof needSchema>>('POST', '/api/v1/needs', input),
      /** A dataset, a plan to publish or a reasoned refusal; one per organisation. */
      answer: (id: string, input: In<typeof needAnswerInput>) =>
        request<Out<typeof needSchema>>('POST', `/api/v1/needs/${enc(id)}/answers`, input),
      close: (id: string, reason = '') => request<Out<typeof needSchema>>('POST', `/api/v1/needs/${enc(id)}/close`, { reason }),
      toProject: (id: string, input: In<typeof needToProjectInput> = {}) =>
        request<Out<typeof needSchema>>('POST', `/api/v1/needs/${enc(id)}/project`, input),
    },
    news: {
      list: (query: Partial<In<typeof newsListQuery>> = {}) => request<Out<typeof newsList>>('GET', '/api/v1/news', undefined, query),
      get: (id: string) => request<Out<typeof newsSchema>>('GET', `/api/v1/news/${enc(id)}`),
      create: (input: In<typeof newsInput>) => request<Out<typeof newsSchema>>('POST', '/api/v1/news', input),
      update: (id: string, patch: In<typeof newsUpdate>) => request<Out<typeof newsSchema>>('PATCH', `/api/v1/news/${enc(id)}`, patch),
      remove: (id: string) => request<{ ok: true }>('DELETE', `/api/v1/news/${enc(id)}`),
    },
    network: {
      /** Shares, uses and open needs of the given organisations (slugs or ids), in one read. */
      counts: (organisations: readonly string[] = []) =>
        request<Out<typeof networkDirectorySchema>>('GET', '/api/v1/network/organisations', undefined, {
          organisations: [...organisations],
        }),
      profile: (member: string) => request<Out<typeof networkProfileSchema>>('GET', `/api/v1/network/organisations/${enc(member)}`),
    },
    commissions: {
      list: () => request<Out<typeof commissionList>>('GET', '/api/v1/commissions'),
      get: (slug: string) => request<Out<typeof commissionSchema>>('GET', `/api/v1/commissions/${enc(slug)}`),
      update: (slug: string, patch: In<typeof commissionUpdate>) =>
        request<Out<typeof commissionSchema>>('PATCH', `/api/v1/commissions/${enc(slug)}`, patch),
      appoint: (slug: string, input: In<typeof commissionMemberInput>) =>
        request<Out<typeof commissionSchema>>('POST', `/api/v1/commissions/${enc(slug)}/members`, input),
      removeMember: (slug: string, userId: string) =>
        request<Out<typeof commissionSchema>>('DELETE', `/api/v1/commissions/${enc(slug)}/members/${enc(userId)}`),
      addAgendaItem: (slug: string, input: In<typeof agendaItemInput>) =>
        request<Out<typeof commissionSchema>>('POST', `/api/v1/commissions/${enc(slug)}/agenda`, input),
      addDocument: (slug: string, input: In<typeof commissionDocumentInput>) =>
        request<Out<typeof commissionSchema>>('POST', `/api/v1/commissions/${enc(slug)}/documents`, input),
    },
    votes: {
      list: (query: In<typeof voteListQuery> = {}) => request<Out<typeof voteList>>('GET', '/api/v1/votes', undefined, query),
      get: (id: string) => request<Out<typeof voteSchema>>('GET', `/api/v1/votes/${enc(id)}`),
      open: (input: In<typeof voteInput>) => request<Out<typeof voteSchema>>('POST', '/api/v1/votes', input),
      cast: (id: string, choice: In<typeof ballotInput>['choice']) =>
        request<Out<typeof voteSchema>>('POST', `/api/v1/votes/${enc(id)}/ballots`, { choice }),
      close: (id: string) => request<Out<typeof voteSchema>>('POST', `/api/v1/votes/${enc(id)}/close`),
    },
    governance: {
      gates: () => request<Out<typeof gateList>>('GET', '/api/v1/governance/gates'),
      updateGates: (input: In<typeof gatesUpdate>) => request<Out<typeof gateList>>('PUT', '/api/v1/governance/gates', input),
    },
    invitations: {
      preview: (token: string) => request<Out<typeof invitationPreview>>('GET', `/api/v1/invitations/${enc(token)}`),
      accept: (token: string, input: In<typeof invitationAccept>) =>
        request<{ email: string; organisationId: string }>('POST', `/api/v1/invitations/${enc(token)}/accept`, input),
    },
  };
}

export type Client = ReturnType<typeof createClient>;

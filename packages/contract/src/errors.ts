/**
 * The closed set of error codes the API can answer with, and the HTTP status of each.
 * Clients (web, CLI) switch on `code`, never on the message, so messages can be reworded freely.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  malformed_json: 400,
  /** An ODRL policy that cannot be read or that an offer may not carry; `details.issues` name the paths. */
  invalid_policy: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  account_disabled: 403,
  /** The organisation has not signed the current ethics charter; the message says where to sign. */
  charter_not_signed: 403,
  not_found: 404,
  conflict: 409,
  schema_change_unconfirmed: 409,
  /** Signing a charter version that is no longer the current one. */
  charter_outdated: 409,
  invitation_expired: 410,
  invitation_used: 410,
  reset_link_invalid: 410,
  dataset_withdrawn: 410,
  offer_retired: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  file_unreadable: 422,
  /** A query the contract or the restricted SQL dialect does not allow; `details.refusal` says which rule. */
  query_refused: 422,
  /** A query that ran past its time or memory limit: narrow it (filters, fewer groups). */
  query_too_costly: 422,
  /** An invoice that cannot be issued: nothing to invoice, a party's billing identity incomplete, an unsupported VAT category. */
  invoice_refused: 422,
  rate_limited: 429,
  /** The contract's query quota (per day or over its life) is used up. */
  quota_exceeded: 429,
  internal_error: 500,
  not_ready: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: unknown;
    requestId: string;
  };
}

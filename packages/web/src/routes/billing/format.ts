import {
  ApiError,
  BillingError,
  billingSettingsInput,
  formatEuros,
  ORGANISATION_CATEGORIES,
  parseEuros,
  type BillingSettingsInput,
  type BillingSettingsView,
  type OrganisationCategory,
} from '@confiance/contract';

/**
 * What the billing pages compute without the node: months, amounts in the interface's language,
 * the settings form's values and their conversion to the API's input, and which message an
 * error gets. Pure, so the unit tests read as the rules they are.
 */

/** Statements and invoices cover UTC months, as the ledger writes times. */
export function currentPeriod(now: Date = new Date()): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The `count` months up to `now`'s, newest first: « 2026-11 », « 2026-10 »… */
export function recentPeriods(count: number, now: Date = new Date()): string[] {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(year, month - i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** "2026-11" → « novembre 2026 » / "November 2026". */
export function monthName(locale: string, period: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  if (!match) return period;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** Integer cents in the interface's language: French from the integer itself (no float), as the invoices print it. */
export function money(locale: string, cents: number): string {
  if (locale === 'fr') return formatEuros(cents);
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/**
 * A unit price the invoice carries as decimal text in euros, to the micro-euro ("0.5", "0.0045"):
 * at least the two decimals of a price, and every further one it has, never rounded away.
 */
export function unitPrice(locale: string, text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return text;
  const decimals = (match[3] ?? '').replace(/0+$/, '').padEnd(2, '0');
  return locale === 'fr' ? `${match[1]}${match[2]},${decimals}\u00a0€` : `${match[1]}€${match[2]}.${decimals}`;
}

/** The API's decimal text of a percentage ("5.5") → « 5,5 % » / "5.5%". */
export function percent(locale: string, text: string): string {
  return locale === 'fr' ? `${text.replace('.', ',')}\u00a0%` : `${text}%`;
}

// --- the settings form ---------------------------------------------------------------------------

export interface CategoryValues {
  percent: string;
  annualDues: string;
}

/** The settings as typed: French decimals and euros as text, so « 5,5 » and « 1 200 » stay as written. */
export interface SettingsValues {
  feePercent: string;
  feeVatRate: string;
  duesVatRate: string;
  byCategory: Record<OrganisationCategory, CategoryValues>;
  paymentTermsDays: string;
  mandateReference: string;
  creditsOn: boolean;
  earnPerQuery: string;
  earnPer1000Units: string;
  creditValue: string;
  maxCoverPercent: string;
}

const euros = (cents: number | undefined | null): string =>
  cents === undefined || cents === null ? '' : formatEuros(cents).replace(/\u00a0€$/, '');
const decimal = (text: string | undefined): string => (text === undefined ? '' : text.replace('.', ','));

export function settingsValues(
  view: Pick<BillingSettingsView, 'fee' | 'credits' | 'paymentTermsDays' | 'mandateReference'>,
): SettingsValues {
  const byCategory = Object.fromEntries(
    ORGANISATION_CATEGORIES.map((c) => {
      const o = view.fee.byCategory[c];
      return [c, { percent: decimal(o?.percent), annualDues: euros(o?.annualDues) }];
    }),
  ) as Record<OrganisationCategory, CategoryValues>;
  return {
    feePercent: decimal(view.fee.percent),
    feeVatRate: view.fee.vatRate,
    duesVatRate: view.fee.duesVatRate,
    byCategory,
    paymentTermsDays: String(view.paymentTermsDays),
    mandateReference: view.mandateReference,
    creditsOn: view.credits !== null,
    earnPerQuery: String(view.credits?.earnPerQuery ?? 0),
    earnPer1000Units: String(view.credits?.earnPer1000Units ?? 0),
    creditValue: euros(view.credits?.creditValue ?? 10),
    maxCoverPercent: decimal(view.credits?.maxCoverPercent ?? '100'),
  };
}

/** Field name in the form → the path of the API's input the same value lands on. */
export const SETTINGS_FIELD_PATHS = {
  feePercent: 'fee.percent',
  feeVatRate: 'fee.vatRate',
  duesVatRate: 'fee.duesVatRate',
  paymentTermsDays: 'paymentTermsDays',
  mandateReference: 'mandateReference',
  earnPerQuery: 'credits.earnPerQuery',
  earnPer1000Units: 'credits.earnPer1000Units',
  creditValue: 'credits.creditValue',
  maxCoverPercent: 'credits.maxCoverPercent',
} as const;

const wholeNumber = (text: string): number | string => (/^\s*\d+\s*$/.test(text) ? Number(text) : text);

/**
 * The API's input from the form, and the problems found on the way (an amount in euros that is not
 * one), keyed by API path. Anything else is left as typed for the schema — here and on the node —
 * to judge, so the messages are the node's own.
 */
export function settingsInput(v: SettingsValues): { input: BillingSettingsInput; issues: Map<string, string> } {
  const issues = new Map<string, string>();
  const cents = (text: string, path: string, what: string): number | undefined => {
    if (text.trim() === '') return undefined;
    try {
      return parseEuros(text, what);
    } catch (error) {
      issues.set(path, error instanceof BillingError ? error.message : String(error));
      return undefined;
    }
  };
  const byCategory: Record<string, { percent?: string; annualDues?: number }> = {};
  for (const c of ORGANISATION_CATEGORIES) {
    const o = v.byCategory[c];
    const dues = cents(o.annualDues, `fee.byCategory.${c}.annualDues`, 'cotisation annuelle');
    const entry = {
      ...(o.percent.trim() ? { percent: o.percent.trim() } : {}),
      ...(dues !== undefined ? { annualDues: dues } : {}),
    };
    if (Object.keys(entry).length > 0) byCategory[c] = entry;
  }
  // Switched off, the credits' fields are kept for later but neither read nor sent.
  const creditValue = v.creditsOn ? cents(v.creditValue, 'credits.creditValue', 'valeur d’un crédit') : undefined;
  const input = {
    fee: { percent: v.feePercent.trim(), byCategory, vatRate: v.feeVatRate, duesVatRate: v.duesVatRate },
    credits: v.creditsOn
      ? {
          earnPerQuery: wholeNumber(v.earnPerQuery),
          earnPer1000Units: wholeNumber(v.earnPer1000Units),
          creditValue: creditValue ?? 0,
          maxCoverPercent: v.maxCoverPercent.trim(),
        }
      : null,
    paymentTermsDays: wholeNumber(v.paymentTermsDays),
    mandateReference: v.mandateReference,
  } as BillingSettingsInput;
  return { input, issues };
}

/** The form's problems before sending: the euros read above, then the API's own schema. */
export function settingsIssues(v: SettingsValues): Map<string, string> {
  const { input, issues } = settingsInput(v);
  const parsed = billingSettingsInput.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      if (!issues.has(path)) issues.set(path, capitalise(issue.message));
    }
  }
  return issues;
}

/** The node's `validation_failed` details (paths like `body.fee.percent`), keyed like `settingsIssues`. */
export function serverIssues(error: unknown): Map<string, string> {
  const issues = new Map<string, string>();
  if (!(error instanceof ApiError) || error.code !== 'validation_failed') return issues;
  const details = error.details as { issues?: { path?: unknown; message?: unknown }[] } | undefined;
  for (const issue of details?.issues ?? []) {
    if (typeof issue.path !== 'string' || typeof issue.message !== 'string') continue;
    const path = issue.path.replace(/^body\.?/, '');
    if (!issues.has(path)) issues.set(path, capitalise(issue.message));
  }
  return issues;
}

/**
 * The message for a field: an issue on its own path, or on a path inside it (a category's
 * override reported as `fee.byCategory.company`, a rate's `fee.vatRate`).
 */
export function issueAt(issues: ReadonlyMap<string, string>, path: string): string | undefined {
  const own = issues.get(path);
  if (own) return own;
  for (const [p, message] of issues) if (p.startsWith(`${path}.`)) return message;
  return undefined;
}

/** Every path a field of the form shows a message for (`issueAt` also matches what lies below each). */
export const SETTINGS_PATHS: readonly string[] = [
  ...Object.values(SETTINGS_FIELD_PATHS),
  ...ORGANISATION_CATEGORIES.flatMap((c) => [`fee.byCategory.${c}.percent`, `fee.byCategory.${c}.annualDues`, `fee.byCategory.${c}`]),
];

/** Messages no field shows (a whole object refused, an unknown key): listed above the buttons instead. */
export function unplacedIssues(issues: ReadonlyMap<string, string>): string[] {
  return [...issues].filter(([path]) => !SETTINGS_PATHS.some((p) => path === p || path.startsWith(`${p}.`))).map(([, message]) => message);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// --- errors of issuing an invoice ----------------------------------------------------------------

export type IssueProblem =
  | { kind: 'already_invoiced'; invoice: string | null }
  | { kind: 'nothing_to_invoice' }
  /** Another refusal of the node (a party's billing identity incomplete…): its French message says which. */
  | { kind: 'refused'; message: string }
  | { kind: 'other' };

/**
 * 409: a live invoice exists for this seller, buyer, month and purpose (`details.invoice` names
 * it); 422 `invoice_refused`: `details.reason` says why, `nothing_to_invoice` being the usual one.
 */
export function issueProblem(error: unknown): IssueProblem | null {
  if (!error) return null;
  if (!(error instanceof ApiError)) return { kind: 'other' };
  const details = (error.details ?? {}) as { invoice?: unknown; reason?: unknown };
  if (error.code === 'conflict') return { kind: 'already_invoiced', invoice: typeof details.invoice === 'string' ? details.invoice : null };
  if (error.status === 422) {
    if (details.reason === 'nothing_to_invoice') return { kind: 'nothing_to_invoice' };
    return { kind: 'refused', message: error.message };
  }
  return { kind: 'other' };
}

/** The invoice's state in one word, for the list: issued, or cancelled by a credit note. */
export function invoiceStatus(invoice: {
  kind: 'invoice' | 'credit_note';
  creditedBy: { number: string } | null;
  corrects: { number: string } | null;
}): { state: 'issued' | 'cancelled' | 'credit'; number: string | null } {
  if (invoice.kind === 'credit_note') return { state: 'credit', number: invoice.corrects?.number ?? null };
  if (invoice.creditedBy) return { state: 'cancelled', number: invoice.creditedBy.number };
  return { state: 'issued', number: null };
}

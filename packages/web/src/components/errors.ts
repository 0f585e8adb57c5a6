import { ApiError, ERROR_CODES } from '@confiance/contract';
import { useI18n, type MessageKey, type Translate } from '../i18n';

/**
 * The sentence to show for a failed call, in the interface's language. Clients switch on the
 * error code, never on the server's (French) message, which is only a fallback.
 */
export function errorText(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'network_error' || (ERROR_CODES as string[]).includes(error.code)) {
      return t(`errors.${error.code}` as MessageKey);
    }
    return error.message;
  }
  return t('errors.internal_error');
}

export function requestIdOf(error: unknown): string | undefined {
  return error instanceof ApiError ? error.requestId : undefined;
}

export function isApiError(error: unknown, ...codes: string[]): error is ApiError {
  return error instanceof ApiError && (codes.length === 0 || codes.includes(error.code));
}

interface Issue {
  path?: unknown;
  message?: unknown;
}

/**
 * Field-level messages from a `validation_failed` (details.issues, paths like `body.siren`) or a
 * `conflict` (details.field), keyed by form field name, so each message lands on its own input.
 */
export function fieldErrors(error: unknown, generic?: { invalid: string; conflict: string }): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const details = error.details as { issues?: Issue[]; field?: unknown } | undefined;
  const out: Record<string, string> = {};
  if (error.code === 'validation_failed' && Array.isArray(details?.issues)) {
    for (const issue of details.issues) {
      if (typeof issue.path !== 'string' || typeof issue.message !== 'string') continue;
      const field = issue.path.replace(/^(body|querystring|params)\.?/, '').split('.')[0];
      if (field && !(field in out)) out[field] = generic?.invalid ?? capitalise(issue.message);
    }
  }
  if (error.code === 'conflict' && typeof details?.field === 'string') {
    out[details.field] = generic?.conflict ?? error.message;
  }
  return out;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * `fieldErrors` in the interface's language: the server explains in French, so another language
 * gets a generic sentence per field rather than a mix of languages.
 */
export function useFieldErrors(): (error: unknown) => Record<string, string> {
  const { locale, t } = useI18n();
  return (error) => fieldErrors(error, locale === 'fr' ? undefined : { invalid: t('common.invalidValue'), conflict: t('errors.conflict') });
}

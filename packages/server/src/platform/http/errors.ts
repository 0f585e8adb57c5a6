import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@confiance/contract';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** The only error type handlers throw; anything else becomes a 500 with no detail leaked. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** A zod failure inside a command, reported like a request that failed its route schema. */
export function validationFailed(
  error: { issues: { path: PropertyKey[]; message: string }[] },
  lead: string,
  pathPrefix?: string,
): AppError {
  const issues = error.issues.map((i) => ({ path: [pathPrefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
  return new AppError('validation_failed', `${lead} : ${issues.map((i) => `${i.path} — ${i.message}`).join(' ; ')}`, { issues });
}

/** PostgreSQL unique constraints are named `<table>_<column>_key`; report the field, not the SQL. */
function uniqueViolationField(error: { constraint?: string; detail?: string }): string | undefined {
  const fromDetail = /Key \(([^)]+)\)/.exec(error.detail ?? '')?.[1];
  const column = fromDetail ?? error.constraint?.replace(/^[a-z]+_/, '').replace(/_key$/, '');
  return column?.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const e = error as FastifyError & { code?: string; constraint?: string; detail?: string };
  if (hasZodFastifySchemaValidationErrors(e)) {
    const issues = e.validation.map((v) => ({
      path: `${e.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`.replace(/\.$/, ''),
      message: v.message ?? 'valeur invalide',
      // fastify-type-provider-zod spreads the zod issue into `params`: unknown keys arrive as `params.keys`.
      ...(v.keyword === 'unrecognized_keys' && Array.isArray(v.params?.keys) ? { unknownFields: v.params.keys as string[] } : {}),
    }));
    return new AppError('validation_failed', `Requête invalide : ${issues.map((i) => `${i.path} — ${i.message}`).join(' ; ')}`, { issues });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('malformed_json', 'Le corps de la requête n’est pas du JSON valide.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'Le corps de la requête dépasse la taille autorisée.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Type de contenu non pris en charge : envoyez application/json.');
    case '23505': {
      const field = uniqueViolationField(e);
      return new AppError('conflict', `Cette valeur est déjà utilisée${field ? ` (${field})` : ''}.`, field ? { field } : undefined);
    }
  }
  if (e.statusCode === 429) return new AppError('rate_limited', 'Trop de requêtes : réessayez dans une minute.');
  if (e.statusCode === 400 && e.code?.startsWith('FST_')) return new AppError('validation_failed', e.message);
  return undefined;
}

export function sendError(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details !== undefined ? { details: error.details } : {}),
      requestId: request.id,
    },
  };
  return reply.status(error.status).type('application/json').send(body);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const known = toAppError(error);
    if (known) {
      if (known.status >= 500) request.log.error({ err: error }, known.message);
      return sendError(reply, request, known);
    }
    // Unknown errors are bugs: log everything, tell the client nothing but the request id.
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, request, new AppError('internal_error', 'Erreur interne. Communiquez l’identifiant de requête à l’opérateur.'));
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, request, new AppError('not_found', `Aucune route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}

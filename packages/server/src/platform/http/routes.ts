import { errorBodySchema } from '@confiance/contract';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';

/** Fastify instance whose route schemas are zod schemas (validation and OpenAPI from one source). */
export type Api = ReturnType<FastifyInstance['withTypeProvider']> & FastifyInstance;

export function typed(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

/** Success responses plus the shared error body, so the OpenAPI document lists both. */
export function responses<T extends Record<number, z.ZodType>>(success: T) {
  return { ...success, '4xx': errorBodySchema, '5xx': errorBodySchema };
}

import { z } from 'zod';
import { ERROR_CODES } from './errors';

export const uuid = z.uuid();

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES as [string, ...string[]]),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string(),
  }),
});

/** Every list answers `{ items, total }` so the CLI's `--json` and the web share one shape. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}

export const okSchema = z.object({ ok: z.literal(true) });

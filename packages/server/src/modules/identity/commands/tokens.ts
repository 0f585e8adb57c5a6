import type { TokenScope } from '@confiance/contract';
import type { Context } from '../../../platform/context';
import { newSecret, sha256Hex } from '../../../platform/crypto';
import { AppError } from '../../../platform/http/errors';
import { findToken, insertToken, revokeToken } from '../repository';

/** Token secrets start with `cft_` so secret scanners and people can recognise them. */
export const TOKEN_PREFIX = 'cft_';

export async function createApiToken(
  ctx: Pick<Context, 'db'>,
  userId: string,
  input: { name: string; scopes: TokenScope[]; expiresInDays: number | null },
) {
  const secret = newSecret(TOKEN_PREFIX);
  const row = await insertToken(ctx.db, {
    userId,
    name: input.name,
    prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
    tokenHash: sha256Hex(secret),
    scopes: [...new Set(input.scopes)],
    expiresAt: input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * 86_400_000),
  });
  return { row, secret };
}

export async function revokeApiToken(ctx: Pick<Context, 'db'>, tokenId: string) {
  const token = await findToken(ctx.db, tokenId);
  if (!token) throw new AppError('not_found', 'Jeton introuvable.');
  return revokeToken(ctx.db, tokenId);
}

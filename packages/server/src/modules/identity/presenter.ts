import type { apiTokenSchema, userSchema } from '@confiance/contract';
import type { z } from 'zod';
import type { UserRow } from './repository';

export function presentUser(row: UserRow): z.infer<typeof userSchema> {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    locale: row.locale === 'en' ? 'en' : 'fr',
    platformRoles: row.platform_roles as z.infer<typeof userSchema>['platformRoles'],
    status: row.status as 'active' | 'deactivated',
    createdAt: row.created_at.toISOString(),
  };
}

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export function presentToken(row: TokenRow): z.infer<typeof apiTokenSchema> {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as z.infer<typeof apiTokenSchema>['scopes'],
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

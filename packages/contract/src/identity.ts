import { z } from 'zod';
import { ORG_ROLES, PLATFORM_ROLES, TOKEN_SCOPES } from './permissions';
import { listOf } from './common';

export const PASSWORD_MIN_LENGTH = 12;
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `le mot de passe doit faire au moins ${PASSWORD_MIN_LENGTH} caractères`)
  .max(256);

export const emailSchema = z
  .email('adresse e-mail invalide')
  .max(254)
  .transform((e) => e.toLowerCase());

export const loginInput = z.object({ email: emailSchema, password: z.string().min(1).max(256) }).strict();

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  locale: z.enum(['fr', 'en']),
  platformRoles: z.array(z.enum(PLATFORM_ROLES)),
  status: z.enum(['active', 'deactivated']),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const sessionSchema = z.object({
  user: userSchema,
  memberships: z.array(
    z.object({
      organisationId: z.string(),
      organisationSlug: z.string(),
      organisationName: z.string(),
      role: z.enum(ORG_ROLES),
    }),
  ),
  /** Echo this in the `x-csrf-token` header of every cookie-authenticated write. */
  csrfToken: z.string().nullable(),
  authenticatedBy: z.enum(['session', 'token']),
});
export type SessionView = z.infer<typeof sessionSchema>;

export const profileUpdate = z
  .object({
    displayName: z.string().trim().min(1).max(120).optional(),
    locale: z.enum(['fr', 'en']).optional(),
  })
  .strict();

export const passwordChange = z.object({ currentPassword: z.string().min(1).max(256), newPassword: passwordSchema }).strict();
export const passwordResetRequest = z.object({ email: emailSchema }).strict();
export const passwordResetConfirm = z.object({ token: z.string().min(10).max(200), newPassword: passwordSchema }).strict();

export const apiTokenInput = z
  .object({
    name: z.string().trim().min(1, 'donnez un nom au jeton').max(100),
    scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(TOKEN_SCOPES.length).default(['read']),
    expiresInDays: z.number().int().min(1).max(3650).nullable().default(90),
  })
  .strict();

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The first characters of the secret, so a user can tell tokens apart; never enough to use it. */
  prefix: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const apiTokenList = listOf(apiTokenSchema);

/** Only the creation response carries the secret; it is not stored and cannot be shown again. */
export const apiTokenCreated = apiTokenSchema.extend({ secret: z.string() });

export const createOperatorInput = z
  .object({ email: emailSchema, displayName: z.string().trim().min(1).max(120), password: passwordSchema })
  .strict();

/** What any visitor may know about the node: its name, version and whether it is a demo. */
export const nodeInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  baseUrl: z.string(),
  demo: z.boolean(),
  /** Only on demo nodes, where it is public by design (shown on the sign-in page). */
  demoPassword: z.string().nullable(),
});

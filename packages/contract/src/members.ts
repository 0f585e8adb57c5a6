import { z } from 'zod';
import { isValidFrenchVat, isValidNaf, isValidSiren, isValidSiret } from './identifiers';
import { ORG_ROLES, PLATFORM_ROLES } from './permissions';
import { listOf } from './common';

export const ORGANISATION_CATEGORIES = ['public_body', 'company', 'research', 'association'] as const;
export type OrganisationCategory = (typeof ORGANISATION_CATEGORIES)[number];

/** Data domains a member works in; the catalog's themes build on the same list. */
export const DOMAINS = [
  'environment',
  'climate',
  'health',
  'mobility',
  'tourism',
  'territory',
  'economy',
  'space',
  'digital',
  'research',
] as const;

export const slugSchema = z
  .string()
  .min(2)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lettres minuscules, chiffres et tirets uniquement');

const emptyToNull = (v: unknown) => (v === '' ? null : v);

const requiredFields = {
  legalName: z.string().trim().min(2).max(200),
  shortName: z.string().trim().min(1).max(80),
  category: z.enum(ORGANISATION_CATEGORIES),
};

/**
 * Optional identity fields ('' means none). They carry no default here: zod 4 applies a default
 * even inside `.partial()`, so an update built from defaulted fields would send null for every
 * field it did not mention and wipe the organisation's identity.
 */
const optionalFields = {
  siren: z.preprocess(emptyToNull, z.string().refine(isValidSiren, 'SIREN invalide : 9 chiffres avec une clé de Luhn correcte').nullable()),
  siret: z.preprocess(
    emptyToNull,
    z.string().refine(isValidSiret, 'SIRET invalide : 14 chiffres avec une clé de Luhn correcte').nullable(),
  ),
  vatNumber: z.preprocess(emptyToNull, z.string().nullable()),
  nafCode: z.preprocess(emptyToNull, z.string().refine(isValidNaf, 'code NAF rév. 2 attendu, par exemple 84.11Z').nullable()),
  address: z.preprocess(emptyToNull, z.string().max(300).nullable()),
  postcode: z.preprocess(
    emptyToNull,
    z
      .string()
      .regex(/^\d{5}$/, 'code postal à 5 chiffres')
      .nullable(),
  ),
  city: z.preprocess(emptyToNull, z.string().max(120).nullable()),
  website: z.preprocess(emptyToNull, z.url().nullable()),
  logoUrl: z.preprocess(emptyToNull, z.url().nullable()),
  domains: z.array(z.enum(DOMAINS)).max(DOMAINS.length),
  chorusServiceCode: z.preprocess(emptyToNull, z.string().max(100).nullable()),
  description: z.preprocess(emptyToNull, z.string().max(2000).nullable()),
};

const organisationFields = z
  .object({
    slug: slugSchema,
    ...requiredFields,
    siren: optionalFields.siren.default(null),
    siret: optionalFields.siret.default(null),
    vatNumber: optionalFields.vatNumber.default(null),
    nafCode: optionalFields.nafCode.default(null),
    address: optionalFields.address.default(null),
    postcode: optionalFields.postcode.default(null),
    city: optionalFields.city.default(null),
    website: optionalFields.website.default(null),
    logoUrl: optionalFields.logoUrl.default(null),
    domains: optionalFields.domains.default([]),
    chorusServiceCode: optionalFields.chorusServiceCode.default(null),
    description: optionalFields.description.default(null),
  })
  .strict();

export const organisationInput = organisationFields.superRefine((org, ctx) => {
  if (org.siret && org.siren && !org.siret.startsWith(org.siren)) {
    ctx.addIssue({ code: 'custom', path: ['siret'], message: 'le SIRET doit commencer par le SIREN' });
  }
  if (org.vatNumber && !isValidFrenchVat(org.vatNumber, org.siren)) {
    ctx.addIssue({ code: 'custom', path: ['vatNumber'], message: 'numéro de TVA intracommunautaire incohérent avec le SIREN' });
  }
  if (org.chorusServiceCode && org.category !== 'public_body') {
    ctx.addIssue({
      code: 'custom',
      path: ['chorusServiceCode'],
      message: 'le code service Chorus Pro ne concerne que les organismes publics',
    });
  }
});
export type OrganisationInput = z.input<typeof organisationInput>;

export const organisationUpdate = z
  .object({ ...requiredFields, ...optionalFields })
  .partial()
  .strict();

export const organisationSchema = z.object({
  id: z.string(),
  slug: z.string(),
  uri: z.string(),
  legalName: z.string(),
  shortName: z.string(),
  category: z.enum(ORGANISATION_CATEGORIES),
  siren: z.string().nullable(),
  siret: z.string().nullable(),
  vatNumber: z.string().nullable(),
  nafCode: z.string().nullable(),
  address: z.string().nullable(),
  postcode: z.string().nullable(),
  city: z.string().nullable(),
  website: z.string().nullable(),
  logoUrl: z.string().nullable(),
  domains: z.array(z.string()),
  chorusServiceCode: z.string().nullable(),
  description: z.string().nullable(),
  status: z.enum(['active', 'deactivated']),
  memberCount: z.number().int(),
  createdAt: z.string(),
});
export type Organisation = z.infer<typeof organisationSchema>;
export const organisationList = listOf(organisationSchema);

export const organisationSearch = z
  .object({
    q: z.string().trim().max(200).optional(),
    category: z.enum(ORGANISATION_CATEGORIES).optional(),
    domain: z.enum(DOMAINS).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const membershipSchema = z.object({
  organisationId: z.string(),
  userId: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(ORG_ROLES),
  since: z.string(),
});
export type MembershipView = z.infer<typeof membershipSchema>;
export const membershipList = listOf(membershipSchema);
export const membershipUpdate = z.object({ role: z.enum(ORG_ROLES) }).strict();

export const invitationInput = z
  .object({
    email: z.email().transform((e) => e.toLowerCase()),
    role: z.enum(ORG_ROLES),
  })
  .strict();

export const invitationSchema = z.object({
  id: z.string(),
  organisationId: z.string(),
  email: z.string(),
  role: z.enum(ORG_ROLES),
  expiresAt: z.string(),
  acceptedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const invitationList = listOf(invitationSchema);

/** What the invitation page shows before the invitee accepts; reveals nothing but the invite. */
export const invitationPreview = z.object({
  email: z.string(),
  role: z.enum(ORG_ROLES),
  organisation: z.object({ slug: z.string(), shortName: z.string() }),
  expiresAt: z.string(),
  accountExists: z.boolean(),
});

export const invitationAccept = z
  .object({
    displayName: z.string().trim().min(1).max(120).optional(),
    password: z.string().min(12, '12 caractères au minimum').max(256).optional(),
  })
  .strict();

export { PLATFORM_ROLES };

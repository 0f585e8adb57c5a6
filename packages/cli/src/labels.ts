import type { DOMAINS, OrganisationCategory, OrgRole, PlatformRole, TokenScope } from '@confiance/contract';

/** French names of the contract's codes; `satisfies` makes a new code a build error until named here. */
export const CATEGORY_LABELS = {
  public_body: 'organisme public',
  company: 'entreprise',
  research: 'recherche',
  association: 'association',
} satisfies Record<OrganisationCategory, string>;

export const DOMAIN_LABELS = {
  environment: 'environnement',
  climate: 'climat',
  health: 'santé',
  mobility: 'mobilité',
  tourism: 'tourisme',
  territory: 'territoire',
  economy: 'économie',
  space: 'spatial',
  digital: 'numérique',
  research: 'recherche',
} satisfies Record<(typeof DOMAINS)[number], string>;

export const ROLE_LABELS = {
  org_admin: 'administrateur',
  data_steward: 'responsable des données',
  analyst: 'analyste',
} satisfies Record<OrgRole, string>;

export const PLATFORM_ROLE_LABELS = {
  operator: 'opérateur',
  ethics_member: 'membre de la commission d’éthique',
} satisfies Record<PlatformRole, string>;

export const SCOPE_LABELS = { read: 'lecture', write: 'écriture' } satisfies Record<TokenScope, string>;

export const STATUS_LABELS: Record<string, string> = { active: 'actif', deactivated: 'désactivé' };

/** The label of a code, or the code itself when the server sends one this CLI does not know yet. */
export function label(labels: Record<string, string>, code: string): string {
  return labels[code] ?? code;
}

export function labels(map: Record<string, string>, codes: readonly string[]): string {
  return codes.map((c) => label(map, c)).join(', ');
}

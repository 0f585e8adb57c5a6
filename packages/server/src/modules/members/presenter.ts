import type { Organisation, OrganisationCategory, MembershipView, OrgRole } from '@confiance/contract';
import type { OrganisationRow } from './repository';

export function presentOrganisation(row: OrganisationRow, baseUrl: string): Organisation {
  return {
    id: row.id,
    slug: row.slug,
    uri: `${baseUrl}/organisations/${row.slug}`,
    legalName: row.legal_name,
    shortName: row.short_name,
    category: row.category as OrganisationCategory,
    siren: row.siren,
    siret: row.siret,
    vatNumber: row.vat_number,
    nafCode: row.naf_code,
    address: row.address,
    postcode: row.postcode,
    city: row.city,
    website: row.website,
    logoUrl: row.logo_url,
    domains: row.domains,
    chorusServiceCode: row.chorus_service_code,
    description: row.description,
    status: row.status as Organisation['status'],
    memberCount: row.member_count,
    createdAt: row.created_at.toISOString(),
  };
}

export function presentMembership(row: {
  organisation_id: string;
  user_id: string;
  email: string;
  display_name: string;
  role: string;
  created_at: Date;
}): MembershipView {
  return {
    organisationId: row.organisation_id,
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    role: row.role as OrgRole,
    since: row.created_at.toISOString(),
  };
}

export function presentInvitation(row: {
  id: string;
  organisation_id: string;
  email: string;
  role: string;
  expires_at: Date;
  accepted_at: Date | null;
  created_at: Date;
}) {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    email: row.email,
    role: row.role as OrgRole,
    expiresAt: row.expires_at.toISOString(),
    acceptedAt: row.accepted_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

import {
  actionLabel,
  can,
  canonicalAction,
  catalogUris,
  describeConstraint,
  describePlan,
  offerTermsInput,
  planOf,
  readPolicy,
  type CharterSignatureView,
  type CharterVersionView,
  type OrganisationCategory,
  type DataUse,
  type OfferTemplate,
  type OfferView,
  type PlanDescription,
  type PolicyRule,
  type Principal,
  type Resource,
} from '@confiance/contract';
import type { CharterVersionRow, OfferRow, SignatureRow } from './repository';

export function presentCharter(row: CharterVersionRow, currentVersion: string | null): CharterVersionView {
  return {
    id: row.version,
    version: row.version,
    title: { fr: row.title_fr, en: row.title_en },
    body: { fr: row.body_fr, en: row.body_en },
    rules: row.rules,
    sha256: row.sha256,
    publishedAt: row.published_at.toISOString(),
    current: row.version === currentVersion,
    signatureCount: Number(row.signature_count),
  };
}

export function presentSignature(row: SignatureRow, currentVersion: string | null, principal: Principal): CharterSignatureView {
  const current = currentVersion !== null && row.signed_version === currentVersion;
  return {
    id: row.id,
    organisation: { id: row.id, slug: row.slug, name: row.short_name, category: row.category as OrganisationCategory },
    signedVersion: row.signed_version ?? null,
    signedAt: row.signed_at ? new Date(row.signed_at).toISOString() : null,
    current,
    canSign: currentVersion !== null && !current && can(principal, 'create', 'CharterSignature', { organisationId: row.id }),
  };
}

export function offerResource(row: Pick<OfferRow, 'organisation_id' | 'dataset_status' | 'access_level'>): Resource {
  return { organisationId: row.organisation_id, status: row.dataset_status, accessLevel: row.access_level as Resource['accessLevel'] };
}

function summarise(rule: PolicyRule, price: PlanDescription): OfferView['rules'][number] {
  return {
    kind: rule.kind === 'prohibition' ? 'prohibition' : rule.kind === 'obligation' ? 'obligation' : 'permission',
    action: rule.action,
    actionLabel: actionLabel(rule.action),
    constraints: [...rule.refinements, ...rule.constraints].map(describeConstraint),
    // The price's refinements say little one by one (cf:planKind, payAmount…): the plan says it whole.
    duties: rule.duties.map((d) =>
      canonicalAction(d.action) === 'compensate' ? `${actionLabel(d.action)} : ${price.summary}` : actionLabel(d.action),
    ),
  };
}

export function presentOffer(row: OfferRow, principal: Principal, baseUrl: string): OfferView {
  const read = readPolicy(row.policy);
  const plan = read.ok ? planOf(read.policy).plan : ({ kind: 'free' } as const);
  const price = describePlan(plan);
  const rules = read.ok
    ? [...read.policy.permissions, ...read.policy.prohibitions, ...read.policy.obligations].map((r) => summarise(r, price))
    : [];
  const terms = row.terms === null ? null : offerTermsInput.safeParse(row.terms);
  const resource = offerResource(row);
  return {
    id: row.id,
    uri: catalogUris.offer(baseUrl, row.id),
    dataset: { id: row.dataset_id, slug: row.dataset_slug, title: row.dataset_title, accessLevel: row.access_level, licence: row.licence },
    provider: { id: row.organisation_id, slug: row.provider_slug, name: row.provider_name },
    title: row.title,
    description: row.description,
    agreement: row.agreement,
    template: row.template as OfferTemplate | null,
    terms: terms?.success ? terms.data : null,
    uses: row.uses as DataUse[],
    plan,
    price,
    policy: row.policy as Record<string, unknown>,
    rules,
    status: row.status,
    retiredReason: row.retired_reason,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    canManage: row.status === 'active' && can(principal, 'update', 'Offer', resource),
  };
}

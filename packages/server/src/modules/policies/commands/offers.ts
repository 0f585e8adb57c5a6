import { randomUUID } from 'node:crypto';
import {
  DATA_USES,
  USE_ACTIONS,
  actionCovers,
  buildOfferPolicy,
  catalogUris,
  canonicalJson,
  checkOffer,
  datasetFacts,
  offerInput,
  offerTermsInput,
  offerUpdateInput,
  readPolicy,
  type AgreementMode,
  type CharterRules,
  type DataUse,
  type DatasetFacts,
  type OfferInput,
  type OfferTemplate,
  type OfferTerms,
  type OfferUpdateInput,
  type Policy,
  type PolicyIssue,
} from '@confiance/contract';
import type { Context, Executor } from '../../../platform/context';
import { sha256Hex } from '../../../platform/crypto';
import { AppError, validationFailed } from '../../../platform/http/errors';
import { findVersion, type DatasetRow } from '../../catalog/index';
import { recordFact } from '../../ledger/index';
import { charterStanding, findOffer, type OfferRow } from '../repository';
import type { Actor } from './charter';

/** With no charter published, offers carry no charter prohibition and need no signature. */
const NO_CHARTER: CharterRules = {
  signatureRequired: false,
  personalDataAggregateOnly: false,
  personalDataEthicsReview: false,
  prohibitedActions: [],
  favouredPurposes: [],
};

export interface OfferDataset {
  id: string;
  slug: string;
  organisationId: string;
  publisherSlug: string;
  status: string;
  facts: DatasetFacts;
}

/** A dataset as offers see it: its current version's columns decide what an offer may name. */
export async function offerDatasetOf(db: Executor, dataset: DatasetRow): Promise<OfferDataset> {
  const version = await findVersion(db, dataset.id, dataset.current_version);
  if (!version) throw new AppError('not_found', 'Ce jeu de données n’a pas encore de version publiée.');
  return {
    id: dataset.id,
    slug: dataset.slug,
    organisationId: dataset.organisation_id,
    publisherSlug: dataset.publisher_slug,
    status: dataset.status,
    facts: datasetFacts({ accessLevel: dataset.access_level, licence: dataset.licence as DatasetFacts['licence'], version }),
  };
}

interface Compiled {
  json: Record<string, unknown>;
  policy: Policy;
  terms: OfferTerms | null;
  template: OfferTemplate | null;
  uses: DataUse[];
  sha256: string;
}

function invalidPolicy(issues: PolicyIssue[]): AppError {
  const first = issues[0]!;
  const more =
    issues.length > 1 ? ` (et ${issues.length - 1} autre${issues.length > 2 ? 's' : ''} problème${issues.length > 2 ? 's' : ''})` : '';
  return new AppError('invalid_policy', `Offre refusée : ${first.path ? `${first.path} — ` : ''}${first.message}${more}.`, { issues });
}

/**
 * The one way an offer's policy is made: from the template form, or from the expert's JSON-LD
 * (its uid, target and assigner are the node's: filled when absent, refused when different).
 * Either way it must read as ODRL 2.2 in the Confiance profile and pass `checkOffer`.
 */
function compileOffer(
  source: { terms?: unknown; policy?: Record<string, unknown> },
  agreement: AgreementMode,
  dataset: OfferDataset,
  charter: CharterRules,
  refs: { offer: string; dataset: string; provider: string },
): Compiled {
  let json: Record<string, unknown>;
  let terms: OfferTerms | null = null;
  if (source.terms !== undefined) {
    const parsed = offerTermsInput.safeParse(source.terms);
    if (!parsed.success) throw validationFailed(parsed.error, 'Formulaire d’offre invalide', 'terms');
    terms = parsed.data;
    json = buildOfferPolicy(terms, refs, charter);
  } else {
    json = { ...source.policy };
    json.uid ??= refs.offer;
    json.target ??= refs.dataset;
    json.assigner ??= refs.provider;
  }
  const read = readPolicy(json);
  if (!read.ok) throw invalidPolicy(read.issues);
  const issues = checkOffer(read.policy, dataset.facts, { agreement, charter, refs });
  if (issues.length > 0) throw invalidPolicy(issues);
  const uses = DATA_USES.filter((use) => read.policy.permissions.some((p) => actionCovers(p.action, USE_ACTIONS[use])));
  if (uses.length === 0) {
    throw invalidPolicy([
      {
        path: 'permission',
        message: 'aucune permission ne porte sur un usage des données (cf:queryAggregate, cf:queryRows, cf:querySql, cf:download)',
      },
    ]);
  }
  return { json, policy: read.policy, terms, template: terms?.template ?? null, uses, sha256: sha256Hex(canonicalJson(json)) };
}

async function guard(db: Executor, dataset: OfferDataset): Promise<CharterRules> {
  if (dataset.status === 'withdrawn') throw new AppError('dataset_withdrawn', 'Ce jeu de données est retiré : il ne reçoit plus d’offre.');
  const standing = await charterStanding(db, dataset.organisationId);
  if (dataset.facts.accessLevel !== 'open' && standing.required && !standing.signed) {
    throw new AppError(
      'charter_not_signed',
      `Votre organisation n’a pas signé la charte éthique en vigueur (version ${standing.charter!.version}) : elle ne peut pas proposer de données non ouvertes. Un administrateur de l’organisation peut la signer sur la page Charte (/charte).`,
      { version: standing.charter!.version, where: '/charte' },
    );
  }
  return standing.charter?.rules ?? NO_CHARTER;
}

async function recordOfferChange(
  db: Executor,
  actor: Actor,
  dataset: OfferDataset,
  offer: { id: string; version: number; agreement: AgreementMode; title: string },
  sha256: string,
  change: 'created' | 'updated' | 'retired',
  reason?: string,
): Promise<void> {
  await recordFact(db, {
    type: 'offer.changed',
    public: {
      dataset: dataset.slug,
      provider: dataset.publisherSlug,
      offer: offer.id,
      change,
      version: offer.version,
      agreement: offer.agreement,
      policySha256: sha256,
      plan: null,
    },
    details: { by: actor.userId, title: offer.title, ...(reason ? { reason } : {}) },
    parties: [dataset.organisationId],
  });
}

export async function createOffer(ctx: Context, actor: Actor, dataset: OfferDataset, raw: OfferInput): Promise<OfferRow> {
  const parsed = offerInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Offre invalide');
  const input = parsed.data;
  const id = randomUUID();
  const refs = {
    offer: catalogUris.offer(ctx.config.baseUrl, id),
    dataset: catalogUris.dataset(ctx.config.baseUrl, dataset.slug),
    provider: catalogUris.organisation(ctx.config.baseUrl, dataset.publisherSlug),
  };
  await ctx.db.transaction().execute(async (trx) => {
    const charter = await guard(trx, dataset);
    const compiled = compileOffer(
      { ...(input.terms ? { terms: input.terms } : {}), ...(input.policy ? { policy: input.policy } : {}) },
      input.agreement,
      dataset,
      charter,
      refs,
    );
    await trx
      .insertInto('offers')
      .values({
        id,
        dataset_id: dataset.id,
        organisation_id: dataset.organisationId,
        title: input.title,
        description: input.description,
        agreement: input.agreement,
        template: compiled.template,
        terms: compiled.terms ? JSON.stringify(compiled.terms) : null,
        policy: JSON.stringify(compiled.json),
        uses: compiled.uses,
        created_by: actor.userId,
      })
      .execute();
    await trx
      .insertInto('offer_versions')
      .values({
        offer_id: id,
        version: 1,
        title: input.title,
        agreement: input.agreement,
        policy: JSON.stringify(compiled.json),
        policy_sha256: compiled.sha256,
        created_by: actor.userId,
      })
      .execute();
    await recordOfferChange(
      trx,
      actor,
      dataset,
      { id, version: 1, agreement: input.agreement, title: input.title },
      compiled.sha256,
      'created',
    );
  });
  return (await findOffer(ctx.db, id))!;
}

/** A change is a new version of the offer; contracts already agreed keep the version they cite. */
export async function updateOffer(
  ctx: Context,
  actor: Actor,
  dataset: OfferDataset,
  offer: OfferRow,
  raw: OfferUpdateInput,
): Promise<OfferRow> {
  const parsed = offerUpdateInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Modification d’offre invalide');
  const input = parsed.data;
  if (offer.status === 'retired') throw new AppError('offer_retired', 'Cette offre est retirée : créez-en une nouvelle.');
  const refs = {
    offer: catalogUris.offer(ctx.config.baseUrl, offer.id),
    dataset: catalogUris.dataset(ctx.config.baseUrl, dataset.slug),
    provider: catalogUris.organisation(ctx.config.baseUrl, dataset.publisherSlug),
  };
  const agreement = input.agreement ?? offer.agreement;
  const title = input.title ?? offer.title;
  await ctx.db.transaction().execute(async (trx) => {
    const charter = await guard(trx, dataset);
    // Without new terms or policy, the stored ones are checked again (the agreement mode may change).
    const source = input.terms
      ? { terms: input.terms }
      : input.policy
        ? { policy: input.policy }
        : offer.terms
          ? { terms: offer.terms }
          : { policy: offer.policy as Record<string, unknown> };
    const compiled = compileOffer(source, agreement, dataset, charter, refs);
    const version = offer.version + 1;
    // Optimistic: two stewards saving at once cannot both write version n+1.
    const updated = await trx
      .updateTable('offers')
      .set({
        title,
        description: input.description === undefined ? offer.description : input.description,
        agreement,
        template: compiled.template,
        terms: compiled.terms ? JSON.stringify(compiled.terms) : null,
        policy: JSON.stringify(compiled.json),
        uses: compiled.uses,
        version,
        updated_at: new Date(),
      })
      .where('id', '=', offer.id)
      .where('version', '=', offer.version)
      .where('status', '=', 'active')
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new AppError('conflict', 'L’offre a été modifiée entre-temps : rechargez-la et recommencez.');
    await trx
      .insertInto('offer_versions')
      .values({
        offer_id: offer.id,
        version,
        title,
        agreement,
        policy: JSON.stringify(compiled.json),
        policy_sha256: compiled.sha256,
        created_by: actor.userId,
      })
      .execute();
    await recordOfferChange(trx, actor, dataset, { id: offer.id, version, agreement, title }, compiled.sha256, 'updated');
  });
  return (await findOffer(ctx.db, offer.id))!;
}

/** No new request can use it; contracts already agreed on it keep running. */
export async function retireOffer(ctx: Context, actor: Actor, dataset: OfferDataset, offer: OfferRow, reason: string): Promise<OfferRow> {
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('offers')
      .set({ status: 'retired', retired_reason: reason, retired_at: new Date(), updated_at: new Date() })
      .where('id', '=', offer.id)
      .where('status', '=', 'active')
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new AppError('offer_retired', 'Cette offre est déjà retirée.');
    await recordOfferChange(
      trx,
      actor,
      dataset,
      { id: offer.id, version: offer.version, agreement: offer.agreement, title: offer.title },
      sha256Hex(canonicalJson(offer.policy)),
      'retired',
      reason,
    );
  });
  return (await findOffer(ctx.db, offer.id))!;
}

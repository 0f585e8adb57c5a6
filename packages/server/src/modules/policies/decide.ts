import {
  USE_ACTIONS,
  actionLabel,
  catalogUris,
  decideOffer,
  isPurpose,
  purposeTerm,
  readPolicy,
  type DataUse,
  type DecisionPreviewInput,
  type DecisionView,
  type Scalar,
} from '@confiance/contract';
import type { Context } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import { charterStanding, type OfferRow } from './repository';

interface Requester {
  id: string;
  slug: string;
  category: string;
  naf_code: string | null;
}

/**
 * Would this offer be granted to `organisation` for this purpose and duration? The same
 * evaluator the requests module will use, with the charter first; nothing is recorded.
 * Processing happens on the node ("traiter sans exporter"), so the processing location is France.
 */
export async function previewDecision(
  ctx: Context,
  offer: OfferRow,
  organisation: Requester,
  input: DecisionPreviewInput,
): Promise<DecisionView> {
  if (offer.status === 'retired') throw new AppError('offer_retired', 'Cette offre est retirée : choisissez-en une autre.');
  if (offer.dataset_status === 'withdrawn')
    throw new AppError('dataset_withdrawn', 'Ce jeu de données est retiré : plus aucun nouvel accès.');
  if (!isPurpose(input.purpose)) {
    throw new AppError(
      'validation_failed',
      `Finalité inconnue « ${input.purpose} » : choisissez une finalité DPV, par exemple dpv:AcademicResearch.`,
      {
        issues: [{ path: 'purpose', message: 'finalité DPV inconnue' }],
      },
    );
  }
  const use: DataUse = input.use ?? (offer.uses[0] as DataUse);
  const read = readPolicy(offer.policy);
  if (!read.ok) throw new AppError('internal_error', 'La politique enregistrée de cette offre est illisible.');
  const standing = await charterStanding(ctx.db, organisation.id);
  const context: Record<string, Scalar> = {
    purpose: `dpv:${purposeTerm(input.purpose)!}`,
    elapsedTime: `P${input.durationMonths ?? 12}M`,
    'cf:partyType': organisation.category,
    'cf:charterSigned': standing.signed,
    spatial: 'FR',
  };
  if (organisation.naf_code) context.industry = organisation.naf_code;
  if (input.project) context['cf:project'] = input.project;
  const decision = decideOffer(
    read.policy,
    {
      action: USE_ACTIONS[use],
      target: catalogUris.dataset(ctx.config.baseUrl, offer.dataset_slug),
      assignee: catalogUris.organisation(ctx.config.baseUrl, organisation.slug),
      context,
      state: { now: new Date().toISOString() },
    },
    { required: offer.access_level !== 'open' && standing.required, signed: standing.signed, version: standing.charter?.version ?? null },
  );
  return {
    outcome: decision.outcome,
    conditional: decision.conditional,
    summary: decision.summary,
    agreement: offer.agreement,
    charter: decision.charter,
    rules: decision.rules.map((r) => ({
      kind: r.kind,
      path: r.path,
      action: r.action,
      actionLabel: actionLabel(r.action),
      state: r.state,
      reason: r.reason,
      target: r.target,
      assignee: r.assignee,
      actionMatch: r.actionMatch,
      constraints: [...r.refinements, ...r.constraints],
      duties: r.duties.map((d) => ({ path: d.path, action: d.action, label: d.label, state: d.state, reason: d.reason })),
    })),
  };
}

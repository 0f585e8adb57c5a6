import { FIVE_SAFES, type FiveSafe, type RequestInput } from '@confiance/contract';
import type { Context } from '../../platform/context';
import type { ContractsDeps } from '../contracts/commands/contracts';
import { approveRequest, createRequest, reviewRequest } from '../contracts/index';
import { findDataset } from '../catalog/index';
import { findUserByEmail } from '../identity/index';
import { listOffers } from '../policies/index';
import { ETHICS_MEMBER } from './people';

/**
 * A little life in the inboxes, through the same command people use: one contract already in
 * force, one request waiting for its provider, one waiting for the ethics commission. Other
 * people than the browser journeys' accounts, so the journeys start from a clean slate.
 */
const DEMO_REQUESTS: {
  by: string;
  organisation: string;
  dataset: string;
  offer: string;
  request: Omit<RequestInput, 'offer' | 'organisation'>;
  /** Reviewed by the ethics commission and approved by this provider's steward: a contract in force. */
  approvedBy?: string;
}[] = [
  {
    by: 'analyste@cnes.demo',
    organisation: 'cnes',
    dataset: 'qualite-air-occitanie-moyennes-annuelles',
    offer: 'Membres — accès automatique',
    request: {
      purpose: 'dpv:ScientificResearch',
      durationMonths: 12,
      justification: 'Croiser les mesures au sol avec les observations satellitaires de la qualité de l’air.',
    },
  },
  {
    by: 'analyste@region-occitanie.demo',
    organisation: 'region-occitanie',
    dataset: 'tam-temps-reel-montpellier',
    offer: 'Recherche — agrégé uniquement, 12 mois',
    request: {
      purpose: 'dpv:ResearchAndDevelopment',
      durationMonths: 12,
      justification: 'Évaluer la régularité du réseau pour le schéma régional des mobilités.',
    },
  },
  {
    by: 'analyste@universite-de-montpellier.demo',
    organisation: 'universite-de-montpellier',
    dataset: 'covid-hospitalisations-departement-sexe-2020',
    offer: 'Recherche en santé publique — agrégé uniquement',
    request: {
      purpose: 'dpv:ImproveHealthcare',
      durationMonths: 12,
      justification: 'Étude des écarts d’hospitalisation entre départements pendant la première vague.',
    },
  },
  {
    by: 'analyste@insee.demo',
    organisation: 'insee',
    dataset: 'covid-hospitalisations-departement-sexe-2020',
    offer: 'Recherche en santé publique — agrégé uniquement',
    request: {
      purpose: 'dpv:ImproveHealthcare',
      durationMonths: 12,
      justification: 'Mesurer la charge hospitalière par département et par sexe pour l’étude régionale sur l’offre de soins.',
    },
    approvedBy: 'donnees@sante-publique-france.demo',
  },
];

const FIVE_SAFES_NOTES: Record<FiveSafe, string> = {
  project: 'Étude statistique d’intérêt public, finalité santé.',
  people: 'Analyste habilité, engagé au secret statistique.',
  setting: 'Calcul sur le nœud : aucune ligne ne sort.',
  data: 'Effectifs agrégés par département, sexe et jour.',
  outputs: 'Contrôle du secret statistique (effectifs ≤ 7 masqués, arrondis à 5).',
};

export async function seedDemoRequests(ctx: Context, deps: ContractsDeps): Promise<number> {
  let created = 0;
  for (const seed of DEMO_REQUESTS) {
    const user = await findUserByEmail(ctx.db, seed.by);
    const dataset = await findDataset(ctx.db, seed.dataset);
    if (!user || !dataset) continue;
    const offer = (await listOffers(ctx.db, dataset.id, false)).find((o) => o.title === seed.offer);
    if (!offer) continue;
    const already = await ctx.db
      .selectFrom('access_requests')
      .select('id')
      .where('offer_id', '=', offer.id)
      .where('requested_by', '=', user.id)
      .executeTakeFirst();
    if (already) continue;
    const request = await createRequest(
      ctx,
      deps,
      { userId: user.id },
      { ...seed.request, offer: offer.id, organisation: seed.organisation },
    );
    created++;
    const steward = seed.approvedBy ? await findUserByEmail(ctx.db, seed.approvedBy) : undefined;
    const ethics = await findUserByEmail(ctx.db, ETHICS_MEMBER.email);
    if (!steward || !ethics) continue;
    const checklist = Object.fromEntries(FIVE_SAFES.map((s) => [s, { safe: true, note: FIVE_SAFES_NOTES[s] }])) as Record<
      FiveSafe,
      { safe: boolean; note: string }
    >;
    const reviewed =
      request.stage === 'ethics_review'
        ? await reviewRequest(ctx, { userId: ethics.id }, request, { decision: 'approved', checklist, conditions: null, reasons: null })
        : request;
    if (reviewed.stage === 'provider_review') await approveRequest(ctx, deps, { userId: steward.id }, reviewed, null);
  }
  return created;
}

import { FIVE_SAFES, type FiveSafe, type RequestInput } from '@confiance/contract';
import type { Context } from '../../platform/context';
import type { ContractsDeps } from '../contracts/commands/contracts';
import { recordRevenue } from '../billing/index';
import { approveRequest, createRequest, reviewRequest } from '../contracts/index';
import { answerInvitation, createProject } from '../projects/index';
import { findOrganisation } from '../members/index';
import { findDataset } from '../catalog/index';
import { findUserByEmail } from '../identity/index';
import { listOffers } from '../policies/index';
import { ETHICS_MEMBER } from './people';

/**
 * A little life in the inboxes, through the same command people use: one contract already in
 * force, one request waiting for its provider, one waiting for the ethics commission. Other
 * people than the browser journeys' accounts, so the journeys start from a clean slate.
 */
/**
 * A use-case project holding contracts with two providers (issue 8): Santé publique France's
 * hospital counts joined to INSEE's legal populations on the pseudonymised département code, and
 * SPF's daily admissions counted under differential privacy.
 */
const DEMO_PROJECT = {
  title: 'Observatoire Covid-19 : hospitalisations rapportées à la population',
  purpose: 'dpv:ImproveHealthcare',
  description:
    'Rapporter les hospitalisations de la première vague à la population de chaque département, sans que les jeux des deux fournisseurs ne quittent le nœud ni ne se voient l’un l’autre.',
  leadOrganisation: 'toulouse-metropole',
  partners: ['universite-de-toulouse'],
  by: 'admin@toulouse-metropole.demo',
} as const;

/**
 * The observatory's funding, split between its two providers by the key its partners agreed: the
 * seed runs no query under the project's contracts, so there is no measured contribution to split by.
 */
const DEMO_REVENUE = {
  label: 'Subvention Région Occitanie — appel à projets Données de santé 2026',
  amount: 1_200_000,
  receivedOn: '2026-10-15',
  method: 'key',
  key: { 'sante-publique-france': '60', insee: '40' },
} as const;

const DEMO_REQUESTS: {
  by: string;
  organisation: string;
  dataset: string;
  offer: string;
  /** For the demo project (its title). */
  project?: string;
  request: Omit<RequestInput, 'offer' | 'organisation' | 'project'>;
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
  ...[
    { dataset: 'covid-hospitalisations-departement-sexe-2020', offer: 'Croisement pseudonymisé — projets de santé publique' },
    { dataset: 'populations-legales-departements-occitanie', offer: 'Croisement pseudonymisé — projets' },
    { dataset: 'covid-hospitalisations-quotidiennes-departements', offer: 'Comptages en confidentialité différentielle' },
  ].map(({ dataset, offer }) => ({
    by: 'analyste@toulouse-metropole.demo',
    organisation: 'toulouse-metropole',
    dataset,
    offer,
    project: DEMO_PROJECT.title,
    request: {
      purpose: 'dpv:ImproveHealthcare',
      durationMonths: 12,
      justification: 'Observatoire métropolitain : hospitalisations de la première vague rapportées à la population des départements.',
    },
    approvedBy: dataset.startsWith('covid') ? 'donnees@sante-publique-france.demo' : undefined,
  })),
];

const FIVE_SAFES_NOTES: Record<FiveSafe, string> = {
  project: 'Étude statistique d’intérêt public, finalité santé.',
  people: 'Analyste habilité, engagé au secret statistique.',
  setting: 'Calcul sur le nœud : aucune ligne ne sort.',
  data: 'Effectifs agrégés par département, sexe et jour.',
  outputs: 'Contrôle du secret statistique (effectifs ≤ 7 masqués, arrondis à 5).',
};

async function demoProject(ctx: Context): Promise<string | null> {
  const existing = await ctx.db.selectFrom('projects').select('id').where('title', '=', DEMO_PROJECT.title).executeTakeFirst();
  if (existing) return existing.id;
  const admin = await findUserByEmail(ctx.db, DEMO_PROJECT.by);
  const lead = await findOrganisation(ctx.db, DEMO_PROJECT.leadOrganisation);
  if (!admin || !lead) return null;
  const { by: _by, ...input } = DEMO_PROJECT;
  const project = await createProject(ctx, { userId: admin.id }, lead.id, { ...input, status: 'running', partners: [...input.partners] });
  // Partners are invited: each one's admin accepts, as in the portal.
  for (const slug of input.partners) {
    const [partner, partnerAdmin] = await Promise.all([findOrganisation(ctx.db, slug), findUserByEmail(ctx.db, `admin@${slug}.demo`)]);
    if (partner && partnerAdmin) await answerInvitation(ctx, { userId: partnerAdmin.id }, project, partner.id, 'accept');
  }
  return project.id;
}

export async function seedDemoRequests(ctx: Context, deps: ContractsDeps): Promise<number> {
  let created = 0;
  const project = await demoProject(ctx);
  for (const seed of DEMO_REQUESTS) {
    if (seed.project && !project) continue;
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
      { ...seed.request, offer: offer.id, organisation: seed.organisation, ...(seed.project ? { project } : {}) },
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
  if (project) await seedDemoRevenue(ctx, project);
  return created;
}

async function seedDemoRevenue(ctx: Context, project: string): Promise<void> {
  const already = await ctx.db
    .selectFrom('project_revenues')
    .select('id')
    .where('project_id', '=', project)
    .where('label', '=', DEMO_REVENUE.label)
    .executeTakeFirst();
  const admin = await findUserByEmail(ctx.db, DEMO_PROJECT.by);
  if (already || !admin) return;
  await recordRevenue(ctx, { userId: admin.id }, project, { ...DEMO_REVENUE, key: { ...DEMO_REVENUE.key } });
}

import type { OfferInput, PartnerInviteInput, ProjectInput, RequestInput } from '@confiance/contract';
import type { Context } from '../../platform/context';
import { findDataset } from '../catalog/index';
import { approveRequest, createRequest } from '../contracts/index';
import type { ContractsDeps } from '../contracts/commands/contracts';
import { findUserByEmail } from '../identity/index';
import { findOrganisation } from '../members/index';
import { createOffer, listOffers, offerDatasetOf } from '../policies/index';
import { answerInvitation, createProject, findProject, invitePartner, updateProject } from '../projects/index';

/**
 * Littoral 21 (issue 10): the Région requalifies the coastal tourism offer of Hérault, Gard, Aude
 * and Pyrénées-Orientales while preserving natural resources. Atout France brings its classified
 * accommodation registers, Montpellier 3M its bicycle counts, IGN the boundaries; the Université
 * de Montpellier studies them. Everything goes through the commands people use: the Région's
 * admin creates the project and invites, each partner's admin accepts, the providers' stewards
 * write offers, the Région's analyst asks for the data for the project, Montpellier 3M approves.
 */
const LITTORAL_21: {
  by: string;
  project: ProjectInput & { purpose: string };
  partners: (PartnerInviteInput & { organisation: string })[];
} = {
  by: 'admin@region-occitanie.demo',
  project: {
    title: 'Littoral 21',
    purpose: 'dpv:PublicPolicyMaking',
    objective:
      'Requalifier l’offre touristique du littoral de l’Hérault, du Gard, de l’Aude et des Pyrénées-Orientales tout en préservant les ressources naturelles.',
    description:
      'Croiser la capacité d’hébergement classée (hôtels, campings) avec la fréquentation des mobilités douces et les limites administratives pour cibler les stations à requalifier en priorité, sans accroître la pression sur les espaces naturels littoraux.',
    leadOrganisation: 'region-occitanie',
    domains: ['tourism', 'environment', 'mobility', 'territory'],
    territory: ['11', '30', '34', '66'],
    status: 'setup',
    milestones: [
      { title: 'Diagnostic de l’offre d’hébergement classée', dueOn: '2026-03-31', done: true },
      { title: 'Carte de fréquentation des mobilités douces', dueOn: '2026-06-30', done: false },
      { title: 'Plan de requalification des stations prioritaires', dueOn: '2026-12-15', done: false },
    ],
    funding: [
      {
        call: 'FEDER Occitanie 2021-2027 — Tourisme durable',
        funder: 'Union européenne (FEDER), géré par la Région',
        amount: 480000,
        status: 'granted',
        submittedOn: '2025-11-14',
        decidedOn: '2026-02-06',
      },
      {
        call: 'Fonds vert — renaturation des espaces littoraux',
        funder: 'État (préfecture de région)',
        amount: 150000,
        status: 'submitted',
        submittedOn: '2026-09-30',
        decidedOn: null,
      },
    ],
    deliverables: [
      { title: 'Atlas de la capacité d’hébergement littorale', kind: 'report', dueOn: '2026-04-30', deliveredOn: '2026-04-28' },
      { title: 'Tableau de bord de la fréquentation', kind: 'dashboard', link: 'https://www.laregion.fr/', dueOn: '2026-09-30' },
      { title: 'Campings classés du littoral', kind: 'dataset', dataset: 'campings-classes-littoral-occitanie', dueOn: '2026-12-31' },
    ],
  },
  partners: [
    { organisation: 'atout-france', role: 'data_provider' },
    { organisation: 'montpellier-mediterranee-metropole', role: 'data_provider' },
    { organisation: 'ign', role: 'data_provider' },
    { organisation: 'universite-de-montpellier', role: 'data_user' },
  ],
};

/** The providers' offers to the network's projects, on the datasets Littoral 21 uses. */
const OFFERS: { dataset: string; offer: OfferInput }[] = [
  {
    dataset: 'campings-classes-littoral-occitanie',
    offer: {
      title: 'Projets du réseau — accès automatique',
      description: 'Les organisations signataires de la charte interrogent le registre des campings classés du littoral.',
      agreement: 'automatic',
      terms: { template: 'members', uses: ['rows', 'aggregate', 'download'] },
    },
  },
  {
    dataset: 'hebergements-touristiques-classes-occitanie',
    offer: {
      title: 'Projets du réseau — accès automatique',
      description: 'Les organisations signataires de la charte interrogent le registre des hébergements classés.',
      agreement: 'automatic',
      terms: { template: 'members', uses: ['rows', 'aggregate', 'download'] },
    },
  },
  {
    dataset: 'comptages-velo-montpellier',
    offer: {
      title: 'Projets territoriaux — sur validation',
      description: 'Comptages vélo agrégés pour les projets d’aménagement, après examen par la Métropole.',
      agreement: 'provider_approval',
      terms: { template: 'members', uses: ['aggregate'] },
    },
  },
  {
    dataset: 'limites-departements-occitanie',
    offer: {
      title: 'Projets du réseau — sur validation',
      agreement: 'provider_approval',
      terms: { template: 'members', uses: ['rows', 'aggregate', 'download'] },
    },
  },
];

const REQUESTS: {
  by: string;
  organisation: string;
  dataset: string;
  justification: string;
  /** Approved by this provider's steward (when the offer asks for approval). */
  approvedBy?: string;
}[] = [
  {
    by: 'analyste@region-occitanie.demo',
    organisation: 'region-occitanie',
    dataset: 'campings-classes-littoral-occitanie',
    justification: 'Capacité d’accueil des campings classés par commune littorale, pour cibler les stations à requalifier.',
  },
  {
    by: 'analyste@region-occitanie.demo',
    organisation: 'region-occitanie',
    dataset: 'hebergements-touristiques-classes-occitanie',
    justification: 'Hôtels et résidences classés des quatre départements littoraux : évolution des classements depuis 2019.',
  },
  {
    by: 'analyste@region-occitanie.demo',
    organisation: 'region-occitanie',
    dataset: 'comptages-velo-montpellier',
    justification: 'Fréquentation cyclable vers le littoral (Palavas, Carnon) en saison et hors saison.',
    approvedBy: 'donnees@montpellier-mediterranee-metropole.demo',
  },
  {
    by: 'analyste@universite-de-montpellier.demo',
    organisation: 'universite-de-montpellier',
    dataset: 'limites-departements-occitanie',
    justification: 'Fonds de carte des départements littoraux pour l’atlas du projet.',
  },
];

/**
 * Seeds Littoral 21 once (found by its title): the project, its accepted partners, the offers
 * and requests that make its data flows (contracts in force, one request awaiting IGN).
 * Runs after the datasets, policies and requests seeds. Returns the number of requests made.
 */
export async function seedDemoProjects(ctx: Context, deps: ContractsDeps): Promise<number> {
  const existing = await ctx.db.selectFrom('projects').select('id').where('title', '=', LITTORAL_21.project.title).executeTakeFirst();
  if (existing) return 0;
  const [admin, lead] = await Promise.all([findUserByEmail(ctx.db, LITTORAL_21.by), findOrganisation(ctx.db, 'region-occitanie')]);
  if (!admin || !lead) return 0;
  const created = await createProject(ctx, { userId: admin.id }, lead.id, LITTORAL_21.project);
  for (const invite of LITTORAL_21.partners) {
    const [org, partnerAdmin] = await Promise.all([
      findOrganisation(ctx.db, invite.organisation),
      findUserByEmail(ctx.db, `admin@${invite.organisation}.demo`),
    ]);
    if (!org || !partnerAdmin) continue;
    await invitePartner(ctx, { userId: admin.id }, (await findProject(ctx.db, created.id))!, invite);
    await answerInvitation(ctx, { userId: partnerAdmin.id }, (await findProject(ctx.db, created.id))!, org.id, 'accept');
  }

  for (const { dataset: slug, offer } of OFFERS) {
    const dataset = await findDataset(ctx.db, slug);
    if (!dataset) continue;
    if ((await listOffers(ctx.db, dataset.id, true)).some((o) => o.title === offer.title)) continue;
    const steward =
      (await findUserByEmail(ctx.db, `donnees@${dataset.publisher_slug}.demo`)) ??
      (await findUserByEmail(ctx.db, `admin@${dataset.publisher_slug}.demo`));
    if (steward) await createOffer(ctx, { userId: steward.id }, await offerDatasetOf(ctx.db, dataset), offer);
  }

  let requests = 0;
  for (const seed of REQUESTS) {
    const [user, dataset] = await Promise.all([findUserByEmail(ctx.db, seed.by), findDataset(ctx.db, seed.dataset)]);
    if (!user || !dataset) continue;
    const offer = (await listOffers(ctx.db, dataset.id, false)).find((o) =>
      OFFERS.some((x) => x.dataset === seed.dataset && x.offer.title === o.title),
    );
    if (!offer) continue;
    const input: RequestInput = {
      offer: offer.id,
      organisation: seed.organisation,
      project: created.id,
      purpose: LITTORAL_21.project.purpose,
      durationMonths: 24,
      justification: seed.justification,
    };
    const request = await createRequest(ctx, deps, { userId: user.id }, input);
    requests++;
    const steward = seed.approvedBy ? await findUserByEmail(ctx.db, seed.approvedBy) : undefined;
    if (steward && request.stage === 'provider_review') await approveRequest(ctx, deps, { userId: steward.id }, request, null);
  }
  // Under way once its data flows, as the Région's admin marks it.
  await updateProject(ctx, { userId: admin.id }, (await findProject(ctx.db, created.id))!, { status: 'running' });
  return requests;
}

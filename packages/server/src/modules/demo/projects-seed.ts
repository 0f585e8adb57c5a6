import type { PartnerInviteInput, ProjectInput, QueryInput, RequestInput } from '@confiance/contract';
import type { Context } from '../../platform/context';
import { queryOnBehalf, type AccessDeps } from '../access/index';
import { findDataset } from '../catalog/index';
import { approveRequest, createRequest } from '../contracts/index';
import type { ContractsDeps } from '../contracts/commands/contracts';
import { findUserByEmail, principalOfUser } from '../identity/index';
import { findOrganisation } from '../members/index';
import { listOffers } from '../policies/index';
import { answerInvitation, attachDataset, createProject, findProject, invitePartner, updateProject } from '../projects/index';

/**
 * Littoral 21 (issue 10): the Région requalifies the coastal tourism offer of Hérault, Gard, Aude
 * and Pyrénées-Orientales while preserving natural resources, as a study (R&D purpose) with the
 * Université de Montpellier. Atout France brings its classified accommodation registers, Montpellier
 * 3M its mobility data, IGN the boundaries — open data needs no contract; the project's contracts
 * are on the offers the policies seed wrote: Atmo's air quality (automatic) and Montpellier 3M's
 * TaM real-time departures for research (on approval). Everything goes through the commands people
 * use: the Région's admin creates the project and invites, each partner's admin accepts, the
 * analysts ask for data for the project, Montpellier 3M's steward approves the university's request
 * (the Région's waits in its inbox), then the Région's admin marks the project under way.
 */
const LITTORAL_21: {
  by: string;
  project: ProjectInput & { purpose: string };
  partners: (PartnerInviteInput & { organisation: string })[];
} = {
  by: 'admin@region-occitanie.demo',
  project: {
    title: 'Littoral 21',
    purpose: 'dpv:ResearchAndDevelopment',
    objective:
      'Requalifier l’offre touristique du littoral de l’Hérault, du Gard, de l’Aude et des Pyrénées-Orientales tout en préservant les ressources naturelles.',
    description:
      'Étude-action : croiser la capacité d’hébergement classée (hôtels, campings), la fréquentation des transports et des mobilités douces, la qualité de l’air et les limites administratives pour cibler les stations à requalifier en priorité, sans accroître la pression sur les espaces naturels littoraux.',
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

const REQUESTS: {
  by: string;
  organisation: string;
  dataset: string;
  /** The offer (its title), one the policies seed wrote. */
  offer: string;
  justification: string;
  /** Approved by this provider's steward (when the offer asks for approval). */
  approvedBy?: string;
}[] = [
  {
    by: 'analyste@region-occitanie.demo',
    organisation: 'region-occitanie',
    dataset: 'qualite-air-occitanie-moyennes-annuelles',
    offer: 'Membres — accès automatique',
    justification:
      'Pollution de fond des stations littorales (NO2, O3, PM10) en saison et hors saison, pour mesurer la pression touristique.',
  },
  {
    by: 'analyste@universite-de-montpellier.demo',
    organisation: 'universite-de-montpellier',
    dataset: 'tam-temps-reel-montpellier',
    offer: 'Recherche — agrégé uniquement, 12 mois',
    justification:
      'Fréquentation agrégée des lignes de tramway vers le littoral (ligne 3, Pérols) pour l’étude des mobilités touristiques.',
    approvedBy: 'donnees@montpellier-mediterranee-metropole.demo',
  },
  {
    by: 'analyste@region-occitanie.demo',
    organisation: 'region-occitanie',
    dataset: 'tam-temps-reel-montpellier',
    offer: 'Recherche — agrégé uniquement, 12 mois',
    justification: 'Report modal vers le tramway les jours de forte affluence sur le littoral, pour le plan de requalification.',
  },
];

/**
 * Open data the project uses as it is, no request nor contract needed: attached by the partner
 * that brings it (its admin or steward), with what the project does with it.
 */
const ATTACHED: { by: string; dataset: string; note: string }[] = [
  {
    by: 'donnees@atout-france.demo',
    dataset: 'campings-classes-littoral-occitanie',
    note: 'Capacité des campings classés des quatre départements littoraux : base du diagnostic de l’offre.',
  },
  {
    by: 'donnees@atout-france.demo',
    dataset: 'hebergements-touristiques-classes-occitanie',
    note: 'Hôtels, résidences et villages de vacances classés : l’offre d’hébergement hors camping.',
  },
  {
    by: 'donnees@ign.demo',
    dataset: 'limites-departements-occitanie',
    note: 'Contours des départements pour les cartes de l’atlas.',
  },
  {
    by: 'donnees@ign.demo',
    dataset: 'limites-communes-herault',
    note: 'Contours des communes de l’Hérault : les stations littorales (La Grande-Motte, Palavas, Agde…).',
  },
  {
    by: 'donnees@montpellier-mediterranee-metropole.demo',
    dataset: 'comptages-velo-montpellier',
    note: 'Fréquentation des pistes cyclables vers le littoral, pour la carte des mobilités douces.',
  },
  {
    by: 'donnees@montpellier-mediterranee-metropole.demo',
    dataset: 'gtfs-tam-montpellier',
    note: 'Lignes et arrêts du réseau TaM desservant le littoral (tramway ligne 3, Pérols).',
  },
];

/** Queries the partners' analysts run under the project's contracts: real ones, logged and in the ledger. */
const QUERIES: { by: string; dataset: string; query: QueryInput }[] = [
  {
    by: 'analyste@universite-de-montpellier.demo',
    dataset: 'tam-temps-reel-montpellier',
    query: {
      groupBy: ['route_short_name'],
      aggregates: [{ fn: 'count', as: 'passages' }],
      where: [{ column: 'route_short_name', op: 'in', value: ['1', '2', '3', '4'] }],
      orderBy: [{ column: 'route_short_name' }],
    },
  },
  {
    by: 'analyste@universite-de-montpellier.demo',
    dataset: 'tam-temps-reel-montpellier',
    query: {
      groupBy: ['trip_headsign'],
      aggregates: [{ fn: 'count', as: 'passages' }],
      where: [
        { column: 'route_short_name', op: 'eq', value: '3' },
        { column: 'is_theorical', op: 'eq', value: 0 },
      ],
    },
  },
  {
    by: 'analyste@region-occitanie.demo',
    dataset: 'qualite-air-occitanie-moyennes-annuelles',
    query: {
      groupBy: ['nom_dept', 'nom_poll'],
      aggregates: [{ fn: 'avg', column: 'valeur', as: 'moyenne' }],
      where: [
        { column: 'nom_dept', op: 'in', value: ['AUDE', 'GARD', 'HERAULT', 'PYRENEES-ORIENTALES'] },
        { column: 'nom_poll', op: 'in', value: ['NO2', 'O3', 'PM10'] },
      ],
    },
  },
];

/**
 * Seeds Littoral 21 (found by its title): the project, its accepted partners, and the requests
 * that make its data flows (two contracts in force, one request awaiting Montpellier 3M); then
 * the open datasets its partners attach and, with the access module, the queries its analysts
 * run under its contracts. Runs after the datasets, policies and requests seeds. Each part is
 * done once: an interrupted seed resumes. Returns the number of requests made.
 */
export async function seedDemoProjects(ctx: Context, deps: ContractsDeps, access?: AccessDeps): Promise<number> {
  const existing = await ctx.db.selectFrom('projects').select('id').where('title', '=', LITTORAL_21.project.title).executeTakeFirst();
  const requests = existing ? 0 : await seedLittoral21(ctx, deps);
  const project = await ctx.db.selectFrom('projects').select('id').where('title', '=', LITTORAL_21.project.title).executeTakeFirst();
  if (!project) return requests;
  await attachOpenData(ctx, project.id);
  if (access) await runQueries(ctx, access, project.id);
  return requests;
}

async function attachOpenData(ctx: Context, projectId: string): Promise<void> {
  const attached = new Set(
    (
      await ctx.db
        .selectFrom('project_datasets as pd')
        .innerJoin('datasets as d', 'd.id', 'pd.dataset_id')
        .select('d.slug')
        .where('pd.project_id', '=', projectId)
        .execute()
    ).map((r) => r.slug),
  );
  for (const seed of ATTACHED) {
    if (attached.has(seed.dataset)) continue;
    const [user, dataset] = await Promise.all([findUserByEmail(ctx.db, seed.by), findDataset(ctx.db, seed.dataset)]);
    if (!user || !dataset) continue;
    await attachDataset(ctx, { userId: user.id }, (await findProject(ctx.db, projectId))!, { dataset: seed.dataset, note: seed.note });
  }
}

/** Once: when no query has been completed under the project's contracts yet. */
async function runQueries(ctx: Context, access: AccessDeps, projectId: string): Promise<void> {
  const done = await ctx.db
    .selectFrom('data_queries as q')
    .innerJoin('contracts as k', 'k.id', 'q.contract_id')
    .select('q.id')
    .where('k.project_id', '=', projectId)
    .where('q.state', '=', 'completed')
    .executeTakeFirst();
  if (done) return;
  for (const seed of QUERIES) {
    const user = await findUserByEmail(ctx.db, seed.by);
    const principal = user ? await principalOfUser(ctx.db, user.id) : undefined;
    if (!principal) continue;
    // Under the project's contract on that dataset: the consumer may hold others.
    const contract = await ctx.db
      .selectFrom('contracts as k')
      .innerJoin('datasets as d', 'd.id', 'k.dataset_id')
      .select('k.id')
      .where('k.project_id', '=', projectId)
      .where('d.slug', '=', seed.dataset)
      .where('k.state', '=', 'active')
      .where(
        'k.consumer_id',
        'in',
        principal.memberships.map((m) => m.organisationId),
      )
      .executeTakeFirst();
    if (!contract) continue;
    await queryOnBehalf(ctx, access, principal, seed.dataset, { ...seed.query, contract: contract.id });
  }
}

/** The project itself, its partners and its requests. */
async function seedLittoral21(ctx: Context, deps: ContractsDeps): Promise<number> {
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

  let requests = 0;
  for (const seed of REQUESTS) {
    const [user, dataset] = await Promise.all([findUserByEmail(ctx.db, seed.by), findDataset(ctx.db, seed.dataset)]);
    if (!user || !dataset) continue;
    const offer = (await listOffers(ctx.db, dataset.id, false)).find((o) => o.title === seed.offer);
    if (!offer) continue;
    const input: RequestInput = {
      offer: offer.id,
      organisation: seed.organisation,
      project: created.id,
      purpose: LITTORAL_21.project.purpose,
      durationMonths: 12,
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

import fs from 'node:fs/promises';
import path from 'node:path';
import type { CharterRules, OfferInput } from '@confiance/contract';
import type { Context } from '../../platform/context';
import { SERVER_ROOT } from '../../platform/paths';
import { findDataset } from '../catalog/index';
import { findUserByEmail } from '../identity/index';
import { findOrganisation } from '../members/index';
import { createOffer, currentCharter, listOffers, offerDatasetOf, publishCharter, signCharter } from '../policies/index';

const CHARTER_DIR = path.join(SERVER_ROOT, 'demo/charter');

export const DEMO_CHARTER_RULES: CharterRules = {
  signatureRequired: true,
  personalDataAggregateOnly: true,
  personalDataEthicsReview: true,
  prohibitedActions: ['cf:reidentify', 'sell'],
  favouredPurposes: ['dpv:PublicBenefit', 'dpv:ResearchAndDevelopment'],
};

/** Two members have not signed yet: the demo shows what that costs them, and how to sign. */
export const UNSIGNED_DEMO_ORGANISATIONS: ReadonlySet<string> = new Set(['qwant', 'atos']);

/** SPF's counts of people by département, sex and day; sexe = 0 rows are the totals of 1 and 2. */
const SPF_DISCLOSURE = {
  suppressAtOrBelow: 7,
  roundTo: 5,
  dimensions: ['dep', 'sexe', 'jour'],
  countColumns: ['hosp', 'rea', 'rad', 'dc'],
  margins: [{ column: 'sexe', value: '0' }],
};

/**
 * Offers on the demo's non-open datasets, as their stewards would write them from templates, and
 * INSEE's offer to join an open dataset under pseudonyms (a contract is what declares the key).
 */
const DEMO_OFFERS: { dataset: string; offer: OfferInput }[] = [
  {
    dataset: 'qualite-air-occitanie-moyennes-annuelles',
    offer: {
      title: 'Membres — accès automatique',
      description: 'Toutes les organisations signataires de la charte consultent et interrogent les moyennes annuelles.',
      agreement: 'automatic',
      terms: { template: 'members', uses: ['rows', 'aggregate', 'download'] },
    },
  },
  {
    dataset: 'tam-temps-reel-montpellier',
    offer: {
      title: 'Recherche — agrégé uniquement, 12 mois',
      agreement: 'provider_approval',
      terms: {
        template: 'research_aggregate',
        uses: ['aggregate'],
        purposes: ['dpv:ResearchAndDevelopment'],
        partyTypes: ['research', 'public_body'],
        durationMonths: 12,
      },
    },
  },
  {
    dataset: 'tam-temps-reel-montpellier',
    offer: {
      title: 'Commercial — 1 000 requêtes',
      description: 'Pour les services d’information voyageurs : lignes du réseau TAM, quota de 1 000 requêtes sur 12 mois.',
      agreement: 'provider_approval',
      terms: {
        template: 'commercial',
        uses: ['rows', 'aggregate'],
        purposes: ['dpv:CommercialPurpose'],
        durationMonths: 12,
        // No département restriction: the departures table has no département column to honour it.
        maxQueries: 1000,
        // A paid offer in the demo: 0,50 € HT a query, 0,30 € for research bodies, 10 % off for members.
        plan: {
          kind: 'per_query',
          price: 50,
          categoryPrices: { research: 30 },
          publicInterestPrice: null,
          memberDiscount: '10',
          vatRate: 'S-20',
        },
      },
    },
  },
  {
    dataset: 'covid-hospitalisations-departement-sexe-2020',
    offer: {
      title: 'Recherche en santé publique — agrégé uniquement',
      description: 'Agrégats sous contrôle du secret statistique, après examen par la commission d’éthique.',
      agreement: 'ethics_review',
      terms: {
        template: 'research_aggregate',
        uses: ['aggregate'],
        purposes: ['dpv:ResearchAndDevelopment', 'dpv:ImproveHealthcare'],
        partyTypes: ['research', 'public_body'],
        durationMonths: 12,
        queriesPerDay: 200,
        disclosure: SPF_DISCLOSURE,
      },
    },
  },
  {
    dataset: 'covid-hospitalisations-departement-sexe-2020',
    offer: {
      title: 'Croisement pseudonymisé — projets de santé publique',
      description:
        'Pour croiser ces effectifs avec les autres jeux d’un même projet sur le code département, pseudonymisé par le nœud ; agrégats sous contrôle du secret statistique, après examen par la commission d’éthique.',
      agreement: 'ethics_review',
      terms: {
        template: 'joinable',
        uses: ['aggregate'],
        purposes: ['dpv:ImproveHealthcare', 'dpv:ResearchAndDevelopment'],
        partyTypes: ['research', 'public_body'],
        durationMonths: 12,
        joinKeys: ['dep'],
        disclosure: SPF_DISCLOSURE,
      },
    },
  },
  {
    dataset: 'populations-legales-departements-occitanie',
    offer: {
      title: 'Croisement pseudonymisé — projets',
      description:
        'Joindre les populations légales des départements aux jeux d’un projet sur le code département, pseudonymisé par le nœud.',
      agreement: 'automatic',
      terms: { template: 'joinable', uses: ['rows', 'aggregate'], durationMonths: 12, joinKeys: ['DEP'] },
    },
  },
  {
    dataset: 'covid-hospitalisations-quotidiennes-departements',
    offer: {
      title: 'Comptages en confidentialité différentielle',
      description:
        'Nombres et sommes bruités (bruit de Laplace discret) : un budget ε = 1 par contrat, 0,25 par requête, soit quatre requêtes ; les admissions quotidiennes sont bornées à 50 par ligne avant toute somme.',
      agreement: 'ethics_review',
      terms: {
        template: 'dp_counts',
        uses: ['aggregate'],
        purposes: ['dpv:ImproveHealthcare', 'dpv:ResearchAndDevelopment'],
        partyTypes: ['research', 'public_body'],
        durationMonths: 12,
        privacy: {
          epsilon: '1',
          epsilonPerQuery: '0.25',
          mechanism: 'discrete_laplace',
          clipping: [{ column: 'incid_hosp', lower: 0, upper: 50 }],
        },
      },
    },
  },
  {
    dataset: 'covid-admissions-hopital-age-occitanie',
    offer: {
      title: 'Intérêt public — agrégé uniquement, 24 mois',
      agreement: 'ethics_review',
      terms: { template: 'public_interest', uses: ['aggregate'], purposes: ['dpv:PublicBenefit'], durationMonths: 24 },
    },
  },
];

/**
 * The charter in force, signed by every demo member but two, and offers on the non-open
 * datasets — through the same commands the operator, org admins and stewards use. Idempotent.
 */
export async function seedDemoPolicies(ctx: Context, operatorId: string, organisations: readonly string[]): Promise<number> {
  if (!(await currentCharter(ctx.db))) {
    const [fr, en] = await Promise.all([
      fs.readFile(path.join(CHARTER_DIR, 'charte-1.0.fr.md'), 'utf8'),
      fs.readFile(path.join(CHARTER_DIR, 'charte-1.0.en.md'), 'utf8'),
    ]);
    await publishCharter(
      ctx,
      { userId: operatorId },
      {
        version: '1.0',
        title: { fr: 'Charte éthique du partage de données', en: 'Data sharing ethics charter' },
        body: { fr, en },
        rules: DEMO_CHARTER_RULES,
      },
    );
  }
  const charter = (await currentCharter(ctx.db))!;
  for (const slug of organisations) {
    if (UNSIGNED_DEMO_ORGANISATIONS.has(slug)) continue;
    const org = await findOrganisation(ctx.db, slug);
    const admin = await findUserByEmail(ctx.db, `admin@${slug}.demo`);
    if (org && admin) await signCharter(ctx, { userId: admin.id }, org, charter.version);
  }
  let created = 0;
  for (const { dataset: slug, offer } of DEMO_OFFERS) {
    const dataset = await findDataset(ctx.db, slug);
    if (!dataset) continue;
    const existing = await listOffers(ctx.db, dataset.id, true);
    if (existing.some((o) => o.title === offer.title)) continue;
    const steward =
      (await findUserByEmail(ctx.db, `donnees@${dataset.publisher_slug}.demo`)) ??
      (await findUserByEmail(ctx.db, `admin@${dataset.publisher_slug}.demo`));
    await createOffer(ctx, { userId: steward!.id }, await offerDatasetOf(ctx.db, dataset), offer);
    created++;
  }
  return created;
}

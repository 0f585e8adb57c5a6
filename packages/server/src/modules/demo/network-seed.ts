import type { Context } from '../../platform/context';
import { findUserByEmail } from '../identity/index';
import { findOrganisation } from '../members/index';
import { answerNeed, createNeed, findNeed, publishNews } from '../network/index';
import { OPERATOR } from './people';

/** A day `days` from now, as AAAA-MM-JJ. */
function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

interface DemoNeed {
  organisation: string;
  author: string;
  title: string;
  description: string;
  domain: 'tourism' | 'environment' | 'mobility' | 'research';
  territory: string[];
  purpose: string;
  wantedBy: string | null;
  answers: {
    organisation: string;
    by: string;
    kind: 'dataset' | 'plan' | 'refusal';
    dataset?: string;
    expectedAt?: string;
    message: string;
  }[];
}

function demoNeeds(): DemoNeed[] {
  return [
    {
      organisation: 'toulouse-metropole',
      author: 'analyste@toulouse-metropole.demo',
      title: 'Fréquentation des plages et mobilité côtière sur le littoral de Littoral 21',
      description:
        'Pour préparer des navettes estivales vers les plages de l’Aude, du Gard, de l’Hérault et des Pyrénées-Orientales, ' +
        'nous cherchons la fréquentation journalière des plages et des hébergements du littoral, et les flux de déplacement ' +
        'entre les métropoles et la côte (juin à septembre, au moins deux saisons).',
      domain: 'tourism',
      territory: ['11', '30', '34', '66'],
      purpose: 'dpv:ServiceOptimisation',
      wantedBy: day(120),
      answers: [
        {
          organisation: 'atout-france',
          by: 'donnees@atout-france.demo',
          kind: 'dataset',
          dataset: 'campings-classes-littoral-occitanie',
          message: 'Les capacités d’accueil des campings classés des quatre départements littoraux donnent un premier ordre de grandeur.',
        },
        {
          organisation: 'montpellier-mediterranee-metropole',
          by: 'donnees@montpellier-mediterranee-metropole.demo',
          kind: 'plan',
          expectedAt: day(60),
          message: 'Nous publierons les comptages des navettes plages du réseau TaM dès la fin de la saison.',
        },
      ],
    },
    {
      organisation: 'universite-de-toulouse',
      author: 'analyste@universite-de-toulouse.demo',
      title: 'Qualité de l’air horaire par station de mesure',
      description:
        'Une étude épidémiologique sur les passages aux urgences pour asthme a besoin des concentrations horaires ' +
        '(NO2, PM10, PM2.5, O3) par station de mesure en Occitanie, sur 2019–2024 ; les moyennes mensuelles ne suffisent pas.',
      domain: 'environment',
      territory: ['Occitanie'],
      purpose: 'dpv:AcademicResearch',
      wantedBy: null,
      answers: [
        {
          organisation: 'atmo-occitanie',
          by: 'donnees@atmo-occitanie.demo',
          kind: 'plan',
          expectedAt: day(90),
          message: 'Les séries horaires validées seront publiées par polluant et par station, sous offre « recherche ».',
        },
      ],
    },
    {
      organisation: 'agropolis-international',
      author: 'analyste@agropolis-international.demo',
      title: 'Prélèvements d’eau pour l’irrigation agricole par commune',
      description:
        'Pour évaluer l’effet des sécheresses sur les cultures irriguées, nous cherchons les volumes prélevés pour ' +
        'l’irrigation par commune et par an, idéalement depuis 2015.',
      domain: 'environment',
      territory: ['Occitanie'],
      purpose: 'dpv:AcademicResearch',
      wantedBy: day(180),
      answers: [],
    },
  ];
}

const DEMO_NEWS: { organisation: string | null; by: string; daysAgo: number; title: string; body: string }[] = [
  {
    organisation: 'region-occitanie',
    by: 'admin@region-occitanie.demo',
    daysAgo: 9,
    title: 'Lancement de Littoral 21',
    body:
      'La Région lance **Littoral 21**, le projet de requalification de l’offre touristique du littoral d’Occitanie ' +
      '(Hérault, Gard, Aude, Pyrénées-Orientales).\n\n' +
      'Les partenaires mettront en commun, dans Confiance :\n\n' +
      '- les hébergements et campings classés ;\n- les comptages de fréquentation et de mobilité ;\n- les données climatiques des stations côtières.\n\n' +
      'Un atelier de lancement se tient à Montpellier : inscrivez-vous depuis la page [Événements](/evenements).',
  },
  {
    organisation: null,
    by: OPERATOR.email,
    daysAgo: 4,
    title: 'Nouvelle version de la charte éthique',
    body:
      'La commission d’éthique a adopté une nouvelle version de la charte. Elle précise les revues des demandes portant ' +
      'sur des données de santé et la publication des décisions au registre.\n\n' +
      'Chaque organisation membre doit la signer à nouveau : rendez-vous sur la page [Charte](/charte).',
  },
  {
    organisation: 'tisseo-collectivites',
    by: 'admin@tisseo-collectivites.demo',
    daysAgo: 1,
    title: 'Hackathon mobilité : les inscriptions sont ouvertes',
    body:
      'Deux jours pour imaginer de nouveaux services avec les **données ouvertes des transports toulousains** ' +
      '(GTFS Tisséo, comptages vélo, temps réel).\n\nLes places sont limitées : inscription sur la page [Événements](/evenements).',
  },
];

/**
 * Seeds the needs board and the news through the network's commands: a need of Toulouse Métropole
 * for Littoral 21's coast (answered by Atout France with a dataset and by Montpellier 3M with a
 * plan), an university's need for hourly air quality (Atmo Occitanie plans to publish), one need
 * still unanswered, and three news posts. Idempotent: a need or post whose title exists is left.
 */
export async function seedDemoNetwork(ctx: Context): Promise<{ needs: number; news: number }> {
  let needs = 0;
  for (const n of demoNeeds()) {
    if (await ctx.db.selectFrom('needs').select('id').where('title', '=', n.title).executeTakeFirst()) continue;
    const org = await findOrganisation(ctx.db, n.organisation);
    const author = await findUserByEmail(ctx.db, n.author);
    if (!org || !author) continue;
    const need = await createNeed(ctx, { userId: author.id }, org.id, {
      organisation: org.slug,
      title: n.title,
      description: n.description,
      domain: n.domain,
      territory: n.territory,
      purpose: n.purpose,
      wantedBy: n.wantedBy,
    });
    needs++;
    for (const a of n.answers) {
      const provider = await findOrganisation(ctx.db, a.organisation);
      const by = await findUserByEmail(ctx.db, a.by);
      if (!provider || !by) continue;
      // A demo dataset missing from this build (its file not shipped) skips the answer, not the seed.
      if (a.kind === 'dataset' && !(await ctx.db.selectFrom('datasets').select('id').where('slug', '=', a.dataset!).executeTakeFirst()))
        continue;
      await answerNeed(ctx, { userId: by.id }, (await findNeed(ctx.db, need.id))!, provider.id, {
        organisation: provider.slug,
        kind: a.kind,
        dataset: a.dataset ?? null,
        expectedAt: a.expectedAt ?? null,
        message: a.message,
      });
    }
  }
  let news = 0;
  for (const p of DEMO_NEWS) {
    if (await ctx.db.selectFrom('news_posts').select('id').where('title', '=', p.title).executeTakeFirst()) continue;
    const by = await findUserByEmail(ctx.db, p.by);
    const org = p.organisation ? await findOrganisation(ctx.db, p.organisation) : null;
    if (!by || (p.organisation && !org)) continue;
    await publishNews(ctx, { userId: by.id }, org?.id ?? null, {
      organisation: org?.slug ?? null,
      title: p.title,
      body: p.body,
      publishedAt: new Date(Date.now() - p.daysAgo * 86_400_000).toISOString(),
    });
    news++;
  }
  return { needs, news };
}

import type { Context } from '../../platform/context';
import { createEvent, register } from '../events/index';
import { findUserByEmail } from '../identity/index';
import { findOrganisation } from '../members/index';
import { OPERATOR } from './people';

const DAY = 86_400_000;

/** A day relative to now at a Paris wall-clock hour (UTC+1 in winter, close enough for a demo). */
function at(days: number, parisHour: number, minutes = 0): string {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(parisHour - 1, minutes, 0, 0);
  return d.toISOString();
}

interface DemoEvent {
  organiser: string;
  title: string;
  kind: 'atelier' | 'hackathon' | 'webinaire' | 'reunion';
  description: string;
  startsAt: string;
  endsAt: string;
  place: string | null;
  onlineUrl: string | null;
  capacity: number | null;
  registrationDeadline: string | null;
  /** Demo people already registered. */
  registered: string[];
}

function demoEvents(): DemoEvent[] {
  return [
    {
      organiser: 'region-occitanie',
      title: 'Atelier Littoral 21 : requalifier l’offre touristique du littoral',
      kind: 'atelier',
      description:
        'Partenaires du projet Littoral 21 (Hérault, Gard, Aude, Pyrénées-Orientales) : mise en commun des données de campings, ' +
        'd’hébergements et de fréquentation, et premiers indicateurs de pression sur les ressources naturelles.',
      startsAt: at(14, 9, 30),
      endsAt: at(14, 12, 30),
      place: 'Hôtel de Région, 201 avenue de la Pompignane, Montpellier',
      onlineUrl: null,
      capacity: 40,
      registrationDeadline: at(12, 18),
      registered: ['analyste@montpellier-mediterranee-metropole.demo', 'donnees@atout-france.demo'],
    },
    {
      organiser: 'tisseo-collectivites',
      title: 'Hackathon mobilité : données ouvertes des transports toulousains',
      kind: 'hackathon',
      description:
        'Deux jours pour imaginer des services à partir des données de fréquentation et d’offre de transport, avec les équipes de Tisséo ' +
        'et de Toulouse Métropole. Places limitées : équipes de 2 à 4 personnes.',
      startsAt: at(32, 9),
      endsAt: at(33, 18),
      place: 'Quai des Savoirs, 39 allées Jules Guesde, Toulouse',
      onlineUrl: null,
      capacity: 12,
      registrationDeadline: at(28, 23, 59),
      registered: ['analyste@toulouse-metropole.demo', 'analyste@universite-de-toulouse.demo', 'analyste@airbus.demo'],
    },
    {
      organiser: 'ekitia',
      title: 'Webinaire de la commission éthique : les revues de demandes sur données de santé',
      kind: 'webinaire',
      description: 'Comment la commission examine une demande (Five Safes), ce qu’elle attend d’un dossier, et les questions des membres.',
      startsAt: at(7, 11),
      endsAt: at(7, 12),
      place: null,
      onlineUrl: 'https://visio.ekitia.demo/commission-ethique',
      capacity: null,
      registrationDeadline: null,
      registered: ['analyste@sante-publique-france.demo'],
    },
    {
      organiser: 'ekitia',
      title: 'Réunion de lancement du réseau Confiance',
      kind: 'reunion',
      description: 'Présentation de l’espace de données, de la charte et du modèle économique aux membres fondateurs.',
      startsAt: at(-21, 14),
      endsAt: at(-21, 17),
      place: 'Cité de l’espace, Toulouse',
      onlineUrl: null,
      capacity: 80,
      registrationDeadline: null,
      registered: [],
    },
  ];
}

/**
 * Seeds the network's events relative to now through the same commands as the API (an atelier
 * Littoral 21 in Montpellier, a hackathon with few seats in Toulouse, a webinar of the ethics
 * commission, a past meeting). Idempotent: an event whose title exists is left as it is.
 * Returns how many events it created.
 */
export async function seedDemoEvents(ctx: Context): Promise<number> {
  const operator = await findUserByEmail(ctx.db, OPERATOR.email);
  let created = 0;
  for (const e of demoEvents()) {
    if (await ctx.db.selectFrom('events').select('id').where('title', '=', e.title).executeTakeFirst()) continue;
    const organisation = await findOrganisation(ctx.db, e.organiser);
    if (!organisation || !operator) continue;
    const row = await createEvent(ctx, { userId: operator.id }, organisation.id, {
      title: e.title,
      kind: e.kind,
      description: e.description,
      startsAt: e.startsAt,
      endsAt: e.endsAt,
      place: e.place,
      onlineUrl: e.onlineUrl,
      capacity: e.capacity,
      registrationDeadline: e.registrationDeadline,
      organisation: e.organiser,
    });
    created++;
    for (const email of e.registered) {
      const user = await findUserByEmail(ctx.db, email);
      if (user) await register(ctx, row.id, user.id);
    }
  }
  return created;
}

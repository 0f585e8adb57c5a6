import { connect } from '../../api';
import { formatDateTime, NONE, plural, print, printJson, table } from '../../output';

const KIND: Record<string, string> = { atelier: 'atelier', hackathon: 'hackathon', webinaire: 'webinaire', reunion: 'réunion' };

export async function eventsList(options: { past?: boolean; json?: boolean }): Promise<void> {
  const { client } = await connect();
  const list = await client.events.list({ when: options.past ? 'past' : 'upcoming' });
  if (options.json) {
    printJson(list);
    return;
  }
  if (list.items.length === 0) {
    print(options.past ? 'Aucun événement passé.' : 'Aucun événement à venir.');
    return;
  }
  print(
    table(list.items, [
      { header: 'ID', value: (e) => e.id },
      { header: 'Début', value: (e) => formatDateTime(e.startsAt) },
      { header: 'Type', value: (e) => KIND[e.kind] ?? e.kind },
      { header: 'Titre', value: (e) => (e.status === 'cancelled' ? `[annulé] ${e.title}` : e.title) },
      { header: 'Lieu', value: (e) => e.place ?? 'en ligne' },
      {
        header: 'Places',
        value: (e) => (e.seatsLeft === null ? 'illimitées' : e.seatsLeft === 0 ? 'complet' : `${e.seatsLeft} / ${e.capacity}`),
      },
      { header: 'Inscrit·e', value: (e) => (e.isRegistered ? 'oui' : NONE) },
    ]),
  );
  print(`\n${plural(list.total, 'événement')}. Agenda : « confiance events ics » (flux) ou « confiance events ics ID » (un événement).`);
}

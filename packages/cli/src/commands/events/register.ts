import { connect } from '../../api';
import { formatDateTime, print, printJson } from '../../output';

/** Registers for an event, or cancels the registration with --cancel. A full event answers 409 « complet ». */
export async function eventsRegister(id: string, options: { cancel?: boolean; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const event = options.cancel ? await client.events.unregister(id) : await client.events.register(id);
  if (options.json) {
    printJson(event);
    return;
  }
  print(
    options.cancel
      ? `Inscription annulée : ${event.title}.`
      : `Inscrit·e : ${event.title}, le ${formatDateTime(event.startsAt)}${event.place ? `, ${event.place}` : ''}.`,
  );
  if (event.seatsLeft !== null) print(`Places restantes : ${event.seatsLeft} sur ${event.capacity}.`);
}

import { connect } from '../../api';
import { print, printBytes } from '../../output';
import { fetchFile, writeDownload } from '../billing/billing';

/**
 * An event's iCalendar file, or the feed of upcoming events without an id: written to --output
 * (a file or a folder) or, without it, to standard output (to pipe into a calendar tool).
 */
export async function eventsIcs(id: string | undefined, options: { output?: string; force?: boolean }): Promise<void> {
  const api = await connect();
  const file = await fetchFile(api, api.client.events.icsUrl(id), 'text/calendar');
  if (!options.output) {
    printBytes(file.data);
    return;
  }
  const saved = await writeDownload(
    file.data,
    options.output,
    file.suggested ?? (id ? `evenement-${id}.ics` : 'evenements.ics'),
    options.force,
  );
  print(`Enregistré : ${saved}.`);
}

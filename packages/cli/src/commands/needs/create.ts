import { connect } from '../../api';
import { note, print, printJson } from '../../output';
import { printNeed } from './need';

export interface NeedsCreateOptions {
  organisation: string;
  title: string;
  description: string;
  domain: string;
  territory?: string[];
  purpose: string;
  wantedBy?: string;
  json?: boolean;
}

/** A member posts the data its organisation lacks; providers answer on the board. */
export async function needsCreate(options: NeedsCreateOptions): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const need = await client.needs.create({
    organisation: options.organisation,
    title: options.title,
    description: options.description,
    domain: options.domain as never,
    territory: options.territory && options.territory.length > 0 ? options.territory : ['Occitanie'],
    purpose: options.purpose,
    wantedBy: options.wantedBy ?? null,
  });
  if (options.json) {
    printJson(need);
    return;
  }
  print(`Besoin « ${need.title} » publié.\n`);
  printNeed(need);
  note(
    `\nLes fournisseurs répondent avec : confiance needs answer ${need.id} --organisation … --dataset … | --plan AAAA-MM-JJ | --refuse "raison"`,
  );
}

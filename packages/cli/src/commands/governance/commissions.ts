import { connect } from '../../api';
import { details, formatDay, NONE, plural, print, printJson, table } from '../../output';
import { voteState } from './governance';

const ROLE = { chair: 'présidence', member: 'membre' } as const;

export async function commissionsList(options: { json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const list = await client.commissions.list();
  if (options.json) {
    printJson(list);
    return;
  }
  print(
    table(list.items, [
      { header: 'Slug', value: (c) => c.slug },
      { header: 'Commission', value: (c) => c.name },
      { header: 'Membres', value: (c) => String(c.membersCount) },
      { header: 'Votes en cours', value: (c) => String(c.openVotes) },
      { header: 'Votre rôle', value: (c) => (c.myRole ? ROLE[c.myRole] : NONE) },
    ]),
  );
}

export async function commissionsShow(slug: string, options: { json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const c = await client.commissions.get(slug);
  if (options.json) {
    printJson(c);
    return;
  }
  print(c.name);
  print(
    details([
      ['Slug', c.slug],
      ['Mandat', c.description],
      ['Votre rôle', c.myRole ? ROLE[c.myRole] : NONE],
    ]),
  );
  print(`\n${plural(c.members.length, 'membre')} :`);
  for (const m of c.members) print(`  ${m.name}${m.organisation ? ` (${m.organisation.name})` : ''} — ${ROLE[m.role]}`);
  if (c.agenda.length > 0) {
    print('\nOrdre du jour :');
    for (const a of c.agenda) print(`  ${formatDay(a.date)} — ${a.title}`);
  }
  if (c.documents.length > 0) {
    print('\nDocuments :');
    for (const d of c.documents) print(`  ${d.title}${d.url ? ` <${d.url}>` : ''}${d.sha256 ? ` (SHA-256 ${d.sha256})` : ''}`);
  }
  if (c.votes.length > 0) {
    print('\nVotes :');
    print(
      table(c.votes, [
        { header: 'ID', value: (v) => v.id },
        { header: 'Question', value: (v) => v.question },
        { header: 'État', value: (v) => voteState(v) },
      ]),
    );
  }
}

import { connect } from '../../api';
import { CliError } from '../../errors';
import { print, printJson } from '../../output';
import { ask } from '../../prompt';
import { getDataset } from './dataset';

export async function datasetsWithdraw(ref: string, options: { reason: string; yes?: boolean; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const current = await getDataset(client, ref);
  if (!options.yes) {
    const answer = await ask(
      `Retirer « ${current.title.fr} » (${current.slug}) ? Plus personne n’obtiendra de nouvel accès à ses données. Tapez « oui » pour confirmer : `,
      '--yes',
    );
    if (!/^o(ui)?$/i.test(answer)) throw new CliError('Retrait annulé : rien n’a changé.');
  }
  const dataset = await client.datasets.withdraw(current.id, options.reason);
  if (options.json) {
    printJson(dataset);
    return;
  }
  print(`« ${dataset.title.fr} » (${dataset.slug}) est retiré : plus aucun nouvel accès à ses données n’est possible.`);
}

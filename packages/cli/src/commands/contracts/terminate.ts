import { connect } from '../../api';
import { CliError } from '../../errors';
import { print, printJson } from '../../output';
import { ask } from '../../prompt';
import { contractHint, getContract } from './contract';

/** Either party ends the contract, with a reason; it is final and effective on the very next request. */
export async function contractsTerminate(id: string, options: { reason: string; yes?: boolean; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  if (!options.yes) {
    const current = await getContract(client, id);
    const answer = await ask(
      `Résilier le contrat sur « ${current.dataset.title} » entre ${current.provider.name} et ${current.consumer.name} ? C’est définitif : l’accès cesse dès la requête suivante. Tapez « oui » pour confirmer : `,
      '--yes',
    );
    if (!/^o(ui)?$/i.test(answer)) throw new CliError('Résiliation annulée : rien n’a changé.');
  }
  let contract;
  try {
    contract = await client.contracts.terminate(id, options.reason);
  } catch (error) {
    throw contractHint(error, id);
  }
  if (options.json) printJson(contract);
  else
    print(
      `Contrat résilié : plus aucun accès à « ${contract.dataset.title} » à ce titre. Motif : ${contract.terminationReason ?? options.reason}`,
    );
}

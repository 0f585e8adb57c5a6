import { connect } from '../../api';
import { UsageError } from '../../errors';
import { formatDay, print, printJson } from '../../output';
import { contractHint } from './contract';

/** The other party accepts a proposed amendment (the contract moves to a new version) or rejects it. */
export async function contractsAmendment(
  id: string,
  amendment: string,
  options: { accept?: boolean; reject?: boolean; reason?: string; json?: boolean },
): Promise<void> {
  if (options.accept === options.reject) throw new UsageError('Répondez à l’avenant avec --accept ou avec --reject (l’un des deux).');
  const accept = options.accept === true;
  const { client } = await connect({ requireAuth: true });
  let contract;
  try {
    contract = await client.contracts.decideAmendment(id, amendment, { accept, reason: options.reason ?? null });
  } catch (error) {
    throw contractHint(error, id);
  }
  if (options.json) printJson(contract);
  else if (accept)
    print(`Avenant accepté : le contrat passe en version ${contract.version}, valide jusqu’au ${formatDay(contract.validUntil)}.`);
  else print(`Avenant refusé : le contrat reste en version ${contract.version}.`);
}

import { connect } from '../../api';
import { formatDay, print, printJson } from '../../output';
import { contractHint } from './contract';

export async function contractsResume(id: string, options: { reason: string; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  let contract;
  try {
    contract = await client.contracts.resume(id, options.reason);
  } catch (error) {
    throw contractHint(error, id);
  }
  if (options.json) printJson(contract);
  else print(`Contrat repris : l’accès à « ${contract.dataset.title} » est rétabli jusqu’au ${formatDay(contract.validUntil)}.`);
}

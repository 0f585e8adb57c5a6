import { connect } from '../../api';
import { print, printJson } from '../../output';
import { contractHint } from './contract';

/** Suspension is immediate: the next request under the contract is refused until it is resumed. */
export async function contractsSuspend(id: string, options: { reason: string; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  let contract;
  try {
    contract = await client.contracts.suspend(id, options.reason);
  } catch (error) {
    throw contractHint(error, id);
  }
  if (options.json) printJson(contract);
  else print(`Contrat suspendu : ${contract.consumer.name} n’a plus accès à « ${contract.dataset.title} » jusqu’à sa reprise.`);
}

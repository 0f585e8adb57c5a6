import { connect } from '../../api';
import { print, printJson } from '../../output';
import { decisionHint } from './request';

/** The requester withdraws a request still waiting for a decision. */
export async function requestsWithdraw(id: string, options: { reason: string; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  let request;
  try {
    request = await client.requests.withdraw(id, options.reason);
  } catch (error) {
    throw decisionHint(error, id, 'withdraw');
  }
  if (options.json) {
    printJson(request);
    return;
  }
  print(`Demande retirée : ${request.provider.name} n’a plus à la traiter.`);
}

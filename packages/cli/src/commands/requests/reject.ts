import { connect } from '../../api';
import { print, printJson } from '../../output';
import { decisionHint } from './request';

/** The provider refuses, with a reason the requester reads. */
export async function requestsReject(id: string, options: { reason: string; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  let request;
  try {
    request = await client.requests.reject(id, options.reason);
  } catch (error) {
    throw decisionHint(error, id, 'reject');
  }
  if (options.json) {
    printJson(request);
    return;
  }
  print(`Demande de ${request.consumer.name} refusée ; le motif lui est communiqué : ${request.reason ?? options.reason}`);
}

import { connect } from '../../api';
import { note, print, printJson } from '../../output';
import { decisionHint, nextStep, outcomeLine } from './request';

/**
 * The provider approves: the contract is concluded, unless the charter or the offer also asks the
 * ethics commission, which then examines the request.
 */
export async function requestsApprove(id: string, options: { reason?: string; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  let request;
  try {
    request = await client.requests.approve(id, options.reason ?? null);
  } catch (error) {
    throw decisionHint(error, id, 'approve');
  }
  if (options.json) {
    printJson(request);
    return;
  }
  print(outcomeLine(request));
  const next = nextStep(request);
  if (next) note(next);
}

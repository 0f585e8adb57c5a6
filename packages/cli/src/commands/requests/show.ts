import { connect } from '../../api';
import { printJson } from '../../output';
import { getRequest, printRequest } from './request';

export async function requestsShow(id: string, options: { json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const request = await getRequest(client, id);
  if (options.json) printJson(request);
  else printRequest(request);
}

import { connect } from '../../api';
import { printJson } from '../../output';
import { printNeed } from './need';

export async function needsShow(id: string, options: { json?: boolean }): Promise<void> {
  const { client } = await connect();
  const need = await client.needs.get(id);
  if (options.json) printJson(need);
  else printNeed(need);
}

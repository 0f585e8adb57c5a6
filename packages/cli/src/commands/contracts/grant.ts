import { connect } from '../../api';
import { print, printJson } from '../../output';
import { contractHint, printGrant } from './contract';

/** What the access module enforces for an active contract: uses, columns, rows, aggregation, quota, validity, people. */
export async function contractsGrant(id: string, options: { json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  let grant;
  try {
    grant = await client.contracts.grant(id);
  } catch (error) {
    throw contractHint(error, id);
  }
  if (options.json) {
    printJson(grant);
    return;
  }
  print(`Accès accordé par le contrat ${grant.contract} sur ${grant.dataset} :`);
  printGrant(grant);
}

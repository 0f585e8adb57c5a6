import { connect } from '../../api';
import { UsageError } from '../../errors';
import { print, printJson } from '../../output';
import { getContract, printContract } from './contract';

/** A contract for people; `--agreement` prints its ODRL Agreement, `--jws` the agreement as the node signed it. */
export async function contractsShow(id: string, options: { agreement?: boolean; jws?: boolean; json?: boolean }): Promise<void> {
  if (options.agreement && options.jws) throw new UsageError('--agreement et --jws s’excluent : choisissez l’accord ODRL ou sa signature.');
  const { client } = await connect({ requireAuth: true });
  const contract = await getContract(client, id);
  if (options.agreement) printJson(contract.agreement);
  else if (options.jws) print(contract.jws);
  else if (options.json) printJson(contract);
  else printContract(contract);
}

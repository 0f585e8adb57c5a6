import { connect } from '../../api';
import { UsageError } from '../../errors';
import { note, print, printJson } from '../../output';
import { contractHint } from './contract';

/** One party proposes a new version of the contract; it takes effect once the other party accepts it. */
export async function contractsAmend(
  id: string,
  options: { duration?: number; latestOffer?: boolean; reason: string; json?: boolean },
): Promise<void> {
  if (options.duration === undefined && !options.latestOffer)
    throw new UsageError(
      'Proposez une nouvelle durée (--duration N) ou les conditions actuelles de l’offre (--latest-offer), ou les deux.',
    );
  const { client } = await connect({ requireAuth: true });
  let contract;
  try {
    contract = await client.contracts.amend(id, {
      durationMonths: options.duration ?? null,
      latestOffer: options.latestOffer === true,
      reason: options.reason,
    });
  } catch (error) {
    throw contractHint(error, id);
  }
  if (options.json) {
    printJson(contract);
    return;
  }
  const amendment = contract.pendingAmendment;
  const changes = [
    options.duration !== undefined ? `durée de ${options.duration} mois` : null,
    options.latestOffer ? 'conditions actuelles de l’offre' : null,
  ].filter(Boolean);
  print(
    `Avenant proposé : ${changes.join(' et ')}. Le contrat reste en version ${contract.version} tant que l’autre partie ne l’a pas accepté.`,
  );
  if (amendment) {
    print(`Avenant ${amendment.id}`);
    note(`L’autre partie répond avec : confiance contracts amendment ${contract.id} ${amendment.id} --accept (ou --reject --reason …)`);
  }
}

import { connect } from '../../api';
import { print, printJson } from '../../output';
import { getOffer, offerHint } from './offer';

export async function offersRetire(id: string, options: { reason: string; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const current = await getOffer(client, id);
  let offer;
  try {
    offer = await client.offers.retire(current.id, options.reason);
  } catch (error) {
    throw offerHint(error);
  }
  if (options.json) {
    printJson(offer);
    return;
  }
  print(`Offre « ${offer.title} » retirée : elle ne peut plus être demandée ; les contrats déjà conclus continuent.`);
}

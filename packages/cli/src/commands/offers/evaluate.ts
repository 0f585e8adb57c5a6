import { AGREEMENT_LABEL, type DataUse } from '@confiance/contract';
import { connect } from '../../api';
import { printJson } from '../../output';
import { MARK, exitWithOutcome, printDecision } from '../policies/decision';
import { getOffer, offerHint } from './offer';

export interface OffersEvaluateOptions {
  organisation: string;
  purpose: string;
  duration: number;
  use?: DataUse;
  project?: string;
  json?: boolean;
}

/**
 * The decision preview, computed by the node: would this organisation, purpose and duration satisfy
 * the offer? Exit code 0 when it would be permitted, 3 when denied.
 */
export async function offersEvaluate(id: string, options: OffersEvaluateOptions): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const offer = await getOffer(client, id);
  let decision;
  try {
    decision = await client.offers.evaluate(offer.id, {
      organisation: options.organisation,
      purpose: options.purpose,
      durationMonths: options.duration,
      ...(options.use ? { use: options.use } : {}),
      project: options.project ?? null,
    });
  } catch (error) {
    throw offerHint(error);
  }
  if (options.json) printJson(decision);
  else
    printDecision(decision, [
      `Charte : ${MARK[decision.charter.state]} ${decision.charter.reason}`,
      `Accord : ${AGREEMENT_LABEL[decision.agreement]}${decision.outcome === 'permit' ? ' (ce qui suivrait une demande)' : ''}`,
    ]);
  exitWithOutcome(decision);
}

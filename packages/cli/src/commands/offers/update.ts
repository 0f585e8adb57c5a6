import { datasetFacts, templateDefaults, type OfferUpdateInput } from '@confiance/contract';
import { connect } from '../../api';
import { UsageError } from '../../errors';
import { print, printJson } from '../../output';
import { showPolicyIssues } from '../policies/decision';
import { policyFile, type OfferFlags } from './create';
import { getOffer, offerHint } from './offer';
import { printOffer } from './show';
import { applyTermFlags, givenTermFlags } from './terms';

/**
 * Changes an offer with the same flags as `create`. Term flags start from the offer's current form;
 * --template another template starts from that template's defaults for the dataset. An offer whose
 * policy was written by hand has no form: change it with --policy, or start again from a template.
 */
export async function offersUpdate(id: string, flags: OfferFlags): Promise<void> {
  const termFlags = givenTermFlags(flags);
  if (flags.policy !== undefined && (termFlags.length > 0 || flags.template !== undefined))
    throw new UsageError(
      `Avec --policy, la politique dit tout : retirez ${[...(flags.template !== undefined ? ['--template'] : []), ...termFlags].join(', ')}.`,
    );
  const policy = flags.policy !== undefined ? await policyFile(flags.policy) : undefined;

  const { client } = await connect({ requireAuth: true });
  const offer = await getOffer(client, id);
  const patch: OfferUpdateInput = {
    ...(flags.title !== undefined ? { title: flags.title } : {}),
    ...(flags.description !== undefined ? { description: flags.description === '' ? null : flags.description } : {}),
    ...(flags.agreement !== undefined ? { agreement: flags.agreement } : {}),
    ...(policy ? { policy } : {}),
  };
  if (flags.template !== undefined || termFlags.length > 0) {
    let base = offer.terms;
    if (flags.template !== undefined && flags.template !== offer.terms?.template) {
      base = templateDefaults(flags.template, datasetFacts(await client.datasets.get(offer.dataset.id)));
    }
    if (!base)
      throw new UsageError(
        'Cette offre a une politique écrite à la main, sans formulaire : modifiez-la avec --policy FICHIER.jsonld, ou repartez d’un modèle avec --template.',
      );
    patch.terms = applyTermFlags(base, flags);
  }
  if (Object.keys(patch).length === 0)
    throw new UsageError('Rien à modifier : donnez --title, --description, --agreement, --template, une option du formulaire ou --policy.');
  let updated;
  try {
    updated = await client.offers.update(offer.id, patch);
  } catch (error) {
    throw offerHint(showPolicyIssues(error));
  }
  if (flags.json) {
    printJson(updated);
    return;
  }
  print(`Offre « ${updated.title} » modifiée (version ${updated.version}).\n`);
  printOffer(updated);
}

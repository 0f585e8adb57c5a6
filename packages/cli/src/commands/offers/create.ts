import {
  OFFER_TEMPLATES,
  TEMPLATE_LABEL,
  datasetFacts,
  minimumAgreement,
  templateDefaults,
  type AgreementMode,
  type CharterRules,
  type OfferInput,
} from '@confiance/contract';
import { connect } from '../../api';
import { UsageError } from '../../errors';
import { note, print, printJson } from '../../output';
import { getDataset } from '../datasets/dataset';
import { readJson } from '../ledger/files';
import { currentCharter } from '../charter/rules';
import { showPolicyIssues } from '../policies/decision';
import { offerHint } from './offer';
import { printOffer } from './show';
import { applyTermFlags, givenTermFlags, type TermFlags } from './terms';

export interface OfferFlags extends TermFlags {
  title?: string;
  description?: string;
  agreement?: AgreementMode;
  policy?: string;
  json?: boolean;
}

/** Before any charter is published, the node asks no more than the dataset's own level does. */
const NO_CHARTER: CharterRules = {
  signatureRequired: false,
  personalDataAggregateOnly: false,
  personalDataEthicsReview: false,
  prohibitedActions: [],
  favouredPurposes: [],
};

/** The expert form: an ODRL policy read from a file, sent as it is (the node checks it). */
export async function policyFile(file: string): Promise<Record<string, unknown>> {
  const json = await readJson(file, 'la politique');
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new UsageError(`${file} doit contenir une politique ODRL : un objet JSON-LD avec "@context", "@type": "Offer"…`);
  return json as Record<string, unknown>;
}

/**
 * A steward attaches an offer to a dataset: from a template (its defaults for this dataset, then
 * the flags), or from an ODRL policy file. The agreement defaults to the least the dataset and the
 * charter allow (an ethics review for personal data, the provider's approval for a restricted one).
 */
export async function offersCreate(dataset: string, flags: OfferFlags): Promise<void> {
  const termFlags = givenTermFlags(flags);
  if (flags.policy === undefined && flags.template === undefined)
    throw new UsageError(`Choisissez un modèle (--template ${OFFER_TEMPLATES.join('|')}) ou une politique (--policy FICHIER.jsonld).`);
  if (flags.policy !== undefined && termFlags.length > 0)
    throw new UsageError(`Avec --policy, la politique dit tout : retirez ${termFlags.join(', ')} (ou partez d’un modèle avec --template).`);
  if (flags.policy !== undefined) {
    const missing = [flags.title === undefined ? '--title' : null, flags.agreement === undefined ? '--agreement' : null].filter(Boolean);
    if (missing.length > 0) throw new UsageError(`Avec --policy, donnez aussi ${missing.join(' et ')}.`);
  }
  const policy = flags.policy !== undefined ? await policyFile(flags.policy) : undefined;

  const { client } = await connect({ requireAuth: true });
  const d = await getDataset(client, dataset);
  let input: OfferInput;
  if (policy) {
    input = { title: flags.title!, description: flags.description ?? null, agreement: flags.agreement!, policy };
  } else {
    const template = flags.template!;
    const facts = datasetFacts(d);
    const charter = await currentCharter(client);
    const terms = applyTermFlags(templateDefaults(template, facts), flags);
    input = {
      title: flags.title ?? TEMPLATE_LABEL[template],
      description: flags.description ?? null,
      agreement: flags.agreement ?? minimumAgreement(facts, charter?.rules ?? NO_CHARTER),
      terms,
    };
  }
  let offer;
  try {
    offer = await client.offers.create(d.id, input);
  } catch (error) {
    throw offerHint(showPolicyIssues(error));
  }
  if (flags.json) {
    printJson(offer);
    return;
  }
  print(`Offre « ${offer.title} » créée sur « ${d.title.fr} » (${d.slug}).\n`);
  printOffer(offer);
  note(`\nSa politique ODRL : confiance offers show ${offer.id} --policy`);
}

import { AGREEMENT_LABEL, TEMPLATE_LABEL, type OfferView } from '@confiance/contract';
import { connect } from '../../api';
import { ACCESS_LEVEL_LABELS, DATA_USE_LABELS, LICENCE_LABELS, OFFER_STATUS_LABELS, label, labels } from '../../labels';
import { details, formatDay, print, printJson } from '../../output';
import { RULE_KIND_LABELS } from '../policies/decision';
import { getOffer } from './offer';

/** An offer for people; `--policy` prints its ODRL policy (JSON-LD) instead, as the node stores it. */
export async function offersShow(id: string, options: { policy?: boolean; json?: boolean }): Promise<void> {
  const { client } = await connect();
  const offer = await getOffer(client, id);
  if (options.policy) printJson(offer.policy);
  else if (options.json) printJson(offer);
  else printOffer(offer);
}

export function printOffer(offer: OfferView): void {
  const d = offer.dataset;
  print(
    details([
      ['Titre', offer.title],
      ['Identifiant', offer.id],
      ['URI', offer.uri],
      ['Jeu de données', `${d.title} (${d.slug}) — ${label(ACCESS_LEVEL_LABELS, d.accessLevel)}, ${label(LICENCE_LABELS, d.licence)}`],
      ['Fournisseur', `${offer.provider.name} (${offer.provider.slug})`],
      ['Modèle', offer.template ? TEMPLATE_LABEL[offer.template] : 'aucun : politique ODRL écrite à la main'],
      ['Accord', AGREEMENT_LABEL[offer.agreement]],
      ['Usages', labels(DATA_USE_LABELS, offer.uses)],
      ['Tarif', [offer.price.summary, ...offer.price.details].join(' ; ')],
      ['Statut', `${label(OFFER_STATUS_LABELS, offer.status)}${offer.retiredReason ? ` — ${offer.retiredReason}` : ''}`],
      ['Version', String(offer.version)],
      ['Créée le', formatDay(offer.createdAt)],
      ['Modifiée le', formatDay(offer.updatedAt)],
    ]),
  );
  if (offer.description) print(`\n${offer.description}`);
  print('\nRègles :');
  for (const rule of offer.rules) {
    print(`  ${RULE_KIND_LABELS[rule.kind] ?? rule.kind} : ${rule.actionLabel}`);
    for (const c of rule.constraints) print(`    - ${c}`);
    for (const duty of rule.duties) print(`    - obligation : ${duty}`);
  }
}

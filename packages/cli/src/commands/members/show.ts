import { ApiError } from '@confiance/contract';
import { connect } from '../../api';
import { CATEGORY_LABELS, DOMAIN_LABELS, STATUS_LABELS, label, labels } from '../../labels';
import { details, formatDay, print, printJson } from '../../output';

export async function membersShow(member: string, options: { json?: boolean }): Promise<void> {
  const { client } = await connect();
  let org;
  try {
    org = await client.members.get(member);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_found') {
      throw new ApiError(
        error.status,
        error.code,
        `Membre « ${member} » introuvable : cherchez-le avec « confiance members list --search … ».`,
        error.details,
        error.requestId,
      );
    }
    throw error;
  }
  if (options.json) {
    printJson(org);
    return;
  }
  const address = [org.address, [org.postcode, org.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  print(
    details([
      ['Nom', org.shortName],
      ['Raison sociale', org.legalName],
      ['Slug', org.slug],
      ['Identifiant', org.id],
      ['Catégorie', label(CATEGORY_LABELS, org.category)],
      ['Statut', label(STATUS_LABELS, org.status)],
      ['SIREN', org.siren],
      ['SIRET', org.siret],
      ['TVA', org.vatNumber],
      ['Code NAF', org.nafCode],
      ['Adresse', address],
      ['Site web', org.website],
      ['Domaines', org.domains.length ? labels(DOMAIN_LABELS, org.domains) : null],
      ['Personnes', String(org.memberCount)],
      ['Membre depuis', formatDay(org.createdAt)],
      ['URI', org.uri],
      ['Code Chorus Pro', org.chorusServiceCode],
    ]),
  );
  if (org.description) print(`\n${org.description}`);
}

import type { CharterSignatureView } from '@confiance/contract';
import { connect } from '../../api';
import { CATEGORY_LABELS, label } from '../../labels';
import { NONE, formatDay, plural, print, printJson, table } from '../../output';

function state(s: CharterSignatureView): string {
  if (s.current) return 'à jour';
  return s.signedVersion ? `à renouveler (${s.signedVersion} signée)` : 'non signée';
}

export async function charterStatus(options: { json?: boolean }): Promise<void> {
  const { client } = await connect();
  const list = await client.charter.signatures();
  if (options.json) {
    printJson(list);
    return;
  }
  if (list.currentVersion === null) {
    print('Aucune charte éthique n’est publiée sur ce nœud : l’opérateur la publie avec « confiance charter publish --file charte.json ».');
    return;
  }
  if (list.items.length === 0) {
    print(`Charte en vigueur : version ${list.currentVersion}. Aucune organisation membre.`);
    return;
  }
  print(
    table(list.items, [
      { header: 'Organisation', value: (s) => s.organisation.slug },
      { header: 'Nom', value: (s) => s.organisation.name },
      { header: 'Catégorie', value: (s) => label(CATEGORY_LABELS, s.organisation.category) },
      { header: 'Version signée', value: (s) => s.signedVersion ?? NONE },
      { header: 'Signée le', value: (s) => (s.signedAt ? formatDay(s.signedAt) : NONE) },
      { header: 'État', value: state },
    ]),
  );
  const signed = list.items.filter((s) => s.current).length;
  print(`\nCharte en vigueur : version ${list.currentVersion} — signée par ${signed} sur ${plural(list.items.length, 'organisation')}.`);
  const mine = list.items.filter((s) => s.canSign && !s.current);
  for (const s of mine) print(`Vous pouvez la signer pour ${s.organisation.name} : confiance charter sign ${s.organisation.slug}`);
}

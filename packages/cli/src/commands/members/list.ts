import type { DOMAINS, OrganisationCategory } from '@confiance/contract';
import { connect } from '../../api';
import { CATEGORY_LABELS, DOMAIN_LABELS, label, labels } from '../../labels';
import { NONE, plural, print, printJson, table } from '../../output';

export interface MembersListOptions {
  search?: string;
  category?: OrganisationCategory;
  domain?: (typeof DOMAINS)[number];
  limit?: number;
  offset?: number;
  json?: boolean;
}

export async function membersList(options: MembersListOptions): Promise<void> {
  const { client } = await connect();
  const page = await client.members.list({
    ...(options.search !== undefined ? { q: options.search } : {}),
    ...(options.category ? { category: options.category } : {}),
    ...(options.domain ? { domain: options.domain } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.offset !== undefined ? { offset: options.offset } : {}),
  });
  if (options.json) {
    printJson(page);
    return;
  }
  if (page.items.length === 0) {
    print(
      page.total ? `Aucun membre sur cette page (${plural(page.total, 'membre')} en tout).` : 'Aucun membre ne correspond à ces critères.',
    );
    return;
  }
  print(
    table(page.items, [
      { header: 'Slug', value: (o) => o.slug },
      { header: 'Nom', value: (o) => o.shortName },
      { header: 'Catégorie', value: (o) => label(CATEGORY_LABELS, o.category) },
      { header: 'Ville', value: (o) => o.city ?? NONE },
      { header: 'Domaines', value: (o) => (o.domains.length ? labels(DOMAIN_LABELS, o.domains) : NONE) },
      { header: 'Personnes', value: (o) => String(o.memberCount), align: 'right' },
    ]),
  );
  if (page.items.length < page.total) {
    const first = (options.offset ?? 0) + 1;
    print(
      `\n${first}–${first + page.items.length - 1} sur ${plural(page.total, 'membre')} : --offset ${first - 1 + page.items.length} pour la suite.`,
    );
  } else {
    print(`\n${plural(page.total, 'membre')}.`);
  }
}

import type { OrgRole } from '@confiance/contract';

/**
 * The demo's fictional people. Every account uses DEMO_PASSWORD; e-mail domains end in `.demo`,
 * which is not a real top-level domain, so no demo mail can reach anyone.
 */
export const DEMO_PASSWORD = 'Confiance-demo-2026';

export const OPERATOR = { email: 'operateur@ekitia.demo', displayName: 'Odile Laurent' } as const;
export const ETHICS_MEMBER = { email: 'ethique@ekitia.demo', displayName: 'Étienne Roux' } as const;

const FIRST_NAMES = [
  'Camille',
  'Lucas',
  'Manon',
  'Hugo',
  'Léa',
  'Nathan',
  'Chloé',
  'Théo',
  'Inès',
  'Louis',
  'Jade',
  'Raphaël',
  'Sarah',
  'Arthur',
  'Emma',
  'Jules',
  'Zoé',
  'Gabriel',
  'Lina',
  'Paul',
];
const LAST_NAMES = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefebvre',
  'Michel',
  'Garcia',
  'David',
  'Bertrand',
  'Roux',
  'Vincent',
  'Fournier',
];

/** Publishers get a data steward; everyone gets an admin and an analyst. */
const PUBLISHERS = new Set([
  'tisseo-collectivites',
  'montpellier-mediterranee-metropole',
  'atmo-occitanie',
  'sante-publique-france',
  'insee',
  'atout-france',
  'ign',
  'meteo-france',
  'region-occitanie',
  'toulouse-metropole',
]);

export interface DemoPerson {
  email: string;
  displayName: string;
  role: OrgRole;
}

const ROLE_MAILBOX: Record<OrgRole, string> = { org_admin: 'admin', data_steward: 'donnees', analyst: 'analyste' };

export function peopleOf(slug: string, index: number): DemoPerson[] {
  const roles: OrgRole[] = PUBLISHERS.has(slug) ? ['org_admin', 'data_steward', 'analyst'] : ['org_admin', 'analyst'];
  return roles.map((role, i) => ({
    email: `${ROLE_MAILBOX[role]}@${slug}.demo`,
    displayName: `${FIRST_NAMES[(index * 3 + i) % FIRST_NAMES.length]} ${LAST_NAMES[(index * 7 + i * 3) % LAST_NAMES.length]}`,
    role,
  }));
}

/** Data domains of each demo organisation (demo configuration, not registry data). */
export const DOMAINS_BY_ORG: Record<string, string[]> = {
  'region-occitanie': ['territory', 'economy', 'tourism'],
  'toulouse-metropole': ['mobility', 'territory'],
  'montpellier-mediterranee-metropole': ['mobility', 'environment'],
  'meteo-france': ['climate'],
  cnes: ['space', 'environment'],
  airbus: ['space'],
  orange: ['digital'],
  qwant: ['digital'],
  atos: ['digital'],
  'agropolis-international': ['research', 'environment'],
  'aerospace-valley': ['space', 'economy'],
  'universite-de-toulouse': ['research'],
  'universite-de-montpellier': ['research', 'health'],
  'tisseo-collectivites': ['mobility'],
  'atmo-occitanie': ['environment'],
  'sante-publique-france': ['health'],
  insee: ['economy', 'territory'],
  'atout-france': ['tourism'],
  ign: ['territory'],
  ekitia: ['digital', 'research'],
};

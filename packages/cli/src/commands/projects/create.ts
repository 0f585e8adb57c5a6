import { ApiError, PARTNER_ROLES, type CatalogDomain, type PartnerRole } from '@confiance/contract';
import { connect } from '../../api';
import { note, print, printJson } from '../../output';
import { printProject } from './project';

export interface ProjectsCreateOptions {
  title: string;
  purpose: string;
  lead: string;
  /** `slug` or `slug:role` (role: data_provider, data_user, partner). */
  partner?: string[];
  description?: string;
  objective?: string;
  domain?: CatalogDomain[];
  territory?: string[];
  status?: 'idea' | 'setup' | 'running';
  json?: boolean;
}

/** `atout-france:data_provider` → an invitation with that role; a bare slug is a partner. */
export function partnerRef(value: string): { organisation: string; role: PartnerRole } {
  const [organisation = '', role = 'partner'] = value.split(':');
  if (!(PARTNER_ROLES as readonly string[]).includes(role)) {
    throw new Error(`rôle « ${role} » inconnu pour ${organisation} : ${PARTNER_ROLES.join(', ')}`);
  }
  return { organisation, role: role as PartnerRole };
}

/**
 * An org admin of the lead organisation declares a project: a contract can then be assigned to it.
 * The partners named are invited: each becomes a party once its admin accepts
 * (« confiance projects members PROJET accept ORGANISATION »).
 */
export async function projectsCreate(options: ProjectsCreateOptions): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  let project;
  try {
    project = await client.projects.create({
      title: options.title,
      purpose: options.purpose,
      description: options.description ?? null,
      leadOrganisation: options.lead,
      partners: [...new Set(options.partner ?? [])].map(partnerRef),
      objective: options.objective ?? null,
      domains: options.domain ?? [],
      territory: options.territory ?? [],
      ...(options.status ? { status: options.status } : {}),
    });
  } catch (error) {
    throw projectHint(error);
  }
  if (options.json) {
    printJson(project);
    return;
  }
  print(`Projet « ${project.title} » créé.\n`);
  printProject(project);
  if (project.invited.length > 0)
    note(`\nInvitations envoyées : ${project.invited.map((o) => o.slug).join(', ')} (en attente de leur réponse).`);
  note(`\nDemander des données pour ce projet : confiance requests create OFFRE --organisation … --project ${project.id} …`);
}

function projectHint(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const hint: Partial<Record<string, string>> = {
    forbidden: 'Seul un administrateur de l’organisation porteuse (--lead) déclare un projet pour elle.',
    not_found: 'Vérifiez les slugs des organisations : « confiance members list ».',
  };
  const more = hint[error.code];
  return more
    ? new ApiError(error.status, error.code, `${error.message.replace(/\s*$/, '')} ${more}`, error.details, error.requestId)
    : error;
}

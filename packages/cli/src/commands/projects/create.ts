import { ApiError } from '@confiance/contract';
import { connect } from '../../api';
import { note, print, printJson } from '../../output';
import { printProject } from './project';

export interface ProjectsCreateOptions {
  title: string;
  purpose: string;
  lead: string;
  partner?: string[];
  description?: string;
  json?: boolean;
}

/**
 * An org admin of the lead organisation declares a project: a contract can then be assigned to it,
 * and every partner's authorised people use the data within the project's purpose.
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
      partners: [...new Set(options.partner ?? [])],
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

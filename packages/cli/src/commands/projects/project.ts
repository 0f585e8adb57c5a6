import { ApiError, type Client, type ProjectView } from '@confiance/contract';
import { details, formatDay, print } from '../../output';

/** A PROJECT argument (its id), with a not-found message that says where projects are listed. */
export async function getProject(client: Client, id: string): Promise<ProjectView> {
  try {
    return await client.projects.get(id);
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'not_found' || error.code === 'validation_failed'))
      throw new ApiError(
        error.status,
        error.code,
        `Projet « ${id} » introuvable : vos projets sont listés par « confiance projects list » (colonne ID).`,
        error.details,
        error.requestId,
      );
    throw error;
  }
}

const org = (o: { slug: string; name: string }) => `${o.name} (${o.slug})`;

export function printProject(project: ProjectView): void {
  print(
    details([
      ['Titre', project.title],
      ['Identifiant', project.id],
      ['Finalité', `${project.purposeLabel} (${project.purpose})`],
      ['Porteur', org(project.lead)],
      ['Partenaires', project.partners.length > 0 ? project.partners.map(org).join(', ') : 'aucun'],
      ['Créé le', formatDay(project.createdAt)],
    ]),
  );
  if (project.description) print(`\n${project.description}`);
}

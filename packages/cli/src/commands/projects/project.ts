import {
  ApiError,
  DELIVERABLE_KIND_LABELS,
  FUNDING_STATUS_LABELS,
  PROJECT_ROLE_LABELS,
  PROJECT_STATUS_LABELS,
  OCCITANIE_DEPARTEMENTS,
  type Client,
  type ProjectDetailView,
  type ProjectView,
} from '@confiance/contract';
import { details, formatDay, print, table } from '../../output';

/** A PROJECT argument (its id), with a not-found message that says where projects are listed. */
export async function getProject(client: Client, id: string): Promise<ProjectDetailView> {
  try {
    return await client.projects.get(id);
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'not_found' || error.code === 'validation_failed'))
      throw new ApiError(
        error.status,
        error.code,
        `Projet « ${id} » introuvable : les projets sont listés par « confiance projects list » (colonne ID).`,
        error.details,
        error.requestId,
      );
    throw error;
  }
}

const org = (o: { slug: string; name: string }) => `${o.name} (${o.slug})`;
const withRole = (o: ProjectView['partners'][number]) => `${org(o)} — ${PROJECT_ROLE_LABELS[o.role].toLowerCase()}`;

export function printProject(project: ProjectView): void {
  print(
    details([
      ['Titre', project.title],
      ['Identifiant', project.id],
      ['Statut', PROJECT_STATUS_LABELS[project.status]],
      ['Finalité', `${project.purposeLabel} (${project.purpose})`],
      ['Objectif', project.objective ?? '—'],
      ['Chef de file', org(project.lead)],
      ['Partenaires', project.partners.length > 0 ? project.partners.map(withRole).join(', ') : 'aucun'],
      ['Invitées', project.invited.length > 0 ? project.invited.map(withRole).join(', ') : 'aucune'],
      ['Domaines', project.domains.join(', ') || '—'],
      ['Territoire', project.territory.map((c) => `${OCCITANIE_DEPARTEMENTS[c] ?? c} (${c})`).join(', ') || '—'],
      ['Créé le', formatDay(project.createdAt)],
    ]),
  );
  if (project.description) print(`\n${project.description}`);
}

/** The full sheet: the project, its lists and its data flows. */
export function printProjectDetail(project: ProjectDetailView): void {
  printProject(project);
  if (project.milestones.length > 0) {
    print('\nJalons');
    print(
      table(project.milestones, [
        { header: 'Fait', value: (m) => (m.done ? 'oui' : 'non') },
        { header: 'Jalon', value: (m) => m.title },
        { header: 'Échéance', value: (m) => m.dueOn ?? '—' },
      ]),
    );
  }
  if (project.funding.length > 0) {
    print('\nFinancements');
    print(
      table(project.funding, [
        { header: 'Appel', value: (f) => f.call },
        { header: 'Financeur', value: (f) => f.funder },
        { header: 'Montant (€)', value: (f) => (f.amount === null ? '—' : String(f.amount)) },
        { header: 'État', value: (f) => FUNDING_STATUS_LABELS[f.status] },
      ]),
    );
  }
  if (project.deliverables.length > 0) {
    print('\nLivrables');
    print(
      table(project.deliverables, [
        { header: 'Livrable', value: (d) => d.title },
        { header: 'Nature', value: (d) => DELIVERABLE_KIND_LABELS[d.kind] },
        { header: 'Où', value: (d) => d.dataset?.slug ?? d.link ?? '—' },
        { header: 'Échéance', value: (d) => d.dueOn ?? '—' },
        { header: 'Livré le', value: (d) => d.deliveredOn ?? '—' },
      ]),
    );
  }
  const { flows } = project;
  print(
    `\nFlux de données : ${flows.requests.length} demande(s), ${flows.contracts.filter((c) => c.state === 'active').length} contrat(s) en vigueur, ${flows.queries} requête(s) exécutée(s).`,
  );
  if (flows.requests.length > 0)
    print(
      table(flows.requests, [
        { header: 'Demande', value: (r) => r.id },
        { header: 'Jeu de données', value: (r) => r.dataset.slug },
        { header: 'Fournisseur', value: (r) => r.provider.slug },
        { header: 'Demandeur', value: (r) => r.consumer.slug },
        { header: 'Étape', value: (r) => r.stage },
      ]),
    );
}

import fs from 'node:fs/promises';
import type { CatalogDomain, ProjectPatch, ProjectStatus } from '@confiance/contract';
import { connect } from '../../api';
import { print, printJson } from '../../output';
import { getProject, printProjectDetail } from './project';

export interface ProjectsUpdateOptions {
  title?: string;
  objective?: string;
  description?: string;
  purpose?: string;
  status?: ProjectStatus;
  domain?: CatalogDomain[];
  territory?: string[];
  /** A JSON file with `milestones`, `funding` and/or `deliverables` (each list given replaces the project's). */
  lists?: string;
  json?: boolean;
}

/** The lead's admin changes a project: fields, status (idée → montage → en cours → clos), lists. */
export async function projectsUpdate(id: string, options: ProjectsUpdateOptions): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  await getProject(client, id);
  let lists: Pick<ProjectPatch, 'milestones' | 'funding' | 'deliverables'> = {};
  if (options.lists) {
    const parsed = JSON.parse(await fs.readFile(options.lists, 'utf8')) as Record<string, unknown>;
    lists = Object.fromEntries(Object.entries(parsed).filter(([k]) => ['milestones', 'funding', 'deliverables'].includes(k)));
  }
  const patch: ProjectPatch = {
    ...(options.title !== undefined ? { title: options.title } : {}),
    ...(options.objective !== undefined ? { objective: options.objective || null } : {}),
    ...(options.description !== undefined ? { description: options.description || null } : {}),
    ...(options.purpose !== undefined ? { purpose: options.purpose } : {}),
    ...(options.status !== undefined ? { status: options.status } : {}),
    ...(options.domain !== undefined ? { domains: options.domain } : {}),
    ...(options.territory !== undefined ? { territory: options.territory } : {}),
    ...lists,
  };
  const project = await client.projects.update(id, patch);
  if (options.json) {
    printJson(project);
    return;
  }
  print(`Projet « ${project.title} » mis à jour.\n`);
  printProjectDetail(project);
}

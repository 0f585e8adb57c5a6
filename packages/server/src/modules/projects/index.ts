import type { FastifyInstance } from 'fastify';
import type { Context } from '../../platform/context';
import { projectsRoutes } from './routes';

/**
 * Projects: a lead organisation and partners it invites (each with a role) working on an
 * objective over a territory, through a lifecycle (idée → montage → en cours → clos), with
 * milestones, funding applications and deliverables. Requests and contracts made for a project
 * are its data flows; its accepted partners are parties to its contracts (the contracts module
 * asks `projectOrganisations`) and to its fair return (billing).
 */
export {
  createProject,
  updateProject,
  invitePartner,
  answerInvitation,
  removePartner,
  checkTransition,
  attachDataset,
  detachDataset,
  type Actor,
} from './commands';
export {
  findProject,
  listProjects,
  projectContracts,
  projectInvitations,
  projectOrganisations,
  projectPartners,
  type ProjectRow,
} from './repository';
export { presentProjectDatasets, presentProjectDetail, presentProjects } from './presenter';

export function registerProjects(app: FastifyInstance, ctx: Context): void {
  projectsRoutes(app, ctx);
}

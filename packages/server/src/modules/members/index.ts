/** Members: organisations, their people and roles, invitations. */
export { membersRoutes } from './routes';
export { admitOrganisation, updateOrganisation, deactivateOrganisation } from './commands/organisations';
export { inviteMember, acceptInvitation, changeMemberRole, removeMember } from './commands/memberships';
export { findOrganisation, listOrganisations } from './repository';

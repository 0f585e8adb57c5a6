/** Identity: users, passwords, sessions, API tokens. Other modules use only what is exported here. */
export { createAuthenticator, SESSION_COOKIE } from './authenticate';
export { attachCredentialCache } from './credential-cache';
export { identityRoutes } from './routes';
export { registerIdentityJobs } from './jobs';
export { createUser, createOperator, deactivateUser, endAllAccessOf } from './commands/users';
export { signIn } from './commands/sessions';
export { createApiToken } from './commands/tokens';
export { verifyPassword, hashPassword } from './passwords';
export { findUserByEmail, findUserById, principalOfUser, type UserRow } from './repository';
export { presentUser } from './presenter';

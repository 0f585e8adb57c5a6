/** The demo consortium: real organisations' identities, fictional people, one shared password. */
export { seedDemo, isDemoSeeded } from './seed';
export { DEMO_PASSWORD, OPERATOR as DEMO_OPERATOR, ETHICS_MEMBER as DEMO_ETHICS_MEMBER } from './people';
export { nodeInfoRoutes } from './routes';

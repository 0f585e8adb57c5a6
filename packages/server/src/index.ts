/** What the CLI and the tests use from the server package. */
export { buildApp } from './app';
export { startNode, databaseOptions } from './node';
export { loadConfig, ConfigError, type Config } from './platform/config';
export { openDatabase, migrate, type DatabaseHandle } from './platform/db/database';
export { seedDemo, DEMO_PASSWORD, DEMO_OPERATOR } from './modules/demo/index';
export { createOperator, findUserByEmail } from './modules/identity/index';

import { loadConfig, ConfigError } from './platform/config';
import { startNode } from './node';

// Reads the configuration and runs the node until a signal asks it to stop — nothing else.
try {
  const node = await startNode(loadConfig());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      node.app.log.info({ signal }, 'shutting down');
      void node.stop().then(() => process.exit(0));
    });
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

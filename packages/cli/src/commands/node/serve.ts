import { loadServer } from '../../server';
/** Runs the node until SIGINT or SIGTERM, exactly like packages/server/src/main.ts. */
export async function serve(): Promise<void> {
  // Loaded on demand: the remote verbs should not pay for Fastify, PGlite and friends at start-up.
  const { loadConfig, startNode } = await loadServer();
  const node = await startNode(loadConfig(process.env));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      node.app.log.info({ signal }, 'shutting down');
      node.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`Erreur : arrêt incomplet : ${error instanceof Error ? error.message : String(error)}\n`);
          process.exit(1);
        },
      );
    });
  }
}

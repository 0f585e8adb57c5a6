import type * as Server from '@confiance/server';

/**
 * The server package for the offline verbs (serve, migrate, seed-demo, admin), which open the
 * database themselves. It is TypeScript: run from the CLI's bundle, tsx must be registered first
 * (from sources, the bin already did it).
 */
export async function loadServer(): Promise<typeof Server> {
  if (!import.meta.url.endsWith('.ts')) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  return import('@confiance/server');
}

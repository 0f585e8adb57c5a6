import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, startNode } from '@confiance/server';
import type { TestProject } from 'vitest/node';

/**
 * Seeds the demo consortium once per run, in a data folder every journey then copies: seeding
 * (organisations, people, every demo dataset ingested, charter, offers, contracts) costs tens of
 * seconds, a copy of the folder well under one. Each journey still gets a node of its own, started
 * on its own copy, so none sees another's changes.
 */
export default async function setup(project: TestProject) {
  const started = performance.now();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-journey-template-'));
  const node = await startNode(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      CONFIANCE_DATA_DIR: dir,
      CONFIANCE_DEMO: 'true',
      CONFIANCE_LOG_LEVEL: 'warn',
      CONFIANCE_WEB_DIST: process.env.CONFIANCE_WEB_OUT ?? fileURLToPath(new URL('../dist/', import.meta.url)),
      // The same address every journey's node has: links and URIs in the seeded facts agree.
      CONFIANCE_BASE_URL: 'http://127.0.0.1:8080',
    }),
  );
  const deadline = Date.now() + 180_000;
  while (!node.app.confiance.readiness.ready) {
    if (Date.now() > deadline) throw new Error('the demo template node did not become ready in 180 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await node.stop();
  project.provide('demoTemplate', dir);
  console.log(`demo consortium seeded once for the journeys in ${Math.round(performance.now() - started)} ms`);
  return async () => {
    await fs.rm(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    demoTemplate: string;
  }
}

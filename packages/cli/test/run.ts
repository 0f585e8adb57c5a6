import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { testNode, type TestNode } from '../../server/test/harness';

/**
 * Runs the real CLI as a child process, as a user would. Asynchronously: the node under test
 * answers from the test's own process, which must keep running meanwhile.
 */
export const BIN = path.resolve(import.meta.dirname, '../bin/confiance.mjs');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Only what the CLI needs: no CONFIANCE_TOKEN or DATABASE_URL leaking in from the developer's shell. */
export function baseEnv(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), TZ: 'Europe/Paris' };
}

export function run(args: string[], env: Record<string, string>, input = '', cwd?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/**
 * A node listening on a free port of this machine, a fresh home folder for the CLI's stored
 * credentials, and the environment that points the CLI at both: what every test of the CLI against
 * a running node starts from. `options.env` configures the node (not the CLI).
 */
export async function listeningNode(
  prefix: string,
  options: { env?: Record<string, string> } = {},
): Promise<{ node: TestNode; home: string; env: Record<string, string> }> {
  const node = await testNode('pglite', options.env ? { env: options.env } : {});
  await node.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = node.app.server.address() as net.AddressInfo;
  const home = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  return { node, home, env: { ...baseEnv(home), CONFIANCE_URL: `http://127.0.0.1:${port}` } };
}

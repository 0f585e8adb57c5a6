import { spawn } from 'node:child_process';
import path from 'node:path';

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

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, baseEnv, run } from './run';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntilReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('serve never became ready');
}

describe('confiance on the node’s own machine (offline verbs, fresh PGlite)', () => {
  let home: string;
  let env: Record<string, string>;
  const operator = { email: 'Premiere.Operatrice@Example.org', password: 'une phrase de passe assez longue' };

  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-cli-node-'));
    env = { ...baseEnv(home), CONFIANCE_DATA_DIR: path.join(home, 'data'), CONFIANCE_DEMO: 'false', CONFIANCE_LOG_LEVEL: 'warn' };
  });
  afterAll(async () => {
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('migrate applies the migrations once, then has nothing to do', async () => {
    const first = await run(['migrate'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('20261128160000_members_identity');
    expect(first.stdout).toContain(path.join(home, 'data', 'pglite'));
    const again = await run(['migrate', '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ database: 'pglite', applied: [] });
  }, 60_000);

  it('admin create-operator refuses a short password before touching the database', async () => {
    const result = await run(
      ['admin', 'create-operator', '--email', operator.email, '--display-name', 'Première Opératrice', '--password-stdin'],
      env,
      'court\n',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('au moins 12 caractères');
  });

  it('admin create-operator creates the operator once, then says it already exists', async () => {
    const args = ['admin', 'create-operator', '--email', operator.email, '--display-name', 'Première Opératrice', '--password-stdin'];
    const created = await run(args, env, `${operator.password}\n`);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Opérateur créé');
    expect(created.stdout).toContain('premiere.operatrice@example.org');
    const again = await run(args, env, `${operator.password}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^Erreur : premiere\.operatrice@example\.org est déjà opérateur\. \(conflict\)\n$/);
  }, 60_000);

  it('serve runs the node, the new operator can log in, and SIGTERM stops it cleanly', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await waitUntilReady(url, child, 30_000);
      const login = await run(
        ['login', '--email', operator.email, '--password-stdin'],
        { ...env, CONFIANCE_URL: url },
        `${operator.password}\n`,
      );
      expect(login.code).toBe(0);
      const whoami = await run(['whoami', '--json'], { ...env, CONFIANCE_URL: url });
      expect(JSON.parse(whoami.stdout)).toMatchObject({
        user: { email: 'premiere.operatrice@example.org', displayName: 'Première Opératrice', platformRoles: ['operator'] },
      });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  }, 90_000);

  it('seed-demo seeds the demo consortium, and a second run changes nothing', async () => {
    const first = await run(['seed-demo', '--json'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const seeded = JSON.parse(first.stdout) as { organisations: number; people: number; alreadySeeded: boolean };
    expect(seeded.organisations).toBeGreaterThan(5);
    expect(seeded.people).toBeGreaterThan(seeded.organisations);
    expect(seeded.alreadySeeded).toBe(false);
    const again = await run(['seed-demo'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('le consortium de démonstration est déjà en place');
  }, 180_000);
});

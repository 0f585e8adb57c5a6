import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { startNode } from '../src/node';
import { openDatabase } from '../src/platform/db/database';
import { integrateAll, lastIndex } from '../src/modules/ledger/integrate';
import { loadOrCreateSigner } from '../src/modules/ledger/keys';
import { verifyLedger } from '../src/modules/ledger/verify';
import { openTestDatabase } from './backends';
import { makeOrganisation, testConfig } from './harness';

/**
 * The ledger as a running node sees it: a log rewritten behind the node's back is reported at the
 * next start and on /ready; a process killed with SIGKILL in the middle of appends leaves every
 * committed entry, no half entry, and a tree the next integration simply continues.
 */

describe('a node whose log was rewritten while it was stopped', () => {
  it('reports it at start-up and answers 503 "tampered" on /ready', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-ledger-node-'));
    const config = testConfig({ CONFIANCE_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', CONFIANCE_DEMO: 'false' });
    try {
      const first = await startNode(config);
      await makeOrganisation(first.app.confiance.ctx, { slug: 'avant-falsification' });
      await makeOrganisation(first.app.confiance.ctx, { slug: 'deuxieme' });
      await first.app.confiance.ledger.integrate();
      const port = (first.app.server.address() as net.AddressInfo).port;
      expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
      await first.stop();

      // Someone with database access rewrites history: the first organisation never joined.
      const direct = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
      await sql`update ledger_entries set public = jsonb_set(public, '{organisation}', '"quelqu-un-d-autre"') where tree_index = 0`.execute(
        direct.db,
      );
      await direct.close();

      const second = await startNode(config);
      try {
        const ready = await fetch(`http://127.0.0.1:${(second.app.server.address() as net.AddressInfo).port}/ready`);
        expect(ready.status).toBe(503);
        const body = (await ready.json()) as { status: string; step: string };
        expect(body.status).toBe('tampered');
        expect(body.step).toMatch(/entrée 0 a été modifiée/);
      } finally {
        await second.stop();
      }
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('kill -9 in the middle of appends (PostgreSQL)', () => {
  it('keeps every committed entry, no half entry, and the next integration continues the same tree', async () => {
    const database = await openTestDatabase('postgres');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-ledger-crash-'));
    const keyFile = path.join(dir, 'ledger-note.pem');
    const origin = 'crash.test/ledger';
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(import.meta.dirname, 'ledger-crash-child.ts'), database.url!, keyFile, origin],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let integrations = 0;
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (integrations += chunk.toString().length));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // Let it run until it has integrated several batches while both writers keep appending.
      const deadline = Date.now() + 60_000;
      while (integrations < 8 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      expect(child.exitCode, stderr).toBeNull();
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));

      const db = database.db;
      const entries = Number(
        (
          await db
            .selectFrom('ledger_entries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect(entries).toBeGreaterThan(100);
      // No half batch and no gap: the committed entries are exactly the sequence handed out.
      expect(await lastIndex(db)).toBe(entries - 1);
      expect(entries % 25).toBe(0);

      const signer = await loadOrCreateSigner(keyFile, origin);
      const before = await verifyLedger(db, signer, origin);
      expect(before).toMatchObject({ ok: true });
      const size = await integrateAll(db, signer, origin);
      expect(size).toBe(entries);
      expect(await verifyLedger(db, signer, origin)).toEqual({ ok: true, size: entries });
      // Integration continued the tree: the checkpoint seen before the crash is a prefix of this one.
      expect(before.size).toBeLessThanOrEqual(size);
    } finally {
      await database.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

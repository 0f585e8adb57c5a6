import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSandboxes, PIPE_BATCH, SandboxTimeout, withSandbox, type SandboxLimits, type SandboxRelation } from './sandbox';

/**
 * The locked engine itself, below the SQL checker: even SQL that should never reach it cannot read
 * another file, write outside its spool, change a setting or outlive its time; a view shows only
 * its grant's columns and rows; a stream can be cut.
 */

const LIMITS: SandboxLimits = { memory: '256MB', threads: 2 };
let dir: string;
let granted: SandboxRelation;
let secret: string;

async function sql(text: string): Promise<unknown> {
  return withSandbox([granted], LIMITS, (sandbox) => sandbox.rows(text, 5_000));
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sandbox-test-'));
  const file = path.join(dir, 'mesures.parquet');
  secret = path.join(dir, 'autre-jeu.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  await c.run(
    `COPY (SELECT * FROM (VALUES ('09', 'Ariège', 1), ('31', 'Haute-Garonne', 2), ('34', 'Hérault', 3)) t(code_dep, nom, valeur)) TO '${file}' (FORMAT parquet)`,
  );
  await c.run(`COPY (SELECT 'confidentiel' AS x) TO '${secret}' (FORMAT parquet)`);
  c.closeSync();
  instance.closeSync();
  granted = { name: 'mesures', file, columns: ['code_dep', 'valeur'], rowFilter: `"code_dep" IN ('31', '34')` };
});

afterAll(async () => {
  await closeSandboxes();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the locked sandbox', () => {
  it('shows the view with the granted columns and rows only', async () => {
    expect(await sql('SELECT * FROM mesures ORDER BY code_dep')).toEqual({
      columns: [
        { name: 'code_dep', type: 'VARCHAR' },
        { name: 'valeur', type: 'INTEGER' },
      ],
      rows: [
        ['31', 2],
        ['34', 3],
      ],
    });
    await expect(sql('SELECT nom FROM mesures')).rejects.toThrow(/nom/);
  });

  // Its own file stays readable around the view (the view reads it at query time): that is what
  // the SQL checker refuses, since table functions and path-like relations never pass it.
  it.each([
    ['another dataset’s file', () => `SELECT * FROM read_parquet('${secret}')`],
    ['a system file', () => `SELECT * FROM read_csv('/etc/passwd')`],
    ['a replacement scan', () => `SELECT * FROM '${secret}'`],
    ['a setting', () => `SET enable_external_access = true`],
    ['a reset', () => `RESET allowed_paths`],
    ['an extension', () => `LOAD httpfs`],
    ['a write outside the spool', () => `COPY (SELECT 1) TO '${path.join(dir, 'x.csv')}'`],
    ['an attachment', () => `ATTACH '${path.join(dir, 'x.db')}'`],
  ])('refuses %s even without the SQL checker', async (_, text) => {
    await expect(sql(text())).rejects.toThrow();
    await expect(fs.access(path.join(dir, 'x.csv'))).rejects.toThrow();
  });

  it('stops a query at its time limit', async () => {
    const started = Date.now();
    await expect(
      withSandbox([granted], LIMITS, (sandbox) => sandbox.rows('SELECT sum(hash(range)) FROM range(100000000000)', 300)),
    ).rejects.toBeInstanceOf(SandboxTimeout);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The sandbox is still usable afterwards.
    expect(await sql('SELECT count(*) AS n FROM mesures')).toMatchObject({ rows: [[2]] });
  });

  it('stops a query at its memory limit, without spilling to disk', async () => {
    await expect(sql('SELECT list(range) FROM range(200000000)')).rejects.toThrow(/memory/i);
  });

  it('streams CSV written by DuckDB, and stops when cancelled', async () => {
    await withSandbox([granted], LIMITS, async (sandbox, hold) => {
      const small = await sandbox.stream('SELECT * FROM mesures ORDER BY code_dep', 'csv', 5_000);
      hold(small.done);
      const chunks: Buffer[] = [];
      for await (const chunk of small.body) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe('code_dep,valeur\n31,2\n34,3\n');
      expect(await small.done).toBe(2);

      const endless = await sandbox.stream('SELECT a.range FROM range(1000000000) a', 'csv', 60_000);
      const cut = new Promise((resolve) => endless.body.on('error', resolve));
      let bytes = 0;
      endless.body.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > 1_000_000) endless.cancel(new Error('assez'));
      });
      await expect(endless.done).rejects.toThrow('assez');
      expect(await cut).toMatchObject({ message: 'assez' });
      expect(bytes).toBeLessThan(100_000_000);
      // The used pipes are removed (spares made ahead of need stay in the spool).
      for (const used of [small.pipe, endless.pipe]) await expect(fs.access(used)).rejects.toThrow();
      expect((await fs.readdir(sandbox.spool)).length).toBeLessThanOrEqual(PIPE_BATCH * 2);
    });
  });

  it('reports a query that fails before writing, without leaving its reader waiting', async () => {
    await withSandbox([granted], LIMITS, async (sandbox) => {
      const failed = await sandbox.stream('SELECT * FROM nulle_part', 'csv', 5_000);
      const cut = new Promise((resolve) => failed.body.on('error', resolve));
      await expect(failed.done).rejects.toThrow(/nulle_part/);
      await cut;
      await expect(fs.access(failed.pipe)).rejects.toThrow();
    });
  });
});

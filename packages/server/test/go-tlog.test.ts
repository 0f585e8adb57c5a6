import { execFile, spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { cosignatureMessage, formatCosignatureLine, keyId, SIGNATURE_TYPE_COSIGNATURE_V1 } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeCrypto, rawPublicKey } from '../src/modules/ledger/crypto';
import { recordFact } from '../src/modules/ledger/index';
import { testNode, type TestNode } from './harness';

/**
 * An independent check: Go's transparency-log packages (golang.org/x/mod/sumdb/tlog and note,
 * Debian's golang-golang-x-mod-dev) verify a running node's signed checkpoint with its published
 * key, rebuild the tree hash from its C2SP tiles (full and partial), check every entry bundle
 * against the leaf hashes and prove records. `npm test` and CI install Go when they can; without
 * it this file skips and says why.
 */

const GOPATH = '/usr/share/gocode';
const X_MOD = path.join(GOPATH, 'src/golang.org/x/mod/sumdb/tlog/tlog.go');

function goMissing(): string | null {
  if (spawnSync('go', ['version']).status !== 0) return 'no `go` command (apt-get install golang-go)';
  if (!fs.existsSync(X_MOD)) return `no ${X_MOD} (apt-get install golang-golang-x-mod-dev)`;
  return null;
}

const missing = goMissing();
if (missing) console.warn(`go-tlog.test.ts skipped: ${missing}`);
const run = promisify(execFile);

describe.skipIf(missing !== null)(`Go's tlog and note packages${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let node: TestNode;
  let work: string;
  let verifier: string;
  let base: string;

  const verify = (...args: string[]) => run(verifier, [...args, base], { timeout: 60_000 });
  const record = (count: number) =>
    node.ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < count; i++) {
        await recordFact(trx, { type: 'vote.decided', public: { vote: `go-${i}`, subject: 'Charte 2027', outcome: 'adopted' } });
      }
    });

  /** A witness's real cosignature of the checkpoint of `size`, stored as the node keeps them. */
  async function cosign(size: number) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const name = 'witness.test/go';
    const checkpoint = await node.ctx.db.selectFrom('ledger_checkpoints').select('note').where('size', '=', size).executeTakeFirstOrThrow();
    const body = checkpoint.note.slice(0, checkpoint.note.indexOf('\n\n') + 1);
    const time = Math.floor(Date.now() / 1000);
    const line = formatCosignatureLine({
      name,
      keyId: await keyId(nodeCrypto.sha256, name, SIGNATURE_TYPE_COSIGNATURE_V1, rawPublicKey(publicKey)),
      time,
      signature: sign(null, cosignatureMessage(body, time), privateKey),
    });
    await node.ctx.db.insertInto('ledger_cosignatures').values({ size, witness: name, time, line }).execute();
  }

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'confiance-go-tlog-'));
    verifier = path.join(work, 'verify');
    // GOPATH mode finds Debian's x/mod sources offline; a private cache leaves $HOME alone.
    await run('go', ['build', '-o', verifier, './verify.go'], {
      cwd: path.join(import.meta.dirname, 'go-tlog'),
      env: { ...process.env, GO111MODULE: 'off', GOPATH, GOCACHE: path.join(work, 'cache'), GOFLAGS: '' },
      timeout: 110_000,
    });
    node = await testNode('pglite');
    await node.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(node.app.server.address() as net.AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await node?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('verifies the checkpoint, rebuilds its root from full and partial tiles and proves records, as the log grows', async () => {
    await record(300);
    expect(await node.app.confiance.ledger.integrate()).toBe(300);
    const first = await verify('-index', '0,255,256,299');
    expect(first.stdout).toMatch(
      // tile/0/000, tile/0/001.p/44, tile/1/000.p/1; tile/entries/000, tile/entries/001.p/44.
      /^ok: confiance\.test\/ledger size 300 root \S+; 3 tiles and 2 entry bundles read \(3 partial\); records \[0 255 256 299\] proved\n$/,
    );

    await record(400);
    expect(await node.app.confiance.ledger.integrate()).toBe(700);
    // A served checkpoint carries witnesses' cosignature/v1 lines too: note.Open must let a line
    // from a key it does not know pass, and still verify ours.
    await cosign(700);
    expect((await node.app.inject({ url: '/ledger/checkpoint' })).body).toMatch(/\n— witness\.test\/go \S+\n$/);
    const second = await verify();
    expect(second.stdout).toMatch(
      // tile/0/000, 001, 002.p/188, tile/1/000.p/2; tile/entries/000, 001, 002.p/188.
      /^ok: confiance\.test\/ledger size 700 root \S+; 4 tiles and 3 entry bundles read \(3 partial\); records \[0 255 256 350 699\] proved\n$/,
    );
    const cp = (await node.app.inject({ url: '/api/v1/ledger/checkpoint' })).json<{ root: string }>();
    expect(second.stdout).toContain(`root ${cp.root};`);
  });

  it('fails when the root it checks against is not the tree’s', async () => {
    const failed = await verify('-corrupt-root').then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/tree hash from tiles \S+ ≠ checkpoint root \S+ \(size 700\)/);
  });
});

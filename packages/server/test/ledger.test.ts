import { sql } from 'kysely';
import {
  base64Decode,
  canonicalJson,
  cosignatureMessage,
  formatCosignatureLine,
  formatVerifierKey,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  decodeEntryBundle,
  parseCheckpoint,
  parseVerifierKey,
  tileToHashes,
  verifyConsistency,
  verifyInclusion,
  verifyNote,
} from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeCrypto } from '../src/modules/ledger/crypto';
import { recordFact } from '../src/modules/ledger/index';
import { leafHash, nodeHash } from '../src/modules/ledger/tree';
import { verifyLedger } from '../src/modules/ledger/verify';
import { backends } from './backends';
import { expectError, makeOrganisation, makeUser, publishTestDataset, signInAs, testNode, type Caller, type TestNode } from './harness';

/**
 * The ledger on both databases: facts recorded in their transactions, integrated into an RFC 9162
 * tree, signed checkpoints that verify with the published key, proofs that verify with the shared
 * verifier, tiles that hash up to the checkpoint, details for the parties only, erasure that keeps
 * the leaf, and tampering (change, delete, reorder, rewrite) caught by the node's own check.
 */

describe.each(backends())('ledger on %s', (backend) => {
  let node: TestNode;
  let org: { id: string; slug: string };
  let steward: Caller;
  let outsider: Caller;
  let operator: Caller;
  const get = (url: string, headers: Record<string, string> = {}) => node.app.inject({ url, headers });
  const ledger = () => node.app.confiance.ledger;
  const checkpoint = async () =>
    (await get('/api/v1/ledger/checkpoint')).json<{ size: number; root: string; note: string; verifierKey: string }>();

  beforeAll(async () => {
    node = await testNode(backend);
    org = await makeOrganisation(node.ctx, { slug: 'atmo-registre' });
    const other = await makeOrganisation(node.ctx);
    steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: org.id, role: 'data_steward' })).email);
    outsider = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: other.id, role: 'org_admin' })).email);
    operator = await signInAs(node.app, (await makeUser(node.ctx, { platformRoles: ['operator'] })).email);
    await publishTestDataset(node.app, steward.headers, org.slug, { slug: 'mesures-registre' });
    await ledger().integrate();
  });
  afterAll(() => node.close());

  it('records facts in the transaction that makes them, and signs a checkpoint that verifies with the published key', async () => {
    const types = (await node.ctx.db.selectFrom('ledger_entries').select('type').orderBy('tree_index').execute()).map((e) => e.type);
    expect(types).toEqual(['member.admitted', 'member.admitted', 'dataset.published']);
    const cp = await checkpoint();
    expect(cp.size).toBe(3);
    const key = (await get('/ledger/verifier-key')).body.trim();
    expect(key).toBe(cp.verifierKey);
    expect(key).toMatch(/^confiance\.test\/ledger\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
    const note = (await get('/ledger/checkpoint')).body;
    expect(note).toBe(cp.note);
    const verified = await verifyNote(nodeCrypto, note, [await parseVerifierKey(nodeCrypto.sha256, key)]);
    expect(verified.verified.map((s) => s.name)).toEqual(['confiance.test/ledger']);
    const body = parseCheckpoint(verified.body);
    expect(body).toMatchObject({ origin: 'confiance.test/ledger', size: 3 });
    expect(Buffer.from(body.root).toString('base64')).toBe(cp.root);
    // Another key does not verify it.
    const { signerFrom } = await import('../src/modules/ledger/keys');
    const { generateKeyPairSync } = await import('node:crypto');
    const stranger = await signerFrom('confiance.test/ledger', generateKeyPairSync('ed25519').privateKey);
    await expect(verifyNote(nodeCrypto, note, [await parseVerifierKey(nodeCrypto.sha256, stranger.verifierKey)])).rejects.toThrow();
  });

  it('leaf bytes are the canonical JSON of type, time, public part and commitment', async () => {
    const entry = (await get('/api/v1/ledger/entries/2')).json();
    expect(entry).toMatchObject({
      index: 2,
      type: 'dataset.published',
      public: { dataset: 'mesures-registre', publisher: org.slug, version: 1 },
    });
    const leaf = Buffer.from(entry.leaf, 'base64');
    expect(leaf.toString('utf8')).toBe(
      canonicalJson({ type: entry.type, time: entry.time, public: entry.public, commitment: entry.commitment }),
    );
    expect(Buffer.from(entry.leafHash, 'base64').equals(leafHash(leaf))).toBe(true);
  });

  it('proves inclusion of every entry and consistency between every pair of sizes', async () => {
    // More facts, in several integrations, so there are several checkpoints.
    for (let round = 0; round < 3; round++) {
      await node.ctx.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 5; i++) {
          await recordFact(trx, { type: 'vote.decided', public: { vote: `v${round}-${i}`, subject: 'Charte 2027', outcome: 'adopted' } });
        }
      });
      await ledger().integrate();
    }
    const sizes = (await node.ctx.db.selectFrom('ledger_checkpoints').select('size').orderBy('size').execute()).map((c) => Number(c.size));
    expect(sizes).toEqual([3, 8, 13, 18]);
    for (const size of sizes) {
      const root = (await node.ctx.db.selectFrom('ledger_checkpoints').select('root').where('size', '=', size).executeTakeFirstOrThrow())
        .root;
      for (let index = 0; index < size; index++) {
        const proof = (await get(`/api/v1/ledger/entries/${index}/proof?treeSize=${size}`)).json();
        // Resolves when the proof leads to the root; throws a TlogError otherwise.
        await verifyInclusion(
          nodeCrypto.sha256,
          index,
          size,
          base64Decode(proof.leafHash),
          proof.proof.map(base64Decode),
          new Uint8Array(root),
        );
      }
    }
    for (const from of sizes) {
      for (const to of sizes.filter((s) => s >= from)) {
        const proof = (await get(`/api/v1/ledger/consistency?from=${from}&to=${to}`)).json();
        await verifyConsistency(
          nodeCrypto.sha256,
          from,
          to,
          base64Decode(proof.root1),
          base64Decode(proof.root2),
          proof.proof.map(base64Decode),
        );
      }
    }
    // Sizes between checkpoints work too (the root is computed from the stored nodes).
    const between = (await get('/api/v1/ledger/entries/1/proof?treeSize=5')).json();
    await verifyInclusion(
      nodeCrypto.sha256,
      1,
      5,
      base64Decode(between.leafHash),
      between.proof.map(base64Decode),
      base64Decode(between.root),
    );
    expectError(await get('/api/v1/ledger/entries/0/proof?treeSize=100000'), 404, 'not_found');
    expectError(await get('/api/v1/ledger/consistency?from=8&to=3'), 400, 'validation_failed');
    expectError(await get('/api/v1/ledger/entries/99/proof'), 404, 'not_found');
  });

  it('serves tiles (C2SP tlog-tiles) that hash up to the checkpoint, full tiles for good', async () => {
    await node.ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 300; i++)
        await recordFact(trx, { type: 'vote.decided', public: { vote: `bulk-${i}`, subject: 'Tuiles', outcome: 'rejected' } });
    });
    const size = await ledger().integrate();
    expect(size).toBe(318);
    const full = await get('/ledger/tile/0/000');
    expect(full.headers['cache-control']).toContain('immutable');
    const partial = await get(`/ledger/tile/0/001.p/${size - 256}`);
    expect(partial.headers['cache-control']).toBe('no-cache');
    const hashes = [...tileToHashes(full.rawPayload, 256), ...tileToHashes(partial.rawPayload, size - 256)];
    const level8 = tileToHashes((await get('/ledger/tile/1/000.p/1')).rawPayload, 1)[0]!;
    // Root from the leaf hashes in the tiles equals the signed root, and the level-8 tile holds the first 256 leaves' subtree.
    const level: Buffer[] = hashes.map((h) => Buffer.from(h));
    const mth = (nodes: Buffer[]): Buffer => {
      if (nodes.length === 1) return nodes[0]!;
      const k = 2 ** Math.floor(Math.log2(nodes.length - 1));
      return nodeHash(mth(nodes.slice(0, k)), mth(nodes.slice(k)));
    };
    expect(mth(level).toString('base64')).toBe((await checkpoint()).root);
    expect(Buffer.from(level8).equals(mth(level.slice(0, 256)))).toBe(true);
    const bundle = decodeEntryBundle((await get('/ledger/tile/entries/000')).rawPayload, 256);
    expect(Buffer.from(leafHash(bundle[2]!)).equals(Buffer.from(hashes[2]!))).toBe(true);
    expectError(await get('/ledger/tile/0/002'), 404, 'not_found');
    expectError(await get('/ledger/tile/0/1'), 404, 'not_found');
    expectError(await get(`/ledger/tile/0/001.p/${size - 256 + 1}`), 404, 'not_found');
  });

  it('shows private details to the parties and the operator only, and erases them keeping the leaf', async () => {
    const anonymous = (await get('/api/v1/ledger/entries/2')).json();
    expect(anonymous.details).toBeNull();
    expect((await get('/api/v1/ledger/entries/2', outsider.headers)).json().details).toBeNull();
    const mine = (await get('/api/v1/ledger/entries/2', steward.headers)).json();
    expect(mine.details).toEqual({ by: steward.userId });
    // The party can open the commitment itself.
    const { createHash } = await import('node:crypto');
    const opened = createHash('sha256').update(Buffer.from(mine.salt, 'base64')).update(canonicalJson(mine.details)).digest('hex');
    expect(opened).toBe(mine.commitment);
    expect((await get('/api/v1/ledger/entries/2', operator.headers)).json().details).toEqual({ by: steward.userId });

    const before = await checkpoint();
    expectError(
      await node.app.inject({
        method: 'POST',
        url: '/api/v1/ledger/entries/2/erase',
        headers: steward.headers,
        payload: { reason: 'rgpd' },
      }),
      403,
      'forbidden',
    );
    const erased = await node.app.inject({
      method: 'POST',
      url: '/api/v1/ledger/entries/2/erase',
      headers: operator.headers,
      payload: { reason: 'rgpd' },
    });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json()).toMatchObject({ erased: true, details: null, salt: null, leaf: mine.leaf, commitment: mine.commitment });
    expectError(
      await node.app.inject({
        method: 'POST',
        url: '/api/v1/ledger/entries/2/erase',
        headers: operator.headers,
        payload: { reason: 'rgpd' },
      }),
      409,
      'conflict',
    );
    await ledger().integrate();
    const after = await checkpoint();
    expect(after.size).toBe(before.size + 1);
    const last = (await get(`/api/v1/ledger/entries/${after.size - 1}`)).json();
    expect(last).toMatchObject({ type: 'details.erased', public: { entry: 2, reason: 'rgpd' } });
    const proof = (await get(`/api/v1/ledger/entries/2/proof`)).json();
    await expect(
      verifyInclusion(
        nodeCrypto.sha256,
        2,
        after.size,
        base64Decode(proof.leafHash),
        proof.proof.map(base64Decode),
        base64Decode(after.root),
      ),
    ).resolves.toBeUndefined();
    expect(await ledger().verify()).toEqual({ ok: true, size: after.size });
  });

  it('lists entries newest first, filtered by type, dataset or organisation, and publishes a transparency report', async () => {
    const list = (await get('/api/v1/ledger/entries?type=dataset.published')).json();
    expect(list.items.map((e: { public: { dataset: string } }) => e.public.dataset)).toEqual(['mesures-registre']);
    expect((await get('/api/v1/ledger/entries?dataset=mesures-registre')).json().total).toBe(1);
    expect((await get(`/api/v1/ledger/entries?organisation=${org.slug}`)).json().total).toBe(2);
    const page = (await get('/api/v1/ledger/entries?limit=5&before=10')).json();
    expect(page.items.map((e: { index: number }) => e.index)).toEqual([9, 8, 7, 6, 5]);
    const report = (await get('/api/v1/ledger/report')).json();
    expect(report.checkpoint.size).toBe((await checkpoint()).size);
    expect(report.entriesByType).toContainEqual({ type: 'dataset.published', count: 1 });
    expect(report.datasetsByMonth).toHaveLength(1);
  });

  describe('tampering is caught by the node’s own check', () => {
    const cases: [string, (db: TestNode['ctx']['db']) => Promise<unknown>][] = [
      [
        'a public field changed',
        (db) => sql`update ledger_entries set public = jsonb_set(public, '{outcome}', '"adopted"') where tree_index = 20`.execute(db),
      ],
      [
        'an entry deleted',
        async (db) => {
          await sql`delete from ledger_entries where tree_index = 30`.execute(db);
        },
      ],
      [
        'two entries swapped',
        async (db) => {
          await sql`update ledger_entries set tree_index = -1 where tree_index = 40`.execute(db);
          await sql`update ledger_entries set tree_index = 40 where tree_index = 41`.execute(db);
          await sql`update ledger_entries set tree_index = 41 where tree_index = -1`.execute(db);
        },
      ],
      ['a stored node rewritten', (db) => sql`update ledger_nodes set hash = sha256(hash) where level = 3 and idx = 1`.execute(db)],
      ['a checkpoint root rewritten', (db) => sql`update ledger_checkpoints set root = sha256(root) where size = 8`.execute(db)],
      [
        'private details changed',
        (db) => sql`update ledger_entries set details = '{"by":"someone else"}' where tree_index = 1`.execute(db),
      ],
    ];
    it.each(cases)('%s', async (_name, tamper) => {
      expect((await ledger().verify()).ok).toBe(true);
      await node.ctx.db
        .transaction()
        .execute(async (trx) => {
          await tamper(trx);
          // The check runs on the tampered state inside this transaction, then it is rolled back.
          const result = await verifyLedger(trx, ledger().signer, ledger().origin);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.problem.length).toBeGreaterThan(10);
          throw new Error('rollback');
        })
        .catch((error: Error) => {
          if (error.message !== 'rollback') throw error;
        });
      expect((await ledger().verify()).ok).toBe(true);
    });
  });
});

describe.each(backends())('witness cosignatures on %s', (backend) => {
  let node: TestNode;
  let witnessKey: string;
  let cosign: (body: string, time?: number) => Promise<string>;
  const post = (payload: object) => node.app.inject({ method: 'POST', url: '/api/v1/ledger/cosignatures', payload });

  beforeAll(async () => {
    const { generateKeyPairSync, sign } = await import('node:crypto');
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32));
    witnessKey = await formatVerifierKey(nodeCrypto.sha256, 'temoin.universite.test', SIGNATURE_TYPE_COSIGNATURE_V1, raw);
    const id = (await parseVerifierKey(nodeCrypto.sha256, witnessKey)).keyId;
    cosign = async (body, time = Math.floor(Date.now() / 1000)) =>
      formatCosignatureLine({
        name: 'temoin.universite.test',
        keyId: id,
        time,
        signature: sign(null, cosignatureMessage(body, time), privateKey),
      });
    node = await testNode(backend, { env: { CONFIANCE_LEDGER_WITNESSES: witnessKey } });
    await makeOrganisation(node.ctx);
    await node.app.confiance.ledger.integrate();
  });
  afterAll(() => node.close());

  it('accepts a declared witness’s cosignature of a checkpoint the node issued, and serves it with the note', async () => {
    const note = (await node.app.inject({ url: '/ledger/checkpoint' })).body;
    const body = note.slice(0, note.indexOf('\n\n') + 1);
    const line = await cosign(body);
    expect((await post({ witnessKey, checkpoint: body, signature: line })).statusCode).toBe(201);
    const served = (await node.app.inject({ url: '/ledger/checkpoint' })).body;
    expect(served).toBe(`${note}${line}\n`);
    const opened = await verifyNote(nodeCrypto, served, [node.app.confiance.ledger.signer.verifierKey, witnessKey]);
    expect(opened.verified.map((s) => s.name).sort()).toEqual(['confiance.test/ledger', 'temoin.universite.test']);
    expect((await node.app.inject({ url: '/api/v1/ledger/checkpoint' })).json().cosignatures).toEqual([
      { witness: 'temoin.universite.test', time: expect.any(Number), verifierKey: witnessKey },
    ]);
  });

  it('refuses unknown witnesses, other texts, forged signatures, future dates and checkpoints it never issued', async () => {
    const note = (await node.app.inject({ url: '/ledger/checkpoint' })).body;
    const body = note.slice(0, note.indexOf('\n\n') + 1);
    const { generateKeyPairSync } = await import('node:crypto');
    const stranger = await formatVerifierKey(
      nodeCrypto.sha256,
      'inconnu.test',
      SIGNATURE_TYPE_COSIGNATURE_V1,
      new Uint8Array(generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)),
    );
    expectError(await post({ witnessKey: stranger, checkpoint: body, signature: await cosign(body) }), 403, 'forbidden');
    const extended = `${body}extension\n`;
    expectError(await post({ witnessKey, checkpoint: extended, signature: await cosign(extended) }), 400, 'validation_failed');
    const other = body.replace(/\n[A-Za-z0-9+/=]+\n$/, `\n${Buffer.alloc(32, 7).toString('base64')}\n`);
    expectError(await post({ witnessKey, checkpoint: other, signature: await cosign(other) }), 409, 'conflict');
    expectError(await post({ witnessKey, checkpoint: body, signature: await cosign(`${body.trim()}x\n`) }), 400, 'validation_failed');
    const future = Math.floor(Date.now() / 1000) + 3600;
    expectError(await post({ witnessKey, checkpoint: body, signature: await cosign(body, future) }), 400, 'validation_failed');
  });
});

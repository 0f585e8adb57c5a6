import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeOrganisation,
  makeUser,
  publishTestDataset,
  signInAs,
  testNode,
  tokenFor,
  type Caller,
  type TestNode,
} from '../../server/test/harness';
import type { WitnessState } from '../src/commands/ledger/watch';
import { noteKey } from './ledger-fixtures';
import { baseEnv, BIN, run } from './run';

/**
 * The ledger verbs against a real node, as a member organisation running an independent witness
 * would use them: the published key, a saved checkpoint verified offline (and tampered copies
 * refused), proofs fetched online, the tiles, a witness that follows the log as it grows and
 * cosigns, and the alarm when what it remembers and what the node shows cannot both be true.
 */
describe('confiance ledger against a running node', () => {
  let node: TestNode;
  let home: string;
  let env: Record<string, string>;
  let offlineEnv: Record<string, string>;
  let steward: Caller;
  let org: { id: string; slug: string };
  let witnessKey: string;
  const file = (name: string) => path.join(home, name);
  const cli = (args: string[], extra: Record<string, string> = {}) => run(['ledger', ...args], { ...env, ...extra });
  const get = (url: string) => node.app.inject({ url });
  const nodeKey = async () => (await get('/ledger/verifier-key')).body.trim();
  const grow = async () => {
    await publishTestDataset(node.app, steward.headers, org.slug);
    return node.app.confiance.ledger.integrate();
  };
  const readState = async (name: string) => JSON.parse(await fs.readFile(file(name), 'utf8')) as WitnessState;

  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-ledger-'));
    // Nothing listens there: offline means offline.
    offlineEnv = { ...baseEnv(home), CONFIANCE_URL: 'http://127.0.0.1:9' };
    const generated = await run(
      ['ledger', 'witness-key', '--name', 'temoin.test', '-o', path.join(home, 'temoin.pem'), '--json'],
      offlineEnv,
    );
    expect(generated.code).toBe(0);
    witnessKey = (JSON.parse(generated.stdout) as { verifierKey: string }).verifierKey;

    node = await testNode('pglite', { env: { CONFIANCE_LEDGER_WITNESSES: witnessKey } });
    await node.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = node.app.server.address() as net.AddressInfo;
    env = { ...baseEnv(home), CONFIANCE_URL: `http://127.0.0.1:${port}` };
    org = await makeOrganisation(node.ctx, { slug: 'temoin-producteur' });
    steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: org.id, role: 'data_steward' })).email);
    await grow();
  });
  afterAll(async () => {
    await node?.close();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('prints the node’s verifier key, and advises to compare it out of band', async () => {
    const result = await cli(['key']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${await nodeKey()}\n`);
    expect(result.stderr).toMatch(/comparez-la avec celle que l’opérateur publie par un autre canal/);
    const json = JSON.parse((await cli(['key', '--json'])).stdout) as { verifierKey: string; name: string; keyId: string };
    expect(json).toEqual({ verifierKey: await nodeKey(), name: 'confiance.test/ledger', keyId: (await nodeKey()).split('+')[1] });
  });

  describe('a saved checkpoint', () => {
    let key: string;
    let size: number;

    beforeAll(async () => {
      key = await nodeKey();
      const saved = await cli(['checkpoint', '-o', file('checkpoint.txt'), '--key', key]);
      expect(saved.stderr).toBe('');
      expect(saved.code).toBe(0);
      size = (await get('/api/v1/ledger/checkpoint')).json<{ size: number }>().size;
      expect(saved.stdout).toMatch(
        new RegExp(
          `^Point de contrôle enregistré : .*checkpoint\\.txt\n✓ Signature du point de contrôle : valide — confiance\\.test/ledger, ${size} entrées`,
        ),
      );
      await fs.writeFile(file('key.txt'), `${key}\n`);
      // The last entry: the dataset just published.
      await fs.writeFile(file('entry.json'), (await get(`/api/v1/ledger/entries/${size - 1}`)).body);
      await fs.writeFile(file('proof.json'), (await get(`/api/v1/ledger/entries/${size - 1}/proof?treeSize=${size}`)).body);
    });

    it('is exactly what the node serves; without -o it goes to stdout alone, with the trust-on-first-use warning when no key is given', async () => {
      expect(await fs.readFile(file('checkpoint.txt'), 'utf8')).toBe((await get('/ledger/checkpoint')).body);
      const printed = await cli(['checkpoint']);
      expect(printed.code).toBe(0);
      expect(printed.stdout).toBe((await get('/ledger/checkpoint')).body);
      expect(printed.stderr).toMatch(/confiance à la première utilisation/);
      expect(printed.stderr).toMatch(/✓ Signature du point de contrôle : valide .*\(téléchargée du nœud\)\nVérifié\.\n$/);
      const again = await cli(['checkpoint', '-o', file('checkpoint.txt'), '--key', key]);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/existe déjà : ajoutez --force/);
    });

    it('verifies offline with its entry and proof', async () => {
      const result = await run(
        [
          'ledger',
          'verify',
          '--checkpoint',
          file('checkpoint.txt'),
          '--key-file',
          file('key.txt'),
          '--entry',
          file('entry.json'),
          '--proof',
          file('proof.json'),
        ],
        offlineEnv,
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`✓ Entrée ${size - 1} : contenu : dataset.published du`);
      expect(result.stdout).toContain(`✓ Entrée ${size - 1} : preuve d’inclusion : `);
      // Anonymous: the details are the parties' only.
      expect(result.stdout).toContain(`· Entrée ${size - 1} : détails privés non communiqués à ce compte`);
      expect(result.stdout).toMatch(/\nVérifié\.\n$/);
    });

    it('refuses a tampered proof, checkpoint or entry, saying what failed (exit code 3)', async () => {
      const base = ['ledger', 'verify', '--key', key];
      const proof = JSON.parse(await fs.readFile(file('proof.json'), 'utf8')) as { proof: string[] };
      proof.proof[0] = Buffer.alloc(32, 7).toString('base64');
      await fs.writeFile(file('bad-proof.json'), JSON.stringify(proof));
      const badProof = await run(
        [...base, '--checkpoint', file('checkpoint.txt'), '--entry', file('entry.json'), '--proof', file('bad-proof.json')],
        offlineEnv,
      );
      expect(badProof.code).toBe(3);
      expect(badProof.stdout).toContain(`✗ Entrée ${size - 1} : preuve d’inclusion : la preuve ne mène pas à la racine signée`);
      expect(badProof.stderr).toMatch(/^Erreur : Vérification échouée/);

      const text = await fs.readFile(file('checkpoint.txt'), 'utf8');
      await fs.writeFile(file('bad-checkpoint.txt'), text.replace(`\n${size}\n`, `\n${size + 1}\n`));
      const badCheckpoint = await run([...base, '--checkpoint', file('bad-checkpoint.txt')], offlineEnv);
      expect(badCheckpoint.code).toBe(3);
      expect(badCheckpoint.stdout).toContain('✗ Signature du point de contrôle : signature invalide');

      const entry = JSON.parse(await fs.readFile(file('entry.json'), 'utf8')) as { public: Record<string, unknown> };
      entry.public.publisher = 'quelqu-un-d-autre';
      await fs.writeFile(file('bad-entry.json'), JSON.stringify(entry));
      const badEntry = await run(
        [...base, '--checkpoint', file('checkpoint.txt'), '--entry', file('bad-entry.json'), '--proof', file('proof.json')],
        offlineEnv,
      );
      expect(badEntry.code).toBe(3);
      expect(badEntry.stdout).toContain(
        `✗ Entrée ${size - 1} : contenu : type, date, partie publique ou engagement diffèrent des octets de la feuille`,
      );
    });
  });

  it('checks the private details against the leaf’s commitment for a party to the fact', async () => {
    const size = (await get('/api/v1/ledger/checkpoint')).json<{ size: number }>().size;
    const token = await tokenFor(node.app, steward, ['read']);
    const result = await cli(['verify', '--key', await nodeKey(), '--entry-index', String(size - 1)], { CONFIANCE_TOKEN: token });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`✓ Entrée ${size - 1} : détails privés : conformes à l’engagement de la feuille`);
  });

  it('verifies online: an entry fetched with its proof, and the tiles hashing up to the checkpoint', async () => {
    const result = await cli(['verify', '--key', await nodeKey(), '--entry-index', '1', '--tiles', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const verdict = JSON.parse(result.stdout) as { verified: boolean; checks: { check: string; ok: boolean }[]; keySource: string };
    expect(verdict).toMatchObject({ verified: true, keySource: 'given' });
    expect(verdict.checks.map((c) => c.check)).toEqual([
      'checkpoint.signature',
      'entry.leaf_hash',
      'entry.leaf',
      'entry.inclusion',
      'tiles.entries',
      'tiles.hashes',
      'tiles.root',
    ]);
  });

  describe('an independent witness', () => {
    const watch = (args: string[] = []) =>
      cli(['watch', '--state', file('temoin.json'), '--witness-key-file', file('temoin.pem'), '--name', 'temoin.test', '--once', ...args]);

    it('pins the key and remembers the checkpoint on its first round, in a 0600 state file, and cosigns', async () => {
      const first = await watch(['--key', await nodeKey()]);
      expect(first.stderr).toMatch(/^Clé du nœud épinglée : confiance\.test\/ledger\+[0-9a-f]{8} \(.*temoin\.json\)\.\n$/);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(
        /^✓ confiance\.test\/ledger : premier point de contrôle vérifié et mémorisé \(\d+ entrées\), racine .* ; cosigné\.\n$/,
      );
      expect((await fs.stat(file('temoin.json'))).mode & 0o777).toBe(0o600);
      const state = await readState('temoin.json');
      expect(state).toMatchObject({
        version: 1,
        url: env.CONFIANCE_URL,
        verifierKey: await nodeKey(),
        witness: { name: 'temoin.test', verifierKey: witnessKey },
      });
      expect(state.cosigned?.size).toBe(state.checkpoint?.size);
    });

    it('follows the log as it grows (consistency proven), cosigns, and the node serves the cosignature with its checkpoint', async () => {
      const before = (await readState('temoin.json')).checkpoint!.size;
      const size = await grow();
      expect(size).toBeGreaterThan(before);
      const round = await watch(['--json']);
      expect(round.code).toBe(0);
      expect(JSON.parse(round.stdout)).toMatchObject({ status: 'grown', size, previousSize: before, cosigned: true });
      const served = (await get('/ledger/checkpoint')).body;
      expect(served).toMatch(/\n— temoin\.test [A-Za-z0-9+/]+=*\n$/);

      // Anyone who trusts the witness can now require its cosignature.
      const verified = await cli(['verify', '--key', await nodeKey(), '--witness', witnessKey]);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(/✓ Cosignature du témoin temoin\.test\+[0-9a-f]{8} : valide, signée le/);

      // And the checkpoint saved earlier is a prefix of today's log.
      const grown = await cli(['verify', '--key', await nodeKey(), '--old-checkpoint', file('checkpoint.txt')]);
      expect(grown.code).toBe(0);
      expect(grown.stdout).toContain(`✓ Ajout seul entre ${before} entrées et ${size} entrées : preuve de cohérence valide`);

      const unchanged = await watch();
      expect(unchanged.code).toBe(0);
      expect(unchanged.stdout).toMatch(/: inchangé \(\d+ entrées\), racine [^;]*\.\n$/); // already cosigned: not again
    });

    it('keeps watching round after round, one JSON line each, until stopped by SIGTERM', async () => {
      const child = spawn(
        process.execPath,
        [BIN, 'ledger', 'watch', '--state', file('boucle.json'), '--key', await nodeKey(), '--interval', '1', '--json'],
        {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const rounds: { status: string; size: number }[] = [];
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      let grew = false;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no 'grown' round in time: ${JSON.stringify(rounds)} ${stderr}`)), 20_000);
        let buffer = '';
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
            rounds.push(JSON.parse(buffer.slice(0, end)) as { status: string; size: number });
            buffer = buffer.slice(end + 1);
          }
          if (!grew && rounds.length > 0) {
            grew = true;
            void grow();
          }
          if (rounds.some((r) => r.status === 'grown')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(rounds[0]!.status).toBe('first');
      expect(stderr).toBe(''); // --json: nothing but the rounds
    });

    it('raises the alarm on a fork (exit code 3) and leaves its state as it was', async () => {
      expect((await watch()).code).toBe(0); // caught up with the node
      const state = await readState('temoin.json');
      // What the witness remembers and what the node shows can no longer both be true.
      state.checkpoint!.root = Buffer.alloc(32, 1).toString('base64');
      const tampered = `${JSON.stringify(state, null, 2)}\n`;
      await fs.writeFile(file('temoin.json'), tampered);
      const same = await watch();
      expect(same.code).toBe(3);
      expect(same.stderr).toContain('!!! ALERTE : BIFURCATION DU REGISTRE !!!');
      expect(same.stderr).toContain('deux racines différentes pour la même taille');
      expect(same.stderr).toMatch(/--- point de contrôle présenté maintenant ---\nconfiance\.test\/ledger\n/);
      expect(same.stderr).toMatch(/Erreur : .*\(ledger_fork\)\n$/);

      await grow();
      const grown = await watch(['--json']);
      expect(grown.code).toBe(3);
      expect(JSON.parse(grown.stdout)).toMatchObject({ status: 'fork', reason: expect.stringContaining('la preuve ne mène pas') });
      expect(await fs.readFile(file('temoin.json'), 'utf8')).toBe(tampered);
    });

    it('refuses to run with a key other than the one pinned, or a witness the node does not know', async () => {
      const otherKey = await cli([
        'watch',
        '--state',
        file('temoin.json'),
        '--once',
        '--key',
        noteKey('confiance.test/ledger').verifierKey,
      ]);
      expect(otherKey.code).toBe(2);
      expect(otherKey.stderr).toMatch(/La clé donnée diffère de celle épinglée dans .*temoin\.json/);

      await run(['ledger', 'witness-key', '--name', 'inconnu.test', '-o', file('inconnu.pem')], offlineEnv);
      const unknown = await cli([
        'watch',
        '--state',
        file('inconnu.json'),
        '--witness-key-file',
        file('inconnu.pem'),
        '--name',
        'inconnu.test',
        '--once',
        '--key',
        await nodeKey(),
      ]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/Ce témoin n’est pas déclaré sur ce nœud \(CONFIANCE_LEDGER_WITNESSES\)\. \(forbidden/);
      // What it verified is remembered all the same; only the cosignature was refused.
      expect((await readState('inconnu.json')).checkpoint?.size).toBeGreaterThan(0);
    });
  });
});

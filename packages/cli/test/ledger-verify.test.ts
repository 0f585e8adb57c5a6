import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseVerifierKey, SIGNATURE_TYPE_COSIGNATURE_V1 } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeCrypto } from '../src/commands/ledger/crypto';
import { auditTiles } from '../src/commands/ledger/tiles';
import { Verdict } from '../src/commands/ledger/verdict';
import { buildProgram } from '../src/main';
import { cosignatureLine, FixtureLog, noteKey, signNote } from './ledger-fixtures';
import { baseEnv, run, type Result } from './run';

/**
 * `confiance ledger verify` offline, against a log built independently with node:crypto
 * (test/ledger-fixtures.ts): what verifies must verify, and every kind of tampering must fail with
 * exit code 3 and say what failed. Nothing listens at CONFIANCE_URL: offline means offline.
 */

const VERBS = ['key', 'checkpoint', 'verify', 'watch', 'witness-key'];

describe('confiance ledger: the grammar', () => {
  const ledger = buildProgram({ serving: false }).commands.find((c) => c.name() === 'ledger')!;

  it('has the five verbs, each with --json and a French description', () => {
    expect(ledger.commands.map((c) => c.name())).toEqual(VERBS);
    for (const verb of ledger.commands) {
      expect(verb.options.map((o) => o.long)).toContain('--json');
      expect(verb.description()).toMatch(/^[a-zé]/);
    }
  });
});

describe('confiance ledger verify, offline', () => {
  let dir: string;
  let env: Record<string, string>;
  const log = new FixtureLog().append(300);
  const file = (name: string) => path.join(dir, name);
  const save = async (name: string, content: unknown) => {
    await fs.writeFile(file(name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file(name);
  };
  const verify = (args: string[]) => run(['ledger', 'verify', ...args], env);
  const failedWith = (result: Result, pattern: RegExp) => {
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(pattern);
    expect(result.stderr).toMatch(/^Erreur : Vérification échouée \(1 contrôle sur \d+\) : .*\(verification_failed\)\n$/m);
  };

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-ledger-verify-'));
    env = { ...baseEnv(dir), CONFIANCE_URL: 'http://127.0.0.1:9' };
    await save('checkpoint.txt', log.checkpoint());
    await save('old.txt', log.checkpoint(100));
    await save('key.txt', `# clé du registre de test\n${log.key.verifierKey}\n`);
    await save('entry.json', log.entryView(7));
    await save('proof.json', log.proofView(7));
    await save('consistency.json', log.consistencyView(100));
  });
  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  describe('when the evidence is genuine', () => {
    it('verifies the checkpoint signature with the key given, and says so', async () => {
      const result = await verify(['--checkpoint', file('checkpoint.txt'), '--key', log.key.verifierKey]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        `✓ Signature du point de contrôle : valide — confiance.test/ledger, 300 entrées, racine ${log.root().toString('base64')}`,
      );
      expect(result.stdout).toMatch(/\nVérifié\.\n$/);
    });

    it('verifies an entry: leaf hash, content, private details and inclusion, with the key read from a file', async () => {
      const result = await verify([
        '--checkpoint',
        file('checkpoint.txt'),
        '--key-file',
        file('key.txt'),
        '--entry',
        file('entry.json'),
        '--proof',
        file('proof.json'),
        '--json',
      ]);
      expect(result.code).toBe(0);
      const verdict = JSON.parse(result.stdout) as {
        verified: boolean;
        checks: { check: string; ok: boolean }[];
        checkpoint: { size: number };
      };
      expect(verdict.verified).toBe(true);
      expect(verdict.checkpoint.size).toBe(300);
      expect(verdict.checks.map((c) => [c.check, c.ok])).toEqual([
        ['checkpoint.signature', true],
        ['entry.leaf_hash', true],
        ['entry.leaf', true],
        ['entry.commitment', true],
        ['entry.inclusion', true],
      ]);
    });

    it('proves the log only grew between two checkpoints', async () => {
      const result = await verify([
        ...['--checkpoint', file('checkpoint.txt'), '--key', log.key.verifierKey],
        ...['--old-checkpoint', file('old.txt'), '--consistency', file('consistency.json')],
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('✓ Ajout seul entre 100 entrées et 300 entrées : preuve de cohérence valide');
    });

    it('checks the cosignature of a witness it is told to require', async () => {
      const witness = noteKey('temoin.test', SIGNATURE_TYPE_COSIGNATURE_V1);
      const cosigned = await save('cosigned.txt', log.checkpoint() + cosignatureLine(log.body(), witness, 1_790_000_000));
      const ok = await verify(['--checkpoint', cosigned, '--key', log.key.verifierKey, '--witness', witness.verifierKey]);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain(`✓ Cosignature du témoin temoin.test+${witness.id.toString('hex')} : valide, signée le`);
      const unasked = await verify(['--checkpoint', cosigned, '--key', log.key.verifierKey]);
      expect(unasked.code).toBe(0);
      expect(unasked.stdout).toContain('· Cosignature de temoin.test présente mais non vérifiée');
    });
  });

  describe('when the evidence was tampered with', () => {
    it('fails a checkpoint whose size or root was changed after signing', async () => {
      const text = log.checkpoint();
      const changed = await save('changed.txt', text.replace('\n300\n', '\n299\n'));
      failedWith(
        await verify(['--checkpoint', changed, '--key', log.key.verifierKey]),
        /✗ Signature du point de contrôle : signature invalide/,
      );
      const otherRoot = await save('other-root.txt', text.replace(log.root().toString('base64'), log.root(299).toString('base64')));
      failedWith(
        await verify(['--checkpoint', otherRoot, '--key', log.key.verifierKey]),
        /✗ Signature du point de contrôle : signature invalide/,
      );
    });

    it('fails a checkpoint signed by another key of the same name', async () => {
      const impostor = new FixtureLog(log.origin).append(3);
      const result = await verify(['--checkpoint', await save('impostor.txt', impostor.checkpoint()), '--key', log.key.verifierKey]);
      failedWith(result, /✗ Signature du point de contrôle : aucune signature de la clé attendue/);
    });

    it('fails a proof with one hash changed', async () => {
      const proof = log.proofView(7);
      proof.proof[2] = log.root(5).toString('base64');
      const result = await verify([
        '--checkpoint',
        file('checkpoint.txt'),
        '--key',
        log.key.verifierKey,
        '--entry',
        file('entry.json'),
        '--proof',
        await save('bad-proof.json', proof),
      ]);
      failedWith(result, /✗ Entrée 7 : preuve d’inclusion : la preuve ne mène pas à la racine signée/);
    });

    it('fails a proof that is another entry’s, or for another tree size, and says how to get the right one', async () => {
      const other = await verify([
        '--checkpoint',
        file('checkpoint.txt'),
        '--key',
        log.key.verifierKey,
        '--entry',
        file('entry.json'),
        '--proof',
        await save('proof-8.json', log.proofView(8)),
      ]);
      expect(other.code).toBe(3);
      expect(other.stdout).toContain('✗ Entrée 7 : empreinte de la feuille : ');
      expect(other.stdout).toContain('✗ Entrée 7 : preuve d’inclusion : la preuve concerne l’entrée 8');
      const older = await verify([
        '--checkpoint',
        file('checkpoint.txt'),
        '--key',
        log.key.verifierKey,
        '--entry',
        file('entry.json'),
        '--proof',
        await save('proof-100.json', log.proofView(7, 100)),
      ]);
      failedWith(older, /preuve pour un arbre de 100 entrées, le point de contrôle en compte 300 : redemandez-la avec \?treeSize=300/);
    });

    it('fails an entry whose public part, leaf bytes or details were changed', async () => {
      const args = ['--checkpoint', file('checkpoint.txt'), '--key', log.key.verifierKey, '--proof', file('proof.json')];
      const shown = { ...log.entryView(7), public: { ...log.entryView(7).public, dataset: 'un-autre-jeu' } };
      failedWith(
        await verify([...args, '--entry', await save('shown.json', shown)]),
        /✗ Entrée 7 : contenu : type, date, partie publique ou engagement diffèrent/,
      );

      const leaf = Buffer.from(log.entryView(7).leaf, 'base64').toString('utf8').replace('jeu-7', 'jeu-8');
      const bytes = await verify([
        ...args,
        '--entry',
        await save('leaf.json', { ...log.entryView(7), leaf: Buffer.from(leaf).toString('base64') }),
      ]);
      expect(bytes.code).toBe(3);
      expect(bytes.stdout).toMatch(/✗ Entrée 7 : empreinte de la feuille : la feuille donne .*, l’entrée annonce/);

      const details = await verify([
        ...args,
        '--entry',
        await save('details.json', { ...log.entryView(7), details: { by: 'quelqu’un d’autre' } }),
      ]);
      failedWith(details, /✗ Entrée 7 : détails privés : .*SHA-256\(sel ‖ détails\) ne donne pas l’engagement/);
    });

    it('fails a consistency proof changed, or between two histories', async () => {
      const consistency = log.consistencyView(100);
      consistency.proof[0] = consistency.proof[1]!;
      const changed = await verify([
        ...['--checkpoint', file('checkpoint.txt'), '--key', log.key.verifierKey],
        ...['--old-checkpoint', file('old.txt'), '--consistency', await save('bad-consistency.json', consistency)],
      ]);
      failedWith(changed, /✗ Ajout seul entre 100 entrées et 300 entrées : la preuve ne mène pas à la racine signée/);

      // The same key signing a second history of 100 entries: a fork, whatever proof comes with it.
      const fork = new FixtureLog(log.origin).append(100);
      const forked = signNote(fork.body(), log.key);
      const result = await verify([
        ...['--checkpoint', file('checkpoint.txt'), '--key', log.key.verifierKey],
        ...['--old-checkpoint', await save('fork.txt', forked), '--consistency', file('consistency.json')],
      ]);
      failedWith(result, /✗ Ajout seul entre 100 entrées et 300 entrées : la preuve ne mène pas à la racine signée/);
    });

    it('fails a witness cosignature that is missing or forged', async () => {
      const witness = noteKey('temoin.test', SIGNATURE_TYPE_COSIGNATURE_V1);
      const missing = await verify([
        '--checkpoint',
        file('checkpoint.txt'),
        '--key',
        log.key.verifierKey,
        '--witness',
        witness.verifierKey,
      ]);
      failedWith(missing, /✗ Cosignature du témoin temoin\.test\+[0-9a-f]{8} : absente de ce point de contrôle/);
      // A cosignature over another checkpoint body, pasted under this one.
      const pasted = await save('pasted.txt', log.checkpoint() + cosignatureLine(log.body(100), witness, 1_790_000_000));
      failedWith(
        await verify(['--checkpoint', pasted, '--key', log.key.verifierKey, '--witness', witness.verifierKey]),
        /✗ Cosignature du témoin .*: signature invalide/,
      );
    });
  });

  describe('when the command line is incomplete', () => {
    it('refuses before reading anything, with exit code 2', async () => {
      const cases: [string[], RegExp][] = [
        [['--checkpoint', 'c.txt'], /donnez la clé du nœud avec --key ou --key-file/],
        [['--checkpoint', 'c.txt', '--key', 'k', '--entry', 'e.json'], /--entry et --proof vont ensemble/],
        [['--consistency', 'p.json'], /--consistency demande --old-checkpoint/],
        [['--entry-index', '-1'], /Valeur « -1 » invalide pour --entry-index/],
      ];
      for (const [args, message] of cases) {
        const result = await verify(args);
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stderr).toMatch(message);
      }
      const witnessAsKey = await verify(['--checkpoint', file('checkpoint.txt'), '--key', noteKey('temoin.test', 0x04).verifierKey]);
      expect(witnessAsKey.code).toBe(2);
      expect(witnessAsKey.stderr).toMatch(/est une clé de témoin \(type 0x04\), pas la clé d’un nœud/);
      const garbage = await verify(['--checkpoint', file('checkpoint.txt'), '--key', 'pas-une-clé']);
      expect(garbage.code).toBe(2);
      expect(garbage.stderr).toMatch(/^Erreur : Clé de vérification invalide \(--key\)/);
    });

    it('says which file it cannot read (exit code 1)', async () => {
      const result = await verify(['--checkpoint', file('absent.txt'), '--key', log.key.verifierKey]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Impossible de lire le point de contrôle ${file('absent.txt')} : fichier introuvable.`);
    });
  });
});

describe('the tiles audit', () => {
  const log = new FixtureLog().append(600);
  const checkpoint = { size: log.size, root: log.root() };
  const audit = async (tiles: Map<string, Buffer>, target = checkpoint) => {
    const verdict = new Verdict();
    await auditTiles(verdict, nodeCrypto.sha256, target, async (p) => {
      const tile = tiles.get(p);
      if (!tile) throw new Error(`404 ${p}`);
      return tile;
    });
    return verdict;
  };

  it('recomputes the root from every entry bundle and tile (two full level-0 tiles, a partial one, level 1)', async () => {
    const tiles = log.tiles();
    expect([...tiles.keys()].sort()).toEqual([
      'tile/0/000',
      'tile/0/001',
      'tile/0/002.p/88',
      'tile/1/000.p/2',
      'tile/entries/000',
      'tile/entries/001',
      'tile/entries/002.p/88',
    ]);
    const verdict = await audit(tiles);
    expect(verdict.failures).toEqual([]);
    expect(verdict.checks.map((c) => c.check)).toEqual(['tiles.entries', 'tiles.hashes', 'tiles.root']);
    expect(verdict.checks[2]!.message).toContain('identique à celle du point de contrôle (7 fichiers téléchargés)');
  });

  it('catches an entry bundle, a tile or a root that do not agree', async () => {
    const entry = log.tiles();
    const bundle = Buffer.from(entry.get('tile/entries/001')!);
    bundle[10] = bundle[10]! ^ 1;
    entry.set('tile/entries/001', bundle);
    expect((await audit(entry)).failures[0]).toMatchObject({
      check: 'tiles.entries',
      message: expect.stringContaining('l’entrée 256 ne donne pas l’empreinte de la tuile 0/1'),
    });

    const upper = log.tiles();
    upper.set('tile/1/000.p/2', Buffer.concat([upper.get('tile/1/000.p/2')!.subarray(0, 32), Buffer.alloc(32)]));
    expect((await audit(upper)).failures[0]).toMatchObject({
      check: 'tiles.hashes',
      message: expect.stringContaining('la tuile 1/0 ne résume pas la tuile 0/1'),
    });

    const root = await audit(log.tiles(), { size: log.size, root: log.root(599) });
    expect(root.failures[0]).toMatchObject({ check: 'tiles.root', code: 'mismatch' });
  });
});

describe('confiance ledger witness-key', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-witness-key-'));
  });
  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes a 0600 PKCS#8 key and prints its cosignature/v1 verifier key; never overwrites without --force', async () => {
    const env = { ...baseEnv(dir), CONFIANCE_URL: 'http://127.0.0.1:9' };
    const keyFile = path.join(dir, 'temoin.pem');
    const result = await run(['ledger', 'witness-key', '--name', 'temoin.test', '-o', keyFile, '--json'], env);
    expect(result.code).toBe(0);
    const { verifierKey, name } = JSON.parse(result.stdout) as { verifierKey: string; name: string };
    expect(name).toBe('temoin.test');
    const key = await parseVerifierKey(nodeCrypto.sha256, verifierKey);
    expect(key).toMatchObject({ name: 'temoin.test', type: SIGNATURE_TYPE_COSIGNATURE_V1 });
    expect((await fs.stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);

    const again = await run(['ledger', 'witness-key', '--name', 'temoin.test', '-o', keyFile], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/existe déjà : ajoutez --force/);
    const badName = await run(['ledger', 'witness-key', '--name', 'mon témoin', '-o', path.join(dir, 'x.pem')], env);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/Nom de témoin invalide « mon témoin »/);
  });
});

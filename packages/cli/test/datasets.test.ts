import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DatasetSearchResult, DatasetView } from '@confiance/contract';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, TEST_PASSWORD, testNode, type TestNode } from '../../server/test/harness';
import { facetSummary } from '../src/commands/datasets/search';
import { announcedSha256, fileName } from '../src/commands/datasets/download';
import { departement, region } from '../src/geography';
import { buildProgram } from '../src/main';
import { formatBytes } from '../src/output';
import { progress } from '../src/progress';
import { baseEnv, run } from './run';

const VERBS = ['publish', 'list', 'search', 'show', 'versions', 'download', 'deprecate', 'withdraw'];

describe('confiance datasets: the grammar', () => {
  const datasets = buildProgram({ serving: false }).commands.find((c) => c.name() === 'datasets')!;

  it('has the eight verbs, each with --json and a French description', () => {
    expect(datasets.commands.map((c) => c.name())).toEqual(VERBS);
    for (const verb of datasets.commands) {
      expect(verb.options.map((o) => o.long)).toContain('--json');
      expect(verb.description()).toMatch(/^[a-zé]/);
    }
  });

  it('prints French help, and `--version` after the noun is the dataset version, not the CLI’s', async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-datasets-help-'));
    try {
      const help = await run(['datasets', 'download', '--help'], baseEnv(home));
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Utilisation : confiance datasets download \[options\] <jeu>/);
      expect(help.stdout).toMatch(/--version <n>\s+numéro de version/);
      expect(help.stdout).toMatch(/-o, --output <fichier>/);
      const publish = await run(['datasets', 'help', 'publish'], baseEnv(home));
      expect(publish.stdout).toContain('--confirm-schema-change');
      expect(publish.stdout).toContain('--column-personal <table.colonne>');
      expect(publish.stdout).toMatch(/--departement <code>\s+département couvert, répétable : 09, 11,\s+12, 30/);
    } finally {
      await fs.rm(home, { recursive: true, force: true });
    }
  });

  it('refuses incomplete or contradictory command lines before sending anything (exit code 2)', async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-datasets-usage-'));
    // Nothing listens there: a usage error must come before any request.
    const env = { ...baseEnv(home), CONFIANCE_URL: 'http://127.0.0.1:9' };
    try {
      const missing = await run(['datasets', 'publish', 'nowhere.csv', '--organisation', 'x', '--title', 'T'], env);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe(
        'Erreur : Il manque --description ou --description-file, --licence, --level (ou les champs description, licence, accessLevel de --metadata) ; pour une nouvelle version d’un jeu existant, utilisez --dataset.\n',
      );
      const version = await run(['datasets', 'publish', 'f.csv', '--dataset', 'd', '--title', 'T', '--level', 'open'], env);
      expect(version.code).toBe(2);
      expect(version.stderr).toMatch(/^Erreur : Avec --dataset \(nouvelle version\), --title, --level ne s’applique pas/);
      const area = await run(['datasets', 'publish', 'f.csv', '--departement', '75'], env);
      expect(area.code).toBe(2);
      expect(area.stderr).toMatch(/^Erreur : Valeur « 75 » invalide pour --departement <code> : département d’Occitanie attendu/);
    } finally {
      await fs.rm(home, { recursive: true, force: true });
    }
  });
});

describe('confiance datasets: helpers', () => {
  it('maps Occitanie départements and regions to INSEE areas, zero-padded', () => {
    expect(departement('9')).toEqual({ level: 'departement', code: '09', name: 'Ariège', bbox: null });
    expect(departement('34')).toMatchObject({ code: '34', name: 'Hérault' });
    expect(region('76')).toEqual({ level: 'region', code: '76', name: 'Occitanie', bbox: null });
    expect(() => departement('13')).toThrow(/Occitanie/);
  });

  it('keeps only a bare file name from content-disposition, whatever the server sends', () => {
    expect(fileName('attachment; filename="comptages-v2.parquet"')).toBe('comptages-v2.parquet');
    expect(fileName('attachment; filename="x.csv"; filename*=UTF-8\'\'donn%C3%A9es%20sant%C3%A9.csv')).toBe('données santé.csv');
    expect(fileName('attachment; filename="../../.bashrc"')).toBeUndefined();
    expect(fileName('attachment; filename="/etc/cron.d/evil"')).toBe('evil');
    expect(fileName('attachment; filename="..\\\\..\\\\x.csv"')).toBe('x.csv');
    expect(fileName(null)).toBeUndefined();
  });

  it('reads the SHA-256 the server announces, in either header', () => {
    const sha = createHash('sha256').update('abc').digest();
    expect(announcedSha256(new Headers({ digest: `sha-256=${sha.toString('base64')}` }))).toBe(sha.toString('hex'));
    expect(announcedSha256(new Headers({ 'repr-digest': `sha-512=:AAAA:, sha-256=:${sha.toString('base64')}:` }))).toBe(
      sha.toString('hex'),
    );
    expect(announcedSha256(new Headers())).toBeUndefined();
  });

  it('sizes in French units', () => {
    expect(formatBytes(512)).toBe('512 o');
    expect(formatBytes(1_234_567)).toBe('1,2 Mo');
  });

  it('summarises facets on one line, in French, five values at most', () => {
    const empty = { theme: [], domain: [], publisher: [], licence: [], accessLevel: [], departement: [], format: [], frequency: [] };
    const line = facetSummary({
      facets: {
        ...empty,
        theme: [
          { value: 'TRAN', label: null, count: 3 },
          { value: 'HEAL', label: 'Health', count: 1 },
        ],
        publisher: [{ value: 'occitanie', label: 'Occitanie Data', count: 4 }],
        accessLevel: [{ value: 'aggregate_only', label: null, count: 1 }],
        departement: Array.from({ length: 7 }, (_, i) => ({ value: `3${i}`, label: null, count: 1 })),
      },
    });
    expect(line).toBe(
      'Thèmes : transports 3, santé 1 · Producteurs : Occitanie Data 4 · Accès : agrégats seulement 1 · Départements : 30 1, 31 1, 32 1, 33 1, 34 1, …',
    );
  });

  it('draws a bar in place on a terminal, and one line per phase elsewhere', () => {
    const written: string[] = [];
    const stream = (isTTY: boolean) => ({ isTTY, columns: 120, write: (s: string) => written.push(s) }) as unknown as NodeJS.WriteStream;
    const tty = progress(stream(true));
    tty.phase('Envoi de a.csv');
    tty.update(500_000, 1_000_000);
    tty.update(1_000_000, 1_000_000);
    tty.stop();
    expect(written.at(-2)).toMatch(/^\r\u001b\[2KEnvoi de a\.csv █{30} 100 % \(1 Mo \/ 1 Mo\)$/);
    expect(written.at(-1)).toBe('\r\u001b[2K');
    const narrow = progress({ isTTY: true, columns: 70, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream);
    narrow.phase('Envoi de comptages.csv (1 Mo)');
    narrow.update(1_000_000, 1_000_000);
    expect(written.at(-1)).toMatch(/^\r\u001b\[2KEnvoi de comptages\.csv \(1 Mo\) █{19} 100 % \(1 Mo \/ 1 Mo\)$/); // 69 columns: the bar shrinks, the figures stay

    written.length = 0;
    const log = progress(stream(false));
    log.phase('Conversion : lecture des lignes');
    log.update(1, 2, 'none');
    log.phase('Conversion : lecture des lignes');
    log.phase('Conversion : écriture en Parquet');
    log.stop();
    expect(written).toEqual(['Conversion : lecture des lignes…\n', 'Conversion : écriture en Parquet…\n']);
  });
});

const COUNTS_V1 = [
  'date,compteur,commune,velos,vitesse',
  '2024-01-01,Albert 1er,Montpellier,1200,18.5',
  '2024-01-02,Albert 1er,Montpellier,1350,19.1',
  '2024-01-03,Celleneuve,Montpellier,800,17.2',
  '',
].join('\n');
const COUNTS_V2 = [
  'date,compteur,commune,velos',
  '2024-01-01,Albert 1er,Montpellier,1200',
  '2024-01-02,Albert 1er,Montpellier,1350',
  '2024-01-03,Celleneuve,Montpellier,800',
  '2024-01-04,Celleneuve,Montpellier,920',
  '',
].join('\n');
/** A spreadsheet export as French offices still produce it: Windows-1252, `;`, decimal commas, CRLF. */
const HEALTH_1252 = iconv.encode(
  [
    'code_commune;libellé;médecins;dépense;patient',
    '34032;Béziers;212;12,5;Jérôme Œillet',
    '09122;Foix;48;9,75;Cœur Amélie',
    '31555;Toulouse;2345;13,0;Zoé Müller',
    '',
  ].join('\r\n'),
  'windows-1252',
);

describe('confiance datasets against a running node', () => {
  let node: TestNode;
  let home: string;
  let work: string;
  let env: Record<string, string>;
  const email = 'steward@datasets-cli.example';
  const cli = (args: string[], extra: Record<string, string> = {}) => run(args, { ...env, ...extra }, '', work);
  const file = (name: string) => path.join(work, name);
  const json = <T>(stdout: string) => JSON.parse(stdout) as T;

  beforeAll(async () => {
    node = await testNode('pglite');
    await node.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = node.app.server.address() as net.AddressInfo;
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-datasets-'));
    work = path.join(home, 'work');
    await fs.mkdir(work);
    env = { ...baseEnv(home), CONFIANCE_URL: `http://127.0.0.1:${port}` };
    const org = await makeOrganisation(node.ctx, { slug: 'mobilite-34', shortName: 'Mobilité 34', domains: ['mobility'] });
    await makeUser(node.ctx, { email, organisationId: org.id, role: 'data_steward' });
    await fs.writeFile(file('comptages.csv'), COUNTS_V1);
    // Same file name as the first version: the table is named after the file.
    await fs.mkdir(file('v2'));
    await fs.writeFile(file('v2/comptages.csv'), COUNTS_V2);
    await fs.writeFile(file('sante.csv'), HEALTH_1252);
    await fs.writeFile(file('description.md'), 'Passages de vélos relevés chaque jour par les compteurs de Montpellier.\n');
    await fs.writeFile(
      file('sante.json'),
      JSON.stringify({
        contactPoint: { name: 'Observatoire', email: 'obs@mobilite-34.example' },
        temporal: { start: '2024-01-01', end: '2024-12-31' },
        columns: [{ table: 'sante', name: 'dépense', description: 'Dépense moyenne par habitant', unit: 'EUR' }],
        keywords: ['santé'],
      }),
    );
    const signedIn = await run(['login', '--email', email, '--password-stdin'], env, `${TEST_PASSWORD}\n`);
    expect(signedIn.stderr).toBe('');
    expect(signedIn.code).toBe(0);
  });
  afterAll(async () => {
    await node?.close();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  let counts: DatasetView;
  let health: DatasetView;

  it('publishes a CSV, showing one line per phase on a non-terminal, and prints the slug and URL', async () => {
    const result = await cli([
      'datasets',
      'publish',
      file('comptages.csv'),
      '--organisation',
      'mobilite-34',
      '--title',
      'Comptages vélo Montpellier',
      '--description-file',
      file('description.md'),
      '--licence',
      'etalab-2.0',
      '--level',
      'open',
      '--keyword',
      'vélo',
      '--keyword',
      'comptage',
      '--theme',
      'tran',
      '--domain',
      'mobility',
      '--departement',
      '34',
      '--region',
      '76',
      '--frequency',
      'daily',
      '--slug',
      'comptages-velo',
      '--attribution',
      'Mobilité 34',
    ]);
    expect(result.stderr).toMatch(/^Envoi de comptages\.csv \(\d+ o\)…\n/);
    expect(result.stderr).toContain('Fichier converti : 3 lignes, 5 colonnes.');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'Jeu de données « Comptages vélo Montpellier » publié (version 1, 3 lignes).',
        'Slug : comptages-velo',
        'URL  : http://confiance.test/datasets/comptages-velo',
        '',
      ].join('\n'),
    );
  });

  it('publishes a Windows-1252 `;` file with --metadata, flags over it, and a personal column, as JSON', async () => {
    const result = await cli([
      'datasets',
      'publish',
      file('sante.csv'),
      '--metadata',
      file('sante.json'),
      '--organisation',
      'mobilite-34',
      '--title',
      'Médecins et dépenses de santé',
      '--description',
      'Démographie médicale par commune.',
      '--licence',
      'proprietary',
      '--level',
      'aggregate_only',
      '--theme',
      'HEAL',
      '--keyword',
      'médecins',
      '--column-personal',
      'patient',
      '--column-sensitive',
      'sante.dépense',
      '--json',
    ]);
    expect(result.stderr).not.toContain('Erreur');
    expect(result.code).toBe(0);
    health = json<DatasetView>(result.stdout);
    expect(health).toMatchObject({
      title: { fr: 'Médecins et dépenses de santé' },
      accessLevel: 'aggregate_only',
      licence: 'proprietary',
      themes: ['HEAL'],
      keywords: ['médecins'], // the flag replaces the file's list
      contactPoint: { name: 'Observatoire', email: 'obs@mobilite-34.example' },
      temporal: { start: '2024-01-01', end: '2024-12-31' },
      version: { number: 1, rowCount: 3, source: { encoding: expect.stringMatching(/1252/i), delimiter: ';', decimalComma: true } },
    });
    const columns = health.version.tables[0]!.columns;
    const column = (name: string) => columns.find((c) => c.name === name)!;
    expect(column('patient')).toMatchObject({ personal: true, sensitive: false });
    expect(column('dépense')).toMatchObject({ sensitive: true, description: 'Dépense moyenne par habitant', unit: 'EUR', type: 'number' });
    expect(column('code_commune')).toMatchObject({ type: 'string', min: '09122' }); // codes stay text, zero kept
    expect(column('libellé').examples).toContain('Béziers');
    expect(column('dépense')).toMatchObject({ min: 9.75, max: 13 });
  });

  it('finds datasets: search as a table with a facet line, and as {items,total,facets}; list newest first', async () => {
    const found = await cli(['datasets', 'search', 'vélo', '--json']);
    expect(found.code).toBe(0);
    const result = json<DatasetSearchResult>(found.stdout);
    expect(result.total).toBe(1);
    expect(result.items).toEqual([expect.objectContaining({ id: expect.any(String), slug: 'comptages-velo' })]);
    expect(result.facets.theme).toEqual([expect.objectContaining({ value: 'TRAN', count: 1 })]);

    const human = await cli(['datasets', 'search', 'velo', '--departement', '34', '--theme', 'TRAN']);
    expect(human.code).toBe(0);
    const lines = human.stdout.split('\n');
    expect(lines[0]).toMatch(/^SLUG\s+TITRE\s+PRODUCTEUR\s+ACCÈS\s+LICENCE\s+FORMATS\s+MIS À JOUR$/);
    expect(lines[1]).toMatch(/^comptages-velo\s+Comptages vélo Montpellier\s+Mobilité 34\s+ouvert\s+Licence Ouverte 2\.0\s+\S/);
    expect(human.stdout).toContain('\n1 jeu de données.\n');
    expect(human.stdout).toMatch(/^Thèmes : transports 1 · .*Accès : ouvert 1/m);

    const list = await cli(['datasets', 'list', '--json']);
    const items = json<DatasetSearchResult>(list.stdout).items;
    expect(items.map((d) => d.slug)).toEqual([health.slug, 'comptages-velo']);
    for (const item of items) expect(item).toEqual(expect.objectContaining({ id: expect.any(String), slug: expect.any(String) }));
  });

  it('shows a dataset by slug or id: metadata, the caller’s access, and columns with statistics', async () => {
    const human = await cli(['datasets', 'show', 'comptages-velo']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Producteur\s+Mobilité 34 \(mobilite-34\)$/m);
    expect(human.stdout).toMatch(/^Couverture\s+Occitanie \(76\), Hérault \(34\)$/m);
    expect(human.stdout).toMatch(/^Fréquence\s+quotidienne$/m);
    expect(human.stdout).toMatch(/^Pour vous\s+aperçu oui, téléchargement oui$/m);
    expect(human.stdout).toContain('Passages de vélos relevés chaque jour');
    expect(human.stdout).toMatch(/^Table comptages — 3 lignes, /m);
    expect(human.stdout).toMatch(/^velos\s+entier\s+0\s+3\s+800\s+1350$/m);

    const byId = await cli(['datasets', 'show', health.id, '--json']);
    expect(json<DatasetView>(byId.stdout)).toMatchObject({ id: health.id, slug: health.slug, access: { download: false } });

    const missing = await cli(['datasets', 'show', 'nothing-here']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Erreur : Jeu de données « nothing-here » introuvable.*\(not_found, [\w-]+\)\n$/);
  });

  let uploadId: string;

  it('refuses a version that drops a column until the change is confirmed, without sending the file again', async () => {
    const refused = await cli([
      'datasets',
      'publish',
      file('v2/comptages.csv'),
      '--dataset',
      'comptages-velo',
      '--notes',
      'Sans la vitesse',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Changements de schéma :\n  - colonne supprimée : comptages.vitesse\n');
    expect(refused.stderr).toMatch(/--confirm-schema-change --upload [0-9a-f-]{36}.*\(schema_change_unconfirmed, [\w-]+\)\n$/);
    uploadId = /--upload ([0-9a-f-]{36})/.exec(refused.stderr)![1]!;

    const confirmed = await cli([
      'datasets',
      'publish',
      '--upload',
      uploadId,
      '--dataset',
      'comptages-velo',
      '--notes',
      'Sans la vitesse',
      '--confirm-schema-change',
      '--json',
    ]);
    expect(confirmed.stderr).not.toContain('Erreur');
    expect(confirmed.code).toBe(0);
    counts = json<DatasetView>(confirmed.stdout);
    expect(counts).toMatchObject({
      slug: 'comptages-velo',
      versionCount: 2,
      version: { number: 2, rowCount: 4, notes: 'Sans la vitesse' },
    });
    expect(counts.version.tables[0]!.columns.map((c) => c.name)).toEqual(['date', 'compteur', 'commune', 'velos']);

    const versions = await cli(['datasets', 'versions', 'comptages-velo', '--json']);
    const list = json<{ items: { number: number; rowCount: number; notes: string | null }[]; total: number }>(versions.stdout);
    expect(list.total).toBe(2);
    expect(list.items.map((v) => [v.number, v.rowCount])).toEqual([
      [2, 4],
      [1, 3],
    ]);
  });

  it('downloads Parquet to the server’s file name and CSV to stdout or a folder, byte for byte', async () => {
    const parquet = await cli(['datasets', 'download', 'comptages-velo', '--json']); // into the working folder
    expect(parquet.code).toBe(0);
    const saved = json<{ file: string; bytes: number; sha256: string }>(parquet.stdout);
    const bytes = await fs.readFile(saved.file);
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    expect(bytes.length).toBe(saved.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(saved.sha256);
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (await duck.runAndReadAll(`select compteur, velos from read_parquet('${saved.file}') order by date`)).getRowObjectsJson();
    expect(rows).toEqual([
      { compteur: 'Albert 1er', velos: '1200' },
      { compteur: 'Albert 1er', velos: '1350' },
      { compteur: 'Celleneuve', velos: '800' },
      { compteur: 'Celleneuve', velos: '920' },
    ]);
    duck.closeSync();

    const csv = await cli(['datasets', 'download', 'comptages-velo', '--format', 'csv', '-o', '-']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.trim().split(/\r?\n/)).toEqual(COUNTS_V2.trim().split('\n'));

    const old = await cli(['datasets', 'download', 'comptages-velo', '--version', '1', '--format', 'csv', '-o', work]);
    expect(old.code).toBe(0);
    const oldFile = /^Enregistré : (.+) \(\d+ o\)\.$/m.exec(old.stdout)![1]!;
    expect(path.dirname(oldFile)).toBe(work);
    expect(await fs.readFile(oldFile, 'utf8')).toContain('vitesse');

    const again = await cli(['datasets', 'download', 'comptages-velo', '--version', '1', '--format', 'csv', '-o', oldFile]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('existe déjà : ajoutez --force');
  });

  it('says why a download is refused, with the server’s message', async () => {
    const refused = await cli(['datasets', 'download', health.slug, '-o', file('refused.parquet')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Erreur : .+\((forbidden|unauthenticated), [\w-]+\)\n$/);
    await expect(fs.stat(file('refused.parquet'))).rejects.toMatchObject({ code: 'ENOENT' });

    // Open data needs no account at all.
    const anonymous = await cli(['datasets', 'download', 'comptages-velo', '--format', 'csv', '-o', '-'], {
      XDG_CONFIG_HOME: path.join(home, 'nobody'),
    });
    expect(anonymous.code).toBe(0);
    expect(anonymous.stdout).toContain('Celleneuve');
  });

  it('fails on a file that is not data with the server’s French message and exit code 1', async () => {
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 256;
    await fs.writeFile(file('garbage.csv'), garbage);
    const result = await cli([
      'datasets',
      'publish',
      file('garbage.csv'),
      '--organisation',
      'mobilite-34',
      '--title',
      'Rien',
      '--description',
      'Rien du tout.',
      '--licence',
      'etalab-2.0',
      '--level',
      'open',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/Erreur : Ce fichier ne contient pas du texte .*\(not_text\)\n$/);
  });

  it('deprecates, then withdraws only once confirmed', async () => {
    const deprecated = await cli(['datasets', 'deprecate', 'comptages-velo', '--note', 'Remplacé par les comptages 2025.', '--json']);
    expect(deprecated.code).toBe(0);
    expect(json<DatasetView>(deprecated.stdout)).toMatchObject({
      status: 'deprecated',
      deprecation: { note: 'Remplacé par les comptages 2025.' },
    });

    const unconfirmed = await cli(['datasets', 'withdraw', 'comptages-velo', '--reason', 'Demande du producteur.']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toBe('Erreur : Pas de terminal pour saisir la réponse : utilisez --yes.\n');

    const withdrawn = await cli(['datasets', 'withdraw', 'comptages-velo', '--reason', 'Demande du producteur.', '--yes']);
    expect(withdrawn.code).toBe(0);
    expect(withdrawn.stdout).toContain('« Comptages vélo Montpellier » (comptages-velo) est retiré');

    const list = await cli(['datasets', 'list', '--include-withdrawn', '--json']);
    const items = json<DatasetSearchResult>(list.stdout).items;
    expect(items.find((d) => d.slug === 'comptages-velo')).toMatchObject({ status: 'withdrawn' });
  });
});

import fs from 'node:fs/promises';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends';
import {
  expectError,
  makeOrganisation,
  makeUser,
  publishTestDataset,
  signInAs,
  SMALL_CSV,
  testNode,
  uploadFile,
  type Caller,
  type TestNode,
} from './harness';

/**
 * The catalog over HTTP, on both databases: upload → review → publish → versions → deprecate →
 * withdraw, the data as each access level allows, DCAT-AP by content negotiation.
 */

const ACCENTED_CSV =
  'code_dep;département;date;qualité\n09;Ariège;02/01/2024;1,5\n34;Hérault;03/01/2024;2,25\n66;Pyrénées-Orientales;04/01/2024;3\n81;Tarn – cœur d’Albi;05/01/2024;4\n';
// The en dash, œ and ’ exist in Windows-1252 only (0x96, 0x9C, 0x92): the file cannot pass for Latin-1.

describe.each(backends())('catalog on %s', (backend) => {
  let node: TestNode;
  let org: { id: string; slug: string };
  let other: { id: string; slug: string };
  let steward: Caller;
  let outsider: Caller;
  const get = (url: string, headers: Record<string, string> = {}) => node.app.inject({ url, headers });
  const post = (url: string, headers: Record<string, string>, payload: object) =>
    node.app.inject({ method: 'POST', url, headers, payload });

  beforeAll(async () => {
    node = await testNode(backend);
    org = await makeOrganisation(node.ctx, { shortName: 'Atmo Test' });
    other = await makeOrganisation(node.ctx);
    const s = await makeUser(node.ctx, { organisationId: org.id, role: 'data_steward' });
    const o = await makeUser(node.ctx, { organisationId: other.id, role: 'data_steward' });
    steward = await signInAs(node.app, s.email);
    outsider = await signInAs(node.app, o.email);
  });
  afterAll(() => node.close());

  describe('publishing a Windows-1252, semicolon-separated file', () => {
    let slug: string;
    const source = iconv.encode(ACCENTED_CSV, 'win1252');

    it('converts the upload and shows the inferred schema before anything is published', async () => {
      const upload = await uploadFile(node.app, steward.headers, 'qualite-eau.csv', source);
      expect(upload.status).toBe('ready');
      const body = upload.body as {
        source: { encoding: string; delimiter: string; decimalComma: boolean };
        tables: { name: string; rowCount: number; columns: { name: string; type: string; min: unknown }[] }[];
      };
      expect(body.source).toMatchObject({ encoding: 'windows-1252', delimiter: ';', decimalComma: true });
      expect(body.tables[0]).toMatchObject({ rowCount: 4 });
      const columns = Object.fromEntries(body.tables[0]!.columns.map((c) => [c.name, c]));
      expect(columns.code_dep).toMatchObject({ type: 'string', min: '09' });
      expect(columns.date).toMatchObject({ type: 'date', min: '2024-01-02' });
      expect(columns['qualité']).toMatchObject({ type: 'number' });
      // Still nothing in the catalog.
      expect((await get('/api/v1/datasets')).json().total).toBe(0);

      const response = await post('/api/v1/datasets', steward.headers, {
        organisation: org.slug,
        upload: upload.id,
        title: { fr: 'Qualité de l’eau des plages de l’Hérault' },
        description: { fr: 'Mesures de qualité des eaux de baignade, par département.' },
        keywords: ['baignade', 'plages'],
        spatial: [{ level: 'departement', code: '34', name: 'Hérault' }],
        licence: 'etalab-2.0',
        accessLevel: 'open',
        columns: [{ table: body.tables[0]!.name, name: 'qualité', unit: 'indice', description: 'Indice de qualité' }],
      });
      expect(response.statusCode, response.body).toBe(201);
      const dataset = response.json();
      slug = dataset.slug;
      expect(slug).toBe('qualite-de-l-eau-des-plages-de-l-herault');
      expect(dataset).toMatchObject({
        uri: `http://confiance.test/datasets/${slug}`,
        status: 'published',
        currentVersion: 1,
        versionCount: 1,
        departements: ['34'],
        formats: ['CSV', 'PARQUET'],
        access: { preview: true, download: true },
        publisher: { slug: org.slug, name: 'Atmo Test' },
      });
      expect(dataset.spatial[0].bbox).toHaveLength(4);
      // The upload's folder is gone: its files moved into the object store.
      await expect(fs.access(path.join(node.ctx.config.dataDir, 'uploads', upload.id))).rejects.toThrow();
      const objects = path.join(node.ctx.config.dataDir, 'objects', 'datasets', dataset.id);
      expect((await fs.readdir(objects, { recursive: true })).sort()).toEqual([
        'v1',
        'v1/source.csv',
        'v1/tables',
        'v1/tables/qualite_eau.parquet',
      ]);
      const column = dataset.version.tables[0].columns.find((c: { name: string }) => c.name === 'qualité');
      expect(column).toMatchObject({ unit: 'indice', description: 'Indice de qualité', personal: false });
      // The upload cannot be published twice.
      const again = await post('/api/v1/datasets', steward.headers, {
        organisation: org.slug,
        upload: upload.id,
        title: { fr: 'Doublon' },
        description: { fr: 'Doublon' },
        licence: 'etalab-2.0',
        accessLevel: 'open',
      });
      expectError(again, 409, 'conflict');
    });

    it('is found by words typed without accents, in the singular, with labelled facets', async () => {
      const facets = (await get('/api/v1/datasets')).json().facets;
      expect(facets.departement).toContainEqual({ value: '34', label: 'Hérault', count: 1 });
      expect(facets.licence).toContainEqual({ value: 'etalab-2.0', label: 'Licence Ouverte 2.0', count: 1 });
      expect(facets.publisher).toContainEqual({ value: org.slug, label: 'Atmo Test', count: 1 });
      for (const q of ['qualite eau herault', 'plage', 'HÉRAULT baignade']) {
        const result = (await get(`/api/v1/datasets?q=${encodeURIComponent(q)}`)).json();
        expect(
          result.items.map((i: { slug: string }) => i.slug),
          q,
        ).toContain(slug);
      }
    });

    it('previews rows decoded from Windows-1252, with codes kept as text', async () => {
      const preview = (await get(`/api/v1/datasets/${slug}/preview`)).json();
      expect(preview.rowCount).toBe(4);
      expect(preview.rows[3][1]).toBe('Tarn – cœur d’Albi');
      expect(preview.rows[0]).toEqual(['09', 'Ariège', '2024-01-02', 1.5]);
      const chart = await get(`/api/v1/datasets/${slug}/chart?column=${encodeURIComponent('département')}`);
      expect(chart.statusCode, chart.body).toBe(200);
      expect(chart.json().buckets.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(4);
      expectError(await get(`/api/v1/datasets/${slug}/chart?column=nope`), 400, 'validation_failed');
    });

    it('downloads the original bytes, the Parquet table and a UTF-8 CSV', async () => {
      const original = await get(`/api/v1/datasets/${slug}/download?format=original`);
      expect(original.statusCode).toBe(200);
      expect(original.rawPayload.equals(source)).toBe(true);
      expect(original.headers['content-disposition']).toContain(`${slug}-v1.csv`);
      const parquet = await get(`/api/v1/datasets/${slug}/download`);
      expect(parquet.rawPayload.subarray(0, 4).toString()).toBe('PAR1');
      const csv = await get(`/api/v1/datasets/${slug}/download?format=csv`);
      expect(csv.body).toContain('Pyrénées-Orientales');
      expect(csv.body.split('\n')[0]).toContain('code_dep');
    });

    it('asks for confirmation before a version drops or flags columns, then keeps old versions readable', async () => {
      const dropped = ACCENTED_CSV.split('\n')
        .map((line) => line.split(';').slice(0, 3).join(';'))
        .join('\n');
      const upload = await uploadFile(node.app, steward.headers, 'qualite-eau.csv', dropped);
      const refused = await post(`/api/v1/datasets/${slug}/versions`, steward.headers, {
        upload: upload.id,
        versionNotes: 'Sans la colonne qualité',
      });
      const error = expectError(refused, 409, 'schema_change_unconfirmed');
      expect(error.details).toMatchObject({ changes: [{ kind: 'column_dropped', column: 'qualité' }], affected: [] });

      const accepted = await post(`/api/v1/datasets/${slug}/versions`, steward.headers, {
        upload: upload.id,
        versionNotes: 'Sans la colonne qualité',
        confirmSchemaChange: true,
      });
      expect(accepted.statusCode, accepted.body).toBe(201);
      expect(accepted.json()).toMatchObject({ currentVersion: 2, versionCount: 2 });
      const versions = (await get(`/api/v1/datasets/${slug}/versions`)).json();
      expect(versions.items.map((v: { number: number }) => v.number)).toEqual([2, 1]);
      const v1 = (await get(`/api/v1/datasets/${slug}/preview?version=1`)).json();
      expect(v1.columns).toHaveLength(4);
      expect((await get(`/api/v1/datasets/${slug}/preview`)).json().columns).toHaveLength(3);

      // Newly flagging a column personal is a schema change too.
      const flagged = await uploadFile(node.app, steward.headers, 'qualite-eau.csv', dropped);
      const table = (flagged.body as { tables: { name: string }[] }).tables[0]!.name;
      const refusedFlag = await post(`/api/v1/datasets/${slug}/versions`, steward.headers, {
        upload: flagged.id,
        columns: [{ table, name: 'département', personal: true }],
      });
      expect(expectError(refusedFlag, 409, 'schema_change_unconfirmed').details).toMatchObject({
        changes: [{ kind: 'column_flagged', column: 'département', detail: 'personal' }],
      });
    });

    it('keeps the table of a one-table dataset when next year’s file has another name', async () => {
      const sameColumns = ACCENTED_CSV.split('\n')
        .map((line) => line.split(';').slice(0, 3).join(';'))
        .join('\n');
      const upload = await uploadFile(node.app, steward.headers, 'qualite-eau-2025.csv', sameColumns);
      const response = await post(`/api/v1/datasets/${slug}/versions`, steward.headers, { upload: upload.id, versionNotes: 'Export 2025' });
      expect(response.statusCode, response.body).toBe(201);
      const tables = response.json().version.tables.map((t: { name: string }) => t.name);
      expect(tables).toEqual(['qualite_eau']);
      const versions = (await get(`/api/v1/datasets/${slug}/versions`)).json();
      expect(versions.items[0]).toMatchObject({ id: '3', number: 3, notes: 'Export 2025' });
    });

    it('serves DCAT-AP on the dataset URI by content negotiation', async () => {
      const turtle = await get(`/datasets/${slug}`, { accept: 'text/turtle' });
      expect(turtle.statusCode).toBe(200);
      expect(turtle.headers['content-type']).toMatch(/^text\/turtle/);
      expect(turtle.headers.vary).toContain('Accept');
      expect(turtle.body).toContain('dcat:Dataset');
      const jsonld = await get(`/datasets/${slug}`, { accept: 'application/ld+json' });
      expect(jsonld.json()['@context']).toBeTruthy();
      const html = await get(`/datasets/${slug}`, { accept: 'text/html,application/xhtml+xml' });
      expect([200, 503]).toContain(html.statusCode);
      expect(html.headers['content-type']).toMatch(/^text\/(html|plain)/);
      expectError(await get('/datasets/nope', { accept: 'text/turtle' }), 404, 'not_found');
      const catalog = await get('/catalog.ttl');
      expect(catalog.body).toContain('dcat:Catalog');
      expect(catalog.body).toContain(`/datasets/${slug}>`);
      expect((await get('/catalog.jsonld')).json()['@context']).toBeTruthy();
    });

    it('deprecates (still listed, flagged) then withdraws (no new access, hidden from search)', async () => {
      expectError(await post(`/api/v1/datasets/${slug}/deprecate`, outsider.headers, { note: 'Pas à vous' }), 403, 'forbidden');
      const deprecated = await post(`/api/v1/datasets/${slug}/deprecate`, steward.headers, { note: 'Remplacé par le jeu 2025' });
      expect(deprecated.json()).toMatchObject({ status: 'deprecated', deprecation: { note: 'Remplacé par le jeu 2025' } });
      expect((await get(`/api/v1/datasets/${slug}/preview`)).statusCode).toBe(200);
      expectError(await post(`/api/v1/datasets/${slug}/deprecate`, steward.headers, { note: 'Encore' }), 409, 'conflict');

      const withdrawn = await post(`/api/v1/datasets/${slug}/withdraw`, steward.headers, { reason: 'Erreur de mesure' });
      expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', withdrawal: { reason: 'Erreur de mesure' } });
      expectError(await get(`/api/v1/datasets/${slug}/preview`), 401, 'unauthenticated');
      expectError(await get(`/api/v1/datasets/${slug}/download`, outsider.headers), 403, 'forbidden');
      const view = (await get(`/api/v1/datasets/${slug}`)).json();
      expect(view.access).toMatchObject({ preview: false, download: false });
      expect(view.access.reason).toMatch(/retiré/);
      expect((await get('/api/v1/datasets?q=herault')).json().total).toBe(0);
      expect((await get('/api/v1/datasets?q=herault&includeWithdrawn=true')).json().total).toBe(1);
      expectError(await post(`/api/v1/datasets/${slug}/withdraw`, steward.headers, { reason: 'Encore' }), 410, 'dataset_withdrawn');
    });
  });

  describe('bad input publishes nothing', () => {
    it.each([
      [
        'binary garbage',
        'donnees.csv',
        Buffer.from([0x00, 0xff, 0xfe, 0x00, 0x12, 0x80, 0x81, 0x00, 0x00, 0x9c].concat(Array(500).fill(0))),
      ],
      ['an empty file', 'vide.csv', Buffer.alloc(0)],
      ['ragged rows', 'bancal.csv', Buffer.from('a;b;c\n1;2;3\n' + '4;5\n'.repeat(50))],
      ['broken JSON', 'mesures.json', Buffer.from('[{"a": 1}, {"a": ')],
    ])('%s: a clear French error, and the publication is refused', async (_name, file, content) => {
      const before = (
        await node.ctx.db
          .selectFrom('datasets')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
      const upload = await uploadFile(node.app, steward.headers, file, content);
      expect(upload.status).toBe('failed');
      const error = (upload.body as { error: { code: string; message: string } }).error;
      expect(error.message).toMatch(/[a-zé]{4,}/);
      const response = await post('/api/v1/datasets', steward.headers, {
        organisation: org.slug,
        upload: upload.id,
        title: { fr: 'Ne doit pas paraître' },
        description: { fr: 'Ne doit pas paraître' },
        licence: 'etalab-2.0',
        accessLevel: 'open',
      });
      expectError(response, 422, 'file_unreadable');
      const after = (
        await node.ctx.db
          .selectFrom('datasets')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
      expect(Number(after)).toBe(Number(before));
      await expect(fs.readdir(path.join(node.ctx.config.dataDir, 'uploads', upload.id))).resolves.not.toContain('source');
    });

    it('refuses annotations of unknown columns, taken slugs, other people’s uploads and foreign organisations', async () => {
      const upload = await uploadFile(node.app, steward.headers, 'mesures.csv', SMALL_CSV);
      const base = {
        organisation: org.slug,
        upload: upload.id,
        title: { fr: 'Mesures' },
        description: { fr: 'Des mesures.' },
        licence: 'etalab-2.0',
        accessLevel: 'open',
      };
      const unknownColumn = await post('/api/v1/datasets', steward.headers, { ...base, columns: [{ table: 'mesures', name: 'absente' }] });
      expect(expectError(unknownColumn, 400, 'validation_failed').message).toContain('absente');
      expectError(await post('/api/v1/datasets', outsider.headers, base), 403, 'forbidden');
      expectError(await post('/api/v1/datasets', outsider.headers, { ...base, organisation: other.slug }), 404, 'not_found');
      const published = await post('/api/v1/datasets', steward.headers, { ...base, slug: 'mesures-uniques' });
      expect(published.statusCode).toBe(201);
      const second = await uploadFile(node.app, steward.headers, 'mesures.csv', SMALL_CSV);
      expectError(
        await post('/api/v1/datasets', steward.headers, { ...base, upload: second.id, slug: 'mesures-uniques' }),
        409,
        'conflict',
      );
      expectError(
        await post('/api/v1/datasets', steward.headers, { ...base, upload: second.id, licence: 'wtfpl' }),
        400,
        'validation_failed',
      );
    });
  });

  describe('the access-level table (DESIGN.md) as a matrix', () => {
    const LEVELS = ['open', 'members', 'restricted', 'aggregate_only'] as const;
    type Who = 'anonymous' | 'memberOfAnother' | 'userWithoutOrganisation' | 'ownAnalyst' | 'operator';
    // preview rows / download, per level and caller (before any offer or contract exists).
    const EXPECTED: Record<(typeof LEVELS)[number], Record<Who, [boolean, boolean]>> = {
      open: {
        anonymous: [true, true],
        memberOfAnother: [true, true],
        userWithoutOrganisation: [true, true],
        ownAnalyst: [true, true],
        operator: [true, true],
      },
      members: {
        anonymous: [false, false],
        memberOfAnother: [true, false],
        userWithoutOrganisation: [false, false],
        ownAnalyst: [true, true],
        operator: [false, false],
      },
      restricted: {
        anonymous: [false, false],
        memberOfAnother: [false, false],
        userWithoutOrganisation: [false, false],
        ownAnalyst: [true, true],
        operator: [false, false],
      },
      aggregate_only: {
        anonymous: [false, false],
        memberOfAnother: [false, false],
        userWithoutOrganisation: [false, false],
        ownAnalyst: [false, false],
        operator: [false, false],
      },
    };
    const slugs: Record<string, string> = {};
    const callers: Partial<Record<Who, Record<string, string>>> = { anonymous: {} };

    beforeAll(async () => {
      const analyst = await makeUser(node.ctx, { organisationId: org.id, role: 'analyst' });
      const lonely = await makeUser(node.ctx);
      const operator = await makeUser(node.ctx, { platformRoles: ['operator'] });
      callers.ownAnalyst = (await signInAs(node.app, analyst.email)).headers;
      callers.userWithoutOrganisation = (await signInAs(node.app, lonely.email)).headers;
      callers.operator = (await signInAs(node.app, operator.email)).headers;
      callers.memberOfAnother = outsider.headers;
      for (const level of LEVELS)
        slugs[level] = (await publishTestDataset(node.app, steward.headers, org.slug, { accessLevel: level })).slug;
    });

    const cases = LEVELS.flatMap((level) =>
      (Object.keys(EXPECTED[level]) as Who[]).map((who) => [level, who, ...EXPECTED[level][who]] as const),
    );
    it.each(cases)('%s data, %s: preview %s, download %s', async (level, who, preview, download) => {
      const headers = callers[who]!;
      const view = (await get(`/api/v1/datasets/${slugs[level]}`, headers)).json();
      expect(view.access).toMatchObject({ preview, download });
      if (!preview) expect(view.access.reason).toBeTruthy();
      const rows = await get(`/api/v1/datasets/${slugs[level]}/preview`, headers);
      expect(rows.statusCode).toBe(preview ? 200 : who === 'anonymous' ? 401 : 403);
      const file = await get(`/api/v1/datasets/${slugs[level]}/download`, headers);
      expect(file.statusCode).toBe(download ? 200 : who === 'anonymous' ? 401 : 403);
      // Metadata is public at every level.
      expect((await get(`/api/v1/datasets/${slugs[level]}/versions/1`, headers)).statusCode).toBe(200);
    });

    it('never offers a download URL for data that is not open in the DCAT export', async () => {
      const doc = (await get('/catalog.jsonld')).body;
      expect(doc).toContain(`/api/v1/datasets/${slugs.open}/download`);
      for (const level of ['members', 'restricted', 'aggregate_only'])
        expect(doc).not.toContain(`/api/v1/datasets/${slugs[level]}/download`);
    });
  });

  it('serves Occitanie boundaries for the maps', async () => {
    const departements = (await get('/api/v1/geo?level=departement')).json();
    expect(departements.features).toHaveLength(13);
    expect(departements.features.map((f: { properties: { code: string } }) => f.properties.code)).toContain('09');
    const communes = (await get('/api/v1/geo?level=commune&departement=34')).json();
    expect(communes.features.length).toBeGreaterThan(300);
    expectError(await get('/api/v1/geo?level=commune&departement=09'), 404, 'not_found');
    expectError(await get('/api/v1/geo?level=canton'), 400, 'validation_failed');
  });
});

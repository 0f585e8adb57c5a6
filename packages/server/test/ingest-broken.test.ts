import fs from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestFormat, IngestError, type IngestErrorCode, type IngestResult, ingestFile } from '../src/modules/catalog/ingest/index';
import { DEMO_DATA, INGEST_FIXTURES, listing, queryParquet, sqlPath, tempDir } from './ingest-helpers';

/**
 * Broken and odd files: each failure has its code, a French message saying what to do, the line
 * when there is one, and leaves nothing behind (no Parquet file, no temporary file, no work
 * folder); odd but readable files succeed with what is odd in the quality report.
 */

let work: string;
let temp: string;

beforeAll(async () => {
  work = await tempDir();
  temp = await tempDir();
});

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
  await fs.rm(temp, { recursive: true, force: true });
});

const fixture = (name: string) => path.join(INGEST_FIXTURES, name);

async function writeWork(name: string, content: string | Uint8Array): Promise<string> {
  const file = path.join(work, name);
  await fs.writeFile(file, content);
  return file;
}

async function ingest(file: string, options: { originalName?: string; format?: IngestFormat; signal?: AbortSignal } = {}) {
  const out = path.join(await tempDir(), 'out');
  const run = ingestFile(
    { path: file, originalName: options.originalName ?? path.basename(file), ...(options.format ? { format: options.format } : {}) },
    { dir: out },
    { tempDir: temp, ...(options.signal ? { signal: options.signal } : {}) },
  );
  return { run, out };
}

async function expectFailure(
  file: string,
  expected: { code: IngestErrorCode; line?: number; message: RegExp },
  options: Parameters<typeof ingest>[1] = {},
): Promise<IngestError> {
  const { run, out } = await ingest(file, options);
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IngestError);
  const failure = error as IngestError;
  expect({ code: failure.code, line: failure.line }).toEqual({ code: expected.code, line: expected.line });
  expect(failure.message).toMatch(expected.message);
  // Nothing to publish, nothing left over.
  expect(await listing(out)).toEqual([]);
  expect(await listing(temp)).toEqual([]);
  return failure;
}

async function expectSuccess(file: string, options: Parameters<typeof ingest>[1] = {}): Promise<IngestResult> {
  const { run, out } = await ingest(file, options);
  const result = await run;
  expect((await listing(out)).sort()).toEqual(result.tables.map((t) => `${t.name}.parquet`).sort());
  expect(await listing(temp)).toEqual([]);
  return result;
}

describe('an empty upload', () => {
  it('of 0 bytes is refused', () => expectFailure(fixture('empty.csv'), { code: 'empty_file', message: /vide \(0 octet\).*réessayez/ }));

  it('of blank lines only is refused', () => expectFailure(fixture('blank.csv'), { code: 'empty_file', message: /CSV est vide/ }));

  it('with a header and no rows is refused', () =>
    expectFailure(fixture('header-only.csv'), {
      code: 'no_rows',
      line: 2,
      message: /que la ligne d’en-tête.*Exportez le tableau avec ses données/,
    }));

  it('of an empty JSON array is refused', () =>
    expectFailure(fixture('empty-array.json'), { code: 'no_rows', message: /aucun enregistrement/ }));
});

describe('a truncated file', () => {
  it('cut in the middle of a row is refused with the line', () =>
    expectFailure(fixture('truncated.csv'), {
      code: 'truncated',
      line: 4,
      message: /semble tronqué : sa dernière ligne \(ligne 4\) est incomplète/,
    }));

  it('cut inside a quoted field is refused with the line', () =>
    expectFailure(fixture('truncated-in-quotes.csv'), { code: 'truncated', line: 3, message: /semble tronqué/ }));

  it('of GeoJSON is refused with the line', async () => {
    const source = await fs.readFile(path.join(DEMO_DATA, 'mobility/montpellier_ecocompteurs/MMM_MMM_GeolocCompteurs.geojson'));
    const file = await writeWork('cut.geojson', source.subarray(0, 5000));
    await expectFailure(file, { code: 'invalid_json', line: 22, message: /pas du JSON valide \(ligne 22\).*peut-être tronqué/ });
  });

  it('of Parquet is refused', async () => {
    const result = await expectSuccess(fixture('latin-1.csv'));
    const bytes = await fs.readFile(result.tables[0]!.parquetPath);
    const file = await writeWork('cut.parquet', bytes.subarray(0, bytes.length - 100));
    await expectFailure(file, { code: 'invalid_parquet', message: /Parquet est illisible.*Réexportez-le/ });
  });

  it('of a GTFS zip is refused', async () => {
    const zip = zipSync({ 'stops.txt': new TextEncoder().encode('stop_id,stop_name\n1,Comédie\n'.repeat(200)) });
    const file = await writeWork('cut.zip', zip.subarray(0, zip.length - 30));
    await expectFailure(file, { code: 'invalid_zip', message: /tronquée/ });
  });
});

describe('an encoding that lies', () => {
  it('a UTF-8 byte-order mark on Windows-1252 text is refused with the line', () =>
    expectFailure(fixture('bom-then-windows-1252.csv'), {
      code: 'encoding_mismatch',
      line: 2,
      message: /se déclare en UTF-8.*la ligne 2.*Réenregistrez-le en « CSV UTF-8 »/,
    }));

  it('UTF-8 with a Windows-1252 line spliced in is refused with that line', () =>
    expectFailure(fixture('mixed-encodings.csv'), { code: 'encoding_mismatch', line: 5, message: /mélange deux encodages.*la ligne 5/ }));
});

describe('ragged rows', () => {
  it('a few are set aside and reported with their line, the rest is published', async () => {
    const result = await expectSuccess(fixture('ragged-few.csv'));
    const table = result.tables[0]!;
    expect(table.rowCount).toBe(38);
    expect(table.quality.rejectedRows).toBe(2);
    expect(table.quality.issues).toEqual([
      expect.objectContaining({
        kind: 'rejected_row',
        line: 13,
        sample: '00012;Commune 12;12,5;en trop',
        message: expect.stringMatching(/^Ligne 13 écartée : elle a plus de champs/),
      }),
      expect.objectContaining({
        kind: 'rejected_row',
        line: 26,
        sample: '00025;Commune 25',
        message: expect.stringMatching(/^Ligne 26 écartée : elle a moins de champs/),
      }),
    ]);
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([
      ['code', 'string'],
      ['libelle', 'string'],
      ['valeur', 'number'],
    ]);
  });

  it('many make the file unreadable, with the first line', () =>
    expectFailure(fixture('ragged-many.csv'), {
      code: 'ragged_rows',
      line: 2,
      message:
        /10 lignes sur 20 n’ont pas le même nombre de champs que l’en-tête \(3 colonnes séparées par « , »\).*Vérifiez le séparateur/,
    }));
});

describe('not a table at all', () => {
  it('binary garbage is refused', async () => {
    // Deterministic "random" bytes (an LCG), as a corrupted upload would look.
    const bytes = new Uint8Array(4096);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    const file = await writeWork('garbage.csv', bytes);
    await expectFailure(file, {
      code: 'not_text',
      line: expect.any(Number) as unknown as number,
      message: /ne contient pas du texte.*Vérifiez que vous avez choisi le bon fichier/,
    });
  });

  it('a zip uploaded as CSV is refused with a hint', async () => {
    const file = await writeWork('classeur.csv', zipSync({ 'a.txt': new Uint8Array([65]) }));
    await expectFailure(file, { code: 'not_text', line: 1, message: /archive ZIP.*choisissez le format GTFS/ });
  });

  it('text that is not JSON is refused', () =>
    expectFailure(fixture('not-json.json'), { code: 'invalid_json', line: 1, message: /ne commence ni par « \[ » ni par « \{ »/ }));

  it('a broken NDJSON line is refused with its line', () =>
    expectFailure(fixture('broken.ndjson'), { code: 'invalid_json', line: 3, message: /NDJSON n’est pas du JSON valide \(ligne 3\)/ }));

  it('JSON that is not GeoJSON is refused', () =>
    expectFailure(fixture('not-geojson.geojson'), {
      code: 'not_geojson',
      line: 1,
      message: /de type « Topology » au lieu de « FeatureCollection »/,
    }));

  it('a CSV named .parquet is refused', async () => {
    const file = await writeWork('donnees.parquet', 'a;b\n1;2\n');
    await expectFailure(file, { code: 'invalid_parquet', message: /pas au format Parquet/ });
  });

  it('a zip without any .txt file is not a GTFS feed', async () => {
    const file = await writeWork('flux.zip', zipSync({ 'lisezmoi.md': new TextEncoder().encode('# GTFS') }));
    await expectFailure(file, { code: 'gtfs_without_tables', message: /aucun fichier \.txt/ });
  });

  it('a spreadsheet workbook is refused with what to do', async () => {
    const file = await writeWork('budget.xlsx', zipSync({ '[Content_Types].xml': new TextEncoder().encode('<Types/>') }));
    await expectFailure(file, { code: 'unsupported_format', message: /classeur de tableur : enregistrez la feuille voulue au format CSV/ });
  });

  it('an unknown extension is refused with the accepted formats', async () => {
    const file = await writeWork('donnees.xyz', 'a;b\n1;2\n');
    await expectFailure(file, { code: 'unsupported_format', message: /CSV, TSV, JSON, NDJSON, GeoJSON, Parquet et GTFS/ });
  });

  it('a first line longer than a megabyte is not a header', async () => {
    const file = await writeWork('une-ligne.csv', 'x'.repeat(1_200_000));
    await expectFailure(file, { code: 'header_too_long', line: 1, message: /premier mégaoctet/ });
  });
});

describe('column names', () => {
  it('100 000 columns are refused with the limit', async () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(';');
    const file = await writeWork('large.csv', `${header}\n${'1;'.repeat(99_999)}1\n`);
    await expectFailure(file, {
      code: 'too_many_columns',
      line: 1,
      message: /100\s000 colonnes, au-delà de la limite de 2\s000.*découpez-le/,
    });
  });

  it('repeated names are made unique and reported', async () => {
    const table = (await expectSuccess(fixture('duplicate-names.csv'))).tables[0]!;
    expect(table.columns.map((c) => c.name)).toEqual(['nom', 'nom_2', 'Nom_3', 'valeur']);
    expect(table.quality.issues.map((i) => [i.kind, i.column])).toEqual([
      ['renamed_column', 'nom_2'],
      ['renamed_column', 'Nom_3'],
    ]);
    const rows = await queryParquet(`FROM ${sqlPath(table.parquetPath)}`);
    expect(rows[0]).toEqual({ nom: 'A', nom_2: 'B', Nom_3: 'C', valeur: '1' });
  });

  it('empty names are given one and reported', async () => {
    const table = (await expectSuccess(fixture('empty-names.csv'))).tables[0]!;
    expect(table.columns.map((c) => c.name)).toEqual(['colonne_1', 'valeur', 'colonne_3']);
    expect(table.quality.issues[0]!.message).toMatch(/La colonne n° 1 n’a pas de nom : elle s’appelle « colonne_1 »/);
  });
});

describe('legacy encodings', () => {
  it('Windows-1252 (œ, €, dashes) comes out as UTF-8', async () => {
    const result = await expectSuccess(fixture('windows-1252.csv'));
    expect(result.source).toMatchObject({ encoding: 'windows-1252', delimiter: ';', bom: false });
    const table = result.tables[0]!;
    const rows = await queryParquet<Record<string, string>>(`FROM ${sqlPath(table.parquetPath)} ORDER BY commune`);
    expect(rows.map((r) => r['libellé'])).toEqual(['Foix — Ariège', 'Cœur de ville, Montpellier', 'Perpignan – Pyrénées']);
    expect(rows.map((r) => r.prix)).toEqual(['1 500,00 €', '12,5 €', '7,25 €']);
    expect(table.columns.find((c) => c.name === 'date')).toMatchObject({ type: 'date', min: '2024-01-03', max: '2024-02-29' });
    expect(table.columns.find((c) => c.name === 'commune')).toMatchObject({ type: 'string', min: '09122' });
  });

  it('ISO-8859-1 comes out as UTF-8, decimal commas as numbers', async () => {
    const result = await expectSuccess(fixture('latin-1.csv'));
    expect(result.source).toMatchObject({ encoding: 'iso-8859-1', decimalComma: true });
    const table = result.tables[0]!;
    expect(table.columns.map((c) => [c.name, c.type, c.min, c.max])).toEqual([
      ['dep', 'string', '09', '66'],
      ['nom', 'string', 'Ariège', 'Pyrénées-Orientales'],
      ['superficie', 'number', 4115.8, 6101.2],
    ]);
  });
});

describe('values the first rows did not announce', () => {
  // The first 20 000 rows settle the types; what comes later is checked against them and, when it
  // does not fit, every value is counted after all. The result is the same as if it had been seen first.
  const rows = 25_000;
  const late = 24_000;

  it('a code with a leading zero keeps the column text', async () => {
    const lines = ['code;n'];
    for (let i = 1; i <= rows; i++) lines.push(`${i === late ? '09' : 10 + (i % 80)};${i}`);
    const table = (await expectSuccess(await writeWork('codes.csv', lines.join('\n')))).tables[0]!;
    expect(table.columns.map((c) => c.type)).toEqual(['string', 'integer']);
    expect(table.columns[0]!.min).toBe('09');
  });

  it('an odd value keeps the type, and is reported with its row', async () => {
    const lines = ['mesure;jour'];
    for (let i = 1; i <= rows; i++)
      lines.push(`${i === late ? 'erreur' : i === late + 1 ? 'NA' : `${i % 100},5`};2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
    const result = await expectSuccess(await writeWork('mesures.csv', lines.join('\n')));
    const table = result.tables[0]!;
    expect(result.source.decimalComma).toBe(true);
    expect(table.columns[0]).toMatchObject({ name: 'mesure', type: 'number', nullCount: 2 });
    expect(table.quality.issues).toEqual([
      expect.objectContaining({ kind: 'invalid_value', column: 'mesure', row: late, sample: 'erreur', count: 1 }),
      expect.objectContaining({ kind: 'missing_value', column: 'mesure', row: late + 1, sample: 'NA', count: 1 }),
    ]);
    expect(table.quality.issues[0]!.message).toMatch(
      /« erreur » \(une cellule\) n’est pas un nombre comme le reste de la colonne ; la cellule est laissée vide \(première : ligne de données 24000\)/,
    );
  });

  it('missing-value markers are counted in the whole file, not just the first rows', async () => {
    const lines = ['mesure;jour'];
    for (let i = 1; i <= rows; i++) lines.push(`${i === 10 || i === late ? 'NA' : `${i % 100}.5`};${i % 2 ? '2024-01-02' : '03/01/2024'}`);
    const table = (await expectSuccess(await writeWork('marqueurs.csv', lines.join('\n')))).tables[0]!;
    expect(table.columns.map((c) => [c.name, c.type, c.nullCount])).toEqual([
      ['mesure', 'number', 2],
      ['jour', 'date', 0],
    ]);
    expect(table.quality.issues).toEqual([
      expect.objectContaining({ kind: 'missing_value', column: 'mesure', row: 10, sample: 'NA', count: 2 }),
      expect.objectContaining({ kind: 'mixed_formats', column: 'jour', row: 2, sample: '03/01/2024', count: rows / 2 }),
    ]);
  });

  it('a French date among ISO dates is read and pointed at', async () => {
    const lines = ['jour;n'];
    for (let i = 1; i <= rows; i++) lines.push(`${i === late ? '27/06/2020' : '2020-06-26'};${i}`);
    const table = (await expectSuccess(await writeWork('jours.csv', lines.join('\n')))).tables[0]!;
    expect(table.columns[0]).toMatchObject({ type: 'date', min: '2020-06-26', max: '2020-06-27', nullCount: 0 });
    expect(table.quality.issues).toEqual([
      expect.objectContaining({ kind: 'mixed_formats', column: 'jour', row: late, count: 1, sample: '27/06/2020' }),
    ]);
  });

  it('datetimes with an offset are stored in UTC', async () => {
    const file = await writeWork('instants.csv', 'instant;valeur\n2024-03-01T10:00:00+01:00;1\n2024-03-01 12:30:00Z;2\n');
    const table = (await expectSuccess(file)).tables[0]!;
    expect(table.columns[0]).toMatchObject({ type: 'datetime', min: '2024-03-01T09:00:00Z', max: '2024-03-01T12:30:00Z' });
  });
});

describe('JSON variants', () => {
  it('NDJSON with a byte-order mark reads (DuckDB alone refuses it)', async () => {
    const file = await writeWork(
      'bom.ndjson',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"dep":"09","n":1}\n{"dep":"11","n":2}\n')]),
    );
    const result = await expectSuccess(file);
    expect(result.source).toMatchObject({ format: 'ndjson', encoding: 'utf-8', bom: true });
    expect(result.tables[0]!.columns.map((c) => [c.name, c.type, c.min])).toEqual([
      ['dep', 'string', '09'],
      ['n', 'integer', 1],
    ]);
  });

  it('a JSON array in ISO-8859-1 comes out as UTF-8, nested values as JSON text', async () => {
    const file = await writeWork(
      'latin1.json',
      Buffer.from('[{"nom":"Ari\u00e8ge","codes":{"dep":"09"}},{"nom":"H\u00e9rault","codes":{"dep":"34"}}]', 'latin1'),
    );
    const result = await expectSuccess(file);
    expect(result.source.encoding).toBe('iso-8859-1');
    const table = result.tables[0]!;
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([
      ['nom', 'string'],
      ['codes', 'json'],
    ]);
    expect(await queryParquet(`FROM ${sqlPath(table.parquetPath)}`)).toEqual([
      { nom: 'Ariège', codes: '{"dep":"09"}' },
      { nom: 'Hérault', codes: '{"dep":"34"}' },
    ]);
  });
});

describe('tab-separated values', () => {
  it('keep a stray quote as a character', async () => {
    const table = (await expectSuccess(fixture('quoted-fields.tsv'))).tables[0]!;
    const rows = await queryParquet(`FROM ${sqlPath(table.parquetPath)} ORDER BY nom`);
    expect(rows).toEqual([
      { nom: 'Aude', remarque: 'entre guillemets' },
      { nom: 'Gard', remarque: '12" de neige' },
    ]);
  });
});

describe('all or nothing', () => {
  it('a GTFS feed with one unreadable file publishes none of its tables', async () => {
    const stops = await fs.readFile(path.join(DEMO_DATA, 'mobility/tam_gtfs/stops.txt'));
    const file = await writeWork(
      'gtfs.zip',
      zipSync({ 'stops.txt': new Uint8Array(stops), 'trips.txt': new Uint8Array([0, 1, 2, 3, 0, 255]) }),
    );
    await expectFailure(file, { code: 'not_text', line: 1, message: /ne contient pas du texte/ });
  });

  it('a cancelled ingestion stops, and leaves nothing', async () => {
    const controller = new AbortController();
    const { run, out } = await ingest(path.join(DEMO_DATA, 'mobility/tam_gtfs/trips.txt'), { signal: controller.signal });
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'aborted', message: expect.stringMatching(/Import annulé/) });
    expect(await listing(out)).toEqual([]);
    expect(await listing(temp)).toEqual([]);
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type LicenceCode, columnAnnotationInput, datasetMetadataInput, slugSchema } from '@confiance/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_ROOT } from '../../platform/paths';
import { ingestFile } from '../catalog/ingest/index';
import { parseCsv } from './csv';
import { DEMO_DATASETS, type DemoDataset } from './datasets';
import { peopleOf } from './people';

const DEMO = path.join(SERVER_ROOT, 'demo');
const DATA = path.join(DEMO, 'data');

const manifest = parseCsv(await fs.readFile(path.join(DATA, 'MANIFEST.csv'), 'utf8')).map((r) => r.path!);
const organisations = parseCsv(await fs.readFile(path.join(DEMO, 'organisations-occitanie.csv'), 'utf8')).map((r) => r.key!);
const bySlug = (slug: string) => DEMO_DATASETS.find((d) => d.slug === slug)!;
const withFile = (prefix: string) => DEMO_DATASETS.filter((d) => d.files.some((f) => f.startsWith(prefix)));

/** Licences as demo/SOURCES.md gives them, by path prefix (the most specific prefix wins). */
const SOURCE_LICENCES: [string, LicenceCode][] = [
  ['boundaries/', 'etalab-2.0'],
  ['climate/', 'etalab-2.0'],
  ['demography/', 'etalab-2.0'],
  ['environment/atmo_', 'odbl-1.0'],
  ['environment/gbif_', 'cc-by-nc-4.0'],
  ['health/', 'etalab-2.0'],
  ['littoral/', 'etalab-2.0'],
  ['tourism/', 'etalab-2.0'],
  ['mobility/', 'odbl-1.0'],
];

describe('the demo datasets', () => {
  it('publish every file of the manifest exactly once', () => {
    const used = DEMO_DATASETS.flatMap((d) => d.files);
    expect([...used].sort()).toEqual([...manifest].sort());
  });

  it('have unique, valid slugs', () => {
    const slugs = DEMO_DATASETS.map((d) => d.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slugSchema.safeParse(slug).success, slug).toBe(true);
  });

  for (const d of DEMO_DATASETS) {
    describe(d.slug, () => {
      it('has metadata the publication command accepts', () => {
        const parsed = datasetMetadataInput.safeParse(d.metadata);
        expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
        for (const column of d.columns ?? []) expect(columnAnnotationInput.safeParse(column).success, column.name).toBe(true);
      });

      it('is published by a member organisation, through its data steward or admin', () => {
        const index = organisations.indexOf(d.publisher);
        expect(index, d.publisher).toBeGreaterThanOrEqual(0);
        const person = peopleOf(d.publisher, index).find((p) => p.email === d.steward);
        expect(person?.role, d.steward).toMatch(/^(data_steward|org_admin)$/);
        // A steward exists wherever people.ts gives one: the admin publishes only where there is none.
        if (person?.role === 'org_admin') expect(peopleOf(d.publisher, index).some((p) => p.role === 'data_steward')).toBe(false);
      });

      it('carries the licence its source really has, and credits the producer', () => {
        const licences = d.files.map((f) => SOURCE_LICENCES.filter(([prefix]) => f.startsWith(prefix)).at(-1)?.[1]);
        expect(new Set(licences)).toEqual(new Set([d.metadata.licence]));
        expect(d.metadata.attribution).toBeTruthy();
      });

      it('names several files only for a GTFS feed (one folder, zipped) or successive versions', () => {
        if (d.kind === 'gtfs') {
          expect(new Set(d.files.map((f) => path.dirname(f))).size).toBe(1);
          expect(d.files.every((f) => f.endsWith('.txt'))).toBe(true);
          expect(d.laterVersionNotes).toBeUndefined();
        } else {
          expect(d.laterVersionNotes ?? []).toHaveLength(d.files.length - 1);
        }
      });
    });
  }
});

describe('access levels and licences', () => {
  it('leave transit timetables and boundaries open', () => {
    for (const d of [...withFile('mobility/tisseo_gtfs/'), ...withFile('mobility/tam_gtfs/'), ...withFile('boundaries/')])
      expect(d.metadata.accessLevel, d.slug).toBe('open');
    expect(withFile('mobility/tam_gtfs/')[0]!.kind).toBe('gtfs');
    expect(withFile('mobility/tisseo_gtfs/')[0]!.kind).toBe('gtfs');
  });

  it('keep Atmo Occitanie’s air quality to members, published by Atmo Occitanie', () => {
    const air = withFile('environment/atmo_');
    expect(air).toHaveLength(2);
    for (const d of air) expect(d).toMatchObject({ publisher: 'atmo-occitanie', metadata: { accessLevel: 'members' } });
  });

  it('give the Santé publique France hospital files as aggregates only, with health columns flagged sensitive', () => {
    const health = withFile('health/');
    expect(health).toHaveLength(4);
    for (const d of health) {
      expect(d).toMatchObject({ publisher: 'sante-publique-france', metadata: { accessLevel: 'aggregate_only' } });
      expect(
        d.columns?.some((c) => c.sensitive),
        d.slug,
      ).toBe(true);
    }
    const sensitive = (slug: string) => (bySlug(slug).columns ?? []).filter((c) => c.sensitive).map((c) => c.name);
    expect(sensitive('covid-hospitalisations-departement-sexe-2020')).toEqual(['hosp', 'rea', 'rad', 'dc']);
  });

  it('include a CC BY-NC dataset: the GBIF mosquito records, whose licence it really is', () => {
    expect(DEMO_DATASETS.filter((d) => d.metadata.licence === 'cc-by-nc-4.0').map((d) => d.slug)).toEqual(['moustiques-montpellier-2023']);
    // The download names the researchers who set and read the traps: personal data.
    expect(
      bySlug('moustiques-montpellier-2023')
        .columns?.filter((c) => c.personal)
        .map((c) => c.name),
    ).toEqual(['recordedBy', 'identifiedBy']);
  });

  it('include a restricted dataset meant to be paid for: TaM real-time departures', () => {
    expect(DEMO_DATASETS.filter((d) => d.metadata.accessLevel === 'restricted').map((d) => d.slug)).toEqual(['tam-temps-reel-montpellier']);
  });
});

describe('column annotations', () => {
  const scratch: string[] = [];
  afterAll(async () => {
    await Promise.all(scratch.map((dir) => fs.rm(dir, { recursive: true, force: true })));
  });

  /** The tables a file becomes, ingested under its own name as the seed uploads it. */
  async function tablesOf(file: string) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'demo-datasets-'));
    scratch.push(dir);
    const { tables } = await ingestFile({ path: path.join(DATA, file), originalName: path.basename(file) }, { dir });
    return tables;
  }

  const annotated = DEMO_DATASETS.filter((d: DemoDataset) => (d.columns ?? []).length > 0);

  for (const d of annotated) {
    it(`name tables and columns that ${d.slug} really has`, async () => {
      const tables = await tablesOf(d.files[0]!);
      const known = new Set(tables.flatMap((t) => t.columns.map((c) => `${t.name} / ${c.name}`)));
      const missing = (d.columns ?? []).map((c) => `${c.table} / ${c.name}`).filter((c) => !known.has(c));
      expect(missing).toEqual([]);
    });
  }

  it('survive every later version: no column of version 1 disappears', async () => {
    for (const d of DEMO_DATASETS.filter((x) => x.kind !== 'gtfs' && x.files.length > 1)) {
      const versions = await Promise.all(d.files.map(tablesOf));
      const names = versions.map((tables) => new Set(tables.flatMap((t) => t.columns.map((c) => `${t.name} / ${c.name}`))));
      for (const later of names.slice(1))
        expect(
          [...names[0]!].filter((c) => !later.has(c)),
          d.slug,
        ).toEqual([]);
    }
  });
});

import fs from 'node:fs/promises';
import path from 'node:path';
import { OCCITANIE, OCCITANIE_DEPARTEMENT_CODES, type GeoFeatureCollection, type InseeArea } from '@confiance/contract';
import { SERVER_ROOT } from '../../platform/paths';

/**
 * Occitanie's boundaries (IGN Admin Express via the demo data, see demo/SOURCES.md) for the
 * coverage maps, and the INSEE names the catalog needs. Shipped with the node: maps never call a
 * tile server. Coordinates are rounded to 3 decimals (≈ 100 m), plenty for a département-scale
 * map and a third of the bytes.
 */

/** The départements a coverage touches, for the search facet: a région counts as all of its départements. */
export function departementsOf(spatial: readonly Pick<InseeArea, 'level' | 'code'>[]): string[] {
  const codes = new Set<string>();
  for (const area of spatial) {
    if (area.level === 'region' && area.code === OCCITANIE.code) OCCITANIE_DEPARTEMENT_CODES.forEach((c) => codes.add(c));
    if (area.level === 'departement') codes.add(area.code);
    if (area.level === 'commune') codes.add(area.code.startsWith('97') ? area.code.slice(0, 3) : area.code.slice(0, 2));
  }
  return [...codes].sort();
}

const BOUNDARIES = path.join(SERVER_ROOT, 'demo/data/boundaries');
/** Départements whose communes are shipped. */
const COMMUNE_FILES: Readonly<Record<string, string>> = {
  '11': 'communes-11-aude.geojson',
  '30': 'communes-30-gard.geojson',
  '31': 'communes-31-haute-garonne.geojson',
  '34': 'communes-34-herault.geojson',
  '66': 'communes-66-pyrenees-orientales.geojson',
};

export function hasCommuneBoundaries(departement: string): boolean {
  return departement in COMMUNE_FILES;
}

type Position = number[];
interface RawFeature {
  properties: { code: string; nom: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

function roundRing(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (const [x, y] of ring) {
    const p = [Math.round(x! * 1000) / 1000, Math.round(y! * 1000) / 1000];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

function simplify(geometry: RawFeature['geometry']): RawFeature['geometry'] {
  if (geometry.type === 'Polygon') return { type: 'Polygon', coordinates: (geometry.coordinates as Position[][]).map(roundRing) };
  return { type: 'MultiPolygon', coordinates: (geometry.coordinates as Position[][][]).map((poly) => poly.map(roundRing)) };
}

const cache = new Map<string, Promise<GeoFeatureCollection | null>>();

async function load(file: string): Promise<GeoFeatureCollection> {
  const raw = JSON.parse(await fs.readFile(path.join(BOUNDARIES, file), 'utf8')) as
    { type: 'FeatureCollection'; features: RawFeature[] } | ({ type: 'Feature' } & RawFeature);
  const features = raw.type === 'FeatureCollection' ? raw.features : [raw];
  return {
    type: 'FeatureCollection',
    features: features.map((f) => ({
      type: 'Feature' as const,
      properties: { code: f.properties.code, name: f.properties.nom },
      geometry: simplify(f.geometry),
    })),
  };
}

/** Boundaries of one level; communes only per shipped département (null when not shipped). */
export function boundaries(level: 'region' | 'departement' | 'commune', departement?: string): Promise<GeoFeatureCollection | null> {
  const file =
    level === 'region'
      ? 'region-occitanie.geojson'
      : level === 'departement'
        ? 'departements-occitanie.geojson'
        : departement
          ? COMMUNE_FILES[departement]
          : undefined;
  if (!file) return Promise.resolve(null);
  let entry = cache.get(file);
  if (!entry) {
    entry = load(file);
    cache.set(file, entry);
    entry.catch(() => cache.delete(file));
  }
  return entry;
}

/** [west, south, east, north] of a feature. */
function bboxOf(geometry: GeoFeatureCollection['features'][number]['geometry']): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[];
      w = Math.min(w, x!);
      e = Math.max(e, x!);
      s = Math.min(s, y!);
      n = Math.max(n, y!);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  visit(geometry.coordinates);
  return [w, s, e, n];
}

/**
 * Completes a coverage with names and bounding boxes from the shipped boundaries, so the DCAT
 * export carries a `dcat:bbox` and the page can zoom; areas outside them keep what was given.
 */
export async function describeAreas(spatial: readonly InseeArea[]): Promise<InseeArea[]> {
  const out: InseeArea[] = [];
  for (const area of spatial) {
    const departement = area.level === 'commune' ? area.code.slice(0, 2) : undefined;
    const collection = await boundaries(area.level, departement);
    const feature = collection?.features.find((f) => f.properties.code === area.code);
    out.push(feature ? { ...area, name: area.name || feature.properties.name, bbox: area.bbox ?? bboxOf(feature.geometry) } : area);
  }
  return out;
}

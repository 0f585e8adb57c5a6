import { Skeleton, Stack, Text } from '@mantine/core';
import type { DatasetView, GeoFeatureCollection } from '@confiance/contract';
import { useMemo } from 'react';
import { useCommunes, useGeo } from '../../api/catalog';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';

type Area = DatasetView['spatial'][number];
type Position = [number, number];

/**
 * Equirectangular projection around Occitanie's middle latitude: one degree of longitude is
 * cos(43.5°) of a degree of latitude there, which keeps shapes right without a map library.
 */
const LON_SCALE = Math.cos((43.5 * Math.PI) / 180);
/** Width of the drawing in viewBox units; the SVG itself scales to its container. */
const WIDTH = 1000;

interface Frame {
  minX: number;
  maxY: number;
  scale: number;
  height: number;
}

function ringsOf(geometry: GeoFeatureCollection['features'][number]['geometry']): Position[][] {
  const coordinates = geometry.coordinates as Position[][] | Position[][][];
  return geometry.type === 'Polygon' ? (coordinates as Position[][]) : (coordinates as Position[][][]).flat();
}

function frameOf(collection: GeoFeatureCollection): Frame {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const feature of collection.features) {
    for (const ring of ringsOf(feature.geometry)) {
      for (const [lon, lat] of ring) {
        const x = lon * LON_SCALE;
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, lat);
        maxY = Math.max(maxY, lat);
      }
    }
  }
  const scale = WIDTH / (maxX - minX);
  return { minX, maxY, scale, height: Math.ceil((maxY - minY) * scale) };
}

/** One SVG path per feature; points closer than a tenth of a unit are merged (communes have thousands). */
function pathsOf(collection: GeoFeatureCollection, frame: Frame): { code: string; name: string; d: string }[] {
  return collection.features.map((feature) => {
    const parts: string[] = [];
    for (const ring of ringsOf(feature.geometry)) {
      let last = '';
      const points: string[] = [];
      for (const [lon, lat] of ring) {
        const x = ((lon * LON_SCALE - frame.minX) * frame.scale).toFixed(1);
        const y = ((frame.maxY - lat) * frame.scale).toFixed(1);
        const point = `${x} ${y}`;
        if (point !== last) points.push(point);
        last = point;
      }
      if (points.length > 2) parts.push(`M${points.join('L')}Z`);
    }
    return { code: feature.properties.code, name: feature.properties.name, d: parts.join('') };
  });
}

/** [west, south, east, north] of some features, rounded outwards to 5 decimals (about a metre). */
export function bboxOf(features: GeoFeatureCollection['features']): [number, number, number, number] | null {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const feature of features) {
    for (const ring of ringsOf(feature.geometry)) {
      for (const [lon, lat] of ring) {
        west = Math.min(west, lon);
        east = Math.max(east, lon);
        south = Math.min(south, lat);
        north = Math.max(north, lat);
      }
    }
  }
  if (!(west < east && south < north)) return null;
  const down = (v: number) => Math.floor(v * 1e5) / 1e5;
  const up = (v: number) => Math.ceil(v * 1e5) / 1e5;
  return [down(west), down(south), up(east), up(north)];
}

/** The département of a commune code (34172 → 34, 2A004 → 2A, 97411 → 974). */
function departementOf(communeCode: string): string {
  return communeCode.startsWith('97') ? communeCode.slice(0, 3) : communeCode.slice(0, 2);
}

/**
 * The dataset's spatial coverage on a map of Occitanie drawn from the node's own boundaries:
 * départements always outlined, covered areas filled. Communes are only fetched for the
 * départements where the dataset covers communes.
 */
export function CoverageMap({ spatial }: { spatial: Area[] }) {
  const { t } = useI18n();
  const departements = useGeo('departement');
  const coversRegion = spatial.some((a) => a.level === 'region');
  const coveredDepartements = new Set(spatial.filter((a) => a.level === 'departement').map((a) => a.code));
  const coveredCommunes = new Set(spatial.filter((a) => a.level === 'commune').map((a) => a.code));
  const communeDepartements = [...new Set([...coveredCommunes].map(departementOf))].sort();
  const communes = useCommunes(communeDepartements);

  const frame = useMemo(() => (departements.data ? frameOf(departements.data) : null), [departements.data]);
  const departementPaths = useMemo(() => (departements.data && frame ? pathsOf(departements.data, frame) : []), [departements.data, frame]);
  // Query results are new objects on every render; their load times say when one really changed.
  const communesVersion = `${communes.map((c) => c.dataUpdatedAt).join(',')}|${[...coveredCommunes].join(',')}`;
  const communePaths = useMemo(
    () =>
      frame
        ? communes.flatMap(({ data }) =>
            data ? pathsOf({ ...data, features: data.features.filter((f) => coveredCommunes.has(f.properties.code)) }, frame) : [],
          )
        : [],
    [frame, communesVersion],
  );

  const names = spatial.map((a) => (a.level === 'region' ? a.name : `${a.name} (${a.code})`));
  const label = names.length > 0 ? t('map.label', { areas: names.join(', ') }) : t('map.labelNone');

  if (departements.isPending) return <Skeleton h={320} role="status" aria-label={t('map.loading')} />;
  if (departements.isError) {
    return <ErrorState title={t('map.loadFailed')} error={departements.error} onRetry={() => void departements.refetch()} />;
  }
  if (!frame) return null;

  return (
    <Stack gap="xs">
      <svg
        viewBox={`0 0 ${WIDTH} ${frame.height}`}
        role="img"
        aria-label={label}
        className="coverage-map"
        data-covered={[...(coversRegion ? ['76'] : []), ...coveredDepartements, ...coveredCommunes].join(' ')}
      >
        <title>{label}</title>
        <g>
          {departementPaths.map((p) => {
            const covered = coversRegion || coveredDepartements.has(p.code);
            return (
              <path
                key={p.code}
                d={p.d}
                className={covered ? 'area area-covered' : 'area'}
                data-code={p.code}
                fillRule="evenodd"
                vectorEffect="non-scaling-stroke"
              />
            );
          })}
        </g>
        <g>
          {communePaths.map((p) => (
            <path key={p.code} d={p.d} className="area area-covered area-commune" data-code={p.code} vectorEffect="non-scaling-stroke" />
          ))}
        </g>
      </svg>
      {communes.some((c) => c.isError) && (
        <Text size="xs" c="dimmed">
          {t('map.communesUnavailable')}
        </Text>
      )}
    </Stack>
  );
}

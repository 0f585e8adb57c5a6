import {
  OCCITANIE as OCCITANIE_REGION,
  OCCITANIE_DEPARTEMENT_CODES,
  OCCITANIE_DEPARTEMENTS,
  type datasetMetadataInput,
} from '@confiance/contract';
import type { z } from 'zod';

/**
 * The demo catalog: every file of `demo/data` (see its MANIFEST.csv), published by a member of the
 * demo consortium under the licence it really carries (demo/SOURCES.md) and credited to its real
 * producer in `attribution`. Most producers are members themselves (IGN, INSEE, Météo-France,
 * Atmo Occitanie, Santé publique France, Atout France, Tisséo Collectivités, Montpellier
 * Méditerranée Métropole, Université de Montpellier) and publish their own data.
 *
 * Access levels are the demo's choices, made to show every kind of policy on real data; in reality
 * all these files are open data:
 * - open: transit timetables, boundaries, population, weather, tourism registers, bike counts;
 * - members: Atmo Occitanie's air-quality measurements;
 * - aggregate_only: Santé publique France's COVID-19 hospital files (counts by département, sex,
 *   age), so the demo shows the health-data path (aggregates with disclosure control, ethics
 *   review); their outcome columns are flagged `sensitive` (health data, RGPD art. 9);
 * - restricted and meant to be paid for: TaM's real-time departures (see that entry);
 * - CC BY-NC 4.0: the GBIF mosquito-trap download, whose records really carry that licence (every
 *   row's `license` is CC_BY_NC_4_0), so no licence had to be borrowed for the demo.
 */

export interface DemoColumn {
  /** The table as ingestion names it from the file's own name (`tableNameFrom`): upload each file under its own name. */
  table: string;
  name: string;
  description?: string;
  unit?: string;
  personal?: boolean;
  sensitive?: boolean;
}

export interface DemoDataset {
  slug: string;
  /** Organisation slug (`key` in demo/organisations-occitanie.csv). */
  publisher: string;
  /** E-mail of that organisation's data steward in people.ts (its admin when it has no steward). */
  steward: string;
  /**
   * Paths relative to demo/data. With `kind: 'gtfs'`, the files of one feed, zipped together at seed
   * time; otherwise one file per version, oldest first (version 1 is the first file).
   */
  files: string[];
  kind?: 'gtfs';
  metadata: z.input<typeof datasetMetadataInput>;
  columns?: DemoColumn[];
  /** Notes of version 1 (the first file). */
  versionNotes?: string;
  /** Notes of the later versions, one per file after the first, in the same order. */
  laterVersionNotes?: string[];
}

type Area = { level: 'region' | 'departement' | 'commune'; code: string; name: string };

const OCCITANIE: Area = { level: 'region', ...OCCITANIE_REGION };
const departement = (code: string, name: string): Area => ({ level: 'departement', code, name });
const HERAULT = departement('34', 'Hérault');
const HAUTE_GARONNE = departement('31', 'Haute-Garonne');

/** Data given per département: each of the 13 is covered (and found by its name). */
const OCCITANIE_BY_DEPARTEMENT: Area[] = [
  OCCITANIE,
  ...OCCITANIE_DEPARTEMENT_CODES.map((code) => departement(code, OCCITANIE_DEPARTEMENTS[code]!)),
];

/** Communes of the main Atmo Occitanie stations in the files (searchable by city, drawn on the map). */
const commune = (code: string, name: string): Area => ({ level: 'commune', code, name });
const ATMO_STATION_COMMUNES: Area[] = [
  commune('31555', 'Toulouse'),
  commune('31069', 'Blagnac'),
  commune('34172', 'Montpellier'),
  commune('34129', 'Lattes'),
  commune('34003', 'Agde'),
  commune('30189', 'Nîmes'),
  commune('66136', 'Perpignan'),
  commune('81004', 'Albi'),
  commune('81065', 'Castres'),
  commune('65440', 'Tarbes'),
  commune('65286', 'Lourdes'),
  commune('12202', 'Rodez'),
  commune('12145', 'Millau'),
  commune('09225', 'Pamiers'),
];

const steward = (slug: string) => `donnees@${slug}.demo`;
const contact = (name: string, slug: string) => ({ name: `${name} — référent données`, email: steward(slug) });

const IGN_ATTRIBUTION =
  'IGN — Admin Express COG 2018 (contours) et INSEE — Code officiel géographique 2018 (codes et noms), Licence Ouverte / Etalab ; simplification : Grégoire David (france-geojson)';
const SPF_ATTRIBUTION =
  'Santé publique France — Données hospitalières relatives à l’épidémie de COVID-19 (SI-VIC), data.gouv.fr, Licence Ouverte / Etalab 2.0';
const ATMO_ATTRIBUTION = 'Atmo Occitanie — données sous licence ODbL';
const ATOUT_FRANCE_ATTRIBUTION =
  'Atout France — registre national des hébergements touristiques classés (data.gouv.fr), Licence Ouverte / Etalab 2.0';
const MMM_ATTRIBUTION =
  'Montpellier Méditerranée Métropole — comptages vélo et piéton issus des compteurs de vélo, données sous licence ODbL';
const TAM_ATTRIBUTION = 'TaM / Montpellier Méditerranée Métropole (portail open data de la Métropole) — données sous licence ODbL';

// ---------------------------------------------------------------------------------------------
// Boundaries (IGN): one dataset per file, so a map of one département fetches only its communes

const boundaryCaveat =
  'Les contours, simplifiés avec mapshaper par Grégoire David (projet france-geojson), conviennent aux cartes mais pas aux calculs de surface précis ; les communes nouvelles créées après le 1er janvier 2018 n’y figurent pas.';

function communes(code: string, name: string, ofName: string, count: number, slug: string): DemoDataset {
  return {
    slug: `limites-communes-${slug}`,
    publisher: 'ign',
    steward: steward('ign'),
    files: [`boundaries/communes-${code}-${slug}.geojson`],
    metadata: {
      title: { fr: `Limites des communes ${ofName}`, en: `Municipal boundaries of ${name}` },
      description: {
        fr: `Contours des ${count.toLocaleString('fr-FR')} communes ${ofName} (département ${code}) au 1er janvier 2018, au format GeoJSON, avec le code INSEE et le nom de chaque commune. Les contours viennent d’Admin Express COG 2018 de l’IGN, les codes et les noms du Code officiel géographique 2018 de l’INSEE. ${boundaryCaveat}`,
        en: `Outlines of the ${count} municipalities of ${name} (département ${code}) as of 1 January 2018, in GeoJSON, with each municipality's INSEE code and name. Shapes from IGN Admin Express COG 2018, codes and names from INSEE's official geographic code 2018, simplified for maps (not for precise areas); municipalities merged after 1 January 2018 are not reflected.`,
      },
      contactPoint: contact('IGN', 'ign'),
      themes: ['REGI', 'GOVE'],
      domains: ['territory'],
      keywords: ['limites administratives', 'contours', 'communes', 'code INSEE', name, 'GeoJSON', 'carte'],
      spatial: [departement(code, name)],
      temporal: { start: '2018-01-01', end: '2018-12-31' },
      frequency: 'NEVER',
      licence: 'etalab-2.0',
      accessLevel: 'open',
      attribution: IGN_ATTRIBUTION,
    },
  };
}

const boundaries: DemoDataset[] = [
  {
    slug: 'limite-region-occitanie',
    publisher: 'ign',
    steward: steward('ign'),
    files: ['boundaries/region-occitanie.geojson'],
    metadata: {
      title: { fr: 'Limite de la région Occitanie', en: 'Boundary of the Occitanie region' },
      description: {
        fr: `Contour de la région Occitanie (code INSEE 76) au 1er janvier 2018, au format GeoJSON (une seule entité). Le contour vient d’Admin Express COG 2018 de l’IGN, le code et le nom du Code officiel géographique 2018 de l’INSEE. ${boundaryCaveat}`,
        en: 'Outline of the Occitanie region (INSEE code 76) as of 1 January 2018, in GeoJSON (a single feature), from IGN Admin Express COG 2018 and INSEE’s official geographic code 2018, simplified for maps.',
      },
      contactPoint: contact('IGN', 'ign'),
      themes: ['REGI', 'GOVE'],
      domains: ['territory'],
      keywords: ['limites administratives', 'contours', 'région', 'Occitanie', 'GeoJSON', 'carte'],
      spatial: [OCCITANIE],
      temporal: { start: '2018-01-01', end: '2018-12-31' },
      frequency: 'NEVER',
      licence: 'etalab-2.0',
      accessLevel: 'open',
      attribution: IGN_ATTRIBUTION,
    },
  },
  {
    slug: 'limites-departements-occitanie',
    publisher: 'ign',
    steward: steward('ign'),
    files: ['boundaries/departements-occitanie.geojson'],
    metadata: {
      title: { fr: 'Limites des départements d’Occitanie', en: 'Boundaries of the départements of Occitanie' },
      description: {
        fr: `Contours des 13 départements d’Occitanie au 1er janvier 2018, au format GeoJSON, avec leur code INSEE (de « 09 » pour l’Ariège à « 82 » pour le Tarn-et-Garonne) et leur nom. Les contours viennent d’Admin Express COG 2018 de l’IGN, les codes et les noms du Code officiel géographique 2018 de l’INSEE. ${boundaryCaveat}`,
        en: 'Outlines of the 13 départements of Occitanie as of 1 January 2018, in GeoJSON, with their INSEE code (from "09", Ariège, to "82", Tarn-et-Garonne) and name, from IGN Admin Express COG 2018 and INSEE’s official geographic code 2018, simplified for maps.',
      },
      contactPoint: contact('IGN', 'ign'),
      themes: ['REGI', 'GOVE'],
      domains: ['territory'],
      keywords: ['limites administratives', 'contours', 'départements', 'code INSEE', 'Occitanie', 'GeoJSON', 'carte'],
      spatial: [OCCITANIE],
      temporal: { start: '2018-01-01', end: '2018-12-31' },
      frequency: 'NEVER',
      licence: 'etalab-2.0',
      accessLevel: 'open',
      attribution: IGN_ATTRIBUTION,
    },
  },
  communes('11', 'Aude', 'de l’Aude', 436, 'aude'),
  communes('30', 'Gard', 'du Gard', 353, 'gard'),
  communes('31', 'Haute-Garonne', 'de la Haute-Garonne', 587, 'haute-garonne'),
  communes('34', 'Hérault', 'de l’Hérault', 343, 'herault'),
  communes('66', 'Pyrénées-Orientales', 'des Pyrénées-Orientales', 226, 'pyrenees-orientales'),
];

// ---------------------------------------------------------------------------------------------
// Weather (Météo-France)

const METEO_TABLE = 'meteompl2023_montpellier_synop07643_daily';
const meteoColumns = (prefix: string, what: string, unit: string): DemoColumn[] =>
  (['mean', 'min', 'max'] as const).map((stat) => ({
    table: METEO_TABLE,
    name: `${prefix}_${stat}`,
    description: `${what} : ${{ mean: 'moyenne', min: 'minimum', max: 'maximum' }[stat]} des observations de la journée`,
    unit,
  }));

const weather: DemoDataset = {
  slug: 'meteo-montpellier-frejorgues-2023',
  publisher: 'meteo-france',
  steward: steward('meteo-france'),
  files: ['climate/meteoMPL2023_montpellier_synop07643_daily.csv'],
  metadata: {
    title: { fr: 'Météo quotidienne à Montpellier-Fréjorgues en 2023', en: 'Daily weather at Montpellier-Fréjorgues in 2023' },
    description: {
      fr: 'Moyenne, minimum et maximum journaliers de la pression, du vent, de la température, du point de rosée et de l’humidité relative, et cumul des précipitations, à la station synoptique de Montpellier-Fréjorgues (n° 07643, aéroport Montpellier-Méditerranée à Mauguio), du 1er janvier au 31 décembre 2023. Ces agrégats ont été calculés à partir des observations SYNOP de Météo-France par les auteurs du paquet R ecoXCorr, qui les diffuse. Quelques valeurs manquent (notées « NA » dans la source), et la première colonne n’est qu’un numéro de ligne ajouté par R.',
      en: 'Daily mean, minimum and maximum of pressure, wind, temperature, dew point and relative humidity, and total rainfall, at the Montpellier-Fréjorgues synoptic station (no. 07643, Montpellier-Méditerranée airport in Mauguio), 1 January to 31 December 2023, computed from Météo-France SYNOP observations by the authors of the ecoXCorr R package. A few values are missing (NA).',
    },
    contactPoint: contact('Météo-France', 'meteo-france'),
    themes: ['ENVI'],
    domains: ['climate'],
    keywords: ['météo', 'température', 'précipitations', 'pluie', 'vent', 'humidité', 'pression', 'SYNOP', 'Montpellier', 'climat'],
    spatial: [{ level: 'commune', code: '34154', name: 'Mauguio' }],
    temporal: { start: '2023-01-01', end: '2023-12-31' },
    frequency: 'NEVER',
    // The observations are under Licence Ouverte 2.0; the file comes from a GPL ≥ 3 R package
    // (ecoXCorr), whose licence covers the package's code: the data keep the producer's licence.
    licence: 'etalab-2.0',
    accessLevel: 'open',
    attribution:
      'Météo-France — observations SYNOP (meteo.data.gouv.fr), Licence Ouverte / Etalab 2.0 ; agrégats journaliers : auteurs du paquet R ecoXCorr',
  },
  columns: [
    { table: METEO_TABLE, name: 'colonne_1', description: 'Numéro de ligne ajouté par R, sans signification' },
    { table: METEO_TABLE, name: 'date', description: 'Jour d’observation' },
    ...meteoColumns('pres', 'Pression atmosphérique à la station', 'Pa'),
    ...meteoColumns('wind', 'Vitesse du vent moyen', 'm/s'),
    ...meteoColumns('temp', 'Température de l’air', '°C'),
    ...meteoColumns('dew.p', 'Point de rosée', '°C'),
    ...meteoColumns('rh', 'Humidité relative', '%'),
    ...meteoColumns('rain', 'Précipitations par observation', 'mm'),
    { table: METEO_TABLE, name: 'rain_sum', description: 'Cumul des précipitations de la journée', unit: 'mm' },
  ],
};

// ---------------------------------------------------------------------------------------------
// Population (INSEE)

const ESTIMATES_TABLE = 'insee_estim_pop_dep_sexe_age5_2009_2014_occitanie';
const COMMUNES_TABLE = 'insee_populations_legales_communes_occitanie';
const DEPARTEMENTS_TABLE = 'insee_populations_legales_departements_occitanie';
const legalPopulation = (table: string): DemoColumn[] => [
  { table, name: 'PMUN', description: 'Population municipale', unit: 'habitants' },
  { table, name: 'PTOT', description: 'Population totale (population municipale et population comptée à part)', unit: 'habitants' },
];

const population: DemoDataset[] = [
  {
    slug: 'population-departements-sexe-age-2009-2014',
    publisher: 'insee',
    steward: steward('insee'),
    files: ['demography/insee_estim_pop_dep_sexe_age5_2009-2014_occitanie.csv'],
    metadata: {
      title: {
        fr: 'Population des départements d’Occitanie par sexe et âge quinquennal (2009-2014)',
        en: 'Population of the départements of Occitanie by sex and five-year age group (2009-2014)',
      },
      description: {
        fr: 'Estimations de population de l’INSEE au 1er janvier de chaque année, de 2009 à 2014, pour les 13 départements d’Occitanie, par sexe (« h », « f ») et par tranche d’âge de cinq ans : la colonne age_max_cat donne l’âge le plus élevé de la tranche (« 4 » pour 0 à 4 ans), « inf » désignant les 95 ans et plus. Le fichier a été remis au format long (une ligne par département, année, sexe et tranche) par SGMAP-AGD pour le projet DAMIR. Attention : les codes de département y sont écrits sans zéro initial (l’Ariège est « 9 » et non « 09 »).',
        en: 'INSEE population estimates on 1 January of each year from 2009 to 2014 for the 13 départements of Occitanie, by sex and five-year age group (age_max_cat is the group’s upper age, "inf" meaning 95 and over), reshaped to long format by SGMAP-AGD for the DAMIR project. Département codes lack their leading zero (Ariège is "9").',
      },
      contactPoint: contact('INSEE', 'insee'),
      themes: ['SOCI', 'REGI'],
      domains: ['territory'],
      keywords: ['population', 'démographie', 'pyramide des âges', 'âge', 'sexe', 'estimations de population', 'départements', 'INSEE'],
      spatial: OCCITANIE_BY_DEPARTEMENT,
      temporal: { start: '2009-01-01', end: '2014-01-01' },
      frequency: 'NEVER',
      licence: 'etalab-2.0',
      accessLevel: 'open',
      attribution:
        'INSEE — Estimation de population par département, sexe et âge quinquennal, Licence Ouverte ; mise au format long : SGMAP-AGD (projet DAMIR)',
    },
    columns: [
      { table: ESTIMATES_TABLE, name: 'dep', description: 'Code INSEE du département, écrit sans zéro initial dans cette source' },
      { table: ESTIMATES_TABLE, name: 'annee', description: 'Année de l’estimation (au 1er janvier)' },
      { table: ESTIMATES_TABLE, name: 'sexe', description: 'h : hommes, f : femmes' },
      { table: ESTIMATES_TABLE, name: 'age_max_cat', description: 'Âge le plus élevé de la tranche de cinq ans ; inf : 95 ans et plus' },
      { table: ESTIMATES_TABLE, name: 'value', description: 'Population estimée', unit: 'habitants' },
    ],
  },
  {
    slug: 'populations-legales-communes-occitanie',
    publisher: 'insee',
    steward: steward('insee'),
    files: ['demography/insee_populations_legales_communes_occitanie.csv'],
    metadata: {
      title: { fr: 'Populations légales des communes d’Occitanie', en: 'Official population of the municipalities of Occitanie' },
      description: {
        fr: 'Population municipale, population comptée à part et population totale des 4 446 communes d’Occitanie, avec le nom et les codes INSEE de la commune, de son département, de son arrondissement et de son canton, d’après les populations légales publiées par l’INSEE. La source dont provient ce fichier n’en indique pas le millésime (sans doute un millésime récent) : vérifiez-le auprès de l’INSEE avant tout usage officiel.',
        en: 'Municipal, counted-separately and total population of the 4,446 municipalities of Occitanie, with the INSEE codes of the municipality, département, arrondissement and canton, from INSEE’s official population figures. The vintage is not stated by the source of this file.',
      },
      contactPoint: contact('INSEE', 'insee'),
      themes: ['SOCI', 'REGI'],
      domains: ['territory'],
      keywords: ['population', 'populations légales', 'recensement', 'démographie', 'communes', 'code INSEE', 'INSEE'],
      spatial: [OCCITANIE],
      temporal: null,
      frequency: 'ANNUAL',
      licence: 'etalab-2.0',
      accessLevel: 'open',
      attribution: 'INSEE — Populations légales, Licence Ouverte / Etalab 2.0',
    },
    columns: [
      { table: COMMUNES_TABLE, name: 'COM', description: 'Code INSEE de la commune' },
      { table: COMMUNES_TABLE, name: 'PCAP', description: 'Population comptée à part', unit: 'habitants' },
      ...legalPopulation(COMMUNES_TABLE),
    ],
  },
  {
    slug: 'populations-legales-departements-occitanie',
    publisher: 'insee',
    steward: steward('insee'),
    files: ['demography/insee_populations_legales_departements_occitanie.csv'],
    metadata: {
      title: { fr: 'Populations légales des départements d’Occitanie', en: 'Official population of the départements of Occitanie' },
      description: {
        fr: 'Population municipale et population totale des 13 départements d’Occitanie, avec leurs nombres d’arrondissements, de cantons et de communes, d’après les populations légales publiées par l’INSEE. La source dont provient ce fichier n’en indique pas le millésime (sans doute un millésime récent) : vérifiez-le auprès de l’INSEE avant tout usage officiel.',
        en: 'Municipal and total population of the 13 départements of Occitanie, with their numbers of arrondissements, cantons and municipalities, from INSEE’s official population figures. The vintage is not stated by the source of this file.',
      },
      contactPoint: contact('INSEE', 'insee'),
      themes: ['SOCI', 'REGI'],
      domains: ['territory'],
      keywords: ['population', 'populations légales', 'recensement', 'démographie', 'départements', 'INSEE'],
      spatial: OCCITANIE_BY_DEPARTEMENT,
      temporal: null,
      frequency: 'ANNUAL',
      licence: 'etalab-2.0',
      accessLevel: 'open',
      attribution: 'INSEE — Populations légales, Licence Ouverte / Etalab 2.0',
    },
    columns: [
      { table: DEPARTEMENTS_TABLE, name: 'NBARR', description: 'Nombre d’arrondissements' },
      { table: DEPARTEMENTS_TABLE, name: 'NBCAN', description: 'Nombre de cantons' },
      { table: DEPARTEMENTS_TABLE, name: 'NBCOM', description: 'Nombre de communes' },
      ...legalPopulation(DEPARTEMENTS_TABLE),
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Air quality (Atmo Occitanie): members only

const atmoColumns = (table: string): DemoColumn[] => [
  { table, name: 'X', description: 'Longitude de la station (WGS84)', unit: '°' },
  { table, name: 'Y', description: 'Latitude de la station (WGS84)', unit: '°' },
  { table, name: 'insee_com', description: 'Code INSEE de la commune de la station' },
  { table, name: 'nom_poll', description: 'Polluant mesuré' },
  { table, name: 'valeur', description: 'Concentration moyenne sur la période, dans l’unité de la colonne unite' },
  { table, name: 'unite', description: 'Unité de la valeur : ug.m-3 (µg/m³), ou mg.m-3 (mg/m³) pour le monoxyde de carbone' },
  { table, name: 'date_debut', description: 'Début de la période de mesure (UTC)' },
  { table, name: 'date_fin', description: 'Fin de la période de mesure (UTC)' },
  { table, name: 'statut_valid', description: 'Vrai si la valeur a été validée par Atmo Occitanie' },
  { table, name: 'x_l93', description: 'Abscisse de la station en Lambert-93', unit: 'm' },
  { table, name: 'y_l93', description: 'Ordonnée de la station en Lambert-93', unit: 'm' },
];

const airQuality: DemoDataset[] = [
  {
    slug: 'qualite-air-occitanie-moyennes-annuelles',
    publisher: 'atmo-occitanie',
    steward: steward('atmo-occitanie'),
    files: ['environment/atmo_occitanie_mesures_annuelles.csv'],
    metadata: {
      title: {
        fr: 'Qualité de l’air en Occitanie : moyennes annuelles 2017 et 2018',
        en: 'Air quality in Occitanie: annual means, 2017 and 2018',
      },
      description: {
        fr: 'Concentrations moyennes annuelles des polluants réglementés (NO, NO2, NOx, O3, PM10, PM2,5, SO2, CO, H2S) mesurées en 2017 et 2018 par les 44 stations fixes d’Atmo Occitanie réparties dans neuf départements, avec la commune, la typologie (urbaine, périurbaine, rurale) et l’influence (fond, trafic, industrielle) de chaque station. Les valeurs sont en µg/m³, sauf le monoxyde de carbone en mg/m³ ; les positions sont données en WGS84 et en Lambert-93. Réservé aux organisations membres dans cette démonstration ; la licence ODbL impose de citer Atmo Occitanie et de partager à l’identique toute base dérivée.',
        en: 'Annual mean concentrations of regulated pollutants (NO, NO2, NOx, O3, PM10, PM2.5, SO2, CO, H2S) measured in 2017 and 2018 by Atmo Occitanie’s 44 fixed stations in nine départements, with each station’s municipality, type and influence. Values in µg/m³ (CO in mg/m³). Members only in this demo; ODbL (attribution, share-alike).',
      },
      contactPoint: contact('Atmo Occitanie', 'atmo-occitanie'),
      themes: ['ENVI', 'HEAL'],
      domains: ['environment', 'health'],
      keywords: [
        'qualité de l’air',
        'pollution',
        'pollution atmosphérique',
        'NO2',
        'dioxyde d’azote',
        'ozone',
        'particules fines',
        'PM10',
        'PM2.5',
        'stations de mesure',
      ],
      spatial: [OCCITANIE, ...ATMO_STATION_COMMUNES],
      temporal: { start: '2017-01-01', end: '2018-12-31' },
      frequency: 'NEVER',
      licence: 'odbl-1.0',
      accessLevel: 'members',
      attribution: ATMO_ATTRIBUTION,
    },
    columns: atmoColumns('atmo_occitanie_mesures_annuelles'),
  },
  {
    slug: 'qualite-air-occitanie-moyennes-mensuelles-2018',
    publisher: 'atmo-occitanie',
    steward: steward('atmo-occitanie'),
    files: ['environment/atmo_occitanie_mesures_mensuelles_2018.csv'],
    metadata: {
      title: {
        fr: 'Qualité de l’air en Occitanie : moyennes mensuelles 2018',
        en: 'Air quality in Occitanie: monthly means, 2018',
      },
      description: {
        fr: 'Concentrations moyennes mensuelles des polluants réglementés (NO, NO2, NOx, O3, PM10, PM2,5, SO2, CO, H2S) mesurées de février à décembre 2018 par les 47 stations fixes d’Atmo Occitanie réparties dans douze départements, avec la commune, la typologie et l’influence de chaque station. Les valeurs sont en µg/m³, sauf le monoxyde de carbone en mg/m³ ; quelques moyennes n’ont pas été validées (colonne statut_valid). Réservé aux organisations membres dans cette démonstration ; la licence ODbL impose de citer Atmo Occitanie et de partager à l’identique toute base dérivée.',
        en: 'Monthly mean concentrations of regulated pollutants measured from February to December 2018 by Atmo Occitanie’s 47 fixed stations in twelve départements. Values in µg/m³ (CO in mg/m³); a few means are not validated (statut_valid). Members only in this demo; ODbL (attribution, share-alike).',
      },
      contactPoint: contact('Atmo Occitanie', 'atmo-occitanie'),
      themes: ['ENVI', 'HEAL'],
      domains: ['environment', 'health'],
      keywords: [
        'qualité de l’air',
        'pollution',
        'pollution atmosphérique',
        'NO2',
        'dioxyde d’azote',
        'ozone',
        'particules fines',
        'PM10',
        'PM2.5',
        'moyennes mensuelles',
      ],
      spatial: [OCCITANIE, ...ATMO_STATION_COMMUNES],
      temporal: { start: '2018-02-01', end: '2018-12-31' },
      frequency: 'NEVER',
      licence: 'odbl-1.0',
      accessLevel: 'members',
      attribution: ATMO_ATTRIBUTION,
    },
    columns: atmoColumns('atmo_occitanie_mesures_mensuelles_2018'),
  },
];

// ---------------------------------------------------------------------------------------------
// Mosquito traps (Université de Montpellier and IRD, via GBIF): CC BY-NC 4.0

const GBIF_TABLE = 'gbif_0004826_260129131611470_moustiques_montpellier_2023';

const mosquitoes: DemoDataset = {
  slug: 'moustiques-montpellier-2023',
  // The Université de Montpellier is a member with no data steward in the demo: its admin publishes.
  publisher: 'universite-de-montpellier',
  steward: 'admin@universite-de-montpellier.demo',
  files: ['environment/gbif_0004826-260129131611470_moustiques_montpellier_2023.tsv'],
  metadata: {
    title: { fr: 'Captures de moustiques à Montpellier en 2023', en: 'Mosquito trap catches in Montpellier, 2023' },
    description: {
      fr: 'Relevés de pièges à moustiques posés d’avril à octobre 2023 sur une dizaine de sites de Montpellier : pour chaque relevé, l’espèce (dont Aedes albopictus, le moustique tigre, et Culex pipiens), sa présence ou son absence, le nombre d’individus capturés, la période de piégeage et la position du piège. Jeu de l’Université de Montpellier et de l’IRD publié sur GBIF, repris tel que GBIF le télécharge (50 colonnes Darwin Core) ; 150 relevés ne sont datés qu’à l’année. Licence CC BY-NC 4.0 : tout usage commercial est exclu, et les colonnes recordedBy et identifiedBy nomment les chercheurs, comme la source le publie pour les créditer.',
      en: 'Mosquito trap records from about ten sites in Montpellier, April to October 2023: species (including the tiger mosquito Aedes albopictus and Culex pipiens), presence or absence, number caught, trapping period and trap position. Published on GBIF by the Université de Montpellier and IRD, as GBIF downloads it (50 Darwin Core columns); 150 records are dated to the year only. CC BY-NC 4.0: no commercial use. recordedBy and identifiedBy name the researchers, as published for attribution.',
    },
    contactPoint: { name: 'Université de Montpellier — administration des données', email: 'admin@universite-de-montpellier.demo' },
    themes: ['ENVI', 'HEAL', 'TECH'],
    domains: ['environment', 'health', 'research'],
    keywords: [
      'moustiques',
      'moustique tigre',
      'Aedes albopictus',
      'Culex',
      'biodiversité',
      'entomologie',
      'maladies vectorielles',
      'GBIF',
      'Montpellier',
    ],
    spatial: [{ level: 'commune', code: '34172', name: 'Montpellier' }],
    temporal: { start: '2023-01-01', end: '2023-12-31' },
    frequency: 'NEVER',
    licence: 'cc-by-nc-4.0',
    accessLevel: 'open',
    attribution:
      'Université de Montpellier et Institut de recherche pour le développement (IRD), via GBIF.org (téléchargement 0004826-260129131611470, DOI 10.15468/4qafbu) — licence CC BY-NC 4.0',
  },
  columns: [
    { table: GBIF_TABLE, name: 'individualCount', description: 'Nombre d’individus de l’espèce dans le relevé (0 : espèce absente)' },
    { table: GBIF_TABLE, name: 'occurrenceStatus', description: 'PRESENT ou ABSENT' },
    { table: GBIF_TABLE, name: 'eventDate', description: 'Période de piégeage (intervalle ISO 8601), ou seulement l’année' },
    { table: GBIF_TABLE, name: 'decimalLatitude', description: 'Latitude du piège (WGS84)', unit: '°' },
    { table: GBIF_TABLE, name: 'decimalLongitude', description: 'Longitude du piège (WGS84)', unit: '°' },
    { table: GBIF_TABLE, name: 'coordinateUncertaintyInMeters', description: 'Incertitude sur la position', unit: 'm' },
    { table: GBIF_TABLE, name: 'recordedBy', description: 'Personnes qui ont relevé le piège', personal: true },
    { table: GBIF_TABLE, name: 'identifiedBy', description: 'Personnes qui ont identifié les spécimens', personal: true },
  ],
};

// ---------------------------------------------------------------------------------------------
// COVID-19 hospital data (Santé publique France): aggregates only

const HOSPIT_TABLE = 'spf_covid_hospit_dep_sexe_occitanie_2020_03_18_2020_06_30';
const AGE_TABLE = 'spf_covid_hosp_ad_age_reg76_occitanie';
const INCID_TABLE = 'spf_covid_hospit_incid_dep_occitanie';
const REA_TABLE = 'spf_covid_hospit_incid_rea_reg76_occitanie';
const health = (table: string, name: string, description: string): DemoColumn => ({
  table,
  name,
  description,
  unit: 'personnes',
  sensitive: true,
});
const HEALTH_CAVEAT =
  'Dans cette démonstration, le jeu n’est accessible qu’en agrégats, sous contrat et après revue éthique, avec contrôle du secret statistique ; les données publiées par Santé publique France sont par ailleurs en accès libre.';
const healthMetadata: Omit<DemoDataset['metadata'], 'title' | 'description' | 'keywords' | 'temporal'> = {
  contactPoint: contact('Santé publique France', 'sante-publique-france'),
  themes: ['HEAL'],
  domains: ['health'],
  spatial: [OCCITANIE],
  frequency: 'NEVER',
  licence: 'etalab-2.0',
  accessLevel: 'aggregate_only',
  attribution: SPF_ATTRIBUTION,
};

const hospital: DemoDataset[] = [
  {
    slug: 'covid-hospitalisations-departement-sexe-2020',
    publisher: 'sante-publique-france',
    steward: steward('sante-publique-france'),
    files: ['health/spf_covid_hospit_dep_sexe_occitanie_2020-03-18_2020-06-30.csv'],
    metadata: {
      ...healthMetadata,
      spatial: OCCITANIE_BY_DEPARTEMENT,
      title: {
        fr: 'COVID-19 : patients hospitalisés par département et par sexe en Occitanie (mars-juin 2020)',
        en: 'COVID-19: hospitalised patients by département and sex in Occitanie (March-June 2020)',
      },
      description: {
        fr: `Nombre de personnes hospitalisées pour COVID-19 chaque jour, dont en réanimation ou soins critiques, et nombres cumulés de retours à domicile et de décès à l’hôpital, par département d’Occitanie et par sexe (0 : ensemble, 1 : hommes, 2 : femmes), du 18 mars au 30 juin 2020, d’après le système d’information SI-VIC de Santé publique France. Les jours du 27 au 29 juin 2020 sont écrits au format jj/mm/aaaa dans le fichier d’origine, les autres au format ISO ; l’import les lit tous comme des dates. ${HEALTH_CAVEAT}`,
        en: 'Daily number of people in hospital for COVID-19, of whom in intensive care, and cumulative discharges and hospital deaths, by département of Occitanie and sex (0 all, 1 men, 2 women), 18 March to 30 June 2020, from Santé publique France’s SI-VIC. Aggregate access only in this demo (contract, ethics review, disclosure control).',
      },
      keywords: ['COVID-19', 'covid', 'hospitalisations', 'réanimation', 'décès', 'santé', 'épidémie', 'sexe', 'départements', 'SI-VIC'],
      temporal: { start: '2020-03-18', end: '2020-06-30' },
    },
    columns: [
      { table: HOSPIT_TABLE, name: 'dep', description: 'Code INSEE du département' },
      { table: HOSPIT_TABLE, name: 'sexe', description: '0 : hommes et femmes, 1 : hommes, 2 : femmes' },
      { table: HOSPIT_TABLE, name: 'jour', description: 'Jour de la mesure' },
      health(HOSPIT_TABLE, 'hosp', 'Personnes hospitalisées ce jour-là'),
      health(HOSPIT_TABLE, 'rea', 'Personnes en réanimation ou en soins critiques ce jour-là'),
      health(HOSPIT_TABLE, 'rad', 'Retours à domicile depuis le début de l’épidémie (cumul)'),
      health(HOSPIT_TABLE, 'dc', 'Décès à l’hôpital depuis le début de l’épidémie (cumul)'),
    ],
  },
  {
    slug: 'covid-admissions-hopital-age-occitanie',
    publisher: 'sante-publique-france',
    steward: steward('sante-publique-france'),
    files: ['health/spf_covid_hosp_ad_age_reg76_occitanie.csv'],
    metadata: {
      ...healthMetadata,
      title: {
        fr: 'COVID-19 : nouvelles hospitalisations par classe d’âge en Occitanie (2020-2023)',
        en: 'COVID-19: new hospital admissions by age group in Occitanie (2020-2023)',
      },
      description: {
        fr: `Nombre hebdomadaire de nouvelles admissions à l’hôpital pour COVID-19 en Occitanie, par classe d’âge de dix ans (cl_age90 : « 09 » pour 0 à 9 ans, « 19 » pour 10 à 19 ans… « 90 » pour 90 ans et plus, « 0 » pour tous âges), de la semaine 9 de 2020 à la semaine 25 de 2023. Les semaines sont des semaines ISO notées « 2020-S09 ». ${HEALTH_CAVEAT}`,
        en: 'Weekly new hospital admissions for COVID-19 in Occitanie by ten-year age group (cl_age90: "09" 0-9, … "90" 90 and over, "0" all ages), ISO week 9 of 2020 to week 25 of 2023. Aggregate access only in this demo.',
      },
      keywords: ['COVID-19', 'covid', 'hospitalisations', 'admissions', 'âge', 'classes d’âge', 'santé', 'épidémie', 'Occitanie'],
      temporal: { start: '2020-02-24', end: '2023-06-25' },
    },
    columns: [
      { table: AGE_TABLE, name: 'reg', description: 'Code INSEE de la région' },
      { table: AGE_TABLE, name: 'Semaine', description: 'Semaine ISO (AAAA-Snn)' },
      {
        table: AGE_TABLE,
        name: 'cl_age90',
        description: 'Âge le plus élevé de la classe de dix ans ; 90 : 90 ans et plus ; 0 : tous âges',
      },
      health(AGE_TABLE, 'NewAdmHospit', 'Nouvelles admissions à l’hôpital dans la semaine'),
    ],
  },
  {
    slug: 'covid-hospitalisations-quotidiennes-departements',
    publisher: 'sante-publique-france',
    steward: steward('sante-publique-france'),
    files: ['health/spf_covid_hospit_incid_dep_occitanie.csv'],
    metadata: {
      ...healthMetadata,
      spatial: OCCITANIE_BY_DEPARTEMENT,
      title: {
        fr: 'COVID-19 : nouvelles hospitalisations quotidiennes par département en Occitanie (2020-2023)',
        en: 'COVID-19: daily new hospitalisations by département in Occitanie (2020-2023)',
      },
      description: {
        fr: `Nombre quotidien de nouvelles hospitalisations, de nouvelles admissions en réanimation, de nouveaux décès à l’hôpital et de nouveaux retours à domicile liés à la COVID-19, pour chacun des 13 départements d’Occitanie, du 19 mars 2020 au 31 mars 2023. ${HEALTH_CAVEAT}`,
        en: 'Daily new hospitalisations, intensive-care admissions, hospital deaths and discharges for COVID-19 in each of the 13 départements of Occitanie, 19 March 2020 to 31 March 2023. Aggregate access only in this demo.',
      },
      keywords: ['COVID-19', 'covid', 'hospitalisations', 'réanimation', 'décès', 'santé', 'épidémie', 'départements'],
      temporal: { start: '2020-03-19', end: '2023-03-31' },
    },
    columns: [
      { table: INCID_TABLE, name: 'dep', description: 'Code INSEE du département' },
      { table: INCID_TABLE, name: 'jour', description: 'Jour' },
      health(INCID_TABLE, 'incid_hosp', 'Nouvelles hospitalisations du jour'),
      health(INCID_TABLE, 'incid_rea', 'Nouvelles admissions en réanimation du jour'),
      health(INCID_TABLE, 'incid_dc', 'Nouveaux décès à l’hôpital du jour'),
      health(INCID_TABLE, 'incid_rad', 'Nouveaux retours à domicile du jour'),
    ],
  },
  {
    slug: 'covid-reanimations-quotidiennes-occitanie',
    publisher: 'sante-publique-france',
    steward: steward('sante-publique-france'),
    files: ['health/spf_covid_hospit_incid_rea_reg76_occitanie.csv'],
    metadata: {
      ...healthMetadata,
      title: {
        fr: 'COVID-19 : nouvelles admissions en réanimation en Occitanie (2020-2023)',
        en: 'COVID-19: new intensive-care admissions in Occitanie (2020-2023)',
      },
      description: {
        fr: `Nombre quotidien de nouvelles admissions en réanimation pour COVID-19 dans l’ensemble de la région Occitanie, du 19 mars 2020 au 31 mars 2023. ${HEALTH_CAVEAT}`,
        en: 'Daily new intensive-care admissions for COVID-19 in the Occitanie region, 19 March 2020 to 31 March 2023. Aggregate access only in this demo.',
      },
      keywords: ['COVID-19', 'covid', 'réanimation', 'soins critiques', 'hospitalisations', 'santé', 'épidémie', 'Occitanie'],
      temporal: { start: '2020-03-19', end: '2023-03-31' },
    },
    columns: [
      { table: REA_TABLE, name: 'jour', description: 'Jour' },
      { table: REA_TABLE, name: 'numReg', description: 'Code INSEE de la région' },
      health(REA_TABLE, 'incid_rea', 'Nouvelles admissions en réanimation du jour'),
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Tourism (Atout France)

const tourismColumns = (table: string): DemoColumn[] => [
  { table, name: 'DATE DE CLASSEMENT', description: 'Date de la décision de classement (valable cinq ans)' },
  { table, name: 'CODE POSTAL', description: 'Code postal de l’établissement' },
  { table, name: "CAPACITÉ D'ACCUEIL (PERSONNES)", description: 'Capacité d’accueil', unit: 'personnes' },
  { table, name: "NOMBRE D'EMPLACEMENTS", description: 'Nombre d’emplacements (campings et parcs résidentiels de loisirs)' },
];

const tourism: DemoDataset[] = [
  {
    slug: 'hebergements-touristiques-classes-occitanie',
    publisher: 'atout-france',
    steward: steward('atout-france'),
    files: ['tourism/atout_france_hebergements_classes_occitanie.csv'],
    metadata: {
      title: { fr: 'Hébergements touristiques classés en Occitanie', en: 'Classified tourist accommodation in Occitanie' },
      description: {
        fr: 'Hôtels, campings, résidences de tourisme, villages de vacances, parcs résidentiels de loisirs et auberges collectives classés dont le code postal est en Occitanie, extraits du registre national des hébergements touristiques classés tenu par Atout France : date et niveau de classement, nom commercial, adresse, site internet, capacité d’accueil et nombres de chambres, d’emplacements ou de logements. Les décisions de classement vont de janvier 2019 à janvier 2026 ; un classement vaut cinq ans. Dans la source, « - » signifie « sans objet » (pas de chambres pour un camping, par exemple) : ces cases sont lues comme vides.',
        en: 'Classified hotels, campsites, tourist residences, holiday villages, residential leisure parks and hostels with an Occitanie postcode, from Atout France’s national register: classification date and level, name, address, website, capacity and numbers of rooms, pitches or units. Classification decisions from January 2019 to January 2026, each valid five years. "-" means not applicable and is read as empty.',
      },
      contactPoint: contact('Atout France', 'atout-france'),
      themes: ['ECON', 'REGI'],
      domains: ['tourism', 'economy'],
      keywords: [
        'tourisme',
        'hébergement',
        'hôtels',
        'campings',
        'résidences de tourisme',
        'classement',
        'étoiles',
        'capacité d’accueil',
        'Atout France',
      ],
      spatial: [OCCITANIE],
      temporal: { start: '2019-01-22', end: '2026-01-09' },
      frequency: 'IRREG',
      licence: 'etalab-2.0',
      accessLevel: 'open',
      attribution: ATOUT_FRANCE_ATTRIBUTION,
    },
    columns: tourismColumns('atout_france_hebergements_classes_occitanie'),
  },
  {
    slug: 'campings-classes-littoral-occitanie',
    publisher: 'atout-france',
    steward: steward('atout-france'),
    files: ['littoral/atout_france_campings_classes_11_30_34_66.csv'],
    metadata: {
      title: {
        fr: 'Campings classés des départements littoraux d’Occitanie',
        en: 'Classified campsites of the coastal départements of Occitanie',
      },
      description: {
        fr: 'Campings et aires naturelles classés de l’Aude, du Gard, de l’Hérault et des Pyrénées-Orientales, les quatre départements littoraux d’Occitanie, extraits du registre national des hébergements touristiques classés tenu par Atout France : date et niveau de classement (étoiles ou aire naturelle), nom commercial, adresse, capacité d’accueil et nombre d’emplacements. Les décisions de classement vont de septembre 2020 à décembre 2025 ; un classement vaut cinq ans. Ce sous-ensemble, destiné aux études sur le littoral, recoupe le jeu des hébergements classés d’Occitanie.',
        en: 'Classified campsites and natural camping areas of Aude, Gard, Hérault and Pyrénées-Orientales, the four coastal départements of Occitanie, from Atout France’s national register: classification date and level, name, address, capacity and number of pitches. Decisions from September 2020 to December 2025. A subset of the Occitanie classified accommodation dataset, for coastal studies.',
      },
      contactPoint: contact('Atout France', 'atout-france'),
      themes: ['ECON', 'REGI'],
      domains: ['tourism', 'territory'],
      keywords: ['tourisme', 'campings', 'camping', 'littoral', 'hébergement', 'classement', 'étoiles', 'emplacements', 'Atout France'],
      spatial: [departement('11', 'Aude'), departement('30', 'Gard'), HERAULT, departement('66', 'Pyrénées-Orientales')],
      temporal: { start: '2020-09-07', end: '2025-12-11' },
      frequency: 'IRREG',
      licence: 'etalab-2.0',
      accessLevel: 'open',
      attribution: ATOUT_FRANCE_ATTRIBUTION,
    },
    columns: tourismColumns('atout_france_campings_classes_11_30_34_66'),
  },
];

// ---------------------------------------------------------------------------------------------
// Mobility (Montpellier Méditerranée Métropole, TaM, Tisséo)

const COUNTS_TABLE = 'mmm_ecocompt_archive_7compteurs';
const TAM_GTFS = ['agency', 'calendar', 'calendar_dates', 'routes', 'stops', 'transfers', 'trips'];
const TISSEO_GTFS = ['agency', 'routes', 'stops'];

const mobility: DemoDataset[] = [
  {
    slug: 'comptages-velo-montpellier',
    publisher: 'montpellier-mediterranee-metropole',
    steward: steward('montpellier-mediterranee-metropole'),
    files: ['mobility/montpellier_ecocompteurs/MMM_EcoCompt_archive_7compteurs.ndjson'],
    metadata: {
      title: {
        fr: 'Comptages vélo quotidiens de sept compteurs de Montpellier (2020-2024)',
        en: 'Daily bicycle counts from seven counters in Montpellier (2020-2024)',
      },
      description: {
        fr: 'Nombre de vélos comptés chaque jour par sept éco-compteurs de Montpellier Méditerranée Métropole, de novembre 2020 à octobre 2024, au format du modèle de données FIWARE « TrafficFlowObserved » : intensité (passages dans la journée), voie (laneId, l’identifiant OpenStreetMap de la voie), sens, période d’observation et position du compteur. Archive du portail open data de la Métropole, dont les objets JSON concaténés ont été remis un par ligne sans que les valeurs changent. 475 relevés n’ont pas d’intensité ; les emplacements des compteurs forment un jeu à part.',
        en: 'Bicycles counted each day by seven eco-counters of Montpellier Méditerranée Métropole, November 2020 to October 2024, in the FIWARE "TrafficFlowObserved" data model: intensity (passages per day), lane (OpenStreetMap way id), direction, observation period and counter position. 475 records have no intensity; counter locations are a separate dataset.',
      },
      contactPoint: contact('Montpellier Méditerranée Métropole', 'montpellier-mediterranee-metropole'),
      themes: ['TRAN', 'ENVI'],
      domains: ['mobility', 'environment'],
      keywords: ['vélo', 'cyclisme', 'comptages', 'éco-compteurs', 'mobilité douce', 'déplacements', 'pistes cyclables', 'Montpellier'],
      spatial: [HERAULT],
      temporal: { start: '2020-11-12', end: '2024-10-17' },
      frequency: 'NEVER',
      licence: 'odbl-1.0',
      accessLevel: 'open',
      attribution: MMM_ATTRIBUTION,
    },
    columns: [
      {
        table: COUNTS_TABLE,
        name: 'intensity',
        description: 'Vélos comptés pendant la période d’observation (une journée)',
        unit: 'passages',
      },
      { table: COUNTS_TABLE, name: 'laneId', description: 'Identifiant OpenStreetMap de la voie (colonne OSM_Line_i des emplacements)' },
      { table: COUNTS_TABLE, name: 'dateObserved', description: 'Période d’observation, intervalle ISO 8601 d’une journée' },
      { table: COUNTS_TABLE, name: 'location', description: 'Position du compteur (point GeoJSON, WGS84)' },
    ],
  },
  {
    slug: 'compteurs-velo-montpellier-emplacements',
    publisher: 'montpellier-mediterranee-metropole',
    steward: steward('montpellier-mediterranee-metropole'),
    // Two versions of one table: the portal's CSV, then its GeoJSON export, which adds the points.
    files: [
      'mobility/montpellier_ecocompteurs/MMM_MMM_GeolocCompteurs.csv',
      'mobility/montpellier_ecocompteurs/MMM_MMM_GeolocCompteurs.geojson',
    ],
    metadata: {
      title: {
        fr: 'Emplacements des compteurs vélo et piétons de Montpellier',
        en: 'Locations of the bicycle and pedestrian counters in Montpellier',
      },
      description: {
        fr: 'Nom, numéro de série, coordonnées WGS84 et identifiant OpenStreetMap de la voie des 51 éco-compteurs vélo et piétons de Montpellier Méditerranée Métropole. La version 1 est le fichier CSV du portail open data de la Métropole ; la version 2, son export GeoJSON, ajoute la géométrie ponctuelle de chaque compteur. Pour sept compteurs, les deux colonnes de numéro de série (« N° Série » et « N° Sér_1 ») diffèrent, comme dans la source.',
        en: 'Name, serial number, WGS84 coordinates and OpenStreetMap way id of the 51 bicycle and pedestrian eco-counters of Montpellier Méditerranée Métropole. Version 1 is the portal’s CSV file; version 2, its GeoJSON export, adds each counter’s point geometry. For seven counters the two serial-number columns differ, as in the source.',
      },
      contactPoint: contact('Montpellier Méditerranée Métropole', 'montpellier-mediterranee-metropole'),
      themes: ['TRAN'],
      domains: ['mobility'],
      keywords: ['vélo', 'piétons', 'éco-compteurs', 'compteurs', 'emplacements', 'mobilité douce', 'Montpellier', 'GeoJSON'],
      spatial: [HERAULT],
      temporal: null,
      frequency: 'IRREG',
      licence: 'odbl-1.0',
      accessLevel: 'open',
      attribution: MMM_ATTRIBUTION,
    },
    versionNotes: 'Fichier CSV du portail open data de Montpellier Méditerranée Métropole.',
    laterVersionNotes: ['Export GeoJSON du même fichier : ajoute la géométrie (point) de chaque compteur.'],
  },
  {
    slug: 'gtfs-tam-montpellier',
    publisher: 'montpellier-mediterranee-metropole',
    steward: steward('montpellier-mediterranee-metropole'),
    files: TAM_GTFS.map((t) => `mobility/tam_gtfs/${t}.txt`),
    kind: 'gtfs',
    metadata: {
      title: {
        fr: 'Offre théorique du réseau TaM (GTFS), juillet-octobre 2025',
        en: 'TaM network scheduled service (GTFS), July-October 2025',
      },
      description: {
        fr: 'Offre théorique du réseau de transports en commun TaM de Montpellier Méditerranée Métropole (tramway, bus et transport à la demande) au format GTFS, pour la période de service du 15 juillet au 17 octobre 2025 : agence, lignes, arrêts, calendriers et leurs exceptions, correspondances et courses. Le fichier stop_times.txt (heures de passage à chaque arrêt) n’a pas été repris dans la démonstration : ce flux ne permet donc pas de calculer des itinéraires. Source : portail open data de la Métropole (TAM_MMM_GTFS.zip).',
        en: 'Scheduled service of the TaM public transport network of Montpellier Méditerranée Métropole (tram, bus, on-demand) in GTFS, for 15 July to 17 October 2025: agency, routes, stops, calendars and exceptions, transfers and trips. stop_times.txt was not copied into the demo, so no journeys can be planned from it.',
      },
      contactPoint: contact('Montpellier Méditerranée Métropole', 'montpellier-mediterranee-metropole'),
      themes: ['TRAN'],
      domains: ['mobility'],
      keywords: ['transport en commun', 'GTFS', 'horaires', 'tramway', 'bus', 'arrêts', 'lignes', 'TaM', 'Montpellier'],
      spatial: [HERAULT],
      temporal: { start: '2025-07-15', end: '2025-10-17' },
      frequency: 'IRREG',
      licence: 'odbl-1.0',
      accessLevel: 'open',
      attribution: TAM_ATTRIBUTION,
    },
  },
  {
    /**
     * Restricted, meant to be paid for. Real-time departures rather than the Atout France register:
     * what a buyer pays for is a live, supported feed, the kind of service for which EU and French
     * rules on multimodal travel information (Regulation 2017/1926, loi d’orientation des mobilités)
     * let a transport authority ask reasonable compensation when reuse is heavy. The licence stays
     * the real one, ODbL: a buyer may share what they received under ODbL, which is fine because
     * the value sold is the timely access, not exclusive rights. The demo file is a single snapshot.
     */
    slug: 'tam-temps-reel-montpellier',
    publisher: 'montpellier-mediterranee-metropole',
    steward: steward('montpellier-mediterranee-metropole'),
    files: ['mobility/tam_temps_reel/TAM_MMM_TpsReel.csv'],
    metadata: {
      title: { fr: 'Prochains passages en temps réel du réseau TaM', en: 'TaM network real-time departures' },
      description: {
        fr: 'Prochains départs aux arrêts du réseau TaM de Montpellier Méditerranée Métropole (tramway et bus) : pour chaque course et chaque arrêt, la ligne, la destination, l’heure de départ annoncée, le retard en secondes et si l’horaire est théorique ou mesuré en temps réel. Le fichier de démonstration est un seul relevé, couvrant environ 11 h à 13 h d’une journée de septembre 2025 dont la date exacte n’est pas indiquée par la source. Dans cette démonstration, l’accès au flux est proposé sur contrat payant ; la licence ODbL continue de s’appliquer aux données reçues.',
        en: 'Upcoming departures at TaM tram and bus stops: line, destination, announced departure time, delay in seconds and whether the time is scheduled or real-time. The demo file is one snapshot covering roughly 11:00 to 13:00 on a day around September 2025 (exact date not given by the source). Paid access under contract in this demo; ODbL still applies to the data received.',
      },
      contactPoint: contact('Montpellier Méditerranée Métropole', 'montpellier-mediterranee-metropole'),
      themes: ['TRAN'],
      domains: ['mobility'],
      keywords: ['transport en commun', 'temps réel', 'prochains passages', 'retards', 'horaires', 'tramway', 'bus', 'TaM', 'Montpellier'],
      spatial: [HERAULT],
      temporal: { start: '2025-09-01', end: '2025-09-30' },
      frequency: 'UPDATE_CONT',
      licence: 'odbl-1.0',
      accessLevel: 'restricted',
      attribution: TAM_ATTRIBUTION,
    },
    columns: [
      { table: 'tam_mmm_tpsreel', name: 'departure_time', description: 'Heure de départ annoncée (heure locale)' },
      { table: 'tam_mmm_tpsreel', name: 'is_theorical', description: '1 : horaire théorique, 0 : horaire mesuré en temps réel' },
      { table: 'tam_mmm_tpsreel', name: 'delay_sec', description: 'Retard annoncé', unit: 's' },
    ],
  },
  {
    slug: 'gtfs-tisseo-toulouse',
    publisher: 'tisseo-collectivites',
    steward: steward('tisseo-collectivites'),
    files: TISSEO_GTFS.map((t) => `mobility/tisseo_gtfs/${t}.txt`),
    kind: 'gtfs',
    metadata: {
      title: { fr: 'Lignes et arrêts du réseau Tisséo (GTFS partiel, 2025)', en: 'Tisséo network routes and stops (partial GTFS, 2025)' },
      description: {
        fr: 'Agence, lignes et arrêts du réseau de transports en commun Tisséo de l’agglomération toulousaine (métro, tramway, bus et téléphérique Téléo), extraits du flux GTFS 2025 publié sur le portail open data de Toulouse Métropole. Flux partiel : seuls agency.txt, routes.txt et stops.txt ont été repris, sans calendriers ni horaires ; il permet de cartographier les 125 lignes et les 5 569 arrêts et zones d’arrêt, pas de calculer des itinéraires.',
        en: 'Agency, routes and stops of the Tisséo public transport network of the Toulouse area (metro, tram, bus and the Téléo cable car), from the 2025 GTFS feed on Toulouse Métropole’s open-data portal. Partial feed: only agency, routes and stops, with no calendars or timetables; good for maps of the 125 routes and 5,569 stops and stop areas, not for journey planning.',
      },
      contactPoint: contact('Tisséo Collectivités', 'tisseo-collectivites'),
      themes: ['TRAN'],
      domains: ['mobility'],
      keywords: ['transport en commun', 'GTFS', 'métro', 'tramway', 'bus', 'téléphérique', 'arrêts', 'lignes', 'Tisséo', 'Toulouse'],
      spatial: [HAUTE_GARONNE],
      temporal: null,
      frequency: 'IRREG',
      licence: 'odbl-1.0',
      accessLevel: 'open',
      attribution:
        'Tisséo Collectivités / Tisséo Voyageurs (portail open data de Toulouse Métropole, jeu « tisseo-gtfs ») — données sous licence ODbL',
    },
  },
];

export const DEMO_DATASETS: DemoDataset[] = [
  ...boundaries,
  weather,
  ...population,
  ...airQuality,
  mosquitoes,
  ...hospital,
  ...tourism,
  ...mobility,
];

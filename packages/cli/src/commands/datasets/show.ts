import type { ColumnView, DatasetView } from '@confiance/contract';
import { connect } from '../../api';
import {
  ACCESS_LEVEL_LABELS,
  COLUMN_TYPE_LABELS,
  DATASET_STATUS_LABELS,
  DOMAIN_LABELS,
  FREQUENCY_LABELS,
  LICENCE_LABELS,
  THEME_LABELS,
  label,
  labels,
} from '../../labels';
import { NONE, details, formatBytes, formatDay, formatNumber, plural, print, printJson, table } from '../../output';
import { getDataset } from './dataset';

export async function datasetsShow(ref: string, options: { json?: boolean }): Promise<void> {
  const { client } = await connect();
  const dataset = await getDataset(client, ref);
  if (options.json) {
    printJson(dataset);
    return;
  }
  printMetadata(dataset);
  printTables(dataset);
}

function yesNo(allowed: boolean): string {
  return allowed ? 'oui' : 'non';
}

function printMetadata(d: DatasetView): void {
  // Calendar dates: read at noon so that no time zone moves them to the day before.
  const date = (day: string) => formatDay(`${day}T12:00:00`);
  const period = d.temporal ? `${date(d.temporal.start)} – ${d.temporal.end ? date(d.temporal.end) : 'en cours'}` : null;
  print(
    details([
      ['Titre', d.title.fr],
      ['Titre (anglais)', d.title.en],
      ['Slug', d.slug],
      ['Identifiant', d.id],
      ['Producteur', `${d.publisher.name} (${d.publisher.slug})`],
      ['Statut', label(DATASET_STATUS_LABELS, d.status)],
      ['Accès', label(ACCESS_LEVEL_LABELS, d.accessLevel)],
      ['Licence', label(LICENCE_LABELS, d.licence)],
      ['Thèmes', d.themes.length ? labels(THEME_LABELS, d.themes) : null],
      ['Domaines', d.domains.length ? labels(DOMAIN_LABELS, d.domains) : null],
      ['Mots-clés', d.keywords.join(', ')],
      ['Couverture', d.spatial.map((a) => `${a.name} (${a.code})`).join(', ')],
      ['Période', period],
      ['Fréquence', d.frequency ? label(FREQUENCY_LABELS, d.frequency) : null],
      ['Contact', d.contactPoint ? `${d.contactPoint.name} <${d.contactPoint.email}>` : null],
      ['Attribution', d.attribution],
      ['Formats', d.formats.join(', ')],
      ['Publié le', formatDay(d.issued)],
      ['Mis à jour le', formatDay(d.modified)],
      ['Version', `${d.version.number} (${plural(d.versionCount, 'version')} en tout)`],
      ['Obsolète', d.deprecation ? `depuis le ${formatDay(d.deprecation.at)} : ${d.deprecation.note}` : null],
      ['Retiré', d.withdrawal ? `le ${formatDay(d.withdrawal.at)} : ${d.withdrawal.reason}` : null],
      ['URI', d.uri],
      [
        'Pour vous',
        `aperçu ${yesNo(d.access.preview)}, téléchargement ${yesNo(d.access.download)}${d.access.reason ? ` — ${d.access.reason}` : ''}`,
      ],
    ]),
  );
  if (d.description.fr) print(`\n${d.description.fr}`);
}

function value(v: ColumnView['min']): string {
  return v === null ? NONE : String(v);
}

function flags(c: ColumnView): string {
  return [c.personal ? 'personnelle' : null, c.sensitive ? 'sensible' : null].filter(Boolean).join(', ');
}

function printTables(d: DatasetView): void {
  const version = d.version;
  for (const t of version.tables) {
    print(`\nTable ${t.name} — ${plural(t.rowCount, 'ligne')}, ${formatBytes(t.byteSize)} (version ${version.number})`);
    print(
      table(t.columns, [
        { header: 'Colonne', value: (c) => c.name },
        { header: 'Type', value: (c) => label(COLUMN_TYPE_LABELS, c.type) },
        { header: 'Vides', value: (c) => formatNumber(c.nullCount), align: 'right' },
        { header: 'Distinctes', value: (c) => formatNumber(c.distinctCount), align: 'right' },
        { header: 'Min', value: (c) => value(c.min) },
        { header: 'Max', value: (c) => value(c.max) },
        { header: 'Signalement', value: flags },
        { header: 'Description', value: (c) => [c.description, c.unit ? `(${c.unit})` : null].filter(Boolean).join(' ') },
      ]),
    );
    if (t.quality.issueCount) {
      print(
        `Qualité : ${plural(t.quality.issueCount, 'remarque')}, ${plural(t.quality.rejectedRows, 'ligne rejetée', 'lignes rejetées')}.`,
      );
      for (const issue of t.quality.issues.slice(0, 5)) print(`  - ${issue.message}`);
    }
  }
}

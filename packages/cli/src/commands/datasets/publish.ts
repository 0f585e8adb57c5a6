import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, pipeline } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ApiError,
  datasetPublishInput,
  schemaImpactSchema,
  uploadQuery,
  versionPublishInput,
  type AccessLevel,
  type CatalogDomain,
  type Client,
  type ColumnAnnotationInput,
  type DatasetPublishInput,
  type DatasetView,
  type EuDataTheme,
  type Frequency,
  type InseeArea,
  type LicenceCode,
  type TableView,
  type UploadView,
  type VersionPublishInput,
} from '@confiance/contract';
import { connect } from '../../api';
import { CliError, UsageError } from '../../errors';
import { INGEST_PHASE_LABELS, SCHEMA_CHANGE_LABELS, label } from '../../labels';
import { formatBytes, formatDateTime, formatNumber, note, plural, print, printJson } from '../../output';
import { progress, type Progress } from '../../progress';
import { getDataset } from './dataset';

/** The formats the node reads, straight from the upload route's schema. */
export const UPLOAD_FORMATS = uploadQuery.shape.format.unwrap().options;
export type UploadFormat = (typeof UPLOAD_FORMATS)[number];

export interface DatasetsPublishOptions {
  /** Publish a new version of this dataset instead of a new dataset. */
  dataset?: string;
  /** Reuse a file already sent (after a refused publication) instead of sending FILE again. */
  upload?: string;
  format?: UploadFormat;
  organisation?: string;
  title?: string;
  titleEn?: string;
  description?: string;
  descriptionEn?: string;
  descriptionFile?: string;
  licence?: LicenceCode;
  level?: AccessLevel;
  keyword?: string[];
  theme?: EuDataTheme[];
  domain?: CatalogDomain[];
  departement?: InseeArea[];
  region?: InseeArea[];
  frequency?: Frequency;
  slug?: string;
  attribution?: string;
  metadata?: string;
  columnPersonal?: string[];
  columnSensitive?: string[];
  notes?: string;
  confirmSchemaChange?: boolean;
  json?: boolean;
}

/** Options that describe a dataset, not a version: refused with --dataset. */
const METADATA_FLAGS: [keyof DatasetsPublishOptions, string][] = [
  ['organisation', '--organisation'],
  ['title', '--title'],
  ['titleEn', '--title-en'],
  ['description', '--description'],
  ['descriptionEn', '--description-en'],
  ['descriptionFile', '--description-file'],
  ['licence', '--licence'],
  ['level', '--level'],
  ['keyword', '--keyword'],
  ['theme', '--theme'],
  ['domain', '--domain'],
  ['departement', '--departement'],
  ['region', '--region'],
  ['frequency', '--frequency'],
  ['slug', '--slug'],
  ['attribution', '--attribution'],
];

/** Stands in for the upload id while the metadata is checked, before any byte is sent. */
const PLACEHOLDER_UPLOAD = '00000000-0000-4000-8000-000000000000';

export async function datasetsPublish(file: string | undefined, options: DatasetsPublishOptions): Promise<void> {
  if (file === undefined && options.upload === undefined)
    throw new UsageError('Donnez le fichier à publier (ou --upload ID pour reprendre un fichier déjà envoyé).');
  if (file !== undefined && options.upload !== undefined) throw new UsageError('Donnez soit un fichier, soit --upload ID, pas les deux.');

  // Everything the command line alone can get wrong is checked before a large file is sent.
  let input: Omit<DatasetPublishInput, 'upload'> | undefined;
  let versionInput: Omit<VersionPublishInput, 'upload'> | undefined;
  if (options.dataset === undefined) {
    if (options.confirmSchemaChange) throw new UsageError('--confirm-schema-change ne sert qu’avec --dataset (nouvelle version).');
    input = await datasetInput(options);
  } else {
    const misplaced = METADATA_FLAGS.filter(([key]) => options[key] !== undefined).map(([, flag]) => flag);
    if (misplaced.length)
      throw new UsageError(
        `Avec --dataset (nouvelle version), ${misplaced.join(', ')} ne s’applique pas : une version change les données, pas la fiche du jeu de données.`,
      );
    versionInput = await versionInputFrom(options);
  }
  if (file !== undefined) await assertReadable(file);

  const { client } = await connect({ requireAuth: true });
  // A version needs the right to manage the dataset: ask before sending the file, not after.
  let target: DatasetView | undefined;
  if (options.dataset !== undefined) {
    target = await getDataset(client, options.dataset);
    if (!target.canManage)
      throw new CliError(
        `Vous ne pouvez pas publier de version de « ${target.slug} » : il faut être responsable des données ou administrateur de ${target.publisher.name}.`,
        { code: 'forbidden' },
      );
  }

  const bar = progress();
  let upload: UploadView;
  try {
    upload = file !== undefined ? await sendFile(client, file, options.format, bar) : await client.uploads.get(options.upload!);
    upload = await waitForIngestion(client, upload, bar);
  } finally {
    bar.stop();
  }
  if (!options.json) reportUpload(upload);

  let dataset: DatasetView;
  if (input) {
    const columns = annotate(input.columns ?? [], upload, options);
    dataset = await client.datasets.publish({ ...input, columns, upload: upload.id });
  } else {
    const columns = annotate(versionInput!.columns ?? [], upload, options);
    try {
      dataset = await client.datasets.publishVersion(target!.id, {
        ...versionInput,
        columns,
        upload: upload.id,
        confirmSchemaChange: options.confirmSchemaChange ?? false,
      });
    } catch (error) {
      throw schemaChangeHint(error, upload);
    }
  }

  if (options.json) {
    printJson(dataset);
    return;
  }
  const version = dataset.version;
  print(
    input
      ? `Jeu de données « ${dataset.title.fr} » publié (version ${version.number}, ${plural(version.rowCount, 'ligne')}).`
      : `Version ${version.number} de « ${dataset.title.fr} » publiée (${plural(version.rowCount, 'ligne')}).`,
  );
  print(`Slug : ${dataset.slug}`);
  print(`URL  : ${dataset.uri}`);
}

// ---------------------------------------------------------------------------------------------
// What is published: --metadata, then the flags over it

async function readJsonObject(file: string, flag: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag} ${file} : fichier illisible (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag} ${file} : JSON invalide (${(error as Error).message}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${flag} ${file} : un objet JSON est attendu ({"title": {"fr": …}, "licence": …}).`);
  return value as Record<string, unknown>;
}

async function readText(file: string, flag: string): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    throw new UsageError(`${flag} ${file} : fichier illisible (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

function issuesLine(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(racine)'} — ${i.message}`).join(' ; ');
}

async function datasetInput(options: DatasetsPublishOptions): Promise<Omit<DatasetPublishInput, 'upload'>> {
  const metadata = options.metadata ? await readJsonObject(options.metadata, '--metadata') : {};
  if ('upload' in metadata) throw new UsageError('--metadata : le champ « upload » vient du fichier envoyé, retirez-le.');
  const localized = (value: unknown) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
  const title = { ...localized(metadata.title) };
  if (options.title !== undefined) title.fr = options.title;
  if (options.titleEn !== undefined) title.en = options.titleEn;
  const description = { ...localized(metadata.description) };
  if (options.description !== undefined) description.fr = options.description;
  if (options.descriptionFile !== undefined) description.fr = await readText(options.descriptionFile, '--description-file');
  if (options.descriptionEn !== undefined) description.en = options.descriptionEn;

  const input: Record<string, unknown> = { ...metadata, title, description };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) input[key] = value;
  };
  set('organisation', options.organisation);
  set('licence', options.licence);
  set('accessLevel', options.level);
  set('keywords', options.keyword);
  set('themes', options.theme);
  set('domains', options.domain);
  if (options.region || options.departement) input.spatial = [...(options.region ?? []), ...(options.departement ?? [])];
  set('frequency', options.frequency);
  set('slug', options.slug);
  set('attribution', options.attribution);
  set('versionNotes', options.notes);

  const missing = [
    ['organisation', input.organisation, '--organisation'],
    ['title', title.fr, '--title'],
    ['description', description.fr, '--description ou --description-file'],
    ['licence', input.licence, '--licence'],
    ['accessLevel', input.accessLevel, '--level'],
  ].filter(([, value]) => value === undefined || value === '');
  if (missing.length)
    throw new UsageError(
      `Il manque ${missing.map(([, , flag]) => flag).join(', ')} (ou les champs ${missing.map(([field]) => field).join(', ')} de --metadata) ; pour une nouvelle version d’un jeu existant, utilisez --dataset.`,
    );
  const checked = datasetPublishInput.safeParse({ ...input, upload: PLACEHOLDER_UPLOAD });
  if (!checked.success) throw new UsageError(`Métadonnées invalides : ${issuesLine(checked.error.issues)}`);
  return input as Omit<DatasetPublishInput, 'upload'>;
}

async function versionInputFrom(options: DatasetsPublishOptions): Promise<Omit<VersionPublishInput, 'upload'>> {
  const metadata = options.metadata ? await readJsonObject(options.metadata, '--metadata') : {};
  const input: Record<string, unknown> = { ...metadata };
  if (options.notes !== undefined) input.versionNotes = options.notes;
  const checked = versionPublishInput.safeParse({ ...input, upload: PLACEHOLDER_UPLOAD });
  if (!checked.success)
    throw new UsageError(
      `Métadonnées de version invalides (seuls columns et versionNotes s’appliquent) : ${issuesLine(checked.error.issues)}`,
    );
  return input as Omit<VersionPublishInput, 'upload'>;
}

/** `--column-personal table.column` (or just `column` when the file has one table), checked against what ingestion found. */
function annotate(
  columns: readonly ColumnAnnotationInput[],
  { id, tables }: Pick<UploadView, 'id' | 'tables'>,
  options: Pick<DatasetsPublishOptions, 'columnPersonal' | 'columnSensitive'>,
): ColumnAnnotationInput[] {
  const byKey = new Map(columns.map((c) => [`${c.table}\u0000${c.name}`, { ...c }]));
  const flag = (refs: string[] | undefined, what: 'personal' | 'sensitive', name: string) => {
    for (const ref of refs ?? []) {
      const column = resolveColumn(ref, tables, name, id);
      const key = `${column.table}\u0000${column.name}`;
      byKey.set(key, { ...(byKey.get(key) ?? column), [what]: true });
    }
  };
  flag(options.columnPersonal, 'personal', '--column-personal');
  flag(options.columnSensitive, 'sensitive', '--column-sensitive');
  return [...byKey.values()];
}

function resolveColumn(ref: string, tables: readonly TableView[], flag: string, uploadId: string): { table: string; name: string } {
  // Table and column names may both contain dots: try every table whose name prefixes the reference.
  for (const table of tables) {
    if (!ref.startsWith(`${table.name}.`)) continue;
    const name = ref.slice(table.name.length + 1);
    if (table.columns.some((c) => c.name === name)) return { table: table.name, name };
  }
  if (tables.length === 1 && tables[0]!.columns.some((c) => c.name === ref)) return { table: tables[0]!.name, name: ref };
  const known = tables.flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`));
  throw new UsageError(
    `${flag} ${ref} : colonne introuvable dans le fichier (attendu : table.colonne). Colonnes : ${known.slice(0, 40).join(', ')}${known.length > 40 ? '…' : ''}. Corrigez, et ajoutez --upload ${uploadId} au lieu du fichier pour ne pas le renvoyer.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Sending the file and following its conversion

async function assertReadable(file: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new UsageError(`Fichier introuvable : ${file}.`);
  }
  if (!stat.isFile()) throw new UsageError(`${file} n’est pas un fichier.`);
}

async function sendFile(client: Client, file: string, format: UploadFormat | undefined, bar: Progress): Promise<UploadView> {
  const { size } = await fs.stat(file);
  const name = path.basename(file);
  bar.phase(`Envoi de ${name} (${formatBytes(size)})`);
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      bar.update(sent, size);
      done(null, chunk);
    },
  });
  // pipeline() destroys the counter when the file cannot be read, which aborts the request.
  const body = Readable.toWeb(pipeline(createReadStream(file), counter, () => {}));
  try {
    return await client.uploads.create(body, name, format);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'forbidden')
      throw new ApiError(
        error.status,
        error.code,
        `${error.message} Pour publier, il faut être responsable des données ou administrateur d’une organisation membre.`,
        error.details,
        error.requestId,
      );
    throw error;
  }
}

async function waitForIngestion(client: Client, first: UploadView, bar: Progress): Promise<UploadView> {
  let upload = first;
  let delay = 100;
  while (upload.status === 'ingesting') {
    if (upload.progress) {
      bar.phase(`Conversion : ${label(INGEST_PHASE_LABELS, upload.progress.phase)}`);
      // Waiting for a conversion slot has no counts to show.
      if (upload.progress.phase !== 'queued') bar.update(upload.progress.done, upload.progress.total, 'none');
    }
    await sleep(delay);
    delay = Math.min(1000, delay * 2);
    upload = await client.uploads.get(upload.id);
  }
  if (upload.status === 'failed') {
    const error = upload.error;
    const where = [error?.line ? `ligne ${error.line}` : null, error?.column ? `colonne « ${error.column} »` : null].filter(Boolean);
    const message = error?.message ?? 'La conversion du fichier a échoué.';
    throw new CliError(`${message}${where.length && !/\bligne \d/.test(message) ? ` (${where.join(', ')})` : ''}`, {
      code: error?.code ?? 'file_unreadable',
    });
  }
  if (upload.status === 'published')
    throw new CliError(
      `Le fichier ${upload.fileName} (envoi ${upload.id}) est déjà publié : envoyez-le de nouveau pour une autre version.`,
      {
        code: 'conflict',
      },
    );
  return upload;
}

/** Rows, tables and what ingestion noticed, on stderr: stdout keeps the outcome. */
function reportUpload(upload: UploadView): void {
  const rows = upload.tables.reduce((sum, t) => sum + t.rowCount, 0);
  const shape =
    upload.tables.length === 1
      ? `${plural(rows, 'ligne')}, ${plural(upload.tables[0]!.columns.length, 'colonne')}`
      : `${plural(upload.tables.length, 'table')}, ${plural(rows, 'ligne')}`;
  note(`Fichier converti : ${shape}.`);
  const issues = upload.tables.flatMap((t) => t.quality.issues.map((i) => ({ table: t.name, ...i })));
  const rejected = upload.tables.reduce((sum, t) => sum + t.quality.rejectedRows, 0);
  if (rejected) note(`Attention : ${plural(rejected, 'ligne rejetée', 'lignes rejetées')}.`);
  for (const issue of issues.slice(0, 5)) note(`  - ${issue.message}`);
  const more = upload.tables.reduce((sum, t) => sum + t.quality.issueCount, 0) - Math.min(issues.length, 5);
  if (more > 0) note(`  … et ${formatNumber(more)} autre(s) remarque(s) : voyez « confiance datasets show » après publication.`);
}

/** A 409 lists what the new version breaks: show it, and say how to go on without sending the file again. */
function schemaChangeHint(error: unknown, upload: UploadView): unknown {
  if (!(error instanceof ApiError) || error.code !== 'schema_change_unconfirmed') return error;
  const impact = schemaImpactSchema.safeParse(error.details);
  if (impact.success) {
    note('Changements de schéma :');
    for (const change of impact.data.changes) {
      const where = change.column ? `${change.table}.${change.column}` : change.table;
      note(`  - ${label(SCHEMA_CHANGE_LABELS, change.kind)} : ${where}${change.detail ? ` → ${change.detail}` : ''}`);
    }
    for (const affected of impact.data.affected) note(`  - ${affected.kind === 'offer' ? 'offre' : 'contrat'} touché : ${affected.label}`);
  }
  return new ApiError(
    error.status,
    error.code,
    `${error.message.replace(/\s*$/, '')} Si c’est voulu, relancez avec --confirm-schema-change --upload ${upload.id} (sans renvoyer le fichier, disponible jusqu’au ${formatDateTime(upload.expiresAt)}).`,
    error.details,
    error.requestId,
  );
}

import fs from 'node:fs/promises';
import path from 'node:path';
import {
  datasetPublishInput,
  versionPublishInput,
  type FileFormat,
  type SchemaChange,
  type SchemaImpact,
  type DatasetPublishInput,
  type VersionPublishInput,
} from '@confiance/contract';
import type { z } from 'zod';
import type { Context, Executor } from '../../../platform/context';
import { AppError, validationFailed } from '../../../platform/http/errors';
import { findOrganisation } from '../../members/index';
import { departementsOf, describeAreas } from '../geo';
import type { IngestFormat } from '../ingest/index';
import {
  findDataset,
  findVersion,
  slugTaken,
  type DatasetRow,
  SOURCE_FILE_FORMAT,
  type StoredColumn,
  type StoredSource,
  type StoredTable,
} from '../repository';
import { searchDocument } from '../search';
import { sha256OfFile, type ObjectStore } from '../store';
import type { UploadResult, Uploads } from '../uploads';
import { recordFact } from '../../ledger/index';

/**
 * Publication: a reviewed upload becomes a dataset (version 1) or a new version of one. Files move
 * into the object store first, under keys no one else uses; the rows follow in one transaction;
 * if that fails, the files go. So the catalog never lists a dataset whose files are missing, and
 * a failed publication leaves nothing behind.
 */

export interface CatalogDeps {
  store: ObjectStore;
  uploads: Uploads;
}

export interface Actor {
  userId: string;
}

const EXTENSION: Record<IngestFormat, string> = {
  csv: 'csv',
  tsv: 'tsv',
  json: 'json',
  ndjson: 'ndjson',
  geojson: 'geojson',
  parquet: 'parquet',
  gtfs: 'zip',
};

/** A title made into a slug: "Qualité de l’air — Hérault" → "qualite-de-l-air-herault". */
export function slugFromTitle(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 70)
    .replace(/-+$/, '');
  return slug.length >= 2 ? slug : `jeu-${slug || 'donnees'}`;
}

async function uniqueSlug(db: Executor, base: string): Promise<string> {
  if (!(await slugTaken(db, base))) return base;
  for (let n = 2; n < 1000; n++) {
    const candidate = `${base}-${n}`;
    if (!(await slugTaken(db, candidate))) return candidate;
  }
  throw new AppError('conflict', 'Impossible de trouver une adresse libre pour ce jeu : choisissez un identifiant (slug).');
}

/** The upload, which must be the actor's own, converted, and not yet published. */
async function readyUpload(ctx: Context, actor: Actor, uploadId: string): Promise<{ fileName: string; result: UploadResult }> {
  const upload = await ctx.db.selectFrom('uploads').selectAll().where('id', '=', uploadId).executeTakeFirst();
  if (!upload || upload.user_id !== actor.userId) {
    throw new AppError('not_found', 'Fichier envoyé introuvable (ou envoyé par quelqu’un d’autre) : renvoyez le fichier.');
  }
  if (upload.status === 'ingesting') throw new AppError('conflict', 'Le fichier est encore en cours de conversion : attendez la fin.');
  if (upload.status === 'published')
    throw new AppError('conflict', 'Ce fichier a déjà été publié : envoyez-le de nouveau pour une autre version.');
  if (upload.status === 'failed') {
    const error = upload.error as { message: string; line: number | null; column: string | null };
    throw new AppError('file_unreadable', error.message, { line: error.line, column: error.column });
  }
  return { fileName: upload.file_name, result: upload.result as UploadResult };
}

type Annotation = z.output<typeof datasetPublishInput>['columns'][number];

/** Profiles plus annotations; annotations not given are inherited from `previous` (same table and column). */
function annotate(result: UploadResult, annotations: readonly Annotation[], previous: readonly StoredTable[] = []): UploadResult['tables'] {
  const known = new Set(result.tables.flatMap((t) => t.columns.map((c) => `${t.name}\u0000${c.name}`)));
  const issues = annotations
    .map((a, i) => ({ a, i }))
    .filter(({ a }) => !known.has(`${a.table}\u0000${a.name}`))
    .map(({ a, i }) => ({ path: [i, 'name'], message: `colonne « ${a.name} » absente de la table « ${a.table} » du fichier` }));
  if (issues.length > 0) throw validationFailed({ issues }, 'Annotations de colonnes invalides', 'columns');
  return result.tables.map((t) => ({
    ...t,
    columns: t.columns.map((c) => {
      const given = annotations.find((a) => a.table === t.name && a.name === c.name);
      const before = previous.find((p) => p.name === t.name)?.columns.find((p) => p.name === c.name);
      return {
        ...c,
        description: given?.description ?? before?.description ?? null,
        unit: given?.unit ?? before?.unit ?? null,
        personal: given?.personal ?? before?.personal ?? false,
        sensitive: given?.sensitive ?? before?.sensitive ?? false,
      } satisfies StoredColumn;
    }),
  }));
}

/** Moves an upload's files into the store under `datasets/{id}/v{n}/`. */
async function storeFiles(
  deps: CatalogDeps,
  uploadId: string,
  fileName: string,
  result: UploadResult,
  tables: UploadResult['tables'],
  prefix: string,
): Promise<{ source: StoredSource; tables: StoredTable[] }> {
  const dir = deps.uploads.dir(uploadId);
  const stored: StoredTable[] = [];
  for (const t of tables) {
    const key = `${prefix}/tables/${t.name}.parquet`;
    const from = path.join(dir, t.file);
    const sha256 = await sha256OfFile(from);
    await deps.store.putFile(key, from);
    stored.push({
      name: t.name,
      key,
      rowCount: t.rowCount,
      byteSize: t.byteSize,
      sha256,
      columns: t.columns as StoredColumn[],
      quality: t.quality,
    });
  }
  const sourceKey = `${prefix}/source.${EXTENSION[result.source.format]}`;
  await deps.store.putFile(sourceKey, path.join(dir, 'source'));
  return { source: { ...result.source, fileName, key: sourceKey }, tables: stored };
}

function formatsOf(source: StoredSource): FileFormat[] {
  return [...new Set<FileFormat>([SOURCE_FILE_FORMAT[source.format], 'PARQUET'])];
}

function totals(tables: readonly StoredTable[]) {
  return { row_count: tables.reduce((n, t) => n + t.rowCount, 0), byte_size: tables.reduce((n, t) => n + t.byteSize, 0) };
}

export async function publishDataset(ctx: Context, deps: CatalogDeps, actor: Actor, raw: DatasetPublishInput): Promise<DatasetRow> {
  const parsed = datasetPublishInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Publication invalide');
  const input = parsed.data;
  const organisation = await findOrganisation(ctx.db, input.organisation);
  if (!organisation || organisation.status !== 'active') {
    throw new AppError('not_found', `Organisation « ${input.organisation} » introuvable parmi les membres actifs.`);
  }
  const { fileName, result } = await readyUpload(ctx, actor, input.upload);
  const tables = annotate(result, input.columns);
  if (input.slug && (await slugTaken(ctx.db, input.slug))) {
    throw new AppError('conflict', `L’adresse « ${input.slug} » est déjà prise par un autre jeu de données.`, { field: 'slug' });
  }
  const slug = input.slug ?? (await uniqueSlug(ctx.db, slugFromTitle(input.title.fr)));
  const spatial = await describeAreas(input.spatial);
  const datasetId = crypto.randomUUID();
  const prefix = `datasets/${datasetId}/v1`;
  const files = await storeFiles(deps, input.upload, fileName, result, tables, prefix);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('datasets')
        .values({
          id: datasetId,
          slug,
          organisation_id: organisation.id,
          status: 'published',
          access_level: input.accessLevel,
          licence: input.licence,
          title_fr: input.title.fr,
          title_en: input.title.en,
          description_fr: input.description.fr,
          description_en: input.description.en,
          contact_name: input.contactPoint?.name ?? null,
          contact_email: input.contactPoint?.email ?? null,
          themes: input.themes,
          domains: input.domains,
          keywords: input.keywords,
          spatial: JSON.stringify(spatial),
          departements: departementsOf(spatial),
          temporal_start: input.temporal?.start ?? null,
          temporal_end: input.temporal?.end ?? null,
          frequency: input.frequency,
          attribution: input.attribution,
          formats: formatsOf(files.source),
          current_version: 1,
          created_by: actor.userId,
          search: searchDocument({
            titleFr: input.title.fr,
            titleEn: input.title.en,
            keywords: input.keywords,
            descriptionFr: input.description.fr,
            publisherName: `${organisation.short_name} ${organisation.legal_name}`,
            places: spatial.map((a) => a.name),
          }),
        })
        .execute();
      await trx
        .insertInto('dataset_versions')
        .values({
          dataset_id: datasetId,
          number: 1,
          notes: input.versionNotes,
          published_by: actor.userId,
          ...totals(files.tables),
          source: JSON.stringify(files.source),
          tables: JSON.stringify(files.tables),
        })
        .execute();
      await trx.updateTable('uploads').set({ status: 'published' }).where('id', '=', input.upload).execute();
      await recordFact(trx, {
        type: 'dataset.published',
        public: {
          dataset: slug,
          publisher: organisation.slug,
          version: 1,
          accessLevel: input.accessLevel,
          licence: input.licence,
          sha256: files.source.sha256,
        },
        details: { by: actor.userId },
        parties: [organisation.id],
      });
    });
  } catch (error) {
    await deps.store.removePrefix(`datasets/${datasetId}`);
    throw error;
  }
  await fs.rm(deps.uploads.dir(input.upload), { recursive: true, force: true });
  return (await findDataset(ctx.db, datasetId))!;
}

/**
 * What a new version changes in the schema that someone relying on the data could notice: a table
 * or column gone (a column gone where another of the same type appears at the same place reads as
 * a rename), a type changed, a column newly flagged personal or sensitive.
 */
export function schemaChanges(before: readonly StoredTable[], after: readonly StoredTable[] | UploadResult['tables']): SchemaChange[] {
  const changes: SchemaChange[] = [];
  for (const old of before) {
    const next = after.find((t) => t.name === old.name);
    if (!next) {
      changes.push({ kind: 'table_dropped', table: old.name, column: null, detail: null });
      continue;
    }
    const nextColumns = next.columns as StoredColumn[];
    old.columns.forEach((column, index) => {
      const same = nextColumns.find((c) => c.name === column.name);
      if (!same) {
        const atPlace = nextColumns[index];
        const renamed = atPlace && atPlace.type === column.type && !old.columns.some((c) => c.name === atPlace.name);
        changes.push(
          renamed
            ? { kind: 'column_renamed', table: old.name, column: column.name, detail: atPlace.name }
            : { kind: 'column_dropped', table: old.name, column: column.name, detail: null },
        );
        return;
      }
      if (same.type !== column.type) changes.push({ kind: 'column_type_changed', table: old.name, column: column.name, detail: same.type });
    });
  }
  for (const next of after) {
    const old = before.find((t) => t.name === next.name);
    for (const column of next.columns as StoredColumn[]) {
      const previous = old?.columns.find((c) => c.name === column.name);
      for (const flag of ['personal', 'sensitive'] as const) {
        if (column[flag] && !previous?.[flag])
          changes.push({ kind: 'column_flagged', table: next.name, column: column.name, detail: flag });
      }
    }
  }
  return changes;
}

/**
 * Tables are named after the uploaded file, so next year's `comptages-2025.csv` would read as the
 * table `comptages_2024` dropped and another added. When a one-table dataset gets a one-table
 * file, it is the same table: it keeps its name (and annotations naming the new one follow).
 */
function keepSingleTableName(
  result: UploadResult,
  columns: readonly Annotation[],
  previous: readonly StoredTable[],
): { result: UploadResult; columns: Annotation[] } {
  const [only] = result.tables;
  const [before] = previous;
  if (result.tables.length !== 1 || previous.length !== 1 || !only || !before || only.name === before.name) {
    return { result, columns: [...columns] };
  }
  return {
    result: { ...result, tables: [{ ...only, name: before.name }] },
    columns: columns.map((c) => (c.table === only.name ? { ...c, table: before.name } : c)),
  };
}

/**
 * Who relies on the current schema. Offers and contracts arrive with their own modules; they add a
 * provider here, the catalog imports none of them.
 */
export type SchemaImpactProvider = (db: Executor, datasetId: string, changes: readonly SchemaChange[]) => Promise<SchemaImpact['affected']>;
const impactProviders: SchemaImpactProvider[] = [];
export function registerSchemaImpactProvider(provider: SchemaImpactProvider): void {
  impactProviders.push(provider);
}

export async function publishVersion(
  ctx: Context,
  deps: CatalogDeps,
  actor: Actor,
  dataset: DatasetRow,
  raw: VersionPublishInput,
): Promise<DatasetRow> {
  const parsed = versionPublishInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Nouvelle version invalide');
  const input = parsed.data;
  if (dataset.status === 'withdrawn')
    throw new AppError('dataset_withdrawn', 'Ce jeu de données est retiré : il ne reçoit plus de version.');
  const { fileName, result: uploaded } = await readyUpload(ctx, actor, input.upload);
  const current = (await findVersion(ctx.db, dataset.id, dataset.current_version))!;
  const { result, columns } = keepSingleTableName(uploaded, input.columns, current.tables);
  const tables = annotate(result, columns, current.tables);
  const changes = schemaChanges(current.tables, tables);
  if (changes.length > 0 && !input.confirmSchemaChange) {
    const affected = (await Promise.all(impactProviders.map((p) => p(ctx.db, dataset.id, changes)))).flat();
    const impact: SchemaImpact = { changes, affected };
    throw new AppError(
      'schema_change_unconfirmed',
      `Cette version change le schéma (${changes.length} changement${changes.length > 1 ? 's' : ''}) : vérifiez ce qu’elle touche, puis confirmez.`,
      impact,
    );
  }
  const number = dataset.current_version + 1;
  // A unique folder per attempt: two stewards publishing at once never share files.
  const prefix = `datasets/${dataset.id}/v${number}-${crypto.randomUUID().slice(0, 8)}`;
  const files = await storeFiles(deps, input.upload, fileName, result, tables, prefix);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const locked = await trx
        .selectFrom('datasets')
        .select(['current_version', 'status'])
        .where('id', '=', dataset.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (locked.current_version !== dataset.current_version || locked.status === 'withdrawn') {
        throw new AppError('conflict', 'Une autre version vient d’être publiée pour ce jeu : rechargez et recommencez.');
      }
      await trx
        .insertInto('dataset_versions')
        .values({
          dataset_id: dataset.id,
          number,
          notes: input.versionNotes,
          published_by: actor.userId,
          ...totals(files.tables),
          source: JSON.stringify(files.source),
          tables: JSON.stringify(files.tables),
        })
        .execute();
      await trx
        .updateTable('datasets')
        .set({ current_version: number, modified: new Date(), formats: formatsOf(files.source) })
        .where('id', '=', dataset.id)
        .execute();
      await trx.updateTable('uploads').set({ status: 'published' }).where('id', '=', input.upload).execute();
      await recordFact(trx, {
        type: 'dataset.versioned',
        public: {
          dataset: dataset.slug,
          publisher: dataset.publisher_slug,
          version: number,
          sha256: files.source.sha256,
          schemaChanges: changes.length,
        },
        details: { by: actor.userId, notes: input.versionNotes },
        parties: [dataset.organisation_id],
      });
    });
  } catch (error) {
    await deps.store.removePrefix(prefix);
    throw error;
  }
  await fs.rm(deps.uploads.dir(input.upload), { recursive: true, force: true });
  return (await findDataset(ctx.db, dataset.id))!;
}

/** Still readable, flagged: users are told to move on. */
export async function deprecateDataset(ctx: Context, actor: Actor, dataset: DatasetRow, note: string): Promise<DatasetRow> {
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('datasets')
      .set({ status: 'deprecated', deprecated_at: new Date(), deprecation_note: note })
      .where('id', '=', dataset.id)
      .where('status', '=', 'published')
      .returning('id')
      .executeTakeFirst();
    if (row) {
      await recordFact(trx, {
        type: 'dataset.deprecated',
        public: { dataset: dataset.slug, publisher: dataset.publisher_slug },
        details: { by: actor.userId, note },
        parties: [dataset.organisation_id],
      });
    }
    return row;
  });
  if (!updated) {
    throw new AppError(
      dataset.status === 'withdrawn' ? 'dataset_withdrawn' : 'conflict',
      dataset.status === 'withdrawn' ? 'Ce jeu de données est déjà retiré.' : 'Ce jeu de données est déjà marqué comme obsolète.',
    );
  }
  return (await findDataset(ctx.db, dataset.id))!;
}

/**
 * No new access to the data from now on; metadata stays (flagged) so harvesters and citations
 * learn what happened. Contract holders are told by the contracts module when it exists.
 */
export async function withdrawDataset(ctx: Context, actor: Actor, dataset: DatasetRow, reason: string): Promise<DatasetRow> {
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('datasets')
      .set({ status: 'withdrawn', withdrawn_at: new Date(), withdrawal_reason: reason })
      .where('id', '=', dataset.id)
      .where('status', '!=', 'withdrawn')
      .returning('id')
      .executeTakeFirst();
    if (row) {
      await recordFact(trx, {
        type: 'dataset.withdrawn',
        public: { dataset: dataset.slug, publisher: dataset.publisher_slug },
        details: { by: actor.userId, reason },
        parties: [dataset.organisation_id],
      });
    }
    return row;
  });
  if (!updated) throw new AppError('dataset_withdrawn', 'Ce jeu de données est déjà retiré.');
  return (await findDataset(ctx.db, dataset.id))!;
}

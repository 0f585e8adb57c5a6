import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  chartQuery,
  chartSchema,
  datasetPublishInput,
  datasetSchema,
  datasetSearch,
  datasetSearchResult,
  deprecateInput,
  downloadQuery,
  geoFeatureCollectionSchema,
  geoQuery,
  LICENCES,
  OCCITANIE_DEPARTEMENTS,
  previewQuery,
  previewSchema,
  uploadQuery,
  uploadSchema,
  versionList,
  versionPublishInput,
  versionSchema,
  withdrawInput,
  type Facet,
  type LicenceCode,
  type Principal,
} from '@confiance/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { currentUser } from '../../platform/authz/index';
import type { Context } from '../../platform/context';
import { isUuid } from '../../platform/crypto';
import { AppError } from '../../platform/http/errors';
import { responses, typed } from '../../platform/http/routes';
import { sendPortal } from '../../platform/http/system';
import { findOrganisation } from '../members/index';
import { deprecateDataset, publishDataset, publishVersion, withdrawDataset, type CatalogDeps } from './commands/publish';
import { DataReaderError, exportCsv, readChart, readPreview } from './data/index';
import { catalogToJsonLd, catalogToTurtle, datasetToJsonLd, datasetToTurtle, MEDIA_TYPES, negotiate } from './dcat/index';
import { exportCatalog, toCatalogDataset } from './export';
import { boundaries } from './geo';
import { presentDataset, presentSummary, presentUpload, presentVersion, presentVersionSummary, datasetResource } from './presenter';
import { findDataset, findVersion, listVersions, type DatasetRow, type StoredTable, type VersionRow } from './repository';
import { searchDatasets } from './search';
import { sha256OfFile } from './store';
import { grantedUses } from './grants';

const datasetParam = z.object({ dataset: z.string().min(1).max(100) });
const versionParams = datasetParam.extend({ number: z.coerce.number().int().min(1) });
const uploadParam = z.object({ id: z.uuid() });
const slugParam = z.object({ slug: z.string().min(1).max(100) });

type WithDataset = FastifyRequest & { dataset?: DatasetRow; grants?: readonly string[] };

export function catalogRoutes(app: FastifyInstance, ctx: Context, deps: CatalogDeps): void {
  const api = typed(app);
  const tags = ['Catalogue'];
  const baseUrl = ctx.config.baseUrl;

  // Uploads arrive as a raw stream: written to disk as they come, never buffered whole.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  /** Resolves `:dataset` (slug or id) once, for the authorization check and then the handler. */
  async function datasetResourceOf(request: FastifyRequest) {
    const { dataset } = request.params as { dataset: string };
    const row = await findDataset(ctx.db, dataset);
    if (!row) return null;
    (request as WithDataset).dataset = row;
    const grants = await grantedUses(ctx.db, row.id, request.auth.principal);
    (request as WithDataset).grants = grants;
    return datasetResource(row, grants);
  }
  const datasetOf = (request: FastifyRequest) => (request as WithDataset).dataset!;
  /** The grants read for the authorization check, reused to present the dataset (one query, not two). */
  const grantsOf = (request: FastifyRequest) => (request as WithDataset).grants;

  async function versionOf(dataset: DatasetRow, number?: number): Promise<VersionRow> {
    const version = await findVersion(ctx.db, dataset.id, number ?? dataset.current_version);
    if (!version) throw new AppError('not_found', `Ce jeu de données n’a pas de version ${number}.`);
    return version;
  }

  function tableOf(version: VersionRow, name?: string): StoredTable {
    const table = name ? version.tables.find((t) => t.name === name) : version.tables[0];
    if (!table) {
      throw new AppError(
        'not_found',
        `Table « ${name} » introuvable : tables de cette version : ${version.tables.map((t) => t.name).join(', ')}.`,
      );
    }
    return table;
  }

  async function presentFull(dataset: DatasetRow, principal: Principal, grants?: readonly string[]) {
    return presentDataset(
      dataset,
      await versionOf(dataset),
      principal,
      baseUrl,
      grants ?? (await grantedUses(ctx.db, dataset.id, principal)),
    );
  }

  // --- uploads ---------------------------------------------------------------------------------

  api.post(
    '/api/v1/uploads',
    {
      schema: {
        tags,
        summary: 'Envoyer un fichier à publier (corps brut application/octet-stream), converti en Parquet en arrière-plan',
        querystring: uploadQuery,
        response: responses({ 202: uploadSchema }),
      },
      config: { permission: { action: 'create', subject: 'Upload' } },
    },
    async (request, reply) => {
      const body = request.body as Readable | undefined;
      if (!body || typeof (body as Readable).pipe !== 'function') {
        throw new AppError('unsupported_media_type', 'Envoyez le fichier brut avec l’en-tête Content-Type: application/octet-stream.');
      }
      const length = Number(request.headers['content-length']);
      const id = await deps.uploads.receive({
        userId: currentUser(request).userId,
        fileName: path.basename(request.query.name),
        format: request.query.format,
        body,
        ...(Number.isFinite(length) && length > 0 ? { expectedBytes: length } : {}),
      });
      const row = await ctx.db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return reply.status(202).send(presentUpload(row, deps.uploads.progress(id)));
    },
  );

  api.get(
    '/api/v1/uploads/:id',
    {
      schema: {
        tags,
        summary: 'Où en est un envoi : progression, schéma déduit, rapport qualité ou erreur',
        params: uploadParam,
        response: responses({ 200: uploadSchema }),
      },
      config: {
        permission: {
          action: 'read',
          subject: 'Upload',
          resource: async (request) => {
            const row = await ctx.db
              .selectFrom('uploads')
              .select('user_id')
              .where('id', '=', (request.params as { id: string }).id)
              .executeTakeFirst();
            return row ? { userId: row.user_id } : null;
          },
        },
      },
    },
    async (request) => {
      const row = await ctx.db.selectFrom('uploads').selectAll().where('id', '=', request.params.id).executeTakeFirstOrThrow();
      return presentUpload(row, deps.uploads.progress(row.id));
    },
  );

  // --- datasets --------------------------------------------------------------------------------

  api.get(
    '/api/v1/datasets',
    {
      schema: {
        tags,
        summary: 'Rechercher dans le catalogue (texte en français, facettes, tri, pagination)',
        querystring: datasetSearch,
        response: responses({ 200: datasetSearchResult }),
      },
      config: { permission: { action: 'list', subject: 'Dataset' } },
    },
    async (request) => {
      const query = request.query;
      const result = await searchDatasets(ctx.db, query);
      const publisherSlugs = result.facets.publisher.map((f) => f.value);
      const names = new Map(
        publisherSlugs.length === 0
          ? []
          : (await ctx.db.selectFrom('organisations').select(['slug', 'short_name']).where('slug', 'in', publisherSlugs).execute()).map(
              (o) => [o.slug, o.short_name] as const,
            ),
      );
      const label = (facet: Facet, value: string): string | null =>
        facet === 'publisher'
          ? (names.get(value) ?? null)
          : facet === 'licence'
            ? (LICENCES[value as LicenceCode]?.shortLabel ?? null)
            : facet === 'departement'
              ? (OCCITANIE_DEPARTEMENTS[value] ?? null)
              : null;
      const facets = Object.fromEntries(
        Object.entries(result.facets).map(([facet, counts]) => [
          facet,
          counts.map((c) => ({ ...c, label: label(facet as Facet, c.value) })),
        ]),
      ) as z.infer<typeof datasetSearchResult>['facets'];
      return {
        items: result.rows.map((r) => presentSummary(r, baseUrl)),
        total: result.total,
        page: query.page,
        pageSize: query.pageSize,
        facets,
      };
    },
  );

  api.post(
    '/api/v1/datasets',
    {
      schema: {
        tags,
        summary: 'Publier un jeu de données à partir d’un fichier envoyé et converti',
        body: datasetPublishInput,
        response: responses({ 201: datasetSchema }),
      },
      config: {
        permission: {
          action: 'create',
          subject: 'Dataset',
          resourceFromBody: true,
          resource: async (request) => {
            const org = await findOrganisation(ctx.db, (request.body as { organisation: string }).organisation);
            return org ? { organisationId: org.id } : null;
          },
        },
      },
    },
    async (request, reply) => {
      const dataset = await publishDataset(ctx, deps, { userId: currentUser(request).userId }, request.body);
      return reply.status(201).send(await presentFull(dataset, request.auth.principal));
    },
  );

  api.get(
    '/api/v1/datasets/:dataset',
    {
      schema: {
        tags,
        summary: 'Fiche d’un jeu de données (slug ou identifiant)',
        params: datasetParam,
        response: responses({ 200: datasetSchema }),
      },
      config: { permission: { action: 'read', subject: 'Dataset', resource: datasetResourceOf } },
    },
    async (request) => presentFull(datasetOf(request), request.auth.principal, grantsOf(request)),
  );

  api.get(
    '/api/v1/datasets/:dataset/versions',
    {
      schema: {
        tags,
        summary: 'Versions d’un jeu de données, la plus récente d’abord',
        params: datasetParam,
        response: responses({ 200: versionList }),
      },
      config: { permission: { action: 'read', subject: 'Dataset', resource: datasetResourceOf } },
    },
    async (request) => {
      const versions = await listVersions(ctx.db, datasetOf(request).id);
      return { items: versions.map(presentVersionSummary), total: versions.length };
    },
  );

  api.get(
    '/api/v1/datasets/:dataset/versions/:number',
    {
      schema: {
        tags,
        summary: 'Une version : tables, colonnes, statistiques, rapport qualité',
        params: versionParams,
        response: responses({ 200: versionSchema }),
      },
      config: { permission: { action: 'read', subject: 'Dataset', resource: datasetResourceOf } },
    },
    async (request) => presentVersion(await versionOf(datasetOf(request), request.params.number)),
  );

  api.post(
    '/api/v1/datasets/:dataset/versions',
    {
      schema: {
        tags,
        summary: 'Publier une nouvelle version (409 schema_change_unconfirmed tant qu’un changement de schéma n’est pas confirmé)',
        params: datasetParam,
        body: versionPublishInput,
        response: responses({ 201: datasetSchema }),
      },
      config: { permission: { action: 'update', subject: 'Dataset', resource: datasetResourceOf } },
    },
    async (request, reply) => {
      const dataset = await publishVersion(ctx, deps, { userId: currentUser(request).userId }, datasetOf(request), request.body);
      return reply.status(201).send(await presentFull(dataset, request.auth.principal, grantsOf(request)));
    },
  );

  api.post(
    '/api/v1/datasets/:dataset/deprecate',
    {
      schema: {
        tags,
        summary: 'Marquer un jeu comme obsolète (toujours lisible, signalé)',
        params: datasetParam,
        body: deprecateInput,
        response: responses({ 200: datasetSchema }),
      },
      config: { permission: { action: 'update', subject: 'Dataset', resource: datasetResourceOf } },
    },
    async (request) =>
      presentFull(
        await deprecateDataset(ctx, { userId: currentUser(request).userId }, datasetOf(request), request.body.note),
        request.auth.principal,
        grantsOf(request),
      ),
  );

  api.post(
    '/api/v1/datasets/:dataset/withdraw',
    {
      schema: {
        tags,
        summary: 'Retirer un jeu : plus aucun nouvel accès aux données',
        params: datasetParam,
        body: withdrawInput,
        response: responses({ 200: datasetSchema }),
      },
      config: { permission: { action: 'delete', subject: 'Dataset', resource: datasetResourceOf } },
    },
    async (request) =>
      presentFull(
        await withdrawDataset(ctx, { userId: currentUser(request).userId }, datasetOf(request), request.body.reason),
        request.auth.principal,
        grantsOf(request),
      ),
  );

  // --- data, as the access level allows ----------------------------------------------------------

  const dataErrors = (error: unknown): never => {
    if (error instanceof DataReaderError) {
      throw new AppError(error.code === 'unreadable' ? 'internal_error' : 'validation_failed', error.message);
    }
    throw error;
  };

  api.get(
    '/api/v1/datasets/:dataset/preview',
    {
      schema: {
        tags,
        summary: 'Premières lignes d’une table (selon le niveau d’accès)',
        params: datasetParam,
        querystring: previewQuery,
        response: responses({ 200: previewSchema }),
      },
      config: { permission: { action: 'read', subject: 'DatasetData', resource: datasetResourceOf } },
    },
    async (request) => {
      const version = await versionOf(datasetOf(request), request.query.version);
      const table = tableOf(version, request.query.table);
      const preview = await readPreview({
        parquetPath: deps.store.path(table.key),
        columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
        limit: request.query.limit,
      }).catch(dataErrors);
      return { table: table.name, columns: preview.columns, rows: preview.rows, rowCount: table.rowCount };
    },
  );

  api.get(
    '/api/v1/datasets/:dataset/chart',
    {
      schema: {
        tags,
        summary: 'Répartition des valeurs d’une colonne, pour un graphique',
        params: datasetParam,
        querystring: chartQuery,
        response: responses({ 200: chartSchema }),
      },
      config: { permission: { action: 'read', subject: 'DatasetData', resource: datasetResourceOf } },
    },
    async (request) => {
      const version = await versionOf(datasetOf(request), request.query.version);
      const table = tableOf(version, request.query.table);
      const column = table.columns.find((c) => c.name === request.query.column);
      if (!column) throw new AppError('validation_failed', `Colonne « ${request.query.column} » absente de la table « ${table.name} ».`);
      const chart = await readChart({ parquetPath: deps.store.path(table.key), column: { name: column.name, type: column.type } }).catch(
        dataErrors,
      );
      return { table: table.name, column: column.name, kind: chart.kind, buckets: chart.buckets };
    },
  );

  api.get(
    '/api/v1/datasets/:dataset/download',
    {
      schema: {
        tags,
        summary: 'Télécharger une table (Parquet ou CSV) ou le fichier d’origine',
        params: datasetParam,
        querystring: downloadQuery,
        // A stream, sent as it is: the schema only documents it.
        response: responses({ 200: z.string().describe('Le fichier : Parquet, CSV (UTF-8) ou tel qu’envoyé ; en-tête Digest : SHA-256') }),
      },
      config: { permission: { action: 'read', subject: 'DatasetFile', resource: datasetResourceOf } },
    },
    async (request, reply) => {
      const dataset = datasetOf(request);
      const version = await versionOf(dataset, request.query.version);
      const suffix = `${dataset.slug}-v${version.number}`;
      if (request.query.format === 'original') {
        const ext = path.extname(version.source.key);
        return sendFile(reply, deps.store.path(version.source.key), `${suffix}${ext}`, 'application/octet-stream', version.source.sha256);
      }
      const table = tableOf(version, request.query.table);
      const name = version.tables.length > 1 ? `${suffix}-${table.name}` : suffix;
      if (request.query.format === 'parquet') {
        return sendFile(reply, deps.store.path(table.key), `${name}.parquet`, 'application/vnd.apache.parquet', table.sha256);
      }
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-csv-'));
      const target = path.join(dir, 'export.csv');
      try {
        await exportCsv({ parquetPath: deps.store.path(table.key), targetPath: target }).catch(dataErrors);
      } catch (error) {
        await fs.rm(dir, { recursive: true, force: true });
        throw error;
      }
      reply.raw.once('close', () => void fs.rm(dir, { recursive: true, force: true }));
      return sendFile(reply, target, `${name}.csv`, 'text/csv; charset=utf-8', await sha256OfFile(target));
    },
  );

  // --- maps ---------------------------------------------------------------------------------------

  api.get(
    '/api/v1/geo',
    {
      schema: {
        tags,
        summary: 'Limites administratives d’Occitanie (GeoJSON) pour les cartes de couverture',
        querystring: geoQuery,
        response: responses({ 200: geoFeatureCollectionSchema }),
      },
      config: { permission: { action: 'read', subject: 'System' } },
    },
    async (request, reply) => {
      const collection = await boundaries(request.query.level, request.query.departement);
      if (!collection) {
        throw new AppError(
          'not_found',
          `Pas de limites communales livrées pour le département ${request.query.departement ?? '(non précisé)'}.`,
        );
      }
      reply.header('cache-control', 'public, max-age=86400');
      return collection;
    },
  );

  // --- DCAT-AP: the catalog and each dataset's URI ---------------------------------------------

  async function sendCatalog(reply: FastifyReply, format: 'turtle' | 'jsonld') {
    const { catalog, datasets } = await exportCatalog(ctx);
    reply.header('vary', 'Accept');
    reply.type(`${MEDIA_TYPES[format]}; charset=utf-8`);
    return format === 'turtle'
      ? catalogToTurtle(catalog, datasets, { baseUrl })
      : JSON.stringify(catalogToJsonLd(catalog, datasets, { baseUrl }));
  }

  const harvest = { permission: { action: 'list', subject: 'Dataset' } } as const;
  app.get('/catalog.ttl', { schema: { tags, summary: 'Catalogue DCAT-AP 3 (Turtle)' }, config: harvest }, (_request, reply) =>
    sendCatalog(reply, 'turtle'),
  );
  app.get(
    '/catalog.jsonld',
    { schema: { tags, summary: 'Catalogue DCAT-AP 3 (JSON-LD, contexte embarqué)' }, config: harvest },
    (_request, reply) => sendCatalog(reply, 'jsonld'),
  );
  app.get(
    '/catalog',
    { schema: { tags, summary: 'Catalogue DCAT-AP 3 selon l’en-tête Accept (Turtle par défaut)' }, config: harvest },
    (request, reply) => sendCatalog(reply, negotiate(request.headers.accept) === 'jsonld' ? 'jsonld' : 'turtle'),
  );

  // The dataset's URI: the portal's page for browsers, DCAT-AP for harvesters (Accept header).
  // Metadata of every stored dataset is public, so the permission is the public one.
  typed(app).get(
    '/datasets/:slug',
    { schema: { hide: true, params: slugParam }, config: { permission: { action: 'read', subject: 'System' } } },
    async (request, reply) => {
      const format = negotiate(request.headers.accept);
      reply.header('vary', 'Accept');
      if (format === 'html') return sendPortal(reply, ctx.config.webDist);
      const dataset = isUuid(request.params.slug) ? undefined : await findDataset(ctx.db, request.params.slug);
      if (!dataset) throw new AppError('not_found', `Aucun jeu de données « ${request.params.slug} ».`);
      const document = toCatalogDataset(dataset, await versionOf(dataset), baseUrl);
      reply.type(`${MEDIA_TYPES[format]}; charset=utf-8`);
      return format === 'turtle' ? datasetToTurtle(document, { baseUrl }) : JSON.stringify(datasetToJsonLd(document, { baseUrl }));
    },
  );
}

async function sendFile(reply: FastifyReply, file: string, downloadName: string, type: string, sha256: string | null) {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat) throw new AppError('internal_error', 'Fichier du jeu de données introuvable sur le serveur : prévenez l’opérateur.');
  reply.header('content-type', type);
  reply.header('content-length', String(stat.size));
  reply.header('content-disposition', `attachment; filename="${downloadName.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  if (sha256) reply.header('digest', `sha-256=${Buffer.from(sha256, 'hex').toString('base64')}`);
  return reply.send(createReadStream(file));
}

import {
  can,
  checkpointSchema,
  consistencyProofSchema,
  consistencyQuery,
  cosignatureInput,
  eraseInput,
  inclusionProofSchema,
  ledgerEntryList,
  ledgerEntryQuery,
  ledgerEntrySchema,
  proofQuery,
  transparencyReportSchema,
  type LedgerEntryView,
  type Principal,
} from '@confiance/contract';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Context } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import { responses, typed } from '../../platform/http/routes';
import type { Ledger } from './index';
import { bytes, latestCheckpoint } from './integrate';
import { acceptCosignature } from './cosign';
import { eraseDetails } from './erase';
import { consistencyProofFor, inclusionProofFor } from './proofs';
import { transparencyReport } from './report';
import { cosignaturesAt, entryQuery, readLeaves, readNodes, type EntryRow } from './repository';
import { encodeBundle, parseTileRequest, TILE_WIDTH } from './tiles';
import { leafHash } from './tree';

const indexParam = z.object({ index: z.coerce.number().int().min(0) });

/** May the caller see this entry's private details? The operator, and members of its parties. */
function entitled(principal: Principal, parties: readonly string[]): boolean {
  // With no organisation named, only the operator's rule can match.
  return (
    can(principal, 'read', 'LedgerDetails', {}) ||
    parties.some((organisationId) => can(principal, 'read', 'LedgerDetails', { organisationId }))
  );
}

export function presentEntry(row: EntryRow, principal: Principal): LedgerEntryView {
  const leaf = bytes(row.leaf);
  const show = row.details !== null && entitled(principal, row.parties);
  return {
    index: Number(row.tree_index),
    type: row.type as LedgerEntryView['type'],
    time: row.time,
    public: row.public as Record<string, unknown>,
    commitment: row.commitment,
    leaf: leaf.toString('base64'),
    leafHash: leafHash(leaf).toString('base64'),
    details: show ? (row.details as Record<string, unknown>) : null,
    salt: show && row.salt ? bytes(row.salt).toString('base64') : null,
    erased: row.details === null,
  };
}

export function ledgerRoutes(app: FastifyInstance, ctx: Context, ledger: Ledger): void {
  const api = typed(app);
  const tags = ['Registre'];
  const publicRead = { permission: { action: 'read', subject: 'Ledger' } } as const;

  async function current() {
    const latest = await latestCheckpoint(ctx.db);
    if (!latest) throw new AppError('not_ready', 'Le registre n’a pas encore de point de contrôle : réessayez dans un instant.');
    return latest;
  }

  /** The note as served: the node's signature, then the witnesses' cosignatures of the same body. */
  async function servedNote(size: number, note: string): Promise<string> {
    const cosignatures = await cosignaturesAt(ctx.db, size);
    return note + cosignatures.map((c) => `${c.line}\n`).join('');
  }

  // --- C2SP tlog-tiles read API ------------------------------------------------------------------

  app.get(
    '/ledger/checkpoint',
    { schema: { tags, summary: 'Point de contrôle signé (C2SP signed note)' }, config: publicRead },
    async (_r, reply) => {
      const latest = await current();
      reply.header('cache-control', 'no-cache').type('text/plain; charset=utf-8');
      return servedNote(latest.size, latest.note);
    },
  );

  app.get(
    '/ledger/verifier-key',
    { schema: { tags, summary: 'Clé de vérification des points de contrôle' }, config: publicRead },
    async (_r, reply) => {
      reply.type('text/plain; charset=utf-8');
      return `${ledger.signer.verifierKey}\n`;
    },
  );

  app.get(
    '/ledger/tile/*',
    { schema: { tags, summary: 'Tuiles du registre (C2SP tlog-tiles)', hide: true }, config: publicRead },
    async (request, reply) => {
      const tile = parseTileRequest((request.params as { '*': string })['*']);
      if (!tile) throw new AppError('not_found', 'Chemin de tuile invalide (C2SP tlog-tiles).');
      const { size } = await current();
      const width = tile.width ?? TILE_WIDTH;
      const start = tile.index * TILE_WIDTH;
      // How many items exist at this tile's level in the current tree.
      const available = tile.level === 'entries' ? size : Math.floor(size / 2 ** (8 * tile.level));
      if (start + width > available) throw new AppError('not_found', 'Cette tuile n’existe pas (encore) à la taille actuelle du registre.');
      const body =
        tile.level === 'entries'
          ? encodeBundle(await readLeaves(ctx.db, start, width))
          : Buffer.concat(await readNodes(ctx.db, 8 * tile.level, start, width));
      return sendTile(reply, body, tile.width === undefined);
    },
  );

  // --- JSON API ----------------------------------------------------------------------------------

  api.get(
    '/api/v1/ledger/checkpoint',
    {
      schema: {
        tags,
        summary: 'Dernier point de contrôle, avec la clé et les cosignatures',
        response: responses({ 200: checkpointSchema }),
      },
      config: publicRead,
    },
    async () => {
      const latest = await current();
      const cosignatures = await cosignaturesAt(ctx.db, latest.size);
      return {
        origin: ledger.origin,
        size: latest.size,
        root: latest.root.toString('base64'),
        note: await servedNote(latest.size, latest.note),
        verifierKey: ledger.signer.verifierKey,
        cosignatures: cosignatures.map((c) => ({
          witness: c.witness,
          time: Number(c.time),
          verifierKey: ctx.config.ledger.witnesses.find((k) => k.startsWith(`${c.witness}+`)) ?? null,
        })),
        createdAt: latest.createdAt.toISOString(),
      };
    },
  );

  api.get(
    '/api/v1/ledger/entries',
    {
      schema: {
        tags,
        summary: 'Entrées du registre, les plus récentes d’abord',
        querystring: ledgerEntryQuery,
        response: responses({ 200: ledgerEntryList }),
      },
      config: { permission: { action: 'list', subject: 'Ledger' } },
    },
    async (request) => {
      const { type, dataset, organisation, before, limit } = request.query;
      let query = entryQuery(ctx.db);
      if (type) query = query.where('e.type', '=', type);
      if (dataset) query = query.where(sql<boolean>`e.public->>'dataset' = ${dataset}`);
      if (organisation) {
        const keys = ['organisation', 'publisher', 'provider', 'consumer'];
        query = query.where(
          sql<boolean>`(${sql.join(
            keys.map((k) => sql`e.public->>${k} = ${organisation}`),
            sql` or `,
          )})`,
        );
      }
      const total = Number(
        (
          await query
            .clearSelect()
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      if (before !== undefined) query = query.where('e.tree_index', '<', before);
      const rows = await query.orderBy('e.tree_index', 'desc').limit(limit).execute();
      return { items: rows.map((r) => presentEntry(r, request.auth.principal)), total };
    },
  );

  api.get(
    '/api/v1/ledger/entries/:index',
    {
      schema: {
        tags,
        summary: 'Une entrée (détails privés pour les parties)',
        params: indexParam,
        response: responses({ 200: ledgerEntrySchema }),
      },
      config: publicRead,
    },
    async (request) => {
      const row = await entryQuery(ctx.db).where('e.tree_index', '=', request.params.index).executeTakeFirst();
      if (!row) throw new AppError('not_found', `Pas d’entrée ${request.params.index} dans le registre.`);
      return presentEntry(row, request.auth.principal);
    },
  );

  api.get(
    '/api/v1/ledger/entries/:index/proof',
    {
      schema: {
        tags,
        summary: 'Preuve d’inclusion d’une entrée (RFC 9162), pour la taille donnée ou la dernière',
        params: indexParam,
        querystring: proofQuery,
        response: responses({ 200: inclusionProofSchema }),
      },
      config: publicRead,
    },
    async (request) => {
      const size = request.query.treeSize ?? (await current()).size;
      return inclusionProofFor(ctx.db, request.params.index, size);
    },
  );

  api.get(
    '/api/v1/ledger/consistency',
    {
      schema: {
        tags,
        summary: 'Preuve de cohérence entre deux tailles (ajouts seulement)',
        querystring: consistencyQuery,
        response: responses({ 200: consistencyProofSchema }),
      },
      config: publicRead,
    },
    async (request) => consistencyProofFor(ctx.db, request.query.from, request.query.to ?? (await current()).size),
  );

  api.post(
    '/api/v1/ledger/cosignatures',
    {
      schema: {
        tags,
        summary: 'Déposer la cosignature d’un témoin (C2SP tlog-cosignature)',
        body: cosignatureInput,
        response: responses({ 201: z.object({ ok: z.literal(true) }) }),
      },
      config: { permission: { action: 'create', subject: 'Cosignature', csrf: false } },
    },
    async (request, reply) => {
      await acceptCosignature(ctx, ledger, request.body);
      return reply.status(201).send({ ok: true as const });
    },
  );

  api.post(
    '/api/v1/ledger/entries/:index/erase',
    {
      schema: {
        tags,
        summary: 'Effacer les détails privés d’une entrée (la feuille reste vérifiable)',
        params: indexParam,
        body: eraseInput,
        response: responses({ 200: ledgerEntrySchema }),
      },
      config: { permission: { action: 'delete', subject: 'LedgerDetails' } },
    },
    async (request) => {
      await eraseDetails(ctx, request.params.index, request.body.reason);
      const row = await entryQuery(ctx.db).where('e.tree_index', '=', request.params.index).executeTakeFirstOrThrow();
      return presentEntry(row, request.auth.principal);
    },
  );

  api.get(
    '/api/v1/ledger/report',
    {
      schema: {
        tags,
        summary: 'Rapport de transparence (calculé à un point de contrôle)',
        response: responses({ 200: transparencyReportSchema }),
      },
      config: publicRead,
    },
    async () => transparencyReport(ctx.db, ledger.origin, await current()),
  );
}

function sendTile(reply: FastifyReply, body: Buffer, full: boolean) {
  // A full tile never changes: cache it for good. Partial tiles grow with the log.
  reply.header('cache-control', full ? 'public, max-age=31536000, immutable' : 'no-cache');
  reply.type('application/octet-stream');
  return reply.send(body);
}

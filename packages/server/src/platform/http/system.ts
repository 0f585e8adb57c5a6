import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import client from 'prom-client';
import { z } from 'zod';
import { AppError, sendError } from './errors';
import { typed } from './routes';

export interface Readiness {
  ready: boolean;
  step: string;
  /** Set when the ledger's start-up check failed: /ready then says so (503) until it is repaired. */
  ledgerProblem?: string;
}

const PUBLIC = { permission: { action: 'read', subject: 'System' } } as const;

/** Liveness, readiness, Prometheus metrics: the three things an orchestrator asks. */
export function systemRoutes(app: FastifyInstance, readiness: Readiness, registry: client.Registry): void {
  const api = typed(app);
  const duration = new client.Histogram({
    name: 'confiance_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  api.get(
    '/health',
    {
      schema: { tags: ['Système'], summary: 'Vivacité du processus', response: { 200: z.object({ status: z.literal('ok') }) } },
      config: PUBLIC,
    },
    async () => ({ status: 'ok' as const }),
  );

  api.get(
    '/ready',
    {
      schema: {
        tags: ['Système'],
        summary: 'Prêt à servir (migrations et données de démonstration faites)',
        response: {
          200: z.object({ status: z.literal('ready') }),
          503: z.object({ status: z.enum(['starting', 'tampered']), step: z.string() }),
        },
      },
      config: PUBLIC,
    },
    async (_request, reply) => {
      if (!readiness.ready) return reply.status(503).send({ status: 'starting' as const, step: readiness.step });
      if (readiness.ledgerProblem)
        return reply.status(503).send({ status: 'tampered' as const, step: `registre : ${readiness.ledgerProblem}` });
      return { status: 'ready' as const };
    },
  );

  api.get(
    '/metrics',
    {
      schema: { tags: ['Système'], summary: 'Métriques Prometheus (opérateur)', hide: true },
      config: { permission: { action: 'read', subject: 'Metrics' } },
    },
    async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
}

/** Until migrations and seed are done, the API answers 503 instead of half-working. */
export function refuseUntilReady(app: FastifyInstance, readiness: Readiness): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!readiness.ready && request.url.startsWith('/api/v1/')) {
      return sendError(
        reply,
        request,
        new AppError('not_ready', `Le nœud démarre (${readiness.step}) : réessayez dans quelques secondes.`),
      );
    }
  });
}

/**
 * The web portal: built assets from packages/web/dist, and index.html for every other page path
 * so that client-side routes (/membres, /organisations/airbus…) load directly.
 */
export function webRoutes(app: FastifyInstance, webDist: string): void {
  app.get('/*', { schema: { hide: true }, config: PUBLIC }, async (request, reply) => {
    const urlPath = decodeURIComponent(request.url.split('?')[0] ?? '/');
    if (urlPath.startsWith('/api/')) {
      return sendError(reply, request, new AppError('not_found', `Aucune route ${request.method} ${urlPath}.`));
    }
    const file = path.normalize(path.join(webDist, urlPath));
    if (file.startsWith(webDist + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      // Vite fingerprints assets, so they never change under the same name.
      if (urlPath.startsWith('/assets/')) reply.header('cache-control', 'public, max-age=31536000, immutable');
      return reply.sendFile(path.relative(webDist, file), webDist);
    }
    return sendPortal(reply, webDist);
  });
}

/** The portal's index.html, whose router draws the page for the path (or says it is not built). */
export function sendPortal(reply: FastifyReply, webDist: string) {
  if (!fs.existsSync(path.join(webDist, 'index.html'))) {
    return reply.status(503).type('text/plain; charset=utf-8').send('Le portail web n’est pas construit : lancez « npm run build:web ».');
  }
  reply.header('cache-control', 'no-cache');
  return reply.sendFile('index.html', webDist);
}

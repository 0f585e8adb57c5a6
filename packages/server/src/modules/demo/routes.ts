import { nodeInfoSchema } from '@confiance/contract';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../platform/context';
import { responses, typed } from '../../platform/http/routes';
import { DEMO_PASSWORD } from './people';

const VERSION = process.env.npm_package_version ?? '0.1.0';

/** Lets the portal tell a demo node (show the shared password) from a real one (show nothing). */
export function nodeInfoRoutes(app: FastifyInstance, ctx: Context): void {
  typed(app).get(
    '/api/v1/node',
    {
      schema: { tags: ['Système'], summary: 'Nom, version et mode du nœud', response: responses({ 200: nodeInfoSchema }) },
      config: { permission: { action: 'read', subject: 'System' } },
    },
    async () => ({
      name: 'Confiance',
      version: VERSION,
      baseUrl: ctx.config.baseUrl,
      demo: ctx.config.demo,
      demoPassword: ctx.config.demo ? DEMO_PASSWORD : null,
    }),
  );
}

import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import { serializerCompiler } from './platform/http/serializer';
import client from 'prom-client';
import { randomUUID } from 'node:crypto';
import { registerAuthorization } from './platform/authz/index';
import type { Config } from './platform/config';
import type { Context } from './platform/context';
import type { DatabaseHandle } from './platform/db/database';
import { registerErrorHandling } from './platform/http/errors';
import { refuseUntilReady, systemRoutes, webRoutes, type Readiness } from './platform/http/system';
import { JobQueue } from './platform/jobs/index';
import { createMailer, type Mailer } from './platform/mail/index';
import { attachCredentialCache, createAuthenticator, identityRoutes, registerIdentityJobs } from './modules/identity/index';
import { membersRoutes } from './modules/members/index';
import { registerCatalog, type CatalogDeps } from './modules/catalog/index';
import { registerLedger, type Ledger } from './modules/ledger/index';
import { registerPolicies } from './modules/policies/index';
import { registerContracts, type Contracts } from './modules/contracts/index';
import { registerProjects } from './modules/projects/index';
import { registerAccess, type AccessDeps } from './modules/access/index';
import { registerBilling, type Billing } from './modules/billing/index';
import { registerGovernance, type Governance } from './modules/governance/index';
import { networkRoutes } from './modules/network/index';
import { registerEvents } from './modules/events/index';
import { registerMailing, type Mailing } from './modules/mailing/index';
import { nodeInfoRoutes } from './modules/demo/index';

export interface AppOptions {
  config: Config;
  database: DatabaseHandle;
  /** Tests start ready (the template is migrated); a node starts not ready and migrates. */
  ready?: boolean;
  logger?: boolean;
  mailer?: Mailer;
}

declare module 'fastify' {
  interface FastifyInstance {
    confiance: {
      ctx: Context;
      readiness: Readiness;
      jobs: JobQueue;
      mailer: Mailer;
      /** Resolves once credential changes committed so far have reached this node's cache. */
      syncCredentials: () => Promise<void>;
      /** The catalog's store and upload pipeline (the demo seed publishes through them). */
      catalog: CatalogDeps;
      ledger: Ledger;
      contracts: Contracts;
      access: AccessDeps;
      billing: Billing;
      mailing: Mailing;
      governance: Governance;
    };
  }
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    // A hop count is valid at run time though Fastify's types only list the other forms.
    trustProxy: config.trustProxy as boolean | string,
    bodyLimit: config.bodyLimit,
    // Honour an upstream request id when a proxy sets one, so logs join across hops.
    genReqId: (req) =>
      typeof req.headers['x-request-id'] === 'string' && /^[\w-]{1,64}$/.test(req.headers['x-request-id'])
        ? req.headers['x-request-id']
        : randomUUID(),
    requestIdHeader: false,
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
  });

  const jobs = new JobQueue(database.db, app.log);
  const mailer = options.mailer ?? createMailer(config, app.log);
  const ctx: Context = { db: database.db, jobs, config, log: app.log };
  const readiness: Readiness = { ready: options.ready ?? false, step: 'migrations' };
  app.decorate('confiance', {
    ctx,
    readiness,
    jobs,
    mailer,
    syncCredentials: async () => {},
    catalog: null as unknown as CatalogDeps,
    ledger: null as unknown as Ledger,
    contracts: null as unknown as Contracts,
    access: null as unknown as AccessDeps,
    billing: null as unknown as Billing,
    mailing: null as unknown as Mailing,
    governance: null as unknown as Governance,
  });

  registerErrorHandling(app);
  // The API speaks JSON only: a text/plain body is refused with 415 rather than half-parsed.
  app.removeContentTypeParser('text/plain');
  await app.register(cookie);
  await app.register(rateLimit, { global: true, max: config.rateLimitPerMinute, timeWindow: '1 minute' });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Confiance API', version: '1', description: 'Espace de données de confiance — API du nœud' },
      servers: [{ url: config.baseUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Jeton d’API (cft_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'confiance_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  refuseUntilReady(app, readiness);
  const credentials = await attachCredentialCache(app, database);
  app.confiance.syncCredentials = credentials.sync;
  registerAuthorization(app, createAuthenticator(database.db, credentials.cache), { publicPrefixes: ['/api/docs'] });
  await app.register(fastifyStatic, { root: config.webDist, serve: false });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });

  systemRoutes(app, readiness, new client.Registry());
  app.get('/openapi.json', { schema: { hide: true }, config: { permission: { action: 'read', subject: 'System' } } }, async () =>
    app.swagger(),
  );
  identityRoutes(app, ctx);
  registerIdentityJobs(ctx);
  membersRoutes(app, ctx);
  app.confiance.catalog = registerCatalog(app, ctx);
  app.confiance.ledger = await registerLedger(app, ctx);
  registerPolicies(app, ctx);
  app.confiance.contracts = await registerContracts(app, ctx);
  registerProjects(app, ctx);
  app.confiance.access = registerAccess(app, ctx, app.confiance.catalog);
  app.confiance.billing = registerBilling(app, ctx);
  app.confiance.governance = registerGovernance(app, ctx);
  networkRoutes(app, ctx);
  registerEvents(app, ctx);
  // Delivers every `mail.send` job (bounces recorded) and runs the weekly digest.
  app.confiance.mailing = registerMailing(app, ctx, mailer);
  nodeInfoRoutes(app, ctx);
  webRoutes(app, config.webDist);

  app.addHook('onClose', async () => {
    await jobs.stop();
    mailer.close();
  });
  return app;
}

import path from 'node:path';
import { z } from 'zod';
import { SERVER_ROOT } from './paths';

/**
 * Every setting the node reads, in one place. Documented as a table in the README; keep both in step.
 * `loadConfig` fails at start-up with one line per bad value rather than half-starting.
 */
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'doit commencer par postgres:// (laisser vide pour PGlite embarqué)')
    .optional(),
  CONFIANCE_DATA_DIR: z.string().min(1).default('./data'),
  // Only http(s): `localhost:8080` is a valid URL (scheme "localhost:") but makes every link unusable.
  CONFIANCE_BASE_URL: z
    .url({ protocol: /^https?$/, message: 'URL http(s) absolue attendue, par exemple https://confiance.example.org' })
    .optional(),
  CONFIANCE_DEMO: bool.default(true),
  CONFIANCE_TRUST_PROXY: z.string().default('false'),
  CONFIANCE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CONFIANCE_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  CONFIANCE_BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  CONFIANCE_CATALOG_PUBLISHER: z.string().optional(),
  CONFIANCE_LEDGER_ORIGIN: z.string().optional(),
  CONFIANCE_LEDGER_KEY_FILE: z.string().optional(),
  CONFIANCE_LEDGER_WITNESSES: z.string().default(''),
  CONFIANCE_CONTRACT_KEY_FILE: z.string().optional(),
  CONFIANCE_UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 ** 3),
  CONFIANCE_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  CONFIANCE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  CONFIANCE_QUERY_MEMORY: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i, 'une taille DuckDB, par exemple 512MB')
    .default('512MB'),
  CONFIANCE_QUERY_THREADS: z.coerce.number().int().min(1).max(64).default(2),
  CONFIANCE_QUERY_MAX_ROWS: z.coerce.number().int().min(1).max(100_000_000).default(1_000_000),
  CONFIANCE_QUERY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  CONFIANCE_QUERY_PER_CONSUMER: z.coerce.number().int().min(1).max(256).default(2),
  CONFIANCE_WEB_DIST: z.string().optional(),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('Confiance <no-reply@confiance.localhost>'),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  baseUrl: string;
  demo: boolean;
  /** Passed to Fastify's `trustProxy`: false, true, a hop count or a list of addresses. */
  trustProxy: boolean | number | string;
  logLevel: string;
  sessionDays: number;
  bodyLimit: number;
  /** Slug of the member organisation that runs the node: the DCAT catalog's publisher. */
  catalogPublisher: string | undefined;
  ledger: {
    /** The log's name in checkpoints and the key name: `<host>/ledger` by default. */
    origin: string;
    /** Ed25519 note key (PKCS#8 PEM, 0600), outside the database. */
    keyFile: string;
    /** Witnesses whose cosignatures the node accepts: note verifier keys (alg 0x04). */
    witnesses: string[];
  };
  /** Queries on the data: per-query time and memory, rows per response, how many run at once. */
  query: {
    timeoutMs: number;
    memory: string;
    threads: number;
    /** Ceiling of rows (or cells) in one response, whatever the contract says. */
    maxRows: number;
    /** Queries running at once on the node; more wait their turn. */
    concurrency: number;
    /** Queries one consumer (organisation, or visitor) may run at once. */
    perConsumer: number;
  };
  contracts: {
    /** Ed25519 key that signs agreements as JWS (PKCS#8 PEM, 0600), outside the database; never the ledger's key. */
    keyFile: string;
  };
  /** Largest file a steward may upload (streamed to disk, never held in memory). */
  uploadMaxBytes: number;
  rateLimitPerMinute: number;
  webDist: string;
  smtp: { host: string; port: number; secure: boolean; user?: string; password?: string; from: string } | null;
  smtpFrom: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function parseTrustProxy(raw: string): boolean | number | string {
  if (raw === 'true') return true;
  if (raw === 'false' || raw === '') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as in a .env file with `DATABASE_URL=`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `${i.path.join('.')}: ${i.message} (valeur reçue : ${JSON.stringify(cleaned[String(i.path[0])] ?? null)})`,
      ),
    );
  }
  const c = parsed.data;
  const ledgerKeyFile = path.resolve(c.CONFIANCE_LEDGER_KEY_FILE ?? path.join(c.CONFIANCE_DATA_DIR, 'keys', 'ledger-note.pem'));
  const contractKeyFile = path.resolve(c.CONFIANCE_CONTRACT_KEY_FILE ?? path.join(c.CONFIANCE_DATA_DIR, 'keys', 'contract-jws.pem'));
  // One file for both would let whoever obtains a contract signature's key also sign ledger
  // checkpoints (and the reverse): the two keys are rotated and published separately.
  if (contractKeyFile === ledgerKeyFile) {
    throw new ConfigError([
      `CONFIANCE_CONTRACT_KEY_FILE: la clé des contrats doit être un autre fichier que celle du registre (valeur reçue : ${JSON.stringify(contractKeyFile)})`,
    ]);
  }
  const baseUrl = (c.CONFIANCE_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir: path.resolve(c.CONFIANCE_DATA_DIR),
    baseUrl,
    demo: c.CONFIANCE_DEMO,
    trustProxy: parseTrustProxy(c.CONFIANCE_TRUST_PROXY),
    logLevel: c.CONFIANCE_LOG_LEVEL,
    sessionDays: c.CONFIANCE_SESSION_DAYS,
    bodyLimit: c.CONFIANCE_BODY_LIMIT,
    uploadMaxBytes: c.CONFIANCE_UPLOAD_MAX_BYTES,
    ledger: {
      origin: c.CONFIANCE_LEDGER_ORIGIN ?? `${new URL(baseUrl).host}/ledger`,
      keyFile: ledgerKeyFile,
      witnesses: c.CONFIANCE_LEDGER_WITNESSES.split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    },
    contracts: { keyFile: contractKeyFile },
    query: {
      timeoutMs: c.CONFIANCE_QUERY_TIMEOUT_MS,
      memory: c.CONFIANCE_QUERY_MEMORY.replace(/\s+/g, ''),
      threads: c.CONFIANCE_QUERY_THREADS,
      maxRows: c.CONFIANCE_QUERY_MAX_ROWS,
      concurrency: c.CONFIANCE_QUERY_CONCURRENCY,
      perConsumer: c.CONFIANCE_QUERY_PER_CONSUMER,
    },
    // The demo consortium is run by Ekitia (ex-Occitanie Data).
    catalogPublisher: c.CONFIANCE_CATALOG_PUBLISHER ?? (c.CONFIANCE_DEMO ? 'ekitia' : undefined),
    rateLimitPerMinute: c.CONFIANCE_RATE_LIMIT,
    webDist: path.resolve(c.CONFIANCE_WEB_DIST ?? path.join(SERVER_ROOT, '../web/dist')),
    smtp: c.SMTP_HOST
      ? { host: c.SMTP_HOST, port: c.SMTP_PORT, secure: c.SMTP_SECURE, user: c.SMTP_USER, password: c.SMTP_PASSWORD, from: c.SMTP_FROM }
      : null,
    smtpFrom: c.SMTP_FROM,
  };
}

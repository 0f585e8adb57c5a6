import { createClient, type Client } from '@confiance/contract';
import { getLogin, type StoredLogin } from './credentials';
import { CliError, UsageError } from './errors';

export const DEFAULT_URL = 'http://localhost:8080';

/** The node to talk to: `CONFIANCE_URL`, normalised so that it also works as the credentials key. */
export function serverUrl(env: NodeJS.ProcessEnv = process.env): string {
  const raw = (env.CONFIANCE_URL ?? '').trim() || DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`CONFIANCE_URL invalide : « ${raw} » (attendu : une URL comme ${DEFAULT_URL}).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`CONFIANCE_URL doit commencer par http:// ou https:// (reçu : « ${raw} »).`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export interface Credential {
  token: string;
  /** `env` when CONFIANCE_TOKEN is set (it wins over the stored login), else `stored`. */
  source: 'env' | 'stored';
  login?: StoredLogin;
}

export async function currentCredential(url: string): Promise<Credential | undefined> {
  const fromEnv = process.env.CONFIANCE_TOKEN?.trim();
  if (fromEnv) return { token: fromEnv, source: 'env' };
  const login = await getLogin(url);
  return login ? { token: login.token, source: 'stored', login } : undefined;
}

export interface Api {
  url: string;
  client: Client;
  credential: Credential | undefined;
}

/** A client for the configured node, authenticated when a token is known (or required). */
export async function connect(options: { requireAuth?: boolean } = {}): Promise<Api> {
  const url = serverUrl();
  const credential = await currentCredential(url);
  if (options.requireAuth && !credential) {
    throw new CliError(`Vous n’êtes pas connecté à ${url}.`, { code: 'unauthenticated' });
  }
  return { url, client: createClient({ baseUrl: url, token: credential?.token }), credential };
}

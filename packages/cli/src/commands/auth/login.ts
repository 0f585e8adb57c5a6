import os from 'node:os';
import { ApiError, createClient, emailSchema } from '@confiance/contract';
import { serverUrl } from '../../api';
import { credentialsPath, getLogin, saveLogin, type StoredLogin } from '../../credentials';
import { UsageError } from '../../errors';
import { formatDay, print, printJson } from '../../output';
import { ask, askHidden, passwordFromStdin } from '../../prompt';

const TOKEN_DAYS = 90;

/**
 * Just enough of a cookie jar for one exchange: signing in answers with a session cookie, and
 * minting the CLI's token needs that cookie back (with the CSRF token the client already echoes).
 */
export function cookieJarFetch(base: typeof fetch = globalThis.fetch): typeof fetch {
  const cookies = new Map<string, string>();
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (cookies.size) headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await base(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0]!;
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const cleared = value === '' || /;\s*max-age=0/i.test(line) || /;\s*expires=[^;]*1970/i.test(line);
      if (cleared) cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };
}

export function tokenName(): string {
  return `cli@${os.hostname() || 'inconnu'}`.slice(0, 100);
}

export async function login(options: { email?: string; passwordStdin?: boolean; json?: boolean }): Promise<void> {
  const url = serverUrl();
  const rawEmail = options.email ?? (await ask('E-mail : ', '--email'));
  const email = emailSchema.safeParse(rawEmail);
  if (!email.success) throw new UsageError(`Adresse e-mail invalide : « ${rawEmail} ».`);
  const password = options.passwordStdin ? await passwordFromStdin() : await askHidden('Mot de passe : ');

  // The CLI keeps an API token, never a session: a token has scopes, an expiry, and shows up
  // (and can be revoked) in the user's token list on the portal.
  const client = createClient({ baseUrl: url, fetch: cookieJarFetch() });
  const session = await client.auth.signIn(email.data, password);
  let created;
  try {
    created = await client.me.tokens.create({ name: tokenName(), scopes: ['read', 'write'], expiresInDays: TOKEN_DAYS });
  } finally {
    await client.auth.signOut().catch(() => undefined); // the session only served to mint the token
  }

  const previous = await getLogin(url);
  const login: StoredLogin = {
    url,
    token: created.secret,
    tokenId: created.id,
    tokenName: created.name,
    email: session.user.email,
    expiresAt: created.expiresAt,
    savedAt: new Date().toISOString(),
  };
  await saveLogin(login);
  // Logging in again replaces the stored token; the old one would otherwise stay valid, unused.
  if (previous && previous.token !== login.token) await revokeQuietly(url, previous);

  if (options.json) {
    printJson({
      url,
      user: session.user,
      memberships: session.memberships,
      token: { id: created.id, name: created.name, prefix: created.prefix, scopes: created.scopes, expiresAt: created.expiresAt },
    });
    return;
  }
  print(`Connecté à ${url} en tant que ${session.user.displayName} <${session.user.email}>.`);
  print(`Jeton d’API « ${created.name} » enregistré dans ${credentialsPath()} (valable jusqu’au ${formatDay(created.expiresAt)}).`);
}

async function revokeQuietly(url: string, login: StoredLogin): Promise<void> {
  if (!login.tokenId) return;
  try {
    await createClient({ baseUrl: url, token: login.token }).me.tokens.revoke(login.tokenId);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error; // already revoked or expired: nothing left to do
  }
}

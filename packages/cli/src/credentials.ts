import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CliError } from './errors';

/** What `confiance login` keeps for one server. The token is a bearer secret: whoever reads it is the user. */
export interface StoredLogin {
  url: string;
  token: string;
  /** Lets `logout` revoke the token without guessing; older files may lack it. */
  tokenId?: string;
  tokenName?: string;
  email: string;
  expiresAt?: string | null;
  savedAt: string;
}

interface CredentialsFile {
  version: 1;
  /** Keyed by server URL, so one machine can be signed in to several nodes. */
  servers: Record<string, StoredLogin>;
}

export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'confiance', 'credentials.json');
}

async function readFile(): Promise<CredentialsFile> {
  const file = credentialsPath();
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, servers: {} };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<CredentialsFile>;
    if (!parsed || typeof parsed.servers !== 'object' || parsed.servers === null) throw new Error('format inattendu');
    return { version: 1, servers: parsed.servers };
  } catch (error) {
    throw new CliError(
      `Fichier d’identifiants illisible (${file} : ${(error as Error).message}). Supprimez-le puis relancez « confiance login ».`,
    );
  }
}

/**
 * Written to a new file created 0600 in a 0700 folder, then renamed over the old one: other local
 * users can never read the token, and a crash mid-write cannot leave a half-written file.
 */
async function writeFile(content: CredentialsFile): Promise<void> {
  const file = credentialsPath();
  if (Object.keys(content.servers).length === 0) {
    await fs.rm(file, { force: true });
    return;
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'w' });
  await fs.chmod(temporary, 0o600); // in case the file already existed with a looser mode
  await fs.rename(temporary, file);
}

export async function getLogin(url: string): Promise<StoredLogin | undefined> {
  return (await readFile()).servers[url];
}

export async function saveLogin(login: StoredLogin): Promise<void> {
  const content = await readFile();
  content.servers[login.url] = login;
  await writeFile(content);
}

export async function removeLogin(url: string): Promise<boolean> {
  const content = await readFile();
  if (!content.servers[url]) return false;
  delete content.servers[url];
  await writeFile(content);
  return true;
}

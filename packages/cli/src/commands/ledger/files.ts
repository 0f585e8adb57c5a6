import fs from 'node:fs/promises';
import path from 'node:path';
import { CliError } from '../../errors';

/** A file the user named, or a one-line French reason it cannot be read. */
export async function readText(file: string, what: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'fichier introuvable' : code === 'EACCES' ? 'lecture refusée' : (error as Error).message;
    throw new CliError(`Impossible de lire ${what} ${file} : ${reason}.`, { code: 'unreadable_file' });
  }
}

export async function readJson(file: string, what: string): Promise<unknown> {
  const text = await readText(file, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${what} ${file} n’est pas du JSON valide (${(error as Error).message}).`, { code: 'invalid_file' });
  }
}

export async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * Written to a new 0600 file beside the target, then renamed over it: other local users never read
 * it (a witness key signs in the witness's name), and a crash mid-write never leaves half a file
 * that the next run would take for the truth.
 */
export async function writePrivate(file: string, content: string): Promise<void> {
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeFile(temporary, content, { mode: 0o600 });
    await fs.chmod(temporary, 0o600); // in case a stale temporary file already existed with a looser mode
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

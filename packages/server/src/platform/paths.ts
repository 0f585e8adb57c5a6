import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server package's folder, found from wherever this code runs: its TypeScript sources (tests,
 * CLI) or the bundle `npm start` builds in `dist/`. Files shipped with the package (demo data) and
 * the portal's build are located from here, never from the current directory.
 */
function findServerRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === '@confiance/server')
      return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the @confiance/server package folder');
    dir = parent;
  }
}

export const SERVER_ROOT = findServerRoot();

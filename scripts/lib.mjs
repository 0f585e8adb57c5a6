// Helpers shared by the start and test scripts: they run before dependencies exist, so they
// use nothing but Node's standard library.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`\n✗ ${command} ${args.join(' ')} a échoué (code ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Installs dependencies when node_modules is missing or older than the lockfile. */
export function ensureDependencies() {
  const marker = path.join(root, 'node_modules/.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  console.log('→ installation des dépendances (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

/** Builds the web portal when its bundle is missing or older than its sources or the contract. */
export function ensureWebBuild() {
  const index = path.join(root, 'packages/web/dist/index.html');
  const sources = Math.max(newestMtime(path.join(root, 'packages/web')), newestMtime(path.join(root, 'packages/contract/src')));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  console.log('→ construction du portail web…');
  run('npm', ['run', 'build', '-w', '@confiance/web']);
}

/** Bundles `target` (`server`, `cli`) when its bundle is missing or older than its sources or the contract's. */
export function ensureBundle(target) {
  const { bundle, sources } = BUNDLES[target];
  const newest = Math.max(...sources.map((dir) => newestMtime(path.join(root, dir))));
  if (fs.existsSync(path.join(root, bundle)) && fs.statSync(path.join(root, bundle)).mtimeMs >= newest) return;
  run(process.execPath, [path.join(root, 'scripts/bundle.mjs'), target]);
}

const BUNDLES = {
  server: { bundle: 'packages/server/dist/main.mjs', sources: ['packages/server/src', 'packages/contract/src'] },
  // The same freshness rule as packages/cli/bin/confiance.mjs, which runs the bundle only when it holds.
  cli: { bundle: 'packages/cli/dist/confiance.mjs', sources: ['packages/cli/src', 'packages/contract/src'] },
};

export { spawn };

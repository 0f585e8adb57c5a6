#!/usr/bin/env node
// The CLI runs from its bundle (`node scripts/bundle.mjs cli`, made by `npm test`) when the bundle
// is at least as new as its sources and the contract's; otherwise tsx compiles the TypeScript on
// the fly, so an edited source is never shadowed by a stale bundle.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = path.join(here, '../dist/confiance.mjs');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  try {
    const built = fs.statSync(bundle).mtimeMs;
    return built >= Math.max(newestMtime(path.join(here, '../src')), newestMtime(path.join(here, '../../contract/src')));
  } catch {
    return false;
  }
}

let main;
if (bundleIsFresh()) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main.ts'));
}
const code = await main(process.argv);
if (code !== null) {
  // Exit explicitly: an idle database handle or keep-alive socket must not keep a finished command alive.
  await new Promise((resolve) => process.stdout.write('', resolve));
  await new Promise((resolve) => process.stderr.write('', resolve));
  process.exit(code);
}

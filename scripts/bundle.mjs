#!/usr/bin/env node
// Bundles TypeScript entry points (with the contract's sources) into one ES module each, npm
// dependencies staying in node_modules, so nothing compiles TypeScript on the fly when it runs:
// `node scripts/bundle.mjs server` — about a second less on every node start;
// `node scripts/bundle.mjs cli` — about a second less on every `confiance` command (the CLI tests
// run hundreds of them).
import path from 'node:path';
import { build } from 'esbuild';
import { root } from './lib.mjs';

const TARGETS = {
  server: { entry: 'packages/server/src/main.ts', outfile: 'packages/server/dist/main.mjs' },
  // The offline verbs load the server's sources through tsx (see packages/cli/src/server.ts).
  cli: { entry: 'packages/cli/src/main.ts', outfile: 'packages/cli/dist/confiance.mjs', external: ['@confiance/server'] },
};

const name = process.argv[2];
const target = TARGETS[name];
if (!target) {
  console.error(`usage: node scripts/bundle.mjs ${Object.keys(TARGETS).join('|')}`);
  process.exit(2);
}
const external = new Set(target.external ?? []);

await build({
  entryPoints: [path.join(root, target.entry)],
  outfile: path.join(root, target.outfile),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [
    {
      // npm packages stay in node_modules; our own workspace packages (TypeScript) are bundled.
      name: 'external-dependencies',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@confiance/') && !external.has(args.path) ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
  sourcemap: true,
  logLevel: 'warning',
});

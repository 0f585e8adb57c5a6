#!/usr/bin/env node
// The CLI is TypeScript run directly, like the server: tsx compiles it on the fly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
const code = await main(process.argv);
if (code !== null) {
  // Exit explicitly: an idle database handle or keep-alive socket must not keep a finished command alive.
  await new Promise((resolve) => process.stdout.write('', resolve));
  await new Promise((resolve) => process.stderr.write('', resolve));
  process.exit(code);
}

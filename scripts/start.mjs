#!/usr/bin/env node
// `npm start`: installs what is missing, builds the portal and the server bundle if needed, then runs the node.
import { ensureBundle, ensureDependencies, ensureWebBuild, root, spawn } from './lib.mjs';

ensureDependencies();
ensureWebBuild();
ensureBundle('server');

const child = spawn(process.execPath, ['--enable-source-maps', 'packages/server/dist/main.mjs'], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

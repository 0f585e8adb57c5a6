#!/usr/bin/env node
// `npm test`: the whole suite from a fresh clone. Installs dependencies, gets Debian's Chromium
// when it is missing and this user can install it, finds PostgreSQL for the database tier, then
// runs the checks (types, lint, format), unit + database + HTTP tests (PGlite and PostgreSQL) and the browser journeys.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureBundle, ensureDependencies, ensureWebBuild, root, run } from './lib.mjs';

const CHROMIUM = '/usr/bin/chromium';
// Go and Debian's x/mod sources: packages/server/test/go-tlog.test.ts checks the ledger with Go's
// own tlog and note packages, and skips (saying why) when they are missing.
const GO_TLOG = '/usr/share/gocode/src/golang.org/x/mod/sumdb/tlog/tlog.go';
// Saxon-HE on Java runs the EN 16931, Factur-X and BR-FR Schematron of
// packages/server/test/einvoice-conformance.test.ts, which fails (saying why) without them.
const SAXON = '/usr/share/java/Saxon-HE.jar';

let aptUpdated = false;
/** `apt-get install` as root or through passwordless sudo; false when neither is possible. */
function aptInstall(packages) {
  const isRoot = process.getuid?.() === 0;
  const sudo = !isRoot && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!isRoot && !sudo) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const cmd = (args) => spawnSync(isRoot ? args[0] : 'sudo', isRoot ? args.slice(1) : ['-n', ...args], { stdio: 'inherit', env });
  if (!aptUpdated) {
    cmd(['apt-get', 'update', '-qq']);
    aptUpdated = true;
  }
  return cmd(['apt-get', 'install', '-y', '-qq', ...packages]).status === 0;
}

function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return true;
  console.log('→ installation de Chromium (paquet Debian)…');
  aptInstall(['chromium']);
  return fs.existsSync(CHROMIUM);
}

function ensureGo() {
  const ready = () => spawnSync('go', ['version']).status === 0 && fs.existsSync(GO_TLOG);
  if (ready()) return;
  console.log('→ installation de Go et de golang.org/x/mod (paquets Debian) pour la vérification indépendante du registre…');
  aptInstall(['golang-go', 'golang-golang-x-mod-dev']);
  if (!ready()) console.log('  Go indisponible : go-tlog.test.ts sera ignoré (il dit pourquoi).');
}

function ensureSaxon() {
  const haveJava = () => spawnSync('java', ['-version']).status === 0;
  if (haveJava() && fs.existsSync(SAXON)) return;
  console.log('→ installation de Saxon-HE et Java (paquets Debian) pour valider les factures électroniques…');
  aptInstall([...(haveJava() ? [] : ['default-jre-headless']), 'libsaxonhe-java']);
  if (!haveJava() || !fs.existsSync(SAXON)) {
    console.error(
      '✗ Saxon-HE ou Java introuvable : installez default-jre-headless et libsaxonhe-java (einvoice-conformance.test.ts échouera).',
    );
  }
}

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

ensureDependencies();
ensureGo();
ensureSaxon();
const env = { ...process.env };
if (!env.TEST_DATABASE_URL && (await reachable('127.0.0.1', 5432))) {
  env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
}
console.log(
  env.TEST_DATABASE_URL
    ? `→ tests de base de données sur PGlite et PostgreSQL (${env.TEST_DATABASE_URL})`
    : '→ PostgreSQL injoignable : tests de base de données sur PGlite seulement (définissez TEST_DATABASE_URL)',
);

// Type checks, type-aware lint and formatting: one `check` script, as in the house style.
run('npm', ['run', 'check'], { env });
// The CLI's tests run the real command hundreds of times: bundled, each starts without tsx.
ensureBundle('cli');

const results = path.join(root, '.test-tmp');
fs.mkdirSync(results, { recursive: true });
const suites = [['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${path.join(results, 'unit.json')}`]];
const haveChromium = ensureChromium();
if (haveChromium) {
  ensureWebBuild();
  suites.push([
    'vitest',
    'run',
    '--config',
    'vitest.browser.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${path.join(results, 'browser.json')}`,
  ]);
} else {
  console.error('✗ Chromium introuvable (/usr/bin/chromium) et non installable ici : installez le paquet Debian « chromium ».');
  process.exitCode = 1;
}

let passed = 0;
let failed = 0;
let status = 0;
for (const args of suites) {
  const out = args.at(-1).split('=')[1];
  fs.rmSync(out, { force: true });
  const r = spawnSync('npx', args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) status = r.status ?? 1;
  if (fs.existsSync(out)) {
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
  } else {
    failed += 1; // the runner crashed before reporting
  }
}
// The plain closing line CI reads.
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(status || process.exitCode || (failed ? 1 : 0));

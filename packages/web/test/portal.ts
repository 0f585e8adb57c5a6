/**
 * What every browser journey needs: a real node (PGlite, demo consortium) serving the built
 * portal, Debian's headless Chromium, an accessibility check and a sign-in.
 *
 * Needs the built portal: `npm run build -w @confiance/web` first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadConfig, startNode } from '@confiance/server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

/** The portal build to serve: `CONFIANCE_WEB_OUT` when set (parallel builds), else `packages/web/dist`. */
const DIST = process.env.CONFIANCE_WEB_OUT ?? fileURLToPath(new URL('../dist/', import.meta.url));
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const DEMO_PASSWORD = 'Confiance-demo-2026';

export interface Portal {
  baseUrl: string;
  browser: Browser;
  /** A fresh browser profile (cookies, storage) in French, at a laptop's size. */
  newContext: () => Promise<BrowserContext>;
  stop: () => Promise<void>;
}

export async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts a demo node on a free port with the given extra settings, and a browser to drive it. */
export async function startPortal(settings: Record<string, string> = {}): Promise<Portal> {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    throw new Error(
      `The web portal is not built (${path.join(DIST, 'index.html')} is missing): run \`npm run build -w @confiance/web\` before the browser journeys.`,
    );
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'confiance-journey-'));
  // The demo seeded once for the run (global-setup.ts), copied: this node starts already seeded.
  const template = inject('demoTemplate');
  if (template) fs.cpSync(template, dataDir, { recursive: true });
  let node: Awaited<ReturnType<typeof startNode>> | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await node?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    node = await startNode(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        CONFIANCE_DATA_DIR: dataDir,
        CONFIANCE_DEMO: 'true',
        CONFIANCE_LOG_LEVEL: 'warn',
        CONFIANCE_WEB_DIST: DIST,
        // The real port is only known after listen; links in e-mails are not followed here.
        CONFIANCE_BASE_URL: 'http://127.0.0.1:8080',
        ...settings,
      }),
    );
    const started = node;
    await waitUntil(() => started.app.confiance.readiness.ready, 60_000, 'the node to be ready');
    const { port } = started.app.server.address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const launched = browser;
    return {
      baseUrl,
      browser: launched,
      newContext: () => launched.newContext({ baseURL: baseUrl, locale: 'fr-FR', viewport: { width: 1366, height: 900 } }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface AxeResult {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/** axe-core in the page: nothing "serious" or "critical" (labels, contrast, names, landmarks…). */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  // A dialog still fading in has its text at partial opacity: axe would measure that contrast.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(() =>
    (window as unknown as { axe: { run: (context: Document) => Promise<AxeResult> } }).axe.run(document),
  );
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(serious, `accessibility problems on ${where}`).toEqual([]);
}

/** Signs in through the sign-in page and waits for the account menu. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(password);
  await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).press('Enter');
  await page.waitForURL(/\/membres$/);
  await page.getByRole('button', { name: /Menu du compte de/ }).waitFor();
}

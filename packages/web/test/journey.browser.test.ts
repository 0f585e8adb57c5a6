/**
 * Browser journey: a real node (PGlite, demo consortium) serving the built portal, driven in
 * Debian's headless Chromium. An org admin signs in, finds their organisation in the directory,
 * creates a read-only API token, uses it from outside the browser, and revokes it; then invites a
 * newcomer, whose e-mailed link (caught by a loopback SMTP sink) creates their account.
 *
 * Needs the built portal: `npm run build -w @confiance/web` first.
 */
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, expectAccessible, startPortal, waitUntil, type Portal } from './portal';

const ADMIN = 'admin@tisseo-collectivites.demo';
const TOKEN_NAME = 'parcours navigateur';
const SCREENSHOTS = { directory: '/tmp/confiance-journey-directory.png', tokens: '/tmp/confiance-journey-tokens.png' };

const NEWCOMER = { email: 'nouvelle.recrue@tisseo.example', name: 'Noémie Recrue', password: 'une-phrase-de-passe-longue' };

let portal: Portal | undefined;
let context: BrowserContext;
let page: Page;
let baseUrl: string;
/** What the browser saw of the secret, kept to prove it is never shown again. */
let secret = '';
/** Mail the node sent, caught on loopback: recipients and the raw message. */
const mailbox: { to: string[]; raw: string }[] = [];
let smtp: SMTPServer | undefined;

/** Quoted-printable bodies (nodemailer's choice for accented French text) wrap and escape `=`. */
function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function sessionWithToken(token: string) {
  return fetch(`${baseUrl}/api/v1/auth/session`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
}

beforeAll(async () => {
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        mailbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  smtp = sink;
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const smtpPort = (sink.server.address() as AddressInfo).port;
  portal = await startPortal({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort) });
  baseUrl = portal.baseUrl;
  context = await portal.newContext();
  page = await context.newPage();
});

afterAll(async () => {
  await portal?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

describe('an org admin manages an API token from the browser', () => {
  it('signs in and comes back to the member directory', async () => {
    await page.goto('/connexion');
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Se connecter' }).isVisible()).toBe(true);
    // The demo box gives the shared password and example accounts.
    await expect.poll(() => page.getByRole('complementary', { name: 'Comptes de démonstration' }).textContent()).toContain(DEMO_PASSWORD);
    await expectAccessible(page, 'the sign-in page');

    await page.getByLabel('Adresse e-mail').fill(ADMIN);
    await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).press('Enter');

    await page.waitForURL(/\/membres$/);
    await page.getByRole('heading', { level: 1, name: 'Annuaire des membres' }).waitFor();
    await page.getByRole('button', { name: /Menu du compte de/ }).waitFor();
  });

  it('finds Tisséo in the directory with an accent-free search', async () => {
    await page.getByRole('searchbox', { name: 'Rechercher un membre' }).fill('tisseo');
    await page.waitForURL(/q=tisseo/);
    const result = page.getByRole('link', { name: 'Tisséo Collectivités' });
    await result.waitFor();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: '1 membre' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('article').count()).toBe(1);

    await page.getByRole('searchbox', { name: 'Rechercher un membre' }).fill('météo');
    await page.getByRole('link', { name: 'Météo-France' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'Tisséo Collectivités' }).count()).toBe(0);
    await page.screenshot({ path: SCREENSHOTS.directory, fullPage: true });
    await expectAccessible(page, 'the member directory');
  });

  it('creates a read-only token whose secret is shown once and works as a Bearer token', async () => {
    await page.getByRole('button', { name: /Menu du compte de/ }).click();
    await page.getByRole('menuitem', { name: 'Mon profil' }).click();
    await page.waitForURL(/\/profil$/);

    await page.getByLabel('Nom du jeton').fill(TOKEN_NAME);
    expect(await page.getByRole('checkbox', { name: 'Lecture' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Écriture' }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Créer le jeton' }).click();

    const dialog = page.getByRole('dialog', { name: `Jeton « ${TOKEN_NAME} » créé` });
    await dialog.waitFor();
    expect(await dialog.getByRole('alert').textContent()).toContain('il ne sera plus jamais affiché');
    secret = await dialog.getByRole('textbox', { name: 'Secret du jeton' }).inputValue();
    expect(secret).toMatch(/^cft_[\w-]{20,}$/);
    await expectAccessible(page, 'the dialog showing the secret');

    const response = await sessionWithToken(secret);
    expect(response.status).toBe(200);
    const session = (await response.json()) as { user: { email: string }; authenticatedBy: string };
    expect(session.user.email).toBe(ADMIN);
    expect(session.authenticatedBy).toBe('token');
  });

  it('never shows the secret again, neither after closing the dialog nor after a reload', async () => {
    await page.getByRole('button', { name: 'J’ai copié le secret' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    const table = page.getByRole('table', { name: 'Jetons d’API' });
    const row = table.getByRole('row').filter({ hasText: TOKEN_NAME });
    await row.waitFor();
    expect(await row.textContent()).toContain(secret.slice(0, 10)); // the prefix, to tell tokens apart
    expect(await page.content()).not.toContain(secret);

    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);
    // The Bearer call above counts as a use: "last used" is no longer "jamais".
    expect(await row.getByRole('cell').nth(5).textContent()).not.toBe('jamais');
    await page.screenshot({ path: SCREENSHOTS.tokens, fullPage: true });
    await expectAccessible(page, 'the profile and its API tokens');
  });

  it('revokes the token after confirmation, and the API refuses it at once', async () => {
    const table = page.getByRole('table', { name: 'Jetons d’API' });
    await table.getByRole('button', { name: `Révoquer le jeton ${TOKEN_NAME}` }).click();
    const confirm = page.getByRole('dialog', { name: `Révoquer le jeton « ${TOKEN_NAME} » ?` });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Révoquer le jeton', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });

    const row = table.getByRole('row').filter({ hasText: TOKEN_NAME });
    await expect.poll(() => row.textContent()).toContain('Révoqué');
    expect(await row.getByRole('button', { name: /Révoquer/ }).count()).toBe(0);

    const response = await sessionWithToken(secret);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });
});

describe('an org admin invites a newcomer, who creates their account from the e-mailed link', () => {
  let link = '';

  it('sends the invitation and lists it as pending', async () => {
    await page.goto('/organisations/tisseo-collectivites');
    await page.getByRole('heading', { level: 2, name: 'Personnes' }).waitFor();
    await page.getByLabel('Adresse e-mail de la personne').fill(NEWCOMER.email);
    await page.getByLabel('Adresse e-mail de la personne').press('Enter');
    await page.getByRole('table', { name: 'Invitations en attente' }).getByRole('cell', { name: NEWCOMER.email, exact: true }).waitFor();
    await expectAccessible(page, 'the organisation page, as its admin');

    await waitUntil(() => mailbox.some((m) => m.to.includes(NEWCOMER.email)), 15_000, 'the invitation e-mail');
    const mail = decodeQuotedPrintable(mailbox.find((m) => m.to.includes(NEWCOMER.email))!.raw);
    const match = /\/invitation\?token=([\w%-]+)/.exec(mail);
    expect(match, 'the e-mail carries an /invitation?token= link').not.toBeNull();
    // The node's base URL is a placeholder here: keep the path, use the real port.
    link = `/invitation?token=${match![1]}`;
  });

  it('shows the invitation to the newcomer and creates their account', async () => {
    const newcomer = await portal!.browser.newContext({ baseURL: baseUrl, locale: 'fr-FR' });
    const invitee = await newcomer.newPage();
    await invitee.goto(link);
    await invitee.getByRole('heading', { level: 1, name: 'Rejoindre Tisséo Collectivités' }).waitFor();
    expect(await invitee.getByRole('row', { name: /Rôle/ }).textContent()).toContain('Analyste');
    await expectAccessible(invitee, 'the invitation page');

    await invitee.getByLabel('Votre nom').fill(NEWCOMER.name);
    await invitee.getByRole('textbox', { name: 'Choisissez un mot de passe', exact: true }).fill(NEWCOMER.password);
    await invitee.getByRole('textbox', { name: 'Confirmez le mot de passe', exact: true }).fill(NEWCOMER.password);
    await invitee.getByRole('button', { name: 'Accepter l’invitation' }).click();

    await invitee.waitForURL(/\/connexion\?/);
    expect(await invitee.getByLabel('Adresse e-mail').inputValue()).toBe(NEWCOMER.email);
    await invitee.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(NEWCOMER.password);
    await invitee.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await invitee.waitForURL(/\/membres$/);
    await invitee.getByRole('button', { name: `Menu du compte de ${NEWCOMER.name}` }).waitFor();

    // A second use of the link is refused, with a page that says what to do.
    await invitee.goto(link);
    await invitee.getByRole('heading', { level: 1, name: 'Cette invitation n’est plus utilisable' }).waitFor();
    await newcomer.close();
  });

  it('shows the newcomer among the organisation’s people', async () => {
    await page.reload();
    const people = page.getByRole('table', { name: 'Personnes de Tisséo Collectivités' });
    await people.getByRole('row').filter({ hasText: NEWCOMER.email }).waitFor();
    expect(await page.getByText('Aucune invitation en attente.').isVisible()).toBe(true);
  });
});

describe('the interface language', () => {
  it('switches the interface to English and remembers the choice', async () => {
    await page.goto('/profil');
    await page.getByRole('heading', { level: 1, name: 'Mon profil' }).waitFor();
    await page.getByRole('group', { name: 'Langue' }).getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'My profile' }).waitFor();
    await page.reload();
    await page.getByRole('table', { name: 'API tokens' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });
});

/**
 * Browser journey through the network's events and e-mail (issue 10):
 * - Région Occitanie's data steward creates an « Atelier Littoral 21 » in Montpellier, two weeks
 *   ahead, with one seat, through « Nouvel événement ».
 * - A Toulouse Métropole analyst finds it under « Événements », registers, and downloads its
 *   `.ics` (« Ajouter à mon agenda »): the file is read back (CRLF, UTC times, escaped text).
 *   An Airbus analyst then sees the event « Complet », with no way to register.
 * - The analyst's profile shows « Notifications par e-mail », every switch on.
 * - The operator sends the weekly digest from the profile (« Envoyer le résumé »): it really
 *   arrives at an SMTP server started by the journey, with the atelier in it. That server refuses
 *   the Airbus analyst's address (550): the refusal shows on their profile and in the operator's
 *   table, and everyone else's digest still arrives.
 *
 * Needs the built portal: `npm run build -w @confiance/web` first.
 */
import fs from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../server/test/smtp-sink';
import { expectAccessible, signIn, startPortal, waitUntil, type Portal } from './portal';

const ORGANISER = 'donnees@region-occitanie.demo';
const MEMBER = 'analyste@toulouse-metropole.demo';
const LATECOMER = 'analyste@airbus.demo';
const OPERATOR = 'operateur@ekitia.demo';
const TITLE = 'Atelier Littoral 21 : journée des partenaires';
const PLACE = 'Hôtel de Région, Montpellier';

let portal: Portal | undefined;
let sink: SmtpSink | undefined;
const contexts: BrowserContext[] = [];
let eventUrl = '';

async function newPage(): Promise<Page> {
  const context = await portal!.newContext();
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** `<input type="datetime-local">` wants the browser's wall clock: days from now at a given hour. */
function localInput(days: number, hour: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setHours(hour, 0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

beforeAll(async () => {
  sink = await startSmtpSink({ refuse: (address) => (address === LATECOMER ? 550 : undefined) });
  portal = await startPortal({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port) });
});

afterEach(async (test) => {
  if (test.task.result?.state !== 'fail') return;
  for (const [i, context] of contexts.entries())
    for (const [j, page] of context.pages().entries())
      await page.screenshot({ path: `/tmp/confiance-network-failed-${i}-${j}.png`, fullPage: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await portal?.stop();
  await sink?.close();
});

describe('an organiser announces a workshop', () => {
  it('creates it through « Nouvel événement »', async () => {
    const page = await newPage();
    await signIn(page, ORGANISER);
    await page.goto('/evenements');
    await page.getByRole('button', { name: 'Nouvel événement' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nouvel événement' });
    await dialog.getByRole('textbox', { name: 'Titre' }).fill(TITLE);
    await dialog.getByLabel(/^Début/).fill(localInput(14, 9));
    await dialog.getByLabel(/^Fin/).fill(localInput(14, 12));
    await dialog.getByRole('textbox', { name: 'Lieu' }).fill(PLACE);
    await dialog.getByRole('textbox', { name: 'Capacité' }).fill('1');
    await dialog.getByRole('textbox', { name: 'Programme' }).fill('Campings, hébergements; fréquentation du littoral.');
    await expectAccessible(page, 'the new event form');
    await dialog.getByRole('button', { name: 'Créer l’événement' }).click();
    await page.waitForURL(/\/evenements\/[0-9a-f-]{36}$/);
    eventUrl = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await expect.poll(() => page.getByText('1 place restante').count()).toBeGreaterThan(0);
  });
});

describe('a member registers and adds it to their calendar', () => {
  let page: Page;

  it('registers from « Événements »', async () => {
    page = await newPage();
    await signIn(page, MEMBER);
    await page.goto('/evenements');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: TITLE }) });
    await expect.poll(() => card.getByText('1 place restante').count()).toBe(1);
    await expectAccessible(page, 'the events list');
    await card.getByRole('button', { name: `S’inscrire à « ${TITLE} »` }).click();
    await card.getByText('Vous êtes inscrit·e').waitFor();
    await card.getByText('Complet').waitFor();
    await expectAccessible(page, 'the events list once registered');
  });

  it('downloads the event’s .ics, a calendar file of this event', async () => {
    await page.goto(eventUrl);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: `Ajouter à mon agenda (.ics) : ${TITLE}` }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^evenement-[0-9a-f-]{36}\.ics$/);
    const text = await fs.readFile(await download.path(), 'utf8');
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const unfolded = text.replace(/\r\n[ \t]/g, '');
    const id = eventUrl.split('/').pop()!;
    expect(unfolded).toContain(`UID:${id}@`);
    expect(unfolded).toContain(`SUMMARY:${TITLE}\r\n`);
    expect(unfolded).toContain(`LOCATION:Hôtel de Région\\, Montpellier\r\n`);
    expect(unfolded).toContain('DESCRIPTION:Campings\\, hébergements\\; fréquentation du littoral.');
    expect(unfolded).toMatch(/DTSTART:\d{8}T\d{6}Z\r\n/);
    expect(unfolded).toContain(`URL:http://127.0.0.1:8080/evenements/${id}\r\n`);
    await expectAccessible(page, 'the event page');
  });

  it('shows « Notifications par e-mail » in the profile, every switch on', async () => {
    await page.goto('/profil');
    const section = page.getByRole('region', { name: 'Notifications par e-mail' });
    await section.getByRole('switch', { name: 'Résumé hebdomadaire' }).waitFor();
    expect(await section.getByRole('switch', { name: 'Événements', exact: true }).isChecked()).toBe(true);
    expect(await section.getByRole('switch', { name: 'Résumé hebdomadaire' }).isChecked()).toBe(true);
    await expectAccessible(page, 'the profile with the e-mail preferences');
  });

  it('leaves no seat to a latecomer: the event is full', async () => {
    const late = await newPage();
    await signIn(late, LATECOMER);
    await late.goto(eventUrl);
    await late.getByText('Complet').first().waitFor();
    expect(await late.getByRole('button', { name: `S’inscrire à « ${TITLE} »` }).count()).toBe(0);
  });
});

describe('the weekly digest', () => {
  it('is sent by the operator and really arrives at the SMTP server, with the workshop', async () => {
    const page = await newPage();
    await signIn(page, OPERATOR);
    await page.goto('/profil');
    await page.getByRole('button', { name: 'Envoyer le résumé' }).click();
    await page.getByText(/Résumé envoyé à \d+ personnes/).waitFor();
    await waitUntil(
      () => sink!.inbox.some((m) => m.to.includes(MEMBER) && m.subject.startsWith('Confiance — le résumé')),
      60_000,
      'the digest to reach the member',
    );
    const digest = sink!.inbox.find((m) => m.to.includes(MEMBER) && m.subject.startsWith('Confiance — le résumé'))!;
    expect(digest.text).toContain('Événements à venir');
    expect(digest.text).toContain(TITLE);
    expect(digest.text).toContain(`http://127.0.0.1:8080${eventUrl}`);
    expect(digest.text).toContain('/profil#notifications');
    expect(sink!.inbox.some((m) => m.to.includes(LATECOMER))).toBe(false);
    // The refusal is recorded once the queue has tried that address; then it is in the operator's table.
    await expect
      .poll(async () => JSON.stringify(await (await page.request.get('/api/v1/mail/failures')).json()), { timeout: 30_000 })
      .toContain(LATECOMER);
    await page.reload();
    await page.getByRole('cell', { name: LATECOMER }).first().waitFor();
  });

  it('shows the refused address its bounce on the profile', async () => {
    const page = await newPage();
    await signIn(page, LATECOMER);
    await page.goto('/profil');
    const alert = page.getByRole('alert').filter({ hasText: 'Le dernier e-mail n’a pas pu être remis' });
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/550/);
    await expectAccessible(page, 'the profile with a bounce');
  });
});

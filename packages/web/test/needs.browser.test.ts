/**
 * Browser journey through the network's needs board and news (issue 10):
 * - Toulouse Métropole's analyst opens « Réseau », then « Besoins », and posts a need for beach
 *   attendance on Littoral 21's coast through the form (domain, DPV purpose).
 * - Atout France's data steward opens the need and answers with a dataset picked from the
 *   catalog's search; the answer is listed, and a second answer is no longer offered.
 * - Toulouse Métropole's administrator turns the need into a project, led by Toulouse Métropole,
 *   Atout France invited.
 * - The operator publishes a news post in Markdown for the association; anyone reads it rendered.
 * - The directory card of Atout France counts what it shares; its page lists it.
 *
 * Needs the built portal: `npm run build -w @confiance/web` first.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, signIn, startPortal, type Portal } from './portal';

const SEEKER = 'analyste@toulouse-metropole.demo';
const SEEKER_ADMIN = 'admin@toulouse-metropole.demo';
const PROVIDER_STEWARD = 'donnees@atout-france.demo';
const OPERATOR = 'operateur@ekitia.demo';
const NEED = 'Fréquentation des plages du littoral de Littoral 21';
const DATASET = 'Campings classés des départements littoraux d’Occitanie';
const NEWS = 'Le tableau des besoins est ouvert';

let portal: Portal | undefined;
const contexts: BrowserContext[] = [];
let needUrl = '';

async function newPage(): Promise<Page> {
  const context = await portal!.newContext();
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

beforeAll(async () => {
  portal = await startPortal();
});

afterEach(async (test) => {
  if (test.task.result?.state !== 'fail') return;
  for (const [i, context] of contexts.entries())
    for (const [j, page] of context.pages().entries())
      await page.screenshot({ path: `/tmp/confiance-needs-failed-${i}-${j}.png`, fullPage: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await portal?.stop();
});

describe('the needs board, from a need to a project', () => {
  it('a member posts a need from the network hub', async () => {
    const seeker = await newPage();
    await signIn(seeker, SEEKER);
    await seeker.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Réseau' }).click();
    await seeker.getByRole('heading', { level: 1, name: 'Réseau' }).waitFor();
    await expectAccessible(seeker, 'the network hub');
    await seeker.getByRole('link', { name: 'Besoins', exact: true }).click();
    await seeker.getByRole('heading', { level: 1, name: 'Besoins de données' }).waitFor();
    await expectAccessible(seeker, 'the needs board');

    await seeker.getByRole('button', { name: 'Publier un besoin' }).click();
    const dialog = seeker.getByRole('dialog', { name: 'Publier un besoin' });
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: 'Intitulé' }).fill(NEED);
    await dialog
      .getByRole('textbox', { name: 'Description' })
      .fill(
        'Fréquentation journalière des plages de l’Aude, du Gard, de l’Hérault et des Pyrénées-Orientales, pour des navettes estivales.',
      );
    await dialog.getByRole('combobox', { name: 'Domaine' }).click();
    await seeker.getByRole('option', { name: 'Tourisme', exact: true }).click();
    const purpose = dialog.getByRole('combobox', { name: 'Finalité' });
    await purpose.fill('politiques publiques');
    await seeker.getByRole('option', { name: 'Élaboration des politiques publiques', exact: true }).click();
    await expectAccessible(seeker, 'the need form');
    await dialog.getByRole('button', { name: 'Publier le besoin' }).click();
    await seeker.waitForURL(/\/besoins\/[0-9a-f-]{36}$/);
    needUrl = new URL(seeker.url()).pathname;
    await seeker.getByRole('heading', { level: 1, name: NEED }).waitFor();
    await seeker.getByText('Aucune réponse pour l’instant.').waitFor();
    // The analyst may close the need, not found a project: that is the administrator's.
    await seeker.getByRole('button', { name: 'Clore le besoin' }).waitFor();
    expect(await seeker.getByRole('button', { name: 'En faire un projet' }).count()).toBe(0);
  });

  it('a provider answers with a dataset picked from the catalog', async () => {
    const steward = await newPage();
    await signIn(steward, PROVIDER_STEWARD);
    await steward.goto(needUrl);
    const form = steward.getByRole('region', { name: 'Répondre à ce besoin' });
    await form.waitFor();
    await form.getByRole('combobox', { name: 'Jeu de données du catalogue' }).fill('campings');
    await steward.getByRole('option', { name: DATASET }).click();
    await form.getByRole('textbox', { name: 'Message' }).fill('Les capacités d’accueil donnent un premier ordre de grandeur.');
    await expectAccessible(steward, 'the answer form');
    await form.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await form.waitFor({ state: 'detached' });
    const answers = steward.getByRole('region', { name: 'Réponses des fournisseurs' });
    await answers.getByRole('link', { name: DATASET }).waitFor();
    // The badge is upper-cased by CSS: its text, not its rendering.
    await answers.getByText('Jeu de données existant', { exact: true }).waitFor();
    await steward.getByText('Réponse reçue', { exact: true }).first().waitFor();
  });

  it('the need’s administrator turns it into a project with the provider invited', async () => {
    const admin = await newPage();
    await signIn(admin, SEEKER_ADMIN);
    await admin.goto(needUrl);
    await admin.getByRole('button', { name: 'En faire un projet' }).click();
    const dialog = admin.getByRole('dialog', { name: 'En faire un projet' });
    await dialog.getByRole('button', { name: 'En faire un projet' }).click();
    await admin.waitForURL(/\/projets\/[0-9a-f-]{36}$/);
    await admin.getByRole('heading', { level: 1, name: NEED }).waitFor();
    await admin.getByRole('table', { name: 'Organisations du projet' }).getByRole('row').filter({ hasText: 'Atout France' }).waitFor();
    await admin.goto(needUrl);
    await admin.getByText('Devenu projet', { exact: true }).first().waitFor();
  });
});

describe('news and the directory', () => {
  it('the operator publishes a post in Markdown, which anyone reads', async () => {
    const operator = await newPage();
    await signIn(operator, OPERATOR);
    await operator.goto('/actualites');
    await operator.getByRole('button', { name: 'Publier une actualité' }).click();
    const dialog = operator.getByRole('dialog', { name: 'Publier une actualité' });
    await dialog.getByRole('textbox', { name: 'Titre' }).fill(NEWS);
    await dialog
      .getByRole('textbox', { name: 'Texte (Markdown)' })
      .fill('Les membres publient leurs **besoins de données** :\n\n- un jeu existant\n- une publication prévue\n- un refus motivé');
    await dialog.getByRole('button', { name: 'Publier', exact: true }).click();
    await operator.waitForURL(/\/actualites\/[0-9a-f-]{36}$/);
    const postUrl = new URL(operator.url()).pathname;

    const visitor = await newPage();
    await visitor.goto('/actualites');
    await visitor.getByRole('heading', { level: 1, name: 'Actualités' }).waitFor();
    await expectAccessible(visitor, 'the news list');
    await visitor.getByRole('link', { name: `Lire « ${NEWS} »` }).click();
    await visitor.waitForURL(new RegExp(`${postUrl}$`));
    await visitor.getByRole('heading', { level: 1, name: NEWS }).waitFor();
    await visitor.getByText('besoins de données', { exact: true }).waitFor();
    expect(await visitor.getByRole('listitem').filter({ hasText: 'un refus motivé' }).count()).toBe(1);
    expect(await visitor.getByRole('button', { name: 'Modifier' }).count()).toBe(0);
    await expectAccessible(visitor, 'a news post');
  });

  it('the directory shows what a member shares, uses and needs', async () => {
    const visitor = await newPage();
    await visitor.goto('/membres?q=Atout');
    const card = visitor.getByRole('article').filter({ has: visitor.getByRole('link', { name: 'Atout France' }) });
    await card.getByText(/jeux? partagés?/).waitFor();
    expect(await card.innerText()).toMatch(/[1-9]\d* jeux? partagés?/);
    await card.getByRole('link', { name: 'Atout France' }).click();
    const section = visitor.getByRole('region', { name: 'Dans le réseau' });
    await section.getByRole('link', { name: DATASET }).waitFor();
    await section.getByText('Le détail est réservé aux membres de l’association.').waitFor();
    await expectAccessible(visitor, 'an organisation page with its network section');
  });
});

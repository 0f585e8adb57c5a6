/**
 * Browser journey through projects (issue 10):
 * - Toulouse Métropole's administrator opens « Projets », creates a project with « Nouveau projet »
 *   (purpose, territory) and invites CNES as data user from the project page's dialog;
 * - CNES's administrator opens the project, sees the invitation banner and accepts it: CNES is
 *   now a partner;
 * - Toulouse Métropole's analyst follows « Demander un jeu de données pour ce projet », asks for
 *   Atmo Occitanie's air quality through the wizard with the project preselected, and the request
 *   and its contract show in the project's data flows;
 * - the lead's administrator attaches open data with « Rattacher un jeu de données »;
 * - the demo's Littoral 21 shows the open data its partners attached and the queries run under its
 *   contracts.
 *
 * Needs the built portal: `npm run build -w @confiance/web` first.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, signIn, startPortal, type Portal } from './portal';

const LEAD_ADMIN = 'admin@toulouse-metropole.demo';
const PARTNER_ADMIN = 'admin@cnes.demo';
const ANALYST = 'analyste@toulouse-metropole.demo';
const TITLE = 'Îlots de chaleur et qualité de l’air à Toulouse';
const DATASET = 'qualite-air-occitanie-moyennes-annuelles';
const DATASET_TITLE = 'Qualité de l’air en Occitanie : moyennes annuelles 2017 et 2018';
const OFFER = 'Membres — accès automatique';

let portal: Portal | undefined;
const contexts: BrowserContext[] = [];
let projectUrl = '';

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
      await page.screenshot({ path: `/tmp/confiance-projects-failed-${i}-${j}.png`, fullPage: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await portal?.stop();
});

describe('a project from its creation to its first data flow', () => {
  it('is created by the lead’s administrator, who invites a partner', async () => {
    const admin = await newPage();
    await signIn(admin, LEAD_ADMIN);
    await admin.goto('/');
    await admin.getByRole('navigation').getByRole('link', { name: 'Projets' }).first().click();
    await admin.getByRole('heading', { level: 1, name: 'Projets' }).waitFor();
    await expectAccessible(admin, 'the projects list');
    await admin.getByRole('link', { name: 'Nouveau projet' }).click();
    await admin.waitForURL(/\/projets\/nouveau$/);
    await admin.getByRole('textbox', { name: 'Titre' }).fill(TITLE);
    await admin
      .getByRole('textbox', { name: 'Objectif' })
      .fill('Croiser la qualité de l’air et les îlots de chaleur pour prioriser les plantations.');
    const purpose = admin.getByRole('combobox', { name: 'Finalité' });
    await purpose.fill('politiques publiques');
    await admin.getByRole('option', { name: 'Élaboration des politiques publiques', exact: true }).click();
    await admin.locator('input#project-territory').click();
    await admin.getByRole('option', { name: 'Haute-Garonne (31)' }).click();
    await admin.keyboard.press('Escape');
    await expectAccessible(admin, 'the new project form');
    await admin.getByRole('button', { name: 'Créer le projet' }).click();
    await admin.waitForURL(/\/projets\/[0-9a-f-]{36}$/);
    projectUrl = new URL(admin.url()).pathname;
    await admin.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    expect(await admin.getByText('Idée', { exact: true }).count()).toBeGreaterThan(0);

    await admin.getByRole('button', { name: 'Inviter un partenaire' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Inviter une organisation' });
    await dialog.waitFor();
    await dialog.getByRole('combobox', { name: 'Organisation' }).fill('CNES');
    await admin.getByRole('option', { name: 'CNES', exact: true }).click();
    await dialog.getByRole('combobox', { name: 'Rôle' }).click();
    await admin.getByRole('option', { name: 'Utilisateur de données', exact: true }).click();
    await dialog.getByRole('button', { name: 'Envoyer l’invitation' }).click();
    await dialog.waitFor({ state: 'detached' });
    const partners = admin.getByRole('table', { name: 'Organisations du projet' });
    await partners.getByRole('row').filter({ hasText: 'CNES' }).filter({ hasText: 'invitée, réponse attendue' }).waitFor();
    await admin.getByRole('button', { name: 'Modifier le projet' }).click();
    const edit = admin.getByRole('dialog', { name: 'Modifier le projet' });
    await edit.getByRole('textbox', { name: 'Objectif' }).fill('Prioriser les plantations là où chaleur et pollution se cumulent.');
    await edit.getByRole('button', { name: 'Enregistrer' }).click();
    await edit.waitFor({ state: 'detached' });
    await admin.getByText('Prioriser les plantations là où chaleur et pollution se cumulent.').waitFor();
    await admin.getByRole('button', { name: 'Passer en montage' }).click();
    await admin.getByRole('button', { name: 'Lancer le projet (en cours)' }).waitFor();
    await expectAccessible(admin, 'the project page of its lead');
  });

  it('is joined by the partner’s administrator, who accepts the invitation', async () => {
    const partner = await newPage();
    await signIn(partner, PARTNER_ADMIN);
    await partner.goto(projectUrl);
    const banner = partner.getByRole('region', { name: 'Invitation au projet' });
    await banner.waitFor();
    expect(await banner.innerText()).toContain('utilisateur de données');
    await expectAccessible(partner, 'the project page with the invitation banner');
    await banner.getByRole('button', { name: 'Accepter l’invitation' }).click();
    await banner.waitFor({ state: 'detached' });
    const partners = partner.getByRole('table', { name: 'Organisations du projet' });
    await partners.getByRole('row').filter({ hasText: 'CNES' }).filter({ hasText: 'partenaire' }).waitFor();
    await partner.getByText('Votre organisation : utilisateur de données').waitFor();
  });

  it('receives a dataset requested for it through the wizard, shown in its data flows', async () => {
    const analyst = await newPage();
    await signIn(analyst, ANALYST);
    await analyst.goto(projectUrl);
    await analyst.getByRole('link', { name: 'Demander un jeu de données pour ce projet' }).click();
    await analyst.waitForURL(/\/datasets\?projet=/);
    await analyst.goto(`/datasets/${DATASET}`);
    const card = analyst.getByRole('article').filter({ has: analyst.getByRole('heading', { name: OFFER }) });
    await card.getByRole('link', { name: `Demander l’accès — ${OFFER}` }).click();
    await analyst.waitForURL(/\/offres\/[0-9a-f-]+\/demande$/);
    const project = analyst.getByRole('combobox', { name: 'Projet (facultatif)' });
    await expect.poll(() => project.inputValue(), { timeout: 10_000 }).toBe(TITLE);
    expect(await analyst.getByRole('combobox', { name: 'Finalité' }).inputValue()).toBe('Élaboration des politiques publiques');
    await analyst
      .getByRole('textbox', { name: 'Justification' })
      .fill('Moyennes annuelles des stations de Haute-Garonne pour la carte des îlots.');
    await analyst.getByRole('button', { name: 'Vérifier la demande' }).click();
    await analyst.getByRole('heading', { name: 'Vérifiez la demande avant de l’envoyer' }).waitFor();
    await analyst.getByRole('button', { name: 'Envoyer la demande' }).and(analyst.locator(':enabled')).click();
    await analyst.getByRole('heading', { name: 'Accordé — contrat signé' }).waitFor();

    await analyst.goto(projectUrl);
    const flows = analyst.getByRole('region', { name: 'Flux de données' });
    await flows.waitFor();
    const requests = flows.getByRole('table', { name: 'Demandes faites pour le projet' });
    await requests.getByRole('row').filter({ hasText: DATASET_TITLE }).filter({ hasText: 'Accordée' }).waitFor();
    const contracts = flows.getByRole('table', { name: 'Contrats du projet' });
    await contracts.getByRole('row').filter({ hasText: DATASET_TITLE }).filter({ hasText: 'Atmo Occitanie' }).waitFor();
    await flows.getByRole('link', { name: DATASET_TITLE }).last().waitFor();
    await expectAccessible(analyst, 'the project page with its data flows');
  });

  it('takes open data its lead’s administrator attaches with « Rattacher un jeu de données »', async () => {
    const admin = await newPage();
    await signIn(admin, LEAD_ADMIN);
    await admin.goto(projectUrl);
    const flows = admin.getByRole('region', { name: 'Flux de données' });
    await flows.getByRole('button', { name: 'Rattacher un jeu de données' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Rattacher un jeu de données' });
    await dialog.getByRole('combobox', { name: 'Jeu de données' }).fill('limites departements');
    await admin.getByRole('option', { name: /Limites des départements d’Occitanie/ }).click();
    await dialog.getByRole('textbox', { name: 'À quoi sert-il dans le projet ?' }).fill('Le fond de carte des îlots de chaleur.');
    await expectAccessible(admin, 'the attach dataset dialog');
    await dialog.getByRole('button', { name: 'Rattacher' }).click();
    await dialog.waitFor({ state: 'detached' });
    const table = flows.getByRole('table', { name: 'Jeux de données du projet et leur usage' });
    const row = table.getByRole('row').filter({ hasText: 'Limites des départements d’Occitanie' });
    await row.filter({ hasText: 'Données ouvertes' }).filter({ hasText: 'Le fond de carte des îlots de chaleur.' }).waitFor();
    expect(await row.getByRole('link', { name: 'Limites des départements d’Occitanie' }).getAttribute('href')).toBe(
      '/datasets/limites-departements-occitanie',
    );
    // The air quality requested through the wizard is there too, under its contract.
    await table.getByRole('row').filter({ hasText: DATASET_TITLE }).filter({ hasText: 'Sous contrat' }).waitFor();
  });
});

describe('Littoral 21 in the demo', () => {
  it('shows the open data its partners attached and the queries run under its contracts', async () => {
    const admin = await newPage();
    await signIn(admin, 'admin@region-occitanie.demo');
    await admin.goto('/projets');
    await admin.getByRole('link', { name: 'Littoral 21' }).first().click();
    await admin.getByRole('heading', { level: 1, name: 'Littoral 21' }).waitFor();
    const flows = admin.getByRole('region', { name: 'Flux de données' });
    const table = flows.getByRole('table', { name: 'Jeux de données du projet et leur usage' });
    for (const title of ['Campings classés des départements littoraux d’Occitanie', 'Limites des départements d’Occitanie'])
      await table.getByRole('row').filter({ hasText: title }).filter({ hasText: 'Données ouvertes' }).waitFor();
    await table
      .getByRole('row')
      .filter({ hasText: 'Prochains passages en temps réel du réseau TaM' })
      .filter({ hasText: 'Sous contrat' })
      .waitFor();
    // Queries run, counted from the log: three, two of them under the Université's TaM contract.
    const queries = flows.getByText('requêtes exécutées', { exact: true }).locator('..');
    await expect.poll(() => queries.innerText()).toMatch(/^3\s/);
    const byContract = flows.getByRole('table', { name: 'Par contrat' });
    const tam = byContract.getByRole('row').filter({ hasText: 'Prochains passages en temps réel du réseau TaM' });
    await tam.waitFor();
    expect(await tam.getByRole('cell').nth(2).innerText()).toBe('2');
    await expectAccessible(admin, 'the Littoral 21 project page');
  });
});

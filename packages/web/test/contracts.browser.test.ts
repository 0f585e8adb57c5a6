/**
 * Browser journey through requests, the ethics review and contracts: a researcher of the
 * Université de Toulouse requests Atmo Occitanie's members offer and gets it at once, with its
 * contract; requests Santé publique France's aggregate-only health offer, which goes to the ethics
 * commission; the commission approves it with conditions through the Five Safes form; the
 * provider approves it; Atmo Occitanie's administrator terminates the first contract; the
 * researcher finds it « Résilié » and the dataset's download refused on the next try.
 *
 * Needs the built portal: `npm run build -w @confiance/web` first.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, signIn, startPortal, type Portal } from './portal';

const RESEARCHER = 'analyste@universite-de-toulouse.demo';
const ETHICS = 'ethique@ekitia.demo';
const HEALTH_STEWARD = 'donnees@sante-publique-france.demo';
const ATMO_ADMIN = 'admin@atmo-occitanie.demo';
const AIR = 'qualite-air-occitanie-moyennes-annuelles';
const HEALTH = 'covid-hospitalisations-departement-sexe-2020';
const MEMBERS_OFFER = 'Membres — accès automatique';
const HEALTH_OFFER = 'Recherche en santé publique — agrégé uniquement';
const CONDITIONS = 'Résultats publiés seulement pour des effectifs d’au moins 11 personnes ; accès depuis le laboratoire.';
const TERMINATION = 'Fin du partenariat de mesure avec le laboratoire.';
const DOWNLOAD = `/api/v1/datasets/${AIR}/download`;
const SCREENSHOTS = {
  wizard: '/tmp/confiance-contracts-wizard.png',
  contract: '/tmp/confiance-contracts-contract.png',
  review: '/tmp/confiance-contracts-review.png',
  terminated: '/tmp/confiance-contracts-terminated.png',
};

let portal: Portal | undefined;
const contexts: BrowserContext[] = [];
/** The researcher's page, kept signed in from the first request to the refused download. */
let researcher: Page;
let airContractUrl = '';

async function newPage(): Promise<Page> {
  const context = await portal!.newContext();
  contexts.push(context);
  return context.newPage();
}

/** Status of a download asked from inside the page, with its session cookie, as the portal's link would. */
function downloadStatus(page: Page): Promise<number> {
  return page.evaluate(async (url) => (await fetch(url, { credentials: 'same-origin' })).status, DOWNLOAD);
}

async function choosePurpose(page: Page, search: string, label: string): Promise<void> {
  const purpose = page.getByRole('combobox', { name: 'Finalité' });
  await purpose.fill(search);
  await page.getByRole('option', { name: label, exact: true }).click();
}

/** From the dataset page, the offer's « Demander l’accès », then the wizard's first step filled in. */
async function startRequest(page: Page, slug: string, offer: string, purpose: [string, string]): Promise<void> {
  await page.goto(`/datasets/${slug}`);
  const card = page.getByRole('article').filter({ has: page.getByRole('heading', { name: offer }) });
  await card.getByRole('link', { name: `Demander l’accès — ${offer}` }).click();
  await page.waitForURL(/\/offres\/[0-9a-f-]+\/demande$/);
  await page.getByRole('heading', { level: 1, name: 'Demander l’accès' }).waitFor();
  expect(await page.getByRole('combobox', { name: 'Organisation' }).inputValue()).toMatch(/Université/);
  await choosePurpose(page, purpose[0], purpose[1]);
  await page.getByRole('textbox', { name: 'Durée (mois)' }).fill('12');
  await page
    .getByRole('textbox', { name: 'Justification' })
    .fill('Thèse sur l’exposition aux polluants et les hospitalisations en Occitanie, laboratoire d’épidémiologie.');
}

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await portal?.stop();
});

describe('a researcher requests a members offer and gets it at once', () => {
  it('checks the request constraint by constraint before sending it, and is told what is missing', async () => {
    researcher = await newPage();
    await signIn(researcher, RESEARCHER);
    await researcher.goto(`/datasets/${AIR}`);
    // Nothing yet: the members-level files are not theirs to download without a contract.
    expect(await downloadStatus(researcher)).toBe(403);

    await startRequest(researcher, AIR, MEMBERS_OFFER, ['Recherche univ', 'Recherche universitaire']);
    await researcher.getByText(RESEARCHER).first().waitFor();
    await expectAccessible(researcher, 'the request wizard, first step');

    // A justification too short is pointed at, beside its field, and focused.
    const justification = researcher.getByRole('textbox', { name: 'Justification' });
    const text = await justification.inputValue();
    await justification.fill('Thèse');
    await researcher.getByRole('button', { name: 'Vérifier la demande' }).click();
    await researcher.getByText('Écrivez au moins 10 caractères.').waitFor();
    expect(await justification.evaluate((el) => el === document.activeElement)).toBe(true);
    await justification.fill(text);

    await researcher.getByRole('button', { name: 'Vérifier la demande' }).click();
    await researcher.getByRole('heading', { name: 'Vérifiez la demande avant de l’envoyer' }).waitFor();
    await researcher
      .getByRole('heading', { name: /^Accordé/ })
      .first()
      .waitFor();
    expect(await researcher.locator('li[data-state="not_satisfied"]').count()).toBe(0);
    await researcher.getByText('Accord automatique : si les conditions sont remplies à l’envoi, le contrat est signé aussitôt.').waitFor();
    await researcher.screenshot({ path: SCREENSHOTS.wizard, fullPage: true });
    await expectAccessible(researcher, 'the request wizard, the decision preview');
  });

  it('sends it: « Accordé — contrat signé », and the contract is in force', async () => {
    await researcher.getByRole('button', { name: 'Envoyer la demande' }).click();
    await researcher.getByRole('heading', { name: 'Accordé — contrat signé' }).waitFor();
    await expectAccessible(researcher, 'the request wizard, the outcome');
    await researcher.getByRole('link', { name: 'Voir le contrat' }).click();
    await researcher.waitForURL(/\/contrats\/[0-9a-f-]+$/);
    airContractUrl = new URL(researcher.url()).pathname;

    await researcher.getByRole('heading', { level: 1, name: /^Contrat — « / }).waitFor();
    await researcher.getByText('En vigueur', { exact: true }).first().waitFor();
    await researcher.getByText('DSP : STARTED').waitFor();
    const parties = researcher.getByRole('region', { name: 'Parties et objet' });
    expect(await parties.textContent()).toContain('Atmo Occitanie');
    expect(await parties.textContent()).toContain('Recherche universitaire');
    const grant = researcher.getByRole('region', { name: 'Droits accordés' });
    expect(await grant.textContent()).toContain('Télécharger les fichiers');
    const history = researcher.getByRole('list', { name: 'Historique' });
    await history.getByText('Contrat signé').first().waitFor();
    // An analyst reads it; suspending is the provider's, terminating and amending an administrator's.
    await researcher.getByRole('button', { name: 'Imprimer' }).waitFor();
    for (const action of ['Suspendre', 'Résilier', 'Proposer un avenant']) {
      expect(await researcher.getByRole('button', { name: action }).count()).toBe(0);
    }

    // The expert view: the ODRL Agreement and its compact JWS (three base64url parts).
    await researcher.getByRole('button', { name: 'Vue experte' }).click();
    const jws = (await researcher.getByRole('region', { name: 'Signature (JWS compact)' }).textContent()) ?? '';
    expect(jws.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await researcher.getByRole('region', { name: 'Accord ODRL (JSON-LD)' }).textContent()).toContain('Agreement');
    await researcher.screenshot({ path: SCREENSHOTS.contract, fullPage: true });
    await expectAccessible(researcher, 'the contract page');

    const [download] = await Promise.all([
      researcher.waitForEvent('download'),
      researcher.getByRole('button', { name: 'Télécharger le PDF' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    // The contract grants downloads: the file is theirs now.
    expect(await downloadStatus(researcher)).toBe(200);
  });
});

describe('a request on aggregate-only health data goes to the ethics commission', () => {
  it('is sent « à la commission d’éthique » and listed in « Mes demandes »', async () => {
    await startRequest(researcher, HEALTH, HEALTH_OFFER, ['Amélioration des soins', 'Amélioration des soins de santé']);
    await researcher.getByRole('button', { name: 'Vérifier la demande' }).click();
    await researcher.getByRole('button', { name: 'Envoyer la demande' }).and(researcher.locator(':enabled')).waitFor();
    await researcher.getByText(/^La demande sera d’abord examinée par la commission d’éthique/).waitFor();
    await researcher.getByRole('button', { name: 'Envoyer la demande' }).click();
    await researcher.getByRole('heading', { name: 'Envoyée à la commission d’éthique' }).waitFor();

    await researcher.getByRole('link', { name: 'Voir la demande' }).click();
    await researcher.waitForURL(/\/demandes\/[0-9a-f-]+$/);
    await researcher.getByText('En examen par la commission d’éthique').waitFor();
    await researcher.getByRole('region', { name: 'Décision de l’évaluateur' }).waitFor();
    await researcher.getByRole('button', { name: 'Retirer la demande' }).waitFor();
    expect(await researcher.getByRole('button', { name: 'Approuver' }).count()).toBe(0);
    await expectAccessible(researcher, 'the request page, in ethics review');

    await researcher
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Demandes', exact: true })
      .click();
    await researcher.waitForURL(/\/demandes$/);
    const mine = researcher.getByRole('table', { name: 'Mes demandes' });
    const row = mine.getByRole('row').filter({ hasText: HEALTH_OFFER });
    await row.getByText('En examen éthique').waitFor();
    expect(await mine.getByRole('row').filter({ hasText: MEMBERS_OFFER }).textContent()).toContain('Accordée');
    await expectAccessible(researcher, '/demandes, my requests');

    // The stage filter keeps the agreed one only; the other tab has nothing for a university.
    await researcher.getByRole('combobox', { name: 'Étape' }).click();
    await researcher.getByRole('option', { name: 'Accordée' }).click();
    await row.waitFor({ state: 'detached' });
    await researcher.getByRole('tab', { name: 'Demandes à traiter' }).click();
    await researcher.getByText('Aucune demande à l’étape « Accordée ».').waitFor();
    await expectAccessible(researcher, '/demandes, requests to handle, empty');
  });
});

describe('the ethics commission approves it with conditions', () => {
  let page: Page;

  it('finds it in the commission’s queue', async () => {
    page = await newPage();
    await signIn(page, ETHICS);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Commission d’éthique' }).click();
    await page.waitForURL(/\/ethique$/);
    await page.getByRole('heading', { level: 1, name: 'Commission d’éthique' }).waitFor();
    const queue = page.getByRole('table', { name: 'À examiner' });
    // Another university's request on the same offer waits too (the demo's): ours is Toulouse's.
    await queue.getByRole('row').filter({ hasText: HEALTH_OFFER }).filter({ hasText: 'Toulouse' }).waitFor();
    await expectAccessible(page, '/ethique');
    await queue.getByRole('row').filter({ hasText: HEALTH_OFFER }).filter({ hasText: 'Toulouse' }).getByRole('link').first().click();
    await page.waitForURL(/\/ethique\/[0-9a-f-]+$/);
    await page.getByRole('heading', { name: 'Avis de la commission' }).waitFor();
  });

  it('refuses an incomplete form beside its fields, then records the Five Safes with the keyboard', async () => {
    await page.getByRole('button', { name: 'Rendre l’avis' }).click();
    await page.getByText('Répondez oui ou non.').first().waitFor();
    await page.getByText('Choisissez un avis.').waitFor();
    // The first field to fix has the focus: « Projet sûr », yes.
    const firstYes = page.getByRole('radiogroup', { name: /^Projet sûr : ce point est-il sûr \?/ }).getByRole('radio', { name: 'Oui' });
    expect(await firstYes.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Space');
    expect(await firstYes.isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Finalité de recherche en santé publique, conforme à la charte.');

    const notes: Record<string, string> = {
      'Personnes sûres': 'Doctorante et directeur de thèse, formés au secret statistique.',
      'Cadre sûr': 'Agrégats seulement, sans export de lignes.',
      'Données sûres': 'Département et sexe, sans donnée directement identifiante.',
      'Résultats sûrs': 'Petits effectifs masqués avant publication.',
    };
    for (const [dimension, note] of Object.entries(notes)) {
      await page
        .getByRole('radiogroup', { name: new RegExp(`^${dimension} : ce point est-il sûr \\?`) })
        .getByRole('radio', { name: 'Oui' })
        .check();
      await page.getByRole('textbox', { name: `Note — ${dimension}` }).fill(note);
    }
    await page.getByRole('radio', { name: /^Approuver avec conditions/ }).check();
    await page.getByRole('button', { name: 'Rendre l’avis' }).click();
    await page.getByText('Écrivez les conditions (au moins 3 caractères).').waitFor();
    await page.getByRole('textbox', { name: 'Conditions de la commission' }).fill(CONDITIONS);
    await page.screenshot({ path: SCREENSHOTS.review, fullPage: true });
    await expectAccessible(page, 'the Five Safes review form');

    await page.getByRole('button', { name: 'Rendre l’avis' }).click();
    await page.getByText(/^Avis rendu : la demande sur « .* » passe au fournisseur, avec vos conditions\.$/).waitFor();
    await page.waitForURL(/\/ethique\?etat=examinees$/);
    await page
      .getByRole('table', { name: 'Examinées' })
      .getByRole('row')
      .filter({ hasText: HEALTH_OFFER })
      .filter({ hasText: 'Toulouse' })
      .waitFor();
  });
});

describe('Santé publique France approves the reviewed request', () => {
  it('is notified, reads the review and approves', async () => {
    const page = await newPage();
    await signIn(page, HEALTH_STEWARD);
    const bell = page.getByRole('button', { name: /^\d+ notifications? non lues?$/ });
    await bell.click();
    const menu = page.getByRole('menu');
    await menu.getByRole('menuitem', { name: 'Tout marquer comme lu' }).waitFor();
    expect(await menu.getByRole('menuitem').count()).toBeGreaterThan(2);
    await expectAccessible(page, 'the notification menu');
    await page.keyboard.press('Escape');

    await page.goto('/demandes?boite=a-traiter');
    const inbox = page.getByRole('table', { name: 'Demandes à traiter' });
    const row = inbox.getByRole('row').filter({ hasText: HEALTH_OFFER }).filter({ hasText: 'Toulouse' });
    await row.getByText('En attente du fournisseur').waitFor();
    await row.getByRole('link').first().click();
    await page.waitForURL(/\/demandes\/[0-9a-f-]+$/);
    const review = page.getByRole('region', { name: 'Examen éthique' });
    await review.getByText('Approuvée avec conditions').waitFor();
    expect(await review.textContent()).toContain(CONDITIONS);
    expect(await review.getByRole('table', { name: 'Les « Five Safes »' }).getByRole('row').count()).toBe(6);
    await expectAccessible(page, 'the request page, for the provider');

    await page.getByRole('button', { name: 'Approuver', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /^Approuver la demande sur « / });
    await dialog.waitFor();
    await expectAccessible(page, 'the approval dialog');
    await dialog.getByRole('button', { name: 'Approuver et signer le contrat' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(/^Accordée le /).waitFor();
    await page.getByRole('link', { name: 'Voir le contrat' }).click();
    await page.waitForURL(/\/contrats\/[0-9a-f-]+$/);
    const rules = page.getByRole('region', { name: 'Règles du contrat' });
    expect(await rules.textContent()).toContain(CONDITIONS);
    // The provider suspends its contract, then resumes it, each with a reason.
    await page.getByRole('button', { name: 'Suspendre' }).click();
    const suspend = page.getByRole('dialog', { name: /^Suspendre le contrat sur « / });
    await suspend.getByRole('textbox', { name: 'Motif de la suspension' }).fill('Vérification des conditions de publication.');
    await suspend.getByRole('button', { name: 'Suspendre le contrat' }).click();
    await suspend.waitFor({ state: 'detached' });
    await page.getByText('DSP : SUSPENDED').waitFor();
    await page.getByText(/^Contrat suspendu depuis le /).waitFor();
    await page.getByRole('button', { name: 'Reprendre' }).click();
    const resume = page.getByRole('dialog', { name: /^Reprendre le contrat sur « / });
    await resume.getByRole('textbox', { name: 'Motif de la reprise' }).fill('Conditions vérifiées.');
    await resume.getByRole('button', { name: 'Reprendre le contrat' }).click();
    await resume.waitFor({ state: 'detached' });
    await page.getByText('DSP : STARTED').waitFor();
    const history = page.getByRole('list', { name: 'Historique' });
    await history.getByText('Vérification des conditions de publication.').waitFor();
    await history.getByText('Repris', { exact: true }).waitFor();
  });
});

describe('Atmo Occitanie terminates the first contract, and access stops at once', () => {
  it('terminates it with a reason, after a confirmation', async () => {
    const page = await newPage();
    await signIn(page, ATMO_ADMIN);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Contrats', exact: true }).click();
    await page.waitForURL(/\/contrats$/);
    const table = page.getByRole('table', { name: 'Contrats de vos organisations' });
    const row = table.getByRole('row').filter({ hasText: 'Toulouse' }).filter({ hasText: MEMBERS_OFFER });
    await row.getByText('En vigueur').waitFor();
    await expectAccessible(page, '/contrats');
    await row.getByRole('link').first().click();
    await page.waitForURL(new RegExp(`${airContractUrl}$`));

    await page.getByRole('button', { name: 'Résilier' }).click();
    const dialog = page.getByRole('dialog', { name: /^Résilier le contrat sur « / });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('la prochaine requête au titre de ce contrat est refusée');
    await dialog.getByRole('button', { name: 'Résilier le contrat' }).click();
    await dialog.getByText('Écrivez au moins 3 caractères.').waitFor();
    await expectAccessible(page, 'the termination dialog');
    await dialog.getByRole('textbox', { name: 'Motif de la résiliation' }).fill(TERMINATION);
    await dialog.getByRole('button', { name: 'Résilier le contrat' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Contrat résilié : l’accès est révoqué.').waitFor();
    await page.getByText('DSP : TERMINATED').waitFor();
    expect(await page.getByRole('button', { name: 'Résilier' }).count()).toBe(0);
  });

  it('shows the researcher the contract « Résilié », and refuses the next download', async () => {
    await researcher.goto(airContractUrl);
    await researcher.getByText(/^Contrat résilié le /).waitFor();
    await researcher.getByText('Résilié', { exact: true }).first().waitFor();
    await researcher.getByText(TERMINATION).first().waitFor();
    await researcher.getByRole('list', { name: 'Historique' }).getByText(TERMINATION).waitFor();
    await researcher.screenshot({ path: SCREENSHOTS.terminated, fullPage: true });
    await expectAccessible(researcher, 'the terminated contract');

    await researcher.goto('/contrats?etat=terminated');
    await researcher.getByRole('table', { name: 'Contrats de vos organisations' }).getByText('Résilié').waitFor();
    expect(await downloadStatus(researcher)).toBe(403);
  });
});

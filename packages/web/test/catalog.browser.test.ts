/**
 * Browser journey through the catalog: a data steward of Montpellier Méditerranée Métropole
 * publishes a semicolon-separated Windows-1252 export from `/publier` (progress, inferred schema,
 * metadata), then anyone finds it by a word typed without its accent and opens its page: the map
 * of its coverage and the first rows, with "Sète" decoded right.
 *
 * Needs the built portal: `npm run build -w @confiance/web` first.
 */
import iconv from 'iconv-lite';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, signIn, startPortal, type Portal } from './portal';

const STEWARD = 'donnees@montpellier-mediterranee-metropole.demo';
const OPERATOR = 'operateur@ekitia.demo';
const TITLE = 'Qualité de l’eau des plages de l’Hérault';
const SLUG = 'qualite-de-l-eau-des-plages-de-l-herault';
const FILE_NAME = 'qualite-eau-plages-herault.csv';
const SCREENSHOTS = {
  publish: '/tmp/confiance-catalog-publish.png',
  search: '/tmp/confiance-catalog-search.png',
  dataset: '/tmp/confiance-catalog-dataset.png',
};

const BEACHES = [
  ['Sète', 'Plage de la Corniche'],
  ['Frontignan', 'Plage des Aresquiers'],
  ['Agde', 'Plage Richelieu'],
  ['Palavas-les-Flots', 'Plage de l’Hôtel de Ville'],
  ['Sérignan', 'Plage des Orpellières'],
  ['Valras-Plage', 'Plage centrale – côté est'],
] as const;
const GRADES = ['Excellente', 'Bonne', 'Suffisante', 'Insuffisante'] as const;

/**
 * A regional export as spreadsheets write it: `;` between fields, decimal commas, French dates,
 * Windows-1252 (’ and – exist there and not in Latin-1). Big enough (about 1 MB) that sending and
 * converting take long enough to be seen.
 */
function beachExport(rows: number, { withEnterococci = true } = {}): Buffer {
  const lines = [`commune;plage;date_prelevement;escherichia_coli;${withEnterococci ? 'enterocoques;' : ''}qualite`];
  for (let i = 0; i < rows; i += 1) {
    const [commune, beach] = BEACHES[i % BEACHES.length]!;
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String(((i >> 5) % 4) + 6).padStart(2, '0');
    const ecoli = ((i * 37) % 900) / 4;
    const entero = ((i * 53) % 400) / 8;
    const measures = [ecoli.toFixed(2), ...(withEnterococci ? [entero.toFixed(1)] : [])].map((v) => v.replace('.', ','));
    lines.push([commune, beach, `${day}/${month}/2025`, ...measures, GRADES[i % 4]].join(';'));
  }
  return iconv.encode(`${lines.join('\r\n')}\r\n`, 'win1252');
}

let portal: Portal | undefined;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  portal = await startPortal();
  context = await portal.newContext();
  page = await context.newPage();
});

afterAll(async () => {
  await portal?.stop();
});

describe('a data steward publishes a Windows-1252 CSV, and a visitor finds it', () => {
  it('sends the file, follows its conversion and sees the inferred schema', async () => {
    await signIn(page, STEWARD);
    await page.getByRole('link', { name: 'Catalogue', exact: true }).click();
    await page.waitForURL(/\/datasets$/);
    await page.getByRole('link', { name: 'Publier un jeu de données' }).click();
    await page.waitForURL(/\/publier$/);
    await page.getByRole('heading', { level: 1, name: 'Publier un jeu de données' }).waitFor();

    // Record every state of the progress panel: the file and its conversion move fast.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        for (const bar of document.querySelectorAll('[role="progressbar"]')) {
          const label = bar.getAttribute('aria-label') ?? '';
          if (seen.at(-1) !== label) seen.push(label);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    const source = beachExport(20_000);
    await page.locator('input[type="file"]').setInputFiles({ name: FILE_NAME, mimeType: 'text/csv', buffer: source });
    await page.getByText(/^Fichier converti : 20\s000 lignes, 6 colonnes\.$/).waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(
      seen.some((s) => s.startsWith('Envoi du fichier :')),
      seen.join(' | '),
    ).toBe(true);
    expect(
      seen.some((s) => s.startsWith('Conversion :')),
      seen.join(' | '),
    ).toBe(true);
    expect(await page.getByText(/encodage windows-1252/).textContent()).toContain('séparateur « ; »');

    await page.getByRole('button', { name: 'Continuer' }).click();
    const schema = page.getByRole('table', { name: /^Colonnes déduites de la table/ });
    await schema.waitFor();
    // Decimal commas read as numbers, French dates as dates, accented names as text.
    expect(await schema.getByRole('row', { name: /escherichia_coli/ }).textContent()).toContain('Nombre décimal');
    expect(await schema.getByRole('row', { name: /date_prelevement/ }).textContent()).toContain('Date');
    expect(await schema.getByRole('row', { name: /^commune/ }).textContent()).toContain('Sète');
    await page.getByRole('textbox', { name: 'Description de la colonne escherichia_coli' }).fill('Escherichia coli mesurées');
    await page.getByRole('textbox', { name: 'Unité de la colonne escherichia_coli' }).fill('UFC/100 mL');
    await page.screenshot({ path: SCREENSHOTS.publish, fullPage: true });
    await expectAccessible(page, 'the schema review');
    await page.getByRole('button', { name: 'Continuer' }).click();
  });

  it('fills the metadata (open, covering the Hérault) and lands on the published page', async () => {
    await page.getByRole('textbox', { name: 'Titre' }).fill(TITLE);
    await page
      .getByRole('textbox', { name: 'Description' })
      .fill('Résultats des prélèvements de l’Agence régionale de santé sur les plages de Sète, Frontignan et Agde, saison 2025.');
    const keywords = page.getByRole('combobox', { name: 'Mots-clés' });
    for (const word of ['baignade', 'littoral']) {
      await keywords.fill(word);
      await keywords.press('Enter');
    }
    await page.getByRole('radio', { name: /^Licence Ouverte/ }).check();
    await page.getByRole('radio', { name: /^Ouvert/ }).check();
    await page.getByRole('checkbox', { name: 'Hérault (34)' }).check();
    await expectAccessible(page, 'the metadata form');
    await page.getByRole('button', { name: 'Publier le jeu de données' }).click();

    await page.waitForURL(new RegExp(`/datasets/${SLUG}$`));
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  });

  it('finds the dataset by a word typed without its accent', async () => {
    await page.goto('/datasets');
    await page.getByRole('heading', { level: 1, name: 'Catalogue des données' }).waitFor();
    await page.getByRole('searchbox', { name: 'Rechercher un jeu de données' }).fill('herault');
    await page.waitForURL(/q=herault/);
    const result = page.getByRole('article').filter({ has: page.getByRole('link', { name: TITLE }) });
    await result.waitFor();
    expect(await result.textContent()).toContain('Ouvert');
    expect(await result.textContent()).toContain('Licence Ouverte 2.0');
    // The facets count what the search found, with French labels.
    await page.getByRole('checkbox', { name: /^Hérault \(34\)/ }).waitFor();
    await page.screenshot({ path: SCREENSHOTS.search, fullPage: true });
    await expectAccessible(page, 'the catalog search');

    // A linkable search: the same address gives the same results.
    await page.reload();
    await result.waitFor();
    await result.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(new RegExp(`/datasets/${SLUG}$`));
  });

  it('shows the coverage map and the first rows, decoded from Windows-1252', async () => {
    const map = page.getByRole('img', { name: /^Carte de l’Occitanie/ });
    await map.waitFor();
    expect(await map.getAttribute('aria-label')).toContain('Hérault (34)');
    // Drawn from the node's boundaries: 13 départements, the Hérault filled.
    expect(await map.locator('path').count()).toBe(13);
    expect(await map.locator('path[data-code="34"]').getAttribute('class')).toContain('area-covered');
    expect(await map.locator('path[data-code="31"]').getAttribute('class')).not.toContain('area-covered');

    const preview = page.getByRole('table', { name: /^Premières lignes de la table/ });
    await preview.waitFor();
    await preview.getByRole('cell', { name: 'Sète', exact: true }).first().waitFor();
    expect(await preview.getByRole('row').count()).toBe(51); // header + 50 rows
    expect(await preview.textContent()).toContain('Plage de l’Hôtel de Ville');
    expect(await preview.textContent()).toContain('Plage centrale – côté est');

    // The column description typed during the review is part of the published schema.
    const schema = page.getByRole('table', { name: /^Colonnes de la table/ });
    expect(await schema.getByRole('row', { name: /escherichia_coli/ }).textContent()).toContain('UFC/100 mL');

    await page.getByRole('img', { name: /^Diagramme en barres/ }).waitFor();
    await page.getByRole('link', { name: 'Publier une nouvelle version' }).waitFor();
    expect(await page.getByText(`confiance datasets download ${SLUG}`).isVisible()).toBe(true);
    await page.screenshot({ path: SCREENSHOTS.dataset, fullPage: true });
    await expectAccessible(page, 'the dataset page, as its steward');
  });

  it('shows the same page to an anonymous visitor, without the steward’s actions', async () => {
    const visitor = await portal!.newContext();
    const anonymous = await visitor.newPage();
    await anonymous.goto(`/datasets/${SLUG}`);
    await anonymous.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await anonymous
      .getByRole('table', { name: /^Premières lignes de la table/ })
      .getByRole('cell', { name: 'Sète', exact: true })
      .first()
      .waitFor();
    expect(await anonymous.getByRole('link', { name: 'Publier une nouvelle version' }).count()).toBe(0);
    expect(await anonymous.getByRole('link', { name: /Parquet/ }).count()).toBe(1);
    await expectAccessible(anonymous, 'the dataset page, anonymously');
    await visitor.close();
  });
});

describe('the dataset’s life: a new version that drops a column, deprecation, withdrawal', () => {
  it('asks to confirm the schema change, listing it, before publishing version 2', async () => {
    await page.goto(`/datasets/${SLUG}`);
    await page.getByRole('link', { name: 'Publier une nouvelle version' }).click();
    await page.waitForURL(new RegExp(`/publier\\?dataset=${SLUG}$`));
    await page.getByRole('heading', { level: 1, name: `Nouvelle version de « ${TITLE} »` }).waitFor();

    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: FILE_NAME, mimeType: 'text/csv', buffer: beachExport(500, { withEnterococci: false }) });
    await page.getByText(/^Fichier converti : 500 lignes, 5 colonnes\.$/).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Continuer' }).click();
    // What the steward wrote about a column that is still there comes back with it.
    expect(await page.getByRole('textbox', { name: 'Description de la colonne escherichia_coli' }).inputValue()).toBe(
      'Escherichia coli mesurées',
    );
    await page.getByRole('button', { name: 'Continuer' }).click();

    await page.getByRole('textbox', { name: 'Notes de version' }).fill('Les entérocoques ne sont plus mesurés.');
    await page.getByRole('button', { name: 'Publier la version' }).click();
    const confirm = page.getByRole('dialog', { name: 'Confirmer le changement de schéma' });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('Colonne enterocoques supprimée');
    await expectAccessible(page, 'the schema change confirmation');
    await confirm.getByRole('button', { name: 'Publier malgré ces changements' }).click();

    await page.waitForURL(new RegExp(`/datasets/${SLUG}$`));
    const versions = page.getByRole('table', { name: 'Versions' });
    await versions.getByRole('row').filter({ hasText: 'Les entérocoques ne sont plus mesurés.' }).waitFor();
    expect(await versions.getByRole('row').count()).toBe(3); // header + 2 versions
    expect(await page.getByRole('table', { name: /^Colonnes de la table/ }).textContent()).not.toContain('enterocoques');
  });

  it('deprecates the dataset with a note every visitor sees', async () => {
    await page.getByRole('button', { name: 'Déprécier' }).click();
    const dialog = page.getByRole('dialog', { name: 'Déprécier ce jeu de données ?' });
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: 'Note de dépréciation' }).fill('Remplacé par le suivi sanitaire 2026.');
    await dialog.getByRole('button', { name: 'Déprécier', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const notice = page.getByRole('alert').filter({ hasText: 'Jeu de données déprécié depuis le' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Remplacé par le suivi sanitaire 2026.');
    expect(await page.getByRole('button', { name: 'Déprécier' }).count()).toBe(0);

    // The catalog flags it, and still lists it.
    await page.goto('/datasets?q=plages');
    const result = page.getByRole('article').filter({ has: page.getByRole('link', { name: TITLE }) });
    await result.waitFor();
    expect(await result.textContent()).toContain('Déprécié');
  });

  it('lets the operator withdraw it: the reason shows, the rows no longer do', async () => {
    const operatorContext = await portal!.newContext();
    const operator = await operatorContext.newPage();
    await signIn(operator, OPERATOR);
    await operator.goto(`/datasets/${SLUG}`);
    await operator.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    // The operator may withdraw any dataset, but not publish or deprecate for its publisher.
    expect(await operator.getByRole('link', { name: 'Publier une nouvelle version' }).count()).toBe(0);
    await operator.getByRole('button', { name: 'Retirer' }).click();
    const dialog = operator.getByRole('dialog', { name: 'Retirer ce jeu de données ?' });
    await dialog.getByRole('textbox', { name: 'Motif du retrait' }).fill('Demande de l’ARS : résultats à republier après contrôle.');
    await dialog.getByRole('button', { name: 'Retirer définitivement' }).click();
    await dialog.waitFor({ state: 'detached' });

    const notice = operator.getByRole('alert').filter({ hasText: 'Jeu de données retiré le' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('résultats à republier après contrôle');
    expect(await operator.getByRole('table', { name: /^Premières lignes de la table/ }).count()).toBe(0);
    expect(await operator.getByRole('button', { name: 'Retirer' }).count()).toBe(0);
    await expectAccessible(operator, 'a withdrawn dataset');
    await operatorContext.close();
  });
});

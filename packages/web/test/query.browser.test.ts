/**
 * Browser journey through « Interroger » (traiter sans exporter): an INSEE analyst, under the demo's
 * contract on Santé publique France's aggregate-only hospital data, groups by département and sex,
 * sums the hospitalised on 15 April 2020, and reads the result as disclosure control left it —
 * small counts « masqué » with their reason, others marked « ≈ » as rounded, the legend counting
 * both — then downloads it as CSV. Columns that are not dimensions are never offered, and a query
 * sent by hand that groups by a count or asks its minimum is refused in the node's words. A
 * visitor, and a member without a contract, see why they cannot query and the way to the offers.
 *
 * Needs the built portal: `npm run build -w @confiance/web` first.
 */
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, signIn, startPortal, type Portal } from './portal';

const ANALYST = 'analyste@insee.demo';
const OUTSIDER = 'analyste@universite-de-toulouse.demo';
const HEALTH = 'covid-hospitalisations-departement-sexe-2020';
const SCREENSHOT = '/tmp/confiance-query-result.png';

let portal: Portal | undefined;
const contexts: BrowserContext[] = [];
let analyst: Page;

async function newPage(): Promise<Page> {
  const context = await portal!.newContext();
  contexts.push(context);
  return context.newPage();
}

/** The « Interroger » section of the dataset page. */
const section = (page: Page) => page.getByRole('region', { name: 'Interroger' });

/** Picks one option of a Mantine Select or MultiSelect by its label. */
async function choose(page: Page, field: string, option: string): Promise<void> {
  await section(page).getByRole('combobox', { name: field }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The options a Select offers, read while its dropdown is open. */
async function optionsOf(page: Page, field: string): Promise<string[]> {
  const box = section(page).getByRole('combobox', { name: field });
  await box.click();
  await page.getByRole('listbox').last().waitFor();
  const options = await page.getByRole('listbox').last().getByRole('option').allTextContents();
  await page.keyboard.press('Escape');
  return options.map((o) => o.trim());
}

/** A query posted from inside the page, with the session's cookie and CSRF token, as a script in the browser would. */
function postQuery(page: Page, body: unknown): Promise<{ status: number; code: string | undefined; message: string | undefined }> {
  return page.evaluate(
    async ({ slug, query }) => {
      const session = (await (await fetch('/api/v1/auth/session', { credentials: 'same-origin' })).json()) as { csrfToken: string };
      const response = await fetch(`/api/v1/datasets/${slug}/query?format=json`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify(query),
      });
      const data = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
      return { status: response.status, code: data.error?.code, message: data.error?.message };
    },
    { slug: HEALTH, query: body },
  );
}

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await portal?.stop();
});

describe('when nobody may query the dataset', () => {
  it('tells a visitor to sign in, and where the offers are, instead of showing the builder', async () => {
    const page = await newPage();
    await page.goto(`/datasets/${HEALTH}`);
    await section(page).getByText('Connectez-vous pour interroger ce jeu de données').waitFor();
    expect(await section(page).getByRole('button', { name: 'Lancer la requête' }).count()).toBe(0);
    await section(page).getByRole('link', { name: 'Se connecter' }).waitFor();
    await expectAccessible(page, 'the dataset page, queries refused to a visitor');
  });

  it('tells a member without a contract why, and takes them to the offers', async () => {
    const page = await newPage();
    await signIn(page, OUTSIDER);
    await page.goto(`/datasets/${HEALTH}`);
    await section(page).getByText('Vous ne pouvez pas encore interroger ce jeu de données').waitFor();
    expect(await section(page).getByRole('button', { name: 'Lancer la requête' }).count()).toBe(0);
    await section(page).getByRole('button', { name: 'Voir les offres d’accès' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('offers-title');
    await expectAccessible(page, 'the dataset page, queries refused to a member without a contract');
  });
});

describe('an INSEE analyst queries aggregate-only health data under contract', () => {
  it('finds « Interroger » with the contract’s bounds, and only the dimensions and safe functions', async () => {
    analyst = await newPage();
    await signIn(analyst, ANALYST);
    await analyst.goto(`/datasets/${HEALTH}`);
    await analyst.getByRole('link', { name: 'Interroger', exact: true }).click();
    expect(new URL(analyst.url()).hash).toBe('#interroger');
    const query = section(analyst);
    await query.getByRole('button', { name: 'Lancer la requête' }).waitFor();
    await query.getByText('Agrégats uniquement').waitFor();
    await query.getByText('Sous contrat').waitFor();
    await query.getByText('Requêtes aujourd’hui').waitFor();
    await query.getByText('Accès valable jusqu’au').waitFor();
    // No SQL for aggregate-only data.
    expect(await query.getByRole('tab', { name: 'SQL' }).count()).toBe(0);

    expect((await optionsOf(analyst, 'Regrouper par')).sort()).toEqual(['dep', 'jour', 'sexe']);
    const functions = await optionsOf(analyst, 'Fonction de l’agrégat 1');
    expect(functions).toContain('Somme');
    expect(functions).not.toContain('Minimum');
    expect(functions).not.toContain('Maximum');
    await expectAccessible(analyst, 'the query builder');
  });

  it('groups by dep and sexe, sums hosp on 15 April 2020, and reads the masked and rounded cells', async () => {
    const query = section(analyst);
    await choose(analyst, 'Regrouper par', 'dep');
    await choose(analyst, 'Regrouper par', 'sexe');
    await analyst.keyboard.press('Escape');
    await choose(analyst, 'Colonne de l’agrégat 1', 'hosp');
    await query.getByRole('button', { name: 'Ajouter un filtre' }).click();
    // Filters are on dimensions only: the counts are not offered.
    expect((await optionsOf(analyst, 'Colonne du filtre 1')).sort()).toEqual(['dep', 'jour', 'sexe']);
    await choose(analyst, 'Colonne du filtre 1', 'jour');
    expect(await query.getByRole('combobox', { name: 'Opérateur du filtre 1' }).inputValue()).toBe('est égal à');
    await query.getByRole('textbox', { name: 'Valeur du filtre 1' }).fill('2020-04-15');
    await choose(analyst, 'Trier par', 'dep');

    await query.getByRole('button', { name: 'Lancer la requête' }).click();
    await query.getByRole('heading', { name: 'Résultat', exact: true }).waitFor();
    const table = query.getByRole('table', { name: /^Résultat de la requête/ });
    await table.waitFor();
    const headers = (await table.getByRole('columnheader').allTextContents()).map((h) => h.trim());
    expect(headers).toEqual(['dep', 'sexe', 'sum_hosp']);
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(10);

    const masked = table.locator('[data-fate^="suppressed"]');
    const rounded = table.locator('[data-fate="rounded"]');
    const maskedCount = await masked.count();
    const roundedCount = await rounded.count();
    expect(maskedCount).toBeGreaterThan(0);
    expect(roundedCount).toBeGreaterThan(0);
    // Each masked cell says so, with its reason as the tooltip and as text for screen readers.
    const first = masked.first();
    expect(await first.innerText()).toMatch(/^masqué/);
    const reason = (await first.getAttribute('title')) ?? '';
    expect(reason.length).toBeGreaterThan(5);
    expect(await first.textContent()).toContain(reason);
    expect(await rounded.first().textContent()).toContain('≈');
    expect(await rounded.first().getAttribute('title')).toBeTruthy();

    const legend = await query.getByTestId('disclosure-legend').innerText();
    expect(legend).toContain('Contrôle du secret statistique : effectifs ≤ 7 masqués, autres arrondis à 5 près');
    const counts = /(\d+) cases? masquées?, (\d+) arrondies?/.exec(legend);
    expect(counts, legend).not.toBeNull();
    expect(Number(counts![1])).toBe(maskedCount);
    expect(Number(counts![2])).toBe(roundedCount);

    await query.getByRole('img', { name: /^Diagramme en barres de sum_hosp par dep, sexe/ }).waitFor();
    await analyst.screenshot({ path: SCREENSHOT, fullPage: true });
    await expectAccessible(analyst, 'a query result under disclosure control');
  });

  it('downloads the same result as CSV', async () => {
    const query = section(analyst);
    const [download] = await Promise.all([
      analyst.waitForEvent('download'),
      query.getByRole('button', { name: 'Télécharger en CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${HEALTH}-requete.csv`);
    const file = await download.path();
    const csv = fs.readFileSync(file, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/dep.*sexe.*sum_hosp/);
  });

  it('is refused, in the node’s words, what the builder never offers: grouping by a count, its minimum', async () => {
    const byCount = await postQuery(analyst, { groupBy: ['hosp'], aggregates: [{ fn: 'count' }] });
    expect(byCount.status, JSON.stringify(byCount)).toBe(422);
    expect(byCount.code).toBe('query_refused');
    expect(byCount.message).toMatch(/hosp/);

    const minimum = await postQuery(analyst, { groupBy: ['dep'], aggregates: [{ fn: 'min', column: 'hosp' }] });
    expect(minimum.status, JSON.stringify(minimum)).toBe(422);
    expect(minimum.code).toBe('query_refused');
    expect(minimum.message).toMatch(/min/);
  });

  it('shows a refusal under the builder as the node says it', async () => {
    // A filter value of the wrong type is the builder's only way to a refusal: the node says why.
    const query = section(analyst);
    await query.getByRole('textbox', { name: 'Valeur du filtre 1' }).fill('pas une date');
    await query.getByRole('button', { name: 'Lancer la requête' }).click();
    const alert = query.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('Requête invalide');
    expect(await alert.innerText()).toContain('pas une date');
    // The last result is not left on screen as if it answered this query.
    expect(await query.getByRole('table', { name: /^Résultat de la requête/ }).count()).toBe(0);
    await expectAccessible(analyst, 'a refused query');
  });
});

/**
 * Browser journey through a project's privacy-enhancing computation (issue 8), on the demo's Covid
 * observatory project (Toulouse Métropole), which holds contracts with two providers:
 * - Santé publique France's hospital counts joined, inside the node, to INSEE's legal populations
 *   on the département code — pseudonymised by the node, never a column of the result;
 * - SPF's daily admissions counted under differential privacy: the budget beside the builder goes
 *   down with each query, and once spent the builder gives way to a clear stop, and a query sent
 *   by hand is refused in the node's words.
 *
 * Needs the built portal: `npm run build -w @confiance/web` first.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, signIn, startPortal, type Portal } from './portal';

const ANALYST = 'analyste@toulouse-metropole.demo';
const HOSPITAL = 'covid-hospitalisations-departement-sexe-2020';
const DAILY = 'covid-hospitalisations-quotidiennes-departements';
const POPULATIONS = 'Populations légales des départements d’Occitanie — INSEE';

let portal: Portal | undefined;
let context: BrowserContext | undefined;
let page: Page;

const section = () => page.getByRole('region', { name: 'Interroger' });

async function choose(field: string, option: string): Promise<void> {
  await section().getByRole('combobox', { name: field }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function optionsOf(field: string): Promise<string[]> {
  await section().getByRole('combobox', { name: field }).click();
  await page.getByRole('listbox').last().waitFor();
  const options = await page.getByRole('listbox').last().getByRole('option').allTextContents();
  await page.keyboard.press('Escape');
  return options.map((o) => o.trim());
}

/** A fact of the budget beside the builder, by its label. */
async function budgetFact(label: string): Promise<string> {
  const facts = section().getByTestId('privacy-budget');
  return (await facts.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]').innerText()).trim();
}

beforeAll(async () => {
  portal = await startPortal();
  context = await portal.newContext();
  page = await context.newPage();
  await signIn(page, ANALYST);
});

afterAll(async () => {
  await context?.close();
  await portal?.stop();
});

describe('a project joins two providers’ data on a pseudonymised key', () => {
  it('offers INSEE’s populations as a dataset to join, on the keys both contracts declare', async () => {
    await page.goto(`/datasets/${HOSPITAL}#interroger`);
    await section().getByRole('button', { name: 'Lancer la requête' }).waitFor();
    await section().getByText('Croiser avec un autre jeu (jointure pseudonymisée)').waitFor();
    expect(await optionsOf('Jeu à croiser')).toEqual([POPULATIONS]);
    await choose('Jeu à croiser', POPULATIONS);
    expect(await section().getByRole('combobox', { name: 'Clé de ce jeu' }).inputValue()).toBe('dep');
    expect(await section().getByRole('combobox', { name: 'Clé du jeu croisé' }).inputValue()).toBe('DEP');
    // The keys are no dimension of the join: the other side's columns are, by their table's name.
    const dimensions = await optionsOf('Regrouper par');
    expect(dimensions).not.toContain('dep');
    expect(dimensions.some((d) => d.endsWith('.DEP'))).toBe(false);
    expect(dimensions).toContain('sexe');
    expect(dimensions.some((d) => d.endsWith('.Département'))).toBe(true);
    await expectAccessible(page, 'the query builder with a join');
  });

  it('sums the hospitalised of 15 April 2020 by département name, without ever showing a key', async () => {
    const dimension = (await optionsOf('Regrouper par')).find((d) => d.endsWith('.Département'))!;
    await choose('Regrouper par', dimension);
    await page.keyboard.press('Escape');
    await choose('Colonne de l’agrégat 1', 'hosp');
    await section().getByRole('button', { name: 'Ajouter un filtre' }).click();
    await choose('Colonne du filtre 1', 'jour');
    await section().getByRole('textbox', { name: 'Valeur du filtre 1' }).fill('2020-04-15');
    await section().getByRole('button', { name: 'Ajouter un filtre' }).click();
    await choose('Colonne du filtre 2', 'sexe');
    await section().getByRole('textbox', { name: 'Valeur du filtre 2' }).fill('0');
    await section().getByRole('button', { name: 'Lancer la requête' }).click();

    const table = section().getByRole('table', { name: /^Résultat de la requête/ });
    await table.waitFor();
    await section().getByText('Jointure pseudonymisée', { exact: true }).waitFor();
    const headers = (await table.getByRole('columnheader').allTextContents()).map((h) => h.trim());
    expect(headers).toEqual([dimension, 'sum_hosp']);
    const names = (await table.locator('tbody tr td:first-child').allInnerTexts()).map((n) => n.trim());
    expect(names).toHaveLength(13);
    expect(names).toContain('Haute-Garonne');
    expect(names).toContain('Hérault');
    // Neither the pseudonyms the join ran on nor any other hash reach the page.
    expect(await section().innerText()).not.toMatch(/[0-9a-f]{64}/);
    await expectAccessible(page, 'a joined result');
  });
});

describe('a project counts under differential privacy until its budget is spent', () => {
  it('shows the whole budget before the first query, and the noise a count gets', async () => {
    await page.goto(`/datasets/${DAILY}#interroger`);
    await section().getByTestId('privacy-budget').waitFor();
    expect(await budgetFact('Budget ε restant')).toBe('1 sur 1');
    expect(await budgetFact('Requêtes encore possibles')).toBe('4');
    expect(await budgetFact('ε par requête')).toBe('0,25');
    expect(await budgetFact('Bruit d’un comptage')).toMatch(/^± \d+ à 95 %$/);
    await expectAccessible(page, 'the query builder under differential privacy');
  });

  it('spends a quarter of ε on each count, and says what the noise is', async () => {
    await choose('Regrouper par', 'dep');
    await page.keyboard.press('Escape');
    await choose('Fonction de l’agrégat 1', 'Nombre de lignes');
    for (const [left, queries] of [
      ['0,75', '3'],
      ['0,5', '2'],
      ['0,25', '1'],
    ] as const) {
      await section().getByRole('button', { name: 'Lancer la requête' }).click();
      await expect.poll(() => budgetFact('Budget ε restant'), { timeout: 15_000 }).toBe(`${left} sur 1`);
      expect(await budgetFact('Requêtes encore possibles')).toBe(queries);
      const legend = await section().getByTestId('privacy-legend').innerText();
      expect(legend).toContain(`Cette requête a dépensé ε = 0,25 ; il reste ε = ${left}.`);
    }
    const table = section().getByRole('table', { name: /^Résultat de la requête/ });
    expect(await table.locator('tbody tr').count()).toBe(13);
  });

  it('stops the builder once the last query spent the budget, and the node refuses one sent by hand', async () => {
    await section().getByRole('button', { name: 'Lancer la requête' }).click();
    await section().getByRole('alert').filter({ hasText: 'Budget de confidentialité épuisé' }).first().waitFor({ timeout: 15_000 });
    expect(await section().getByRole('button', { name: 'Lancer la requête' }).count()).toBe(0);
    expect(await budgetFact('Requêtes encore possibles')).toBe('0');
    const refused = await page.evaluate(async (slug) => {
      const session = (await (await fetch('/api/v1/auth/session', { credentials: 'same-origin' })).json()) as { csrfToken: string };
      const response = await fetch(`/api/v1/datasets/${slug}/query?format=json`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ groupBy: ['dep'], aggregates: [{ fn: 'count' }] }),
      });
      const body = (await response.json()) as { error?: { code?: string; message?: string } };
      return { status: response.status, code: body.error?.code, message: body.error?.message };
    }, DAILY);
    expect(refused).toMatchObject({ status: 429, code: 'quota_exceeded' });
    expect(refused.message).toMatch(/^Budget de confidentialité épuisé/);
    await expectAccessible(page, 'a spent privacy budget');
  });
});

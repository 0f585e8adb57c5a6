/**
 * Browser journey through differential privacy (issue 8): Atmo Occitanie's data steward builds a
 * « Comptages en confidentialité différentielle » offer on its members-only air quality data — the
 * fieldset switched on by the template, the queries the budget pays for, δ asked for Gaussian noise
 * in the schema's words — and publishes it; a researcher of the Université de Toulouse, under the
 * contract it grants, finds the budget beside the builder (ε left as a bar, queries left, the noise
 * of a count), spends it, and reads the clear stop that replaces the builder.
 *
 * Needs the built portal: `npm run build -w @confiance/web` first.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, signIn, startPortal, type Portal } from './portal';

const STEWARD = 'donnees@atmo-occitanie.demo';
const RESEARCHER = 'analyste@universite-de-toulouse.demo';
const SLUG = 'qualite-air-occitanie-moyennes-mensuelles-2018';
const TEMPLATE = 'Comptages en confidentialité différentielle';
const SCREENSHOTS = { form: '/tmp/confiance-privacy-offer.png', budget: '/tmp/confiance-privacy-budget.png' };

let portal: Portal | undefined;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const context = await portal!.newContext();
  contexts.push(context);
  return context.newPage();
}

/** A call from inside the page, with the session's cookie and CSRF token. */
function call(page: Page, method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const session = (await (await fetch('/api/v1/auth/session', { credentials: 'same-origin' })).json()) as { csrfToken: string };
      const response = await fetch(url, {
        method,
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': session.csrfToken },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: (await response.json().catch(() => null)) as unknown };
    },
    { method, url, body },
  );
}

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await portal?.stop();
});

describe('differential privacy, from the offer to the spent budget', () => {
  let offer: string;

  it('a steward builds the offer from the template, δ asked for Gaussian noise, and publishes it', async () => {
    const page = await newPage();
    await signIn(page, STEWARD);
    await page.goto(`/datasets/${SLUG}/offres/nouvelle`);
    await page.getByRole('button', { name: new RegExp(`^${TEMPLATE}`) }).click();
    const fieldset = page.getByRole('group', { name: 'Confidentialité différentielle' });
    await fieldset.waitFor();
    expect(await fieldset.getByRole('switch', { name: /Protéger les agrégats/ }).isChecked()).toBe(true);
    const budget = fieldset.getByRole('textbox', { name: 'Budget ε du contrat' });
    const perQuery = fieldset.getByRole('textbox', { name: 'ε par requête' });
    expect(await budget.inputValue()).toBe('1');
    await fieldset.getByText('le budget suffit pour 10 requêtes').waitFor();
    await perQuery.fill('0,5');
    await fieldset.getByText('le budget suffit pour 2 requêtes').waitFor();
    expect(await page.getByRole('textbox', { name: 'Budget δ' }).count()).toBe(0);

    const mechanism = fieldset.getByRole('combobox', { name: 'Mécanisme de bruit' });
    await mechanism.click();
    await page.getByRole('option', { name: 'Gaussien discret' }).click();
    await page.getByRole('button', { name: 'Publier l’offre' }).click();
    await fieldset.getByText('le bruit gaussien demande un budget δ').waitFor();
    await fieldset.getByRole('textbox', { name: 'Budget δ' }).fill('0,000001');
    await fieldset
      .getByText('le bruit gaussien demande un budget δ')
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    // Back to Laplace before publishing: δ goes away with it.
    await mechanism.click();
    await page.getByRole('option', { name: 'Laplace discret' }).click();
    expect(await fieldset.getByRole('textbox', { name: 'Budget δ' }).count()).toBe(0);
    await fieldset.screenshot({ path: SCREENSHOTS.form });
    await expectAccessible(page, 'the offer form with differential privacy');
    await page.getByRole('button', { name: 'Publier l’offre' }).click();
    await page.waitForURL(new RegExp(`/datasets/${SLUG}$`));
    await page.getByText(`Offre « ${TEMPLATE} » publiée.`).waitFor();
    const offers = (await call(page, 'GET', `/api/v1/datasets/${SLUG}/offers`)).json as {
      items: { id: string; title: string; policy: unknown }[];
    };
    const created = offers.items.find((o) => o.title === TEMPLATE)!;
    expect(JSON.stringify(created.policy)).toContain('discrete_laplace');
    offer = created.id;
  });

  it('a researcher reads the budget beside the builder, spends it, and is stopped clearly', async () => {
    const page = await newPage();
    await signIn(page, RESEARCHER);
    const asked = await call(page, 'POST', '/api/v1/requests', {
      offer,
      organisation: 'universite-de-toulouse',
      purpose: 'dpv:AcademicResearch',
      durationMonths: 6,
      justification: 'Comptages de stations sous confidentialité différentielle.',
    });
    const contract = (asked.json as { contract: string | null }).contract;
    expect(contract, JSON.stringify(asked.json)).toBeTruthy();

    const byDefault = (await call(page, 'GET', `/api/v1/datasets/${SLUG}/query`)).json as { contract: string | null };
    await page.goto(`/datasets/${SLUG}#interroger`);
    const section = page.getByRole('region', { name: 'Interroger' });
    if (byDefault.contract !== contract) {
      // The researcher holds other contracts on the dataset: the one with the budget is chosen.
      await section.getByRole('combobox', { name: 'Contrat utilisé' }).click();
      await page.getByRole('option', { name: new RegExp(contract!.slice(0, 8)) }).click();
    }
    const budget = section.getByRole('region', { name: 'Confidentialité différentielle' });
    await budget.getByText('Chaque requête ajoute un bruit aléatoire').waitFor();
    await budget.getByRole('progressbar', { name: 'Budget ε restant : 1 sur 1' }).waitFor();
    expect(await budget.textContent()).toMatch(/Requêtes encore possibles\s*2/);
    expect(await budget.textContent()).toMatch(/Bruit d’un comptage\s*± \d+ à 95 %/);
    await section.screenshot({ path: SCREENSHOTS.budget });
    await expectAccessible(page, 'the query section with a privacy budget');

    for (let i = 0; i < 2; i++) {
      const spent = await call(page, 'POST', `/api/v1/datasets/${SLUG}/query?format=json`, { contract, aggregates: [{ fn: 'count' }] });
      expect(spent.status, JSON.stringify(spent.json)).toBe(200);
    }
    await page.reload();
    const stop = page.getByRole('alert').filter({ hasText: 'Budget de confidentialité épuisé' });
    await stop.waitFor();
    expect(await stop.textContent()).toContain('un avenant au contrat peut ouvrir un nouveau budget');
    expect(await section.getByRole('tab', { name: 'Constructeur' }).count()).toBe(0);
  });
});

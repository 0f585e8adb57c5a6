/**
 * Browser journey through billing (issue 9), on the demo's paid offer: Montpellier Méditerranée
 * Métropole sells its TaM real-time departures at 0,50 € HT a query (10 % off for members).
 * - An Airbus analyst requests the offer through the wizard and reads the monthly « Estimation »
 *   before sending; Montpellier's data steward approves; the analyst runs three queries, the
 *   « Coût estimé » panel beside the builder giving each one's price.
 * - The operator sets the association's fee to 5 % in « Réglages de facturation ».
 * - Montpellier's administrator opens « Facturation »: this month's provider statement lists the
 *   three queries (once a signed checkpoint covers them), the fee, and « Revérifier » confirms it.
 * - Issuing the invoice to Airbus is first refused because the demo's real identities lack what an
 *   invoice must print (Ekitia's SIREN and address, Montpellier's street address): the operator and
 *   the administrator complete them in the organisation pages' identity editor, then the invoice
 *   is issued, and its PDF and CII XML downloaded.
 * - Toulouse Métropole's analyst reads the Covid observatory's fair return: the region's grant
 *   split 60/40 between Santé publique France and INSEE, step by step.
 *
 * Needs the built portal: `npm run build -w @confiance/web` first.
 */
import fs from 'node:fs/promises';
import type { BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, signIn, startPortal, type Portal } from './portal';

const ANALYST = 'analyste@airbus.demo';
const STEWARD = 'donnees@montpellier-mediterranee-metropole.demo';
const PROVIDER_ADMIN = 'admin@montpellier-mediterranee-metropole.demo';
const OPERATOR = 'operateur@ekitia.demo';
const TOULOUSE_ANALYST = 'analyste@toulouse-metropole.demo';
const PROVIDER = 'montpellier-mediterranee-metropole';
const TAM = 'tam-temps-reel-montpellier';
const OFFER = 'Commercial — 1 000 requêtes';
const PROJECT = 'Observatoire Covid-19 : hospitalisations rapportées à la population';
const GRANT = 'Subvention Région Occitanie — appel à projets Données de santé 2026';
/** A valid SIREN (Luhn) for Ekitia, whose real record has none. */
const EKITIA_SIREN = '130025265';
const QUERIES = 3;

let portal: Portal | undefined;
const contexts: BrowserContext[] = [];
let analyst: Page;
let admin: Page;
let operator: Page;
let steward: Page;

async function newPage(): Promise<Page> {
  const context = await portal!.newContext();
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** Statements and invoices cover UTC months, as the ledger writes times. */
const now = new Date();
const MONTH = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(now);

/** French amounts as the portal prints them: « 1,35 € » with a narrow no-break space before the sign. */
const normalise = (text: string) =>
  text
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const querySection = (page: Page) => page.getByRole('region', { name: 'Interroger' });

/** The text of a fact (dt/dd) in a container, by its label. */
async function fact(page: Page, container: ReturnType<Page['locator']>, label: string): Promise<string> {
  const dd = container.locator('dt', { hasText: label }).first().locator('xpath=following-sibling::dd[1]');
  return normalise(await dd.innerText());
}

async function downloadText(download: Download): Promise<Buffer> {
  const file = await download.path();
  return fs.readFile(file);
}

/** Edits an organisation's identity through its page's « Modifier l’identité ». */
async function completeIdentity(page: Page, slug: string, fields: Record<string, string>): Promise<void> {
  await page.goto(`/organisations/${slug}`);
  await page.getByRole('button', { name: 'Modifier l’identité' }).click();
  const dialog = page.getByRole('dialog', { name: /^Modifier l’identité de / });
  await dialog.waitFor();
  for (const [label, value] of Object.entries(fields)) {
    await dialog.getByRole('textbox', { name: label, exact: true }).fill(value);
  }
  await dialog.getByRole('button', { name: 'Enregistrer' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** From « Factures », « Émettre une facture »: Montpellier 3M to Airbus for this month; the dialog, as the node answered. */
async function issueToAirbus(page: Page) {
  await page.getByRole('button', { name: 'Émettre une facture' }).click();
  const dialog = page.getByRole('dialog', { name: 'Émettre une facture' });
  await dialog.waitFor();
  const provider = dialog.getByRole('combobox', { name: 'Fournisseur (vendeur)' });
  if ((await provider.inputValue()) === '') {
    await provider.click();
    await page.getByRole('option', { name: 'Montpellier 3M' }).click();
  }
  await dialog.getByRole('combobox', { name: 'Consommateur (acheteur)' }).click();
  await page
    .getByRole('option', { name: /^Airbus/ })
    .first()
    .click();
  await dialog.getByRole('combobox', { name: 'Période' }).click();
  await page.getByRole('option', { name: MONTH, exact: true }).click();
  await dialog.getByRole('button', { name: 'Émettre la facture' }).click();
  return dialog;
}

beforeAll(async () => {
  portal = await startPortal();
});

afterEach(async (test) => {
  if (test.task.result?.state !== 'fail') return;
  for (const [i, context] of contexts.entries())
    for (const [j, page] of context.pages().entries())
      await page.screenshot({ path: `/tmp/confiance-billing-failed-${i}-${j}.png`, fullPage: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await portal?.stop();
});

describe('an Airbus analyst requests the paid TaM offer and sees what it would cost', () => {
  it('estimates a month of use in the wizard before sending the request', async () => {
    analyst = await newPage();
    await signIn(analyst, ANALYST);
    await analyst.goto(`/datasets/${TAM}`);
    const card = analyst.getByRole('article').filter({ has: analyst.getByRole('heading', { name: OFFER }) });
    await card.getByRole('link', { name: `Demander l’accès — ${OFFER}` }).click();
    await analyst.waitForURL(/\/offres\/[0-9a-f-]+\/demande$/);
    expect(await analyst.getByRole('combobox', { name: 'Organisation' }).inputValue()).toMatch(/Airbus/);
    const purpose = analyst.getByRole('combobox', { name: 'Finalité' });
    await purpose.fill('commerciale');
    await analyst.getByRole('option', { name: 'Finalité commerciale', exact: true }).click();
    await analyst.getByRole('textbox', { name: 'Durée (mois)' }).fill('12');
    await analyst
      .getByRole('textbox', { name: 'Justification' })
      .fill('Service d’information voyageurs pour nos sites de Montpellier : horaires et retards des lignes TaM.');
    await analyst.getByRole('button', { name: 'Vérifier la demande' }).click();
    await analyst.getByRole('heading', { name: 'Vérifiez la demande avant de l’envoyer' }).waitFor();

    const estimate = analyst.getByRole('region', { name: 'Estimation' });
    await estimate.waitFor();
    expect(normalise(await estimate.innerText())).toContain('0,50 € HT par requête');
    // Typed with the keyboard: 20 queries a month at 0,50 €, 10 % off for a member.
    const queries = estimate.getByRole('textbox', { name: 'Requêtes par mois' });
    await queries.focus();
    await analyst.keyboard.press('ControlOrMeta+a');
    await analyst.keyboard.type('20');
    const result = estimate.getByTestId('offer-estimate-result');
    await expect.poll(async () => fact(analyst, result, 'Total HT'), { timeout: 10_000 }).toBe('9,00 €');
    expect(await fact(analyst, result, 'Total TTC')).toBe('10,80 €');
    expect(await fact(analyst, result, 'TVA')).toBe('1,80 €');
    const lines = estimate.getByRole('table', { name: 'Lignes de l’estimation' });
    const line = normalise(await lines.locator('tbody tr').first().innerText());
    expect(line).toContain('20 requête');
    expect(line).toMatch(/[−-]1,00 € \(10 %\)/);
    await expectAccessible(analyst, 'the request wizard with the estimate');

    await analyst.getByRole('button', { name: 'Envoyer la demande' }).and(analyst.locator(':enabled')).click();
    await analyst.getByRole('heading', { name: 'Envoyée au fournisseur' }).waitFor();
  });

  it('is approved by Montpellier’s data steward through the portal', async () => {
    steward = await newPage();
    await signIn(steward, STEWARD);
    await steward.goto('/demandes?boite=a-traiter');
    const inbox = steward.getByRole('table', { name: 'Demandes à traiter' });
    const row = inbox.getByRole('row').filter({ hasText: OFFER }).filter({ hasText: 'Airbus' });
    await row.getByRole('link').first().click();
    await steward.waitForURL(/\/demandes\/[0-9a-f-]+$/);
    await steward.getByRole('button', { name: 'Approuver', exact: true }).click();
    const dialog = steward.getByRole('dialog', { name: /^Approuver la demande sur « / });
    await dialog.getByRole('button', { name: 'Approuver et signer le contrat' }).click();
    await dialog.waitFor({ state: 'detached' });
    await steward.getByText(/^Accordée le /).waitFor();
  });

  it('runs three queries, each priced beside the builder', async () => {
    await analyst.goto(`/datasets/${TAM}#interroger`);
    const section = querySection(analyst);
    await section.getByRole('button', { name: 'Lancer la requête' }).waitFor();
    const cost = section.getByRole('region', { name: 'Coût estimé' });
    await cost.waitFor();
    expect(normalise(await cost.innerText())).toContain('0,50 € HT par requête');
    expect(await fact(analyst, cost, 'Cette requête')).toBe('0,45 € HT · 0,54 € TTC');
    expect(await fact(analyst, cost, 'Remise adhérent')).toMatch(/^[−-]0,05 € \(10 %\)$/);
    await expectAccessible(analyst, 'the query builder with its estimated cost');
    // Departures counted by line: a small result, priced like any query.
    await section.getByRole('button', { name: 'Ajouter un agrégat' }).click();
    await section.getByRole('combobox', { name: 'Fonction de l’agrégat 1' }).click();
    await analyst.getByRole('option', { name: 'Nombre de lignes', exact: true }).click();
    await section.getByRole('combobox', { name: 'Regrouper par' }).click();
    await analyst.getByRole('option', { name: 'route_short_name', exact: true }).click();
    await analyst.keyboard.press('Escape');
    for (let i = 0; i < QUERIES; i++) {
      await section.getByRole('button', { name: 'Lancer la requête' }).click();
      await section
        .getByRole('table', { name: /^Résultat de la requête/ })
        .or(section.getByRole('alert'))
        .first()
        .waitFor({ timeout: 30_000 });
      expect(await section.getByRole('alert').allInnerTexts(), 'the query is refused').toEqual([]);
      // The next query is asked again; the panel stays.
      await cost.waitFor();
    }
    await expectAccessible(analyst, 'a result with its estimated cost');
  });
});

describe('the operator sets the association’s fee', () => {
  it('records 5 % as a new version of « Réglages de facturation »', async () => {
    operator = await newPage();
    await signIn(operator, OPERATOR);
    await operator.getByRole('link', { name: 'Réglages de facturation' }).first().click();
    await operator.waitForURL(/\/facturation\/reglages$/);
    const percent = operator.getByRole('textbox', { name: /^Commission \(%\)\s*\*?$/ });
    await percent.fill('5');
    await operator.getByRole('button', { name: 'Enregistrer une nouvelle version' }).click();
    await operator.getByText(/^Réglages enregistrés : version \d+\.$/).waitFor();
    await operator.getByText("Commission de l'association : 5 % du montant HT facturé par chaque fournisseur.").waitFor();
    await expectAccessible(operator, 'the billing settings, saved');
  });
});

describe('Montpellier’s administrator reads the month’s statement and invoices Airbus', () => {
  it('sees the three queries as provider, the association’s fee, and « Revérifier » confirms', async () => {
    admin = await newPage();
    await signIn(admin, PROVIDER_ADMIN);
    await admin.getByRole('link', { name: 'Facturation', exact: true }).first().click();
    await admin.waitForURL(/\/facturation(\?.*)?$/);
    await admin.getByRole('radio', { name: 'Fournisseur' }).click();
    await admin.getByRole('heading', { name: `Relevé fournisseur de ${MONTH} — Montpellier 3M` }).waitFor();
    await expectAccessible(admin, 'the statement page');
    // The statement reads the ledger up to its last signed checkpoint: asked again until it covers the queries.
    const lines = admin.getByRole('table', { name: 'Lignes du relevé' });
    await expect
      .poll(
        async () => {
          if ((await lines.count()) === 0) {
            await admin.reload();
            await admin.getByRole('heading', { name: /^Relevé fournisseur de / }).waitFor();
            await admin
              .getByRole('table', { name: 'Lignes du relevé' })
              .or(admin.getByText('Aucun usage facturable sur cette période'))
              .first()
              .waitFor();
          }
          const row = lines.getByRole('row').filter({ hasText: TAM }).filter({ hasText: 'airbus' });
          return (await row.count()) === 0 ? '' : normalise(await row.innerText());
        },
        { timeout: 30_000, interval: 500 },
      )
      .toMatch(new RegExp(`^${TAM}`));
    const row = normalise(await lines.getByRole('row').filter({ hasText: TAM }).filter({ hasText: 'airbus' }).innerText());
    expect(row).toContain('1,35 €');
    expect(row).toContain('1,62 €');
    const fees = admin.getByRole('region', { name: 'Commission de l’association' });
    const feeRow = normalise(await fees.getByRole('row').filter({ hasText: PROVIDER }).innerText());
    expect(feeRow).toContain('5 %');
    expect(feeRow).toContain('0,07 €');
    await admin.getByRole('button', { name: 'Revérifier' }).click();
    await admin.getByText('✓ Le relevé est confirmé').waitFor();
    await expectAccessible(admin, 'the statement, rechecked');
  });

  it('is told what the invoice lacks, and the identities are completed in the organisation pages', async () => {
    await admin.getByRole('link', { name: 'Voir les factures' }).click();
    await admin.waitForURL(/\/facturation\/factures/);
    let dialog = await issueToAirbus(admin);
    await dialog
      .getByRole('alert')
      .getByText(/^Fiche de Ekitia \(association\) incomplète pour facturer : SIREN, adresse, code postal manquant\(s\)\.$/)
      .waitFor();
    await expectAccessible(admin, 'the issue dialog, refused');
    await dialog.getByRole('button', { name: 'Annuler' }).click();

    await completeIdentity(operator, 'ekitia', { SIREN: EKITIA_SIREN, Adresse: '2 esplanade Compans-Caffarelli', 'Code postal': '31000' });
    dialog = await issueToAirbus(admin);
    await dialog
      .getByRole('alert')
      .getByText(/^Fiche de Montpellier 3M \(fournisseur\) incomplète pour facturer : adresse, code postal manquant\(s\)\.$/)
      .waitFor();
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await completeIdentity(admin, PROVIDER, { Adresse: '50 place Zeus', 'Code postal': '34000' });
  });

  it('issues the invoice and downloads its PDF and CII XML', async () => {
    await admin.goto('/facturation/factures');
    await issueToAirbus(admin);
    await admin.waitForURL(/\/facturation\/factures\/[0-9a-f-]+$/);
    const heading = admin.getByRole('heading', { level: 1, name: /^Facture FAC-/ });
    await heading.waitFor();
    const number = normalise(await heading.innerText()).replace(/^Facture /, '');
    expect(number).toMatch(/^FAC-[A-Z0-9-]+-\d{4}-\d{6}$/);
    expect(normalise(await admin.locator('main').innerText())).toContain('1,62 €');
    await expectAccessible(admin, 'the invoice page');

    const [pdf] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('button', { name: 'PDF', exact: true }).click()]);
    expect(pdf.suggestedFilename()).toBe(`${number}.pdf`);
    expect((await downloadText(pdf)).subarray(0, 4).toString('latin1')).toBe('%PDF');
    const [xml] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('button', { name: 'XML (Factur-X / CII)' }).click()]);
    expect(xml.suggestedFilename()).toBe(`${number}.xml`);
    const text = (await downloadText(xml)).toString('utf8');
    expect(text).toContain('CrossIndustryInvoice');
    expect(text).toContain(number);

    await admin.goto('/facturation/factures');
    const list = admin.getByRole('table', { name: 'Factures et avoirs' });
    await list.getByRole('row').filter({ hasText: number }).waitFor();
    await expectAccessible(admin, 'the invoices list');
  });
});

describe('a project with two contributors shows its fair return', () => {
  it('splits the region’s grant 60/40 between Santé publique France and INSEE, step by step', async () => {
    const page = await newPage();
    await signIn(page, TOULOUSE_ANALYST);
    const id = await page.evaluate(async (title) => {
      const body = (await (await fetch('/api/v1/projects', { credentials: 'same-origin' })).json()) as {
        items: { id: string; title: string }[];
      };
      return body.items.find((p) => p.title === title)?.id ?? null;
    }, PROJECT);
    expect(id).not.toBeNull();
    await page.goto(`/projets/${id}`);
    await page.getByRole('heading', { level: 1, name: PROJECT }).waitFor();
    const shares = page.getByRole('table', { name: `Parts de « ${GRANT} »` });
    await shares.waitFor();
    const spf = normalise(await shares.getByRole('row').filter({ hasText: 'Santé publique France' }).innerText());
    const insee = normalise(await shares.getByRole('row').filter({ hasText: 'INSEE' }).innerText());
    expect(spf).toContain('60 %');
    expect(spf).toContain('7 200,00 €');
    expect(insee).toContain('40 %');
    expect(insee).toContain('4 800,00 €');
    await page.getByRole('heading', { name: 'Le calcul, étape par étape' }).first().waitFor();
    const steps = page.getByRole('heading', { name: 'Le calcul, étape par étape' }).first().locator('xpath=following-sibling::ol[1]');
    expect(await steps.locator('li').count()).toBeGreaterThan(1);
    await expectAccessible(page, 'the project page with its fair return');
  });
});

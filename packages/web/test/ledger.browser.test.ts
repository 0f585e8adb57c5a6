/**
 * Browser journey through the ledger on a demo node (its seed records every admitted organisation
 * and every published dataset): a visitor opens the Registre, checks the checkpoint's Ed25519
 * signature and one entry's inclusion with the browser's own WebCrypto; a node that tampers with
 * the inclusion proof is caught by the same button; the operator sees an entry's private details
 * and their commitment checks too; the transparency report names the checkpoint of its figures.
 *
 * Needs the built portal: `npm run build -w @confiance/web` first.
 */
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, signIn, startPortal, type Portal } from './portal';

const OPERATOR = 'operateur@ekitia.demo';
const PROOF_ROUTE = '**/api/v1/ledger/entries/*/proof*';
const SCREENSHOTS = {
  ledger: '/tmp/confiance-ledger-registre.png',
  tampered: '/tmp/confiance-ledger-tampered.png',
  report: '/tmp/confiance-ledger-transparence.png',
};

interface CheckpointView {
  origin: string;
  size: number;
  root: string;
}

let portal: Portal | undefined;
let context: BrowserContext;
let page: Page;
let checkpoint: CheckpointView;

/** French figures as the page writes them: 1 234 with a narrow no-break space. */
const fr = (n: number) => new Intl.NumberFormat('fr-FR').format(n);

beforeAll(async () => {
  portal = await startPortal();
  context = await portal.newContext();
  page = await context.newPage();
  // The demo seed's entries are integrated and signed in a batch right after they are recorded.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${portal.baseUrl}/api/v1/ledger/checkpoint`);
    if (response.ok) {
      checkpoint = (await response.json()) as CheckpointView;
      if (checkpoint.size > 0) break;
    }
    if (Date.now() > deadline) throw new Error('the demo node signed no checkpoint of a non-empty log within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

afterAll(async () => {
  await portal?.stop();
});

function entryOf(p: Page, index: number) {
  return p.getByRole('listitem').filter({ has: p.getByRole('button', { name: `Vérifier l’entrée n° ${fr(index)}`, exact: true }) });
}

describe('a visitor checks the ledger in the browser', () => {
  it('shows the latest checkpoint and verifies its signature with the published key', async () => {
    await page.goto('/membres');
    await page.getByRole('link', { name: 'Registre', exact: true }).click();
    await page.waitForURL(/\/registre$/);
    await page.getByRole('heading', { level: 1, name: 'Registre' }).waitFor();

    const panel = page.getByRole('region', { name: 'Dernier point de contrôle' });
    await panel.getByRole('row', { name: /^Taille/ }).waitFor();
    expect(await panel.getByRole('row', { name: /^Taille/ }).textContent()).toContain(`${fr(checkpoint.size)} entrée`);
    expect(await panel.getByRole('row', { name: /^Racine/ }).textContent()).toContain(checkpoint.root.slice(0, 16));
    expect(await panel.getByRole('row', { name: /^Origine/ }).textContent()).toContain(checkpoint.origin);
    expect(await panel.getByRole('row', { name: /^Clé de vérification/ }).textContent()).toMatch(/\+[0-9a-f]{8}\+/);
    await panel.getByRole('button', { name: 'Copier la clé de vérification' }).waitFor();

    await panel.getByRole('button', { name: 'Vérifier le point de contrôle' }).click();
    const status = panel.getByRole('status');
    await status.getByText(/^Signature valide/).waitFor();
    expect(await status.textContent()).toContain(`taille ${fr(checkpoint.size)}`);
    await expectAccessible(page, 'the Registre');
  });

  it('describes the demo’s facts in French, pages back to older ones, filters by type and verifies an entry’s inclusion', async () => {
    const section = page.getByRole('region', { name: 'Entrées', exact: true });
    const list = section.getByRole('list', { name: 'Entrées du registre' });
    await list.getByRole('listitem').first().waitFor();
    // Newest first: the seed admitted the consortium's organisations, published their datasets,
    // then the charter, its signatures and the offers, and last the requests and their contracts.
    expect(await list.getByRole('listitem').count()).toBe(Math.min(25, checkpoint.size));
    const newest = (await list.textContent()) ?? '';
    expect(newest).toContain('Contrat signé');
    expect(newest).toContain('Demande envoyée');
    await section.getByText(new RegExp(`^${fr(checkpoint.size)} entrées$`)).waitFor();

    // Older pages add 25 entries at a time, down to the offers, the charter and the datasets.
    let shown = 25;
    for (let page_ = 0; page_ < 8 && !((await list.textContent()) ?? '').includes('Charte publiée'); page_++) {
      await page.getByRole('button', { name: 'Entrées plus anciennes' }).click();
      shown = Math.min(shown + 25, checkpoint.size);
      await expect.poll(() => list.getByRole('listitem').count()).toBe(shown);
    }
    const older = (await list.textContent()) ?? '';
    expect(older).toMatch(
      /Changement d’offre : offre créée \(version 1, accord automatique\) sur [a-z0-9-]+ par [a-z0-9-]+, politique SHA-256 [0-9a-f]{12}…/,
    );
    expect(older).toContain('offre créée (version 1, examen par la commission d’éthique) sur ');
    expect(older).toMatch(/Charte signée : version 1\.0 par [a-z0-9-]+/);
    expect(older).toMatch(/Charte publiée : version 1\.0, empreinte SHA-256 [0-9a-f]{12}…/);
    if (!/Jeu publié : /.test(older)) {
      await page.getByRole('button', { name: 'Entrées plus anciennes' }).click();
    }
    await list
      .getByText(/^Jeu publié : [a-z0-9-]+ par [a-z0-9-]+, niveau (Ouvert|Membres|Restreint|Agrégats seulement), licence /)
      .first()
      .waitFor();

    await page.getByRole('combobox', { name: 'Type d’entrée' }).click();
    await page.getByRole('option', { name: 'Membre admis', exact: true }).click();
    await page.waitForURL(/type=member\.admitted/);
    await page
      .getByText(/^\d+ entrées$/)
      .filter({ hasNotText: fr(checkpoint.size) })
      .waitFor();
    const texts = await list.getByRole('listitem').allTextContents();
    expect(texts.length).toBeGreaterThan(5);
    expect(texts.every((text) => text.includes('Membre admis : '))).toBe(true);

    // The newest admission.
    const button = list.getByRole('button', { name: /^Vérifier l’entrée n° / }).first();
    const name = (await button.getAttribute('aria-label')) ?? '';
    const index = Number(name.replace(/\D/g, ''));
    expect(index).toBeLessThan(checkpoint.size);
    await button.click();
    const status = entryOf(page, index).getByRole('status');
    await status.getByText(/^Incluse dans le registre/).waitFor();
    expect(await status.textContent()).toContain(
      `Incluse dans le registre à la position ${fr(index)}, vérifié contre le point de contrôle de taille ${fr(checkpoint.size)}.`,
    );
    // A visitor does not see the details: the commitment is said not to be recomputed.
    expect(await status.textContent()).toContain('Détails non visibles pour vous');
    expect(await status.textContent()).toContain('Le point de contrôle est signé par la clé de vérification du nœud.');
    await page.screenshot({ path: SCREENSHOTS.ledger, fullPage: true });
    await expectAccessible(page, 'the Registre with a verified entry');
  });

  it('reports the failure when the node’s inclusion proof has one byte changed', async () => {
    let tampered = 0;
    const flipOneByte = async (route: Route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { proof: string[] };
      expect(body.proof.length).toBeGreaterThan(0);
      const hash = Buffer.from(body.proof[0]!, 'base64');
      hash[7]! ^= 0x01;
      body.proof[0] = hash.toString('base64');
      tampered += 1;
      await route.fulfill({ response, json: body });
    };
    await page.route(PROOF_ROUTE, flipOneByte);

    const button = page.getByRole('button', { name: /^Vérifier l’entrée n° / }).first();
    const index = Number(((await button.getAttribute('aria-label')) ?? '').replace(/\D/g, ''));
    const status = entryOf(page, index).getByRole('status');
    await button.click();
    await status.getByText(/^Échec de la vérification/).waitFor();
    expect(tampered).toBe(1);
    expect(await status.textContent()).toContain('Échec de la vérification à l’étape « Preuve d’inclusion ».');
    expect(await status.textContent()).toContain('la preuve mène à une autre racine');
    await page.screenshot({ path: SCREENSHOTS.tampered, fullPage: true });
    await expectAccessible(page, 'a failed verification');

    // The same entry verifies again once the node answers honestly: the proof is fetched anew each time.
    await page.unroute(PROOF_ROUTE, flipOneByte);
    await button.click();
    await status.getByText(/^Incluse dans le registre/).waitFor();
  });
});

describe('the operator sees the private details', () => {
  it('shows an entry’s details and checks them against its commitment', async () => {
    const operatorContext = await portal!.newContext();
    const operator = await operatorContext.newPage();
    await signIn(operator, OPERATOR);
    await operator.goto('/registre?type=dataset.published');
    const list = operator.getByRole('list', { name: 'Entrées du registre' });
    const item = list.getByRole('listitem').first();
    await item.waitFor();
    await item.getByText('Détails privés').click();
    const button = item.getByRole('button', { name: /^Vérifier l’entrée n° / });
    await button.click();
    const status = item.getByRole('status');
    await status.getByText(/^Incluse dans le registre/).waitFor();
    expect(await status.textContent()).toContain('SHA-256(sel ‖ détails) redonne l’engagement inscrit.');
    await expectAccessible(operator, 'the Registre, as the operator');
    await operatorContext.close();
  });
});

describe('the transparency report', () => {
  it('draws the figures and names the checkpoint they were computed at', async () => {
    await page.getByRole('link', { name: 'Transparence', exact: true }).click();
    await page.waitForURL(/\/transparence$/);
    await page.getByRole('heading', { level: 1, name: 'Rapport de transparence' }).waitFor();
    const report = (await (await page.request.get('/api/v1/ledger/report')).json()) as {
      checkpoint: CheckpointView;
      entriesByType: { type: string; count: number }[];
      accessesByDataset: unknown[];
      charterSignatures: { version: string; count: number }[];
      offersByAgreement: { agreement: string; count: number }[];
      decisionsByCommission: { commission: string; outcome: string; count: number }[];
    };
    await page.getByText(`Calculé au point de contrôle de taille ${fr(report.checkpoint.size)}`).waitFor();
    expect(await page.getByText(`racine ${report.checkpoint.root.slice(0, 12)}`).count()).toBeGreaterThan(0);

    const byType = page.getByRole('region', { name: 'Entrées par type' });
    await byType.getByRole('img', { name: /^Entrées par type : / }).waitFor();
    expect(await byType.getByRole('img').locator('rect').count()).toBe(report.entriesByType.length);
    const admitted = report.entriesByType.find((r) => r.type === 'member.admitted');
    expect(admitted?.count).toBeGreaterThan(0);
    expect(await byType.getByRole('row', { name: /^Membre admis/ }).textContent()).toContain(fr(admitted!.count));
    // Every section names the checkpoint it was computed at.
    const sections = page.getByRole('region').filter({ hasText: 'Point de contrôle : taille' });
    expect(await sections.count()).toBe(10);
    if (report.accessesByDataset.length === 0) {
      await page.getByRole('region', { name: 'Accès par jeu de données' }).getByText('Aucun accès enregistré pour l’instant.').waitFor();
    }

    // The demo's charter, signed by every member but two, and the offers its stewards keep open.
    const signatures = page.getByRole('region', { name: 'Signatures de la charte par version' });
    const signed = report.charterSignatures.find((r) => r.version === '1.0');
    expect(signed?.count).toBeGreaterThan(0);
    await signatures.getByRole('img', { name: /^Signatures de la charte par version : une seule valeur, Version 1\.0/ }).waitFor();
    expect(await signatures.getByRole('row', { name: /^Version 1\.0/ }).textContent()).toContain(fr(signed!.count));
    const offers = page.getByRole('region', { name: 'Offres d’accès par mode d’accord' });
    const agreements: Record<string, string> = {
      automatic: 'Accord automatique',
      provider_approval: 'Approbation du fournisseur',
      ethics_review: 'Examen par la commission d’éthique',
    };
    expect(report.offersByAgreement.length).toBeGreaterThan(0);
    expect(await offers.getByRole('img').locator('rect').count()).toBe(report.offersByAgreement.length);
    for (const { agreement, count } of report.offersByAgreement) {
      expect(await offers.getByRole('row', { name: new RegExp(`^${agreements[agreement]}`) }).textContent()).toContain(fr(count));
    }

    // The commissions' decisions: the demo's vote on the 2027 budget, adopted.
    const decisions = page.getByRole('region', { name: 'Décisions des commissions' });
    expect(report.decisionsByCommission).toContainEqual(expect.objectContaining({ outcome: 'adopted' }));
    expect(await decisions.getByRole('img').locator('rect').count()).toBe(report.decisionsByCommission.length);
    expect(await decisions.getByRole('row', { name: /adopté/ }).count()).toBeGreaterThan(0);

    await page.getByRole('link', { name: 'Télécharger les chiffres (JSON)' }).waitFor();
    expect(await page.getByRole('link', { name: 'Télécharger les chiffres (JSON)' }).getAttribute('href')).toBe('/api/v1/ledger/report');
    await page.screenshot({ path: SCREENSHOTS.report, fullPage: true });
    await expectAccessible(page, 'the transparency report');
  });
});

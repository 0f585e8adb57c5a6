/**
 * Browser journey through the policies: Qwant's administrator signs the ethics charter from
 * /charte; Atmo Occitanie's data steward builds two offers from templates on its members-only air
 * quality dataset (one for members, one for research, aggregates only); a researcher of the
 * Université de Toulouse checks the research offer for a marketing purpose and is told, in French,
 * that it is refused and why. On a node of its own (the other journeys read version 1.0 as the one
 * in force), the operator publishes version 1.1 from the portal and an administrator finds their
 * organisation back to « Version antérieure signée ».
 *
 * Needs the built portal: `npm run build -w @confiance/web` first.
 */
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, signIn, startPortal, type Portal } from './portal';

const QWANT_ADMIN = 'admin@qwant.demo';
const OPERATOR = 'operateur@ekitia.demo';
const ATMO_ADMIN = 'admin@atmo-occitanie.demo';
const STEWARD = 'donnees@atmo-occitanie.demo';
const RESEARCHER = 'analyste@universite-de-toulouse.demo';
const SLUG = 'qualite-air-occitanie-moyennes-mensuelles-2018';
const MEMBERS_OFFER = 'Membres — accès automatique';
const RESEARCH_OFFER = 'Recherche — agrégé uniquement';
const SCREENSHOTS = {
  charter: '/tmp/confiance-policies-charter.png',
  editor: '/tmp/confiance-policies-editor.png',
  offers: '/tmp/confiance-policies-offers.png',
  decision: '/tmp/confiance-policies-decision.png',
  publish: '/tmp/confiance-policies-charter-publish.png',
  published: '/tmp/confiance-policies-charter-1.1.png',
};

let portal: Portal | undefined;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const context = await portal!.newContext();
  contexts.push(context);
  return context.newPage();
}

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await portal?.stop();
});

describe('an organisation administrator signs the ethics charter', () => {
  let page: Page;

  it('finds Qwant « Non signée » on /charte, with the charter’s text and rules in French', async () => {
    page = await newPage();
    await signIn(page, QWANT_ADMIN);
    await page.getByRole('link', { name: 'Charte', exact: true }).click();
    await page.waitForURL(/\/charte$/);
    await page.getByRole('heading', { level: 1, name: 'Charte éthique' }).waitFor();
    // The machine-readable rules, in sentences, with the French labels of the actions.
    const rules = page.getByRole('region', { name: 'Règles appliquées' });
    await rules.waitFor();
    expect(await rules.textContent()).toContain('réidentifier des personnes');

    const signatures = page.getByRole('table', { name: /^Signatures de la charte/ });
    const qwant = signatures.getByRole('row').filter({ has: page.getByRole('link', { name: 'Qwant', exact: true }) });
    await qwant.waitFor();
    expect(await qwant.textContent()).toContain('Non signée');
    await page.getByRole('alert').filter({ hasText: 'Votre organisation n’a pas signé la charte en vigueur' }).waitFor();

    // The filter keeps only the organisations that have not signed.
    await page.getByText(/^Signée \(\d+\)$/).click();
    await qwant.waitFor({ state: 'detached' });
    await page.getByText(/^Non signée \(\d+\)$/).click();
    await qwant.waitFor();
    await page.screenshot({ path: SCREENSHOTS.charter, fullPage: true });
    await expectAccessible(page, 'the charter page, before signing');
  });

  it('signs for Qwant with the keyboard and sees the table follow', async () => {
    const sign = page.getByRole('button', { name: 'Signer la charte' });
    // Signing without ticking the commitment is refused, and says why.
    await sign.focus();
    await page.keyboard.press('Enter');
    await page.getByText('Cochez la case pour engager l’organisation.').waitFor();

    const commitment = page.getByRole('checkbox', { name: /^J’ai lu la charte \(version [\d.]+\) et je m’engage au nom de Qwant$/ });
    await commitment.focus();
    await page.keyboard.press('Space');
    expect(await commitment.isChecked()).toBe(true);
    await sign.focus();
    await page.keyboard.press('Enter');
    await page.getByText(/^Qwant a signé la charte \(version [\d.]+\)\.$/).waitFor();

    await page.getByText(/^Toutes \(\d+\)$/).click();
    const qwant = page
      .getByRole('table', { name: /^Signatures de la charte/ })
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: 'Qwant', exact: true }) });
    await qwant.getByText(/^Signée \(v[\d.]+\)$/).waitFor();
    expect(await page.getByRole('button', { name: 'Signer la charte' }).count()).toBe(0);
    await expectAccessible(page, 'the charter page, once signed');
  });

  it('reads the charter in English too', async () => {
    await page.getByRole('button', { name: /^EN/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Ethics charter' }).waitFor();
    const rules = page.getByRole('region', { name: 'Rules enforced' });
    expect(await rules.textContent()).toContain('re-identify people');
    await page
      .getByRole('table', { name: /^Charter signatures/ })
      .getByText(/^Signed \(v[\d.]+\)$/)
      .first()
      .waitFor();
    await expectAccessible(page, 'the charter page, in English');
    await page.getByRole('button', { name: /^FR/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Charte éthique' }).waitFor();
  });
});

describe('a data steward offers the members-only air quality data from templates', () => {
  let page: Page;

  async function createFromTemplate(template: string): Promise<void> {
    await page.goto(`/datasets/${SLUG}`);
    await page.getByRole('region', { name: 'Offres d’accès' }).getByRole('link', { name: 'Ajouter une offre' }).click();
    await page.waitForURL(new RegExp(`/datasets/${SLUG}/offres/nouvelle$`));
    await page.getByRole('heading', { level: 1, name: 'Nouvelle offre d’accès' }).waitFor();
    await page.getByRole('button', { name: new RegExp(`^${template}`) }).click();
    await page.getByRole('textbox', { name: 'Titre de l’offre' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Titre de l’offre' }).inputValue()).toBe(template);
    // Checked in the browser with the node's own rules before anything is sent.
    await page.getByText('Aucun problème détecté').waitFor();
  }

  async function publish(title: string): Promise<void> {
    await page.getByRole('button', { name: 'Publier l’offre' }).click();
    await page.waitForURL(new RegExp(`/datasets/${SLUG}$`));
    await page.getByText(`Offre « ${title} » publiée.`).waitFor();
    await page
      .getByRole('article')
      .filter({ has: page.getByRole('heading', { name: title }) })
      .waitFor();
  }

  it('creates a members offer: automatic agreement, rows and aggregates', async () => {
    page = await newPage();
    await signIn(page, STEWARD);
    await page.goto(`/datasets/${SLUG}`);
    const offers = page.getByRole('region', { name: 'Offres d’accès' });
    await offers.getByText('Aucune offre n’est proposée pour ce jeu de données.').waitFor();

    await page.getByRole('link', { name: 'Ajouter une offre' }).click();
    await page.getByRole('heading', { level: 2, name: '1. Choisir un modèle' }).waitFor();
    await expectAccessible(page, 'the offer templates');
    await createFromTemplate(MEMBERS_OFFER);
    expect(await page.getByRole('combobox', { name: 'Mode d’accord' }).inputValue()).toBe('Accord automatique');
    expect(await page.getByRole('checkbox', { name: 'Consulter les lignes' }).isChecked()).toBe(true);
    await publish(MEMBERS_OFFER);
  });

  it('creates an aggregate-only research offer, its ODRL policy in view', async () => {
    await createFromTemplate(RESEARCH_OFFER);
    expect(await page.getByRole('checkbox', { name: 'Interroger en agrégats' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Consulter les lignes' }).isChecked()).toBe(false);
    const preview = page.getByRole('region', { name: 'Aperçu de l’offre' });
    expect(await preview.textContent()).toContain('Finalité : Recherche et développement, ou une finalité plus précise');

    // An offer grants at least one use.
    await page.getByRole('checkbox', { name: 'Interroger en agrégats' }).uncheck();
    await page.getByRole('button', { name: 'Publier l’offre' }).click();
    await page.getByText('Choisissez au moins un usage.').waitFor();
    await page.getByRole('checkbox', { name: 'Interroger en agrégats' }).check();

    await page.getByRole('tab', { name: 'Vue experte (JSON-LD)' }).click();
    const json = page.getByRole('textbox', { name: 'Politique ODRL (JSON-LD)' });
    const policy = JSON.parse(await json.inputValue()) as { permission: { action: string }[]; prohibition: { action: string }[] };
    expect(policy.permission.map((p) => p.action)).toEqual(['cf:queryAggregate']);
    expect(policy.prohibition.length).toBeGreaterThan(0);
    // Broken JSON is pointed at, line and column, before anything is sent.
    await json.fill('{ "permission": [ }');
    await page.getByText(/^JSON invalide, ligne 1, colonne \d+/).waitFor();
    // An unknown action: the preview says so, and so does the node when it is sent anyway.
    await json.fill(JSON.stringify({ ...policy, permission: [{ action: 'cf:teleport' }] }, null, 2));
    await page
      .getByRole('list', { name: /^Problèmes de l’offre/ })
      .getByText('permission[0].action')
      .waitFor();
    await page.getByRole('button', { name: 'Publier l’offre' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Problèmes signalés par le serveur' });
    await refused.getByText('permission[0].action').waitFor();
    expect(await refused.textContent()).toContain('cf:teleport');
    expect(page.url()).toMatch(/\/offres\/nouvelle$/);
    await page.getByRole('button', { name: 'Repartir du formulaire' }).click();
    await page.getByText('Aucun problème détecté').waitFor();
    await page.screenshot({ path: SCREENSHOTS.editor, fullPage: true });
    await expectAccessible(page, 'the offer editor, expert view');
    await page.getByRole('tab', { name: 'Formulaire' }).click();
    await expectAccessible(page, 'the offer editor, form');
    await publish(RESEARCH_OFFER);
  });

  it('shows both offers on the dataset page, in French', async () => {
    const offers = page.getByRole('region', { name: 'Offres d’accès' });
    const research = offers.getByRole('article').filter({ has: page.getByRole('heading', { name: RESEARCH_OFFER }) });
    const members = offers.getByRole('article').filter({ has: page.getByRole('heading', { name: MEMBERS_OFFER }) });
    expect(await research.textContent()).toContain('Interroger en agrégats');
    expect(await research.textContent()).toContain('Finalité : Recherche et développement');
    expect(await research.textContent()).toContain('Accord automatique');
    expect(await members.textContent()).toContain('Consulter les lignes');
    expect(await members.getByRole('button', { name: `Retirer l’offre ${MEMBERS_OFFER}` }).count()).toBe(1);
    await offers.screenshot({ path: SCREENSHOTS.offers });
    await expectAccessible(page, 'the dataset page with its offers');
  });
});

describe('a researcher previews the research offer for a marketing purpose', () => {
  it('asks an anonymous visitor to sign in first', async () => {
    const anonymous = await newPage();
    await anonymous.goto(`/datasets/${SLUG}`);
    const research = anonymous.getByRole('article').filter({ has: anonymous.getByRole('heading', { name: RESEARCH_OFFER }) });
    await research.getByRole('button', { name: 'Vérifier mon éligibilité' }).click();
    await research.getByText('Connectez-vous pour vérifier si votre organisation peut obtenir cette offre.').waitFor();
    expect(await research.getByRole('button', { name: `Retirer l’offre ${RESEARCH_OFFER}` }).count()).toBe(0);
  });

  it('is told « Refusé », constraint by constraint, and that the purpose is why', async () => {
    const page = await newPage();
    await signIn(page, RESEARCHER);
    await page.goto(`/datasets/${SLUG}`);
    const research = page.getByRole('article').filter({ has: page.getByRole('heading', { name: RESEARCH_OFFER }) });
    await research.getByRole('button', { name: 'Vérifier mon éligibilité' }).click();
    expect(await research.getByRole('combobox', { name: 'Organisation' }).inputValue()).toMatch(/Université Toulouse/);
    const purpose = research.getByRole('combobox', { name: 'Finalité' });
    await purpose.fill('Marketing');
    await page.getByRole('option', { name: 'Marketing', exact: true }).click();
    await research.getByRole('textbox', { name: 'Durée (mois)' }).fill('12');
    await research.getByRole('button', { name: 'Vérifier', exact: true }).click();

    await research.getByRole('heading', { name: 'Refusé', exact: true }).waitFor();
    const constraint = research.locator('li[data-state="not_satisfied"]').filter({ hasText: 'Finalité' });
    await constraint.waitFor();
    const text = (await constraint.textContent()) ?? '';
    expect(text).toMatch(/Finalité : Recherche et développement/);
    expect(text).toContain('demandé : Marketing');
    expect(text).toContain('Condition non remplie');
    // The organisation type and the duration do satisfy the offer: only the purpose fails.
    expect(await research.locator('li[data-state="satisfied"]').count()).toBeGreaterThanOrEqual(2);
    await research.screenshot({ path: SCREENSHOTS.decision });
    await expectAccessible(page, 'the decision preview');
  });
});

describe('the steward changes, then retires, the members offer', () => {
  it('saves a new version of the offer from its form', async () => {
    const page = await newPage();
    await signIn(page, STEWARD);
    await page.goto(`/datasets/${SLUG}`);
    await page.getByRole('link', { name: `Modifier l’offre ${MEMBERS_OFFER}` }).click();
    await page.waitForURL(/\/offres\/[0-9a-f-]+\/modifier$/);
    await page.getByRole('heading', { level: 1, name: `Modifier l’offre « ${MEMBERS_OFFER} »` }).waitFor();
    await page.getByRole('textbox', { name: 'Durée d’utilisation (mois)' }).fill('24');
    await page.getByRole('region', { name: 'Aperçu de l’offre' }).getByText('Durée d’utilisation : au plus 24 mois').first().waitFor();
    await expectAccessible(page, 'the offer editor, editing');
    await page.getByRole('button', { name: 'Enregistrer l’offre' }).click();
    await page.waitForURL(new RegExp(`/datasets/${SLUG}$`));
    const members = page.getByRole('article').filter({ has: page.getByRole('heading', { name: MEMBERS_OFFER }) });
    await members.getByText(/^Version 2 de l’offre/).waitFor();
    expect(await members.textContent()).toContain('Durée d’utilisation : au plus 24 mois');

    await members.getByRole('button', { name: `Retirer l’offre ${MEMBERS_OFFER}` }).click();
    const dialog = page.getByRole('dialog', { name: `Retirer l’offre « ${MEMBERS_OFFER} » ?` });
    await dialog.waitFor();
    await expectAccessible(page, 'the retire dialog');
    await dialog.getByRole('button', { name: 'Retirer l’offre' }).click();
    await dialog.getByText('Écrivez au moins 3 caractères.').waitFor();
    await dialog.getByRole('textbox', { name: 'Motif du retrait' }).fill('Remplacée par l’offre de recherche.');
    await dialog.getByRole('button', { name: 'Retirer l’offre' }).click();
    await dialog.waitFor({ state: 'detached' });
    await members.waitFor({ state: 'detached' });

    // Its history stays visible to its provider.
    await page.getByRole('switch', { name: 'Afficher les offres retirées' }).check();
    await members.getByText('Offre retirée : Remplacée par l’offre de recherche.').waitFor();
    expect(await members.getByRole('button', { name: 'Vérifier mon éligibilité' }).count()).toBe(0);
  });
});

describe('the operator publishes version 1.1 of the charter', () => {
  // A node of its own: every other journey of this file expects version 1.0 in force.
  let own: Portal | undefined;
  let page: Page;
  const NEW_SECTION = '7. Données concernant des mineurs';

  beforeAll(async () => {
    own = await startPortal();
  });

  afterAll(async () => {
    await own?.stop();
  });

  const versionInput = () => page.getByRole('textbox', { name: 'Version', exact: true });
  const frenchBody = () => page.getByRole('textbox', { name: 'Texte de la charte en français (Markdown)' });
  const submit = () => page.getByRole('button', { name: 'Publier la nouvelle version' });
  const isFocused = (locator: ReturnType<Page['getByRole']>) => locator.evaluate((el) => el === document.activeElement);

  it('opens the form from /charte, prefilled from version 1.0, with 1.1 proposed and the consequence spelt out', async () => {
    page = await (await own!.newContext()).newPage();
    await signIn(page, OPERATOR);
    // The demo puts charter versions behind the ethics commission's vote (governance.browser.test.ts
    // follows that path); this journey is about publishing at once, so its operator lifts the gate.
    const { csrfToken } = (await (await page.request.get('/api/v1/auth/session')).json()) as { csrfToken: string };
    const lifted = await page.request.put('/api/v1/governance/gates', {
      data: { items: [{ action: 'charter_version', enabled: false }] },
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(lifted.status(), await lifted.text()).toBe(200);
    await page.goto('/charte');
    await page.getByRole('link', { name: 'Publier une nouvelle version' }).click();
    await page.waitForURL(/\/charte\/nouvelle-version$/);
    await page.getByRole('heading', { level: 1, name: 'Publier une nouvelle version de la charte' }).waitFor();

    expect(await versionInput().inputValue()).toBe('1.1');
    expect(await page.getByRole('textbox', { name: 'Titre en français' }).inputValue()).toBe('Charte éthique du partage de données');
    expect(await page.getByRole('textbox', { name: 'Titre en anglais' }).inputValue()).toBe('Data sharing ethics charter');
    expect(await frenchBody().inputValue()).toMatch(/^# Charte éthique du partage de données — version 1\.0/);
    const rules = page.getByRole('region', { name: 'Règles appliquées par le logiciel' });
    expect(await rules.getByRole('checkbox', { name: 'Signature obligatoire' }).isChecked()).toBe(true);
    expect(await rules.getByRole('checkbox', { name: 'Examen éthique des données personnelles' }).isChecked()).toBe(true);
    // The prohibitions of 1.0, with the contract's French labels.
    expect(await rules.textContent()).toContain('réidentifier des personnes');
    expect(await rules.textContent()).toContain('revendre');
    await page.getByText(/les \d+ organisations qui ont signé la version 1\.0 passent aussitôt à « signature à renouveler »/).waitFor();
    await expectAccessible(page, 'the charter publication form');
  });

  it('checks the number and the titles before anything is sent, focusing the field to fix', async () => {
    await versionInput().fill('1.0');
    await submit().click();
    await page.getByText('Le numéro doit suivre la version en vigueur (1.0), par exemple 1.1.').waitFor();
    expect(await isFocused(versionInput())).toBe(true);
    await versionInput().fill('1.1');

    const englishTitle = page.getByRole('textbox', { name: 'Titre en anglais' });
    await englishTitle.fill('Da');
    await submit().click();
    await page.getByText('Écrivez entre 3 et 200 caractères.').waitFor();
    expect(await isFocused(englishTitle)).toBe(true);
    await englishTitle.fill('Data sharing ethics charter');
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('edits the French text, reads it in the preview and adds a prohibition', async () => {
    const text = await frenchBody().inputValue();
    await frenchBody().fill(
      `${text.replace('— version 1.0', '— version 1.1').trimEnd()}\n\n## ${NEW_SECTION}\n\n- Les données concernant des mineurs ne sont partagées qu’en agrégats.\n`,
    );
    const french = page.getByRole('region', { name: 'Texte en français' });
    await french.getByRole('tab', { name: 'Aperçu' }).click();
    await french.getByRole('heading', { name: NEW_SECTION }).waitFor();
    await french.getByRole('heading', { name: 'Charte éthique du partage de données — version 1.1' }).waitFor();
    await expectAccessible(page, 'the charter publication form, French preview');
    // Back to the text with the keyboard.
    await page.keyboard.press('ArrowLeft');
    expect(await french.getByRole('tab', { name: 'Rédaction' }).getAttribute('aria-selected')).toBe('true');
    await frenchBody().waitFor();

    const prohibited = page.getByRole('combobox', { name: 'Actions toujours interdites' });
    await prohibited.click();
    await prohibited.fill('diff');
    await page.getByRole('option', { name: 'diffuser', exact: true }).click();
    await page.keyboard.press('Escape');
    expect(await page.getByRole('region', { name: 'Règles appliquées par le logiciel' }).textContent()).toContain('diffuser');
  });

  it('keeps everything typed when the node refuses the number, and says why beside it', async () => {
    // Another version came into force meanwhile: the node answers as it does then (409, the path in its details).
    const conflict = async (route: Route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      await route.fulfill({
        status: 409,
        json: {
          error: {
            code: 'conflict',
            message: 'La version 1.1 doit suivre la version en vigueur (1.1).',
            details: { issues: [{ path: 'version', message: 'après 1.1' }] },
            requestId: 'req-journey',
          },
        },
      });
    };
    await page.route('**/api/v1/charter/versions', conflict);
    await submit().click();
    const dialog = page.getByRole('dialog', { name: 'Publier la version 1.1 de la charte ?' });
    await dialog.getByRole('button', { name: 'Publier la version 1.1' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByText('Une autre version vient d’être publiée : ce numéro ne suit plus la version en vigueur.', { exact: false })
      .waitFor();
    await page.getByRole('alert').filter({ hasText: 'Rien de ce que vous avez saisi n’est perdu.' }).waitFor();
    expect(await isFocused(versionInput())).toBe(true);
    expect(await frenchBody().inputValue()).toContain(NEW_SECTION);
    expect(await page.getByRole('region', { name: 'Règles appliquées par le logiciel' }).textContent()).toContain('diffuser');
    await page.unroute('**/api/v1/charter/versions', conflict);
  });

  it('confirms, publishes 1.1 and reads it on /charte', async () => {
    await submit().click();
    const dialog = page.getByRole('dialog', { name: 'Publier la version 1.1 de la charte ?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('« signature à renouveler »');
    expect(await dialog.textContent()).toContain('ne peut ni proposer ni obtenir de données non ouvertes');
    // The safe choice has the focus: Enter would not publish by accident.
    expect(await isFocused(dialog.getByRole('button', { name: 'Annuler' }))).toBe(true);
    await page.screenshot({ path: SCREENSHOTS.publish, fullPage: true });
    await expectAccessible(page, 'the charter publication confirmation');
    await dialog.getByRole('button', { name: 'Publier la version 1.1' }).click();

    await page.waitForURL(/\/charte$/);
    await page.getByText('Version 1.1 de la charte publiée : chaque organisation doit maintenant la signer.').waitFor();
    await page.getByText(/^Version 1\.1, publiée le /).waitFor();
    await page.getByRole('heading', { name: NEW_SECTION }).waitFor();
    expect(await page.getByRole('region', { name: 'Règles appliquées' }).textContent()).toContain('diffuser');
    const history = page.getByRole('table', { name: 'Historique des versions' });
    expect(await history.getByRole('row').filter({ hasText: 'En vigueur' }).textContent()).toMatch(/^1\.1/);
    // Nobody has signed 1.1 yet: every organisation that signed 1.0 is to sign again.
    const signatures = page.getByRole('table', { name: 'Signatures de la charte, version 1.1' });
    await signatures.getByText('Version antérieure signée').first().waitFor();
    expect(await signatures.getByText(/^Signée \(v/).count()).toBe(0);
    await page.screenshot({ path: SCREENSHOTS.published, fullPage: true });
    await expectAccessible(page, 'the charter page, version 1.1 just published');
  });

  it('shows Atmo Occitanie’s administrator their organisation back to « Version antérieure signée »', async () => {
    const admin = await (await own!.newContext()).newPage();
    await signIn(admin, ATMO_ADMIN);
    await admin.goto('/charte');
    await admin.getByRole('alert').filter({ hasText: 'Votre organisation n’a pas signé la charte en vigueur (version 1.1)' }).waitFor();
    const atmo = admin
      .getByRole('table', { name: 'Signatures de la charte, version 1.1' })
      .getByRole('row')
      .filter({ has: admin.getByRole('link', { name: 'Atmo Occitanie', exact: true }) });
    await atmo.getByText('Version antérieure signée').waitFor();
    expect(await atmo.textContent()).toContain('version 1.0, le');
    await admin.getByRole('checkbox', { name: 'J’ai lu la charte (version 1.1) et je m’engage au nom de Atmo Occitanie' }).waitFor();
    // Publishing is the operator's: neither the button nor the form is theirs.
    expect(await admin.getByRole('link', { name: 'Publier une nouvelle version' }).count()).toBe(0);
    await admin.goto('/charte/nouvelle-version');
    await admin.getByRole('heading', { level: 1, name: 'Réservé à l’opérateur de la plateforme' }).waitFor();
  });
});

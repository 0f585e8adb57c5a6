/**
 * Browser journey through governance (issue 10): a charter version that waits for the ethics
 * commission's vote.
 * - The operator opens « Gouvernance », sees the five commissions, and puts charter versions behind
 *   the « Commission charte éthique »'s vote (the demo already does: the switch stays on).
 * - The operator proposes version 1.1 of the charter: the form says it will be put to the vote, and
 *   sending it opens the vote instead of publishing — the charter in force is still 1.0.
 * - Two members of the commission vote « Pour » in the portal; the chair votes too, then closes the
 *   vote early: it is adopted, the version is in force, and the decision is in the Registre.
 *
 * Needs the built portal: `npm run build -w @confiance/web` first.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, signIn, startPortal, type Portal } from './portal';

const OPERATOR = 'operateur@ekitia.demo';
const CHAIR = 'ethique@ekitia.demo';
const MEMBERS = ['admin@qwant.demo', 'admin@cnes.demo'];
const QUESTION = 'Adopter la version 1.1 de la charte éthique ?';

let portal: Portal | undefined;
const contexts: BrowserContext[] = [];
let operator: Page;
let voteUrl: string;

async function newPage(): Promise<Page> {
  const context = await portal!.newContext();
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** An API call in the page's session (cookie and CSRF token), for what the journey takes as given. */
async function api(page: Page, method: 'POST' | 'PUT', url: string, data: object): Promise<number> {
  const { csrfToken } = (await (await page.request.get('/api/v1/auth/session')).json()) as { csrfToken: string };
  const response = await page.request.fetch(url, { method, data, headers: { 'x-csrf-token': csrfToken } });
  return response.status();
}

beforeAll(async () => {
  portal = await startPortal();
  operator = await newPage();
  await signIn(operator, OPERATOR);
  // The commission's chair and two members (already so in the demo: appointing again changes nothing).
  expect(await api(operator, 'POST', '/api/v1/commissions/charte-ethique/members', { email: CHAIR, role: 'chair' })).toBeLessThan(300);
  for (const email of MEMBERS) {
    expect(await api(operator, 'POST', '/api/v1/commissions/charte-ethique/members', { email, role: 'member' })).toBeLessThan(300);
  }
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await portal?.stop();
});

describe('a charter version gated by the ethics commission’s vote', { timeout: 120_000 }, () => {
  it('lets the operator put charter versions behind the commission’s vote', async () => {
    await operator.getByRole('link', { name: 'Gouvernance' }).click();
    await operator.waitForURL(/\/commissions$/);
    await operator.getByRole('heading', { level: 1, name: 'Gouvernance' }).waitFor();
    const commissions = operator.getByRole('region', { name: 'Commissions' });
    for (const name of [
      'Commission charte éthique',
      'Commission modèle économique',
      'Commission animation du réseau',
      'Commission projets',
    ]) {
      await commissions.getByRole('link', { name }).waitFor();
    }
    const gates = operator.getByRole('region', { name: 'Décisions soumises au vote' });
    const charterGate = gates.getByRole('switch', { name: 'Soumettre au vote : Adoption d’une version de la charte' });
    if (!(await charterGate.isChecked())) await charterGate.check();
    await gates.getByRole('combobox', { name: 'Commission qui vote : Adoption d’une version de la charte' }).waitFor();
    expect(await gates.getByRole('combobox', { name: 'Commission qui vote : Adoption d’une version de la charte' }).inputValue()).toBe(
      'Commission charte éthique',
    );
    await gates.getByRole('button', { name: 'Enregistrer' }).click();
    await operator.getByText('Réglages des votes préalables enregistrés.').waitFor();
    expect(await charterGate.isChecked()).toBe(true);
    await expectAccessible(operator, 'the governance page, as the operator');

    // The commission's page: its chair and members, and the operator's appointment form.
    await commissions.getByRole('link', { name: 'Commission charte éthique' }).click();
    await operator.getByRole('heading', { level: 1, name: 'Commission charte éthique' }).waitFor();
    const members = operator.getByRole('region', { name: 'Membres' });
    expect(await members.getByRole('row').filter({ hasText: 'Présidence' }).count()).toBe(1);
    await members.getByRole('button', { name: 'Nommer' }).waitFor();
    await expectAccessible(operator, 'a commission page, as the operator');
  });

  it('opens a vote instead of publishing when the operator proposes version 1.1', async () => {
    await operator.goto('/charte/nouvelle-version');
    await operator.getByRole('heading', { level: 1, name: 'Publier une nouvelle version de la charte' }).waitFor();
    await operator.getByText('Soumis au vote de la Commission charte éthique').waitFor();
    expect(await operator.getByRole('textbox', { name: 'Version', exact: true }).inputValue()).toBe('1.1');
    await operator.getByRole('button', { name: 'Publier la nouvelle version' }).click();
    const dialog = operator.getByRole('dialog', { name: 'Publier la version 1.1 de la charte ?' });
    await dialog.getByRole('button', { name: 'Publier la version 1.1' }).click();

    await operator.waitForURL(/\/votes\/[0-9a-f-]{36}$/);
    voteUrl = new URL(operator.url()).pathname;
    await operator.getByText('Version soumise au vote de la Commission charte éthique', { exact: false }).waitFor();
    await operator.getByRole('heading', { level: 1, name: QUESTION }).waitFor();
    const action = operator.getByRole('region', { name: 'Adoption d’une version de la charte' });
    await action.getByText('En attente du vote : rien ne change avant son adoption.').waitFor();
    expect(await action.textContent()).toContain('Publier la version 1.1 de la charte éthique');
    // The operator is no member: no ballot, but may close the vote.
    expect(await operator.getByRole('button', { name: 'Voter' }).count()).toBe(0);
    await operator.getByRole('button', { name: 'Clore le vote maintenant' }).waitFor();
    await expectAccessible(operator, 'a gated vote, as the operator');

    // Nothing changed yet: 1.0 is in force.
    await operator.goto('/charte');
    await operator.getByText(/^Version 1\.0, publiée le /).waitFor();
  });

  it('takes the members’ ballots, one each', async () => {
    for (const email of MEMBERS) {
      const member = await newPage();
      await signIn(member, email);
      await member.goto(voteUrl);
      await member.getByRole('heading', { level: 1, name: QUESTION }).waitFor();
      await member.getByRole('radio', { name: 'Pour' }).check();
      await member.getByRole('button', { name: 'Voter' }).click();
      await member.getByText('Vous avez voté : Pour.').waitFor();
      // Once voted, the ballot is gone; members see who voted what.
      expect(await member.getByRole('button', { name: 'Voter' }).count()).toBe(0);
      await member.getByRole('region', { name: 'Bulletins' }).waitFor();
      if (email === MEMBERS[0]) await expectAccessible(member, 'a vote, once voted');
    }
  });

  it('is closed by the chair: adopted, the version in force, the decision in the Registre', async () => {
    const chair = await newPage();
    await signIn(chair, CHAIR);
    await chair.goto('/commissions/charte-ethique');
    await chair.getByRole('heading', { level: 1, name: 'Commission charte éthique' }).waitFor();
    await expectAccessible(chair, 'the commission page, as its chair');
    await chair.getByRole('link', { name: QUESTION }).click();
    await chair.getByRole('heading', { level: 1, name: QUESTION }).waitFor();
    await chair.getByRole('radio', { name: 'Pour' }).check();
    await chair.getByRole('button', { name: 'Voter' }).click();
    await chair.getByText('Vous avez voté : Pour.').waitFor();

    await chair.getByRole('button', { name: 'Clore le vote maintenant' }).click();
    const dialog = chair.getByRole('dialog', { name: 'Clore le vote avant l’heure ?' });
    await dialog.getByRole('button', { name: 'Clore et décider' }).click();
    await dialog.waitFor({ state: 'detached' });
    await chair.getByRole('alert').filter({ hasText: 'Adopté' }).waitFor();
    await chair.getByText('Adoptée et exécutée', { exact: false }).waitFor();
    const tally = chair.getByRole('region', { name: 'Décompte' });
    expect(await tally.textContent()).toContain('quorum atteint');
    await expectAccessible(chair, 'a decided vote');

    // The version is in force.
    await chair.getByRole('link', { name: 'Voir la charte en vigueur' }).click();
    await chair.waitForURL(/\/charte$/);
    await chair.getByText(/^Version 1\.1, publiée le /).waitFor();

    // The decision is on the record.
    await chair.goto(voteUrl);
    await chair.getByRole('link', { name: /^Voir la décision au registre \(entrée n° / }).click();
    await chair.waitForURL(/\/registre\/\d+$/);
    await chair.getByText(QUESTION, { exact: false }).first().waitFor();
    await chair.getByText('commission charte-ethique', { exact: false }).first().waitFor();
    await expectAccessible(chair, 'the decision in the Registre');

    await chair.goto('/registre?type=charter.published');
    const list = chair.getByRole('list', { name: 'Entrées du registre' });
    await list.getByText('version 1.1', { exact: false }).first().waitFor();

    // And in the public transparency report, by commission and outcome.
    const visitor = await newPage();
    await visitor.goto('/transparence');
    const decisions = visitor.getByRole('region', { name: 'Décisions des commissions' });
    await decisions.getByRole('cell', { name: 'charte-ethique — adopté' }).waitFor();
    await expectAccessible(visitor, 'the transparency report with the commissions’ decisions');
  });
});

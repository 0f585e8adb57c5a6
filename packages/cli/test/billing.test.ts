import fs from 'node:fs/promises';
import path from 'node:path';
import type { BillingSettingsView, EstimateView, InvoiceView, StatementView } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contractThrough,
  makeOrganisation,
  makeUser,
  publishTestDataset,
  signInAs,
  tokenFor,
  type TestNode,
} from '../../server/test/harness';
import { buildProgram } from '../src/main';
import { listeningNode, run } from './run';

/**
 * Billing from the terminal (issue 9), against a real node: a contract priced 0,50 € HT a query,
 * used by three queries; its estimate; the month's statement for the consumer and the provider,
 * re-checked against the ledger; the invoice issued, listed, downloaded (PDF and Factur-X XML),
 * refused a second time, cancelled by a credit note; the accounting export; the operator's
 * settings, which no one else may change.
 */

const thisMonth = () => new Date().toISOString().slice(0, 7);
/** What formatEuros writes between the amount and « € ». */
const euros = (amount: string) => `${amount}\u00a0€`;

describe('confiance billing: the grammar', () => {
  const program = buildProgram({ serving: false });
  const billing = program.commands.find((c) => c.name() === 'billing')!;
  const sub = (name: string) => billing.commands.find((c) => c.name() === name)!;

  it('has its verbs, each with --json and a French description', () => {
    expect(billing.commands.map((c) => c.name())).toEqual(['estimate', 'statements', 'invoices', 'export', 'settings']);
    expect(sub('invoices').commands.map((c) => c.name())).toEqual(['list', 'show', 'issue', 'credit-note', 'download']);
    expect(sub('settings').commands.map((c) => c.name())).toEqual(['set']);
    const verbs = [...billing.commands.filter((c) => c.name() !== 'invoices'), ...sub('invoices').commands, ...sub('settings').commands];
    for (const verb of verbs) {
      expect(verb.options.map((o) => o.long)).toContain('--json');
      expect(verb.description()).toMatch(/^[a-zé]/);
    }
  });
});

// Each step runs the CLI as a child process, several times: slower than the 30 s default on a busy machine.
describe('confiance billing against a running node', { timeout: 120_000 }, () => {
  let node: TestNode;
  let home: string;
  let env: Record<string, string>;
  let contract: string;
  let offer: string;
  const tokens = { providerAdmin: '', consumerAdmin: '', analyst: '', operator: '' };
  const as = (who: keyof typeof tokens, args: string[], cwd?: string) => run(args, { ...env, CONFIANCE_TOKEN: tokens[who] }, '', cwd);
  const json = <T>(stdout: string) => JSON.parse(stdout) as T;

  beforeAll(async () => {
    ({ node, home, env } = await listeningNode('confiance-billing-', { env: { CONFIANCE_CATALOG_PUBLISHER: 'asso-test' } }));
    const address = { address: '12 allée Jean Jaurès', postcode: '31000', city: 'Toulouse' };
    await makeOrganisation(node.ctx, {
      slug: 'asso-test',
      shortName: 'Asso Test',
      category: 'association',
      siren: '390123453',
      vatNumber: 'FR90390123453',
      ...address,
    });
    const provider = await makeOrganisation(node.ctx, {
      slug: 'donnees-test',
      shortName: 'Données Test',
      category: 'company',
      siren: '812345676',
      vatNumber: 'FR19812345676',
      ...address,
    });
    const consumer = await makeOrganisation(node.ctx, {
      slug: 'agro-test',
      shortName: 'Agro Test',
      category: 'company',
      siren: '777777772',
      vatNumber: 'FR74777777772',
      ...address,
    });
    const stewardUser = await makeUser(node.ctx, { organisationId: provider.id, role: 'data_steward' });
    const analystUser = await makeUser(node.ctx, { organisationId: consumer.id, role: 'analyst' });
    const steward = await signInAs(node.app, stewardUser.email);
    const analyst = await signInAs(node.app, analystUser.email);
    const token = async (options: Parameters<typeof makeUser>[1]) =>
      tokenFor(node.app, await signInAs(node.app, (await makeUser(node.ctx, options)).email));
    tokens.providerAdmin = await token({ organisationId: provider.id, role: 'org_admin' });
    tokens.consumerAdmin = await token({ organisationId: consumer.id, role: 'org_admin' });
    tokens.analyst = await tokenFor(node.app, analyst);
    tokens.operator = await token({ platformRoles: ['operator'] });

    const dataset = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'members' })).slug;
    ({ contract, offer } = await contractThrough(node, {
      steward,
      analyst,
      dataset,
      offer: { title: 'Comptages à 0,50 €', terms: { template: 'members', uses: ['aggregate'], plan: { kind: 'per_query', price: 50 } } },
      request: { organisation: consumer.slug },
    }));
    for (let i = 0; i < 3; i++) {
      const response = await node.app.inject({
        method: 'POST',
        url: `/api/v1/datasets/${dataset}/query?format=json`,
        headers: analyst.headers,
        payload: { contract, groupBy: ['code_dep'], aggregates: [{ fn: 'count' }] },
      });
      if (response.statusCode !== 200) throw new Error(`query: ${response.statusCode} ${response.body}`);
    }
    // A statement sees only what a signed checkpoint covers.
    await node.app.confiance.ledger.integrate();
  }, 60_000);
  afterAll(async () => {
    await node?.close();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  describe('estimate', () => {
    it('prices ten more queries under the contract, with the month so far', async () => {
      const human = await as('analyst', ['billing', 'estimate', '--contract', contract, '--queries', '10']);
      expect(human.stderr).toBe('');
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toMatch(new RegExp(`^Tarif +${euros('0,50')} HT par requête$`, 'm'));
      expect(human.stdout).toMatch(/^Preneur +entreprise, adhérent$/m);
      expect(human.stdout).toMatch(new RegExp(`^Requêtes +10 requêtes +${euros('0,50')} +${euros('5,00')} +20\u00a0%$`, 'm'));
      expect(human.stdout).toMatch(new RegExp(`^Total HT +${euros('5,00')}$`, 'm'));
      expect(human.stdout).toMatch(new RegExp(`^Total TTC +${euros('6,00')}$`, 'm'));

      const estimate = json<EstimateView>((await as('analyst', ['billing', 'estimate', '--contract', contract, '--json'])).stdout);
      expect(estimate.usage.queries).toBe(1);
      expect(estimate.totals).toMatchObject({ net: 50, vat: 10, gross: 60 });
      // The month so far matters to a subscription only.
      expect(estimate.month).toBeNull();
    });

    it('prices an offer for an organisation before it asks, and wants one of --contract and --offer', async () => {
      const estimate = await as('consumerAdmin', [
        'billing',
        'estimate',
        '--offer',
        offer,
        '--organisation',
        'agro-test',
        '--queries',
        '4',
        '--json',
      ]);
      expect(estimate.code, estimate.stderr).toBe(0);
      expect(json<EstimateView>(estimate.stdout).totals).toMatchObject({ net: 200, gross: 240 });

      const neither = await as('analyst', ['billing', 'estimate']);
      expect(neither.code).toBe(2);
      expect(neither.stderr).toMatch(/^Erreur : Indiquez soit --contract ID/);
    });
  });

  describe('settings', () => {
    it('are set by the operator, field by field, and shown to every member', async () => {
      const set = await as('operator', [
        'billing',
        'settings',
        'set',
        '--fee-percent',
        '7,5',
        '--category',
        'public_body:2:500',
        '--payment-days',
        '45',
        '--mandate',
        'MF-2026-007',
      ]);
      expect(set.stderr).toBe('');
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toMatch(/^Paramètres de facturation enregistrés : version \d+, entrée \d+ du registre\.$/m);

      const shown = await as('analyst', ['billing', 'settings']);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toMatch(/^Commission +7,5\u00a0% du chiffre d’affaires HT des fournisseurs$/m);
      expect(shown.stdout).toMatch(
        new RegExp(`^Par catégorie +organisme public : commission 2\u00a0%, cotisation ${euros('500,00')} HT par an$`, 'm'),
      );
      expect(shown.stdout).toMatch(/^Délai de paiement +45 jours$/m);
      expect(shown.stdout).toMatch(/^Mandat de facturation +MF-2026-007$/m);
      const settings = json<BillingSettingsView>((await as('analyst', ['billing', 'settings', '--json'])).stdout);
      expect(settings).toMatchObject({
        fee: { percent: '7.5', byCategory: { public_body: { percent: '2', annualDues: 50_000 } } },
        paymentTermsDays: 45,
        mandateReference: 'MF-2026-007',
        credits: null,
      });

      const credits = await as('operator', ['billing', 'settings', 'set', '--credit-value', '10', '--earn-per-query', '2', '--json']);
      expect(credits.code, credits.stderr).toBe(0);
      expect(json<BillingSettingsView>(credits.stdout)).toMatchObject({
        fee: { percent: '7.5' },
        paymentTermsDays: 45,
        credits: { creditValue: 10, earnPerQuery: 2 },
      });
    });

    it('are refused to anyone else, with the node’s French message', async () => {
      const refused = await as('providerAdmin', ['billing', 'settings', 'set', '--fee-percent', '1']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^Erreur : Vous n’avez pas les droits nécessaires pour cette action\. \(forbidden, [\w-]+\)\n$/);
      const invalid = await as('operator', ['billing', 'settings', 'set', '--payment-days', '90']);
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toMatch(/au plus 60 jours/);
      const nothing = await as('operator', ['billing', 'settings', 'set']);
      expect(nothing.code).toBe(2);
      expect(nothing.stderr).toMatch(/^Erreur : Rien à changer/);
    });
  });

  describe('statements', () => {
    it('shows the consumer its month: the contract’s three queries, totals, the fee, the checkpoint', async () => {
      const human = await as('consumerAdmin', ['billing', 'statements', '--organisation', 'agro-test', '--period', thisMonth()]);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toMatch(/^Relevé de agro-test \(preneur\) — \S+ \d{4}, point de contrôle \d+ du registre/);
      expect(human.stdout).toMatch(new RegExp(`^${contract} +\\S+ +donnees-test +3 +9 +${euros('1,50')} +${euros('1,80')} +3$`, 'm'));
      expect(human.stdout).toMatch(new RegExp(`^Total TTC +${euros('1,80')}$`, 'm'));
      // The operator's 7,5 % (set above) of 1,50 €: 0,1125 €, rounded to the cent.
      expect(human.stdout).toMatch(/^ {2}donnees-test : 7,5\u00a0% de 1,50\u00a0€ HT = 0,11\u00a0€ HT$/m);

      const statement = json<StatementView>(
        (await as('consumerAdmin', ['billing', 'statements', '--organisation', 'agro-test', '--period', thisMonth(), '--json'])).stdout,
      );
      expect(statement.lines).toHaveLength(1);
      expect(statement.lines[0]).toMatchObject({ contract, queries: 3, provider: 'donnees-test', consumer: 'agro-test' });
      expect(statement.lines[0]!.entries).toHaveLength(3);
      expect(statement.totals).toMatchObject({ net: 150, vat: 30, gross: 180 });
    });

    it('shows the provider the same line, with the consumer as counterparty', async () => {
      const human = await as('providerAdmin', [
        'billing',
        'statements',
        '--organisation',
        'donnees-test',
        '--period',
        thisMonth(),
        '--role',
        'provider',
      ]);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toMatch(/^CONTRAT +JEU DE DONNÉES +PRENEUR +REQUÊTES/m);
      expect(human.stdout).toMatch(new RegExp(`^${contract} +\\S+ +agro-test +3 `, 'm'));
    });

    it('--recheck has the node recompute the statement from the ledger', async () => {
      const human = await as('consumerAdmin', [
        'billing',
        'statements',
        '--organisation',
        'agro-test',
        '--period',
        thisMonth(),
        '--recheck',
      ]);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toMatch(/^Relevé conforme au journal : /m);
      const scripted = json<{ recheck: { matches: boolean; differences: string[] } }>(
        (
          await as('consumerAdmin', [
            'billing',
            'statements',
            '--organisation',
            'agro-test',
            '--period',
            thisMonth(),
            '--recheck',
            '--json',
          ])
        ).stdout,
      );
      expect(scripted.recheck).toEqual({ matches: true, differences: [] });
    });

    it('is read only by the organisation’s admins and stewards', async () => {
      const refused = await as('analyst', ['billing', 'statements', '--organisation', 'agro-test', '--period', thisMonth()]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^Erreur : .*\(forbidden, [\w-]+\)\n$/);
    });
  });

  describe('invoices', () => {
    let invoice: InvoiceView;
    let feeNumber: string;

    it('are issued by the provider’s admin for a month, then listed and shown', async () => {
      const issued = await as('providerAdmin', [
        'billing',
        'invoices',
        'issue',
        '--provider',
        'donnees-test',
        '--consumer',
        'agro-test',
        '--period',
        thisMonth(),
        '--json',
      ]);
      expect(issued.stderr).toBe('');
      expect(issued.code, issued.stderr).toBe(0);
      invoice = json<InvoiceView>(issued.stdout);
      expect(invoice).toMatchObject({ kind: 'invoice', purpose: 'usage', net: 150, vat: 30, gross: 180, underMandate: true });
      expect(invoice.number).toMatch(/^FAC-/);

      const list = await as('consumerAdmin', ['billing', 'invoices', 'list', '--period', thisMonth()]);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toMatch(
        new RegExp(
          `^${invoice.id} +${invoice.number} +facture \\(usage\\) +donnees-test +agro-test +${thisMonth()} .* ${euros('1,80')} +en vigueur$`,
          'm',
        ),
      );

      const shown = await as('consumerAdmin', ['billing', 'invoices', 'show', invoice.id]);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toMatch(new RegExp(`^Facture +${invoice.number}$`, 'm'));
      expect(shown.stdout).toMatch(/^Vendeur +Données Test \(donnees-test\), facture émise par l’association sous mandat$/m);
      expect(shown.stdout).toMatch(new RegExp(`^Total TTC +${euros('1,80')}$`, 'm'));
    });

    it('download as a PDF and a Factur-X XML named after the invoice number', async () => {
      const folder = await fs.mkdtemp(path.join(home, 'factures-'));
      const both = await as('consumerAdmin', ['billing', 'invoices', 'download', invoice.id], folder);
      expect(both.stderr).toBe('');
      expect(both.code, both.stderr).toBe(0);
      const pdf = await fs.readFile(path.join(folder, `${invoice.number}.pdf`));
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const xml = await fs.readFile(path.join(folder, `${invoice.number}.xml`), 'utf8');
      expect(xml).toContain('CrossIndustryInvoice');
      expect(both.stdout).toContain(`Enregistré : ${path.join(folder, `${invoice.number}.pdf`)}`);

      const named = await as('consumerAdmin', ['billing', 'invoices', 'download', invoice.id, '--xml', path.join(folder, 'facture.xml')]);
      expect(named.code, named.stderr).toBe(0);
      expect(await fs.readFile(path.join(folder, 'facture.xml'), 'utf8')).toBe(xml);
      const again = await as('consumerAdmin', ['billing', 'invoices', 'download', invoice.id, '--pdf'], folder);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/existe déjà : ajoutez --force/);
    });

    it('refuses a second invoice for the same parties and month, saying why', async () => {
      const twice = await as('providerAdmin', [
        'billing',
        'invoices',
        'issue',
        '--provider',
        'donnees-test',
        '--consumer',
        'agro-test',
        '--period',
        thisMonth(),
      ]);
      expect(twice.code).toBe(1);
      expect(twice.stdout).toBe('');
      expect(twice.stderr).toMatch(
        new RegExp(
          `^Erreur : .*${invoice.number}.* Ici : confiance billing invoices credit-note ${invoice.id} --reason … \\(conflict, [\\w-]+\\)\\n$`,
        ),
      );
    });

    it('with --fee, are the association’s fee invoice to the provider, issued by the operator only', async () => {
      const args = ['billing', 'invoices', 'issue', '--fee', '--provider', 'donnees-test', '--period', thisMonth()];
      const refused = await as('providerAdmin', args);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/\(forbidden, [\w-]+\)\n$/);
      const fee = await as('operator', [...args, '--json']);
      expect(fee.code, fee.stderr).toBe(0);
      // 7,5 % of the provider's 1,50 € HT.
      feeNumber = json<InvoiceView>(fee.stdout).number;
      expect(json<InvoiceView>(fee.stdout)).toMatchObject({
        purpose: 'fee',
        seller: { slug: 'asso-test' },
        buyer: { slug: 'donnees-test' },
        underMandate: false,
        net: 11,
      });
      const both = await as('operator', [...args, '--consumer', 'agro-test']);
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/^Erreur : --fee facture la commission/);
    });

    it('are cancelled by a credit note, and all are in the accounting export', async () => {
      const credited = await as('providerAdmin', ['billing', 'invoices', 'credit-note', invoice.id, '--reason', 'Erreur sur le preneur']);
      expect(credited.stderr).toBe('');
      expect(credited.code, credited.stderr).toBe(0);
      const note = new RegExp(`^Avoir (\\S+) émis : il annule la facture ${invoice.number}\\.$`, 'm').exec(credited.stdout);
      expect(note).not.toBeNull();
      expect(credited.stdout).toMatch(/^Motif de l’avoir +Erreur sur le preneur$/m);

      const list = await as('providerAdmin', ['billing', 'invoices', 'list', '--organisation', 'donnees-test']);
      expect(list.stdout).toMatch(new RegExp(`^${invoice.id} +${invoice.number} .* annulée \\(${note![1]}\\)$`, 'm'));

      const csv = await as('providerAdmin', ['billing', 'export', '--period', thisMonth()]);
      expect(csv.code, csv.stderr).toBe(0);
      const rows = csv.stdout.trim().split('\n');
      expect(rows[0]).toMatch(/^numero/);
      // The provider's accounts: its invoice, the credit note cancelling it, and the fee invoice it received.
      expect(rows.slice(1).map((r) => r.split(/[;,]/)[0])).toEqual([invoice.number, note![1], feeNumber].sort());

      const file = path.join(home, 'factures.csv');
      const written = await as('providerAdmin', ['billing', 'export', '--period', thisMonth(), '--output', file]);
      expect(written.code, written.stderr).toBe(0);
      expect(await fs.readFile(file, 'utf8')).toBe(csv.stdout);
    });
  });

  it('takes ids where ids are expected, before asking the node', async () => {
    const result = await as('consumerAdmin', ['billing', 'invoices', 'show', 'FAC-1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/identifiant attendu \(UUID\), voir la colonne ID de « confiance billing invoices list »/);
  });
});

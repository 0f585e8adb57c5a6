import { randomUUID } from 'node:crypto';
import type { OfferTermsInput } from '@confiance/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeStatement, issueMonthlyStatements, statementDigest } from '../src/modules/billing/index';
import { sha256Hex } from '../src/platform/crypto';
import { backends } from './backends';
import { ALLOWED_WARNINGS, describeFindings, errorsOf, runSchematron, validateXsd } from './einvoicing';
import {
  contractThrough,
  expectError,
  makeBillableOrganisation,
  makeUser,
  publishTestDataset,
  signInAs,
  type Caller,
  type TestNode,
  testNode,
} from './harness';

/**
 * Billing over HTTP (issue 9): the operator's settings versioned in the ledger, estimates under a
 * contract and an offer, a subscription's monthly quota, statements through the API, and invoices
 * issued from them — numbered without gaps per seller even when issues race or fail, never issued
 * twice for a month, cancelled only by a credit note, recorded in the ledger with the XML's digest,
 * their CII valid against the official schema, downloadable as PDF and exported as CSV.
 */

const thisMonth = () => new Date().toISOString().slice(0, 7);

describe.each(backends())('billing over HTTP on %s', (backend) => {
  let node: TestNode;
  const associationSlug = `asso-${randomUUID().slice(0, 8)}`;
  let operator: Caller;
  let steward: Caller;
  let providerAdmin: Caller;
  let provider: { id: string; slug: string };
  let dataset: string;
  /** Consumers, each with an analyst, an admin and a per-query contract used once or more. */
  const consumers: { slug: string; id: string; analyst: Caller; admin: Caller; contract: string }[] = [];
  let idle: { slug: string; id: string };
  let subscription: string;

  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, caller: Caller | null, payload?: object) =>
    node.app.inject({ method, url, ...(caller ? { headers: caller.headers } : {}), ...(payload ? { payload } : {}) });
  const ok = async <T>(method: 'GET' | 'POST' | 'PUT', url: string, caller: Caller, payload?: object, status = 200) => {
    const response = await call(method, url, caller, payload);
    expect(response.statusCode, response.body).toBe(status);
    return response.json<T>();
  };
  const count = (contract: string, caller: Caller) =>
    call('POST', `/api/v1/datasets/${dataset}/query?format=json`, caller, {
      contract,
      groupBy: ['code_dep'],
      aggregates: [{ fn: 'count' }],
    });
  const contractFor = (analyst: Caller, consumer: string, terms: OfferTermsInput) =>
    contractThrough(node, { steward, analyst, dataset, offer: { terms }, request: { organisation: consumer } }).then((r) => r.contract);

  beforeAll(async () => {
    node = await testNode(backend, { env: { CONFIANCE_CATALOG_PUBLISHER: associationSlug } });
    await makeBillableOrganisation(node.ctx, { slug: associationSlug, category: 'association', legalName: 'Association Ekitia' });
    const p = await makeBillableOrganisation(node.ctx, { category: 'company' });
    provider = { id: p.id, slug: p.slug };
    operator = await signInAs(node.app, (await makeUser(node.ctx, { platformRoles: ['operator'] })).email);
    steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: p.id, role: 'data_steward' })).email);
    providerAdmin = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: p.id, role: 'org_admin' })).email);
    dataset = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'members' })).slug;
    for (const category of ['research', 'company', 'public_body'] as const) {
      const c = await makeBillableOrganisation(node.ctx, { category });
      const analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: c.id, role: 'analyst' })).email);
      const admin = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: c.id, role: 'org_admin' })).email);
      const contract = await contractFor(analyst, c.slug, {
        template: 'members',
        uses: ['aggregate'],
        plan: { kind: 'per_query', price: 50 },
      });
      consumers.push({ slug: c.slug, id: c.id, analyst, admin, contract });
    }
    const i = await makeBillableOrganisation(node.ctx, { category: 'company' });
    idle = { slug: i.slug, id: i.id };
    for (const c of consumers) expect((await count(c.contract, c.analyst)).statusCode).toBe(200);
    expect((await count(consumers[0]!.contract, consumers[0]!.analyst)).statusCode).toBe(200);
    // A subscription of 2 queries a month, none beyond, for the first consumer.
    subscription = await contractFor(consumers[0]!.analyst, consumers[0]!.slug, {
      template: 'members',
      uses: ['aggregate'],
      plan: { kind: 'subscription', price: 10_000, includedQueries: 2 },
    });
  }, 120_000);
  afterAll(() => node.close());

  describe('operator settings', () => {
    it('start at version 0 (no fee) and are readable by members', async () => {
      const settings = await ok<{ version: number; fee: { percent: string }; association: { slug: string } }>(
        'GET',
        '/api/v1/billing/settings',
        consumers[0]!.analyst,
      );
      expect(settings).toMatchObject({ version: 0, fee: { percent: '0' }, association: { slug: associationSlug } });
    });

    it('refuse anyone but the operator, and bad values with French messages', async () => {
      await expectError(await call('PUT', '/api/v1/billing/settings', providerAdmin, { fee: { percent: '5' } }), 403, 'forbidden');
      const bad = await call('PUT', '/api/v1/billing/settings', operator, { fee: { percent: '5' }, paymentTermsDays: 90 });
      await expectError(bad, 400, 'validation_failed');
      expect(bad.json().error.message).toMatch(/au plus 60 jours/);
    });

    it('record each new version in the ledger with the digest of its settings', async () => {
      const set = await ok<{ version: number; ledgerIndex: number; summary: string[] }>('PUT', '/api/v1/billing/settings', operator, {
        // The provider here is a company: the research rate only shows in the summary.
        fee: { percent: '10', byCategory: { research: { percent: '3' } } },
        paymentTermsDays: 45,
        mandateReference: 'Mandat de facturation 2026-01',
      });
      expect(set.version).toBe(1);
      expect(set.summary[0]).toMatch(/10\s%/);
      expect(set.summary.join(' ')).toMatch(/Commission pour les organismes de recherche : 3\s%\./);
      const { rows } = await sql<{ public: { version: number; sha256: string; feePercent: string } }>`
        select public from ledger_entries where tree_index = ${set.ledgerIndex} and type = 'billing.settings'`.execute(node.ctx.db);
      expect(rows[0]!.public).toMatchObject({ version: 1, feePercent: '10' });
      expect(rows[0]!.public.sha256).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  describe('estimates', () => {
    it('price one query under a contract as the statement will', async () => {
      const estimate = await ok<{ totals: { net: number; vat: number; gross: number }; planSummary: string }>(
        'POST',
        '/api/v1/billing/estimate',
        consumers[1]!.analyst,
        { contract: consumers[1]!.contract, usage: { queries: 3 } },
      );
      expect(estimate.totals).toMatchObject({ net: 150, vat: 30, gross: 180 });
      expect(estimate.planSummary).toMatch(/0,50\s€ HT par requête/);
    });

    it('refuse a stranger to the contract and a contract and an offer at once', async () => {
      await expectError(
        await call('POST', '/api/v1/billing/estimate', consumers[1]!.analyst, { contract: consumers[2]!.contract }),
        403,
        'forbidden',
      );
      await expectError(
        await call('POST', '/api/v1/billing/estimate', consumers[1]!.analyst, { contract: consumers[1]!.contract, offer: randomUUID() }),
        400,
        'validation_failed',
      );
    });

    it('stop a subscription at its monthly quota, and say so before the query', async () => {
      const analyst = consumers[0]!.analyst;
      expect((await count(subscription, analyst)).statusCode).toBe(200);
      expect((await count(subscription, analyst)).statusCode).toBe(200);
      const estimate = await ok<{ month: { queries: number; included: number }; notes: string[] }>(
        'POST',
        '/api/v1/billing/estimate',
        analyst,
        { contract: subscription },
      );
      expect(estimate.month).toMatchObject({ queries: 2, included: 2 });
      expect(estimate.notes.join(' ')).toMatch(/Forfait du mois épuisé/);
      const third = await count(subscription, analyst);
      await expectError(third, 429, 'quota_exceeded');
      expect(third.json().error).toMatchObject({ details: { refusal: 'subscription_quota' } });
      expect(third.json().error.message).toMatch(/2 requêtes sur 2 incluses/);
    });
  });

  describe('statements and invoices', () => {
    beforeAll(() => node.app.confiance.ledger.integrate(), 60_000);

    it('give the provider its statement, with the fee of the settings in force, and re-check it', async () => {
      const url = `/api/v1/billing/statements?organisation=${provider.slug}&period=${thisMonth()}&role=provider`;
      await expectError(await call('GET', url, consumers[0]!.admin), 403, 'forbidden');
      const statement = await ok<{
        lines: { consumer: string; queries: number }[];
        settingsVersion: number;
        feeTotal: number;
        totals: { net: number };
      }>('GET', url, providerAdmin);
      expect(statement.settingsVersion).toBe(1);
      expect(statement.lines.filter((l) => l.consumer === consumers[0]!.slug).reduce((s, l) => s + l.queries, 0)).toBe(4);
      expect(statement.feeTotal).toBe(Math.round(statement.totals.net / 10));
      const recheck = await ok<{ matches: boolean }>('POST', '/api/v1/billing/statements/recheck', providerAdmin, statement);
      expect(recheck.matches).toBe(true);
    });

    it('issue invoices without gaps per seller, even when issues race and some fail', async () => {
      const issue = (consumer: string) =>
        call('POST', '/api/v1/billing/invoices', providerAdmin, {
          purpose: 'usage',
          provider: provider.slug,
          consumer,
          period: thisMonth(),
        });
      // Three real invoices and two with nothing to invoice, all at once.
      const results = await Promise.all([...consumers.map((c) => issue(c.slug)), issue(idle.slug), issue(idle.slug)]);
      const statuses = results.map((r) => r.statusCode);
      expect(statuses.slice(0, 3), results.map((r) => r.body).join('\n')).toEqual([201, 201, 201]);
      for (const failed of results.slice(3)) {
        await expectError(failed, 422, 'invoice_refused');
        expect(failed.json().error.details).toMatchObject({ reason: 'nothing_to_invoice' });
      }
      const numbers = results.slice(0, 3).map((r) => r.json<{ number: string }>().number);
      const seqs = numbers.map((n) => Number(n.slice(-6))).sort();
      expect(seqs).toEqual([1, 2, 3]);
      for (const n of numbers) expect(n).toMatch(/^FAC-[A-Z0-9-]+-\d{4}-\d{6}$/);
    });

    it('refuse a second invoice for the same month, and a consumer issuing the provider’s invoice', async () => {
      const body = { purpose: 'usage', provider: provider.slug, consumer: consumers[1]!.slug, period: thisMonth() };
      const again = await call('POST', '/api/v1/billing/invoices', providerAdmin, body);
      await expectError(again, 409, 'conflict');
      expect(again.json().error.message).toMatch(/existe déjà|couvre déjà/);
      await expectError(await call('POST', '/api/v1/billing/invoices', consumers[1]!.admin, body), 403, 'forbidden');
    });

    it('record each invoice in the ledger with the digest of its XML, and let both parties read it', async () => {
      const { items } = await ok<{ items: { id: string; number: string; buyer: { slug: string }; gross: number; ledgerIndex: number }[] }>(
        'GET',
        `/api/v1/billing/invoices?organisation=${provider.slug}`,
        providerAdmin,
      );
      const invoice = items.find((i) => i.buyer.slug === consumers[0]!.slug)!;
      const xml = await call('GET', `/api/v1/billing/invoices/${invoice.id}/xml`, consumers[0]!.analyst);
      expect(xml.statusCode).toBe(200);
      expect(xml.headers['content-type']).toMatch(/application\/xml/);
      expect(xml.body).toContain('CrossIndustryInvoice');
      expect(xml.body).toContain(invoice.number);
      const { rows } = await sql<{ public: Record<string, unknown> }>`
        select public from ledger_entries where tree_index = ${invoice.ledgerIndex}`.execute(node.ctx.db);
      expect(rows[0]!.public).toMatchObject({
        organisation: provider.slug,
        buyer: consumers[0]!.slug,
        invoice: invoice.number,
        kind: 'invoice',
        underMandate: true,
        amountCents: invoice.gross,
        xmlSha256: sha256Hex(xml.body),
      });
      // 2 queries at 0,50 € HT and the month's subscription of 100 € HT (its 2 queries included), VAT 20 %.
      expect(invoice.gross).toBe(12_120);
      const detail = await ok<{ notes: string[]; entries: number[] }>('GET', `/api/v1/billing/invoices/${invoice.id}`, consumers[0]!.admin);
      expect(detail.notes.join(' ')).toMatch(/au nom et pour le compte de/);
      expect(detail.entries).toHaveLength(4);
      await expectError(await call('GET', `/api/v1/billing/invoices/${invoice.id}`, consumers[1]!.admin), 403, 'forbidden');
      const pdf = await call('GET', `/api/v1/billing/invoices/${invoice.id}/pdf`, consumers[0]!.admin);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('write XML valid against the CII D16B and Factur-X EN16931 schemas and the EN 16931, Factur-X and BR-FR rules, public buyer included', async () => {
      const { items } = await ok<{ items: { id: string; number: string }[] }>('GET', '/api/v1/billing/invoices', operator);
      const docs = await Promise.all(
        items.map(async (i) => ({
          name: `${i.number}.xml`,
          xml: (await call('GET', `/api/v1/billing/invoices/${i.id}/xml`, operator)).body,
        })),
      );
      for (const schema of ['cii-d16b', 'factur-x-en16931'] as const) {
        const errors = await validateXsd(docs, schema);
        for (const [name, messages] of errors) expect(messages, `${schema} ${name}`).toEqual([]);
      }
      // The business rules once (the same XML on both backends): EN 16931, Factur-X and BR-FR.
      if (backend !== 'pglite') return;
      const svrl = await runSchematron(docs, ['en16931', 'factur-x', 'br-fr']);
      for (const [sheet, byDocument] of Object.entries(svrl))
        for (const [name, findings] of byDocument) {
          expect(describeFindings(errorsOf(findings)), `${sheet} ${name}`).toEqual([]);
          expect(
            findings.filter((f) => !ALLOWED_WARNINGS.has(f.id)).map((f) => f.id),
            `${sheet} ${name}`,
          ).toEqual([]);
        }
    }, 120_000);

    it('cancel an invoice only by a credit note, which takes the next number, and then allow a new invoice', async () => {
      const { items } = await ok<{ items: { id: string; number: string; buyer: { slug: string } }[] }>(
        'GET',
        `/api/v1/billing/invoices?organisation=${provider.slug}`,
        providerAdmin,
      );
      const original = items.find((i) => i.buyer.slug === consumers[2]!.slug)!;
      await expectError(
        await call('POST', `/api/v1/billing/invoices/${original.id}/credit-note`, consumers[2]!.admin, { reason: 'Erreur de tarif' }),
        403,
        'forbidden',
      );
      const credit = await ok<{ number: string; kind: string; corrects: { number: string }; gross: number }>(
        'POST',
        `/api/v1/billing/invoices/${original.id}/credit-note`,
        providerAdmin,
        { reason: 'Erreur de tarif' },
        201,
      );
      expect(credit).toMatchObject({ kind: 'credit_note', corrects: { number: original.number } });
      expect(credit.number).toMatch(/^AVO-.*-000004$/);
      await expectError(
        await call('POST', `/api/v1/billing/invoices/${original.id}/credit-note`, providerAdmin, { reason: 'Encore' }),
        409,
        'conflict',
      );
      const reissued = await ok<{ number: string }>(
        'POST',
        '/api/v1/billing/invoices',
        providerAdmin,
        { purpose: 'usage', provider: provider.slug, consumer: consumers[2]!.slug, period: thisMonth() },
        201,
      );
      expect(reissued.number).toMatch(/-000005$/);
      const shown = await ok<{ creditedBy: { number: string } }>('GET', `/api/v1/billing/invoices/${original.id}`, providerAdmin);
      expect(shown.creditedBy.number).toBe(credit.number);
      const { rows } = await sql<{ public: { amountCents: number; corrects: string } }>`
        select public from ledger_entries where type = 'invoice.issued' and public->>'invoice' = ${credit.number}`.execute(node.ctx.db);
      expect(rows[0]!.public).toMatchObject({ amountCents: -credit.gross, corrects: original.number });
    });

    it('let the association invoice its fee to the provider in its own sequence (operator only)', async () => {
      const body = { purpose: 'fee', provider: provider.slug, period: thisMonth() };
      await expectError(await call('POST', '/api/v1/billing/invoices', providerAdmin, body), 403, 'forbidden');
      const fee = await ok<{ number: string; underMandate: boolean; seller: { slug: string }; buyer: { slug: string }; net: number }>(
        'POST',
        '/api/v1/billing/invoices',
        operator,
        body,
        201,
      );
      expect(fee).toMatchObject({ underMandate: false, seller: { slug: associationSlug }, buyer: { slug: provider.slug } });
      expect(fee.number).toMatch(/-000001$/);
      expect(fee.net).toBeGreaterThan(0);
    });

    it('export the invoices and credit notes as CSV, credit notes negative', async () => {
      const csv = await call('GET', `/api/v1/billing/export?organisation=${provider.slug}`, providerAdmin);
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      const rows = csv.body
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      expect(rows[0]).toMatch(/^numero;type;objet;date/);
      expect(rows.filter((r) => r.includes(';avoir;'))).toHaveLength(1);
      expect(rows.find((r) => r.includes(';avoir;'))).toMatch(/;-\d+,\d\d;/);
      // 5 of the provider's documents and the association's fee invoice (the provider is its buyer).
      expect(rows).toHaveLength(1 + 6);
    });

    it('refuse an invoice naming a party whose billing identity is incomplete, without taking a number', async () => {
      const analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: idle.id, role: 'analyst' })).email);
      const contract = await contractFor(analyst, idle.slug, {
        template: 'members',
        uses: ['aggregate'],
        plan: { kind: 'per_query', price: 50 },
      });
      expect((await count(contract, analyst)).statusCode).toBe(200);
      await node.app.confiance.ledger.integrate();
      await sql`update organisations set address = null where id = ${idle.id}`.execute(node.ctx.db);
      const body = { purpose: 'usage', provider: provider.slug, consumer: idle.slug, period: thisMonth() };
      const refused = await call('POST', '/api/v1/billing/invoices', providerAdmin, body);
      await expectError(refused, 422, 'invoice_refused');
      expect(refused.json().error).toMatchObject({ details: { reason: 'identity_incomplete', missing: ['adresse'] } });
      expect(refused.json().error.message).toMatch(/incomplète pour facturer/);
      await sql`update organisations set address = '2 rue de Metz' where id = ${idle.id}`.execute(node.ctx.db);
      const issued = await ok<{ number: string }>('POST', '/api/v1/billing/invoices', providerAdmin, body, 201);
      expect(issued.number).toMatch(/-000006$/);
    });

    it('pin each closed month’s statements in the ledger, once, comparable with a later recomputation', async () => {
      const period = thisMonth();
      expect((await issueMonthlyStatements(node.ctx, period)).waiting).toMatch(/pas terminée/);
      const [year, month] = period.split('-').map(Number) as [number, number];
      const afterTheMonth = new Date(Date.UTC(year, month, 1, 1));
      await node.app.confiance.ledger.integrate();
      const first = await issueMonthlyStatements(node.ctx, period, afterTheMonth);
      // The provider, and each organisation that used its data (the three consumers and the idle one).
      expect(first).toMatchObject({ period, issued: 5, waiting: null });
      expect((await issueMonthlyStatements(node.ctx, period, afterTheMonth)).issued).toBe(0);
      const { rows } = await sql<{ public: { sha256: string; amountCents: number; role: string; feeCents: number } }>`
        select public from ledger_entries where type = 'statement.issued' and public->>'organisation' = ${provider.slug}`.execute(
        node.ctx.db,
      );
      expect(rows).toHaveLength(1);
      await node.app.confiance.ledger.integrate();
      const later = await computeStatement(node.ctx, { organisation: provider.slug, period, role: 'provider' });
      expect(rows[0]!.public).toMatchObject({ role: 'provider', amountCents: later.totals.gross, feeCents: later.feeTotal });
      expect(rows[0]!.public.sha256).toBe(statementDigest(later));
    });

    it('credit providers with contribution credits when the operator turns them on, in the statement and its re-check', async () => {
      await ok('PUT', '/api/v1/billing/settings', operator, {
        fee: { percent: '10' },
        credits: { earnPerQuery: 2, earnPer1000Units: 0, creditValue: 10 },
      });
      const url = `/api/v1/billing/statements?organisation=${provider.slug}&period=${thisMonth()}&role=provider`;
      const statement = await ok<{ lines: { queries: number }[]; credits: { provider: string; credits: number; explanation: string }[] }>(
        'GET',
        url,
        providerAdmin,
      );
      const queries = statement.lines.reduce((n, l) => n + l.queries, 0);
      expect(statement.credits).toEqual([expect.objectContaining({ provider: provider.slug, queries, credits: 2 * queries })]);
      expect(statement.credits[0]!.explanation).toMatch(/crédits/);
      expect((await ok<{ matches: boolean }>('POST', '/api/v1/billing/statements/recheck', providerAdmin, statement)).matches).toBe(true);
      const tampered = { ...statement, credits: [{ ...statement.credits[0]!, credits: 1_000 }] };
      const recheck = await ok<{ matches: boolean; differences: string[] }>(
        'POST',
        '/api/v1/billing/statements/recheck',
        providerAdmin,
        tampered,
      );
      expect(recheck.matches).toBe(false);
      expect(recheck.differences.join(' ')).toMatch(/Crédits de contribution/);
    });
  });
});

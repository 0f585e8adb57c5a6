import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends';
import { expectError, makeOrganisation, makeUser, publishTestDataset, signInAs, testNode, type Caller, type TestNode } from './harness';

/**
 * Requests, ethics review and contracts over HTTP, on both databases: agreed at once, by the
 * provider, after the ethics commission; the lifecycle (suspend, resume, terminate, amend); every
 * step in the ledger; and revocation effective on the very next request, even under concurrency.
 */

const CHECKLIST = {
  project: { safe: true, note: 'Projet de recherche en santé publique, finalité claire.' },
  people: { safe: true, note: 'Chercheurs habilités, formés au secret statistique.' },
  setting: { safe: true, note: 'Traitement sur le nœud, aucun export de lignes.' },
  data: { safe: true, note: 'Agrégats seulement, secret statistique appliqué.' },
  outputs: { safe: true, note: 'Résultats relus avant publication.' },
};

describe.each(backends())('requests and contracts on %s', (backend) => {
  let node: TestNode;
  let provider: { id: string; slug: string };
  let consumer: { id: string; slug: string };
  let steward: Caller;
  let providerAdmin: Caller;
  let analyst: Caller;
  let analystEmail: string;
  let consumerAdmin: Caller;
  let reviewer: Caller;
  let outsider: Caller;
  const inject = (method: 'GET' | 'POST', url: string, caller?: Caller, payload?: object) =>
    node.app.inject({ method, url, ...(caller ? { headers: caller.headers } : {}), ...(payload ? { payload } : {}) });
  const types = async () =>
    (await node.ctx.db.selectFrom('ledger_entries').select('type').orderBy('tree_index').execute()).map((e) => e.type);

  async function offer(dataset: string, body: object): Promise<string> {
    const response = await inject('POST', `/api/v1/datasets/${dataset}/offers`, steward, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>().id;
  }
  const request = (offerId: string, caller = analyst, extra: object = {}) =>
    inject('POST', '/api/v1/requests', caller, {
      offer: offerId,
      organisation: consumer.slug,
      purpose: 'dpv:AcademicResearch',
      durationMonths: 12,
      justification: 'Thèse sur la qualité de l’air et la santé respiratoire.',
      ...extra,
    });

  let membersDataset: string;
  let restrictedDataset: string;
  let healthDataset: string;
  let membersOffer: string;
  let restrictedOffer: string;
  let healthOffer: string;

  beforeAll(async () => {
    node = await testNode(backend);
    provider = await makeOrganisation(node.ctx, { shortName: 'Fournisseur', category: 'public_body' });
    consumer = await makeOrganisation(node.ctx, { shortName: 'Laboratoire', category: 'research' });
    const other = await makeOrganisation(node.ctx, { category: 'company' });
    steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: provider.id, role: 'data_steward' })).email);
    providerAdmin = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: provider.id, role: 'org_admin' })).email);
    const a = await makeUser(node.ctx, { organisationId: consumer.id, role: 'analyst' });
    analystEmail = a.email;
    analyst = await signInAs(node.app, a.email);
    consumerAdmin = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: consumer.id, role: 'org_admin' })).email);
    reviewer = await signInAs(node.app, (await makeUser(node.ctx, { platformRoles: ['ethics_member'] })).email);
    outsider = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: other.id, role: 'org_admin' })).email);
    membersDataset = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'members', licence: 'odbl-1.0' }))
      .slug;
    restrictedDataset = (
      await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'restricted', licence: 'odbl-1.0' })
    ).slug;
    healthDataset = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'aggregate_only' })).slug;
    membersOffer = await offer(membersDataset, {
      title: 'Membres',
      agreement: 'automatic',
      terms: { template: 'members', uses: ['rows', 'download'] },
    });
    restrictedOffer = await offer(restrictedDataset, {
      title: 'Recherche',
      agreement: 'provider_approval',
      terms: {
        template: 'research_aggregate',
        uses: ['rows', 'download'],
        purposes: ['dpv:ResearchAndDevelopment'],
        partyTypes: ['research'],
        durationMonths: 24,
      },
    });
    healthOffer = await offer(healthDataset, {
      title: 'Santé',
      agreement: 'ethics_review',
      terms: { template: 'research_aggregate', uses: ['aggregate'], purposes: ['dpv:ResearchAndDevelopment'], durationMonths: 12 },
    });
  });
  afterAll(() => node.close());

  describe('an automatic offer whose constraints hold', () => {
    let contract: string;

    it('is agreed at once: a contract signed by the node, each acceptance and the signature in the ledger', async () => {
      expectError(await inject('GET', `/api/v1/datasets/${membersDataset}/download`, analyst), 403, 'forbidden');
      const before = (await types()).length;
      const response = await request(membersOffer);
      expect(response.statusCode, response.body).toBe(201);
      const body = response.json<{ stage: string; state: string; contract: string; decision: { outcome: string } }>();
      expect(body).toMatchObject({ stage: 'agreed', state: 'FINALIZED', decision: { outcome: 'permit' } });
      contract = body.contract;
      expect((await types()).slice(before)).toEqual([
        'request.created',
        'request.decided',
        'contract.accepted',
        'contract.accepted',
        'contract.signed',
      ]);
      const view = (await inject('GET', `/api/v1/contracts/${contract}`, analyst)).json<{
        jws: string;
        agreement: Record<string, unknown>;
        state: string;
        grant: { uses: string[] };
      }>();
      expect(view.state).toBe('active');
      expect(view.grant.uses).toEqual(['rows', 'download']);
      expect(view.agreement['@type']).toBe('Agreement');
      expect(await node.app.confiance.contracts.signer.verify(view.jws)).toEqual(view.agreement);
      const key = (await inject('GET', '/api/v1/contract-key')).json<{ alg: string; kid: string }>();
      expect(key).toMatchObject({ alg: 'EdDSA', kid: node.app.confiance.contracts.signer.kid });
    });

    it('gives the people it names what it grants, and nobody else', async () => {
      expect((await inject('GET', `/api/v1/datasets/${membersDataset}/download`, analyst)).statusCode).toBe(200);
      // The consumer's admin is not among the contract's users.
      expectError(await inject('GET', `/api/v1/datasets/${membersDataset}/download`, consumerAdmin), 403, 'forbidden');
      expectError(await inject('GET', `/api/v1/contracts/${contract}`, outsider), 403, 'forbidden');
    });

    it('prints as a PDF', async () => {
      const pdf = await inject('GET', `/api/v1/contracts/${contract}/pdf`, analyst);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('is terminated by the provider, and access stops on the very next requests, even concurrent ones', async () => {
      const downloads = () =>
        Promise.all(Array.from({ length: 8 }, () => inject('GET', `/api/v1/datasets/${membersDataset}/download`, analyst)));
      const during = downloads();
      const terminated = await inject('POST', `/api/v1/contracts/${contract}/terminate`, providerAdmin, { reason: 'Fin du partenariat' });
      expect(terminated.statusCode, terminated.body).toBe(200);
      expect(terminated.json()).toMatchObject({
        state: 'terminated',
        transferState: 'TERMINATED',
        terminationReason: 'Fin du partenariat',
      });
      // Requests that overlapped the termination may have gone either way; every one after it is refused.
      for (const r of await during) expect([200, 403]).toContain(r.statusCode);
      for (const r of await downloads()) expect(r.statusCode).toBe(403);
      expect((await types()).at(-1)).toBe('contract.terminated');
      expectError(await inject('POST', `/api/v1/contracts/${contract}/terminate`, consumerAdmin, { reason: 'encore' }), 409, 'conflict');
      expectError(await inject('POST', `/api/v1/contracts/${contract}/resume`, steward, { reason: 'reprise' }), 409, 'conflict');
    });

    it('tells the consumer in the notifications', async () => {
      const list = (await inject('GET', '/api/v1/notifications', analyst)).json<{ items: { kind: string }[]; unread: number }>();
      expect(list.items.map((n) => n.kind)).toEqual(expect.arrayContaining(['contract.signed', 'contract.terminated']));
      expect(list.unread).toBeGreaterThan(0);
      expect((await inject('POST', '/api/v1/notifications/read-all', analyst)).statusCode).toBe(200);
      expect((await inject('GET', '/api/v1/notifications', analyst)).json<{ unread: number }>().unread).toBe(0);
    });
  });

  describe('an offer that needs the provider’s approval', () => {
    it('refuses a request whose purpose the offer does not allow, with the decision, writing nothing', async () => {
      const before = (await types()).length;
      const error = expectError(await request(restrictedOffer, analyst, { purpose: 'dpv:Marketing' }), 409, 'conflict');
      expect((error.details as { decision: { outcome: string } }).decision.outcome).toBe('deny');
      expect((await types()).length).toBe(before);
    });

    it('refuses acting for another organisation and unknown users', async () => {
      expectError(await request(restrictedOffer, outsider), 403, 'forbidden');
      expectError(await request(restrictedOffer, analyst, { users: ['personne@ailleurs.test'] }), 400, 'validation_failed');
    });

    it('waits for the provider; two approvals racing make one contract', async () => {
      const created = (await request(restrictedOffer, analyst, { users: [analystEmail] })).json<{
        id: string;
        stage: string;
        can: { approve: boolean };
      }>();
      expect(created).toMatchObject({ stage: 'provider_review', can: { approve: false } });
      expectError(await inject('POST', `/api/v1/requests/${created.id}/approve`, consumerAdmin, {}), 403, 'forbidden');
      const [a, b] = await Promise.all([
        inject('POST', `/api/v1/requests/${created.id}/approve`, steward, {}),
        inject('POST', `/api/v1/requests/${created.id}/approve`, providerAdmin, {}),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const contracts = await node.ctx.db.selectFrom('contracts').select('id').where('request_id', '=', created.id).execute();
      expect(contracts).toHaveLength(1);
      expect((await inject('GET', `/api/v1/datasets/${restrictedDataset}/preview`, analyst)).statusCode).toBe(200);
    });

    it('is refused with a reason the requester reads, or withdrawn by the requester', async () => {
      const r1 = (await request(restrictedOffer)).json<{ id: string }>();
      const refused = await inject('POST', `/api/v1/requests/${r1.id}/reject`, steward, {
        reason: 'Le projet ne relève pas de la recherche.',
      });
      expect(refused.json()).toMatchObject({ stage: 'refused', state: 'TERMINATED', reason: 'Le projet ne relève pas de la recherche.' });
      expectError(await inject('POST', `/api/v1/requests/${r1.id}/approve`, steward, {}), 409, 'conflict');
      const r2 = (await request(restrictedOffer)).json<{ id: string }>();
      expectError(await inject('POST', `/api/v1/requests/${r2.id}/withdraw`, steward, { reason: 'pas à moi' }), 403, 'forbidden');
      const withdrawn = await inject('POST', `/api/v1/requests/${r2.id}/withdraw`, analyst, { reason: 'Plus nécessaire' });
      expect(withdrawn.json()).toMatchObject({ stage: 'withdrawn' });
      expect((await types()).at(-1)).toBe('request.withdrawn');
    });
  });

  describe('health data, after an ethics review', () => {
    let id: string;
    it('goes to the ethics commission first; the provider cannot approve before it', async () => {
      const created = (await request(healthOffer)).json<{ id: string; stage: string }>();
      id = created.id;
      expect(created.stage).toBe('ethics_review');
      expectError(await inject('POST', `/api/v1/requests/${id}/approve`, steward, {}), 409, 'conflict');
      const queue = (await inject('GET', '/api/v1/reviews', reviewer)).json<{ items: { id: string }[] }>();
      expect(queue.items.map((r) => r.id)).toContain(id);
      expectError(await inject('GET', '/api/v1/reviews', analyst), 403, 'forbidden');
    });

    it('is reviewed with the Five Safes only by the commission; conditions are required when set', async () => {
      expectError(
        await inject('POST', `/api/v1/requests/${id}/review`, steward, { decision: 'approved', checklist: CHECKLIST }),
        403,
        'forbidden',
      );
      expectError(
        await inject('POST', `/api/v1/requests/${id}/review`, reviewer, { decision: 'conditions', checklist: CHECKLIST }),
        400,
        'validation_failed',
      );
      const reviewed = await inject('POST', `/api/v1/requests/${id}/review`, reviewer, {
        decision: 'conditions',
        checklist: CHECKLIST,
        conditions: 'Publier seulement des effectifs supérieurs à 10.',
      });
      expect(reviewed.json()).toMatchObject({
        stage: 'provider_review',
        review: { decision: 'conditions', conditions: 'Publier seulement des effectifs supérieurs à 10.' },
      });
      expect((await types()).at(-1)).toBe('ethics.decided');
    });

    it('becomes a contract carrying the commission’s conditions once the provider approves; no rows ever', async () => {
      const approved = (await inject('POST', `/api/v1/requests/${id}/approve`, steward, {})).json<{ contract: string }>();
      const contract = (await inject('GET', `/api/v1/contracts/${approved.contract}`, analyst)).json<{
        conditions: string;
        grant: { aggregateOnly: boolean };
      }>();
      expect(contract.conditions).toBe('Publier seulement des effectifs supérieurs à 10.');
      expect(contract.grant.aggregateOnly).toBe(true);
      expectError(await inject('GET', `/api/v1/datasets/${healthDataset}/preview`, analyst), 403, 'forbidden');
    });
  });

  describe('the lifecycle of a contract', () => {
    let contract: string;
    let dataset: string;
    beforeAll(async () => {
      // Its own dataset: no other contract of the analyst's grants anything on it.
      dataset = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'restricted', licence: 'odbl-1.0' }))
        .slug;
      const ownOffer = await offer(dataset, {
        title: 'Recherche',
        agreement: 'provider_approval',
        terms: { template: 'research_aggregate', uses: ['rows', 'download'], purposes: ['dpv:ResearchAndDevelopment'], durationMonths: 12 },
      });
      const created = (await request(ownOffer)).json<{ id: string }>();
      contract = (await inject('POST', `/api/v1/requests/${created.id}/approve`, steward, {})).json<{ contract: string }>().contract;
    });

    it('is suspended and resumed by the provider only; access follows', async () => {
      expectError(await inject('POST', `/api/v1/contracts/${contract}/suspend`, consumerAdmin, { reason: 'essai' }), 403, 'forbidden');
      expect((await inject('POST', `/api/v1/contracts/${contract}/suspend`, steward, { reason: 'Audit en cours' })).json()).toMatchObject({
        state: 'suspended',
      });
      expectError(await inject('GET', `/api/v1/datasets/${dataset}/download`, analyst), 403, 'forbidden');
      expect((await inject('POST', `/api/v1/contracts/${contract}/resume`, steward, { reason: 'Audit terminé' })).json()).toMatchObject({
        state: 'active',
      });
      expect((await inject('GET', `/api/v1/datasets/${dataset}/download`, analyst)).statusCode).toBe(200);
    });

    it('is amended by a proposal one party makes and the other accepts: a new signed version', async () => {
      const proposed = await inject('POST', `/api/v1/contracts/${contract}/amendments`, consumerAdmin, {
        durationMonths: 18,
        reason: 'Prolongation de la thèse',
      });
      const amendment = proposed.json<{ pendingAmendment: { id: string } }>().pendingAmendment.id;
      expectError(
        await inject('POST', `/api/v1/contracts/${contract}/amendments/${amendment}/decide`, consumerAdmin, { accept: true }),
        403,
        'forbidden',
      );
      const accepted = (
        await inject('POST', `/api/v1/contracts/${contract}/amendments/${amendment}/decide`, providerAdmin, { accept: true })
      ).json<{
        version: number;
        jws: string;
        agreement: unknown;
        pendingAmendment: unknown;
      }>();
      expect(accepted).toMatchObject({ version: 2, pendingAmendment: null });
      expect(await node.app.confiance.contracts.signer.verify(accepted.jws)).toEqual(accepted.agreement);
      expect((await types()).slice(-3)).toEqual(['contract.accepted', 'contract.accepted', 'contract.amended']);
    });

    it('expires at its end: the sweep records it and access stops', async () => {
      await node.ctx.db
        .updateTable('contracts')
        .set({ valid_until: new Date(Date.now() - 1000) })
        .where('id', '=', contract)
        .execute();
      expectError(await inject('GET', `/api/v1/datasets/${dataset}/download`, analyst), 403, 'forbidden');
      expect(await node.app.confiance.contracts.sweep()).toBeGreaterThanOrEqual(1);
      expect((await inject('GET', `/api/v1/contracts/${contract}`, analyst)).json()).toMatchObject({
        state: 'expired',
        transferState: 'COMPLETED',
      });
      expect(await types()).toContain('contract.expired');
    });
  });

  it('answers 404, never a 500, to identifiers that are not UUIDs', async () => {
    for (const url of [
      '/api/v1/contracts/pas-un-uuid',
      '/api/v1/requests/pas-un-uuid',
      '/api/v1/offers/pas-un-uuid',
      '/api/v1/contracts/pas-un-uuid/pdf',
    ]) {
      expectError(await inject('GET', url, analyst), 404, 'not_found');
    }
    expectError(await inject('POST', '/api/v1/requests/pas-un-uuid/approve', steward, {}), 404, 'not_found');
  });

  it('refuses requests on a retired offer', async () => {
    await inject('POST', `/api/v1/offers/${restrictedOffer}/retire`, steward, { reason: 'Remplacée' });
    expectError(await request(restrictedOffer), 410, 'offer_retired');
  });

  it('carries a paid offer’s plan into the agreement and the grant; paying does not stop the request (issue 9)', async () => {
    const plan = { kind: 'per_units', unit: 'rows', price: 200, categoryPrices: { research: 100 }, memberDiscount: '10' };
    const paid = await offer(membersDataset, {
      title: 'Au volume',
      agreement: 'automatic',
      terms: { template: 'members', uses: ['rows'], plan },
    });
    const shown = (await inject('GET', `/api/v1/offers/${paid}`, analyst)).json<{ price: { summary: string; details: string[] } }>();
    expect(shown.price.summary).toBe('2,00\u00a0€ HT les 1\u202f000 lignes');
    expect(shown.price.details).toContain('Recherche : 1,00\u00a0€ HT les 1\u202f000 lignes');
    const response = await request(paid);
    expect(response.statusCode, response.body).toBe(201);
    const contract = response.json<{ contract: string }>().contract;
    const view = (await inject('GET', `/api/v1/contracts/${contract}`, analyst)).json<{ grant: { plan: unknown } }>();
    const expected = { ...plan, publicInterestPrice: null, vatRate: 'S-20' };
    expect(view.grant.plan).toEqual(expected);
    expect((await inject('GET', `/api/v1/contracts/${contract}/grant`, analyst)).json<{ plan: unknown }>().plan).toEqual(expected);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends';
import {
  expectError,
  makeOrganisation,
  makeUser,
  publishTestDataset,
  signInAs,
  SMALL_CSV,
  testNode,
  uploadFile,
  type Caller,
  type TestNode,
} from './harness';

/**
 * The charter, offers and the decision preview over HTTP, on both databases: who may publish and
 * sign, what an unsigned organisation can no longer do, offers from templates and as JSON-LD with
 * every refusal naming its path, nothing half-written, every change in the ledger.
 */

const CHARTER = {
  version: '1.0',
  title: { fr: 'Charte éthique de test', en: 'Test ethics charter' },
  body: {
    fr: '# Charte\n\nLes membres partagent leurs données dans le respect des personnes.',
    en: '# Charter\n\nMembers share data respecting people.',
  },
  rules: {
    signatureRequired: true,
    personalDataAggregateOnly: true,
    personalDataEthicsReview: true,
    prohibitedActions: ['cf:reidentify', 'sell'],
    favouredPurposes: ['dpv:PublicBenefit', 'dpv:ResearchAndDevelopment'],
  },
};

const RESEARCH_TERMS = {
  template: 'research_aggregate',
  uses: ['aggregate'],
  purposes: ['dpv:ResearchAndDevelopment'],
  partyTypes: ['research', 'public_body'],
  durationMonths: 12,
};

describe.each(backends())('policies on %s', (backend) => {
  let node: TestNode;
  let provider: { id: string; slug: string };
  let consumer: { id: string; slug: string };
  let operator: Caller;
  let providerAdmin: Caller;
  let steward: Caller;
  let consumerAdmin: Caller;
  let analyst: Caller;
  let membersDataset: { id: string; slug: string };
  const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, caller?: Caller, payload?: object) =>
    node.app.inject({ method, url, ...(caller ? { headers: caller.headers } : {}), ...(payload ? { payload } : {}) });
  const ledgerTypes = async () =>
    (await node.ctx.db.selectFrom('ledger_entries').select(['type', 'public']).orderBy('tree_index').execute()).map((e) => ({
      type: e.type,
      public: e.public as Record<string, unknown>,
    }));

  beforeAll(async () => {
    node = await testNode(backend);
    provider = await makeOrganisation(node.ctx, { shortName: 'Fournisseur', category: 'public_body' });
    consumer = await makeOrganisation(node.ctx, { shortName: 'Laboratoire', category: 'research' });
    operator = await signInAs(node.app, (await makeUser(node.ctx, { platformRoles: ['operator'] })).email);
    providerAdmin = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: provider.id, role: 'org_admin' })).email);
    steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: provider.id, role: 'data_steward' })).email);
    consumerAdmin = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: consumer.id, role: 'org_admin' })).email);
    analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: consumer.id, role: 'analyst' })).email);
    membersDataset = await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'members', licence: 'odbl-1.0' });
  });
  afterAll(() => node.close());

  describe('before any charter is published', () => {
    it('answers 404 for the charter and lets members see members-level data (nothing to sign yet)', async () => {
      expectError(await inject('GET', '/api/v1/charter'), 404, 'not_found');
      const preview = await inject('GET', `/api/v1/datasets/${membersDataset.slug}/preview`, analyst);
      expect(preview.statusCode).toBe(200);
    });
  });

  describe('publishing the charter', () => {
    it('is refused to anyone but the operator', async () => {
      expectError(await inject('POST', '/api/v1/charter/versions', providerAdmin, CHARTER), 403, 'forbidden');
      expectError(await inject('POST', '/api/v1/charter/versions', undefined, CHARTER), 401, 'unauthenticated');
    });

    it('refuses invalid rules naming the field', async () => {
      const error = expectError(
        await inject('POST', '/api/v1/charter/versions', operator, {
          ...CHARTER,
          rules: { ...CHARTER.rules, favouredPurposes: ['dpv:Nonsense'] },
        }),
        400,
        'validation_failed',
      );
      expect(JSON.stringify(error.details)).toContain('favouredPurposes');
    });

    it('publishes version 1.0, records its hash in the ledger, and makes it the charter in force', async () => {
      const response = await inject('POST', '/api/v1/charter/versions', operator, CHARTER);
      expect(response.statusCode).toBe(201);
      const body = response.json<{ version: string; sha256: string; current: boolean; signatureCount: number }>();
      expect(body).toMatchObject({ version: '1.0', current: true, signatureCount: 0 });
      expect(body.sha256).toMatch(/^[0-9a-f]{64}$/);
      const current = (await inject('GET', '/api/v1/charter')).json<{ version: string; rules: { prohibitedActions: string[] } }>();
      expect(current.version).toBe('1.0');
      expect(current.rules.prohibitedActions).toEqual(['cf:reidentify', 'sell']);
      expect(await ledgerTypes()).toContainEqual({ type: 'charter.published', public: { version: '1.0', sha256: body.sha256 } });
    });

    it('refuses a version that does not follow the one in force', async () => {
      expectError(await inject('POST', '/api/v1/charter/versions', operator, CHARTER), 409, 'conflict');
      expectError(await inject('POST', '/api/v1/charter/versions', operator, { ...CHARTER, version: '0.9' }), 409, 'conflict');
    });
  });

  describe('when an organisation has not signed the charter in force', () => {
    it('is listed as unsigned, and only its admin may sign', async () => {
      const list = (await inject('GET', '/api/v1/charter/signatures', consumerAdmin)).json<{
        items: { organisation: { slug: string }; current: boolean; canSign: boolean }[];
        currentVersion: string;
      }>();
      expect(list.currentVersion).toBe('1.0');
      expect(list.items.find((i) => i.organisation.slug === consumer.slug)).toMatchObject({ current: false, canSign: true });
      expect(list.items.find((i) => i.organisation.slug === provider.slug)).toMatchObject({ current: false, canSign: false });
    });

    it('no longer sees members-level rows, and is told why', async () => {
      expectError(await inject('GET', `/api/v1/datasets/${membersDataset.slug}/preview`, analyst), 403, 'forbidden');
      const view = (await inject('GET', `/api/v1/datasets/${membersDataset.slug}`, analyst)).json<{
        access: { preview: boolean; reason: string };
      }>();
      expect(view.access.preview).toBe(false);
      expect(view.access.reason).toMatch(/charte/);
    });

    it('cannot offer non-open data: 403 charter_not_signed saying where to sign, nothing written', async () => {
      const before = (await ledgerTypes()).length;
      const error = expectError(
        await inject('POST', `/api/v1/datasets/${membersDataset.slug}/offers`, steward, {
          title: 'Membres',
          agreement: 'automatic',
          terms: { template: 'members', uses: ['rows'] },
        }),
        403,
        'charter_not_signed',
      );
      expect(error.message).toMatch(/Charte/);
      expect((await ledgerTypes()).length).toBe(before);
      const offers = (await inject('GET', `/api/v1/datasets/${membersDataset.slug}/offers`)).json<{ total: number }>();
      expect(offers.total).toBe(0);
    });
  });

  describe('signing', () => {
    it('refuses an analyst and the admin of another organisation', async () => {
      expectError(
        await inject('POST', `/api/v1/members/${consumer.slug}/charter-signature`, analyst, { version: '1.0' }),
        403,
        'forbidden',
      );
      expectError(
        await inject('POST', `/api/v1/members/${consumer.slug}/charter-signature`, providerAdmin, { version: '1.0' }),
        403,
        'forbidden',
      );
    });

    it('refuses a version that is not in force', async () => {
      const error = expectError(
        await inject('POST', `/api/v1/members/${consumer.slug}/charter-signature`, consumerAdmin, { version: '0.9' }),
        409,
        'charter_outdated',
      );
      expect(error.message).toContain('1.0');
    });

    it('signs once (201), then answers the same signature (200), with one ledger entry', async () => {
      const first = await inject('POST', `/api/v1/members/${consumer.slug}/charter-signature`, consumerAdmin, { version: '1.0' });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({ signedVersion: '1.0', current: true });
      const again = await inject('POST', `/api/v1/members/${consumer.slug}/charter-signature`, consumerAdmin, { version: '1.0' });
      expect(again.statusCode).toBe(200);
      const signed = (await ledgerTypes()).filter((e) => e.type === 'charter.signed');
      expect(signed).toEqual([{ type: 'charter.signed', public: { organisation: consumer.slug, version: '1.0' } }]);
      expect(
        (await inject('POST', `/api/v1/members/${provider.slug}/charter-signature`, providerAdmin, { version: '1.0' })).statusCode,
      ).toBe(201);
    });

    it('gives members-level rows back on the very next request', async () => {
      expect((await inject('GET', `/api/v1/datasets/${membersDataset.slug}/preview`, analyst)).statusCode).toBe(200);
    });
  });

  describe('offers', () => {
    let membersOffer: string;
    let researchOffer: string;

    it('creates a members offer from its template, with the charter’s prohibitions and a ledger entry', async () => {
      const response = await inject('POST', `/api/v1/datasets/${membersDataset.slug}/offers`, steward, {
        title: 'Membres — accès automatique',
        agreement: 'automatic',
        terms: { template: 'members', uses: ['rows', 'aggregate'] },
      });
      expect(response.statusCode).toBe(201);
      const offer = response.json<{
        id: string;
        uses: string[];
        version: number;
        canManage: boolean;
        policy: { '@type': string; uid: string; prohibition: { action: string }[] };
        rules: { kind: string; actionLabel: string; duties: string[] }[];
      }>();
      membersOffer = offer.id;
      expect(offer).toMatchObject({ uses: ['aggregate', 'rows'], version: 1, canManage: true });
      expect(offer.policy['@type']).toBe('Offer');
      expect(offer.policy.uid).toMatch(new RegExp(`/offers/${offer.id}$`));
      expect(offer.policy.prohibition.map((p) => p.action)).toEqual(['cf:reidentify', 'sell']);
      expect(offer.rules.filter((r) => r.kind === 'prohibition').map((r) => r.actionLabel)).toEqual([
        'réidentifier des personnes',
        'revendre',
      ]);
      expect(offer.rules[0]!.duties).toEqual(['citer la source']);
      // Issue 9: the form's plan defaults to free, whatever the template proposes in the editor.
      expect(response.json<{ plan: unknown; price: unknown }>()).toMatchObject({
        plan: { kind: 'free' },
        price: { summary: 'Gratuit', details: [] },
      });
      expect((await ledgerTypes()).filter((e) => e.type === 'offer.changed').at(-1)!.public).toMatchObject({
        dataset: membersDataset.slug,
        provider: provider.slug,
        offer: offer.id,
        change: 'created',
        version: 1,
        agreement: 'automatic',
      });
    });

    it('creates an aggregate-only research offer and lists both, in French', async () => {
      const response = await inject('POST', `/api/v1/datasets/${membersDataset.slug}/offers`, steward, {
        title: 'Recherche — agrégé uniquement',
        agreement: 'provider_approval',
        terms: RESEARCH_TERMS,
      });
      expect(response.statusCode).toBe(201);
      researchOffer = response.json<{ id: string }>().id;
      const list = (await inject('GET', `/api/v1/datasets/${membersDataset.slug}/offers`)).json<{
        items: { id: string; canManage: boolean; rules: { constraints: string[] }[] }[];
      }>();
      expect(list.items.map((o) => o.id)).toEqual([membersOffer, researchOffer]);
      expect(list.items.every((o) => !o.canManage)).toBe(true);
      expect(list.items[1]!.rules[0]!.constraints).toContain('Finalité : Recherche et développement, ou une finalité plus précise');
      expect(list.items[1]!.rules[0]!.constraints).toContain('Durée d’utilisation : au plus 12 mois');
    });

    const refusals: [string, () => { dataset?: 'members' | 'nc' | 'aggregate'; body: object }, number, string, string | RegExp][] = [
      [
        'an unknown ODRL action in the expert JSON-LD',
        () => ({
          body: {
            title: 'Expert',
            agreement: 'automatic',
            policy: {
              '@context': 'http://www.w3.org/ns/odrl.jsonld',
              '@type': 'Offer',
              permission: [{ action: 'frobnicate' }],
              prohibition: [{ action: 'cf:reidentify' }, { action: 'sell' }],
            },
          },
        }),
        400,
        'invalid_policy',
        'permission[0].action',
      ],
      [
        'JSON-LD without the ODRL context',
        () => ({
          body: { title: 'Expert', agreement: 'automatic', policy: { '@type': 'Offer', permission: [{ action: 'cf:queryRows' }] } },
        }),
        400,
        'invalid_policy',
        '@context',
      ],
      [
        'a commercial purpose on CC BY-NC data',
        () => ({
          dataset: 'nc',
          body: {
            title: 'Commercial',
            agreement: 'provider_approval',
            terms: { template: 'commercial', uses: ['aggregate'], purposes: ['dpv:CommercialPurpose'] },
          },
        }),
        400,
        'invalid_policy',
        'permission[0].constraint[0].rightOperand',
      ],
      [
        'rows on aggregate-only data',
        () => ({
          dataset: 'aggregate',
          body: { title: 'Lignes', agreement: 'provider_approval', terms: { ...RESEARCH_TERMS, uses: ['rows'] } },
        }),
        400,
        'invalid_policy',
        'permission[0].action',
      ],
      [
        'an automatic agreement on aggregate-only data',
        () => ({ dataset: 'aggregate', body: { title: 'Auto', agreement: 'automatic', terms: RESEARCH_TERMS } }),
        400,
        'invalid_policy',
        'agreement',
      ],
      [
        'a column the dataset does not have',
        () => ({
          body: { title: 'Colonnes', agreement: 'automatic', terms: { template: 'members', uses: ['rows'], columns: ['salaire'] } },
        }),
        400,
        'invalid_policy',
        'permission[0].constraint[0].rightOperand',
      ],
      [
        'an unknown DPV purpose in the form',
        () => ({
          body: { title: 'Finalité', agreement: 'automatic', terms: { template: 'members', uses: ['rows'], purposes: ['dpv:Nonsense'] } },
        }),
        400,
        'validation_failed',
        /terms\.purposes\.0/,
      ],
      [
        'both a form and a policy',
        () => ({ body: { title: 'Les deux', agreement: 'automatic', terms: RESEARCH_TERMS, policy: {} } }),
        400,
        'validation_failed',
        /terms/,
      ],
      [
        'a paid plan priced at nothing',
        () => ({
          body: {
            title: 'Payante',
            agreement: 'automatic',
            terms: { template: 'members', uses: ['rows'], plan: { kind: 'per_query', price: 0 } },
          },
        }),
        400,
        'validation_failed',
        /terms\.plan\.price/,
      ],
      [
        'an expert price (compensate) that does not say its kind of plan',
        () => ({
          body: {
            title: 'Expert payante',
            agreement: 'automatic',
            policy: {
              '@context': ['http://www.w3.org/ns/odrl.jsonld', { cf: 'https://w3id.org/confiance/odrl#' }],
              '@type': 'Offer',
              permission: [
                {
                  action: 'cf:queryRows',
                  duty: [
                    {
                      action: [
                        {
                          'rdf:value': { '@id': 'odrl:compensate' },
                          refinement: [
                            {
                              leftOperand: 'payAmount',
                              operator: 'eq',
                              rightOperand: { '@value': '5.00', '@type': 'xsd:decimal' },
                              unit: 'http://dbpedia.org/resource/Euro',
                            },
                          ],
                        },
                      ],
                    },
                  ],
                },
              ],
              prohibition: [{ action: 'cf:reidentify' }, { action: 'sell' }],
            },
          },
        }),
        400,
        'invalid_policy',
        'permission[0].duty[0].action.refinement',
      ],
    ];

    let ncDataset: string;
    let aggregateDataset: string;
    beforeAll(async () => {
      ncDataset = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'members', licence: 'cc-by-nc-4.0' }))
        .slug;
      aggregateDataset = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'aggregate_only' })).slug;
    });

    it.each(refusals)('refuses %s, naming the path, and writes nothing', async (_, make, status, code, path) => {
      const { dataset, body } = make();
      const slug = dataset === 'nc' ? ncDataset : dataset === 'aggregate' ? aggregateDataset : membersDataset.slug;
      const before = (await ledgerTypes()).length;
      const count = async () =>
        Number(
          (
            await node.ctx.db
              .selectFrom('offers')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const offers = await count();
      const error = expectError(await inject('POST', `/api/v1/datasets/${slug}/offers`, steward, body), status, code);
      const paths = (error.details as { issues: { path: string }[] }).issues.map((i) => i.path);
      expect(paths.some((p) => (typeof path === 'string' ? p === path : path.test(p)))).toBe(true);
      expect((await ledgerTypes()).length).toBe(before);
      expect(await count()).toBe(offers);
    });

    it('refuses a steward of another organisation, and anonymous callers', async () => {
      const body = { title: 'Intrus', agreement: 'automatic', terms: { template: 'members', uses: ['rows'] } };
      expectError(await inject('POST', `/api/v1/datasets/${membersDataset.slug}/offers`, consumerAdmin, body), 403, 'forbidden');
      expectError(await inject('POST', `/api/v1/datasets/${membersDataset.slug}/offers`, undefined, body), 401, 'unauthenticated');
      expectError(await inject('PATCH', `/api/v1/offers/${membersOffer}`, analyst, { title: 'Piraté' }), 403, 'forbidden');
    });

    it('versions an offer on update, and records it', async () => {
      const response = await inject('PATCH', `/api/v1/offers/${researchOffer}`, steward, {
        terms: { ...RESEARCH_TERMS, durationMonths: 24 },
      });
      expect(response.statusCode).toBe(200);
      const offer = response.json<{ version: number; rules: { constraints: string[] }[] }>();
      expect(offer.version).toBe(2);
      expect(offer.rules[0]!.constraints).toContain('Durée d’utilisation : au plus 24 mois');
      const versions = await node.ctx.db
        .selectFrom('offer_versions')
        .select('version')
        .where('offer_id', '=', researchOffer)
        .orderBy('version')
        .execute();
      expect(versions.map((v) => v.version)).toEqual([1, 2]);
      expect((await ledgerTypes()).filter((e) => e.type === 'offer.changed').at(-1)!.public).toMatchObject({
        change: 'updated',
        version: 2,
      });
    });

    it('lists its offers when a new version would drop a column, before anything is published', async () => {
      const dropped = SMALL_CSV.split('\n')
        .map((line) => line.split(';').slice(0, 3).join(';'))
        .join('\n');
      const upload = await uploadFile(node.app, steward.headers, 'mesures.csv', dropped);
      const error = expectError(
        await inject('POST', `/api/v1/datasets/${membersDataset.slug}/versions`, steward, { upload: upload.id }),
        409,
        'schema_change_unconfirmed',
      );
      expect((error.details as { affected: unknown[] }).affected).toEqual(
        expect.arrayContaining([
          { kind: 'offer', id: membersOffer, label: 'Membres — accès automatique' },
          { kind: 'offer', id: researchOffer, label: 'Recherche — agrégé uniquement' },
        ]),
      );
    });

    describe('the decision preview', () => {
      const preview = (caller: Caller, body: object, offer = researchOffer) =>
        inject('POST', `/api/v1/offers/${offer}/evaluate`, caller, body);

      it('fails on purpose, and says why in French, constraint by constraint', async () => {
        const response = await preview(analyst, { organisation: consumer.slug, purpose: 'dpv:Marketing', durationMonths: 12 });
        expect(response.statusCode).toBe(200);
        const decision = response.json<{
          outcome: string;
          summary: string;
          charter: { state: string };
          rules: { kind: string; constraints: { label: string; state: string; reason: string }[] }[];
        }>();
        expect(decision.outcome).toBe('deny');
        expect(decision.summary).toMatch(/^Refusé : .*Finalité/);
        expect(decision.charter.state).toBe('satisfied');
        const constraints = decision.rules[0]!.constraints;
        expect(constraints.find((c) => c.label.startsWith('Finalité'))).toMatchObject({ state: 'not_satisfied' });
        expect(constraints.find((c) => c.label.startsWith('Finalité'))!.reason).toMatch(/Marketing/);
        expect(constraints.find((c) => c.label.startsWith('Type'))).toMatchObject({ state: 'satisfied' });
      });

      it('permits a narrower research purpose (DPV subsumption) within the duration', async () => {
        const decision = (
          await preview(analyst, { organisation: consumer.slug, purpose: 'dpv:AcademicResearch', durationMonths: 12 })
        ).json<{ outcome: string; agreement: string }>();
        expect(decision).toMatchObject({ outcome: 'permit', agreement: 'provider_approval' });
        const tooLong = (
          await preview(analyst, { organisation: consumer.slug, purpose: 'dpv:AcademicResearch', durationMonths: 36 })
        ).json<{ outcome: string }>();
        expect(tooLong.outcome).toBe('deny');
      });

      it('refuses to preview for another organisation, and an unknown purpose', async () => {
        expectError(
          await preview(analyst, { organisation: provider.slug, purpose: 'dpv:AcademicResearch', durationMonths: 12 }),
          403,
          'forbidden',
        );
        expectError(
          await preview(analyst, { organisation: consumer.slug, purpose: 'dpv:Nonsense', durationMonths: 12 }),
          400,
          'validation_failed',
        );
      });

      it('denies an organisation that has not signed, on the charter', async () => {
        const unsigned = await makeOrganisation(node.ctx, { category: 'research' });
        const person = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: unsigned.id, role: 'analyst' })).email);
        const decision = (
          await preview(person, { organisation: unsigned.slug, purpose: 'dpv:AcademicResearch', durationMonths: 12 })
        ).json<{
          outcome: string;
          summary: string;
          charter: { state: string };
        }>();
        expect(decision).toMatchObject({ outcome: 'deny', charter: { state: 'not_satisfied' } });
        expect(decision.summary).toMatch(/charte/);
      });
    });

    it('retires an offer once: it leaves the public list, the preview answers 410', async () => {
      const response = await inject('POST', `/api/v1/offers/${membersOffer}/retire`, steward, {
        reason: 'Remplacée par une offre payante',
      });
      expect(response.json()).toMatchObject({ status: 'retired', canManage: false });
      expectError(await inject('POST', `/api/v1/offers/${membersOffer}/retire`, steward, { reason: 'encore' }), 410, 'offer_retired');
      const list = (await inject('GET', `/api/v1/datasets/${membersDataset.slug}/offers`)).json<{ items: { id: string }[] }>();
      expect(list.items.map((o) => o.id)).toEqual([researchOffer]);
      const all = (await inject('GET', `/api/v1/datasets/${membersDataset.slug}/offers?includeRetired=true`, steward)).json<{
        total: number;
      }>();
      expect(all.total).toBe(2);
      expectError(
        await inject('POST', `/api/v1/offers/${membersOffer}/evaluate`, analyst, {
          organisation: consumer.slug,
          purpose: 'dpv:AcademicResearch',
          durationMonths: 12,
        }),
        410,
        'offer_retired',
      );
    });

    it('refuses offers on a withdrawn dataset with 410', async () => {
      const gone = await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'members' });
      await inject('POST', `/api/v1/datasets/${gone.slug}/withdraw`, steward, { reason: 'Données erronées' });
      expectError(
        await inject('POST', `/api/v1/datasets/${gone.slug}/offers`, steward, {
          title: 'Trop tard',
          agreement: 'automatic',
          terms: { template: 'members', uses: ['rows'] },
        }),
        410,
        'dataset_withdrawn',
      );
    });
  });

  describe('the transparency report', () => {
    it('counts signatures per charter version and open offers by how they are agreed', async () => {
      await node.app.confiance.ledger.integrate();
      const report = (await inject('GET', '/api/v1/ledger/report')).json<{
        charterSignatures: { version: string; count: number }[];
        offersByAgreement: { agreement: string; count: number }[];
      }>();
      expect(report.charterSignatures).toEqual([{ version: '1.0', count: 2 }]);
      // The members offer was retired; the research offer stays, agreed by the provider.
      expect(report.offersByAgreement).toEqual([{ agreement: 'provider_approval', count: 1 }]);
    });
  });

  describe('a new charter version', () => {
    it('puts every organisation back to unsigned until its admin signs again', async () => {
      expect((await inject('POST', '/api/v1/charter/versions', operator, { ...CHARTER, version: '1.1' })).statusCode).toBe(201);
      expectError(await inject('GET', `/api/v1/datasets/${membersDataset.slug}/preview`, analyst), 403, 'forbidden');
      const list = (await inject('GET', '/api/v1/charter/signatures')).json<{
        items: { organisation: { slug: string }; signedVersion: string; current: boolean }[];
      }>();
      expect(list.items.find((i) => i.organisation.slug === consumer.slug)).toMatchObject({ signedVersion: '1.0', current: false });
    });
  });
});

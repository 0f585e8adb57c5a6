import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/platform/db/database';
import { migrations } from '../src/platform/db/migrations/index';
import { JobQueue } from '../src/platform/jobs/index';
import { DEMO_ETHICS_MEMBER, DEMO_OPERATOR, DEMO_PASSWORD, seedDemo } from '../src/modules/demo/index';
import { UNSIGNED_DEMO_ORGANISATIONS } from '../src/modules/demo/policies-seed';
import { DEMO_DATASETS } from '../src/modules/demo/datasets';
import { exportCatalog } from '../src/modules/catalog/index';
import { catalogToTurtle } from '../src/modules/catalog/dcat/index';
import { SHAPES, validate, violations } from './shacl';
import {
  parseCheckpoint,
  readNodeFromTiles,
  rootOf,
  tilePath,
  verifyNote,
  type FairReturnView,
  type ProjectDetailView,
} from '@confiance/contract';
import { nodeCrypto } from '../src/modules/ledger/crypto';

/** The issue's own examples: what people type, and the demo dataset they expect near the top. */
const DEMO_SEARCHES: [string, string][] = [
  ['qualité de l’air Montpellier', 'qualite-air-occitanie-moyennes-annuelles'],
  ['qualite de l air', 'qualite-air-occitanie-moyennes-mensuelles-2018'],
  ['hospitalisations Hérault', 'covid-hospitalisations-quotidiennes-departements'],
  ['hospitalisation herault', 'covid-hospitalisations-departement-sexe-2020'],
  ['reanimation', 'covid-reanimations-quotidiennes-occitanie'],
  ['horaires bus Toulouse', 'gtfs-tisseo-toulouse'],
  ['velo montpellier', 'comptages-velo-montpellier'],
  ['meteo montpellier', 'meteo-montpellier-frejorgues-2023'],
  ['campings littoral', 'campings-classes-littoral-occitanie'],
  ['moustique', 'moustiques-montpellier-2023'],
  ['population communes', 'populations-legales-communes-occitanie'],
  ['limites communes Herault', 'limites-communes-herault'],
];
import { backends } from './backends';
import { makeOrganisation, makeUser, signInAs, testNode, type TestNode } from './harness';
import { acceptInvitation, changeMemberRole, inviteMember, removeMember } from '../src/modules/members/index';

const silent = pino({ level: 'silent' });
let kindCounter = 0;
const uniqueKind = (name: string) => `test.${name}.${kindCounter++}`;

describe.each(backends())('database tier on %s', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode(backend);
  });
  afterAll(() => node.close());

  type Counted = 'organisations' | 'users' | 'memberships' | 'invitations';
  const count = async (table: Counted) =>
    (
      await node.ctx.db
        .selectFrom(table)
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  describe('migrations', () => {
    it('have all been applied to the template, in order', async () => {
      const rows = await node.ctx.db
        .selectFrom('schema_migrations' as never)
        .select(sql<string>`name`.as('name'))
        .orderBy(sql`name`)
        .execute();
      expect(rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    });

    it('apply nothing when run again', async () => {
      expect(await migrate(node.ctx.db)).toEqual([]);
      expect(await migrate(node.ctx.db)).toEqual([]);
    });

    it('install unaccent, which the directory search needs', async () => {
      const { rows } = await sql<{ v: string }>`select unaccent('Hérault Météo-France') as v`.execute(node.ctx.db);
      expect(rows[0]!.v).toBe('Herault Meteo-France');
    });
  });

  describe('transactions', () => {
    it('hide uncommitted writes from queries outside them, and roll back on error', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
      const transaction = node.ctx.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('node_state')
          .values({ key: 'uncommitted', value: JSON.stringify(1) })
          .execute();
        inserted();
        await gate;
        throw new Error('changed my mind');
      });
      await insertedYet;
      // On PGlite this waits for the transaction (one connection); on PostgreSQL it runs beside it.
      const outside = node.ctx.db.selectFrom('node_state').select('key').where('key', '=', 'uncommitted').execute();
      setTimeout(release, 20);
      await expect(transaction).rejects.toThrow('changed my mind');
      expect(await outside).toEqual([]);
      expect(await node.ctx.db.selectFrom('node_state').select('key').where('key', '=', 'uncommitted').execute()).toEqual([]);
    });
  });

  describe('the job queue', () => {
    let queue: JobQueue;
    beforeAll(() => {
      queue = new JobQueue(node.ctx.db, silent);
    });
    const jobsOf = (kind: string) => node.ctx.db.selectFrom('jobs').selectAll().where('kind', '=', kind).execute();
    const makeDue = (kind: string) =>
      node.ctx.db
        .updateTable('jobs')
        .set({ run_at: new Date(Date.now() - 1000) })
        .where('kind', '=', kind)
        .execute();

    it('runs a job enqueued in a committed transaction, once', async () => {
      const kind = uniqueKind('ok');
      const seen: unknown[] = [];
      queue.register(kind, async (payload) => void seen.push(payload));
      await node.ctx.db.transaction().execute((trx) => queue.enqueue(trx, kind, { n: 1 }));
      expect(await queue.drain()).toBeGreaterThanOrEqual(1);
      expect(seen).toEqual([{ n: 1 }]);
      expect(await jobsOf(kind)).toEqual([expect.objectContaining({ status: 'done', attempts: 1, finished_at: expect.any(Date) })]);
      await queue.drain();
      expect(seen).toHaveLength(1);
    });

    it('has no job from a transaction that rolled back', async () => {
      const kind = uniqueKind('rolled-back');
      await expect(
        node.ctx.db.transaction().execute(async (trx) => {
          await queue.enqueue(trx, kind, { n: 1 });
          throw new Error('the fact the job belonged to did not happen');
        }),
      ).rejects.toThrow();
      expect(await jobsOf(kind)).toEqual([]);
    });

    it('waits for a delayed job to be due', async () => {
      const kind = uniqueKind('delayed');
      let runs = 0;
      queue.register(kind, async () => void runs++);
      await queue.enqueue(node.ctx.db, kind, {}, { delayMs: 60_000 });
      await queue.drain();
      expect(runs).toBe(0);
      await makeDue(kind);
      await queue.drain();
      expect(runs).toBe(1);
    });

    describe('when the handler keeps failing', () => {
      it('retries with exponential back-off, then gives up as failed after max attempts', async () => {
        const kind = uniqueKind('failing');
        let runs = 0;
        queue.register(kind, async () => {
          runs++;
          throw new Error(`remote down (attempt ${runs})`);
        });
        await queue.enqueue(node.ctx.db, kind, {});
        const delays: number[] = [];
        for (let attempt = 1; attempt <= 5; attempt++) {
          const before = Date.now();
          await queue.drain();
          const [job] = await jobsOf(kind);
          expect(job).toMatchObject({ attempts: attempt, last_error: `remote down (attempt ${attempt})` });
          if (attempt < 5) {
            expect(job!.status).toBe('pending');
            delays.push(Math.round((job!.run_at.getTime() - before) / 1000));
            // Not due yet: draining again does not run it.
            await queue.drain();
            expect(runs).toBe(attempt);
            await makeDue(kind);
          } else {
            expect(job).toMatchObject({ status: 'failed', finished_at: expect.any(Date) });
          }
        }
        expect(delays).toEqual([2, 4, 8, 16]);
        await makeDue(kind);
        await queue.drain();
        expect(runs).toBe(5);
      });
    });

    describe('when a runner died in the middle of a job', () => {
      const claimedAgo = (kind: string, minutes: number, attempts: number) =>
        node.ctx.db
          .updateTable('jobs')
          .set({ status: 'running', locked_at: new Date(Date.now() - minutes * 60_000), attempts })
          .where('kind', '=', kind)
          .execute();

      it('another runner takes the job again once its claim is stale', async () => {
        const kind = uniqueKind('orphaned-run');
        let runs = 0;
        queue.register(kind, async () => void runs++);
        await queue.enqueue(node.ctx.db, kind, {});
        await claimedAgo(kind, 60, 1);
        await queue.drain();
        expect(runs).toBe(1);
        expect(await jobsOf(kind)).toEqual([expect.objectContaining({ status: 'done', attempts: 2 })]);
      });

      it('leaves alone a job another runner claimed a moment ago', async () => {
        const kind = uniqueKind('in-progress');
        let runs = 0;
        queue.register(kind, async () => void runs++);
        await queue.enqueue(node.ctx.db, kind, {});
        await claimedAgo(kind, 1, 1);
        await queue.drain();
        expect(runs).toBe(0);
      });

      it('does not retry for ever a job that keeps killing its runner', async () => {
        const kind = uniqueKind('poison');
        let runs = 0;
        queue.register(kind, async () => void runs++);
        await queue.enqueue(node.ctx.db, kind, {});
        await claimedAgo(kind, 60, 5);
        await queue.drain();
        expect(runs).toBe(0);
      });
    });

    it('fails a job whose kind has no handler, saying so', async () => {
      const kind = uniqueKind('orphan');
      await queue.enqueue(node.ctx.db, kind, {});
      await queue.drain();
      expect(await jobsOf(kind)).toEqual([expect.objectContaining({ status: 'pending', last_error: `no handler for job kind ${kind}` })]);
    });

    it('never hands the same job to two runners draining at once', async () => {
      const kind = uniqueKind('shared');
      const other = new JobQueue(node.ctx.db, silent);
      const ran: number[] = [];
      const handler = async (payload: unknown) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        ran.push((payload as { n: number }).n);
      };
      queue.register(kind, handler);
      other.register(kind, handler);
      for (let n = 0; n < 12; n++) await queue.enqueue(node.ctx.db, kind, { n });
      await Promise.all([queue.drain(), other.drain(), queue.drain()]);
      expect(ran.sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    });
  });

  describe('commands racing each other', () => {
    it('two acceptances of one invitation create one account', async () => {
      const org = await makeOrganisation(node.ctx);
      const { secret } = await inviteMember(node.ctx, {
        organisationId: org.id,
        email: 'double.submit@example.test',
        role: 'analyst',
        invitedBy: null,
      });
      const results = await Promise.allSettled([
        acceptInvitation(node.ctx, secret, { displayName: 'Double Submit', password: 'a long enough password' }),
        acceptInvitation(node.ctx, secret, { displayName: 'Double Submit', password: 'a long enough password' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'invitation_used' });
      expect(await node.ctx.db.selectFrom('users').select('id').where('email', '=', 'double.submit@example.test').execute()).toHaveLength(
        1,
      );
    });

    it('two admins removing each other leave the organisation one admin', async () => {
      const org = await makeOrganisation(node.ctx);
      const x = await makeUser(node.ctx, { organisationId: org.id, role: 'org_admin' });
      const y = await makeUser(node.ctx, { organisationId: org.id, role: 'org_admin' });
      const results = await Promise.allSettled([removeMember(node.ctx, org.id, x.id), removeMember(node.ctx, org.id, y.id)]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const admins = await node.ctx.db
        .selectFrom('memberships')
        .select('user_id')
        .where('organisation_id', '=', org.id)
        .where('role', '=', 'org_admin')
        .execute();
      expect(admins).toHaveLength(1);
    });

    it('two admins demoting each other leave the organisation one admin', async () => {
      const org = await makeOrganisation(node.ctx);
      const x = await makeUser(node.ctx, { organisationId: org.id, role: 'org_admin' });
      const y = await makeUser(node.ctx, { organisationId: org.id, role: 'org_admin' });
      await Promise.allSettled([changeMemberRole(node.ctx, org.id, x.id, 'analyst'), changeMemberRole(node.ctx, org.id, y.id, 'analyst')]);
      const admins = await node.ctx.db
        .selectFrom('memberships')
        .select('user_id')
        .where('organisation_id', '=', org.id)
        .where('role', '=', 'org_admin')
        .execute();
      expect(admins).toHaveLength(1);
    });
  });

  describe('the demo seed', () => {
    let first: { organisations: number; people: number; datasets: number };
    beforeAll(async () => {
      first = await seedDemo(node.ctx, node.app.confiance.catalog, node.app.confiance.contracts, node.app.confiance.access);
    }, 300_000);

    it('admits the twenty organisations of the CSV with their real SIRENs', async () => {
      expect(first.organisations).toBe(20);
      const rows = await node.ctx.db
        .selectFrom('organisations')
        .select(['slug', 'siren', 'siret', 'vat_number', 'city', 'domains'])
        .where('slug', 'in', ['airbus', 'insee', 'region-occitanie', 'meteo-france'])
        .orderBy('slug')
        .execute();
      expect(rows).toEqual([
        { slug: 'airbus', siren: '383474814', siret: null, vat_number: 'FR89383474814', city: 'Blagnac', domains: ['space'] },
        {
          slug: 'insee',
          siren: '120027016',
          siret: null,
          vat_number: 'FR85120027016',
          city: 'Montrouge Cedex',
          domains: ['economy', 'territory'],
        },
        { slug: 'meteo-france', siren: null, siret: null, vat_number: null, city: 'Saint-Mandé', domains: ['climate'] },
        {
          slug: 'region-occitanie',
          siren: '200053791',
          siret: '20005379100014',
          vat_number: 'FR75200053791',
          city: 'Toulouse',
          domains: ['territory', 'economy', 'tourism'],
        },
      ]);
    });

    it('gives every organisation an admin, publishers a data steward, and everyone an analyst', async () => {
      const byRole = await node.ctx.db
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .where('users.email', 'like', '%.demo')
        .select(['role', sql<number>`count(distinct organisation_id)::int`.as('organisations')])
        .groupBy('role')
        .orderBy('role')
        .execute();
      expect(byRole).toEqual([
        { role: 'analyst', organisations: 20 },
        { role: 'data_steward', organisations: 10 },
        { role: 'org_admin', organisations: 20 },
      ]);
      expect(first.people).toBe(52);
    });

    it('has one operator and one ethics-commission member', async () => {
      const platform = await node.ctx.db
        .selectFrom('users')
        .select(['email', 'platform_roles'])
        .where(sql<boolean>`cardinality(platform_roles) > 0`)
        .orderBy('email')
        .execute();
      expect(platform).toEqual([
        { email: DEMO_ETHICS_MEMBER.email, platform_roles: ['ethics_member'] },
        { email: DEMO_OPERATOR.email, platform_roles: ['operator'] },
      ]);
    });

    it('leaves no invitation mail for the fictional .demo mailboxes in the queue', async () => {
      const demoMail = await node.ctx.db
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', 'mail.send')
        .where(sql<boolean>`payload->>'to' like '%.demo'`)
        .execute();
      expect(demoMail).toEqual([]);
    });

    it('adds nothing when run again', async () => {
      const before = await Promise.all([count('organisations'), count('users'), count('memberships'), count('invitations')]);
      expect(await seedDemo(node.ctx, node.app.confiance.catalog)).toEqual({ organisations: 0, people: 0, datasets: 0 });
      expect(await Promise.all([count('organisations'), count('users'), count('memberships'), count('invitations')])).toEqual(before);
    });

    it('sets the economic model once: a 5 % fee (3 % for research), recorded in the ledger', async () => {
      const settings = await node.ctx.db.selectFrom('billing_settings').select(['version', 'settings', 'ledger_index']).execute();
      expect(settings).toHaveLength(1);
      expect(settings[0]).toMatchObject({ version: 1, settings: { fee: { percent: '5', byCategory: { research: { percent: '3' } } } } });
      expect(settings[0]!.ledger_index).not.toBeNull();
    });

    it('resumes without duplicating when its completion mark is missing (an interrupted seed)', async () => {
      await node.ctx.db.deleteFrom('node_state').where('key', '=', 'demo_seed').execute();
      const before = await Promise.all([count('organisations'), count('users'), count('memberships')]);
      expect((await seedDemo(node.ctx, node.app.confiance.catalog)).people).toBe(0);
      expect(await Promise.all([count('organisations'), count('users'), count('memberships')])).toEqual(before);
    }, 60_000);

    it('publishes every demo dataset, by its publisher, at every access level', async () => {
      expect(first.datasets).toBe(DEMO_DATASETS.length);
      const rows = await node.ctx.db
        .selectFrom('datasets as d')
        .innerJoin('organisations as o', 'o.id', 'd.organisation_id')
        .select(['d.slug', 'o.slug as publisher', 'd.access_level', 'd.licence'])
        .execute();
      expect(new Map(rows.map((r) => [r.slug, r.publisher]))).toEqual(new Map(DEMO_DATASETS.map((d) => [d.slug, d.publisher])));
      expect(new Set(rows.map((r) => r.access_level))).toEqual(new Set(['open', 'members', 'restricted', 'aggregate_only']));
      expect(rows.map((r) => r.licence)).toContain('cc-by-nc-4.0');
    });

    it('publishes the charter, signed by every member but the two left to sign, and offers on non-open datasets', async () => {
      const charter = (await node.app.inject({ url: '/api/v1/charter' })).json<{ version: string; body: { fr: string; en: string } }>();
      expect(charter.version).toBe('1.0');
      expect(charter.body.fr).toMatch(/^# Charte éthique/);
      expect(charter.body.en).toMatch(/^# Data sharing ethics charter/);
      const signatures = (await node.app.inject({ url: '/api/v1/charter/signatures' })).json<{
        items: { organisation: { slug: string }; current: boolean }[];
      }>();
      // Organisations made by the factories earlier in this file (`org-…`) are not the demo's.
      expect(
        signatures.items
          .filter((i) => !i.current && !i.organisation.slug.startsWith('org-'))
          .map((i) => i.organisation.slug)
          .sort(),
      ).toEqual([...UNSIGNED_DEMO_ORGANISATIONS].sort());
      const offers = await node.ctx.db
        .selectFrom('offers as f')
        .innerJoin('datasets as d', 'd.id', 'f.dataset_id')
        .select(['d.access_level', 'f.agreement', 'f.title'])
        .execute();
      expect(offers.length).toBeGreaterThanOrEqual(5);
      // Open data needs no offer, but for a pseudonymised join: the contract is what declares the key.
      expect(offers.filter((o) => o.access_level === 'open').map((o) => o.title)).toEqual(['Croisement pseudonymisé — projets']);
      // Health data (flagged sensitive) is only ever offered after an ethics review.
      const health = offers.filter((o) => o.access_level === 'aggregate_only');
      expect(health.length).toBeGreaterThan(0);
      expect(health.every((o) => o.agreement === 'ethics_review')).toBe(true);
    });

    it('puts a contract in force and requests in the provider’s and the ethics commission’s inboxes', async () => {
      const requests = await node.ctx.db.selectFrom('access_requests').select('stage').execute();
      // The requests seed's seven, and Littoral 21's three: the Région's air quality (automatic), the
      // Université's TaM research access (approved by Montpellier 3M), the Région's (waiting for it).
      expect(requests.map((r) => r.stage).sort()).toEqual([
        'agreed',
        'agreed',
        'agreed',
        'agreed',
        'agreed',
        'agreed',
        'agreed',
        'ethics_review',
        'provider_review',
        'provider_review',
      ]);
      const contracts = await node.ctx.db.selectFrom('contracts').select(['state', 'jws']).execute();
      expect(contracts).toHaveLength(7);
      for (const contract of contracts) {
        expect(contract.state).toBe('active');
        expect(await node.app.confiance.contracts.signer.verify(contract.jws)).toBeTruthy();
      }
    });

    it('lets INSEE’s analyst compute protected aggregates on the SPF hospital file, under its reviewed contract', async () => {
      const analyst = await signInAs(node.app, 'analyste@insee.demo', DEMO_PASSWORD);
      const response = await node.app.inject({
        method: 'POST',
        url: '/api/v1/datasets/covid-hospitalisations-departement-sexe-2020/query',
        headers: analyst.headers,
        payload: {
          groupBy: ['dep', 'sexe'],
          aggregates: [{ fn: 'sum', column: 'hosp' }],
          where: [{ column: 'jour', op: 'eq', value: '2020-04-15' }],
        },
      });
      expect(response.statusCode, response.body).toBe(200);
      const result = response.json<{ rows: unknown[][]; notes: { fate: string }[] }>();
      expect(result.rows).toHaveLength(13 * 3);
      expect(result.notes.some((n) => n.fate === 'suppressed_primary')).toBe(true);
      expect(result.notes.some((n) => n.fate === 'rounded')).toBe(true);
    });

    it('lets the Covid observatory project join SPF’s counts to INSEE’s populations, and count under differential privacy', async () => {
      const analyst = await signInAs(node.app, 'analyste@toulouse-metropole.demo', DEMO_PASSWORD);
      const post = (dataset: string, payload: object) =>
        node.app.inject({ method: 'POST', url: `/api/v1/datasets/${dataset}/query`, headers: analyst.headers, payload });
      const access = (
        await node.app.inject({
          method: 'GET',
          url: '/api/v1/datasets/covid-hospitalisations-departement-sexe-2020/query',
          headers: analyst.headers,
        })
      ).json<{ joins: { dataset: string; contract: string; tables: { name: string }[] }[] }>();
      const populations = access.joins.find((j) => j.dataset === 'populations-legales-departements-occitanie')!;
      expect(populations, JSON.stringify(access.joins)).toBeTruthy();
      const table = populations.tables[0]!.name;
      const joined = await post('covid-hospitalisations-departement-sexe-2020', {
        join: { dataset: populations.dataset, on: [{ left: 'dep', right: 'DEP' }] },
        groupBy: [`${table}.Département`],
        aggregates: [{ fn: 'sum', column: 'hosp' }],
        where: [
          { column: 'jour', op: 'eq', value: '2020-04-15' },
          { column: 'sexe', op: 'eq', value: '0' },
        ],
      });
      expect(joined.statusCode, joined.body).toBe(200);
      const rows = joined.json<{ rows: unknown[][] }>().rows;
      expect(rows).toHaveLength(13);
      expect(joined.body).not.toMatch(/[0-9a-f]{64}/);
      const counted = await post('covid-hospitalisations-quotidiennes-departements', { groupBy: ['dep'], aggregates: [{ fn: 'count' }] });
      expect(counted.statusCode, counted.body).toBe(200);
      expect(counted.json<{ privacy: { epsilonSpent: string; epsilonLeft: string } }>().privacy).toMatchObject({
        epsilonSpent: '0.25',
        epsilonLeft: '0.75',
      });
    });

    it('splits the Covid observatory’s regional grant between its two providers, 60/40 by the agreed key', async () => {
      const admin = await signInAs(node.app, 'admin@toulouse-metropole.demo', DEMO_PASSWORD);
      const project = await node.ctx.db
        .selectFrom('projects')
        .select('id')
        .where('title', 'like', 'Observatoire Covid-19%')
        .executeTakeFirstOrThrow();
      const response = await node.app.inject({ url: `/api/v1/projects/${project.id}/fair-return`, headers: admin.headers });
      expect(response.statusCode, response.body).toBe(200);
      const view = response.json<FairReturnView>();
      expect(view.contributions.map((c) => c.provider.name)).toEqual(['Santé publique France', 'INSEE']);
      expect(view.revenues).toHaveLength(1);
      expect(view.revenues[0]).toMatchObject({ amount: 1_200_000, method: 'key', problem: null });
      expect(view.revenues[0]!.split!.shares.map((s) => [s.name, s.amount])).toEqual([
        ['Santé publique France', 720_000],
        ['INSEE', 480_000],
      ]);
    });

    it('shows Littoral 21 with its partners, the open data they attached and the queries run under its contracts', async () => {
      const admin = await signInAs(node.app, 'admin@region-occitanie.demo', DEMO_PASSWORD);
      const { id } = await node.ctx.db.selectFrom('projects').select('id').where('title', '=', 'Littoral 21').executeTakeFirstOrThrow();
      const response = await node.app.inject({ url: `/api/v1/projects/${id}`, headers: admin.headers });
      expect(response.statusCode, response.body).toBe(200);
      const project = response.json<ProjectDetailView>();
      expect(project.status).toBe('running');
      expect(project.territory).toEqual(['11', '30', '34', '66']);
      expect(project.partners.map((p) => p.slug).sort()).toEqual(
        ['atout-france', 'ign', 'montpellier-mediterranee-metropole', 'universite-de-montpellier'].sort(),
      );
      const uses = Object.fromEntries(project.flows.datasets.map((d) => [d.slug, d.uses.map((u) => `${u.kind}:${u.state ?? ''}`)]));
      expect(uses).toEqual({
        'campings-classes-littoral-occitanie': ['open:'],
        'hebergements-touristiques-classes-occitanie': ['open:'],
        'limites-departements-occitanie': ['open:'],
        'limites-communes-herault': ['open:'],
        'comptages-velo-montpellier': ['open:'],
        'gtfs-tam-montpellier': ['open:'],
        'tam-temps-reel-montpellier': ['contract:active', 'request:provider_review'],
        'qualite-air-occitanie-moyennes-annuelles': ['contract:active'],
      });
      const campings = project.flows.datasets.find((d) => d.slug === 'campings-classes-littoral-occitanie')!;
      expect(campings.attached).toMatchObject({ organisation: { slug: 'atout-france' }, note: expect.stringMatching(/campings/) });
      // Three queries, really run: two by the Université on TaM's departures, one by the Région on the air.
      expect(project.flows.queries).toBe(3);
      expect(Object.fromEntries(project.flows.queriesByContract.map((q) => [`${q.dataset.slug} (${q.consumer.slug})`, q.count]))).toEqual({
        'tam-temps-reel-montpellier (universite-de-montpellier)': 2,
        'qualite-air-occitanie-moyennes-annuelles (region-occitanie)': 1,
      });
      expect(project.flows.recentQueries).toHaveLength(3);
      expect(project.flows.datasets.find((d) => d.slug === 'tam-temps-reel-montpellier')!.queries).toBe(2);
      // From the log: each one is a `query.completed` entry naming its contract.
      const completed = await node.ctx.db.selectFrom('ledger_entries').select('public').where('type', '=', 'query.completed').execute();
      const contracts = new Set(project.flows.contracts.map((k) => k.id));
      expect(completed.filter((e) => contracts.has((e.public as { contract?: string }).contract ?? '')).length).toBe(3);
    });

    it('exports a DCAT-AP catalog with zero SHACL violations', async () => {
      const { catalog, datasets } = await exportCatalog(node.ctx);
      expect(datasets).toHaveLength(DEMO_DATASETS.length);
      const turtle = catalogToTurtle(catalog, datasets, { baseUrl: node.ctx.config.baseUrl });
      for (const shapes of [SHAPES.release, SHAPES.releaseRanges, SHAPES.mandatory]) {
        expect(violations(await validate(shapes, turtle))).toEqual([]);
      }
      // The vocabulary shapes' only complaint is their own SPDX namespace typo (see dcat-ap-conformance.test.ts).
      const vocabulary = violations(await validate(SHAPES.vocabularies, turtle));
      expect(new Set(vocabulary.map((f) => f.path))).toEqual(new Set(['http://spdx.org/rdf/terms#algorithm']));
    }, 120_000);

    it('finds demo datasets by French words typed without accents', async () => {
      for (const [q, slug] of DEMO_SEARCHES) {
        const result = (await node.app.inject({ url: `/api/v1/datasets?q=${encodeURIComponent(q)}` })).json<{
          items: { slug: string }[];
        }>();
        expect(
          result.items.slice(0, 3).map((i) => i.slug),
          q,
        ).toContain(slug);
      }
    });

    it('starts a ledger whose checkpoint verifies with the published key and whose tiles hash up to it', async () => {
      const size = await node.app.confiance.ledger.integrate();
      // Every admitted organisation and every published dataset (and version) is in the log.
      expect(size).toBeGreaterThanOrEqual(20 + DEMO_DATASETS.length);
      const key = (await node.app.inject({ url: '/ledger/verifier-key' })).body.trim();
      const note = (await node.app.inject({ url: '/ledger/checkpoint' })).body;
      const opened = await verifyNote(nodeCrypto, note, [key]);
      const checkpoint = parseCheckpoint(opened.body);
      expect(checkpoint.size).toBe(size);
      const readNode = readNodeFromTiles(nodeCrypto.sha256, size, async (level, index, width) => {
        const response = await node.app.inject({ url: `/ledger/${tilePath(level, index, width)}` });
        expect(response.statusCode).toBe(200);
        return response.rawPayload;
      });
      expect(Buffer.from(await rootOf(nodeCrypto.sha256, size, readNode)).equals(Buffer.from(checkpoint.root))).toBe(true);
      expect(await node.app.confiance.ledger.verify()).toEqual({ ok: true, size });
    });

    it('lets a demo account sign in with DEMO_PASSWORD', async () => {
      const caller = await signInAs(node.app, 'donnees@meteo-france.demo', DEMO_PASSWORD);
      const me = await node.app.inject({ url: '/api/v1/auth/session', headers: caller.headers });
      expect(me.json().memberships).toEqual([expect.objectContaining({ organisationSlug: 'meteo-france', role: 'data_steward' })]);
      const operator = await signInAs(node.app, DEMO_OPERATOR.email, DEMO_PASSWORD);
      const ops = await node.app.inject({ url: '/api/v1/auth/session', headers: operator.headers });
      expect(ops.json()).toMatchObject({
        user: { platformRoles: ['operator'] },
        memberships: [expect.objectContaining({ organisationSlug: 'ekitia', role: 'org_admin' })],
      });
    });
  });
});

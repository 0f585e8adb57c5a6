import type { VoteView } from '@confiance/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends';
import {
  expectError,
  FIVE_SAFES_CHECKLIST,
  makeOrganisation,
  makeUser,
  publishTestDataset,
  signInAs,
  testNode,
  type Caller,
  type TestNode,
} from './harness';

/**
 * Governance over HTTP (issue 10): commissions and their records, votes decided by quorum and
 * majority, one ballot per member, early closing by the chair or the operator only, automatic
 * closing at the vote's time, and gated actions — a charter version or a fee change that waits
 * for the commission's vote, runs on adoption (in the vote's transaction, on the record) and
 * does nothing on rejection.
 */

const CHARTER = {
  version: '1.0',
  title: { fr: 'Charte éthique soumise au vote', en: 'Ethics charter put to the vote' },
  body: {
    fr: '# Charte\n\nLes membres partagent leurs données dans le respect des personnes.',
    en: '# Charter\n\nMembers share data respecting people.',
  },
  rules: {
    signatureRequired: true,
    personalDataAggregateOnly: true,
    personalDataEthicsReview: true,
    prohibitedActions: ['cf:reidentify', 'sell'],
    favouredPurposes: ['dpv:PublicBenefit'],
  },
};

const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

describe.each(backends())('governance on %s', (backend) => {
  let node: TestNode;
  let operator: Caller;
  let chair: Caller;
  /** Four members besides the chair (the chair votes too: five eligible). */
  const members: Caller[] = [];
  let outsider: Caller;

  type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  const call = (method: Method, url: string, caller?: Caller, payload?: object) =>
    node.app.inject({ method, url, ...(caller ? { headers: caller.headers } : {}), ...(payload ? { payload } : {}) });
  const ok = async <T>(method: Method, url: string, caller: Caller, payload?: object, status = 200) => {
    const response = await call(method, url, caller, payload);
    expect(response.statusCode, response.body).toBe(status);
    return response.json<T>();
  };
  const ledger = async (type: string) =>
    (
      await node.ctx.db.selectFrom('ledger_entries').select(['public', 'details']).where('type', '=', type).orderBy('tree_index').execute()
    ).map((e) => e.public as Record<string, unknown>);
  const open = (commission: string, overrides: object = {}) =>
    ok<VoteView>(
      'POST',
      '/api/v1/votes',
      chair,
      { commission, question: 'Adopter le compte rendu ?', closesAt: inAWeek(), ...overrides },
      201,
    );
  /** The caller's notifications about one vote: kind and title. */
  const notificationsOf = async (caller: Caller, vote: string) =>
    (await ok<{ items: { kind: string; title: string; link: string }[] }>('GET', '/api/v1/notifications', caller)).items
      .filter((n) => n.link === `/votes/${vote}`)
      .map(({ kind, title }) => ({ kind, title }));
  const cast = (vote: string, caller: Caller, choice: string) => call('POST', `/api/v1/votes/${vote}/ballots`, caller, { choice });

  beforeAll(async () => {
    node = await testNode(backend);
    const org = await makeOrganisation(node.ctx);
    const users = await Promise.all(Array.from({ length: 7 }, () => makeUser(node.ctx, { organisationId: org.id, role: 'org_admin' })));
    const op = await makeUser(node.ctx, { platformRoles: ['operator'] });
    operator = await signInAs(node.app, op.email);
    chair = await signInAs(node.app, users[0]!.email);
    for (const u of users.slice(1, 5)) members.push(await signInAs(node.app, u.email));
    outsider = await signInAs(node.app, users[5]!.email);
    for (const slug of ['charte-ethique', 'modele-economique']) {
      await ok('POST', `/api/v1/commissions/${slug}/members`, operator, { email: users[0]!.email, role: 'chair' }, 201);
      for (const u of users.slice(1, 5)) await ok('POST', `/api/v1/commissions/${slug}/members`, operator, { email: u.email }, 201);
    }
  });
  afterAll(() => node.close());

  describe('commissions', () => {
    it('lists the five commissions with their members and the caller’s role', async () => {
      const list = await ok<{ items: { slug: string; kind: string; membersCount: number; myRole: string | null }[] }>(
        'GET',
        '/api/v1/commissions',
        chair,
      );
      expect(list.items.map((c) => c.kind)).toEqual(['ethics_charter', 'economic_model', 'network', 'projects', 'custom']);
      expect(list.items[0]).toMatchObject({ slug: 'charte-ethique', membersCount: 5, myRole: 'chair' });
      expect(list.items[2]).toMatchObject({ membersCount: 0, myRole: null });
      expectError(await call('GET', '/api/v1/commissions'), 401, 'unauthenticated');
    });

    it('lets the operator name the fifth commission only, and appoint members', async () => {
      const renamed = await ok<{ name: string }>('PATCH', '/api/v1/commissions/commission-operateur', operator, {
        name: 'Commission numérique responsable',
      });
      expect(renamed.name).toBe('Commission numérique responsable');
      expectError(await call('PATCH', '/api/v1/commissions/charte-ethique', operator, { name: 'Autre' }), 400, 'validation_failed');
      expectError(await call('PATCH', '/api/v1/commissions/commission-operateur', chair, { name: 'Pris' }), 403, 'forbidden');
      expectError(await call('POST', '/api/v1/commissions/projets/members', chair, { email: 'x@example.test' }), 403, 'forbidden');
      expectError(
        await call('POST', '/api/v1/commissions/projets/members', operator, { email: 'nobody@example.test' }),
        400,
        'validation_failed',
      );
    });

    it('lets the chair keep the agenda and documents (a text kept with its SHA-256), not a member', async () => {
      await ok('POST', '/api/v1/commissions/charte-ethique/agenda', chair, { date: '2026-12-10', title: 'Relecture de la charte' }, 201);
      const text = 'Compte rendu de la séance du 10 décembre.';
      const withDoc = await ok<{ documents: { title: string; sha256: string | null }[]; agenda: { date: string }[] }>(
        'POST',
        '/api/v1/commissions/charte-ethique/documents',
        chair,
        { title: 'Compte rendu', text },
        201,
      );
      const { createHash } = await import('node:crypto');
      expect(withDoc.documents[0]).toMatchObject({ title: 'Compte rendu', sha256: createHash('sha256').update(text).digest('hex') });
      expect(withDoc.agenda[0]!.date).toBe('2026-12-10');
      expectError(
        await call('POST', '/api/v1/commissions/charte-ethique/agenda', members[0], { date: '2026-12-11', title: 'Non' }),
        403,
        'forbidden',
      );
      expectError(
        await call('POST', '/api/v1/commissions/charte-ethique/documents', chair, {
          title: 'Les deux',
          text: 'x',
          url: 'https://example.test',
        }),
        400,
        'validation_failed',
      );
    });
  });

  describe('a vote', () => {
    let vote: VoteView;

    it('is opened by the chair, not by a member, and not with a closing time in the past', async () => {
      expectError(
        await call('POST', '/api/v1/votes', members[0], { commission: 'charte-ethique', question: 'Non ?', closesAt: inAWeek() }),
        403,
        'forbidden',
      );
      expectError(
        await call('POST', '/api/v1/votes', chair, {
          commission: 'charte-ethique',
          question: 'Trop tard ?',
          closesAt: '2020-01-01T00:00:00Z',
        }),
        400,
        'validation_failed',
      );
      vote = await open('charte-ethique');
      expect(vote).toMatchObject({ status: 'open', quorumPercent: 50, majority: 'simple', tally: { eligible: 5, voters: 0 } });
      expect((await ledger('vote.opened')).at(-1)).toMatchObject({ vote: vote.id, commission: 'charte-ethique', gate: null });
    });

    it('takes one ballot per member: a second is 409, a non-member’s is 403', async () => {
      expect((await cast(vote.id, members[0]!, 'pour')).statusCode).toBe(201);
      const again = expectError(await cast(vote.id, members[0]!, 'contre'), 409, 'conflict');
      expect(again.message).toMatch(/déjà voté/);
      expectError(await cast(vote.id, outsider, 'pour'), 403, 'forbidden');
      expectError(await cast(vote.id, operator, 'pour'), 403, 'forbidden');
      const seen = await ok<VoteView>('GET', `/api/v1/votes/${vote.id}`, members[1]!);
      expect(seen.tally).toMatchObject({ pour: 1, voters: 1 });
      expect(seen.ballots).toHaveLength(1);
      // Others see the counts, not who voted what.
      expect((await ok<VoteView>('GET', `/api/v1/votes/${vote.id}`, outsider)).ballots).toBeNull();
    });

    it('is closed early only by its chair or the operator', async () => {
      expectError(await call('POST', `/api/v1/votes/${vote.id}/close`, members[1]), 403, 'forbidden');
      expectError(await call('POST', `/api/v1/votes/${vote.id}/close`, outsider), 403, 'forbidden');
      await cast(vote.id, members[1]!, 'pour');
      await cast(vote.id, members[2]!, 'abstention');
      const closed = await ok<VoteView>('POST', `/api/v1/votes/${vote.id}/close`, chair);
      expect(closed).toMatchObject({ status: 'closed', outcome: 'adopted', tally: { pour: 2, abstention: 1, quorumMet: true } });
      expect(closed.ledgerIndex).not.toBeNull();
      expectError(await call('POST', `/api/v1/votes/${vote.id}/close`, operator), 409, 'conflict');
      expectError(await cast(vote.id, members[3]!, 'pour'), 409, 'conflict');
      const decided = (await ledger('vote.decided')).at(-1)!;
      expect(decided).toEqual({
        vote: vote.id,
        subject: 'Adopter le compte rendu ?',
        outcome: 'adopted',
        commission: 'charte-ethique',
        majority: 'simple',
        quorumPercent: 50,
        pour: 2,
        contre: 0,
        abstention: 1,
        eligible: 5,
        quorumMet: true,
        gate: null,
      });
    });

    it('closes by itself once its time has passed', async () => {
      const v = await open('charte-ethique');
      await cast(v.id, chair, 'pour');
      await sql`update votes set opens_at = now() - interval '2 days', closes_at = now() - interval '1 day' where id = ${v.id}`.execute(
        node.ctx.db,
      );
      expectError(await cast(v.id, members[0]!, 'pour'), 409, 'conflict');
      const after = await ok<VoteView>('GET', `/api/v1/votes/${v.id}`, outsider);
      // One voter of five: below the 50 % quorum.
      expect(after).toMatchObject({ status: 'closed', outcome: 'no_quorum' });
      const w = await open('charte-ethique');
      await sql`update votes set opens_at = now() - interval '2 days', closes_at = now() - interval '1 day' where id = ${w.id}`.execute(
        node.ctx.db,
      );
      expect(await node.app.confiance.governance.closeDue()).toBe(1);
      expect((await node.ctx.db.selectFrom('votes').select('status').where('id', '=', w.id).executeTakeFirstOrThrow()).status).toBe(
        'closed',
      );
    });
  });

  describe('decided by quorum and majority', () => {
    // Five eligible: the chair and four members.
    const CASES: { quorum: number; majority: string; ballots: string[]; outcome: string }[] = [
      { quorum: 50, majority: 'simple', ballots: ['pour', 'pour', 'contre'], outcome: 'adopted' },
      { quorum: 50, majority: 'simple', ballots: ['pour', 'contre', 'abstention'], outcome: 'rejected' },
      { quorum: 50, majority: 'simple', ballots: ['pour', 'pour'], outcome: 'no_quorum' },
      { quorum: 40, majority: 'simple', ballots: ['pour', 'pour'], outcome: 'adopted' },
      { quorum: 50, majority: 'two_thirds', ballots: ['pour', 'pour', 'contre'], outcome: 'adopted' },
      { quorum: 50, majority: 'two_thirds', ballots: ['pour', 'pour', 'contre', 'contre'], outcome: 'rejected' },
      { quorum: 50, majority: 'unanimity', ballots: ['pour', 'pour', 'abstention', 'abstention'], outcome: 'adopted' },
      { quorum: 50, majority: 'unanimity', ballots: ['pour', 'pour', 'pour', 'contre'], outcome: 'rejected' },
      { quorum: 100, majority: 'simple', ballots: ['pour', 'pour', 'pour', 'pour'], outcome: 'no_quorum' },
      { quorum: 0, majority: 'simple', ballots: [], outcome: 'rejected' },
    ];
    it.each(CASES)('quorum $quorum %, $majority, $ballots → $outcome', async ({ quorum, majority, ballots, outcome }) => {
      const v = await open('modele-economique', { quorumPercent: quorum, majority });
      const voters = [chair, ...members];
      for (const [i, choice] of ballots.entries()) expect((await cast(v.id, voters[i]!, choice)).statusCode).toBe(201);
      const closed = await ok<VoteView>('POST', `/api/v1/votes/${v.id}/close`, operator);
      expect(closed.outcome).toBe(outcome);
      expect((await ledger('vote.decided')).at(-1)).toMatchObject({ vote: v.id, outcome, commission: 'modele-economique' });
    });
  });

  describe('a gated charter version', () => {
    const enable = (action: string, commission: string, enabled = true) =>
      ok('PUT', '/api/v1/governance/gates', operator, { items: [{ action, enabled, commission, quorumPercent: 50, majority: 'simple' }] });

    it('is the operator’s to gate', async () => {
      expectError(
        await call('PUT', '/api/v1/governance/gates', chair, { items: [{ action: 'charter_version', enabled: true }] }),
        403,
        'forbidden',
      );
      const gates = await ok<{ items: { action: string; enabled: boolean }[] }>('GET', '/api/v1/governance/gates', outsider);
      expect(gates.items.every((g) => !g.enabled)).toBe(true);
      await enable('charter_version', 'charte-ethique');
    });

    it('waits for the vote, then is published on adoption, on the record', async () => {
      const proposed = await call('POST', '/api/v1/charter/versions', operator, CHARTER);
      expect(proposed.statusCode, proposed.body).toBe(202);
      const vote = proposed.json<VoteView>();
      expect(vote).toMatchObject({
        status: 'open',
        commission: { slug: 'charte-ethique' },
        gate: 'charter_version',
        action: { status: 'pending' },
      });
      expect(vote.action!.summary.join(' ')).toContain('version 1.0');
      expectError(await call('GET', '/api/v1/charter'), 404, 'not_found');
      expect(await ledger('charter.published')).toEqual([]);
      // Every member is told the vote is open; someone outside the commission is not.
      expect(await notificationsOf(members[0]!, vote.id)).toEqual([{ kind: 'vote.opened', title: expect.stringContaining('version 1.0') }]);
      expect(await notificationsOf(outsider, vote.id)).toEqual([]);

      for (const m of members.slice(0, 3)) expect((await cast(vote.id, m, 'pour')).statusCode).toBe(201);
      const closed = await ok<VoteView>('POST', `/api/v1/votes/${vote.id}/close`, chair);
      expect(closed).toMatchObject({ outcome: 'adopted', action: { status: 'executed' } });
      expect((await ok<{ version: string }>('GET', '/api/v1/charter', outsider)).version).toBe('1.0');
      expect(await ledger('charter.published')).toEqual([expect.objectContaining({ version: '1.0', vote: vote.id })]);
      expect((await ledger('vote.decided')).at(-1)).toMatchObject({ vote: vote.id, outcome: 'adopted', gate: 'charter_version' });
      // The members and the operator who proposed the version learn the outcome.
      for (const caller of [members[3]!, operator])
        expect((await notificationsOf(caller, vote.id)).map((n) => n.title)).toContainEqual(expect.stringContaining('Vote clos — adopté'));
    });

    it('publishes nothing when the vote rejects it', async () => {
      const vote = await ok<VoteView>('POST', '/api/v1/charter/versions', operator, { ...CHARTER, version: '1.1' }, 202);
      for (const m of members.slice(0, 3)) await cast(vote.id, m, 'contre');
      const closed = await ok<VoteView>('POST', `/api/v1/votes/${vote.id}/close`, operator);
      expect(closed).toMatchObject({ outcome: 'rejected', action: { status: 'rejected' } });
      expect((await ok<{ version: string }>('GET', '/api/v1/charter', outsider)).version).toBe('1.0');
      expect(await ledger('charter.published')).toHaveLength(1);
    });

    it('refuses at once a proposal the action itself would refuse', async () => {
      expectError(await call('POST', '/api/v1/charter/versions', operator, { ...CHARTER, version: '0.9' }), 409, 'conflict');
    });

    it('marks the action failed, with the reason, when it can no longer run on adoption', async () => {
      const vote = await ok<VoteView>('POST', '/api/v1/charter/versions', operator, { ...CHARTER, version: '2.0' }, 202);
      await enable('charter_version', 'charte-ethique', false);
      await ok('POST', '/api/v1/charter/versions', operator, { ...CHARTER, version: '3.0' }, 201);
      for (const m of members.slice(0, 3)) await cast(vote.id, m, 'pour');
      const closed = await ok<VoteView>('POST', `/api/v1/votes/${vote.id}/close`, chair);
      expect(closed).toMatchObject({ outcome: 'adopted', action: { status: 'failed' } });
      expect(closed.action!.error).toMatch(/3\.0/);
      expect((await ok<{ version: string }>('GET', '/api/v1/charter', outsider)).version).toBe('3.0');
    });
  });

  describe('a gated fee change', () => {
    it('waits for the economic model commission, then takes effect', async () => {
      await ok('PUT', '/api/v1/governance/gates', operator, {
        items: [{ action: 'fee_change', enabled: true, commission: 'modele-economique' }],
      });
      const vote = await ok<VoteView>('PUT', '/api/v1/billing/settings', operator, { fee: { percent: '7' } }, 202);
      expect(vote).toMatchObject({ gate: 'fee_change', commission: { slug: 'modele-economique' } });
      expect(vote.action!.summary[0]).toMatch(/7/);
      expect((await ok<{ version: number }>('GET', '/api/v1/billing/settings', outsider)).version).toBe(0);
      for (const m of [chair, ...members.slice(0, 2)]) await cast(vote.id, m, 'pour');
      await ok('POST', `/api/v1/votes/${vote.id}/close`, chair);
      const settings = await ok<{ version: number; fee: { percent: string } }>('GET', '/api/v1/billing/settings', outsider);
      expect(settings).toMatchObject({ version: 1, fee: { percent: '7' } });
      expect((await ledger('billing.settings')).at(-1)).toMatchObject({ version: 1, vote: vote.id });
    });
  });

  describe('an ethics review escalated to the commission', () => {
    let reviewer: Caller;
    const healthRequest = async () => {
      const provider = await makeOrganisation(node.ctx, { category: 'public_body' });
      const steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: provider.id, role: 'data_steward' })).email);
      const consumer = await makeOrganisation(node.ctx, { category: 'research' });
      const analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: consumer.id, role: 'analyst' })).email);
      // The charter in force (3.0, from the gated charter tests) is signed by both organisations.
      for (const org of [provider, consumer]) {
        const admin = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: org.id, role: 'org_admin' })).email);
        await ok('POST', `/api/v1/members/${org.slug}/charter-signature`, admin, { version: '3.0' }, 201);
      }
      const dataset = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'restricted' })).slug;
      const offer = await ok<{ id: string }>(
        'POST',
        `/api/v1/datasets/${dataset}/offers`,
        steward,
        {
          title: 'Santé',
          agreement: 'ethics_review',
          terms: { template: 'research_aggregate', uses: ['aggregate'], purposes: ['dpv:ResearchAndDevelopment'], durationMonths: 12 },
        },
        201,
      );
      const asked = await ok<{ id: string; stage: string }>(
        'POST',
        '/api/v1/requests',
        analyst,
        {
          offer: offer.id,
          organisation: consumer.slug,
          purpose: 'dpv:ResearchAndDevelopment',
          durationMonths: 12,
          justification: 'Étude des hospitalisations par département.',
        },
        201,
      );
      expect(asked.stage).toBe('ethics_review');
      return asked.id;
    };
    const review = { decision: 'approved', checklist: FIVE_SAFES_CHECKLIST, escalate: true };

    it('is refused while the operator has not gated escalated reviews', async () => {
      reviewer = await signInAs(node.app, (await makeUser(node.ctx, { platformRoles: ['ethics_member'] })).email);
      const id = await healthRequest();
      expectError(await call('POST', `/api/v1/requests/${id}/review`, reviewer, review), 400, 'validation_failed');
    });

    it('waits for the ethics commission’s vote, then decides the request on adoption', async () => {
      await ok('PUT', '/api/v1/governance/gates', operator, {
        items: [{ action: 'ethics_review', enabled: true, commission: 'charte-ethique' }],
      });
      const id = await healthRequest();
      const vote = await ok<VoteView>('POST', `/api/v1/requests/${id}/review`, reviewer, review, 202);
      expect(vote).toMatchObject({ gate: 'ethics_review', commission: { slug: 'charte-ethique' }, action: { status: 'pending' } });
      expect(vote.question).toMatch(/approuver la demande/);
      expect((await ok<{ stage: string }>('GET', `/api/v1/requests/${id}`, operator)).stage).toBe('ethics_review');
      for (const m of members.slice(0, 3)) await cast(vote.id, m, 'pour');
      expect(await ok<VoteView>('POST', `/api/v1/votes/${vote.id}/close`, chair)).toMatchObject({
        outcome: 'adopted',
        action: { status: 'executed' },
      });
      expect((await ok<{ stage: string }>('GET', `/api/v1/requests/${id}`, operator)).stage).toBe('provider_review');
      expect((await ledger('ethics.decided')).at(-1)).toMatchObject({ request: id, decision: 'approved', vote: vote.id });
    });

    it('leaves the request to review when the vote rejects the proposal', async () => {
      const id = await healthRequest();
      const vote = await ok<VoteView>('POST', `/api/v1/requests/${id}/review`, reviewer, review, 202);
      for (const m of members.slice(0, 3)) await cast(vote.id, m, 'contre');
      expect(await ok<VoteView>('POST', `/api/v1/votes/${vote.id}/close`, chair)).toMatchObject({
        outcome: 'rejected',
        action: { status: 'rejected' },
      });
      expect((await ok<{ stage: string }>('GET', `/api/v1/requests/${id}`, operator)).stage).toBe('ethics_review');
    });
  });

  describe('the transparency report', () => {
    it('counts decisions by commission and outcome', async () => {
      await node.app.confiance.ledger.integrate();
      const report = await ok<{ decisionsByCommission: { commission: string; outcome: string; count: number }[] }>(
        'GET',
        '/api/v1/ledger/report',
        outsider,
      );
      expect(report.decisionsByCommission).toContainEqual({ commission: 'modele-economique', outcome: 'no_quorum', count: 2 });
      expect(
        report.decisionsByCommission.find((d) => d.commission === 'charte-ethique' && d.outcome === 'adopted')?.count,
      ).toBeGreaterThanOrEqual(3);
    });
  });

  describe('the vote list', () => {
    it('filters by commission and status', async () => {
      const open = await ok<{ items: { status: string }[] }>('GET', '/api/v1/votes?status=open', outsider);
      expect(open.items.every((v) => v.status === 'open')).toBe(true);
      const eco = await ok<{ items: { commission: { slug: string } }[] }>('GET', '/api/v1/votes?commission=modele-economique', outsider);
      expect(eco.items.length).toBe(11);
      expectError(await call('GET', '/api/v1/votes?commission=inconnue', outsider), 404, 'not_found');
    });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isoWeek, sendDigestNow, weeklyDigest } from '../src/modules/mailing/index';
import { backends } from './backends';
import { expectError, makeOrganisation, makeUser, publishTestDataset, signInAs, testNode, type Caller, type TestNode } from './harness';
import { startSmtpSink, type SmtpSink } from './smtp-sink';

const DAY = 86_400_000;
const inDays = (days: number, hours = 9) => {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hours, 0, 0, 0);
  return d.toISOString();
};

describe.each(backends())('e-mail notifications and the weekly digest on %s', (backend) => {
  let sink: SmtpSink;
  let node: TestNode;
  let org: { id: string; slug: string };
  let steward: Caller;
  let operator: Caller;
  /** People of another organisation, with their addresses. */
  const people: { caller: Caller; email: string }[] = [];
  let bounce: { caller: Caller; email: string };

  beforeAll(async () => {
    // Addresses starting with `bounce` do not exist: the server answers 550 to them.
    sink = await startSmtpSink({ refuse: (address) => (address.startsWith('bounce') ? 550 : undefined) });
    node = await testNode(backend, { env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port) } });
    org = await makeOrganisation(node.ctx, { shortName: 'Hérault Tourisme' });
    const other = await makeOrganisation(node.ctx);
    steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: org.id, role: 'data_steward' })).email);
    operator = await signInAs(node.app, (await makeUser(node.ctx, { platformRoles: ['operator'] })).email);
    for (let i = 0; i < 3; i++) {
      const user = await makeUser(node.ctx, { organisationId: other.id, role: 'analyst' });
      people.push({ caller: await signInAs(node.app, user.email), email: user.email });
    }
    const bounced = await makeUser(node.ctx, { email: 'bounce.personne@example.test', organisationId: other.id, role: 'analyst' });
    bounce = { caller: await signInAs(node.app, bounced.email), email: bounced.email };
    // Mails queued while setting up (none expected, but the inbox must start empty).
    await node.app.confiance.jobs.drain();
  });
  afterAll(async () => {
    await node.close();
    await sink.close();
  });
  beforeEach(() => {
    sink.inbox.length = 0;
  });

  async function deliver() {
    await node.app.confiance.jobs.drain();
    return [...sink.inbox];
  }
  const preferences = (caller: Caller) => node.app.inject({ url: '/api/v1/me/notification-preferences', headers: caller.headers });
  const setPreferences = (caller: Caller, email: Record<string, boolean>) =>
    node.app.inject({ method: 'PUT', url: '/api/v1/me/notification-preferences', headers: caller.headers, payload: { email } });

  async function eventWith(registered: Caller[], title: string) {
    const response = await node.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: steward.headers,
      payload: {
        title,
        kind: 'atelier',
        startsAt: inDays(10),
        endsAt: inDays(10, 12),
        place: 'Montpellier',
        organisation: org.slug,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    const id = response.json<{ id: string }>().id;
    for (const c of registered)
      expect((await node.app.inject({ method: 'POST', url: `/api/v1/events/${id}/registration`, headers: c.headers })).statusCode).toBe(
        200,
      );
    return id;
  }
  const cancel = (id: string) => node.app.inject({ method: 'POST', url: `/api/v1/events/${id}/cancel`, headers: steward.headers });

  describe('preferences', () => {
    it('are all on by default, and each user changes their own', async () => {
      const initial = await preferences(people[0]!.caller);
      expect(initial.statusCode).toBe(200);
      expect(initial.json()).toEqual({
        email: { requests: true, contracts: true, projects: true, needs: true, governance: true, events: true, other: true, digest: true },
        lastFailure: null,
      });
      const changed = await setPreferences(people[2]!.caller, { events: false, digest: false });
      expect(changed.json().email).toMatchObject({ events: false, digest: false, contracts: true });
      expect((await preferences(people[2]!.caller)).json().email).toMatchObject({ events: false, digest: false });
      expect((await preferences(people[0]!.caller)).json().email.events).toBe(true);
      expectError(await node.app.inject({ url: '/api/v1/me/notification-preferences' }), 401, 'unauthenticated');
      expectError(await setPreferences(people[0]!.caller, { nonsense: false }), 400, 'validation_failed');
    });
  });

  describe('a notification', () => {
    it('arrives by e-mail to those who want it, with the link and how to stop, and stays in the portal for all', async () => {
      const id = await eventWith([people[0]!.caller, people[2]!.caller], 'Atelier tourisme durable');
      expect((await cancel(id)).statusCode).toBe(200);
      const mails = await deliver();
      expect(mails.map((m) => m.to)).toEqual([[people[0]!.email]]);
      expect(mails[0]!.subject).toBe('Événement annulé : Atelier tourisme durable');
      expect(mails[0]!.text).toContain(`http://confiance.test/evenements/${id}`);
      expect(mails[0]!.text).toContain('http://confiance.test/profil#notifications');
      for (const p of [people[0]!, people[2]!]) {
        const inApp = await node.app.inject({ url: '/api/v1/notifications', headers: p.caller.headers });
        expect(inApp.json().items.map((n: { link: string }) => n.link)).toContain(`/evenements/${id}`);
      }
    });
  });

  describe('when the mail server refuses an address (550)', () => {
    it('records the refusal, does not retry, shows it to the user and the operator; other mails and the notification are unaffected', async () => {
      const id = await eventWith([bounce.caller, people[1]!.caller], 'Webinaire données mobilité');
      expect((await cancel(id)).statusCode).toBe(200);
      const mails = await deliver();
      expect(mails.map((m) => m.to)).toEqual([[people[1]!.email]]);

      const jobs = await node.ctx.db.selectFrom('jobs').selectAll().where('kind', '=', 'mail.send').execute();
      const job = jobs.filter((j) => (j.payload as { to: string }).to === bounce.email);
      expect(job).toEqual([expect.objectContaining({ status: 'failed', attempts: 1 })]);

      const mine = await preferences(bounce.caller);
      expect(mine.json().lastFailure).toMatchObject({
        recipient: bounce.email,
        subject: 'Événement annulé : Webinaire données mobilité',
        responseCode: 550,
        permanent: true,
        response: expect.stringContaining('mailbox unavailable'),
      });
      const list = await node.app.inject({ url: '/api/v1/mail/failures', headers: operator.headers });
      expect(list.statusCode).toBe(200);
      expect(list.json().items[0]).toMatchObject({ recipient: bounce.email, responseCode: 550 });
      expectError(await node.app.inject({ url: '/api/v1/mail/failures', headers: bounce.caller.headers }), 403, 'forbidden');

      const inApp = await node.app.inject({ url: '/api/v1/notifications', headers: bounce.caller.headers });
      expect(inApp.json().items[0]).toMatchObject({ kind: 'event.cancelled', link: `/evenements/${id}` });
      // Changing one's preferences (a new address, say) acknowledges the refusal.
      expect((await setPreferences(bounce.caller, { contracts: true })).json().lastFailure).toBeNull();
    });

    it('retries a temporary refusal (4xx) later', async () => {
      const retry = await startSmtpSink({ refuse: () => 451 });
      // Another node whose mail server is, for now, refusing everything.
      const other = await testNode(backend, { env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(retry.port) } });
      try {
        await other.ctx.jobs.enqueue(other.ctx.db, 'mail.send', { to: 'quelqu.un@example.test', subject: 'Essai', text: 'Essai' });
        await other.app.confiance.jobs.drain();
        const job = await other.ctx.db.selectFrom('jobs').selectAll().where('kind', '=', 'mail.send').executeTakeFirstOrThrow();
        expect(job).toMatchObject({ status: 'pending', attempts: 1 });
        const failure = await other.ctx.db.selectFrom('mail_failures').selectAll().executeTakeFirstOrThrow();
        expect(failure).toMatchObject({ response_code: 451, permanent: false });
      } finally {
        await other.close();
        await retry.close();
      }
    });
  });

  describe('the weekly digest', () => {
    let dataset: string;
    let eventId: string;

    beforeAll(async () => {
      dataset = (await publishTestDataset(node.app, steward.headers, org.slug, { title: { fr: 'Capacités des campings du littoral' } }))
        .slug;
      eventId = await eventWith([], 'Hackathon mobilité Toulouse');
      await node.app.confiance.jobs.drain();
      sink.inbox.length = 0;
    });

    it('is sent now by the operator only', async () => {
      expectError(await node.app.inject({ method: 'POST', url: '/api/v1/mail/digest', headers: steward.headers }), 403, 'forbidden');
      const response = await node.app.inject({ method: 'POST', url: '/api/v1/mail/digest', headers: operator.headers });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().items).toMatchObject({ datasets: 1, events: 1 });
    });

    it('arrives with the new dataset and the upcoming event, not to those who turned it off', async () => {
      const mails = await deliver();
      const to = mails.map((m) => m.to[0]);
      expect(to).toContain(people[0]!.email);
      expect(to).not.toContain(people[2]!.email);
      expect(to).not.toContain(bounce.email);
      const mail = mails.find((m) => m.to[0] === people[0]!.email)!;
      expect(mail.subject).toMatch(/^Confiance — le résumé de la semaine/);
      expect(mail.text).toContain('Nouveaux jeux de données (1)');
      expect(mail.text).toContain('Capacités des campings du littoral');
      expect(mail.text).toContain(`http://confiance.test/datasets/${dataset}`);
      expect(mail.text).toContain('Événements à venir');
      expect(mail.text).toContain('Hackathon mobilité Toulouse');
      expect(mail.text).toContain(`http://confiance.test/evenements/${eventId}`);
      expect(mail.text).toContain('/profil#notifications');
    });

    it('is skipped when nothing is new', async () => {
      const later = new Date(Date.now() + 60 * DAY);
      expect(await sendDigestNow(node.ctx, later)).toMatchObject({ recipients: 0 });
    });

    it('goes out once per ISO week, the first run only setting the marker', async () => {
      const now = new Date();
      expect(await weeklyDigest(node.ctx, now)).toBeNull();
      expect(await weeklyDigest(node.ctx, now)).toBeNull();
      const nextWeek = new Date(now.getTime() + 7 * DAY - 60_000);
      // A week later, the event is still to come: someone is mailed.
      const [first, second] = await Promise.all([weeklyDigest(node.ctx, nextWeek), weeklyDigest(node.ctx, nextWeek)]);
      expect([first, second].filter((r) => r !== null)).toHaveLength(1);
      expect((first ?? second)!.recipients).toBeGreaterThan(0);
      const marker = await node.ctx.db.selectFrom('node_state').select('value').where('key', '=', 'mail_digest').executeTakeFirstOrThrow();
      expect(marker.value).toMatchObject({ week: isoWeek(nextWeek) });
    });
  });

  it('names ISO weeks as ISO 8601 does', () => {
    expect(isoWeek(new Date('2026-11-29T12:00:00Z'))).toBe('2026-W48');
    expect(isoWeek(new Date('2026-11-30T00:30:00Z'))).toBe('2026-W49');
    expect(isoWeek(new Date('2027-01-01T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53');
    expect(isoWeek(new Date('2024-12-30T12:00:00Z'))).toBe('2025-W01');
  });
});

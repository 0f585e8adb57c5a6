import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoEvents } from '../src/modules/demo/events-seed';
import { OPERATOR } from '../src/modules/demo/people';
import { backends } from './backends';
import { expectError, makeOrganisation, makeUser, signInAs, testNode, type Caller, type TestNode } from './harness';

const DAY = 86_400_000;
const inDays = (days: number, hours = 9) => {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hours, 0, 0, 0);
  return d.toISOString();
};

/** Reads an iCalendar text back: unfolds (§3.1), splits properties, unescapes TEXT values. */
function parseIcs(text: string): Record<string, string>[] {
  const events: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of text.replace(/\r\n[ \t]/g, '').split('\r\n')) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      events.push(current!);
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon);
      const raw = line.slice(colon + 1);
      current[name] = name === 'URL' ? raw : raw.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
    }
  }
  return events;
}
const icsDate = (value: string) =>
  new Date(value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z')).toISOString();

describe.each(backends())('events on %s', (backend) => {
  let node: TestNode;
  let org: { id: string; slug: string };
  let admin: Caller;
  let steward: Caller;
  let analyst: Caller;
  let outsider: Caller;
  let people: Caller[];

  beforeAll(async () => {
    node = await testNode(backend);
    org = await makeOrganisation(node.ctx, { shortName: 'Région Occitanie' });
    const other = await makeOrganisation(node.ctx);
    admin = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: org.id, role: 'org_admin' })).email);
    steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: org.id, role: 'data_steward' })).email);
    analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: org.id, role: 'analyst' })).email);
    outsider = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: other.id, role: 'org_admin' })).email);
    people = await Promise.all(
      [0, 1, 2, 3].map(async () => signInAs(node.app, (await makeUser(node.ctx, { organisationId: other.id, role: 'analyst' })).email)),
    );
  });
  afterAll(() => node.close());

  async function create(body: Record<string, unknown>, by: Caller = steward) {
    return node.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: by.headers,
      payload: {
        title: 'Atelier Littoral 21, données touristiques',
        kind: 'atelier',
        description: 'Ligne 1\nLigne 2; avec un point-virgule',
        startsAt: inDays(14),
        endsAt: inDays(14, 12),
        place: 'Hôtel de Région, Montpellier',
        organisation: org.slug,
        ...body,
      },
    });
  }
  async function created(body: Record<string, unknown> = {}) {
    const response = await create(body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; seatsLeft: number | null; registered: number }>();
  }
  const register = (id: string, by: Caller) =>
    node.app.inject({ method: 'POST', url: `/api/v1/events/${id}/registration`, headers: by.headers });

  describe('organising', () => {
    it('lets the organiser’s steward create an event, shown to anyone', async () => {
      const event = await created({ capacity: 30 });
      expect(event).toMatchObject({ registered: 0, seatsLeft: 30 });
      const anonymous = await node.app.inject({ url: `/api/v1/events/${event.id}` });
      expect(anonymous.statusCode).toBe(200);
      expect(anonymous.json()).toMatchObject({
        organisation: { slug: org.slug, shortName: 'Région Occitanie' },
        registrationOpen: true,
        isRegistered: false,
        canManage: false,
      });
      const list = await node.app.inject({ url: '/api/v1/events' });
      expect(list.json().items.map((e: { id: string }) => e.id)).toContain(event.id);
    });

    it('refuses an analyst of the organiser and another organisation’s admin', async () => {
      expectError(await create({}, analyst), 403, 'forbidden');
      expectError(await create({}, outsider), 403, 'forbidden');
    });

    it('explains a schedule that cannot be', async () => {
      const backwards = expectError(await create({ endsAt: inDays(13) }), 400, 'validation_failed');
      expect(backwards.message).toContain('la fin doit suivre le début');
      const late = expectError(await create({ registrationDeadline: inDays(15) }), 400, 'validation_failed');
      expect(late.message).toContain('clôture des inscriptions');
      const nowhere = expectError(await create({ place: null, onlineUrl: null }), 400, 'validation_failed');
      expect(nowhere.message).toContain('lieu ou un lien');
    });

    it('lets the organiser change it, not another organisation', async () => {
      const event = await created();
      const patch = { title: 'Atelier reporté', startsAt: inDays(20), endsAt: inDays(20, 12) };
      expectError(
        await node.app.inject({ method: 'PATCH', url: `/api/v1/events/${event.id}`, headers: outsider.headers, payload: patch }),
        403,
        'forbidden',
      );
      const changed = await node.app.inject({ method: 'PATCH', url: `/api/v1/events/${event.id}`, headers: admin.headers, payload: patch });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({ title: 'Atelier reporté', startsAt: patch.startsAt });
    });

    it('will not cut the capacity below the people already registered', async () => {
      const event = await created({ capacity: 5 });
      for (const p of people.slice(0, 2)) expect((await register(event.id, p)).statusCode).toBe(200);
      const error = expectError(
        await node.app.inject({ method: 'PATCH', url: `/api/v1/events/${event.id}`, headers: admin.headers, payload: { capacity: 1 } }),
        409,
        'conflict',
      );
      expect(error.details).toEqual({ registered: 2 });
    });

    it('shows the registrants to the organiser’s members only', async () => {
      const event = await created();
      await register(event.id, people[0]!);
      const seen = await node.app.inject({ url: `/api/v1/events/${event.id}/registrations`, headers: analyst.headers });
      expect(seen.statusCode).toBe(200);
      expect(seen.json().items.map((r: { userId: string }) => r.userId)).toEqual([people[0]!.userId]);
      expectError(await node.app.inject({ url: `/api/v1/events/${event.id}/registrations`, headers: outsider.headers }), 403, 'forbidden');
    });

    it('cancels, telling the people registered in the portal and by e-mail', async () => {
      const event = await created({ title: 'Webinaire annulé' });
      await register(event.id, people[1]!);
      const cancelled = await node.app.inject({ method: 'POST', url: `/api/v1/events/${event.id}/cancel`, headers: steward.headers });
      expect(cancelled.json()).toMatchObject({ status: 'cancelled', registrationOpen: false });
      const notifications = await node.app.inject({ url: '/api/v1/notifications', headers: people[1]!.headers });
      expect(notifications.json().items[0]).toMatchObject({
        kind: 'event.cancelled',
        title: 'Événement annulé : Webinaire annulé',
        link: `/evenements/${event.id}`,
      });
      const user = await node.ctx.db.selectFrom('users').select('email').where('id', '=', people[1]!.userId).executeTakeFirstOrThrow();
      const jobs = await node.ctx.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').execute();
      expect(jobs.map((j) => j.payload)).toContainEqual({
        to: user.email,
        subject: 'Événement annulé : Webinaire annulé',
        text: 'Événement annulé : Webinaire annulé',
        link: `/evenements/${event.id}`,
      });
      expectError(await register(event.id, people[2]!), 409, 'conflict');
    });
  });

  describe('registering', () => {
    it('registers once; a second registration is a conflict', async () => {
      const event = await created({ capacity: 3 });
      const first = await register(event.id, people[0]!);
      expect(first.json()).toMatchObject({ isRegistered: true, registered: 1, seatsLeft: 2 });
      const again = expectError(await register(event.id, people[0]!), 409, 'conflict');
      expect(again.message).toContain('déjà inscrit');
      expect((await node.app.inject({ url: `/api/v1/events/${event.id}` })).json().registered).toBe(1);
    });

    it('answers « complet » once every seat is taken', async () => {
      const event = await created({ capacity: 1 });
      expect((await register(event.id, people[0]!)).statusCode).toBe(200);
      const full = expectError(await register(event.id, people[1]!), 409, 'conflict');
      expect(full.message).toMatch(/complet/);
      expect(full.details).toEqual({ full: true });
      const page = await node.app.inject({ url: `/api/v1/events/${event.id}`, headers: people[1]!.headers });
      expect(page.json()).toMatchObject({ seatsLeft: 0, registrationOpen: false, isRegistered: false });
    });

    it('gives the last seat to exactly one of several people asking at once', async () => {
      const event = await created({ capacity: 2 });
      expect((await register(event.id, people[0]!)).statusCode).toBe(200);
      const answers = await Promise.all(people.slice(1).map((p) => register(event.id, p)));
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409]);
      for (const refused of answers.filter((a) => a.statusCode === 409)) expect(refused.json().error.message).toMatch(/complet/);
      const rows = await node.ctx.db.selectFrom('event_registrations').select('user_id').where('event_id', '=', event.id).execute();
      expect(rows).toHaveLength(2);
    });

    it('frees the seat when someone cancels their registration', async () => {
      const event = await created({ capacity: 1 });
      await register(event.id, people[0]!);
      const left = await node.app.inject({ method: 'DELETE', url: `/api/v1/events/${event.id}/registration`, headers: people[0]!.headers });
      expect(left.json()).toMatchObject({ isRegistered: false, seatsLeft: 1 });
      expect((await register(event.id, people[1]!)).statusCode).toBe(200);
      expectError(
        await node.app.inject({ method: 'DELETE', url: `/api/v1/events/${event.id}/registration`, headers: people[0]!.headers }),
        404,
        'not_found',
      );
    });

    it('is closed past the registration deadline, and once the event has started', async () => {
      const closing = await created({ registrationDeadline: new Date(Date.now() - 60_000).toISOString() });
      expect(expectError(await register(closing.id, people[0]!), 409, 'conflict').message).toMatch(/inscriptions sont closes depuis le/);
      const past = await created({ startsAt: inDays(-3), endsAt: inDays(-3, 12) });
      expect(expectError(await register(past.id, people[0]!), 409, 'conflict').message).toMatch(/déjà commencé/);
    });

    it('needs an account', async () => {
      const event = await created();
      expectError(await node.app.inject({ method: 'POST', url: `/api/v1/events/${event.id}/registration` }), 401, 'unauthenticated');
    });
  });

  describe('iCalendar', () => {
    it('gives one event as a valid .ics file that reads back to the event', async () => {
      const event = await created({ onlineUrl: 'https://visio.example.test/littoral-21?salle=1,2' });
      const response = await node.app.inject({ url: `/api/v1/events/${event.id}.ics` });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(response.headers['content-disposition']).toContain('.ics');
      const text = response.body;
      expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
      expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
      for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      const [vevent, ...rest] = parseIcs(text);
      expect(rest).toEqual([]);
      const json = (await node.app.inject({ url: `/api/v1/events/${event.id}` })).json();
      expect(vevent).toMatchObject({
        UID: `${event.id}@confiance.test`,
        SUMMARY: 'Atelier Littoral 21, données touristiques',
        LOCATION: 'Hôtel de Région, Montpellier',
        URL: `http://confiance.test/evenements/${event.id}`,
        STATUS: 'CONFIRMED',
      });
      expect(icsDate(vevent!.DTSTART!)).toBe(json.startsAt);
      expect(icsDate(vevent!.DTEND!)).toBe(json.endsAt);
      expect(vevent!.DTSTAMP).toMatch(/^\d{8}T\d{6}Z$/);
      expect(vevent!.DESCRIPTION).toContain('Ligne 1\nLigne 2; avec un point-virgule');
      expect(vevent!.DESCRIPTION).toContain('https://visio.example.test/littoral-21?salle=1,2');
    });

    it('answers 404 for an unknown event', async () => {
      expectError(await node.app.inject({ url: '/api/v1/events/00000000-0000-4000-8000-000000000000.ics' }), 404, 'not_found');
    });

    it('offers a feed of the upcoming events, without the past ones', async () => {
      const coming = await created({ title: 'Hackathon mobilité' });
      const past = await created({ title: 'Atelier passé', startsAt: inDays(-10), endsAt: inDays(-10, 12) });
      const response = await node.app.inject({ url: '/api/v1/events.ics' });
      expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
      const uids = parseIcs(response.body).map((e) => e.UID);
      expect(uids).toContain(`${coming.id}@confiance.test`);
      expect(uids).not.toContain(`${past.id}@confiance.test`);
      const pastList = await node.app.inject({ url: '/api/v1/events?when=past' });
      expect(pastList.json().items.map((e: { id: string }) => e.id)).toContain(past.id);
    });
  });

  describe('the demo seed', () => {
    it('creates the demo events relative to now through the commands, once', async () => {
      for (const slug of ['region-occitanie', 'tisseo-collectivites', 'ekitia']) await makeOrganisation(node.ctx, { slug });
      await makeUser(node.ctx, { email: OPERATOR.email, platformRoles: ['operator'] });
      expect(await seedDemoEvents(node.ctx)).toBe(4);
      expect(await seedDemoEvents(node.ctx)).toBe(0);
      const upcoming = (await node.app.inject({ url: '/api/v1/events' })).json().items as { title: string; capacity: number | null }[];
      expect(upcoming.find((e) => e.title === 'Hackathon mobilité : données ouvertes des transports toulousains')).toMatchObject({
        capacity: 12,
      });
      expect(upcoming.some((e) => e.title.startsWith('Atelier Littoral 21 : requalifier'))).toBe(true);
      const past = (await node.app.inject({ url: '/api/v1/events?when=past' })).json().items as { title: string }[];
      expect(past.map((e) => e.title)).toContain('Réunion de lancement du réseau Confiance');
    });
  });
});

import fs from 'node:fs/promises';
import path from 'node:path';
import type { EventView } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, signInAs, tokenFor, type TestNode } from '../../server/test/harness';
import { buildProgram } from '../src/main';
import { listeningNode, run } from './run';

const DAY = 86_400_000;

describe('confiance events: the grammar', () => {
  const program = buildProgram({ serving: false });
  const events = program.commands.find((c) => c.name() === 'events')!;

  it('has list, register and ics, each with a French description', () => {
    expect(events.commands.map((c) => c.name())).toEqual(['list', 'register', 'ics']);
    for (const verb of events.commands) expect(verb.description()).toMatch(/^[a-zé]/);
  });
});

describe('confiance events against a running node', { timeout: 120_000 }, () => {
  let node: TestNode;
  let home: string;
  let env: Record<string, string>;
  const tokens = { first: '', second: '' };
  let hackathon: string;
  const as = (who: keyof typeof tokens | null, args: string[]) => run(args, who ? { ...env, CONFIANCE_TOKEN: tokens[who] } : env, '', home);

  beforeAll(async () => {
    ({ node, home, env } = await listeningNode('confiance-events-'));
    const org = await makeOrganisation(node.ctx, { shortName: 'Tisséo' });
    const steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: org.id, role: 'data_steward' })).email);
    for (const who of ['first', 'second'] as const)
      tokens[who] = await tokenFor(
        node.app,
        await signInAs(node.app, (await makeUser(node.ctx, { organisationId: org.id, role: 'analyst' })).email),
      );
    const created = await node.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: steward.headers,
      payload: {
        title: 'Hackathon mobilité, Toulouse',
        kind: 'hackathon',
        startsAt: new Date(Date.now() + 30 * DAY).toISOString(),
        endsAt: new Date(Date.now() + 31 * DAY).toISOString(),
        place: 'Quai des Savoirs, Toulouse',
        capacity: 1,
        organisation: org.slug,
      },
    });
    hackathon = created.json<{ id: string }>().id;
  }, 60_000);
  afterAll(async () => {
    await node?.close();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('lists the upcoming events without an account', async () => {
    const listed = await as(null, ['events', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('Hackathon mobilité, Toulouse');
    expect(listed.stdout).toContain('1 / 1');
    const json = await as(null, ['events', 'list', '--json']);
    expect(JSON.parse(json.stdout).items.map((e: EventView) => e.id)).toEqual([hackathon]);
  });

  it('registers, then refuses the second person: the event is full', async () => {
    const first = await as('first', ['events', 'register', hackathon]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Inscrit·e : Hackathon mobilité, Toulouse');
    const second = await as('second', ['events', 'register', hackathon]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/complet/);
    const cancelled = await as('first', ['events', 'register', hackathon, '--cancel', '--json']);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ isRegistered: false, seatsLeft: 1 });
  });

  it('writes the event’s .ics to stdout or to a file, and the feed', async () => {
    const out = await as(null, ['events', 'ics', hackathon]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(out.stdout).toContain('SUMMARY:Hackathon mobilité\\, Toulouse\r\n');
    const saved = await as(null, ['events', 'ics', hackathon, '--output', 'hackathon.ics']);
    expect(saved.code, saved.stderr).toBe(0);
    // The same calendar, but for its DTSTAMP: the moment each copy was made.
    const stamp = (ics: string) => ics.replace(/DTSTAMP:\d{8}T\d{6}Z/g, 'DTSTAMP');
    expect(stamp(await fs.readFile(path.join(home, 'hackathon.ics'), 'utf8'))).toBe(stamp(out.stdout));
    const again = await as(null, ['events', 'ics', hackathon, '--output', 'hackathon.ics']);
    expect(again.code).toBe(2);
    const feed = await as(null, ['events', 'ics']);
    expect(feed.stdout).toContain(`UID:${hackathon}@`);
  });
});

import fs from 'node:fs/promises';
import type { VoteView } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, signInAs, tokenFor, type TestNode } from '../../server/test/harness';
import { buildProgram } from '../src/main';
import { listeningNode, run } from './run';

/**
 * Commissions and votes from the terminal (issue 10), against a real node: the commissions listed
 * and shown, a vote opened by the chair, cast once by each member (a second ballot and an
 * outsider's are refused), closed early only by the chair, and decided.
 */

describe('confiance commissions and votes: the grammar', () => {
  const program = buildProgram({ serving: false });
  it('has its verbs, each with --json and a French description', () => {
    const commissions = program.commands.find((c) => c.name() === 'commissions')!;
    const votes = program.commands.find((c) => c.name() === 'votes')!;
    expect(commissions.commands.map((c) => c.name())).toEqual(['list', 'show']);
    expect(votes.commands.map((c) => c.name())).toEqual(['list', 'show', 'open', 'cast', 'close']);
    for (const verb of [...commissions.commands, ...votes.commands]) {
      expect(verb.options.map((o) => o.long)).toContain('--json');
      expect(verb.description()).toMatch(/^[a-zé]/);
    }
  });
});

describe('confiance commissions and votes against a running node', { timeout: 120_000 }, () => {
  let node: TestNode;
  let home: string;
  let env: Record<string, string>;
  const tokens = { chair: '', member: '', outsider: '' };
  const as = (who: keyof typeof tokens, args: string[]) => run(args, { ...env, CONFIANCE_TOKEN: tokens[who] });
  let vote: string;

  beforeAll(async () => {
    ({ node, home, env } = await listeningNode('confiance-governance-'));
    const org = await makeOrganisation(node.ctx);
    const operator = await signInAs(node.app, (await makeUser(node.ctx, { platformRoles: ['operator'] })).email);
    for (const who of ['chair', 'member', 'outsider'] as const) {
      const user = await makeUser(node.ctx, { organisationId: org.id, role: 'org_admin' });
      tokens[who] = await tokenFor(node.app, await signInAs(node.app, user.email));
      if (who === 'outsider') continue;
      const response = await node.app.inject({
        method: 'POST',
        url: '/api/v1/commissions/projets/members',
        headers: operator.headers,
        payload: { email: user.email, role: who === 'chair' ? 'chair' : 'member' },
      });
      if (response.statusCode !== 201) throw new Error(`appoint: ${response.body}`);
    }
  }, 60_000);
  afterAll(async () => {
    await node?.close();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('lists the five commissions and shows one', async () => {
    const list = await as('member', ['commissions', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^projets +Commission projets +2 +0 +membre$/m);
    const show = await as('member', ['commissions', 'show', 'projets']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('2 membres');
  });

  it('opens a vote as the chair, not as a member', async () => {
    const closes = new Date(Date.now() + 86_400_000).toISOString();
    const refused = await as('member', ['votes', 'open', '--commission', 'projets', '--question', 'Non ?', '--closes', closes]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/droits/);
    const opened = await as('chair', [
      'votes',
      'open',
      '--commission',
      'projets',
      '--question',
      'Retenir Littoral 21 ?',
      '--closes',
      closes,
      '--json',
    ]);
    expect(opened.code, opened.stderr).toBe(0);
    vote = JSON.parse(opened.stdout).id as string;
  });

  it('takes one ballot per member, none from an outsider', async () => {
    const cast = await as('member', ['votes', 'cast', vote, 'pour']);
    expect(cast.code, cast.stderr).toBe(0);
    expect(cast.stdout).toContain('Vote enregistré : pour. Participation : 1 sur 2 membres.');
    const again = await as('member', ['votes', 'cast', vote, 'contre']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/déjà voté/);
    expect((await as('outsider', ['votes', 'cast', vote, 'pour'])).code).toBe(1);
    const bad = await as('member', ['votes', 'cast', vote, 'peut-être']);
    expect(bad.code).toBe(2);
  });

  it('is closed early by the chair only, and decided', async () => {
    expect((await as('member', ['votes', 'close', vote])).code).toBe(1);
    const closed = await as('chair', ['votes', 'close', vote]);
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stdout).toMatch(/^Vote clos : adopté \(entrée \d+ du registre\)\.$/m);
    const shown = JSON.parse((await as('outsider', ['votes', 'show', vote, '--json'])).stdout) as VoteView;
    expect(shown).toMatchObject({ status: 'closed', outcome: 'adopted', ballots: null });
    const list = await as('outsider', ['votes', 'list', '--status', 'closed']);
    expect(list.stdout).toContain('Retenir Littoral 21 ?');
  });
});

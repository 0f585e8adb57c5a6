import fs from 'node:fs/promises';
import type { NeedView } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, publishTestDataset, signInAs, tokenFor, type TestNode } from '../../server/test/harness';
import { buildProgram } from '../src/main';
import { listeningNode, run } from './run';

/**
 * The needs board from the terminal: a member posts a need, anyone lists and reads it, a
 * provider's steward answers with a dataset; a second answer of the same organisation and a
 * refusal without reason are refused.
 */

describe('confiance needs: the grammar', () => {
  const program = buildProgram({ serving: false });
  const needs = program.commands.find((c) => c.name() === 'needs')!;
  it('has its verbs, each with --json and a French description', () => {
    expect(needs.commands.map((c) => c.name())).toEqual(['list', 'show', 'create', 'answer']);
    for (const verb of needs.commands) {
      expect(verb.options.map((o) => o.long)).toContain('--json');
      expect(verb.description()).toMatch(/^[a-zé]/);
    }
  });
});

describe('confiance needs against a running node', { timeout: 120_000 }, () => {
  let node: TestNode;
  let home: string;
  let env: Record<string, string>;
  let dataset: string;
  const tokens = { seeker: '', steward: '' };
  const as = (who: keyof typeof tokens | null, args: string[]) => run(args, who ? { ...env, CONFIANCE_TOKEN: tokens[who] } : env);

  beforeAll(async () => {
    ({ node, home, env } = await listeningNode('confiance-needs-'));
    const seeker = await makeOrganisation(node.ctx, { slug: 'ville-test' });
    const provider = await makeOrganisation(node.ctx, { slug: 'fournisseur-test' });
    tokens.seeker = await tokenFor(
      node.app,
      await signInAs(node.app, (await makeUser(node.ctx, { organisationId: seeker.id, role: 'analyst' })).email),
    );
    const steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: provider.id, role: 'data_steward' })).email);
    tokens.steward = await tokenFor(node.app, steward);
    dataset = (await publishTestDataset(node.app, steward.headers, provider.slug)).slug;
  }, 60_000);
  afterAll(async () => {
    await node?.close();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('posts a need, lists it for anyone, takes one answer per organisation', async () => {
    const created = await as('seeker', [
      'needs',
      'create',
      '--organisation',
      'ville-test',
      '--title',
      'Fréquentation des plages',
      '--description',
      'Comptages journaliers de fréquentation des plages du littoral.',
      '--domain',
      'tourism',
      '--purpose',
      'dpv:ServiceOptimisation',
      '--territory',
      '34',
      '--territory',
      '66',
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const need = JSON.parse(created.stdout) as NeedView;
    expect(need).toMatchObject({ status: 'open', territory: ['34', '66'] });

    const listed = await as(null, ['needs', 'list', '--organisation', 'ville-test']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('Fréquentation des plages');
    expect(listed.stdout).toMatch(/^1 besoin\.$/m);

    const conflicting = await as('steward', [
      'needs',
      'answer',
      need.id,
      '--organisation',
      'fournisseur-test',
      '--dataset',
      dataset,
      '--plan',
      '2099-01-01',
    ]);
    expect(conflicting.code).toBe(2);
    expect(conflicting.stderr).toMatch(/d’une seule façon/);
    const shortRefusal = await as('steward', ['needs', 'answer', need.id, '--organisation', 'fournisseur-test', '--refuse', 'non']);
    expect(shortRefusal.code).toBe(2);
    expect(shortRefusal.stderr).toMatch(/20 caractères/);

    const answered = await as('steward', ['needs', 'answer', need.id, '--organisation', 'fournisseur-test', '--dataset', dataset]);
    expect(answered.code, answered.stderr).toBe(0);
    expect(answered.stdout).toMatch(/^Statut +réponse reçue$/m);
    expect(answered.stdout).toContain(`jeu de données existant : `);

    const again = await as('steward', ['needs', 'answer', need.id, '--organisation', 'fournisseur-test', '--plan', '2099-01-01']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/déjà répondu/);

    const shown = await as(null, ['needs', 'show', need.id]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/Réponses \(1\)/);
  });
});

import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProjectDetailView, ProjectView } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, publishTestDataset, signInAs, tokenFor, type TestNode } from '../../server/test/harness';
import { listeningNode, run } from './run';

/**
 * Projects from the terminal (issue 10): the lead's admin creates a project with its territory
 * and invites partners with a role; an invited admin declines, another accepts; the lead moves the
 * status along (a skipped step is refused), sets the lists from a file and removes a partner.
 */
describe('confiance projects against a running node', () => {
  let node: TestNode;
  let home: string;
  let env: Record<string, string>;
  const tokens = { leadAdmin: '', providerAdmin: '', userAdmin: '' };
  const as = (who: keyof typeof tokens, args: string[]) => run(args, { ...env, CONFIANCE_TOKEN: tokens[who] });
  let project = '';
  let providerId = '';

  beforeAll(async () => {
    ({ node, home, env } = await listeningNode('confiance-projects-'));
    const lead = await makeOrganisation(node.ctx, { slug: 'region-test', shortName: 'Région Test', category: 'public_body' });
    const provider = await makeOrganisation(node.ctx, { slug: 'tourisme-test', shortName: 'Tourisme Test', category: 'public_body' });
    const user = await makeOrganisation(node.ctx, { slug: 'univ-test', shortName: 'Université Test', category: 'research' });
    const token = async (organisationId: string) =>
      tokenFor(node.app, await signInAs(node.app, (await makeUser(node.ctx, { organisationId, role: 'org_admin' })).email));
    tokens.leadAdmin = await token(lead.id);
    tokens.providerAdmin = await token(provider.id);
    providerId = provider.id;
    tokens.userAdmin = await token(user.id);
  });
  afterAll(async () => {
    await node?.close();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('creates a project, inviting partners with their role', async () => {
    const created = await as('leadAdmin', [
      'projects',
      'create',
      '--title',
      'Littoral test',
      '--purpose',
      'PublicPolicyMaking',
      '--lead',
      'region-test',
      '--objective',
      'Requalifier l’offre touristique du littoral.',
      '--partner',
      'tourisme-test:data_provider',
      '--partner',
      'univ-test:data_user',
      '--domain',
      'tourism',
      '--territory',
      '34',
      '--territory',
      '11',
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const view = JSON.parse(created.stdout) as ProjectView;
    project = view.id;
    expect(view).toMatchObject({ status: 'idea', territory: ['11', '34'], domains: ['tourism'], partners: [] });
    expect(view.invited.map((o) => `${o.slug}:${o.role}`).sort()).toEqual(['tourisme-test:data_provider', 'univ-test:data_user']);

    const badRole = await as('leadAdmin', [
      'projects',
      'create',
      '--title',
      'X y z',
      '--purpose',
      'PublicPolicyMaking',
      '--lead',
      'region-test',
      '--partner',
      'univ-test:chef',
    ]);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toContain('rôle « chef » inconnu');
  });

  it('lets one invited admin decline and the other accept; lists the members', async () => {
    const declined = await as('userAdmin', ['projects', 'members', project, 'decline', 'univ-test']);
    expect(declined.code, declined.stderr).toBe(0);
    expect(declined.stdout).toMatch(/^univ-test +Université Test +Utilisateur de données +a décliné$/m);
    const refused = await as('userAdmin', ['projects', 'members', project, 'accept', 'tourisme-test']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('(forbidden,');
    const accepted = await as('providerAdmin', ['projects', 'members', project, 'accept', 'tourisme-test']);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toMatch(/^tourisme-test +Tourisme Test +Fournisseur de données +partenaire$/m);
    const listed = await as('leadAdmin', ['projects', 'list', '--organisation', 'tourisme-test']);
    expect(listed.stdout).toMatch(/Littoral test\s+idée\s+region-test\s+tourisme-test/);
  });

  it('moves the status along, refusing a skipped step with the French reason', async () => {
    const skipped = await as('leadAdmin', ['projects', 'update', project, '--status', 'running']);
    expect(skipped.code).toBe(1);
    expect(skipped.stderr).toContain('passez d’abord par « montage »');
    for (const status of ['setup', 'running']) {
      const moved = await as('leadAdmin', ['projects', 'update', project, '--status', status, '--json']);
      expect(moved.code, moved.stderr).toBe(0);
      expect((JSON.parse(moved.stdout) as ProjectDetailView).status).toBe(status);
    }
    const byPartner = await as('providerAdmin', ['projects', 'update', project, '--status', 'closed']);
    expect(byPartner.code).toBe(1);
  });

  it('sets milestones, funding and deliverables from a file, and shows them', async () => {
    const file = path.join(home, 'listes.json');
    await fs.writeFile(
      file,
      JSON.stringify({
        milestones: [{ title: 'Diagnostic', dueOn: '2026-03-31', done: true }],
        funding: [{ call: 'FEDER 2026', funder: 'Union européenne', amount: 480000, status: 'granted' }],
        deliverables: [{ title: 'Atlas', kind: 'report', dueOn: '2026-04-30' }],
      }),
    );
    const updated = await as('leadAdmin', ['projects', 'update', project, '--lists', file]);
    expect(updated.code, updated.stderr).toBe(0);
    const shown = await as('providerAdmin', ['projects', 'show', project]);
    expect(shown.stdout).toMatch(/^Statut +en cours$/m);
    expect(shown.stdout).toMatch(/^oui +Diagnostic +2026-03-31$/m);
    expect(shown.stdout).toMatch(/^FEDER 2026 +Union européenne +480000 +accordé$/m);
    expect(shown.stdout).toMatch(/^Atlas +rapport +— +2026-04-30 +—$/m);
    expect(shown.stdout).toContain('Flux de données : 0 demande(s), 0 contrat(s) en vigueur, 0 requête(s) exécutée(s).');
  });

  it('attaches open data a partner brings, lists the project’s datasets and detaches them', async () => {
    const providerAdmin = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: providerId, role: 'org_admin' })).email);
    const { slug } = await publishTestDataset(node.app, providerAdmin.headers, 'tourisme-test', { accessLevel: 'open' });
    const attached = await as('providerAdmin', ['projects', 'datasets', project, 'attach', slug, '--note', 'Pour l’atlas.']);
    expect(attached.code, attached.stderr).toBe(0);
    expect(attached.stdout).toContain(`${slug} rattaché au projet.`);
    expect(attached.stdout).toMatch(new RegExp(`^${slug} +Tourisme Test +open +données ouvertes +0 +tourisme-test +Pour l’atlas\\.$`, 'm'));
    // The university declined: it is no party, it attaches nothing.
    const stranger = await as('userAdmin', ['projects', 'datasets', project, 'attach', slug]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toContain('(forbidden,');
    const twice = await as('leadAdmin', ['projects', 'datasets', project, 'attach', slug]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('déjà rattaché');
    const listed = await as('leadAdmin', ['projects', 'datasets', project, '--json']);
    expect((JSON.parse(listed.stdout) as { slug: string }[]).map((d) => d.slug)).toEqual([slug]);
    const detached = await as('leadAdmin', ['projects', 'datasets', project, 'detach', slug]);
    expect(detached.code, detached.stderr).toBe(0);
    expect(detached.stdout).toContain('Aucun jeu de données rattaché, demandé ni sous contrat pour ce projet.');
  });

  it('removes a partner but never the lead', async () => {
    const lead = await as('leadAdmin', ['projects', 'members', project, 'remove', 'region-test']);
    expect(lead.code).toBe(1);
    expect(lead.stderr).toContain('Le chef de file ne peut pas être retiré du projet.');
    const removed = await as('leadAdmin', ['projects', 'members', project, 'remove', 'tourisme-test']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain('tourisme-test retirée du projet.');
    expect(removed.stdout).not.toMatch(/^tourisme-test +Tourisme Test/m);
  });
});

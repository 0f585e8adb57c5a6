import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, TEST_PASSWORD, type TestNode } from '../../server/test/harness';
import { listeningNode, run } from './run';

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('confiance CLI against a running node', () => {
  let node: TestNode;
  let home: string;
  let env: Record<string, string>;
  let org: { id: string; slug: string };
  let other: { id: string; slug: string };
  const email = 'analyste@cli-test.example';
  const credentialsFile = () => path.join(home, 'config', 'confiance', 'credentials.json');
  const cli = (args: string[], input?: string, extra: Record<string, string> = {}) => run(args, { ...env, ...extra }, input);
  const storedToken = async (): Promise<string> => {
    const file = JSON.parse(await fs.readFile(credentialsFile(), 'utf8')) as { servers: Record<string, { token: string }> };
    return file.servers[env.CONFIANCE_URL!]!.token;
  };
  const whoamiWith = (token: string) => node.app.inject({ url: '/api/v1/auth/session', headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    ({ node, home, env } = await listeningNode('confiance-cli-'));
    org = await makeOrganisation(node.ctx, {
      slug: 'cli-occitanie',
      shortName: 'Occitanie CLI',
      legalName: 'Association Occitanie CLI',
      city: 'Toulouse',
      domains: ['mobility'],
    });
    other = await makeOrganisation(node.ctx, { slug: 'cli-garonne', shortName: 'Garonne Données', category: 'research' });
    await makeUser(node.ctx, { email, organisationId: org.id, role: 'analyst' });
  });
  afterAll(async () => {
    await node?.close();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  describe('before logging in', () => {
    it('refuses verbs that need an account and says to run confiance login', async () => {
      const result = await cli(['whoami']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^Erreur : .*confiance login.*\(unauthenticated\)\n$/);
    });

    it('refuses a wrong password in French, with exit code 1 and no stored credential', async () => {
      const result = await cli(['login', '--email', email, '--password-stdin'], 'not the password\n');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^Erreur : E-mail ou mot de passe incorrect\. \(invalid_credentials, [\w-]+\)\n$/);
      expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
      await expect(fs.stat(credentialsFile())).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('treats bad arguments as usage errors (exit code 2)', async () => {
      const limit = await cli(['members', 'list', '--limit', '0']);
      expect(limit.code).toBe(2);
      expect(limit.stderr).toMatch(/^Erreur : Valeur « 0 » invalide pour --limit/);
      const missing = await cli(['members', 'show']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^Erreur : Argument obligatoire manquant : MEMBRE\n$/);
    });
  });

  describe('once logged in', () => {
    beforeAll(async () => {
      const result = await cli(['login', '--email', email, '--password-stdin'], `${TEST_PASSWORD}\n`);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`<${email}>`);
    });

    it('stores a read+write API token in a file only its owner can read', async () => {
      const stat = await fs.stat(credentialsFile());
      expect(stat.mode & 0o777).toBe(0o600);
      const token = await storedToken();
      expect(token).toMatch(/^cft_/);
      const tokens = await node.app.inject({ url: '/api/v1/me/tokens', headers: { authorization: `Bearer ${token}` } });
      const mine = tokens.json<{ items: { name: string; scopes: string[]; prefix: string; expiresAt: string }[] }>().items;
      expect(mine).toHaveLength(1);
      expect(mine[0]!.name).toBe(`cli@${os.hostname()}`);
      expect(mine[0]!.scopes.sort()).toEqual(['read', 'write']);
      expect(Date.parse(mine[0]!.expiresAt) - Date.now()).toBeGreaterThan(89 * 86_400_000);
    });

    it('keeps no session open: the sign-in only served to mint the token', async () => {
      const sessions = await node.ctx.db.selectFrom('sessions').selectAll().execute();
      expect(sessions).toHaveLength(0);
    });

    it('says who is signed in', async () => {
      const human = await cli(['whoami']);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain(email);
      expect(human.stdout).toMatch(/cli-occitanie\s+Occitanie CLI\s+analyste/);
      const json = await cli(['whoami', '--json']);
      expect(JSON.parse(json.stdout)).toMatchObject({
        user: { email },
        memberships: [{ organisationSlug: 'cli-occitanie', role: 'analyst' }],
        tokenSource: 'stored',
      });
    });

    it('lists members as {items} with id and slug, and as an aligned French table', async () => {
      const json = await cli(['members', 'list', '--json']);
      expect(json.code).toBe(0);
      const { items } = JSON.parse(json.stdout) as { items: { id: string; slug: string }[] };
      expect(items.map((o) => o.slug).sort()).toEqual(['cli-garonne', 'cli-occitanie']);
      for (const item of items) expect(item).toEqual(expect.objectContaining({ id: expect.any(String), slug: expect.any(String) }));

      const filtered = await cli(['members', 'list', '--category', 'research', '--json']);
      expect((JSON.parse(filtered.stdout) as { items: { id: string }[] }).items.map((o) => o.id)).toEqual([other.id]);

      const human = await cli(['members', 'list', '--search', 'occitanie']);
      expect(human.code).toBe(0);
      const lines = human.stdout.split('\n');
      expect(lines[0]).toMatch(/^SLUG\s+NOM\s+CATÉGORIE\s+VILLE\s+DOMAINES\s+PERSONNES$/);
      expect(lines[1]).toMatch(/^cli-occitanie\s+Occitanie CLI\s+entreprise\s+Toulouse\s+mobilité\s+1$/);
      expect(lines[0]!.indexOf('NOM')).toBe(lines[1]!.indexOf('Occitanie CLI'));
      expect(human.stdout).not.toContain('cli-garonne');
    });

    it('shows a member by slug or by id', async () => {
      const bySlug = await cli(['members', 'show', 'cli-occitanie', '--json']);
      const byId = await cli(['members', 'show', org.id, '--json']);
      expect(bySlug.code).toBe(0);
      expect(byId.code).toBe(0);
      expect(JSON.parse(bySlug.stdout)).toMatchObject({ id: org.id, slug: 'cli-occitanie', legalName: 'Association Occitanie CLI' });
      expect(JSON.parse(byId.stdout)).toEqual(JSON.parse(bySlug.stdout));
      const human = await cli(['members', 'show', 'cli-occitanie']);
      expect(human.stdout).toMatch(/^Raison sociale\s+Association Occitanie CLI$/m);
      expect(human.stdout).toMatch(/^Membre depuis\s+\d{1,2} \p{L}+ \d{4}$/mu); // « 28 novembre 2026 »
    });

    it('reports an unknown member as not found', async () => {
      const result = await cli(['members', 'show', 'nobody-here']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^Erreur : Membre « nobody-here » introuvable.*\(not_found, [\w-]+\)\n$/);
    });

    it('creates a token whose secret is printed once, never listed, and refused once revoked', async () => {
      const created = await cli(['tokens', 'create', 'import nocturne', '--scope', 'read', '--expires-days', '7']);
      expect(created.code).toBe(0);
      const secret = /cft_[\w-]+/.exec(created.stdout)?.[0];
      expect(secret).toBeDefined();
      expect(occurrences(created.stdout, secret!)).toBe(1);
      expect(created.stderr).toContain('il ne sera plus jamais affiché');

      const list = await cli(['tokens', 'list', '--json']);
      expect(list.code).toBe(0);
      expect(list.stdout).not.toContain(secret);
      const items = (JSON.parse(list.stdout) as { items: { id: string; name: string; scopes: string[] }[] }).items;
      const token = items.find((t) => t.name === 'import nocturne');
      expect(token).toMatchObject({ scopes: ['read'] });
      const human = await cli(['tokens', 'list']);
      expect(human.stdout).not.toContain(secret);
      expect(human.stdout).toMatch(/cli@\S+ \(ce poste\)/);

      expect((await cli(['whoami'], '', { CONFIANCE_TOKEN: secret! })).code).toBe(0);
      const revoked = await cli(['tokens', 'revoke', token!.id]);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toContain('« import nocturne » révoqué');

      const refused = await cli(['whoami'], '', { CONFIANCE_TOKEN: secret! });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^Erreur : Jeton d’API inconnu, expiré ou révoqué\..*CONFIANCE_TOKEN.*\(unauthenticated, [\w-]+\)\n$/);
    });

    it('lets a read-only token read but not write', async () => {
      const created = await cli(['tokens', 'create', 'lecture seule', '--json']);
      const { secret } = JSON.parse(created.stdout) as { secret: string; scopes: string[] };
      expect(JSON.parse(created.stdout)).toMatchObject({ scopes: ['read'] });
      expect((await cli(['members', 'list', '--json'], '', { CONFIANCE_TOKEN: secret })).code).toBe(0);
      const write = await cli(['tokens', 'create', 'encore'], '', { CONFIANCE_TOKEN: secret });
      expect(write.code).toBe(1);
      expect(write.stderr).toContain('(forbidden, ');
    });

    it('logs out: the token is revoked on the server and removed from this machine', async () => {
      const token = await storedToken();
      expect((await whoamiWith(token)).statusCode).toBe(200);
      const result = await cli(['logout']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('jeton révoqué');
      expect((await whoamiWith(token)).statusCode).toBe(401);
      await expect(fs.stat(credentialsFile())).rejects.toMatchObject({ code: 'ENOENT' });
      const after = await cli(['tokens', 'list']);
      expect(after.code).toBe(1);
      expect(after.stderr).toContain('confiance login');
    });
  });
});

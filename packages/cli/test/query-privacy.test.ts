import fs from 'node:fs/promises';
import type { QueryResult } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contractThrough,
  makeOrganisation,
  makeUser,
  publishTestDataset,
  signInAs,
  tokenFor,
  type TestNode,
} from '../../server/test/harness';
import { listeningNode, run } from './run';

/**
 * `confiance query` under differential privacy (issue 8), against a real node: `--access` prints
 * the budget (ε left of the total, queries left, ε per query, a count's noise), a noisy result
 * prints each measure's noise and the ε it spent and left, and an exhausted budget exits 3 with
 * the node's message.
 */

describe('confiance query under differential privacy', () => {
  let node: TestNode;
  let home: string;
  let env: Record<string, string>;
  let token: string;
  let dataset: string;
  const as = (args: string[]) => run(['query', ...args], { ...env, CONFIANCE_TOKEN: token });

  beforeAll(async () => {
    ({ node, home, env } = await listeningNode('confiance-query-dp-'));
    const provider = await makeOrganisation(node.ctx, { category: 'public_body' });
    const consumer = await makeOrganisation(node.ctx, { category: 'research', slug: 'labo-bruit' });
    const steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: provider.id, role: 'data_steward' })).email);
    const analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: consumer.id, role: 'analyst' })).email);
    token = await tokenFor(node.app, analyst);
    dataset = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'members' })).slug;
    await contractThrough(node, {
      steward,
      analyst,
      dataset,
      offer: {
        title: 'Comptages bruités',
        terms: {
          template: 'dp_counts',
          uses: ['aggregate'],
          purposes: ['dpv:ResearchAndDevelopment'],
          privacy: { epsilon: '0.25', epsilonPerQuery: '0.1', clipping: [{ column: 'valeur', lower: 0, upper: 10 }] },
        },
      },
      request: { organisation: 'labo-bruit' },
    });
  });
  afterAll(async () => {
    await node?.close();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('--access prints the whole budget before any query', async () => {
    const { code, stdout, stderr } = await as([dataset, '--access']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/Confidentialité différentielle\s+bruit de Laplace discret/);
    expect(stdout).toMatch(/Budget ε\s+reste 0,25 sur 0,25 \(2 requêtes possibles\)/);
    expect(stdout).toMatch(/ε par requête\s+0,1\n/);
    expect(stdout).toMatch(/Bruit d’un comptage\s+± 30 à 95 %/);
    expect(stdout).toMatch(/Écrêtage des sommes\s+valeur ∈ \[0 ; 10\]/);
    expect(stdout).toMatch(/Secret statistique\s+remplacé par le bruit/);
    expect(stdout).toContain('Chaque requête ajoute un bruit aléatoire');
    expect(stdout).not.toMatch(/^δ/m);
  });

  it('prints each measure’s noise and the ε spent and left under a noisy result', async () => {
    const { code, stdout, stderr } = await as([dataset, '--group-by', 'code_dep', '--count']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Confidentialité différentielle : chaque valeur porte un bruit aléatoire');
    expect(stdout).toMatch(/ {2}nombre : ± 30 à 95 % \(bruit de Laplace discret, échelle 10,0 ; ε = 0,1\)/);
    expect(stdout).toContain('Budget ε : 0,1 dépensé par cette requête, reste 0,15.');
    const json = await as([dataset, '--group-by', 'code_dep', '--count', '--json']);
    expect((JSON.parse(json.stdout) as QueryResult).privacy).toMatchObject({ epsilonSpent: '0.1', epsilonLeft: '0.05' });
  });

  it('says the budget is exhausted: in --access, and with exit 3 on a query', async () => {
    const access = await as([dataset, '--access']);
    expect(access.code, access.stderr).toBe(0);
    expect(access.stdout).toMatch(/Budget ε\s+reste 0,05 sur 0,25 \(0 requête possible\)/);
    expect(access.stdout).toContain('Budget de confidentialité épuisé : il reste ε = 0,05, une requête en dépense 0,1.');
    const refused = await as([dataset, '--count']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^Erreur : Budget de confidentialité épuisé.+\(quota_exceeded, [^)]+\)\n$/);
  });
});

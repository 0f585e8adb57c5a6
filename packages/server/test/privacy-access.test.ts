import type { OfferTermsInput } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends';
import {
  contractThrough,
  expectError,
  makeOrganisation,
  makeUser,
  publishTestDataset,
  signInAs,
  testNode,
  type Caller,
  type TestNode,
} from './harness';

/**
 * The access view of a grant under differential privacy (issue 8): the whole budget before any
 * query, what is left after each one, how many queries it still pays for, the noise a count gets —
 * and an exhausted budget said as such, on both databases.
 */

interface AccessPrivacy {
  mechanism: string;
  epsilon: string;
  epsilonPerQuery: string;
  epsilonLeft: string;
  delta: string | null;
  queriesLeft: number;
  clipping: { column: string; lower: number; upper: number }[];
  countNoise95: number;
}

describe.each(backends())('the privacy budget in the access view on %s', (backend) => {
  let node: TestNode;
  let steward: Caller;
  let analyst: Caller;
  let dataset: string;
  const contracts: Record<'laplace' | 'gaussian' | 'plain', string> = { laplace: '', gaussian: '', plain: '' };

  const access = async (contract: string) => {
    const response = await node.app.inject({
      method: 'GET',
      url: `/api/v1/datasets/${dataset}/query?contract=${contract}`,
      headers: analyst.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ allowed: boolean; aggregateOnly: boolean; privacy: AccessPrivacy | null }>();
  };
  const count = (contract: string) =>
    node.app.inject({
      method: 'POST',
      url: `/api/v1/datasets/${dataset}/query?format=json`,
      headers: analyst.headers,
      payload: { contract, groupBy: ['code_dep'], aggregates: [{ fn: 'count' }] },
    });

  const contractFor = async (title: string, terms: OfferTermsInput) =>
    (await contractThrough(node, { steward, analyst, dataset, offer: { title, terms }, request: { organisation: 'laboratoire-budget' } }))
      .contract;

  beforeAll(async () => {
    node = await testNode(backend);
    const provider = await makeOrganisation(node.ctx, { category: 'public_body' });
    const consumer = await makeOrganisation(node.ctx, { category: 'research', slug: 'laboratoire-budget' });
    steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: provider.id, role: 'data_steward' })).email);
    analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: consumer.id, role: 'analyst' })).email);
    dataset = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'members' })).slug;
    const dp: OfferTermsInput = { template: 'dp_counts', uses: ['aggregate'], purposes: ['dpv:ResearchAndDevelopment'] };
    contracts.laplace = await contractFor('Comptages bruités', {
      ...dp,
      privacy: { epsilon: '0.25', epsilonPerQuery: '0.1', clipping: [{ column: 'valeur', lower: 0, upper: 10 }] },
    });
    contracts.gaussian = await contractFor('Comptages gaussiens', {
      ...dp,
      privacy: { epsilon: '1', epsilonPerQuery: '0.5', mechanism: 'discrete_gaussian', delta: '1e-6' },
    });
    contracts.plain = await contractFor('Membres', { template: 'members', uses: ['aggregate'] });
  });
  afterAll(() => node.close());

  describe('before any query', () => {
    it('shows the whole budget, the queries it pays for and a count’s noise at 95 %', async () => {
      const view = await access(contracts.laplace);
      expect(view).toMatchObject({ allowed: true, aggregateOnly: true });
      expect(view.privacy).toEqual({
        mechanism: 'discrete_laplace',
        epsilon: '0.25',
        epsilonPerQuery: '0.1',
        epsilonLeft: '0.25',
        delta: null,
        queriesLeft: 2,
        clipping: [{ column: 'valeur', lower: 0, upper: 10 }],
        // Discrete Laplace of scale 1/0.1 = 10: 95 % of draws within ±30.
        countNoise95: 30,
      });
    });

    it('says δ for Gaussian noise, with less noise than Laplace at the same ε', async () => {
      const gaussian = (await access(contracts.gaussian)).privacy!;
      expect(gaussian).toMatchObject({ mechanism: 'discrete_gaussian', epsilon: '1', delta: '0.000001', queriesLeft: 2, epsilonLeft: '1' });
      expect(gaussian.countNoise95).toBeGreaterThan(0);
      expect(gaussian.countNoise95).toBeLessThan(40);
    });

    it('has no privacy block for a grant without differential privacy', async () => {
      expect((await access(contracts.plain)).privacy).toBeNull();
    });
  });

  describe('after queries', () => {
    it('counts down with each query, the view agreeing with the result, then says the budget is exhausted', async () => {
      const first = await count(contracts.laplace);
      expect(first.statusCode, first.body).toBe(200);
      const result = first.json<{ privacy: { epsilonLeft: string; measures: { noise95: number }[] } }>().privacy;
      let view = (await access(contracts.laplace)).privacy!;
      expect(view).toMatchObject({ epsilon: '0.25', epsilonLeft: '0.15', queriesLeft: 1 });
      expect(view.epsilonLeft).toBe(result.epsilonLeft);
      // The noise the view announces is the noise a one-count query gets.
      expect(result.measures.map((m) => m.noise95)).toEqual([view.countNoise95]);

      expect((await count(contracts.laplace)).statusCode).toBe(200);
      view = (await access(contracts.laplace)).privacy!;
      expect(view).toMatchObject({ epsilonLeft: '0.05', queriesLeft: 0 });

      const refused = expectError(await count(contracts.laplace), 429, 'quota_exceeded');
      expect(refused.message).toContain('Budget de confidentialité épuisé');
      expect((await access(contracts.laplace)).privacy).toMatchObject({ epsilonLeft: '0.05', queriesLeft: 0 });
    });

    it('spends δ in proportion: the Gaussian result’s noise is the one the view announced', async () => {
      const announced = (await access(contracts.gaussian)).privacy!.countNoise95;
      const response = await count(contracts.gaussian);
      expect(response.statusCode, response.body).toBe(200);
      const result = response.json<{ privacy: { measures: { description: string; noise95: number }[] } }>().privacy;
      expect(result.measures).toEqual([
        { column: 'nombre', description: expect.stringContaining('δ = 0,0000005') as string, noise95: announced },
      ]);
      expect((await access(contracts.gaussian)).privacy).toMatchObject({ epsilonLeft: '0.5', queriesLeft: 1 });
    });
  });
});

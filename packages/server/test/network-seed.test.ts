import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoNetwork } from '../src/modules/demo/network-seed';
import { OPERATOR } from '../src/modules/demo/people';
import { backends } from './backends';
import { makeOrganisation, makeUser, testNode, type TestNode } from './harness';

/** The network's demo seed over the few organisations and people it names (the full demo is ingest-demo's). */
describe.each(backends())('network demo seed on %s', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode(backend);
    const people: Record<string, [string, 'org_admin' | 'data_steward' | 'analyst'][]> = {
      'toulouse-metropole': [['analyste', 'analyst']],
      'universite-de-toulouse': [['analyste', 'analyst']],
      'agropolis-international': [['analyste', 'analyst']],
      'atout-france': [['donnees', 'data_steward']],
      'montpellier-mediterranee-metropole': [['donnees', 'data_steward']],
      'atmo-occitanie': [['donnees', 'data_steward']],
      'region-occitanie': [['admin', 'org_admin']],
      'tisseo-collectivites': [['admin', 'org_admin']],
    };
    for (const [slug, roles] of Object.entries(people)) {
      const org = await makeOrganisation(node.ctx, { slug });
      for (const [mailbox, role] of roles) await makeUser(node.ctx, { email: `${mailbox}@${slug}.demo`, organisationId: org.id, role });
    }
    await makeUser(node.ctx, { email: OPERATOR.email, platformRoles: ['operator'] });
  });
  afterAll(() => node.close());

  it('posts the needs with their answers and the news, once', async () => {
    expect(await seedDemoNetwork(node.ctx)).toEqual({ needs: 3, news: 3 });
    expect(await seedDemoNetwork(node.ctx)).toEqual({ needs: 0, news: 0 });
    const needs = (await node.app.inject({ url: '/api/v1/needs' })).json<{
      items: { title: string; status: string; answerCount: number }[];
    }>();
    const starting = (prefix: string) => needs.items.find((n) => n.title.startsWith(prefix));
    // Without the catalog's demo datasets the dataset answer is skipped; the plan remains.
    expect(starting('Fréquentation des plages')).toMatchObject({ status: 'answered', answerCount: 1 });
    expect(starting('Qualité de l’air horaire')).toMatchObject({ status: 'answered', answerCount: 1 });
    expect(starting('Prélèvements d’eau')).toMatchObject({ status: 'open', answerCount: 0 });
    const news = (await node.app.inject({ url: '/api/v1/news' })).json<{ items: { title: string; organisation: unknown }[] }>();
    expect(news.items.map((n) => n.title)).toEqual([
      'Hackathon mobilité : les inscriptions sont ouvertes',
      'Nouvelle version de la charte éthique',
      'Lancement de Littoral 21',
    ]);
  });
});

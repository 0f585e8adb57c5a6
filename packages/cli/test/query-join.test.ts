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
  type Caller,
  type TestNode,
} from '../../server/test/harness';
import { parseJoinKeys, queryBody } from '../src/commands/query/input';
import { listeningNode, run } from './run';

/**
 * `confiance query --join`: a project's two contracts joined on a pseudonymised key from the
 * command line — what `--access` lists, the joined table, the keys never printed, the misuses.
 */

describe('confiance query --join: reading the command line', () => {
  it.each([
    ['dep=DEP', { left: 'dep', right: 'DEP' }],
    [' code_commune = COM ', { left: 'code_commune', right: 'COM' }],
  ])('reads --on %s', (text, pair) => {
    expect(parseJoinKeys(text)).toEqual(pair);
  });

  it.each(['dep', '=DEP', 'dep=', 'a=b=c'])('refuses --on %s', (text) => {
    expect(() => parseJoinKeys(text)).toThrow();
  });

  it('puts the join in the API body, and wants a key pair with it', () => {
    expect(queryBody({ join: 'registre', on: [{ left: 'id', right: 'id' }], groupBy: ['sexe'], count: true })).toMatchObject({
      join: { dataset: 'registre', on: [{ left: 'id', right: 'id' }] },
      groupBy: ['sexe'],
      aggregates: [{ fn: 'count' }],
    });
    expect(() => queryBody({ join: 'registre', count: true })).toThrow(/--on/);
    expect(() => queryBody({ on: [{ left: 'id', right: 'id' }], count: true })).toThrow(/--join/);
  });
});

describe('confiance query --join against a node', () => {
  let node: TestNode;
  let home: string;
  let env: Record<string, string>;
  let token: string;
  let left: string;
  let right: string;
  let rightTable: string;
  const as = (args: string[]) => run(['query', ...args], { ...env, CONFIANCE_TOKEN: token });

  beforeAll(async () => {
    ({ node, home, env } = await listeningNode('confiance-join-'));
    const consumer = await makeOrganisation(node.ctx, { category: 'research', slug: 'labo-jointures' });
    const analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: consumer.id, role: 'org_admin' })).email);
    token = await tokenFor(node.app, analyst);
    const post = async (url: string, caller: Caller, payload: object) => {
      const response = await node.app.inject({ method: 'POST', url, headers: caller.headers, payload });
      if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
      return response.json<{ id: string; contract: string | null }>();
    };
    const project = (
      await post('/api/v1/projects', analyst, {
        title: 'Séjours et registre',
        purpose: 'dpv:AcademicResearch',
        leadOrganisation: 'labo-jointures',
      })
    ).id;
    const side = async (name: string, content: string) => {
      const provider = await makeOrganisation(node.ctx, { category: 'public_body' });
      const steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: provider.id, role: 'data_steward' })).email);
      const slug = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'members', file: { name, content } }))
        .slug;
      await contractThrough(node, {
        steward,
        analyst,
        dataset: slug,
        offer: { title: 'Croisement', terms: { template: 'joinable', uses: ['aggregate'], joinKeys: ['patient_id'], purposes: [] } },
        request: { organisation: 'labo-jointures', purpose: 'dpv:AcademicResearch', project },
      });
      return slug;
    };
    const ids = Array.from({ length: 120 }, (_, i) => `P${String(i + 1).padStart(4, '0')}`);
    left = await side('sejours.csv', `patient_id,sexe\n${ids.map((id, i) => `${id},${(i % 2) + 1}`).join('\n')}\n`);
    right = await side(
      'registre.csv',
      `patient_id,diagnostic\n${ids.map((id, i) => `${id},${i % 3 === 0 ? 'asthme' : 'diabete'}`).join('\n')}\n`,
    );
    rightTable = 'registre';
  });
  afterAll(async () => {
    await node?.close();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('lists the dataset it may join with, and its columns by their joined names', async () => {
    const result = await as([left, '--access']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Jointures pseudonymisées possibles');
    expect(result.stdout).toContain(right);
    expect(result.stdout).toContain(`${rightTable}.diagnostic`);
    expect(result.stdout).not.toContain(`${rightTable}.patient_id`);
  });

  it('counts the joined patients by diagnosis and sex, and never prints a key', async () => {
    const result = await as([
      left,
      '--join',
      right,
      '--on',
      'patient_id=patient_id',
      '--group-by',
      `${rightTable}.diagnostic,sexe`,
      '--count',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout) as QueryResult;
    expect(body.join?.dataset).toBe(right);
    // 120 patients: asthme every third (40), by sex 20 and 20; diabete 80, 40 and 40.
    const counts = Object.fromEntries(body.rows.map(([d, s, n]) => [`${String(d)}|${String(s)}`, n]));
    expect(counts).toEqual({ 'asthme|1': 20, 'asthme|2': 20, 'diabete|1': 40, 'diabete|2': 40 });
    expect(body.columns.map((c) => c.name)).toEqual([`${rightTable}.diagnostic`, 'sexe', 'nombre']);
    expect(result.stdout).not.toMatch(/P0\d{3}/);
    const table = await as([left, '--join', right, '--on', 'patient_id=patient_id', '--group-by', 'sexe', '--count']);
    // The same join by sex alone: it adds nothing to the table above (each sex's total is its two cells).
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(`Jointure pseudonymisée avec ${right}`);
  });

  it('exits 3 with the node’s words when the key is not one the contracts declare', async () => {
    const result = await as([left, '--join', right, '--on', 'sexe=diagnostic', '--group-by', 'sexe', '--count']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('clé de jointure');
  });

  it('is a usage error to give --on without --join', async () => {
    const result = await as([left, '--on', 'patient_id=patient_id', '--count']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--join');
  });
});

import fs from 'node:fs/promises';
import path from 'node:path';
import type { OfferInput, QueryAccess, QueryResult } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPF_FILE, SPF_RESEARCH_OFFER } from '../../server/test/fixtures/spf';
import {
  contractThrough,
  makeOrganisation,
  makeUser,
  publishTestDataset,
  signInAs,
  tokenFor,
  type TestNode,
} from '../../server/test/harness';
import { parseOrder, parseWhere, queryBody } from '../src/commands/query/input';
import { listeningNode, run } from './run';

/**
 * `confiance query` against a real node: an aggregate query under a contract on the Santé publique
 * France file (masked and rounded cells in the table, the JSON, CSV to a file), the contract's
 * refusals and quota (exit 3 with the node's message), what `--access` tells, and an open dataset.
 */

const HOSP_BY_DEP_SEXE = ['--group-by', 'dep,sexe', '--sum', 'hosp', '--where', 'jour=2020-04-15'];

describe('confiance query: reading the command line', () => {
  it.each([
    ['jour=2020-04-15', { column: 'jour', op: 'eq', value: '2020-04-15' }],
    ['dep!=34', { column: 'dep', op: 'neq', value: '34' }],
    ['hosp<10', { column: 'hosp', op: 'lt', value: '10' }],
    ['hosp<=10', { column: 'hosp', op: 'lte', value: '10' }],
    ['hosp>10', { column: 'hosp', op: 'gt', value: '10' }],
    ['hosp >= 10', { column: 'hosp', op: 'gte', value: '10' }],
    ['departement~garonne', { column: 'departement', op: 'contains', value: 'garonne' }],
    ['note=a<b', { column: 'note', op: 'eq', value: 'a<b' }],
    ['code_dep in 09|34', { column: 'code_dep', op: 'in', value: ['09', '34'] }],
    ['code_dep not in 09 | 34', { column: 'code_dep', op: 'not_in', value: ['09', '34'] }],
    ['jour between 2020-04-01 and 2020-04-30', { column: 'jour', op: 'between', value: ['2020-04-01', '2020-04-30'] }],
    ['valeur is null', { column: 'valeur', op: 'is_null' }],
    ['valeur is not null', { column: 'valeur', op: 'not_null' }],
  ])('reads --where %s, values kept as text (« 09 » stays « 09 »)', (text, filter) => {
    expect(parseWhere(text)).toEqual(filter);
  });

  it.each(['hosp', '=3', 'dep in 09||34'])('refuses --where %s', (text) => {
    expect(() => parseWhere(text)).toThrow();
  });

  it('builds the API body: aggregates in a fixed order, --sql alone', () => {
    expect(parseOrder('sum_hosp:desc')).toEqual({ column: 'sum_hosp', direction: 'desc' });
    expect(
      queryBody({ groupBy: ['dep'], sum: ['hosp', 'rea'], count: true, countDistinct: ['sexe'], where: [parseWhere('dep=09')], limit: 5 }),
    ).toEqual({
      columns: [],
      groupBy: ['dep'],
      aggregates: [{ fn: 'count' }, { fn: 'sum', column: 'hosp' }, { fn: 'sum', column: 'rea' }, { fn: 'count_distinct', column: 'sexe' }],
      where: [{ column: 'dep', op: 'eq', value: '09' }],
      orderBy: [],
      limit: 5,
    });
    expect(queryBody({ sql: 'SELECT 1', table: 't' })).toEqual({ table: 't', sql: 'SELECT 1' });
  });
});

describe('confiance query against a running node', () => {
  let node: TestNode;
  let home: string;
  let env: Record<string, string>;
  let analystToken: string;
  let health: string;
  let healthContract: string;
  let open: string;
  let metered: string;
  const as = (args: string[]) => run(['query', ...args], { ...env, CONFIANCE_TOKEN: analystToken });
  const anonymous = (args: string[]) => run(['query', ...args], env);

  beforeAll(async () => {
    ({ node, home, env } = await listeningNode('confiance-query-'));
    const provider = await makeOrganisation(node.ctx, { shortName: 'Santé test', category: 'public_body' });
    const consumer = await makeOrganisation(node.ctx, { shortName: 'Labo requêtes', category: 'research', slug: 'labo-requetes' });
    const steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: provider.id, role: 'data_steward' })).email);
    const analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: consumer.id, role: 'analyst' })).email);
    analystToken = await tokenFor(node.app, analyst);

    /** An offer, the analyst's request, and whatever review or approval it waits for: the contract. */
    const contractFor = async (dataset: string, offer: Partial<OfferInput>) =>
      (await contractThrough(node, { steward, analyst, dataset, offer, request: { organisation: 'labo-requetes' } })).contract;

    health = (
      await publishTestDataset(node.app, steward.headers, provider.slug, {
        accessLevel: 'aggregate_only',
        file: { name: 'spf_covid_hospit_dep_sexe.csv', content: await fs.readFile(SPF_FILE) },
      })
    ).slug;
    healthContract = await contractFor(health, SPF_RESEARCH_OFFER);
    open = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'open' })).slug;
    metered = (await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'restricted', licence: 'odbl-1.0' })).slug;
    await contractFor(metered, {
      title: 'Une requête',
      agreement: 'provider_approval',
      terms: { template: 'commercial', uses: ['rows', 'aggregate'], purposes: ['dpv:ResearchAndDevelopment'], maxQueries: 1 },
    });
  });
  afterAll(async () => {
    await node?.close();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  describe('an aggregate query under contract, on the SPF file', () => {
    let result: QueryResult;

    it('--json prints the API’s result: masked cells are null, each with its note', async () => {
      const { code, stdout, stderr } = await as([health, ...HOSP_BY_DEP_SEXE, '--json']);
      expect(code, stderr).toBe(0);
      result = JSON.parse(stdout) as QueryResult;
      expect(result).toMatchObject({ mode: 'aggregate', contract: healthContract, dataset: health });
      expect(result.columns.map((c) => c.name)).toEqual(['dep', 'sexe', 'sum_hosp']);
      expect(result.rows.length).toBe(13 * 3); // 13 départements of Occitanie × sexe 0, 1, 2
      const masked = result.notes.filter((n) => n.fate !== 'rounded');
      // Small counts that day (Lozère, Ariège…): without them the table test would prove nothing.
      expect(masked.length).toBeGreaterThan(0);
      for (const n of masked) expect(result.rows[n.row]![2]).toBeNull();
    });

    it('prints a table where masked cells read « masqué » and rounded ones « ≈ », then the legend', async () => {
      const { code, stdout, stderr } = await as([health, ...HOSP_BY_DEP_SEXE]);
      expect(code, stderr).toBe(0);
      const lines = stdout.split('\n');
      expect(lines[0]).toMatch(/^DEP\s+SEXE\s+SUM_HOSP$/);
      const suppressed = result.disclosure!.suppressed;
      const rounded = result.disclosure!.rounded;
      expect(lines.filter((l) => /\smasqué$/.test(l))).toHaveLength(suppressed);
      expect(lines.filter((l) => /\s≈ [\d  ]+$/.test(l))).toHaveLength(rounded);
      // Each row in the order of the JSON, a masked cell where the JSON has null.
      for (const [i, row] of result.rows.entries()) {
        const line = lines[i + 1]!;
        expect(line.startsWith(`${String(row[0])}  `)).toBe(true);
        expect(line.endsWith(row[2] === null ? 'masqué' : new Intl.NumberFormat('fr-FR').format(row[2] as number))).toBe(true);
      }
      expect(stdout).toContain(
        `Contrôle du secret statistique : ${suppressed} cases masquées, ${rounded} arrondies (effectifs ≤ 7 masqués, autres arrondis à 5 près).`,
      );
      expect(stdout).not.toContain('Résultat tronqué');
    });

    it('--format csv --output writes the protected result to a file, as the node streams it', async () => {
      const file = path.join(home, 'hosp.csv');
      const { code, stdout, stderr } = await as([health, ...HOSP_BY_DEP_SEXE, '--format', 'csv', '--output', file]);
      expect(code, stderr).toBe(0);
      expect(stdout).toContain(`Enregistré : ${file}`);
      const lines = (await fs.readFile(file, 'utf8')).trim().split('\n');
      expect(lines[0]).toBe('dep,sexe,sum_hosp');
      expect(lines.slice(1).map((l) => l.split(',')[2] ?? '')).toEqual(result.rows.map((r) => (r[2] === null ? '' : String(r[2]))));
      await expect(fs.stat(`${file}.part`)).rejects.toThrow();
      // An existing file is kept unless --force.
      const again = await as([health, ...HOSP_BY_DEP_SEXE, '--format', 'csv', '--output', file]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('--force');
    });

    it.each([
      ['rows', ['--columns', 'dep,hosp'], 'aggregate_only'],
      ['the maximum of a count', ['--group-by', 'dep', '--max', 'hosp'], 'aggregate_only'],
      ['a filter on a count', ['--group-by', 'dep', '--count', '--where', 'hosp<3'], 'not_a_dimension'],
    ])('refuses %s: exit 3, the node’s French message on stderr', async (_, args) => {
      const { code, stdout, stderr } = await as([health, ...args]);
      expect(code).toBe(3);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^Erreur : .{30,} \(query_refused, [^)]+\)\n$/);
    });

    it('--access tells what the contract allows: aggregates only, column roles, quota, thresholds', async () => {
      const { code, stdout, stderr } = await as([health, '--access']);
      expect(code, stderr).toBe(0);
      expect(stdout).toContain(`Requêtes permises sur ${health}.`);
      expect(stdout).toMatch(/Au titre de\s+contrat/);
      expect(stdout).toMatch(new RegExp(`Contrat\\s+${healthContract}`));
      expect(stdout).toMatch(/Agrégats seulement\s+oui/);
      expect(stdout).toMatch(/SQL restreint\s+non/);
      expect(stdout).toMatch(/Secret statistique\s+effectifs ≤ 7 masqués, autres arrondis à 5 près/);
      expect(stdout).toContain('Totaux dans les données : sexe = 0');
      expect(stdout).toMatch(/dep\s+\S+\s+dimension/);
      expect(stdout).toMatch(/hosp\s+\S+\s+effectif/);
      const json = await as([health, '--access', '--json']);
      const access = JSON.parse(json.stdout) as QueryAccess;
      expect(access).toMatchObject({ allowed: true, basis: 'contract', contract: healthContract, aggregateOnly: true, sql: false });
      expect(access.functions).not.toContain('max');
    });

    it('--access says why not, with exit 3, to someone without a contract', async () => {
      const { code, stdout } = await anonymous([health, '--access']);
      expect(code).toBe(3);
      expect(stdout).toMatch(/^Requêtes non permises sur .+ : .*connectez-vous/);
      const refused = await anonymous([health, ...HOSP_BY_DEP_SEXE]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('(unauthenticated');
    });
  });

  describe('an open dataset', () => {
    it('keeps codes as text in filters (« 09 »), and orders and counts', async () => {
      const { code, stdout, stderr } = await anonymous([
        open,
        '--columns',
        'code_dep,departement',
        '--where',
        'code_dep in 09|34',
        '--order-by',
        'code_dep:desc',
        '--json',
      ]);
      expect(code, stderr).toBe(0);
      const result = JSON.parse(stdout) as QueryResult;
      expect(result.rows).toEqual([
        ['34', 'Hérault'],
        ['09', 'Ariège'],
      ]);
      expect(result.disclosure).toBeNull();
    });

    it('says when the result is truncated, and has no disclosure legend', async () => {
      const { code, stdout, stderr } = await anonymous([open, '--columns', 'departement', '--limit', '2']);
      expect(code, stderr).toBe(0);
      expect(stdout).toContain('Résultat tronqué à 2 lignes');
      expect(stdout).not.toContain('secret statistique');
      expect(stdout.split('\n').slice(0, 3)).toEqual(['DEPARTEMENT', 'Ariège', 'Hérault']);
    });

    it('refuses usage mistakes before asking the node', async () => {
      const mixed = await anonymous([open, '--sql', 'SELECT 1', '--count']);
      expect(mixed.code).toBe(2);
      expect(mixed.stderr).toContain('--count');
      const both = await anonymous([open, '--format', 'csv', '--json']);
      expect(both.code).toBe(2);
    });
  });

  it('exits 3 with the node’s message once the contract’s quota is used up', async () => {
    const first = await as([metered, '--count', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const second = await as([metered, '--count']);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/^Erreur : .+ \(quota_exceeded, [^)]+\)\n$/);
  });
});

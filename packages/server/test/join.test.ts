import { createHmac } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { OfferTermsInput, QueryAccess, QueryResult } from '@confiance/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveContractKey } from '../src/modules/access/pseudonym';
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
 * Pseudonymised joins (issue 8): a project holding contracts with two providers joins their
 * tables on a patient identifier both contracts declare as a join key. Every count is checked
 * against the true join computed here; the identifier never comes back, in any form; the
 * pseudonymised copies hold exactly HMAC-SHA-256 under the pair's key; every rule refuses with
 * its name, in the ledger too; both contracts' quotas count.
 */

// Synthetic patients: the hospital's stays and the registry's diagnoses overlap on P0151..P0300.
const stays = Array.from({ length: 300 }, (_, k) => {
  const i = k + 1;
  return { patient: `P${String(i).padStart(4, '0')}`, sexe: i % 2 === 1 ? '1' : '2', service: ['cardio', 'pneumo', 'urgences'][i % 3]! };
});
const registry = Array.from({ length: 300 }, (_, k) => {
  const i = k + 151;
  return { patient: `P${String(i).padStart(4, '0')}`, diagnostic: i % 50 === 0 ? 'rare' : i % 2 === 1 ? 'asthme' : 'diabete' };
});
const csv = (header: string, rows: string[][]) => `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
const STAYS_CSV = csv(
  'patient_id,sexe,service',
  stays.map((s) => [s.patient, s.sexe, s.service]),
);
const REGISTRY_CSV = csv(
  'patient_id,diagnostic',
  registry.map((r) => [r.patient, r.diagnostic]),
);

/** The true join's counts by diagnostic and sex. */
function trueCounts(): Map<string, number> {
  const byPatient = new Map(registry.map((r) => [r.patient, r.diagnostic]));
  const counts = new Map<string, number>();
  for (const s of stays) {
    const diagnostic = byPatient.get(s.patient);
    if (diagnostic === undefined) continue;
    const key = `${diagnostic}|${s.sexe}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe.each(backends())('pseudonymised joins on %s', (backend) => {
  let node: TestNode;
  let analyst: Caller;
  let outsider: Caller;
  let hospital: { steward: Caller; dataset: string; table: string };
  let registre: { steward: Caller; dataset: string; table: string };
  let project: string;
  const contracts: Record<string, string> = {};

  const inject = (method: 'GET' | 'POST', url: string, caller: Caller, payload?: object) =>
    node.app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  const query = (body: object, caller: Caller = analyst, dataset = hospital.dataset) =>
    inject('POST', `/api/v1/datasets/${dataset}/query`, caller, body);
  const joinOn = (extra: object = {}) => ({
    dataset: registre.dataset,
    on: [{ left: 'patient_id', right: 'patient_id' }],
    ...extra,
  });
  const facts = async (queryId: string) =>
    (
      await node.ctx.db
        .selectFrom('ledger_entries')
        .select(['type', 'public', 'details'])
        .where(sql<boolean>`public->>'query' = ${queryId}`)
        .orderBy('tree_index')
        .execute()
    ).map((e) => ({
      type: e.type,
      public: (typeof e.public === 'string' ? JSON.parse(e.public) : e.public) as Record<string, unknown>,
      details: (typeof e.details === 'string' ? JSON.parse(e.details) : e.details) as Record<string, unknown>,
    }));

  /** Every pseudonym the pair of contracts gives the patients, as hex and as UUID text. */
  async function pseudonymsOf(left: string, right: string): Promise<string[]> {
    const master = Buffer.from(
      (await fs.readFile(path.join(node.ctx.config.dataDir, 'keys', 'pseudonym-master.key'), 'utf8')).trim(),
      'base64',
    );
    const key = deriveContractKey(master, `join/${[left, right].sort().join('+')}`);
    return [...stays, ...registry].flatMap((p) => {
      const hex = createHmac('sha256', key).update(p.patient, 'utf8').digest('hex');
      const half = hex.slice(0, 32);
      return [hex, half, `${half.slice(0, 8)}-${half.slice(8, 12)}-${half.slice(12, 16)}-${half.slice(16, 20)}-${half.slice(20)}`];
    });
  }

  const offerAndContract = async (side: { steward: Caller; dataset: string }, terms: OfferTermsInput, request: { project?: string } = {}) =>
    (
      await contractThrough(node, {
        steward: side.steward,
        analyst,
        dataset: side.dataset,
        offer: { terms },
        request: { organisation: 'laboratoire-jointures', purpose: 'dpv:AcademicResearch', ...request },
      })
    ).contract;

  /** The table's name, as its steward's access view shows it. */
  const tableOf = async (dataset: string, steward: Caller) =>
    (await inject('GET', `/api/v1/datasets/${dataset}/query`, steward)).json<QueryAccess>().tables[0]!.name;

  beforeAll(async () => {
    node = await testNode(backend);
    const consumer = await makeOrganisation(node.ctx, { category: 'research', slug: 'laboratoire-jointures' });
    const other = await makeOrganisation(node.ctx, { category: 'research' });
    analyst = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: consumer.id, role: 'org_admin' })).email);
    outsider = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: other.id, role: 'analyst' })).email);
    for (const [name, file, content] of [
      ['hospital', 'sejours.csv', STAYS_CSV],
      ['registre', 'registre.csv', REGISTRY_CSV],
    ] as const) {
      const provider = await makeOrganisation(node.ctx, { category: 'public_body' });
      const steward = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: provider.id, role: 'data_steward' })).email);
      const dataset = (
        await publishTestDataset(node.app, steward.headers, provider.slug, { accessLevel: 'members', file: { name: file, content } })
      ).slug;
      const side = { steward, dataset, table: await tableOf(dataset, steward) };
      if (name === 'hospital') hospital = side;
      else registre = side;
    }
    const created = await inject('POST', '/api/v1/projects', analyst, {
      title: 'Parcours des patients asthmatiques',
      purpose: 'dpv:AcademicResearch',
      leadOrganisation: 'laboratoire-jointures',
    });
    expect(created.statusCode, created.body).toBe(201);
    project = created.json<{ id: string }>().id;
    const aggregate: OfferTermsInput = { template: 'research_aggregate', uses: ['aggregate'], joinKeys: ['patient_id'], purposes: [] };
    contracts.hospital = await offerAndContract(hospital, aggregate, { project });
    contracts.registre = await offerAndContract(registre, { ...aggregate, maxQueries: 6 }, { project });
    // Without join keys on the hospital's side: the same data, not joinable.
    contracts.noKeys = await offerAndContract(hospital, { ...aggregate, joinKeys: [] }, { project });
  });
  afterAll(() => node?.close());

  it('lists the registry as joinable from the hospital’s access view, with both sides’ keys', async () => {
    const access = (
      await inject('GET', `/api/v1/datasets/${hospital.dataset}/query?contract=${contracts.hospital}`, analyst)
    ).json<QueryAccess>();
    expect(access.joins).toEqual([
      expect.objectContaining({
        dataset: registre.dataset,
        contract: contracts.registre,
        leftKeys: ['patient_id'],
        rightKeys: ['patient_id'],
        aggregateOnly: true,
        tables: [{ name: registre.table, columns: [expect.objectContaining({ name: 'diagnostic', role: 'dimension' })] }],
      }),
    ]);
    const none = (
      await inject('GET', `/api/v1/datasets/${hospital.dataset}/query?contract=${contracts.noKeys}`, analyst)
    ).json<QueryAccess>();
    expect(none.joins).toEqual([]);
  });

  let joined: QueryResult;
  it('counts the joined patients by diagnosis and sex, protected like the stricter side', async () => {
    const right = `${registre.table}.diagnostic`;
    const response = await query({
      contract: contracts.hospital,
      join: joinOn(),
      groupBy: [right, 'sexe'],
      aggregates: [{ fn: 'count', as: 'patients' }],
    });
    expect(response.statusCode, response.body).toBe(200);
    joined = response.json<QueryResult>();
    expect(joined.join).toEqual({ dataset: registre.dataset, table: registre.table, contract: contracts.registre });
    expect(joined.columns.map((c) => c.name)).toEqual([right, 'sexe', 'patients']);
    const truth = trueCounts();
    expect(joined.rows).toHaveLength(truth.size);
    for (const [row, [diagnostic, sexe, count]] of joined.rows.entries()) {
      const n = truth.get(`${String(diagnostic)}|${String(sexe)}`)!;
      if (n <= 7) {
        expect(count).toBeNull();
        expect(joined.notes).toContainEqual(expect.objectContaining({ row, column: 'patients', fate: 'suppressed_primary' }));
      } else expect(count).toBe(Math.round(n / 5) * 5);
    }
    // The rare diagnosis (3 patients) is masked: the join is protected, not only each side.
    expect(joined.rows.some(([d, , c]) => d === 'rare' && c === null)).toBe(true);
  });

  it('never returns an identifier or a pseudonym, and refuses every way of asking for one', async () => {
    const body = JSON.stringify(joined);
    expect(body).not.toMatch(/P0\d{3}/);
    for (const pseudonym of await pseudonymsOf(contracts.hospital!, contracts.registre!)) expect(body).not.toContain(pseudonym);
    for (const [attempt, refusal] of [
      [{ groupBy: ['patient_id'], aggregates: [{ fn: 'count' }] }, 'unknown_column'],
      [{ groupBy: [`${registre.table}.patient_id`], aggregates: [{ fn: 'count' }] }, 'unknown_column'],
      [{ groupBy: ['sexe'], aggregates: [{ fn: 'count_distinct', column: 'patient_id' }] }, 'unknown_column'],
      [{ groupBy: ['sexe'], aggregates: [{ fn: 'count' }], where: [{ column: 'patient_id', op: 'eq', value: 'P0151' }] }, 'unknown_column'],
    ] as const) {
      const response = await query({ contract: contracts.hospital, join: joinOn(), ...attempt });
      expect(expectError(response, 422, 'query_refused').details, JSON.stringify(attempt)).toEqual({ refusal });
    }
  });

  it('writes the join on both contracts’ ledger entries, and counts it against both', async () => {
    const logged = await facts(joined.query);
    expect(logged.map((f) => [f.type, f.public.contract])).toEqual([
      ['query.started', contracts.hospital],
      ['query.started', contracts.registre],
      ['query.completed', contracts.hospital],
      ['query.completed', contracts.registre],
    ]);
    expect(logged[0]!.details).toMatchObject({
      join: { dataset: registre.dataset, contract: contracts.registre },
      keys: ['patient_id = patient_id'],
    });
    expect(logged[1]!.details).toMatchObject({ join: { dataset: hospital.dataset, contract: contracts.hospital } });
    const row = await node.ctx.db
      .selectFrom('data_queries')
      .select(['contract_id', 'join_contract_id'])
      .where('id', '=', joined.query)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ contract_id: contracts.hospital, join_contract_id: contracts.registre });
  });

  it('stores pseudonymised copies holding exactly HMAC-SHA-256 of each key under the pair’s key', async () => {
    const dir = path.join(node.ctx.config.dataDir, 'pseudonyms');
    const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.parquet'));
    expect(files).toHaveLength(2);
    const master = Buffer.from(
      (await fs.readFile(path.join(node.ctx.config.dataDir, 'keys', 'pseudonym-master.key'), 'utf8')).trim(),
      'base64',
    );
    const key = deriveContractKey(master, `join/${[contracts.hospital, contracts.registre].sort().join('+')}`);
    // The stored pseudonym: the HMAC's first 128 bits, as a UUID.
    const expected = new Set(
      [...stays, ...registry].map((p) => createHmac('sha256', key).update(p.patient, 'utf8').digest('hex').slice(0, 32)),
    );
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      for (const file of files) {
        const reader = await connection.runAndReadAll(
          `SELECT CAST(patient_id AS VARCHAR), typeof(patient_id) FROM read_parquet('${path.join(dir, file)}')`,
        );
        const values = reader.getRows().map((r) => String(r[0]).replaceAll('-', ''));
        expect(new Set(reader.getRows().map((r) => r[1]))).toEqual(new Set(['UUID']));
        expect(values.length).toBe(300);
        for (const v of values) expect(expected.has(v), v).toBe(true);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it.each([
    [
      'a key the contract does not declare',
      { on: [{ left: 'sexe', right: 'diagnostic' }] },
      { contract: 'hospital' },
      'join_key_not_granted',
    ],
    ['a key that is not a column', { on: [{ left: 'patient', right: 'patient_id' }] }, { contract: 'hospital' }, 'join_key_unknown'],
    [
      'the same pair twice',
      {
        on: [
          { left: 'patient_id', right: 'patient_id' },
          { left: 'patient_id', right: 'patient_id' },
        ],
      },
      { contract: 'hospital' },
      'join_key_repeated',
    ],
    ['a contract without join keys', {}, { contract: 'noKeys' }, 'join_key_not_granted'],
  ] as const)('refuses %s, and says so in the ledger', async (_, join, options, refusal) => {
    const response = await query({
      contract: contracts[options.contract],
      join: joinOn(join),
      groupBy: ['sexe'],
      aggregates: [{ fn: 'count' }],
    });
    const error = expectError(response, 422, 'query_refused');
    expect(error.details).toEqual({ refusal });
    const refused = await node.ctx.db
      .selectFrom('data_queries')
      .select(['id', 'state', 'refusal'])
      .where('refusal', '=', refusal)
      .orderBy('started_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(refused.state).toBe('refused');
    expect((await facts(refused.id)).map((f) => [f.type, f.details.refusal])).toEqual([
      ['query.refused', refusal],
      ['query.refused', refusal],
    ]);
  });

  it('refuses a join in SQL, and a join to a dataset the caller holds no contract on', async () => {
    expectError(await query({ contract: contracts.hospital, join: joinOn(), sql: 'SELECT 1' }), 400, 'validation_failed');
    const outsiderTry = await query({ join: joinOn(), groupBy: ['sexe'], aggregates: [{ fn: 'count' }] }, outsider);
    expect([403, 422]).toContain(outsiderTry.statusCode);
    expectError(
      await query({
        contract: contracts.hospital,
        join: { ...joinOn(), dataset: 'pas-de-jeu' },
        groupBy: ['sexe'],
        aggregates: [{ fn: 'count' }],
      }),
      404,
      'not_found',
    );
  });

  it('refuses to join with a dataset under differential privacy', async () => {
    const dp = await offerAndContract(
      registre,
      {
        template: 'research_aggregate',
        uses: ['aggregate'],
        joinKeys: ['patient_id'],
        purposes: [],
        privacy: { epsilon: '1', epsilonPerQuery: '0.5' },
      },
      { project },
    );
    const response = await query({
      contract: contracts.hospital,
      join: joinOn({ contract: dp }),
      groupBy: ['sexe'],
      aggregates: [{ fn: 'count' }],
    });
    expect(expectError(response, 422, 'query_refused').details).toEqual({ refusal: 'join_privacy' });
  });

  it('remembers the joined cells: a total by sex after the table by diagnosis and sex would give the rare diagnosis back', async () => {
    const response = await query({ contract: contracts.hospital, join: joinOn(), groupBy: ['sexe'], aggregates: [{ fn: 'count' }] });
    expect(expectError(response, 422, 'query_refused').details).toEqual({ refusal: 'differencing' });
  });

  it('counts joins against the other side’s quota too, whichever side it is on', async () => {
    const body = {
      contract: contracts.hospital,
      join: joinOn({ contract: contracts.registre }),
      groupBy: [`${registre.table}.diagnostic`, 'sexe'],
      aggregates: [{ fn: 'count', as: 'patients' }],
    };
    // The registry's contract allows 6 queries: the join above used one.
    for (let i = 0; i < 5; i++) {
      const response = await query(body);
      expect(response.statusCode, response.body).toBe(200);
    }
    const refused = expectError(await query(body), 429, 'quota_exceeded');
    expect(refused.message).toContain(registre.dataset);
    expect(refused.details).toEqual({ refusal: 'quota' });
    // Kept like the rules' refusals: in data_queries (no quota spent) and on both contracts' ledgers.
    const row = await node.ctx.db
      .selectFrom('data_queries')
      .select(['id', 'state'])
      .where('refusal', '=', 'quota')
      .orderBy('started_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('refused');
    expect((await facts(row.id)).map((f) => [f.type, f.public.contract, f.details.refusal])).toEqual([
      ['query.refused', contracts.hospital, 'quota'],
      ['query.refused', contracts.registre, 'quota'],
    ]);
  });

  it('returns joined rows without the keys when both contracts grant rows', async () => {
    const rows: OfferTermsInput = { template: 'members', uses: ['rows', 'aggregate'], joinKeys: ['patient_id'], purposes: [] };
    const left = await offerAndContract(hospital, rows);
    const right = await offerAndContract(registre, rows);
    const response = await query({
      contract: left,
      join: joinOn({ contract: right }),
      columns: ['sexe', 'service', `${registre.table}.diagnostic`],
      orderBy: [{ column: 'service' }],
    });
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json<QueryResult>();
    expect(result.columns.map((c) => c.name)).toEqual(['sexe', 'service', `${registre.table}.diagnostic`]);
    expect(result.rows).toHaveLength(150);
    expect(response.body).not.toMatch(/P0\d{3}/);
    for (const pseudonym of await pseudonymsOf(left, right)) expect(response.body).not.toContain(pseudonym);
    // Asking for every column still leaves the keys out.
    const all = (await query({ contract: left, join: joinOn({ contract: right }) })).json<QueryResult>();
    expect(all.columns.map((c) => c.name)).toEqual(['sexe', 'service', `${registre.table}.diagnostic`]);
  });

  it('stops joining once one of the two contracts is terminated', async () => {
    // The consumer's administrator ends it (either party may).
    const terminated = await inject('POST', `/api/v1/contracts/${contracts.hospital}/terminate`, analyst, {
      reason: 'Fin de l’étude.',
    });
    expect(terminated.statusCode, terminated.body).toBeLessThan(300);
    const response = await query({ contract: contracts.hospital, join: joinOn(), groupBy: ['sexe'], aggregates: [{ fn: 'count' }] });
    expect([403, 422]).toContain(response.statusCode);
  });
});

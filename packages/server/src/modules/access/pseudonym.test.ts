import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlIdent } from '../catalog/index';
import { deriveContractKey, loadOrCreateMasterKey, PSEUDONYM_KEY_BYTES, pseudonymKeySql, pseudonymSql } from './pseudonym';

/**
 * Pseudonyms computed by DuckDB must be exactly Node's HMAC-SHA-256 (so a provider or auditor can
 * recompute them), join exactly like the raw keys, differ between contracts, and never put the raw
 * key into SQL text; the master key file is kept like the contract signing key.
 */

let instance: DuckDBInstance;
let db: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
});

afterAll(() => {
  db.closeSync();
  instance.closeSync();
});

const hmac = (key: Buffer, value: string) => createHmac('sha256', key).update(value, 'utf8').digest('hex');

async function pseudonymOf(key: Buffer, value: string | null): Promise<unknown> {
  const reader = await db.runAndReadAll(`SELECT ${pseudonymSql('$1', key)}`, [value]);
  return reader.getRowsJson()[0]?.[0];
}

const masterKey = randomBytes(PSEUDONYM_KEY_BYTES);
const contractKey = deriveContractKey(masterKey, 'contrat-projet-occitanie');

const VALUES: [string, string][] = [
  ['ASCII', 'V0001234567'],
  ['a commune code with a leading zero', '09001'],
  ['accents', 'Hérault'],
  ['accents in NFD (other bytes)', 'He\u0301rault'],
  ['a ligature and an apostrophe', 'Cœur de l’Hérault'],
  ['quotes and a backslash', `l'a \\x41 "b"`],
  ['emoji, with a ZWJ sequence', '🚗 👩🏽‍⚕️'],
  ['the empty string', ''],
  ['exactly one block', 'x'.repeat(64)],
  ['10 kB of ASCII', 'a'.repeat(10_240)],
  ['10 kB of multibyte text', 'é€𝄞'.repeat(1_200)],
];

const KEYS: [string, Buffer][] = [
  ['a derived contract key (32 bytes)', contractKey],
  ['a short key (5 bytes)', Buffer.from('clé!!')],
  ['a key of exactly one block', randomBytes(64)],
  ['a key longer than a block (hashed first)', randomBytes(100)],
];

describe('pseudonymSql', () => {
  describe.each(KEYS)('with %s', (_, key) => {
    it.each(VALUES)('equals Node’s HMAC-SHA-256 for %s', async (_label, value) => {
      expect(await pseudonymOf(key, value)).toBe(hmac(key, value));
    });
  });

  it.each(VALUES)('stores %s as the HMAC’s first 128 bits, a UUID', async (_label, value) => {
    const reader = await db.runAndReadAll(
      `SELECT CAST(${pseudonymKeySql('$1', contractKey)} AS VARCHAR), typeof(${pseudonymKeySql('$1', contractKey)})`,
      [value],
    );
    const [text, type] = reader.getRowsJson()[0] as [string, string];
    expect(type).toBe('UUID');
    expect(text.replaceAll('-', '')).toBe(hmac(contractKey, value).slice(0, 32));
  });

  it('gives 64 lowercase hex digits', async () => {
    expect(await pseudonymOf(contractKey, 'V0001234567')).toMatch(/^[0-9a-f]{64}$/);
  });

  describe('when a value is not text', () => {
    it('hashes integers by their text form, so 34 joins with "34" but not with "034"', async () => {
      const reader = await db.runAndReadAll(
        `SELECT ${pseudonymSql('34::INTEGER', contractKey)}, ${pseudonymSql('34::BIGINT', contractKey)},
                ${pseudonymSql('34::HUGEINT', contractKey)}, ${pseudonymSql(`'34'`, contractKey)},
                ${pseudonymSql(`'034'`, contractKey)}`,
      );
      const [int, bigint, hugeint, text, padded] = reader.getRowsJson()[0] ?? [];
      expect([int, bigint, hugeint, text]).toEqual(Array(4).fill(hmac(contractKey, '34')));
      expect(padded).toBe(hmac(contractKey, '034'));
    });

    it('does not equate a DOUBLE or a DECIMAL with the integer (their text differs)', async () => {
      const reader = await db.runAndReadAll(
        `SELECT ${pseudonymSql('34::DOUBLE', contractKey)}, ${pseudonymSql('34::DECIMAL(5,2)', contractKey)}`,
      );
      expect(reader.getRowsJson()[0]).toEqual([hmac(contractKey, '34.0'), hmac(contractKey, '34.00')]);
    });
  });

  describe('when the value is NULL', () => {
    it('returns NULL, for text and for integers', async () => {
      expect(await pseudonymOf(contractKey, null)).toBeNull();
      const reader = await db.runAndReadAll(`SELECT ${pseudonymSql('NULL::INTEGER', contractKey)}`);
      expect(reader.getRowsJson()[0]?.[0]).toBeNull();
    });

    it('joins nothing', async () => {
      const reader = await db.runAndReadAll(
        `SELECT count(*)::INTEGER FROM (VALUES (NULL::VARCHAR)) a(k) JOIN (VALUES (NULL::VARCHAR)) b(k)
           ON ${pseudonymSql('a.k', contractKey)} = ${pseudonymSql('b.k', contractKey)}`,
      );
      expect(reader.getRowsJson()[0]?.[0]).toBe(0);
    });
  });

  describe('the SQL text', () => {
    it.each(KEYS)('never contains the raw key (%s)', (_, key) => {
      const sql = pseudonymSql(sqlIdent('code_commune'), key);
      const lower = sql.toLowerCase();
      expect(lower).not.toContain(key.toString('hex'));
      expect(sql).not.toContain(key.toString('base64'));
      expect(sql).not.toContain(key.toString('base64url'));
      expect(sql).not.toContain(key.toString('latin1'));
      // Not even a 4-byte run of it, in case a future change printed part of the key.
      for (let i = 0; i + 4 <= key.length; i++) expect(lower).not.toContain(key.subarray(i, i + 4).toString('hex'));
    });

    it('refuses an empty key', () => {
      expect(() => pseudonymSql('k', Buffer.alloc(0))).toThrow(/vide/);
    });
  });

  describe('when two tables are joined on pseudonyms', () => {
    it('gives exactly the pairs the raw keys give', async () => {
      // 10 000 rows each; keys repeat within a table and half of each key space overlaps the other.
      await db.run(`CREATE OR REPLACE TEMP TABLE ta AS SELECT i AS id, printf('%05d', (i * 7) % 8000) AS k FROM range(10000) t(i)`);
      await db.run(`CREATE OR REPLACE TEMP TABLE tb AS SELECT i AS id, printf('%05d', (i * 13 + 4000) % 9000) AS k FROM range(10000) t(i)`);
      const raw = await db.runAndReadAll(`SELECT ta.id, tb.id FROM ta JOIN tb ON ta.k = tb.k ORDER BY 1, 2`);
      const pseudonymised = await db.runAndReadAll(
        `SELECT pa.id, pb.id
           FROM (SELECT id, ${pseudonymSql('k', contractKey)} AS p FROM ta) pa
           JOIN (SELECT id, ${pseudonymSql('k', contractKey)} AS p FROM tb) pb ON pa.p = pb.p
          ORDER BY 1, 2`,
      );
      const pairs = raw.getRowsJson();
      expect(pairs.length).toBeGreaterThan(10_000);
      expect(pseudonymised.getRowsJson()).toEqual(pairs);
    });
  });
});

describe('deriveContractKey', () => {
  it('is stable for one contract', () => {
    expect(deriveContractKey(masterKey, 'c-1')).toEqual(deriveContractKey(masterKey, 'c-1'));
    expect(deriveContractKey(masterKey, 'c-1')).toHaveLength(PSEUDONYM_KEY_BYTES);
  });

  it('gives each contract disjoint pseudonyms for the same values', async () => {
    const k1 = deriveContractKey(masterKey, 'c-1');
    const k2 = deriveContractKey(masterKey, 'c-2');
    const hashes = async (key: Buffer) =>
      new Set(
        (await db.runAndReadAll(`SELECT ${pseudonymSql(`printf('%05d', i)`, key)} FROM range(1000) t(i)`))
          .getRowsJson()
          .map((row) => row[0]),
      );
    const [h1, h2] = await Promise.all([hashes(k1), hashes(k2)]);
    expect(h1.size).toBe(1000);
    expect(h2.size).toBe(1000);
    expect([...h1].filter((h) => h2.has(h))).toEqual([]);
  });

  it('depends on the master key', () => {
    expect(deriveContractKey(randomBytes(32), 'c-1')).not.toEqual(deriveContractKey(masterKey, 'c-1'));
  });

  it('refuses a short master key or an empty contract id', () => {
    expect(() => deriveContractKey(randomBytes(16), 'c-1')).toThrow(/au moins 32 octets/);
    expect(() => deriveContractKey(masterKey, '')).toThrow(/vide/);
  });
});

describe('loadOrCreateMasterKey', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pseudonym-test-'));
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('creates the key on first start, mode 0600, and reads the same key afterwards', async () => {
    const file = path.join(dir, 'keys', 'pseudonym-master.key');
    const key = await loadOrCreateMasterKey(file);
    expect(key).toHaveLength(PSEUDONYM_KEY_BYTES);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateMasterKey(file)).toEqual(key);
  });

  it('gives two nodes starting together one key', async () => {
    const file = path.join(dir, 'race', 'pseudonym-master.key');
    const [a, b] = await Promise.all([loadOrCreateMasterKey(file), loadOrCreateMasterKey(file)]);
    expect(a).toEqual(b);
  });

  describe('when the file is readable by others', () => {
    it.each([0o644, 0o604, 0o640])('refuses it (mode %o)', async (mode) => {
      const file = path.join(dir, `open-${mode.toString(8)}.key`);
      await loadOrCreateMasterKey(file);
      await fs.chmod(file, mode);
      await expect(loadOrCreateMasterKey(file)).rejects.toThrow(/lisible par d’autres comptes.*chmod 600/);
    });
  });

  describe('when the file is damaged', () => {
    it.each([
      ['truncated', randomBytes(16).toString('base64')],
      ['not base64', `${randomBytes(32).toString('base64').slice(0, -4)}!!!=`],
      ['empty', ''],
    ])('refuses it (%s)', async (label, content) => {
      const file = path.join(dir, `damaged-${label.replace(/\W/g, '-')}.key`);
      await fs.writeFile(file, `${content}\n`, { mode: 0o600 });
      await expect(loadOrCreateMasterKey(file)).rejects.toThrow(/illisible/);
    });
  });
});

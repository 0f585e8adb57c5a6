import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Keyed pseudonyms for join keys, computed inside DuckDB. When a contract grants datasets from two
 * providers, the columns both declare as join keys (a commune code, a patient or vehicle
 * identifier) are replaced by HMAC-SHA-256 under a key of that contract: rows still join on
 * equality, but the consumer never sees the identifiers, and — the key being secret — cannot test
 * a guess ("is patient 1 234 567 in there?") by hashing it himself, which a bare SHA-256 would
 * allow for any identifier space small enough to enumerate.
 *
 * Construction (RFC 2104), with only DuckDB built-ins: `sha256(BLOB)` hashes bytes and returns
 * lowercase hex, `unhex` turns hex back into a BLOB, `encode` gives a VARCHAR's UTF-8 bytes and
 * `||` concatenates BLOBs. The key ⊕ ipad and key ⊕ opad blocks are computed here, in JavaScript,
 * so the SQL is
 *
 *     sha256(unhex(K⊕opad) || unhex(sha256(unhex(K⊕ipad) || encode(CAST(column AS VARCHAR)))))
 *
 * which equals `createHmac('sha256', key).update(text, 'utf8').digest('hex')` byte for byte.
 *
 * Output: the full 64 lowercase hex digits, not a truncation: it is exactly what any HMAC library
 * gives (a provider or auditor can recompute a pseudonym with stock tools), and joining on it is
 * cheap once computed (bench/pseudonym.ts: 1.2× the raw-key join of 2 × 1M rows).
 *
 * Cost: the hashing is what is slow — four SHA-256 compressions and a hex round trip per value,
 * ≈ 2 µs a row on two threads, 18× the raw join when computed on the fly in the query. So compute
 * it once per (contract, dataset) and store the result, rather than in a view evaluated by every
 * query; that also keeps this SQL out of the consumer's sandbox (see below).
 *
 * Normalisation: a value is hashed by its DuckDB text form, `CAST(column AS VARCHAR)`. Integers and
 * text therefore agree when their text agrees — 34 (INTEGER, BIGINT, HUGEINT) and '34' give the same
 * pseudonym — but '034' does not, nor 34.0 (DOUBLE → '34.0') nor DECIMAL(5,2) ('34.00'). No trimming,
 * case folding or Unicode normalisation: 'Hérault' in NFC and in NFD are different bytes, hence
 * different pseudonyms. Both providers must therefore declare a join key with the same type and the
 * same spelling convention; the engine will not guess (a guess that merges '034' with '34' could
 * join two different vehicles). NULL in, NULL out: a missing key joins nothing.
 *
 * SECRET SQL: the padded blocks are not the raw key, but anyone holding one recovers it by a XOR
 * with 0x36 (or 0x5c). The SQL text is therefore as secret as the key: it is built by the node,
 * never by a user, and must never be logged, returned in an error, shown in EXPLAIN output to a
 * consumer, nor stored in a view definition the consumer's SQL can reach (`duckdb_views().sql`
 * prints the expression, constants included).
 */

/** SHA-256's block size, in bytes: the HMAC key is padded (or hashed first) to this length. */
const BLOCK = 64;
/** Length of the master key and of each contract key, in bytes. */
export const PSEUDONYM_KEY_BYTES = 32;

function paddedKeyHex(key: Buffer, pad: number): string {
  // RFC 2104: a key longer than a block is hashed first, a shorter one padded with zeros.
  const block = Buffer.alloc(BLOCK);
  (key.length > BLOCK ? createHash('sha256').update(key).digest() : key).copy(block);
  for (let i = 0; i < BLOCK; i++) block[i] = block[i]! ^ pad;
  return block.toString('hex');
}

/**
 * A DuckDB expression computing HMAC-SHA-256(key, UTF-8 of CAST(columnSql AS VARCHAR)) as 64
 * lowercase hex digits (NULL for NULL). `columnSql` is an SQL expression the caller has already
 * quoted (`sqlIdent('code_commune')`). The returned text embeds key material: never log it.
 */
export function pseudonymSql(columnSql: string, key: Buffer): string {
  if (key.length === 0) throw new Error('clé de pseudonymisation vide');
  const inner = `sha256(unhex('${paddedKeyHex(key, 0x36)}') || encode(CAST((${columnSql}) AS VARCHAR)))`;
  return `sha256(unhex('${paddedKeyHex(key, 0x5c)}') || unhex(${inner}))`;
}

/**
 * The stored form of a pseudonym: HMAC-SHA-256 truncated to its first 128 bits (RFC 2104 §5 allows
 * keeping the left half) as a DuckDB UUID. A join on 64 hex characters cost 1.7× the raw-key join of
 * 2 × 1M rows through the node (bench/join.ts) — wide text that does not compress; 16 bytes
 * compared as one 128-bit integer join faster than most raw keys. 128 bits keep collisions out of
 * reach (≈ 2⁻⁶⁴ for 2³² distinct keys), and the text of the UUID without its dashes is still the first
 * 32 hex digits any HMAC library gives, so a provider can recompute one.
 */
export function pseudonymKeySql(columnSql: string, key: Buffer): string {
  return `CAST(left(${pseudonymSql(columnSql, key)}, 32) AS UUID)`;
}

/**
 * The key of one contract: HKDF-SHA-256 of the node's master key with info
 * `confiance/pseudonym/v1/<contractId>`. Each contract gets its own key, so the same identifier has
 * unrelated pseudonyms under two contracts: a consumer holding results of both cannot link them,
 * and a key leaked from one contract reveals nothing about another's.
 */
export function deriveContractKey(masterKey: Buffer, contractId: string): Buffer {
  if (masterKey.length < PSEUDONYM_KEY_BYTES) {
    throw new Error(`la clé maîtresse des pseudonymes doit faire au moins ${PSEUDONYM_KEY_BYTES} octets`);
  }
  if (contractId.length === 0) throw new Error('identifiant de contrat vide');
  // No salt: the master key is already uniformly random (RFC 5869 §3.1); the info separates contracts
  // and the `v1` lets a future scheme coexist without ever reusing a key.
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `confiance/pseudonym/v1/${contractId}`, PSEUDONYM_KEY_BYTES));
}

/**
 * Loads the node's pseudonym master key, or makes one on first start, the way the contract signing
 * key is kept (signing.ts): outside the database, mode 0600, in `{dataDir}/keys/pseudonym-master.key`,
 * as base64 on one line. A file readable by other accounts is refused: with it, anyone on the host
 * could recompute every contract's pseudonyms and reverse them by enumeration.
 *
 * Rotation changes every pseudonym: results already delivered no longer join with new ones, which is
 * the point when a key may have leaked; there is no other reason to rotate it.
 */
export async function loadOrCreateMasterKey(file: string): Promise<Buffer> {
  try {
    return await readMasterKey(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // `wx`: two nodes starting on one folder never overwrite each other's key; the loser reads the
  // winner's file, so both compute the same pseudonyms.
  await fs
    .writeFile(file, `${randomBytes(PSEUDONYM_KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
    .catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  return readMasterKey(file);
}

async function readMasterKey(file: string): Promise<Buffer> {
  const stat = await fs.stat(file);
  if ((stat.mode & 0o077) !== 0) {
    throw new Error(
      `la clé des pseudonymes ${file} est lisible par d’autres comptes (mode ${(stat.mode & 0o777).toString(8)}) : chmod 600`,
    );
  }
  const text = (await fs.readFile(file, 'utf8')).trim();
  const key = Buffer.from(text, 'base64');
  // Buffer.from ignores what is not base64: re-encoding catches a truncated or edited file instead of
  // silently using a shorter key.
  if (key.length !== PSEUDONYM_KEY_BYTES || key.toString('base64') !== text) {
    throw new Error(`la clé des pseudonymes ${file} est illisible : ${PSEUDONYM_KEY_BYTES} octets en base64 attendus`);
  }
  return key;
}

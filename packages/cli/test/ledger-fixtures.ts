import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A transparency log built from the RFC 9162 definitions with node:crypto alone, independent of
 * `@confiance/contract`'s tlog code, so the CLI's verdicts are checked against a second
 * implementation: the recursive MTH / PATH / SUBPROOF of RFC 9162 §2.1, signed notes as C2SP
 * signed-note describes them, tiles as C2SP tlog-tiles lays them out.
 */

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const leafHash = (leaf: Uint8Array) => sha256(Buffer.from([0]), leaf);
const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(Buffer.from([1]), left, right);

/** Largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function mth(hashes: Buffer[]): Buffer {
  if (hashes.length === 0) return sha256();
  if (hashes.length === 1) return hashes[0]!;
  const k = split(hashes.length);
  return nodeHash(mth(hashes.slice(0, k)), mth(hashes.slice(k)));
}

function path(m: number, hashes: Buffer[]): Buffer[] {
  if (hashes.length <= 1) return [];
  const k = split(hashes.length);
  return m < k ? [...path(m, hashes.slice(0, k)), mth(hashes.slice(k))] : [...path(m - k, hashes.slice(k)), mth(hashes.slice(0, k))];
}

function subproof(m: number, hashes: Buffer[], complete: boolean): Buffer[] {
  const n = hashes.length;
  if (m === n) return complete ? [] : [mth(hashes)];
  const k = split(n);
  return m <= k
    ? [...subproof(m, hashes.slice(0, k), complete), mth(hashes.slice(k))]
    : [...subproof(m - k, hashes.slice(k), false), mth(hashes.slice(0, k))];
}

/** RFC 8785 for the values these fixtures use (strings, safe integers, objects, arrays). */
export function jcs(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jcs(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function keyId(name: string, alg: number, publicKey: Uint8Array): Buffer {
  return sha256(Buffer.from(`${name}\n`, 'utf8'), Buffer.from([alg]), publicKey).subarray(0, 4);
}

export interface NoteKey {
  name: string;
  privateKey: KeyObject;
  publicKey: Buffer;
  id: Buffer;
  /** `<name>+<hex id>+<base64(alg ‖ key)>`. */
  verifierKey: string;
}

export function noteKey(name: string, alg = 0x01): NoteKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const raw = Buffer.from(spki.subarray(spki.length - 32));
  const id = keyId(name, alg, raw);
  return {
    name,
    privateKey,
    publicKey: raw,
    id,
    verifierKey: `${name}+${id.toString('hex')}+${Buffer.concat([Buffer.from([alg]), raw]).toString('base64')}`,
  };
}

export function signNote(body: string, key: NoteKey): string {
  const signature = sign(null, Buffer.from(body, 'utf8'), key.privateKey);
  return `${body}\n\u2014 ${key.name} ${Buffer.concat([key.id, signature]).toString('base64')}\n`;
}

/** A C2SP cosignature/v1 line over a checkpoint body, at `time` (seconds). */
export function cosignatureLine(body: string, key: NoteKey, time: number): string {
  const message = Buffer.from(`cosignature/v1\ntime ${time}\n${body}`, 'utf8');
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(time));
  const signature = sign(null, message, key.privateKey);
  return `\u2014 ${key.name} ${Buffer.concat([key.id, stamp, signature]).toString('base64')}\n`;
}

export interface FixtureEntry {
  type: string;
  time: string;
  public: Record<string, unknown>;
  details: Record<string, unknown>;
  salt: Buffer;
  commitment: string;
  leaf: Buffer;
}

/** A log of ledger entries with its proofs, checkpoints and tiles, as the node would serve them. */
export class FixtureLog {
  readonly entries: FixtureEntry[] = [];
  readonly key: NoteKey;

  constructor(readonly origin = 'confiance.test/ledger') {
    this.key = noteKey(origin);
  }

  append(count = 1): this {
    for (let i = 0; i < count; i++) {
      const n = this.entries.length;
      const salt = randomBytes(32);
      const details = { by: `user-${n}` };
      const commitment = sha256(salt, Buffer.from(jcs(details), 'utf8')).toString('hex');
      const type = 'dataset.published';
      const time = new Date(Date.UTC(2026, 10, 28, 12, 0, n)).toISOString();
      const pub = {
        dataset: `jeu-${n}`,
        publisher: 'occitanie-donnees',
        version: 1,
        accessLevel: 'open',
        licence: 'etalab-2.0',
        sha256: sha256(Buffer.from(String(n))).toString('hex'),
      };
      const leaf = Buffer.from(jcs({ type, time, public: pub, commitment }), 'utf8');
      this.entries.push({ type, time, public: pub, details, salt, commitment, leaf });
    }
    return this;
  }

  get size(): number {
    return this.entries.length;
  }

  private hashes(size = this.size): Buffer[] {
    return this.entries.slice(0, size).map((e) => leafHash(e.leaf));
  }

  root(size = this.size): Buffer {
    return mth(this.hashes(size));
  }

  body(size = this.size): string {
    return `${this.origin}\n${size}\n${this.root(size).toString('base64')}\n`;
  }

  checkpoint(size = this.size): string {
    return signNote(this.body(size), this.key);
  }

  /** The JSON of `GET /api/v1/ledger/entries/:index`. */
  entryView(index: number) {
    const e = this.entries[index]!;
    return {
      index,
      type: e.type,
      time: e.time,
      public: e.public,
      commitment: e.commitment,
      leaf: e.leaf.toString('base64'),
      leafHash: leafHash(e.leaf).toString('base64'),
      details: e.details,
      salt: e.salt.toString('base64'),
      erased: false,
    };
  }

  /** The JSON of `GET /api/v1/ledger/entries/:index/proof?treeSize=`. */
  proofView(index: number, size = this.size) {
    return {
      index,
      treeSize: size,
      leafHash: leafHash(this.entries[index]!.leaf).toString('base64'),
      proof: path(index, this.hashes(size)).map((h) => h.toString('base64')),
      root: this.root(size).toString('base64'),
    };
  }

  /** The JSON of `GET /api/v1/ledger/consistency?from=&to=`. */
  consistencyView(size1: number, size2 = this.size) {
    return {
      size1,
      size2,
      root1: this.root(size1).toString('base64'),
      root2: this.root(size2).toString('base64'),
      proof: subproof(size1, this.hashes(size2), true).map((h) => h.toString('base64')),
    };
  }

  /** Every tile of a tree of `size` (C2SP tlog-tiles, height 8), by path under /ledger/. */
  tiles(size = this.size): Map<string, Buffer> {
    const tiles = new Map<string, Buffer>();
    const hashes = this.hashes(size);
    for (let level = 0; 256 ** level <= size; level++) {
      const span = 256 ** level;
      const count = Math.floor(size / span);
      const nodes = Array.from({ length: count }, (_, i) => mth(hashes.slice(i * span, (i + 1) * span)));
      for (let n = 0; n * 256 < count; n++) {
        const width = Math.min(256, count - n * 256);
        tiles.set(`tile/${level}/${tileIndex(n)}${width < 256 ? `.p/${width}` : ''}`, Buffer.concat(nodes.slice(n * 256, n * 256 + width)));
      }
    }
    for (let n = 0; n * 256 < size; n++) {
      const width = Math.min(256, size - n * 256);
      const bundle = this.entries.slice(n * 256, n * 256 + width).map((e) => {
        const length = Buffer.alloc(2);
        length.writeUInt16BE(e.leaf.length);
        return Buffer.concat([length, e.leaf]);
      });
      tiles.set(`tile/entries/${tileIndex(n)}${width < 256 ? `.p/${width}` : ''}`, Buffer.concat(bundle));
    }
    return tiles;
  }
}

/** `1234067` → `x001/x234/067`. */
export function tileIndex(n: number): string {
  const digits = String(n).padStart(3 * Math.ceil(String(n).length / 3), '0');
  const groups = digits.match(/\d{3}/g)!;
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

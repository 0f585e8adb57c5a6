import { describe, expect, it } from 'vitest';
import { base64Decode, bytesEqual, hexDecode, hexEncode } from './encoding';
import { TlogError } from './errors';
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  nodeHash,
  rootFromInclusion,
  rootOf,
  subtreeNodes,
  verifyConsistency,
  verifyInclusion,
  type ReadNode,
} from './merkle';
import { fixtureFiles, readFixture, seededRandom, sha, sha256Sync } from './test-support';

// ---------------------------------------------------------------------------------------------
// transparency-dev/merkle probes: 98 inclusion, 98 consistency; `wantErr` decides.

interface InclusionProbe {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyProbe {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

const b64 = (text: string) => base64Decode(text);
const hex = (text: string) => hexDecode(text);

/** Resolves to the TlogError thrown, or undefined when the promise resolves. */
async function errorOf(run: () => Promise<unknown>): Promise<TlogError | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    // Anything but a TlogError (a TypeError on a malformed input…) is a bug, not a verdict.
    expect(error).toBeInstanceOf(TlogError);
    return error as TlogError;
  }
}

const inclusionFiles = fixtureFiles('testdata/inclusion');
const consistencyFiles = fixtureFiles('testdata/consistency');

describe('transparency-dev inclusion probes', () => {
  it('are all there', () => {
    expect(inclusionFiles).toHaveLength(98);
  });

  // leafIdx-sub-@1 probes carry 2^64 − 1, which JSON.parse rounds to 2^64: still beyond every size,
  // so the verdict (index out of range) is the one the probe expects.
  it.each(inclusionFiles)('%s', async (file) => {
    const probe = readFixture<InclusionProbe>(file);
    const error = await errorOf(() =>
      verifyInclusion(sha, probe.leafIdx, probe.treeSize, b64(probe.leafHash), (probe.proof ?? []).map(b64), b64(probe.root)),
    );
    expect(error === undefined ? 'accepted' : `rejected (${error.code})`).toMatch(probe.wantErr ? /^rejected/ : /^accepted$/);
  });
});

describe('transparency-dev consistency probes', () => {
  it('are all there', () => {
    expect(consistencyFiles).toHaveLength(98);
  });

  it.each(consistencyFiles)('%s', async (file) => {
    const probe = readFixture<ConsistencyProbe>(file);
    const error = await errorOf(() =>
      verifyConsistency(sha, probe.size1, probe.size2, b64(probe.root1), b64(probe.root2), (probe.proof ?? []).map(b64)),
    );
    expect(error === undefined ? 'accepted' : `rejected (${error.code})`).toMatch(probe.wantErr ? /^rejected/ : /^accepted$/);
  });
});

describe('verifier policy', () => {
  const root = new Uint8Array(32);
  it('rejects an index at the tree size', async () => {
    expect((await errorOf(() => verifyInclusion(sha, 8, 8, root, [], root)))?.code).toBe('index_out_of_range');
  });
  it('rejects a leaf hash that is not 32 bytes', async () => {
    expect((await errorOf(() => verifyInclusion(sha, 0, 1, new Uint8Array(31), [], root)))?.code).toBe('invalid_hash_size');
  });
  it('rejects a proof of the wrong length before hashing', async () => {
    expect((await errorOf(() => verifyInclusion(sha, 0, 8, root, [root, root], root)))?.code).toBe('wrong_proof_size');
  });
  it('rejects sizes that are not safe integers', async () => {
    expect((await errorOf(() => verifyInclusion(sha, 0, 2 ** 53, root, [], root)))?.code).toBe('invalid_size');
    expect((await errorOf(() => verifyInclusion(sha, 0.5, 8, root, [], root)))?.code).toBe('invalid_size');
    expect((await errorOf(() => verifyConsistency(sha, -1, 8, root, root, [])))?.code).toBe('invalid_size');
  });
  it('rejects consistency from the empty tree, even to itself', async () => {
    expect((await errorOf(() => verifyConsistency(sha, 0, 0, root, root, [])))?.code).toBe('invalid_tree_sizes');
  });
  it('rejects size1 > size2', async () => {
    expect((await errorOf(() => verifyConsistency(sha, 5, 4, root, root, [root])))?.code).toBe('invalid_tree_sizes');
  });
  it('accepts equal sizes only with an empty proof and equal roots', async () => {
    expect(await errorOf(() => verifyConsistency(sha, 3, 3, root, root, []))).toBeUndefined();
    expect((await errorOf(() => verifyConsistency(sha, 3, 3, root, root, [root])))?.code).toBe('wrong_proof_size');
    expect((await errorOf(() => verifyConsistency(sha, 3, 3, root, new Uint8Array(32).fill(1), [])))?.code).toBe('root_mismatch');
  });
});

// ---------------------------------------------------------------------------------------------
// RFC 6962 vectors transcribed from transparency-dev/merkle's Go tests.

interface Rfc6962Vectors {
  hasher: {
    desc: string;
    function: 'emptyRoot' | 'hashLeaf' | 'hashChildren';
    inputHex?: string;
    leftHex?: string;
    rightHex?: string;
    wantHex: string;
  }[];
  leafInputsHex: string[];
  nodeHashesByLevel: { levels: string[][] };
  rootHashesBySize: { size: number; rootHex: string }[];
  inclusionProofs: { cases: { index: number; size: number; proof: string[] }[] };
  consistencyProofs: { cases: { size1: number; size2: number; proof: string[] }[] };
}

const vectors = readFixture<Rfc6962Vectors>('rfc6962-vectors.json');
const leaves = vectors.leafInputsHex.map(hex);
const levels = vectors.nodeHashesByLevel.levels.map((level) => level.map(hex));
const readVectorNode: ReadNode = (level, index) => {
  const hash = levels[level]?.[index];
  if (!hash) throw new Error(`no stored node ${level}/${index}`);
  return Promise.resolve(hash);
};

describe('RFC 6962 vectors', () => {
  it.each(vectors.hasher)('hasher: $desc', async (c) => {
    let got: Uint8Array;
    if (c.function === 'emptyRoot') got = await emptyRoot(sha);
    else if (c.function === 'hashLeaf') got = await leafHash(sha, hex(c.inputHex!));
    else got = await nodeHash(sha, hex(c.leftHex!), hex(c.rightHex!));
    expect(hexEncode(got)).toBe(c.wantHex);
  });

  it('hashes the 8 leaves to the level-0 node hashes', async () => {
    const hashes = await Promise.all(leaves.map((leaf) => leafHash(sha, leaf)));
    expect(hashes.map(hexEncode)).toEqual(vectors.nodeHashesByLevel.levels[0]);
  });

  it.each(vectors.rootHashesBySize)('root of size $size', async ({ size, rootHex }) => {
    expect(hexEncode(await rootOf(sha, size, readVectorNode))).toBe(rootHex);
  });

  it.each(vectors.inclusionProofs.cases)('inclusion proof of $index in $size', async ({ index, size, proof }) => {
    const produced = await inclusionProof(sha, index, size, readVectorNode);
    expect(produced.map(hexEncode)).toEqual(proof);
    const root = hex(vectors.rootHashesBySize[size]!.rootHex);
    await verifyInclusion(sha, index, size, levels[0]![index]!, produced, root);
  });

  it.each(vectors.consistencyProofs.cases)('consistency proof $size1 → $size2', async ({ size1, size2, proof }) => {
    const produced = await consistencyProof(sha, size1, size2, readVectorNode);
    expect(produced.map(hexEncode)).toEqual(proof);
    const root1 = hex(vectors.rootHashesBySize[size1]!.rootHex);
    const root2 = hex(vectors.rootHashesBySize[size2]!.rootHex);
    await verifyConsistency(sha, size1, size2, root1, root2, produced);
  });
});

// ---------------------------------------------------------------------------------------------
// Every proof of every tree of 1..8 leaves, byte for byte (derived fixture).

interface DerivedProofs {
  roots: { size: number; rootHex: string }[];
  inclusion: { index: number; size: number; leafHashHex: string; rootHex: string; proof: string[] }[];
  consistency: { size1: number; size2: number; root1Hex: string; root2Hex: string; proof: string[] }[];
}

const derived = readFixture<DerivedProofs>('derived/all-proofs-size1-8.json');

describe('prover against every proof for sizes 1..8', () => {
  it('covers 36 inclusion and 36 consistency proofs', () => {
    expect([derived.inclusion.length, derived.consistency.length]).toEqual([36, 36]);
  });

  it.each(derived.inclusion)('inclusion of $index in $size', async (c) => {
    const produced = await inclusionProof(sha, c.index, c.size, readVectorNode);
    expect(produced.map(hexEncode)).toEqual(c.proof);
    expect(hexEncode(await rootOf(sha, c.size, readVectorNode))).toBe(c.rootHex);
    await verifyInclusion(sha, c.index, c.size, hex(c.leafHashHex), produced, hex(c.rootHex));
  });

  it.each(derived.consistency)('consistency $size1 → $size2', async (c) => {
    const produced = await consistencyProof(sha, c.size1, c.size2, readVectorNode);
    expect(produced.map(hexEncode)).toEqual(c.proof);
    await verifyConsistency(sha, c.size1, c.size2, hex(c.root1Hex), hex(c.root2Hex), produced);
  });
});

// ---------------------------------------------------------------------------------------------
// Bigger random trees against a naive, synchronous transcription of RFC 9162 §2.1.

const LEAF_COUNT = 3000;

function naiveLeafHash(leaf: Uint8Array): Buffer {
  return sha256Sync(Buffer.concat([Buffer.of(0), leaf]));
}
function naiveNode(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256Sync(Buffer.concat([Buffer.of(1), left, right]));
}
function k(n: number): number {
  let power = 1;
  while (power * 2 < n) power *= 2;
  return power;
}
/** MTH(D[start:end]) by the RFC's recursion. */
function mth(hashes: Buffer[], start: number, end: number): Buffer {
  if (end - start === 0) return sha256Sync(new Uint8Array(0));
  if (end - start === 1) return hashes[start]!;
  const split = k(end - start);
  return naiveNode(mth(hashes, start, start + split), mth(hashes, start + split, end));
}
/** PATH(m, D[start:end]). */
function path(hashes: Buffer[], m: number, start: number, end: number): Buffer[] {
  if (end - start === 1) return [];
  const split = k(end - start);
  return m < split
    ? [...path(hashes, m, start, start + split), mth(hashes, start + split, end)]
    : [...path(hashes, m - split, start + split, end), mth(hashes, start, start + split)];
}
/** SUBPROOF(m, D[start:end], b). */
function subproof(hashes: Buffer[], m: number, start: number, end: number, whole: boolean): Buffer[] {
  if (m === end - start) return whole ? [] : [mth(hashes, start, end)];
  const split = k(end - start);
  return m <= split
    ? [...subproof(hashes, m, start, start + split, whole), mth(hashes, start + split, end)]
    : [...subproof(hashes, m - split, start + split, end, false), mth(hashes, start, start + split)];
}

describe(`prover and verifier on random trees up to ${LEAF_COUNT} leaves`, () => {
  const random = seededRandom(0x5eed);
  const leafData = Array.from({ length: LEAF_COUNT }, (_, i) => {
    const bytes = new Uint8Array(1 + Math.floor(random() * 40));
    for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
    bytes[0] = i & 0xff;
    return bytes;
  });
  const hashes = leafData.map(naiveLeafHash);
  // Stored complete subtrees, level by level, as a server keeps them.
  const stored: Buffer[][] = [hashes];
  while (stored[stored.length - 1]!.length > 1) {
    const below = stored[stored.length - 1]!;
    const above: Buffer[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) above.push(naiveNode(below[i]!, below[i + 1]!));
    stored.push(above);
  }
  let reads = 0;
  const readNode: ReadNode = (level, index) => {
    reads++;
    const hash = stored[level]?.[index];
    if (!hash) throw new Error(`no stored node ${level}/${index}`);
    return Promise.resolve(hash);
  };

  const sizes = new Set<number>();
  for (let n = 1; n <= 70; n++) sizes.add(n);
  for (let p = 128; p <= 2048; p *= 2) [p - 1, p, p + 1].forEach((n) => sizes.add(n));
  while (sizes.size < 110) sizes.add(1 + Math.floor(random() * LEAF_COUNT));
  sizes.add(LEAF_COUNT);
  const roots = new Map<number, Buffer>([...sizes].map((n) => [n, mth(hashes, 0, n)]));
  const sizeList = [...sizes].sort((a, b) => a - b);

  it('leaf hashes agree with the library', async () => {
    for (let i = 0; i < 50; i++) expect(bytesEqual(await leafHash(sha, leafData[i]!), hashes[i]!)).toBe(true);
  });

  it('rootOf matches the naive MTH for every sampled size, with one read per complete subtree', async () => {
    for (const n of sizeList) {
      reads = 0;
      expect(hexEncode(await rootOf(sha, n, readNode)), `size ${n}`).toBe(hexEncode(roots.get(n)!));
      expect(reads).toBe(subtreeNodes(0, n).length);
    }
  });

  it('inclusion proofs equal the RFC PATH and verify; a flipped bit or a wrong index does not', async () => {
    for (const n of sizeList) {
      const indexes = n <= 70 ? Array.from({ length: n }, (_, i) => i) : [0, n - 1, Math.floor(random() * n), Math.floor(random() * n)];
      for (const m of indexes) {
        const proof = await inclusionProof(sha, m, n, readNode);
        expect(proof.map(hexEncode), `PATH(${m}, ${n})`).toEqual(path(hashes, m, 0, n).map(hexEncode));
        await verifyInclusion(sha, m, n, hashes[m]!, proof, roots.get(n)!);
        if (proof.length > 0) {
          const tampered = proof.map((h) => Uint8Array.from(h));
          tampered[Math.floor(random() * tampered.length)]![Math.floor(random() * 32)]! ^= 1;
          expect((await errorOf(() => verifyInclusion(sha, m, n, hashes[m]!, tampered, roots.get(n)!)))?.code).toBe('root_mismatch');
          const other = (m + 1) % n;
          expect(await errorOf(() => verifyInclusion(sha, other, n, hashes[m]!, proof, roots.get(n)!))).toBeDefined();
        }
      }
    }
  });

  it('consistency proofs equal the RFC PROOF and verify; a flipped bit or a wrong root does not', async () => {
    for (const n of sizeList) {
      const olds = sizeList.filter((m) => m <= n);
      const picks = olds.length <= 12 ? olds : [1, n, ...Array.from({ length: 10 }, () => olds[Math.floor(random() * olds.length)]!)];
      for (const m of picks) {
        const proof = await consistencyProof(sha, m, n, readNode);
        expect(proof.map(hexEncode), `PROOF(${m}, ${n})`).toEqual(subproof(hashes, m, 0, n, true).map(hexEncode));
        await verifyConsistency(sha, m, n, roots.get(m)!, roots.get(n)!, proof);
        if (proof.length > 0) {
          const tampered = proof.map((h) => Uint8Array.from(h));
          tampered[Math.floor(random() * tampered.length)]![Math.floor(random() * 32)]! ^= 0x80;
          expect((await errorOf(() => verifyConsistency(sha, m, n, roots.get(m)!, roots.get(n)!, tampered)))?.code).toBe('root_mismatch');
          const forked = Uint8Array.from(roots.get(n)!);
          forked[0]! ^= 1;
          expect((await errorOf(() => verifyConsistency(sha, m, n, roots.get(m)!, forked, proof)))?.code).toBe('root_mismatch');
        }
      }
    }
  });

  it('rootFromInclusion recomputes the root the proof commits to', async () => {
    const n = LEAF_COUNT;
    const proof = await inclusionProof(sha, 1234, n, readNode);
    expect(hexEncode(await rootFromInclusion(sha, 1234, n, hashes[1234]!, proof))).toBe(hexEncode(roots.get(n)!));
  });
});

describe('subtreeNodes', () => {
  it('splits a range into aligned complete subtrees', () => {
    expect(subtreeNodes(0, 7)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(subtreeNodes(8, 13)).toEqual([
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(subtreeNodes(3, 3)).toEqual([]);
  });
});

describe('provers refuse impossible requests', () => {
  it('inclusion of an index beyond the size', async () => {
    expect((await errorOf(() => inclusionProof(sha, 8, 8, readVectorNode)))?.code).toBe('index_out_of_range');
  });
  it('consistency from 0 or backwards', async () => {
    expect((await errorOf(() => consistencyProof(sha, 0, 8, readVectorNode)))?.code).toBe('invalid_tree_sizes');
    expect((await errorOf(() => consistencyProof(sha, 5, 4, readVectorNode)))?.code).toBe('invalid_tree_sizes');
  });
  it('gives an empty consistency proof between equal sizes', async () => {
    expect(await consistencyProof(sha, 5, 5, readVectorNode)).toEqual([]);
  });
});

import type { Sha256 } from './crypto';
import { bytesEqual } from './encoding';
import { TlogError } from './errors';

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing, proof verification and proof construction, with SHA-256.
 *
 * Verification follows transparency-dev/merkle's verifier (`proof/verify.go`) rule for rule, and
 * adds the two policies its published probes encode: a leaf hash must be exactly 32 bytes, and a
 * consistency proof from the empty tree is always rejected (it proves nothing, and accepting it
 * would let a log "prove" any history to a client that never saw a checkpoint).
 *
 * Sizes and indexes are JavaScript numbers: every integer up to 2^53 − 1 is exact, far beyond any
 * log this project will hold; anything else is refused as `invalid_size` rather than rounded.
 */

export const HASH_SIZE = 32;

/** A node of the tree: the complete subtree at `level` covering leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  level: number;
  index: number;
}

/** Returns the stored hash of a complete subtree (a level-0 node is a leaf hash). */
export type ReadNode = (level: number, index: number) => Promise<Uint8Array>;

/** A half-open range of leaves [start, end) whose Merkle Tree Hash a proof carries. */
export type LeafRange = readonly [start: number, end: number];

const EMPTY = new Uint8Array(0);

/** MTH({}) = SHA-256(""). */
export function emptyRoot(sha: Sha256): Promise<Uint8Array> {
  return sha(EMPTY);
}

/** SHA-256(0x00 ‖ leaf): the 0x00/0x01 prefixes keep a leaf from ever passing for an inner node. */
export function leafHash(sha: Sha256, leaf: Uint8Array): Promise<Uint8Array> {
  const input = new Uint8Array(leaf.length + 1);
  input.set(leaf, 1);
  return sha(input);
}

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(sha: Sha256, left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = 1;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha(input);
}

// ---------------------------------------------------------------------------------------------
// Bit arithmetic on safe integers (0 ≤ x < 2^53): JavaScript's bitwise operators stop at 32 bits.

const TWO_32 = 0x1_0000_0000;

function bitLength(x: number): number {
  if (x < TWO_32) return 32 - Math.clz32(x);
  return 64 - Math.clz32(Math.floor(x / TWO_32));
}

function xor(a: number, b: number): number {
  if (a < TWO_32 && b < TWO_32) return (a ^ b) >>> 0;
  const hi = (Math.floor(a / TWO_32) ^ Math.floor(b / TWO_32)) >>> 0;
  const lo = ((a % TWO_32) ^ (b % TWO_32)) >>> 0;
  return hi * TWO_32 + lo;
}

function popCount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function popCount(x: number): number {
  return popCount32(x % TWO_32) + popCount32(Math.floor(x / TWO_32));
}

/** x > 0. */
function trailingZeros(x: number): number {
  const lo = x % TWO_32;
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  const hi = Math.floor(x / TWO_32);
  return 32 + 31 - Math.clz32(hi & -hi);
}

function shiftRight(x: number, bits: number): number {
  return Math.floor(x / 2 ** bits);
}

function bitAt(x: number, bit: number): number {
  return Math.floor(x / 2 ** bit) % 2;
}

/** The largest power of two strictly below n (n ≥ 2): RFC 9162's split point k. */
function splitPoint(n: number): number {
  return 2 ** (bitLength(n - 1) - 1);
}

function assertSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TlogError('invalid_size', `${what} must be a non-negative safe integer, got ${value}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Verifiers

/**
 * Recomputes the root from an inclusion proof (RFC 9162 §2.1.3.2), checking its shape first.
 * `proof` is bottom-up, as provers emit it.
 */
export async function rootFromInclusion(
  sha: Sha256,
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<Uint8Array> {
  assertSize(size, 'tree size');
  if (index >= size) throw new TlogError('index_out_of_range', `index ${index} is beyond the tree size ${size}`);
  assertSize(index, 'index');
  if (leaf.length !== HASH_SIZE) throw new TlogError('invalid_hash_size', `leaf hash is ${leaf.length} bytes, want ${HASH_SIZE}`);
  // `inner` proof hashes are siblings below the point where the leaf's path leaves the tree's right
  // border; the `border` ones above it are all left siblings.
  const inner = bitLength(xor(index, size - 1));
  const border = popCount(shiftRight(index, inner));
  if (proof.length !== inner + border) {
    throw new TlogError('wrong_proof_size', `inclusion proof has ${proof.length} hashes, want ${inner + border}`);
  }
  let hash = leaf;
  for (let i = 0; i < inner; i++) {
    hash = bitAt(index, i) === 0 ? await nodeHash(sha, hash, proof[i]!) : await nodeHash(sha, proof[i]!, hash);
  }
  for (let i = inner; i < proof.length; i++) hash = await nodeHash(sha, proof[i]!, hash);
  return hash;
}

/** Resolves if `leaf` (a leaf hash) is at `index` in the tree of `size` with `root`; throws a TlogError otherwise. */
export async function verifyInclusion(
  sha: Sha256,
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Promise<void> {
  const computed = await rootFromInclusion(sha, index, size, leaf, proof);
  if (!bytesEqual(computed, root)) throw new TlogError('root_mismatch', 'the inclusion proof leads to another root');
}

/**
 * Resolves if the tree of `size2` with `root2` extends the tree of `size1` with `root1`
 * (RFC 9162 §2.1.4.2); throws a TlogError otherwise.
 */
export async function verifyConsistency(
  sha: Sha256,
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<void> {
  assertSize(size1, 'size1');
  assertSize(size2, 'size2');
  if (size2 < size1) throw new TlogError('invalid_tree_sizes', `size2 (${size2}) is smaller than size1 (${size1})`);
  if (size1 === 0) throw new TlogError('invalid_tree_sizes', 'a consistency proof from the empty tree proves nothing');
  if (size1 === size2) {
    if (proof.length > 0) throw new TlogError('wrong_proof_size', 'equal sizes need an empty proof');
    if (!bytesEqual(root1, root2)) throw new TlogError('root_mismatch', 'equal sizes with different roots');
    return;
  }
  if (proof.length === 0) throw new TlogError('wrong_proof_size', 'empty consistency proof between different sizes');

  let inner = bitLength(xor(size1 - 1, size2 - 1));
  const border = popCount(shiftRight(size1 - 1, inner));
  // The first tree's last complete subtree of 2^shift leaves is where both paths start.
  const shift = trailingZeros(size1);
  inner -= shift;
  // That subtree's hash is root1 itself when size1 is a power of two, otherwise the proof's first hash.
  const start = size1 === 2 ** shift ? 0 : 1;
  const seed = start === 0 ? root1 : proof[0]!;
  if (proof.length !== start + inner + border) {
    throw new TlogError('wrong_proof_size', `consistency proof has ${proof.length} hashes, want ${start + inner + border}`);
  }
  const mask = shiftRight(size1 - 1, shift);

  const chainFirst = async () => {
    let hash = seed;
    for (let i = 0; i < inner; i++) if (bitAt(mask, i) === 1) hash = await nodeHash(sha, proof[start + i]!, hash);
    for (let i = start + inner; i < proof.length; i++) hash = await nodeHash(sha, proof[i]!, hash);
    return hash;
  };
  const chainSecond = async () => {
    let hash = seed;
    for (let i = 0; i < inner; i++) {
      const sibling = proof[start + i]!;
      hash = bitAt(mask, i) === 0 ? await nodeHash(sha, hash, sibling) : await nodeHash(sha, sibling, hash);
    }
    for (let i = start + inner; i < proof.length; i++) hash = await nodeHash(sha, proof[i]!, hash);
    return hash;
  };
  const [hash1, hash2] = await Promise.all([chainFirst(), chainSecond()]);
  if (!bytesEqual(hash1, root1)) throw new TlogError('root_mismatch', 'the consistency proof does not lead to the first root');
  if (!bytesEqual(hash2, root2)) throw new TlogError('root_mismatch', 'the consistency proof does not lead to the second root');
}

// ---------------------------------------------------------------------------------------------
// Provers: what the server (or a client holding tiles) computes from stored complete subtrees.

/**
 * The complete subtrees that make up the leaf range [start, end), left to right. For the ranges a
 * Merkle tree hashes (start a multiple of a power of two at least end − start) they shrink from
 * left to right, and the range's hash folds them from the right.
 */
export function subtreeNodes(start: number, end: number): NodeId[] {
  assertSize(start, 'start');
  assertSize(end, 'end');
  const nodes: NodeId[] = [];
  let position = start;
  while (position < end) {
    let level = bitLength(end - position) - 1;
    if (position > 0) level = Math.min(level, trailingZeros(position));
    const width = 2 ** level;
    nodes.push({ level, index: position / width });
    position += width;
  }
  return nodes;
}

function assertTreeRange(start: number, end: number): void {
  assertSize(start, 'start');
  assertSize(end, 'end');
  const length = end - start;
  if (length < 1 || (start > 0 && length > 2 ** trailingZeros(start))) {
    throw new TlogError('invalid_size', `[${start}, ${end}) is not a subtree of a Merkle tree`);
  }
}

/** MTH(D[start:end]) from stored complete subtrees: one readNode per subtree, read in parallel. */
export async function subtreeHash(sha: Sha256, start: number, end: number, readNode: ReadNode): Promise<Uint8Array> {
  assertTreeRange(start, end);
  const nodes = subtreeNodes(start, end);
  const hashes = await Promise.all(nodes.map((node) => readNode(node.level, node.index)));
  return foldRight(sha, hashes);
}

async function foldRight(sha: Sha256, hashes: Uint8Array[]): Promise<Uint8Array> {
  let hash = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) hash = await nodeHash(sha, hashes[i]!, hash);
  return hash;
}

/** MTH(D[0:size]) — SHA-256("") for the empty tree. */
export function rootOf(sha: Sha256, size: number, readNode: ReadNode): Promise<Uint8Array> {
  assertSize(size, 'tree size');
  return size === 0 ? emptyRoot(sha) : subtreeHash(sha, 0, size, readNode);
}

/** The leaf ranges whose hashes form the inclusion proof of `index` in a tree of `size` (RFC 9162 §2.1.3.1), bottom-up. */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  assertSize(size, 'tree size');
  if (index >= size) throw new TlogError('index_out_of_range', `index ${index} is beyond the tree size ${size}`);
  assertSize(index, 'index');
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      ranges.push([start + k, end]);
      end = start + k;
    } else {
      ranges.push([start, start + k]);
      start += k;
    }
  }
  return ranges.reverse();
}

/** The leaf ranges whose hashes form the consistency proof from `size1` to `size2` (RFC 9162 §2.1.4.1). */
export function consistencyProofRanges(size1: number, size2: number): LeafRange[] {
  assertSize(size1, 'size1');
  assertSize(size2, 'size2');
  if (size1 === 0 || size1 > size2) {
    throw new TlogError('invalid_tree_sizes', `no consistency proof from size ${size1} to size ${size2}`);
  }
  const ranges: LeafRange[] = [];
  let m = size1;
  let start = 0;
  let end = size2;
  let whole = true; // SUBPROOF's b: true while the old tree is a prefix of the current subtree
  for (;;) {
    if (m === end - start) {
      if (!whole) ranges.push([start, end]);
      break;
    }
    const k = splitPoint(end - start);
    if (m <= k) {
      ranges.push([start + k, end]);
      end = start + k;
    } else {
      ranges.push([start, start + k]);
      start += k;
      m -= k;
      whole = false;
    }
  }
  return ranges.reverse();
}

/** Every stored node a list of ranges needs, so a server can read them all in one query before proving. */
export function nodesOfRanges(ranges: readonly LeafRange[]): NodeId[] {
  return ranges.flatMap(([start, end]) => subtreeNodes(start, end));
}

async function hashRanges(sha: Sha256, ranges: readonly LeafRange[], readNode: ReadNode): Promise<Uint8Array[]> {
  const perRange = ranges.map(([start, end]) => subtreeNodes(start, end));
  const flat = await Promise.all(perRange.flat().map((node) => readNode(node.level, node.index)));
  let offset = 0;
  return Promise.all(
    perRange.map((nodes) => {
      const hashes = flat.slice(offset, offset + nodes.length);
      offset += nodes.length;
      return hashes.length === 1 ? hashes[0]! : foldRight(sha, hashes);
    }),
  );
}

/** The inclusion proof of leaf `index` in the tree of `size`, bottom-up, as verifyInclusion expects it. */
export function inclusionProof(sha: Sha256, index: number, size: number, readNode: ReadNode): Promise<Uint8Array[]> {
  return hashRanges(sha, inclusionProofRanges(index, size), readNode);
}

/** The consistency proof from the tree of `size1` to the tree of `size2` (empty when they are equal). */
export function consistencyProof(sha: Sha256, size1: number, size2: number, readNode: ReadNode): Promise<Uint8Array[]> {
  return hashRanges(sha, consistencyProofRanges(size1, size2), readNode);
}

import { createHash } from 'node:crypto';

/**
 * RFC 9162 hashing with node:crypto (synchronous: the integrator and the start-up check hash
 * millions of nodes). The portal and the CLI verify with the same definitions in `contract/tlog`.
 */

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export function leafHash(leaf: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF).update(leaf).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE).update(left).update(right).digest();
}

/** pg returns bytea as a Buffer, PGlite as a Uint8Array. */
export const bytes = (value: Uint8Array | Buffer): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(value));

export const EMPTY_ROOT = createHash('sha256').digest();

/** Root of a tree from the hashes of its complete subtrees (right to left, RFC 9162 §2.1.1). */
export function rootFromSubtrees(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  let root = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i]!, root);
  return root;
}

/**
 * Streaming Merkle hasher: push leaf hashes in order; `root()` at any point is the root of the
 * prefix pushed so far. Keeps one hash per level (the right edge), so a start-up check of a
 * million-entry log needs a few kilobytes besides what it reads.
 */
export class StreamingTree {
  private readonly stack: { level: number; hash: Buffer }[] = [];
  size = 0;

  /** Pushes a leaf hash; `onNode(level, index, hash)` sees every complete subtree it closes. */
  push(hash: Buffer, onNode?: (level: number, index: number, hash: Buffer) => void): void {
    let node = { level: 0, hash };
    onNode?.(0, this.size, hash);
    let index = this.size;
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.level === node.level) {
      const left = this.stack.pop()!;
      index = Math.floor(index / 2);
      node = { level: node.level + 1, hash: nodeHash(left.hash, node.hash) };
      onNode?.(node.level, index, node.hash);
    }
    this.stack.push(node);
    this.size++;
  }

  root(): Buffer {
    return rootFromSubtrees(this.stack.map((n) => n.hash));
  }
}

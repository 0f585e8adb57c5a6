import type { Sha256 } from './crypto';
import { TlogError } from './errors';
import { HASH_SIZE, nodeHash, type ReadNode } from './merkle';

/**
 * C2SP tlog-tiles: the tree served as static, cacheable files. A tile at level L holds up to 256
 * consecutive hashes of tree level 8·L (level 0: leaf hashes); an entry bundle holds the leaves
 * themselves. Full tiles never change; the right edge is served as partial tiles `.p/<W>`.
 */

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
/** Tile levels 0..63 (C2SP), enough for any uint64 tree size. */
export const MAX_TILE_LEVEL = 63;
/** An entry bundle length-prefixes each entry with a uint16. */
export const MAX_ENTRY_SIZE = 0xffff;

export type TilePath =
  { kind: 'tile'; level: number; index: number; partialWidth?: number } | { kind: 'entries'; index: number; partialWidth?: number };

function assertIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new TlogError('malformed_tile_path', `tile index must be a non-negative safe integer, got ${index}`);
  }
}

/** `1234067` → `x001/x234/067`: zero-padded 3-digit elements, all but the last prefixed with `x`. */
function encodeIndex(index: number): string {
  assertIndex(index);
  let out = String(index % 1000).padStart(3, '0');
  for (let rest = Math.floor(index / 1000); rest > 0; rest = Math.floor(rest / 1000)) {
    out = `x${String(rest % 1000).padStart(3, '0')}/${out}`;
  }
  return out;
}

function widthSuffix(partialWidth: number | undefined): string {
  if (partialWidth === undefined || partialWidth === TILE_WIDTH) return '';
  if (!Number.isInteger(partialWidth) || partialWidth < 1 || partialWidth > TILE_WIDTH - 1) {
    throw new TlogError('malformed_tile_path', `a partial tile is 1 to 255 wide, got ${partialWidth}`);
  }
  return `.p/${partialWidth}`;
}

/** `tile/<L>/<N>[.p/<W>]`; a width of 256 (or none) names the full tile. */
export function tilePath(level: number, index: number, partialWidth?: number): string {
  if (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL) {
    throw new TlogError('malformed_tile_path', `tile level must be 0..63, got ${level}`);
  }
  return `tile/${level}/${encodeIndex(index)}${widthSuffix(partialWidth)}`;
}

/** `tile/entries/<N>[.p/<W>]`. */
export function entriesPath(index: number, partialWidth?: number): string {
  return `tile/entries/${encodeIndex(index)}${widthSuffix(partialWidth)}`;
}

const LEVEL = /^(?:0|[1-9][0-9]?)$/;
const WIDTH = /^[1-9][0-9]{0,2}$/;
const INNER_GROUP = /^x[0-9]{3}$/;
const LAST_GROUP = /^[0-9]{3}$/;

/**
 * Parses a tile or entry-bundle path (relative, starting at `tile/`). Strict: a path has exactly
 * one spelling, so a cache or a file store cannot hold two copies of a tile under different names.
 */
export function parseTilePath(path: string): TilePath {
  const bad = (why: string) => new TlogError('malformed_tile_path', `${JSON.stringify(path)}: ${why}`);
  const parts = path.split('/');
  if (parts[0] !== 'tile' || parts.length < 3) throw bad('not a tile path');
  const kind = parts[1] === 'entries' ? 'entries' : 'tile';
  let level = 0;
  if (kind === 'tile') {
    if (!LEVEL.test(parts[1]!) || Number(parts[1]) > MAX_TILE_LEVEL) throw bad('level must be 0..63 without leading zeros');
    level = Number(parts[1]);
  }
  const groups = parts.slice(2);
  let partialWidth: number | undefined;
  const lastIndex = groups.length - 1;
  if (groups.length >= 2 && groups[lastIndex - 1]!.endsWith('.p')) {
    const width = groups.pop()!;
    if (!WIDTH.test(width) || Number(width) > TILE_WIDTH - 1) throw bad('partial width must be 1..255 without leading zeros');
    partialWidth = Number(width);
    groups[groups.length - 1] = groups[groups.length - 1]!.slice(0, -2);
  }
  let index = 0;
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!;
    const last = i === groups.length - 1;
    if (!(last ? LAST_GROUP : INNER_GROUP).test(group)) throw bad('index must be x-prefixed 3-digit groups ending in a plain one');
    const value = Number(last ? group : group.slice(1));
    if (i === 0 && !last && value === 0) throw bad('index has a leading zero group');
    index = index * 1000 + value;
  }
  if (!Number.isSafeInteger(index)) throw bad('index is too large');
  return kind === 'entries'
    ? { kind, index, ...(partialWidth === undefined ? {} : { partialWidth }) }
    : { kind, level, index, ...(partialWidth === undefined ? {} : { partialWidth }) };
}

/**
 * How many hashes tile `index` at tile level `level` holds for a tree of `treeSize` leaves
 * (256 when full, 0 when the tile does not exist yet). Level 0 also gives entry bundle widths.
 */
export function tileWidth(level: number, index: number, treeSize: number): number {
  const hashesAtLevel = Math.floor(treeSize / TILE_WIDTH ** level);
  return Math.max(0, Math.min(TILE_WIDTH, hashesAtLevel - index * TILE_WIDTH));
}

/** Concatenated 32-byte hashes, as a tile is served. */
export function hashesToTile(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length < 1 || hashes.length > TILE_WIDTH)
    throw new TlogError('malformed_tile', `a tile holds 1 to 256 hashes, got ${hashes.length}`);
  const tile = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((hash, i) => {
    if (hash.length !== HASH_SIZE) throw new TlogError('malformed_tile', `hash ${i} is ${hash.length} bytes`);
    tile.set(hash, i * HASH_SIZE);
  });
  return tile;
}

/** The hashes of a tile, as views into `tile` (no copy). */
export function tileToHashes(tile: Uint8Array, expectedWidth?: number): Uint8Array[] {
  if (tile.length === 0 || tile.length % HASH_SIZE !== 0 || tile.length > TILE_WIDTH * HASH_SIZE) {
    throw new TlogError('malformed_tile', `a tile is 1 to 256 hashes of 32 bytes, got ${tile.length} bytes`);
  }
  const width = tile.length / HASH_SIZE;
  if (expectedWidth !== undefined && width !== expectedWidth) {
    throw new TlogError('malformed_tile', `tile holds ${width} hashes, want ${expectedWidth}`);
  }
  const hashes: Uint8Array[] = new Array<Uint8Array>(width);
  for (let i = 0; i < width; i++) hashes[i] = tile.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  return hashes;
}

/** Each entry prefixed with its length as a big-endian uint16. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  entries.forEach((entry, i) => {
    if (entry.length > MAX_ENTRY_SIZE) throw new TlogError('entry_too_large', `entry ${i} is ${entry.length} bytes, over 65,535`);
    length += 2 + entry.length;
  });
  const bundle = new Uint8Array(length);
  let offset = 0;
  for (const entry of entries) {
    bundle[offset] = entry.length >>> 8;
    bundle[offset + 1] = entry.length & 0xff;
    bundle.set(entry, offset + 2);
    offset += 2 + entry.length;
  }
  return bundle;
}

/** The entries of a bundle, as views into `bundle` (no copy). A truncated length or entry is rejected. */
export function decodeEntryBundle(bundle: Uint8Array, expectedCount?: number): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let offset = 0;
  while (offset < bundle.length) {
    if (offset + 2 > bundle.length) throw new TlogError('malformed_entry_bundle', `truncated length at byte ${offset}`);
    const length = (bundle[offset]! << 8) | bundle[offset + 1]!;
    const start = offset + 2;
    if (start + length > bundle.length) throw new TlogError('malformed_entry_bundle', `entry ${entries.length} runs past the end`);
    entries.push(bundle.subarray(start, start + length));
    offset = start + length;
  }
  if (expectedCount !== undefined && entries.length !== expectedCount) {
    throw new TlogError('malformed_entry_bundle', `bundle holds ${entries.length} entries, want ${expectedCount}`);
  }
  return entries;
}

/** Fetches tile `index` of tile level `level` with `width` hashes (the full tile when width is 256). */
export type FetchTile = (level: number, index: number, width: number) => Promise<Uint8Array>;

/**
 * A ReadNode over tiles, for a client that proves from a log's static files (the portal's
 * « Vérifier », `confiance ledger verify`): each tile is fetched once, and nodes between tile
 * levels are rebuilt by hashing inside the tile. Only nodes complete at `treeSize` can be read.
 */
export function readNodeFromTiles(sha: Sha256, treeSize: number, fetchTile: FetchTile): ReadNode {
  const tiles = new Map<string, Promise<Uint8Array[]>>();
  const loadTile = (level: number, index: number, width: number) => {
    const key = `${level}/${index}/${width}`;
    let hashes = tiles.get(key);
    if (!hashes) {
      hashes = fetchTile(level, index, width).then((tile) => tileToHashes(tile, width));
      tiles.set(key, hashes);
      // A failed fetch is not remembered: the next read tries again.
      hashes.catch(() => tiles.delete(key));
    }
    return hashes;
  };
  return async (level, index) => {
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const height = level - tileLevel * TILE_HEIGHT;
    const first = index * 2 ** height;
    const count = 2 ** height;
    const tileIndex = Math.floor(first / TILE_WIDTH);
    const offset = first - tileIndex * TILE_WIDTH;
    const width = tileWidth(tileLevel, tileIndex, treeSize);
    if (!Number.isSafeInteger(first) || offset + count > width) {
      throw new TlogError('index_out_of_range', `node ${level}/${index} is not complete in a tree of ${treeSize}`);
    }
    let hashes = (await loadTile(tileLevel, tileIndex, width)).slice(offset, offset + count);
    while (hashes.length > 1) {
      const parents: Promise<Uint8Array>[] = [];
      for (let i = 0; i < hashes.length; i += 2) parents.push(nodeHash(sha, hashes[i]!, hashes[i + 1]!));
      hashes = await Promise.all(parents);
    }
    return hashes[0]!;
  };
}

import { describe, expect, it } from 'vitest';
import { hexEncode } from './encoding';
import { TlogError } from './errors';
import { inclusionProof, leafHash, nodeHash, rootOf, verifyInclusion } from './merkle';
import { sha, sha256Sync } from './test-support';
import {
  decodeEntryBundle,
  encodeEntryBundle,
  entriesPath,
  hashesToTile,
  parseTilePath,
  readNodeFromTiles,
  tilePath,
  tileToHashes,
  tileWidth,
} from './tiles';

describe('tile paths (C2SP tlog-tiles)', () => {
  it.each([
    [0, 1234067, undefined, 'tile/0/x001/x234/067'],
    [0, 0, undefined, 'tile/0/000'],
    [1, 999, undefined, 'tile/1/999'],
    [2, 1000, undefined, 'tile/2/x001/000'],
    [0, 1234067, 3, 'tile/0/x001/x234/067.p/3'],
    [63, 5, 255, 'tile/63/005.p/255'],
    [0, 7, 256, 'tile/0/007'],
  ])('level %i, index %i, width %s → %s', (level, index, width, path) => {
    expect(tilePath(level, index, width)).toBe(path);
    expect(parseTilePath(path)).toEqual({ kind: 'tile', level, index, ...(width && width < 256 ? { partialWidth: width } : {}) });
  });

  it.each([
    [0, undefined, 'tile/entries/000'],
    [1234067, undefined, 'tile/entries/x001/x234/067'],
    [12, 112, 'tile/entries/012.p/112'],
  ])('entry bundle %i, width %s → %s', (index, width, path) => {
    expect(entriesPath(index, width)).toBe(path);
    expect(parseTilePath(path)).toEqual({ kind: 'entries', index, ...(width ? { partialWidth: width } : {}) });
  });

  it.each([
    'tile/0/1',
    'tile/0/0000',
    'tile/0/x000/001',
    'tile/0/x001/x234',
    'tile/0/001/234',
    'tile/00/001',
    'tile/64/001',
    'tile/-1/001',
    'tile/0/001.p/0',
    'tile/0/001.p/256',
    'tile/0/001.p/03',
    'tile/0/001.p/',
    'tile/0/001.p',
    'tile/0/001/',
    '/tile/0/001',
    'tile/entries',
    'tile/data/000',
    'tiles/0/000',
    'tile/0/x999/x999/x999/x999/x999/x999/999',
  ])('rejects %j', (path) => {
    expect(() => parseTilePath(path)).toThrow(expect.objectContaining({ code: 'malformed_tile_path' }));
  });

  it('refuses to name impossible tiles', () => {
    expect(() => tilePath(64, 0)).toThrow(TlogError);
    expect(() => tilePath(0, -1)).toThrow(TlogError);
    expect(() => tilePath(0, 0, 0)).toThrow(TlogError);
    expect(() => entriesPath(0, 257)).toThrow(TlogError);
  });
});

describe('tile widths', () => {
  it('follows the spec’s tree of 70,000 entries', () => {
    // 273 full level-0 tiles, one of width 112; one full level-1 tile, one of width 17; level 2 of width 1.
    expect(tileWidth(0, 272, 70_000)).toBe(256);
    expect(tileWidth(0, 273, 70_000)).toBe(112);
    expect(tileWidth(0, 274, 70_000)).toBe(0);
    expect(tileWidth(1, 0, 70_000)).toBe(256);
    expect(tileWidth(1, 1, 70_000)).toBe(17);
    expect(tileWidth(2, 0, 70_000)).toBe(1);
    expect(tileWidth(3, 0, 70_000)).toBe(0);
  });
  it('gives a tree of 256 one full level-0 tile and a level-1 tile of width 1', () => {
    expect([tileWidth(0, 0, 256), tileWidth(0, 1, 256), tileWidth(1, 0, 256)]).toEqual([256, 0, 1]);
  });
});

describe('entry bundles', () => {
  it('length-prefixes each entry with a big-endian uint16', () => {
    const bundle = encodeEntryBundle([Uint8Array.of(0xaa), new Uint8Array(0), new Uint8Array(300).fill(7)]);
    expect(hexEncode(bundle.subarray(0, 5))).toBe('0001aa0000');
    expect(hexEncode(bundle.subarray(5, 7))).toBe('012c');
    expect(bundle.length).toBe(2 + 1 + 2 + 2 + 300);
    expect(decodeEntryBundle(bundle, 3).map((e) => e.length)).toEqual([1, 0, 300]);
  });
  it('carries entries up to 65,535 bytes and refuses bigger ones', () => {
    const largest = new Uint8Array(65_535).fill(1);
    expect(decodeEntryBundle(encodeEntryBundle([largest]))[0]).toEqual(largest);
    expect(() => encodeEntryBundle([new Uint8Array(65_536)])).toThrow(expect.objectContaining({ code: 'entry_too_large' }));
  });
  it('refuses truncated bundles and unexpected counts', () => {
    const bundle = encodeEntryBundle([Uint8Array.of(1, 2, 3)]);
    expect(() => decodeEntryBundle(bundle.subarray(0, 4))).toThrow(expect.objectContaining({ code: 'malformed_entry_bundle' }));
    expect(() => decodeEntryBundle(Uint8Array.of(0))).toThrow(expect.objectContaining({ code: 'malformed_entry_bundle' }));
    expect(() => decodeEntryBundle(bundle, 2)).toThrow(expect.objectContaining({ code: 'malformed_entry_bundle' }));
  });
});

describe('hash tiles', () => {
  it('concatenates 32-byte hashes and splits them back', () => {
    const hashes = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)];
    const tile = hashesToTile(hashes);
    expect(tile.length).toBe(64);
    expect(tileToHashes(tile, 2)).toEqual(hashes);
  });
  it('refuses empty, ragged, oversized or unexpected tiles', () => {
    expect(() => tileToHashes(new Uint8Array(0))).toThrow(TlogError);
    expect(() => tileToHashes(new Uint8Array(33))).toThrow(TlogError);
    expect(() => tileToHashes(new Uint8Array(257 * 32))).toThrow(TlogError);
    expect(() => tileToHashes(new Uint8Array(64), 3)).toThrow(TlogError);
    expect(() => hashesToTile([new Uint8Array(31)])).toThrow(TlogError);
  });
});

describe('proving from tiles', () => {
  // A tree of 70,000 leaves laid out in tiles as a log serves them (partial tiles on the right edge).
  const size = 70_000;
  const leaves = Array.from({ length: size }, (_, i) => Buffer.from(`entry ${i}`));
  const level0 = leaves.map((leaf) => sha256Sync(Buffer.concat([Buffer.of(0), leaf])));
  const treeLevels: Buffer[][] = [level0];
  while (treeLevels[treeLevels.length - 1]!.length > 1) {
    const below = treeLevels[treeLevels.length - 1]!;
    const above: Buffer[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) above.push(sha256Sync(Buffer.concat([Buffer.of(1), below[i]!, below[i + 1]!])));
    treeLevels.push(above);
  }
  const fetched: string[] = [];
  const fetchTile = (level: number, index: number, width: number) => {
    fetched.push(tilePath(level, index, width));
    const hashes = treeLevels[8 * level]!.slice(index * 256, index * 256 + width);
    return Promise.resolve(hashesToTile(hashes));
  };
  const readNode = (level: number, index: number) => Promise.resolve(treeLevels[level]![index]!);

  it('computes the same root as the stored tree, fetching each tile once', async () => {
    fetched.length = 0;
    const fromTiles = readNodeFromTiles(sha, size, fetchTile);
    expect(hexEncode(await rootOf(sha, size, fromTiles))).toBe(hexEncode(await rootOf(sha, size, readNode)));
    expect(new Set(fetched).size).toBe(fetched.length);
    expect(fetched).toContain('tile/1/001.p/17');
  });

  it('proves inclusion of a leaf from tiles alone', async () => {
    const fromTiles = readNodeFromTiles(sha, size, fetchTile);
    const root = await rootOf(sha, size, readNode);
    for (const index of [0, 255, 256, 65_535, 65_536, 69_887, 69_999]) {
      const proof = await inclusionProof(sha, index, size, fromTiles);
      expect(proof.map(hexEncode)).toEqual((await inclusionProof(sha, index, size, readNode)).map(hexEncode));
      await verifyInclusion(sha, index, size, await leafHash(sha, leaves[index]!), proof, root);
    }
  });

  it('refuses to read a node that is not complete at the tree size', async () => {
    const fromTiles = readNodeFromTiles(sha, size, fetchTile);
    await expect(fromTiles(4, 4375)).rejects.toThrow(expect.objectContaining({ code: 'index_out_of_range' }));
    await expect(fromTiles(0, size)).rejects.toThrow(TlogError);
  });

  it('rejects a tile of the wrong width', async () => {
    const short = readNodeFromTiles(sha, size, (level, index, width) => fetchTile(level, index, width - 1));
    await expect(short(0, 69_999)).rejects.toThrow(expect.objectContaining({ code: 'malformed_tile' }));
  });

  it('hashes inner tile levels like the tree', async () => {
    const fromTiles = readNodeFromTiles(sha, size, fetchTile);
    expect(hexEncode(await fromTiles(1, 3))).toBe(hexEncode(await nodeHash(sha, level0[6]!, level0[7]!)));
    expect(hexEncode(await fromTiles(11, 2))).toBe(hexEncode(treeLevels[11]![2]!));
  });
});

import {
  bytesEqual,
  base64Encode,
  decodeEntryBundle,
  entriesPath,
  leafHash,
  nodeHash,
  readNodeFromTiles,
  rootOf,
  tilePath,
  tileToHashes,
  tileWidth,
  TILE_WIDTH,
  TlogError,
  type Sha256,
} from '@confiance/contract';
import { mismatch, type Verdict } from './verdict';

/** Fetches one file under `/ledger/` (`tile/0/001`, `tile/entries/000.p/12`…). */
export type FetchPath = (path: string) => Promise<Uint8Array>;

const PARALLEL = 8;

async function inBatches<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += PARALLEL) results.push(...(await Promise.all(items.slice(i, i + PARALLEL).map(run))));
  return results;
}

/** The MTH of a full tile's 256 hashes: the node one tile level up. */
async function fullTileHash(sha: Sha256, hashes: Uint8Array[]): Promise<Uint8Array> {
  let level = hashes;
  while (level.length > 1) {
    const parents: Promise<Uint8Array>[] = [];
    for (let i = 0; i < level.length; i += 2) parents.push(nodeHash(sha, level[i]!, level[i + 1]!));
    level = await Promise.all(parents);
  }
  return level[0]!;
}

/**
 * A full audit of the log's static files at a checkpoint: every entry bundle hashes to its level-0
 * tile, every tile above is made of the tiles below it, and the tiles give the checkpoint's root.
 * A node that served one history through the API and another through its tiles (to mirrors, to
 * auditors) is caught here: the tiles are what anyone can copy and keep.
 */
export async function auditTiles(
  verdict: Verdict,
  sha: Sha256,
  checkpoint: { size: number; root: Uint8Array },
  fetchPath: FetchPath,
): Promise<void> {
  const { size, root } = checkpoint;
  if (size === 0) {
    verdict.notes.push('Registre vide : aucune tuile à vérifier.');
    return;
  }
  const levels: Uint8Array[][][] = []; // levels[L][N] = hashes of tile L/N
  let fetched = 0;
  const entries = await verdict.attempt(
    'tiles.entries',
    'Paquets d’entrées (tile/entries)',
    async () => {
      const count = Math.ceil(size / TILE_WIDTH);
      const indexes = Array.from({ length: count }, (_, n) => n);
      const bundles = await inBatches(indexes, async (n) => {
        const width = tileWidth(0, n, size);
        const bundle = await fetchPath(entriesPath(n, width));
        fetched++;
        return decodeEntryBundle(bundle, width);
      });
      const level0 = await inBatches(indexes, async (n) => {
        const tile = await fetchPath(tilePath(0, n, tileWidth(0, n, size)));
        fetched++;
        return tileToHashes(tile, tileWidth(0, n, size));
      });
      levels[0] = level0;
      for (let n = 0; n < count; n++) {
        const hashes = await Promise.all(bundles[n]!.map((leaf) => leafHash(sha, leaf)));
        hashes.forEach((hash, i) => {
          if (!bytesEqual(hash, level0[n]![i]!)) {
            throw mismatch(`l’entrée ${n * TILE_WIDTH + i} ne donne pas l’empreinte de la tuile 0/${n}`);
          }
        });
      }
      return size;
    },
    (count) => `${count} entrée${count > 1 ? 's' : ''}, chacune à l’empreinte de sa tuile de niveau 0`,
  );
  if (entries === undefined) return;

  const upper = await verdict.attempt(
    'tiles.hashes',
    'Tuiles des niveaux supérieurs',
    async () => {
      let checked = 0;
      for (let level = 1; TILE_WIDTH ** level <= size; level++) {
        const count = Math.ceil(Math.floor(size / TILE_WIDTH ** level) / TILE_WIDTH);
        const indexes = Array.from({ length: count }, (_, n) => n);
        levels[level] = await inBatches(indexes, async (n) => {
          const tile = await fetchPath(tilePath(level, n, tileWidth(level, n, size)));
          fetched++;
          return tileToHashes(tile, tileWidth(level, n, size));
        });
        for (let n = 0; n < count; n++) {
          const hashes = levels[level]![n]!;
          for (let i = 0; i < hashes.length; i++) {
            const below = levels[level - 1]![n * TILE_WIDTH + i]!;
            if (!bytesEqual(await fullTileHash(sha, below), hashes[i]!)) {
              throw mismatch(`la tuile ${level}/${n} ne résume pas la tuile ${level - 1}/${n * TILE_WIDTH + i}`);
            }
            checked++;
          }
        }
      }
      return checked;
    },
    (checked) =>
      checked === 0 ? 'aucune (moins de 256 entrées)' : `${checked} empreinte${checked > 1 ? 's' : ''} recalculée${checked > 1 ? 's' : ''}`,
  );
  if (upper === undefined) return;

  await verdict.attempt(
    'tiles.root',
    'Racine recalculée depuis les tuiles',
    async () => {
      const read = readNodeFromTiles(sha, size, (level, index) => Promise.resolve(tileBytes(levels, level, index)));
      const computed = await rootOf(sha, size, read);
      if (!bytesEqual(computed, root)) {
        throw mismatch(`les tuiles donnent ${base64Encode(computed)}, le point de contrôle ${base64Encode(root)}`);
      }
    },
    () => `identique à celle du point de contrôle (${fetched} fichiers téléchargés)`,
  );
}

function tileBytes(levels: Uint8Array[][][], level: number, index: number): Uint8Array {
  const hashes = levels[level]?.[index];
  if (!hashes) throw new TlogError('malformed_tile', `tuile ${level}/${index} absente`);
  const out = new Uint8Array(hashes.length * 32);
  hashes.forEach((h, i) => out.set(h, i * 32));
  return out;
}

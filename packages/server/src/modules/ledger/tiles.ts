import { encodeEntryBundle, isTlogError, parseTilePath, TILE_WIDTH, type TilePath } from '@confiance/contract';

export { TILE_WIDTH };

/** A tile request (`<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]` under /ledger/tile/), or null if malformed. */
export function parseTileRequest(rest: string): { level: number | 'entries'; index: number; width?: number } | null {
  let parsed: TilePath;
  try {
    parsed = parseTilePath(`tile/${rest}`);
  } catch (error) {
    if (isTlogError(error)) return null;
    throw error;
  }
  const level = parsed.kind === 'entries' ? 'entries' : parsed.level;
  return parsed.partialWidth === undefined ? { level, index: parsed.index } : { level, index: parsed.index, width: parsed.partialWidth };
}

export function encodeBundle(leaves: readonly Uint8Array[]): Buffer {
  return Buffer.from(encodeEntryBundle(leaves));
}

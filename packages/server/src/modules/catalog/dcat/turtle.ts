import { Writer } from 'n3';
import type { Quad } from 'n3';
import { PREFIXES } from './vocabulary';

/** Turtle written from the export's quads, with the DCAT-AP prefixes. */
export function quadsToTurtle(quads: readonly Quad[]): string {
  const writer = new Writer({ format: 'text/turtle', prefixes: PREFIXES });
  writer.addQuads([...quads]);
  let out: string | undefined;
  let failure: unknown;
  // Without an output stream N3's writer buffers in memory and calls back synchronously.
  writer.end((error, result) => {
    failure = error;
    out = result;
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  if (out === undefined) throw new Error('the Turtle writer did not finish synchronously');
  return out;
}

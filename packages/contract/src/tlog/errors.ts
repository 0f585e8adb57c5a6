/**
 * The closed set of reasons a transparency-log check can fail. Callers (server start-up, the CLI's
 * verdicts, the portal's « Vérifier » button) switch on `code`, never on the message.
 */
export const TLOG_ERROR_CODES = [
  /** Bytes or text that is not valid base64, hex, UTF-8 or a big-endian integer of the right size. */
  'malformed_encoding',
  /** A value RFC 8785 cannot canonicalize (NaN, Infinity, undefined, a lone surrogate, a cycle…). */
  'not_canonicalizable',
  /** A size or index that is not a non-negative safe integer. */
  'invalid_size',
  /** An inclusion proof for an index at or beyond the tree size. */
  'index_out_of_range',
  /** A consistency proof asked from a larger tree to a smaller one, or from the empty tree. */
  'invalid_tree_sizes',
  /** A hash that is not 32 bytes where the verifier requires it. */
  'invalid_hash_size',
  /** A proof with more or fewer hashes than the sizes imply. */
  'wrong_proof_size',
  /** The proof recomputes a root other than the one claimed. */
  'root_mismatch',
  'malformed_note',
  'malformed_verifier_key',
  /** A verifier key whose key ID is not the hash of its name and key. */
  'key_id_mismatch',
  'unknown_algorithm',
  /** Two configured keys share a name and key ID: the note cannot say which one signed. */
  'ambiguous_key',
  /** A known key's signature does not verify: the whole note is rejected. */
  'invalid_signature',
  /** No signature from a known key. */
  'unverified_note',
  'malformed_checkpoint',
  'malformed_cosignature',
  'malformed_tile_path',
  'malformed_tile',
  'malformed_entry_bundle',
  /** An entry over 65,535 bytes cannot be length-prefixed in an entry bundle. */
  'entry_too_large',
] as const;

export type TlogErrorCode = (typeof TLOG_ERROR_CODES)[number];

export class TlogError extends Error {
  override readonly name = 'TlogError';
  constructor(
    readonly code: TlogErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isTlogError(error: unknown, code?: TlogErrorCode): error is TlogError {
  return error instanceof TlogError && (code === undefined || error.code === code);
}

import {
  base64Decode,
  base64Encode,
  bytesEqual,
  canonicalJsonBytes,
  concatBytes,
  hexEncode,
  isTlogError,
  leafHash,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  verifyCheckpoint,
  verifyInclusion,
  type CheckpointView,
  type InclusionProofView,
  type LedgerEntryView,
  type TlogCrypto,
  type TlogErrorCode,
} from '@confiance/contract';

/**
 * Checks made in the visitor's browser, with the browser's own SHA-256 and Ed25519 (WebCrypto),
 * so that trusting the result does not mean trusting the node: a node that altered an entry, or
 * showed a tree other than the one it signed, fails here at the step it cheated on.
 */

/** The browser has no Ed25519 in WebCrypto: the signature step is skipped and said so. */
export class Ed25519Unavailable extends Error {}

/** The note signs a size or root other than the ones the node shows beside it. */
class CheckpointMismatch extends Error {}

/** Why a step failed: a code of the verification library, or one of this page's own. */
export type FailureCode = TlogErrorCode | 'checkpoint_mismatch' | 'hash_mismatch';

function owned(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

export const webCrypto: TlogCrypto = {
  sha256: async (bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', owned(bytes))),
  verifyEd25519: async (publicKey, message, signature) => {
    let key: CryptoKey;
    try {
      key = await crypto.subtle.importKey('raw', owned(publicKey), { name: 'Ed25519' }, false, ['verify']);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'NotSupportedError') throw new Ed25519Unavailable();
      return false; // a key that is not a valid Ed25519 point verifies nothing
    }
    return crypto.subtle.verify({ name: 'Ed25519' }, key, owned(signature), owned(message));
  },
};

export type StepId = 'leafHash' | 'leafBytes' | 'proof' | 'inclusion' | 'commitment' | 'signature';

export type Step =
  | { id: StepId; status: 'ok'; proofLength?: number }
  | { id: 'commitment'; status: 'skipped'; why: 'erased' | 'hidden' }
  | { id: 'signature'; status: 'skipped'; why: 'no-ed25519' }
  | Fail;

export type EntryVerdict =
  | { outcome: 'verified'; index: number; size: number; root: string; steps: Step[] }
  | { outcome: 'failed'; failed: StepId; size: number; root: string; steps: Step[] }
  /** The entry is younger than the checkpoint: no proof exists yet at that size. */
  | { outcome: 'pending'; size: number };

/** `error` is the failure itself (a network or API error) when no code applies. */
export type Fail = { id: StepId; status: 'failed'; code?: FailureCode; error?: unknown };

function failure(id: StepId, error?: unknown): Fail {
  if (error === undefined) return { id, status: 'failed', code: 'hash_mismatch' };
  if (isTlogError(error)) return { id, status: 'failed', code: error.code };
  if (error instanceof CheckpointMismatch) return { id, status: 'failed', code: 'checkpoint_mismatch' };
  return { id, status: 'failed', error };
}

/**
 * The checkpoint's own claims, read from the signed note (not from the JSON beside it): the
 * root an entry is checked against must be the one the signature covers.
 */
function signedCheckpoint(checkpoint: CheckpointView) {
  const body = parseCheckpoint(parseNote(checkpoint.note).body);
  // A node showing one size or root and signing another is caught before anything else.
  if (body.size !== checkpoint.size || base64Encode(body.root) !== checkpoint.root) {
    throw new CheckpointMismatch();
  }
  return body;
}

export type SignatureVerdict = { status: 'valid'; keyName: string; keyId: string } | { status: 'unavailable' } | Fail;

/** Checks the note's Ed25519 signature against the node's verifier key. */
export async function verifyCheckpointSignature(checkpoint: CheckpointView, cryptoImpl: TlogCrypto = webCrypto): Promise<SignatureVerdict> {
  try {
    signedCheckpoint(checkpoint);
    const key = await parseVerifierKey(cryptoImpl.sha256, checkpoint.verifierKey);
    await verifyCheckpoint(cryptoImpl, checkpoint.note, key);
    return { status: 'valid', keyName: key.name, keyId: key.keyId.toString(16).padStart(8, '0') };
  } catch (error) {
    if (error instanceof Ed25519Unavailable) return { status: 'unavailable' };
    return failure('signature', error);
  }
}

/**
 * Verifies one entry: its leaf hash, that its leaf is the canonical form of what is shown, its
 * inclusion in the checkpoint's tree (with a proof fetched now), its commitment when the details
 * are visible, and the checkpoint's signature. Stops at the first step that fails.
 */
export async function verifyEntry(
  entry: LedgerEntryView,
  checkpoint: CheckpointView,
  fetchProof: (index: number, treeSize: number) => Promise<InclusionProofView>,
  cryptoImpl: TlogCrypto = webCrypto,
): Promise<EntryVerdict> {
  const sha = cryptoImpl.sha256;
  const steps: Step[] = [];
  const fail = (step: Fail): EntryVerdict => ({
    outcome: 'failed',
    failed: step.id,
    size: checkpoint.size,
    root: checkpoint.root,
    steps: [...steps, step],
  });

  // 1. The announced leaf hash is SHA-256(0x00 ‖ leaf).
  let leaf: Uint8Array;
  let announced: Uint8Array;
  try {
    leaf = base64Decode(entry.leaf);
    announced = base64Decode(entry.leafHash);
    if (!bytesEqual(await leafHash(sha, leaf), announced)) return fail(failure('leafHash'));
  } catch (error) {
    return fail(failure('leafHash', error));
  }
  steps.push({ id: 'leafHash', status: 'ok' });

  // 2. The leaf says exactly what the page shows: otherwise a node could prove one leaf and display another.
  try {
    const expected = canonicalJsonBytes({ type: entry.type, time: entry.time, public: entry.public, commitment: entry.commitment });
    if (!bytesEqual(expected, leaf)) return fail(failure('leafBytes'));
  } catch (error) {
    return fail(failure('leafBytes', error));
  }
  steps.push({ id: 'leafBytes', status: 'ok' });

  let signed: ReturnType<typeof signedCheckpoint>;
  try {
    signed = signedCheckpoint(checkpoint);
  } catch (error) {
    return fail(failure('signature', error));
  }
  if (entry.index >= signed.size) return { outcome: 'pending', size: signed.size };

  // 3. A proof for the checkpoint's size, asked for now.
  let proof: Uint8Array[];
  try {
    const answer = await fetchProof(entry.index, signed.size);
    proof = answer.proof.map((hash) => base64Decode(hash));
  } catch (error) {
    return fail(failure('proof', error));
  }
  steps.push({ id: 'proof', status: 'ok' });

  // 4. The proof leads from the leaf hash to the signed root.
  try {
    await verifyInclusion(sha, entry.index, signed.size, announced, proof, signed.root);
  } catch (error) {
    return fail(failure('inclusion', error));
  }
  steps.push({ id: 'inclusion', status: 'ok', proofLength: proof.length });

  // 5. The details shown are the ones committed to (when the caller may see them).
  if (entry.details && entry.salt) {
    try {
      const digest = await sha(concatBytes(base64Decode(entry.salt), canonicalJsonBytes(entry.details)));
      if (hexEncode(digest) !== entry.commitment) return fail(failure('commitment'));
    } catch (error) {
      return fail(failure('commitment', error));
    }
    steps.push({ id: 'commitment', status: 'ok' });
  } else {
    steps.push({ id: 'commitment', status: 'skipped', why: entry.erased ? 'erased' : 'hidden' });
  }

  // 6. The root is the one the node's key signed.
  const signature = await verifyCheckpointSignature(checkpoint, cryptoImpl);
  if (signature.status === 'unavailable') steps.push({ id: 'signature', status: 'skipped', why: 'no-ed25519' });
  else if (signature.status === 'valid') steps.push({ id: 'signature', status: 'ok' });
  else return fail(signature);

  return { outcome: 'verified', index: entry.index, size: signed.size, root: checkpoint.root, steps };
}
